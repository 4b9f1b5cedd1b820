package experiment

import (
	"context"
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkMemoryFlat runs experiments of 1 000 and 100 000 replications of
// a replication with 200 metrics and reports the heap still in use after
// each (with the aggregate alive): streaming aggregation keeps it the same
// whatever the number of replications.
func BenchmarkMemoryFlat(b *testing.B) {
	names := make([]string, 200)
	for i := range names {
		names[i] = fmt.Sprintf("metric.%03d", i)
	}
	run := func(_ context.Context, point int, seed uint64) (Values, error) {
		v := make(Values, len(names))
		for i, n := range names {
			v[n] = float64(seed>>40) + float64(i)
		}
		return v, nil
	}
	for _, reps := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("reps=%d", reps), func(b *testing.B) {
			var heap uint64
			for b.Loop() {
				e := &Experiment{Points: 2, Seed: 1, Workers: 2, Run: run, Paired: true}
				agg, err := e.Replicate(context.Background(), reps)
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap = ms.HeapInuse
				runtime.KeepAlive(agg)
			}
			b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
		})
	}
}
