package report

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
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
	if rev["baseline"] != 10.0 || rev["variant"] != 12.0 || d["mean"] != 2.0 || d["n"] != 40.0 ||
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
