package report

import (
	"maps"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment/split"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// TestSplitTableSaysWithinNoise: a search that kept the current split
// because its best move's gain was within noise says so, not that no
// move beat staying, and points at the interval it prints; the rounds
// that raced a move made larger are counted in the search's line.
func TestSplitTableSaysWithinNoise(t *testing.T) {
	same := map[string]float64{"a": 50, "b": 50}
	r := &split.Result{Group: "acme", Objective: "incremental_value", Members: []string{"a", "b"}, Steps: []float64{20, 10, 5},
		Current:     split.Side{Budgets: same, Objective: stats.Of(10, 1, 4)},
		Recommended: split.Side{Budgets: maps.Clone(same), Objective: stats.Of(10, 1, 4)},
		Diff:        stats.Of(0, 0, 4), Rounds: 5, LargerRounds: 2, Runs: 40,
		Undecided: &split.Undecided{From: "a", To: "b", Amount: 5, Diff: stats.Of(1.5, 2, 4), RepsNeeded: 9}}
	out := SplitTable(r, 4, 5)
	for _, want := range []string{
		"the search kept the current split: its best move's gain was within noise (Could not tell, below)\n",
		"  Could not tell: moving 5.00 from a to b changes incremental_value by\n  +1.50 ± 3.18",
		"; 5 rounds (2 of them a move made larger,\nwhere a round's best was within noise), 40 runs",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "no move it raced beat staying") {
		t.Errorf("says no move beat staying, where it could not tell:\n%s", out)
	}
	// On a terminal the prose joins the lines and wraps them.
	out = SplitTableWidth(r, 4, 5, 100)
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "; 5 rounds (2 of them a move made larger, where a round's best was within noise), 40 runs") {
		t.Errorf("on a terminal:\n%s", out)
	}
}
