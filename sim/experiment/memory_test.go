package experiment

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
)

// bigWorld is a world of many bidders at a high rate, whose engines are
// large (tens of MB each) however short the run.
func bigWorld(t *testing.T, bidders int) Point {
	t.Helper()
	var b strings.Builder
	b.WriteString("name: big\nseed: 1\nstop: {auctions: 10}\ntraffic: {qps: 1000000}\n")
	b.WriteString("exchange: {auction: second-price, tmax: 5ms, floor: 0.1}\nbidders:\n")
	b.WriteString("  - {name: b0, latency: &l {dist: constant, value: 2ms}, value: &v {dist: uniform, min: 0.5, max: 4}}\n")
	for i := 1; i < bidders; i++ {
		fmt.Fprintf(&b, "  - {name: b%d, latency: *l, value: *v}\n", i)
	}
	sc, err := scenarios.Parse("big.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return Point{Name: sc.Name, Config: sc.Config, Stop: sc.Stop}
}

// TestWorkersWithinTheBudget runs a large world with 100,000 workers
// asked for and checks that the heap, sampled throughout, stays within the
// experiment's memory budget: the workers are capped at what the budget
// allows, not one engine per replication at once.
func TestWorkersWithinTheBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): workers at the memory budget, ~13 s under -race")
	}
	pt := bigWorld(t, 100)
	budget := 3 * EngineBytes(pt)
	job := &Job{Spec: &Spec{Command: "run", Seed: 1, Reps: 24}, Points: []Point{pt}, Workers: 100_000, Budget: budget}
	if w, capped, why := job.Cap(); w != min(3, WorkersPerCPU*runtime.GOMAXPROCS(0)) || !capped || why == "" {
		t.Errorf("Cap() = %d, %v, %q; want 3 workers, capped", w, capped, why)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	res, err := Replicate(context.Background(), job)
	close(done)
	<-sampled
	if err != nil {
		t.Fatal(err)
	}
	if res.Agg.Reps() != 24 {
		t.Errorf("%d replications, want 24", res.Agg.Reps())
	}
	used := float64(peak.Load()) - float64(base)
	t.Logf("peak heap %.0f MB over the start; budget %.0f MB (3 engines of about %.0f MB)", used/1e6, budget/1e6, EngineBytes(pt)/1e6)
	// HeapAlloc counts garbage not yet collected too: with GOGC at 100 a
	// heap of live engines within the budget may read up to twice it
	// before a collection, more so when a busy machine delays the
	// collector. Uncapped, 24 engines at once would be 8 budgets: twice
	// still tells the two apart.
	if used > 2*budget {
		t.Errorf("the heap grew by %.0f MB, over twice the budget of %.0f MB", used/1e6, budget/1e6)
	}
}

// TestMaxWorkers checks the two caps: memory (the largest point counts)
// and CPUs, and that at least one worker always runs.
func TestMaxWorkers(t *testing.T) {
	small, big := bigWorld(t, 2), bigWorld(t, 50)
	e := EngineBytes(big)
	if EngineBytes(small) >= e {
		t.Fatalf("EngineBytes: %g for 2 bidders, %g for 50", EngineBytes(small), e)
	}
	for _, c := range []struct {
		points []Point
		budget float64
		procs  int
		want   int
		why    string
	}{
		{[]Point{small, big}, 5.5 * e, 64, 5, "together at most"},
		{[]Point{small}, 1e12, 3, 12, "per CPU"},
		{[]Point{big}, e / 2, 8, 1, "together at most"},
	} {
		n, why := MaxWorkers(c.points, c.budget, c.procs)
		if n != c.want || !strings.Contains(why, c.why) {
			t.Errorf("MaxWorkers(budget %g, procs %d) = %d, %q; want %d, %q", c.budget, c.procs, n, why, c.want, c.why)
		}
	}
}
