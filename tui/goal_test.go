package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// goalModel is a 160×48 model on pacing-showdown with bidder asap given
// strategy (YAML), that has seen frames at at-100ms and at; it returns
// the second snapshot too.
func goalModel(t *testing.T, strategy string, at sim.Time) (*model, *fakeLink, *sim.Snapshot) {
	t.Helper()
	sc, _, err := scenarios.ResolveWith("pacing-showdown", []scenarios.Set{{Path: "bidders.asap.strategy", Value: strategy, Flag: "--set"}})
	if err != nil {
		t.Fatal(err)
	}
	eng := engineAt(t, sc, at-100*sim.Millisecond)
	first := eng.Snapshot()
	eng.RunUntil(at)
	second := eng.Snapshot()
	m, l, _ := recordingModel(t, nil, 160, 48, frameOf(sc, first, t0, 0), frameOf(sc, second, t0.Add(100*time.Millisecond), 0))
	return m, l, second
}

// appliedChanges are the live changes among cmds.
func appliedChanges(cmds []runner.Command) []sim.Change {
	var got []sim.Change
	for _, c := range cmds {
		if a, ok := c.(runner.Apply); ok {
			got = append(got, a.Change)
		}
	}
	return got
}

// TestGoalOnDashboard: a goal bidder's strategy cell shows its target,
// and with it selected the table's title shows the target beside what it
// has realised and its bid factor.
func TestGoalOnDashboard(t *testing.T) {
	m, _, second := goalModel(t, "{kind: target_cpa, cpa: 0.4}", sim.Minute)
	g := second.Bidders[0].Goal
	if g == nil || g.Realised != g.Realised {
		t.Fatalf("the goal bidder has realised nothing at 1 min: %+v", g)
	}
	v := m.View()
	// Read across the title's lines: its notes wrap.
	words := strings.Join(strings.Fields(v), " ")
	for _, want := range []string{"cpa 0.40", "asap target CPA 0.40 realised " + format.Fixed(g.Realised, 2), "bid factor " + format.Fixed(g.Multiplier, 2)} {
		if !strings.Contains(words, want) {
			t.Errorf("no %q on the dashboard:\n%s", want, v)
		}
	}
}

// TestGoalChooser: g on a goal bidder offers its goal among the
// strategies, > raises the target, and enter makes it one live change.
func TestGoalChooser(t *testing.T) {
	m, l, _ := goalModel(t, "{kind: target_cpa, cpa: 0.4}", 10*sim.Second)
	press(m, "g")
	if v := m.View(); !strings.Contains(v, "6 cpa 0.40") || !strings.Contains(v, "▸6 cpa 0.40") {
		t.Fatalf("the chooser does not offer the goal, highlighted:\n%s", v)
	}
	press(m, ">")
	press(m, "enter")
	got := appliedChanges(l.cmds())
	want := sim.SetStrategy{Bidder: "asap", Strategy: sim.Strategy{Kind: sim.TargetCPA, CPA: sim.MoneyOf(0.41)}}
	if len(got) != 1 || got[0] != want {
		t.Errorf("changes sent %v, want %v", got, want)
	}
}

// TestGoalStepKeys: < and > on a goal bidder's row step its target, one
// live change each.
func TestGoalStepKeys(t *testing.T) {
	m, l, _ := goalModel(t, "{kind: target_roas, roas: 2, on: incremental}", 10*sim.Second)
	press(m, "<")
	got := appliedChanges(l.cmds())
	want := sim.SetStrategy{Bidder: "asap", Strategy: sim.Strategy{Kind: sim.TargetROAS, ROAS: 1.95, On: sim.OnIncremental}}
	if len(got) != 1 || got[0] != want {
		t.Errorf("changes sent %v, want %v", got, want)
	}
}
