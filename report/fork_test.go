package report

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// TestForkExport: a fork's export has both summaries and, per metric, A,
// B, the difference with its interval (null until it has two batches)
// and the verdict.
func TestForkExport(t *testing.T) {
	a := snapshot(t)
	diffs := []sim.Difference{
		{Name: "exchange.revenue", A: 10, B: 12, Delta: 2, BatchMean: sim.BatchMean{N: 40, Batches: 20, Mean: 0.05, SD: 0.01, Lo: 0.04, Hi: 0.06}},
		{Name: "bidders.x.wins", A: 3, B: 3, Delta: 0, BatchMean: sim.BatchMean{N: 1, Mean: math.NaN(), SD: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}},
	}
	f := NewFork(a, a, 2*sim.Second, sim.Second, diffs, false, Meta{Scenario: "s"})
	var buf bytes.Buffer
	if err := WriteFork(&buf, f); err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"baseline", "variant", "metrics", "fork_seconds", "interval_seconds", "intervals"} {
		if _, ok := out[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	m := out["metrics"].(map[string]any)
	rev := m["exchange.revenue"].(map[string]any)
	d := rev["diff"].(map[string]any)
	if rev["baseline"] != 10.0 || rev["variant"] != 12.0 || d["mean"] != 2.0 || d["n"] != 20.0 || math.Abs(d["sd"].(float64)-0.4) > 1e-12 ||
		math.Abs(d["lo"].(float64)-1.6) > 1e-9 || math.Abs(d["hi"].(float64)-2.4) > 1e-9 || rev["verdict"] != "B higher" {
		t.Errorf("exchange.revenue: %v", rev)
	}
	w := m["bidders.x.wins"].(map[string]any)["diff"].(map[string]any)
	if w["lo"] != nil || w["hi"] != nil || w["sd"] != nil {
		t.Errorf("an interval without two batches: %v", w)
	}
	if out["intervals"] != 40.0 || out["fork_seconds"] != 2.0 {
		t.Errorf("intervals %v, fork at %v", out["intervals"], out["fork_seconds"])
	}
}

// TestForkStatCoherent: each difference of a fork's export is a statistic
// as every experiment writes one: lo and hi are mean ± t(0.975, n−1)·sd/√n
// for its own n and sd. n counted the intervals (hundreds here, 604,800 in
// a week) and sd was per interval, so the three gave an interval far
// narrower than lo and hi, on a t of 1.96 rather than the batches'.
func TestForkStatCoherent(t *testing.T) {
	eng, err := sim.New(sim.Config{
		Name: "fork-stat", Seed: 5, Traffic: sim.Traffic{QPS: 200},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond, Floor: sim.PriceOf(0.1)},
		Horizon:  200 * sim.Second,
		Bidders: []sim.BidderConfig{
			{Name: "a", Group: "g", Value: sim.Uniform(0.5, 3), Budget: &sim.Budget{Total: sim.MoneyOf(20), Pacing: sim.PacingMultiplier},
				Outcome: &sim.Outcome{CTR: 0.05, CVR: 0.2, OrderValue: sim.MoneyOf(2), BaselineCVR: 0.01}},
			{Name: "b", Group: "g", Value: sim.Uniform(0.5, 4), Budget: &sim.Budget{Total: sim.MoneyOf(20), Pacing: sim.PacingMultiplier},
				Outcome: &sim.Outcome{CTR: 0.03, CVR: 0.2, OrderValue: sim.MoneyOf(2), BaselineCVR: 0.02}},
			{Name: "r", Value: sim.Uniform(0, 3)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	f := sim.NewFork(eng, sim.Second, nil)
	if err := f.Apply(sim.MoveBudget{From: "a", To: "b", Amount: sim.MoneyOf(8)}); err != nil {
		t.Fatal(err)
	}
	f.RunUntil(150 * sim.Second)
	ex := NewFork(f.A.Snapshot(), f.B.Snapshot(), 0, sim.Second, f.Differences(), false, Meta{Scenario: "fork-stat"})
	checked := 0
	for name, m := range ex.Metrics {
		d := m.Diff
		if !d.Lo.Valid() || !d.SD.Valid() {
			continue
		}
		if d.N < 2 || d.N > 20 {
			t.Errorf("%s: n %d, want the batches (2 to 20)", name, d.N)
			continue
		}
		half := stats.TQuantile(0.975, float64(d.N-1)) * float64(d.SD) / math.Sqrt(float64(d.N))
		tol := 1e-9 * math.Max(1, math.Abs(half))
		if math.Abs(float64(d.Lo)-(d.Mean-half)) > tol || math.Abs(float64(d.Hi)-(d.Mean+half)) > tol {
			t.Errorf("%s: {mean %g, sd %g, n %d} gives ±%g, but lo %g, hi %g", name, d.Mean, float64(d.SD), d.N, half, float64(d.Lo), float64(d.Hi))
		}
		checked++
	}
	if checked < 10 || ex.Intervals != 150 {
		t.Errorf("%d metrics checked over %d intervals", checked, ex.Intervals)
	}
}

// TestForkVerdictIdentical: a difference that has been 0 in every interval
// is "identical so far" ("identical" once the run has ended), not "not
// distinguishable yet" over an interval [0, 0] it never measured; one that
// differed once keeps sim's verdict.
func TestForkVerdictIdentical(t *testing.T) {
	zero := sim.BatchMean{N: 40, Batches: 5, Mean: 0, SD: 0, Lo: 0, Hi: 0}
	same := sim.Difference{Name: "bidders.x.wins", Identical: true, BatchMean: zero}
	netZero := sim.Difference{Name: "bidders.x.wins", BatchMean: zero}
	for _, c := range []struct {
		d     sim.Difference
		ended bool
		want  string
	}{
		{same, false, "identical so far"},
		{same, true, "identical"},
		{netZero, false, "not distinguishable yet"},
		{netZero, true, "not distinguishable"},
	} {
		if got := ForkVerdict(c.d, c.ended); got != c.want {
			t.Errorf("identical %v, ended %v: %q, want %q", c.d.Identical, c.ended, got, c.want)
		}
	}
}
