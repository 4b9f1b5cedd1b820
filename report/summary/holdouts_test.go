package summary

import (
	"fmt"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// ranFor runs sc's world for d and returns its snapshot.
func ranFor(t *testing.T, sc *scenarios.Scenario, d sim.Time) *sim.Snapshot {
	t.Helper()
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(d)
	return e.Snapshot()
}

// holdoutRow is the row of bidder name in out's incrementality tests.
func holdoutRow(out, name string) string {
	var row string
	for _, l := range lines(out) {
		if strings.Contains(l, "│ "+name) && strings.Contains(l, "[") {
			row = l
		}
	}
	return row
}

// TestHoldoutMeasuredBesideTrue: run's table shows each holdout's
// measured incremental ROAS with its interval beside the model's true
// one, labelled so (issue 20); a run without a holdout has no such table.
func TestHoldoutMeasuredBesideTrue(t *testing.T) {
	sc, err := scenarios.Bundled("incrementality-test")
	if err != nil {
		t.Fatal(err)
	}
	snap := ranFor(t, sc, 90*sim.Second)
	b, _ := snap.FindBidder("retarget")
	if b.Holdout == nil {
		t.Fatal("incrementality-test's retarget has no holdout")
	}
	iv := b.Holdout.MeasuredIncrementalROAS()
	if !(iv.Lo < iv.Hi) {
		t.Fatalf("the holdout measured nothing yet: %+v", iv)
	}
	out := Render(snap, Run{Scenario: sc.Name}, Options{})
	row := holdoutRow(out, "retarget")
	want := []string{format.ROAS(iv.Mean), fmt.Sprintf("[%s, %s]", format.ROAS(iv.Lo), format.ROAS(iv.Hi)), format.ROAS(b.IncrementalROAS())}
	for _, w := range want {
		if !strings.Contains(row, w) {
			t.Errorf("retarget's holdout row %q lacks %q", row, w)
		}
	}
	for _, label := range []string{"Incrementality tests", "iROAS measured (holdout)", "iROAS true (model)"} {
		if !strings.Contains(out, label) {
			t.Errorf("no %q in\n%s", label, out)
		}
	}
	if plain := Render(snapshot(t, "swift"), Run{Scenario: "plain"}, Options{}); strings.Contains(plain, "Incrementality tests") {
		t.Errorf("a run without holdouts shows their table:\n%s", plain)
	}
}

// TestHoldoutByPersonRow: with people the table says each test's unit
// and, by person, the people exposed in each arm, and its true column is
// the test's own truth, which is the bidder's incremental ROAS (not its
// caused conversions', which count some the person would have made
// anyway); without people it has no unit column.
func TestHoldoutByPersonRow(t *testing.T) {
	sc, _, err := scenarios.ResolveWith("incrementality-test", []scenarios.Set{
		{Path: "traffic.users", Value: "{count: 5000, skew: 1}", Flag: "--set"},
		{Path: "bidders.retarget.outcome.baseline_cvr", Value: "0.05", Flag: "--set"},
	})
	if err != nil {
		t.Fatal(err)
	}
	snap := ranFor(t, sc, 90*sim.Second)
	b, _ := snap.FindBidder("retarget")
	h := b.Holdout
	if h == nil || h.Unit != sim.HoldoutByPerson || h.ControlPeople == 0 {
		t.Fatalf("not a holdout by person with both arms: %+v", h)
	}
	truth := h.TrueIncrementalROAS()
	if format.ROAS(truth) != format.ROAS(b.IncrementalROAS()) || format.ROAS(truth) == format.ROAS(b.CausedROAS()) {
		t.Fatalf("the test's truth %v, the bidder's incremental ROAS %v, caused %v: want the first two alike, the third apart", truth, b.IncrementalROAS(), b.CausedROAS())
	}
	out := Render(snap, Run{Scenario: sc.Name}, Options{})
	row := holdoutRow(out, "retarget")
	for _, w := range []string{"person", format.Count(h.TreatedPeople) + " / " + format.Count(h.ControlPeople), format.ROAS(truth)} {
		if !strings.Contains(row, w) {
			t.Errorf("retarget's holdout row %q lacks %q", row, w)
		}
	}
	if !strings.Contains(out, "unit") {
		t.Errorf("no unit column in\n%s", out)
	}
	// One truth for one bidder: no note on two (there were, before the
	// bidder's incremental figures were the truth with people).
	if strings.Contains(out, "by person, true (model)") {
		t.Errorf("a note on two truths:\n%s", out)
	}
	sc, err = scenarios.Bundled("incrementality-test")
	if err != nil {
		t.Fatal(err)
	}
	if out := Render(ranFor(t, sc, 10*sim.Second), Run{Scenario: sc.Name}, Options{}); strings.Contains(out, "people exposed") ||
		strings.Contains(out, "by person, true (model)") {
		t.Errorf("a world without people shows the unit or the note on a test by person:\n%s", out)
	}
}

// TestHoldoutTableFitsTerminal: in a terminal of 80 (not piped) the
// incrementality tests' table by person, 126 columns whole, splits as a
// piped one does, every heading kept: it ran past the width whole.
func TestHoldoutTableFitsTerminal(t *testing.T) {
	sc, _, err := scenarios.ResolveWith("incrementality-test", []scenarios.Set{
		{Path: "traffic.users", Value: "{count: 5000, skew: 1}", Flag: "--set"},
	})
	if err != nil {
		t.Fatal(err)
	}
	snap := ranFor(t, sc, 30*sim.Second)
	heads := []string{"unit", "people exposed (treated / control)", "iROAS measured (holdout)", "95% interval", "iROAS true (model)"}
	if whole := section(t, Render(snap, Run{Scenario: sc.Name}, Options{}), "Incrementality tests"); format.Width(whole[0]) <= 80 {
		t.Fatalf("the table fits 80 whole (the test would test nothing): %q", whole[0])
	}
	for _, whole := range []bool{false, true} {
		body := strings.Join(section(t, Render(snap, Run{Scenario: sc.Name}, Options{Width: 80, Whole: whole}), "Incrementality tests"), "\n")
		for _, l := range lines(body) {
			if n := format.Width(l); n > 80 {
				t.Errorf("whole %v: a line %d wide: %q", whole, n, l)
			}
		}
		for _, h := range heads {
			if !strings.Contains(body, h) {
				t.Errorf("whole %v: no %q in\n%s", whole, h, body)
			}
		}
	}
}
