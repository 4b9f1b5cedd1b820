package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// longReplay is an export of timeout-demo whose change log has n
// assignments, cycling through the exchange's and a bidder's canonical
// fields, as a long interactive session makes them.
func longReplay(tb testing.TB, n int) []byte {
	tb.Helper()
	src, err := scenarios.Source("timeout-demo")
	if err != nil {
		tb.Fatal(err)
	}
	ms := float64(sim.Millisecond)
	cycle := []func(i int) sim.Change{
		func(i int) sim.Change { return sim.SetFloor{Floor: float64(i%7) / 100} },
		func(i int) sim.Change { return sim.SetTmax{Tmax: sim.Time(80+i%50) * sim.Millisecond} },
		func(i int) sim.Change { return sim.SetIncrement{Increment: float64(i%3) / 100} },
		func(i int) sim.Change { return sim.SetQPS{QPS: float64(500 + i%500)} },
		func(i int) sim.Change {
			return sim.SetLatency{Bidder: "metro", Latency: sim.LogNormalMedianP99(float64(30+i%20)*ms, 110*ms)}
		},
		func(i int) sim.Change {
			return sim.SetStrategy{Bidder: "prairie", Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.5 + float64(i%5)/10}}
		},
		func(i int) sim.Change { return sim.SetBudget{Bidder: "harbor", Total: float64(100 + i%50)} },
		func(i int) sim.Change { return sim.SetEnabled{Bidder: "tail", Enabled: i%2 == 0} },
	}
	entries := make([]Change, n)
	for i := range n {
		entries[i] = newChange(sim.AppliedChange{At: sim.Time(i) * sim.Millisecond, Event: uint64(i), Change: cycle[i%len(cycle)](i)})
	}
	raw, err := json.Marshal(map[string]any{
		"changes": entries,
		"replay":  Replay{Version: ReplayVersion, ScenarioYAML: string(src), VirtualNS: int64(time.Hour), Events: 1 << 40},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// BenchmarkReadReplay reads exports with long change logs back.
func BenchmarkReadReplay(b *testing.B) {
	for _, n := range []int{1000, 200_000} {
		raw := longReplay(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				r, err := ReadReplay(bytes.NewReader(raw))
				if err != nil || len(r.Changes) != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/change")
		})
	}
}
