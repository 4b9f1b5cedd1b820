package experiment_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// benchPoint is timeout-demo stopped after auctions.
func benchPoint(tb testing.TB, auctions uint64) experiment.Point {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		tb.Fatal(err)
	}
	sc, err = sc.WithStop(scenarios.Stop{Auctions: auctions})
	if err != nil {
		tb.Fatal(err)
	}
	return experiment.Point{Name: sc.Name, Config: sc.Config, Stop: sc.Stop}
}

// repAuctions is one benchmarked replication: 100 000 auctions of
// timeout-demo.
const repAuctions = 100_000

// BenchmarkReplicationBare is the engine alone for one replication: New
// and RunAuctions. The baseline of BenchmarkReplication.
func BenchmarkReplicationBare(b *testing.B) {
	p := benchPoint(b, repAuctions)
	seed := uint64(0)
	for b.Loop() {
		seed++
		cfg := p.Config
		cfg.Seed = experiment.Seed(7, int(seed))
		eng, err := sim.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		eng.RunAuctions(repAuctions)
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/rep")
}

// BenchmarkReplication is one replication as the experiment commands run
// it (Measure): the seeded configuration, the engine in slices of events
// with Ctrl-C checks, the snapshot, the metric catalogue read, and the
// aggregation. Its overhead over BenchmarkReplicationBare is the
// per-replication overhead.
func BenchmarkReplication(b *testing.B) {
	p := benchPoint(b, repAuctions)
	agg := experiment.NewAgg(1, false)
	rep := 0
	for b.Loop() {
		vals, err := experiment.Measure(context.Background(), p, experiment.Seed(7, rep))
		if err != nil {
			b.Fatal(err)
		}
		agg.Add(experiment.Item{Index: rep, Rep: rep, Values: vals})
		rep++
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/rep")
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkReplicationsWorkers runs 8 replications of 100 000 auctions
// with 1 and 2 workers: the speed-up from parallel replications.
func BenchmarkReplicationsWorkers(b *testing.B) {
	p := benchPoint(b, repAuctions)
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			const reps = 8
			cpu0 := cpuTime()
			for b.Loop() {
				e := &experiment.Experiment{Points: 1, Seed: 7, Workers: w,
					Run: func(ctx context.Context, _ int, seed uint64) (experiment.Values, error) {
						return experiment.Measure(ctx, p, seed)
					}}
				if _, err := e.Replicate(context.Background(), reps); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(reps*float64(b.N)/b.Elapsed().Seconds(), "reps/s")
			// CPU time per replication: on a loaded machine wall time says
			// little about scaling, but a second worker that costs no more
			// CPU per replication scales on an idle one.
			b.ReportMetric((cpuTime()-cpu0).Seconds()*1e3/(reps*float64(b.N)), "cpu-ms/rep")
		})
	}
}

// BenchmarkReplicationOverhead is what a replication costs beyond the
// engine's run, measured alone because a shared machine's noise on a
// 100 000-auction run is larger than the overhead: the snapshot, the
// metric catalogue read (sim.MetricValues), and the aggregation.
func BenchmarkReplicationOverhead(b *testing.B) {
	p := benchPoint(b, repAuctions)
	eng, err := sim.New(p.Config)
	if err != nil {
		b.Fatal(err)
	}
	eng.RunAuctions(repAuctions)
	agg := experiment.NewAgg(1, false)
	rep := 0
	b.ReportAllocs()
	for b.Loop() {
		vals := sim.MetricValues(eng.Snapshot())
		agg.Add(experiment.Item{Index: rep, Rep: rep, Values: vals})
		rep++
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e6/float64(b.N), "µs/rep")
}
