package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
		func(i int) sim.Change { return sim.SetFloor{Floor: sim.PriceOf(float64(i%7) / 100)} },
		func(i int) sim.Change { return sim.SetTmax{Tmax: sim.Time(80+i%50) * sim.Millisecond} },
		func(i int) sim.Change { return sim.SetIncrement{Increment: sim.PriceOf(float64(i%3) / 100)} },
		func(i int) sim.Change { return sim.SetQPS{QPS: float64(500 + i%500)} },
		func(i int) sim.Change {
			return sim.SetLatency{Bidder: "metro", Latency: sim.LogNormalMedianP99(float64(30+i%20)*ms, 110*ms)}
		},
		func(i int) sim.Change {
			return sim.SetStrategy{Bidder: "prairie", Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.5 + float64(i%5)/10}}
		},
		func(i int) sim.Change {
			return sim.SetBudget{Bidder: "harbor", Total: sim.MoneyOf(float64(100 + i%50))}
		},
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
				r, err := ReadReplayContext(context.Background(), bytes.NewReader(raw))
				if err != nil || len(r.Changes) != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/change")
		})
	}
}

// doneAfter is a context that is done from its nth look on.
type doneAfter struct {
	context.Context
	n, looks int
}

func (c *doneAfter) Err() error {
	c.looks++
	if c.looks >= c.n {
		return context.Canceled
	}
	return nil
}

// TestReadReplayContext: a replay is given up, with the context's error,
// whenever the context is done: while the file is read or while its
// change log is decoded; and read in full when it never is.
func TestReadReplayContext(t *testing.T) {
	const n = 2000 // eight looks while decoding
	raw := longReplay(t, n)
	r, err := ReadReplayContext(context.Background(), bytes.NewReader(raw))
	if err != nil || len(r.Changes) != n {
		t.Fatalf("read %v, %v; want %d changes", r, err, n)
	}
	// The changes read back are the ones written, kind for kind.
	if c := r.Changes[n-1]; c.Event != n-1 || c.Change.Kind() != sim.KindEnabled {
		t.Errorf("the last change read back as %+v", c)
	}
	phases := map[string]int{}
	for k := 1; ; k++ {
		ctx := &doneAfter{Context: context.Background(), n: k}
		r, err := ReadReplayContext(ctx, bytes.NewReader(raw))
		if err == nil {
			if len(r.Changes) != n {
				t.Fatalf("%d changes read, want %d", len(r.Changes), n)
			}
			if k < 3 {
				t.Fatalf("done at look %d, yet read in full", k)
			}
			break
		}
		if !errors.Is(err, context.Canceled) || r != nil {
			t.Fatalf("done at look %d: %v, %v; want context.Canceled and nothing", k, r, err)
		}
		if strings.Contains(err.Error(), "change log") {
			phases["decoding"]++
		} else {
			phases["reading"]++
		}
	}
	// Checked every checkEvery entries while decoding, and once per read.
	if phases["reading"] < 2 || phases["decoding"] < n/checkEvery {
		t.Errorf("given up %v times: too few looks at the context", phases)
	}
}
