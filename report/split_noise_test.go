package report

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim/experiment"
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

// TestSplitKeptAdvice: a search that kept the current split leaves out
// the comparison table (every row would read 0 ± 0, the same split on the
// same replications) and says why, and for the move it could not tell
// suggests the one compare that settles it (that move against staying,
// its replications, and its time at the search's own cost of a run),
// not the whole search again at that many replications. 40 runs, 8 of
// them half ones, took 72 s on 2 workers: 36 whole runs, 4 s each; 9
// replications are 18 runs, 9 waves of 2, about 36 s.
func TestSplitKeptAdvice(t *testing.T) {
	same := map[string]float64{"a": 50, "b": 50}
	zero := experiment.ComparedMetric{Baseline: stats.Of(10, 1, 4), Variant: stats.Of(10, 1, 4), Diff: stats.Of(0, 0, 4)}
	r := &split.Result{Group: "acme", Objective: "attributed_value", Metric: "groups.acme.eventual.attributed_value",
		Members: []string{"a", "b"}, Steps: []float64{20, 10, 5},
		Current:     split.Side{Budgets: same, Objective: stats.Of(10, 1, 4), Set: []string{"bidders.a.budget.total=50", "bidders.b.budget.total=50"}},
		Recommended: split.Side{Budgets: maps.Clone(same), Objective: stats.Of(10, 1, 4), Set: []string{"bidders.a.budget.total=50", "bidders.b.budget.total=50"}},
		Diff:        stats.Of(0, 0, 4), Rounds: 5, Runs: 40, HalfRuns: 8,
		MetricOrder: []string{"groups.acme.spend"}, Metrics: map[string]experiment.ComparedMetric{"groups.acme.spend": zero},
		Undecided: &split.Undecided{From: "a", To: "b", Amount: 5, Diff: stats.Of(1.5, 2, 4), RepsNeeded: 9}}
	out := SplitTableAdvised(r, 4, 5, 0, SplitAdvice{Scenario: "budget-split", Elapsed: 72 * time.Second, Workers: 2})
	for _, want := range []string{
		"(no table of current against recommended: they are the same split, every difference 0)",
		"about 9 paired replications would tell: that move alone against staying (about 36 s: 18 runs at 4.0 s each on 2 workers",
		"    auctionsim compare budget-split --move a:b=5 --metric groups.acme.eventual.attributed_value --reps 9\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	for _, not := range []string{"groups.acme.spend", "(--reps 9)", "baseline"} {
		if strings.Contains(out, not) {
			t.Errorf("%q in\n%s", not, out)
		}
	}
	// A recommendation that moved: the compare starts from it (its --set
	// flags), the table kept; no time known, none told.
	r.Recommended.Budgets = map[string]float64{"a": 40, "b": 60}
	r.Recommended.Set = []string{"bidders.a.budget.total=40", "bidders.b.budget.total=60"}
	out = SplitTableAdvised(r, 4, 5, 0, SplitAdvice{Scenario: "budget-split"})
	if !strings.Contains(out, "auctionsim compare budget-split --set bidders.a.budget.total=40 --set bidders.b.budget.total=60 --move a:b=5") ||
		!strings.Contains(out, "groups.acme.spend") || strings.Contains(out, "no table of") || strings.Contains(out, " runs at ") {
		t.Errorf("a moved recommendation:\n%s", out)
	}
}

// TestSplitCurveAllEqual: a curve point whose replications all gave the
// same figure (three seeds really gave 421) reads "421.00 (3 alike)",
// not "421.00 ± 0.00", which reads as certainty; a marginal the same in
// every replication says it has no interval rather than ± 0.000; and the
// curves of fewer than 6 replications say what their intervals assume.
func TestSplitCurveAllEqual(t *testing.T) {
	same := map[string]float64{"a": 50, "b": 50}
	mi := stats.Of(0.8, 0, 3)
	r := &split.Result{Group: "acme", Objective: "incremental_value", Members: []string{"a", "b"}, Steps: []float64{5},
		Current:     split.Side{Budgets: same, Objective: stats.Of(421, 0, 3)},
		Recommended: split.Side{Budgets: maps.Clone(same), Objective: stats.Of(421, 0, 3)},
		Diff:        stats.Of(0, 0, 3), Runs: 10, CurveReps: 3,
		Curves: []split.Curve{{Member: "a", MarginalAtRecommended: &mi.Mean, MarginalInterval: &mi, Points: []split.CurvePoint{
			{Budget: 0, Objective: stats.Of(300, 10, 3), VsRecommended: stats.Of(-121, 10, 3)},
			{Budget: 50, Objective: stats.Of(421, 0, 3), Recommended: true, VsRecommended: stats.Of(0, 0, 3)},
			{Budget: 100, Objective: stats.Of(400, 5, 3), VsRecommended: stats.Of(-21, 5, 3)},
		}}}}
	out := SplitTable(r, 3, 5)
	for _, want := range []string{
		"  50.00       421.00 (3 alike)          –                 – *\n",
		"  incremental_value   421.00 (3 alike)   421.00 (3 alike)\n",
		"marginal at the recommendation (central difference) 0.800 (the same in all 3 replications: too few to give an interval)",
		"an interval from 3 replications is honest only for near-normal noise",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "421.00 ± 0.00") || strings.Contains(out, "± 0.000") {
		t.Errorf("a zero-wide interval over 3 replications shown as certain:\n%s", out)
	}
	// Over 6 replications all equal is evidence (a sign test's): no caveat.
	r.CurveReps = 6
	if out := SplitTable(r, 6, 5); strings.Contains(out, "honest only for near-normal") {
		t.Errorf("the caveat at 6 replications a point:\n%s", out)
	}
}

// TestSplitAdviceKeepsHorizon: the compare printed for a move split could
// not tell carries split's --duration (or --auctions): its --move amount
// is in the scenario's own amounts, which that --duration scales back, and
// its time is at the search's shortened runs; pasted alone it asked
// another question of whole runs, at many times the time told. Split's
// own --set flags likewise (the reminder to add them is gone where the
// command carries them).
func TestSplitAdviceKeepsHorizon(t *testing.T) {
	same := map[string]float64{"a": 5, "b": 5}
	r := &split.Result{Group: "acme", Objective: "incremental_value", Metric: "groups.acme.eventual.incremental_value",
		Members: []string{"a", "b"}, Steps: []float64{1}, SetScale: 0.1,
		Current:     split.Side{Budgets: same, Objective: stats.Of(10, 1, 4)},
		Recommended: split.Side{Budgets: maps.Clone(same), Objective: stats.Of(10, 1, 4)},
		Diff:        stats.Of(0, 0, 4), Rounds: 3, Runs: 40,
		Undecided: &split.Undecided{From: "a", To: "b", Amount: 0.5, Diff: stats.Of(1.5, 2, 4), RepsNeeded: 9}}
	out := SplitTableAdvised(r, 4, 1, 0, SplitAdvice{Scenario: "budget-split", Horizon: "--duration 1m0s", Sets: "--set exchange.floor=0.2"})
	for _, want := range []string{
		"with compare:\n",
		// split's own --set flags too: they change both sides alike.
		"    auctionsim compare budget-split --set exchange.floor=0.2 --move a:b=5 --duration 1m0s --reps 9\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	// Whole runs and no --set: nothing to add, nor to remind of.
	out = SplitTableAdvised(r, 4, 1, 0, SplitAdvice{Scenario: "budget-split"})
	if strings.Contains(out, "(add this split's") || !strings.Contains(out, "auctionsim compare budget-split --move a:b=5 --reps 9\n") {
		t.Errorf("whole runs:\n%s", out)
	}
	// A caller that does not say how split ran: the reminder.
	out = SplitTableAdvised(r, 4, 1, 0, SplitAdvice{})
	if !strings.Contains(out, "(add this split's --set and --duration, if any)") || !strings.Contains(out, "auctionsim compare NAME --move a:b=5 --reps 9\n") {
		t.Errorf("no advice:\n%s", out)
	}
}

// TestHighestAlikeNamesNoInterval: sweep's next-highest difference whose
// few replications all agreed names no 95% interval, which it has not.
func TestHighestAlikeNamesNoInterval(t *testing.T) {
	out := highestLines("exchange.revenue", "at x=1", "at x=2", stats.Of(3, 0, 3), FormatNum)
	if !strings.Contains(out, " lower (3 alike, paired): ") || strings.Contains(out, "95%") {
		t.Errorf("alike: %q", out)
	}
	out = highestLines("exchange.revenue", "at x=1", "at x=2", stats.Of(3, 1, 10), FormatNum)
	if !strings.Contains(out, " lower (95%, paired, 10 replications): ") {
		t.Errorf("an interval: %q", out)
	}
}
