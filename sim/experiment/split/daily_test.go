package split_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// dailyYAML is a group with two line items on daily budgets alone (no
// total cap) and two with totals, one of them beside a daily budget.
const dailyYAML = `name: daily-group
stop: {duration: 48h}
traffic: {qps: 1}
exchange: {tmax: 100ms}
bidders:
  - {name: d1, group: g, value: 1, budget: {daily: 30, pacing: multiplier}}
  - {name: d2, group: g, value: 1, budget: {daily: 20}}
  - {name: t1, group: h, value: 1, budget: {total: 100}}
  - {name: t2, group: h, value: 1, budget: {total: 50, daily: 40}}
  - {name: d3, group: h, value: 1, budget: {daily: 10}}
`

// TestDailyAloneIsNoTotal: a daily budget alone has no total cap (sim's
// Total 0), so neither a move nor a split may treat it as a total of 0:
// a move to it would cap its spend at the amount moved, and a split's
// curves would price budgets it never had. Both refuse it, saying why;
// a bidder with a total beside its daily budget moves and splits as any.
func TestDailyAloneIsNoTotal(t *testing.T) {
	sc, err := scenarios.Parse("daily.yaml", []byte(dailyYAML))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"t1:d3=10", "d1:d2=5", "d3:t1=1"} {
		m, err := split.ParseMove(text)
		if err != nil {
			t.Fatal(err)
		}
		got, err := split.MoveChanges(sc.Config, []split.Move{m})
		if err == nil || !strings.HasPrefix(err.Error(), text+": ") || !strings.Contains(err.Error(), "a daily budget alone") ||
			!strings.Contains(err.Error(), "budget.daily=") {
			t.Errorf("move %s: %v %v, want it refused as a daily budget alone", text, got, err)
		}
	}
	m, _ := split.ParseMove("t1:t2=10")
	if got, err := split.MoveChanges(sc.Config, []split.Move{m}); err != nil ||
		!slices.Equal(got[1][:], []string{"bidders.t2.budget.total", "60"}) {
		t.Errorf("move to a total beside a daily budget: %v %v", got, err)
	}

	// All of a total beside a daily budget moved: a budget of 0, not no
	// total cap (which a total of 0 beside daily is).
	m, _ = split.ParseMove("t2:t1=50")
	if got, err := split.MoveChanges(sc.Config, []split.Move{m}); err != nil ||
		!slices.Equal(got[0][:], []string{"bidders.t2.budget", "{total: 0}"}) {
		t.Errorf("all of t2 moved: %v %v", got, err)
	} else {
		sets := []scenarios.Set{{Path: got[0][0], Value: got[0][1], Flag: "--move"}, {Path: got[1][0], Value: got[1][1], Flag: "--move"}}
		moved, _, err := scenarios.ParseWith("daily.yaml", []byte(dailyYAML), sets)
		if err != nil {
			t.Fatal(err)
		}
		if b := moved.Config.Bidders[3].Budget; b.Total != 0 || b.Daily != 0 {
			t.Errorf("t2 with all of its total moved: %+v, want a budget of 0", b)
		}
	}

	if _, err := split.New(pointOf(sc), "g", "incremental_value"); err == nil ||
		!strings.Contains(err.Error(), "d1, d2: a daily budget alone") {
		t.Errorf("split of daily budgets alone: %v, want it refused", err)
	}
	s, err := split.New(pointOf(sc), "h", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Members, []string{"t1", "t2"}) {
		t.Errorf("split of h: members %v, want t1 and t2 (d3 has no total)", s.Members)
	}
}
