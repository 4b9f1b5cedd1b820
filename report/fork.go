package report

import (
	"encoding/json"
	"io"

	"github.com/auctionsim/auctionsim/sim"
)

// Fork is the export of a forked dashboard run (the `e` key while forked):
// the baseline A and the variant B as two summaries, and the paired
// differences B − A since the fork, with the keys of compare's JSON.
type Fork struct {
	Baseline Summary `json:"baseline"`
	Variant  Summary `json:"variant"`
	// ForkSeconds is when the fork was made, IntervalSeconds the length
	// of the paired intervals, Intervals how many were compared.
	ForkSeconds     float64               `json:"fork_seconds"`
	IntervalSeconds float64               `json:"interval_seconds"`
	Intervals       int                   `json:"intervals"`
	Metrics         map[string]ForkMetric `json:"metrics"`
	// BatchSeconds is the shortest batch of intervals (sim.Fork.Batch):
	// the world's memory, so that no difference has an interval before
	// fork_seconds + 2 × batch_seconds. Added after the fields above.
	BatchSeconds float64 `json:"batch_seconds"`
}

// ForkMetric is one metric's comparison since the fork: what A and B each
// added, and the difference B − A with the 95% interval from the paired
// per-interval differences (batch means, Student t), scaled to the
// intervals compared. The interval is null until there are two batches.
type ForkMetric struct {
	Baseline float64  `json:"baseline"`
	Variant  float64  `json:"variant"`
	Diff     ForkStat `json:"diff"`
	// Verdict is "B higher", "B lower", "not distinguishable yet" ("not
	// distinguishable" once the run has ended), or "identical so far"
	// ("identical") where B − A has been 0 in every interval: see
	// ForkVerdict. The dashboard's export also says "no interval" where
	// none will come (a learner; batches that end after the stop) and
	// there is none, as its panel does.
	Verdict string `json:"verdict"`
}

// ForkStat is a difference as {"mean", "sd", "n", "lo", "hi"}, the shape of
// every experiment's statistic, and as coherent: lo and hi are mean ±
// t(0.975, n−1)·sd/√n. n counts the batches the interval is from (at most
// 20, batch means), sd is the standard deviation of what each batch
// implies for the whole difference (its mean per interval × the
// intervals; for a ratio, its own ratio difference), and mean is the
// difference since the fork. (n once counted the intervals and sd was
// per interval: with n of 604,800 and a t of 1.96 the figures gave an
// interval some 10⁸ times narrower than lo and hi; the intervals are the
// export's "intervals".)
type ForkStat struct {
	Mean float64 `json:"mean"`
	SD   Num     `json:"sd"`
	N    int     `json:"n"`
	Lo   Num     `json:"lo"`
	Hi   Num     `json:"hi"`
}

// NewFork builds the export from the two snapshots (at the same instant)
// and the differences; ended says the run has ended (see ForkVerdict).
func NewFork(a, b *sim.Snapshot, at, every sim.Time, diffs []sim.Difference, ended bool, meta Meta) Fork {
	out := Fork{
		Baseline:        NewSummary(a, meta),
		Variant:         NewSummary(b, meta),
		ForkSeconds:     at.Seconds(),
		IntervalSeconds: every.Seconds(),
		Metrics:         map[string]ForkMetric{},
	}
	for _, d := range diffs {
		tot := d.Total()
		out.Intervals = max(out.Intervals, d.N)
		// A batch's mean per interval stands for the whole difference
		// times the intervals, as Total scales the half-width.
		sd := d.SD
		if !d.Ratio {
			sd *= float64(d.N)
		}
		out.Metrics[d.Name] = ForkMetric{
			Baseline: d.A, Variant: d.B,
			Diff:    ForkStat{Mean: tot.Mean, SD: num(sd), N: d.Batches, Lo: num(tot.Lo), Hi: num(tot.Hi)},
			Verdict: ForkVerdict(d, ended),
		}
	}
	return out
}

// ForkVerdict is d's verdict as the dashboard shows it: sim's, except
// that once the run has ended no interval is still to come, so an
// undecided difference is "not distinguishable", without sim's "yet";
// and a difference that has been 0 in every interval (sim.Difference.
// Identical), whose interval is [0, 0] with an SD of 0 for want of any
// difference rather than by measurement, is "identical so far"
// ("identical" once the run has ended).
func ForkVerdict(d sim.Difference, ended bool) string {
	switch {
	case d.Identical && ended:
		return "identical"
	case d.Identical:
		return "identical so far"
	case ended && !d.Distinguishable():
		return "not distinguishable"
	}
	return d.Verdict()
}

// WriteFork writes a fork's export as indented JSON.
func WriteFork(w io.Writer, f Fork) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}
