package summary

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestGoalsTable: run's table shows a goal bidder's target beside what
// it realised; a run without goal bidders has no such table.
func TestGoalsTable(t *testing.T) {
	sc, _, err := scenarios.ResolveWith("pacing-showdown", []scenarios.Set{{Path: "bidders.multiplier.strategy", Value: "{kind: target_cpa, cpa: 0.4}", Flag: "--set"}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(2 * sim.Minute)
	snap := e.Snapshot()
	b, _ := snap.FindBidder("multiplier")
	if b.Goal == nil || b.Goal.Realised != b.Goal.Realised {
		t.Fatalf("the goal bidder has realised nothing yet: %+v", b.Goal)
	}
	out := Render(snap, Run{Scenario: sc.Name}, Options{})
	var row string
	for _, l := range lines(out) {
		if strings.Contains(l, "│ multiplier") && strings.Contains(l, "CPA") {
			row = l
		}
	}
	for _, w := range []string{format.Money(0.4), format.Money(b.Goal.Realised), format.Fixed(b.Goal.Multiplier, 3)} {
		if !strings.Contains(row, w) {
			t.Errorf("the goal row %q lacks %q", row, w)
		}
	}
	if !strings.Contains(out, "Goals") {
		t.Errorf("no Goals table in\n%s", out)
	}
	if plain := Render(snapshot(t, "swift"), Run{Scenario: "plain"}, Options{}); strings.Contains(plain, "Goals") {
		t.Errorf("a run without goal bidders shows their table:\n%s", plain)
	}
}

// TestGoalsBudgetBinds: the Goals table says the budget binds where sim
// finds it does (a CPA below the target because the budget ran out),
// rather than a percentage off the target that reads as a miss; else the
// percentage.
func TestGoalsBudgetBinds(t *testing.T) {
	snap := snapshot(t, "swift")
	snap.Bidders[0].Goal = &sim.Goal{Kind: sim.TargetCPA, Target: 0.5, Realised: 0.1, Multiplier: 1.5, BudgetBound: true}
	row := func() string {
		for _, l := range lines(Render(snap, Run{Scenario: "x"}, Options{})) {
			if strings.Contains(l, "│ "+snap.Bidders[0].Name) && strings.Contains(l, "CPA") {
				return l
			}
		}
		return ""
	}
	if r := row(); !strings.Contains(r, "budget binds") || strings.Contains(r, "-80") {
		t.Errorf("budget bound: row %q", r)
	}
	snap.Bidders[0].Goal.BudgetBound = false
	if r := row(); !strings.Contains(r, format.Pct(-0.8)) || strings.Contains(r, "budget binds") {
		t.Errorf("not bound: row %q, want %s", r, format.Pct(-0.8))
	}
}
