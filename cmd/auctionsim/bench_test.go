package main

import (
	"context"
	"io"
	"testing"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// benchAuctions is the size of one benchmarked run of timeout-demo (eight
// bidders): long enough that setup is noise.
const benchAuctions = 200_000

// benchScenario is timeout-demo stopped after auctions.
func benchScenario(tb testing.TB, auctions uint64) *scenarios.Scenario {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		tb.Fatal(err)
	}
	sc, err = sc.WithStop(scenarios.Stop{Auctions: auctions})
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

// BenchmarkEngine is the bare engine on timeout-demo: New, then one
// RunAuctions call. It is the baseline for BenchmarkHeadless.
func BenchmarkEngine(b *testing.B) {
	sc := benchScenario(b, benchAuctions)
	b.ReportAllocs()
	for b.Loop() {
		eng, err := sim.New(sc.Config)
		if err != nil {
			b.Fatal(err)
		}
		eng.RunAuctions(benchAuctions)
	}
	b.ReportMetric(float64(benchAuctions)*float64(b.N)/b.Elapsed().Seconds(), "auctions/s")
}

// BenchmarkHeadless is what `auctionsim run --json` does after start-up:
// the chunked run loop with its Ctrl-C and progress checks, the snapshot,
// and the JSON summary. Its auctions/s should be within 10% of
// BenchmarkEngine's.
func BenchmarkHeadless(b *testing.B) {
	sc := benchScenario(b, benchAuctions)
	b.ReportAllocs()
	for b.Loop() {
		res, err := report.Execute(context.Background(), sc, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := report.WriteSummary(io.Discard, res.Snap, report.Meta{Scenario: sc.Name}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchAuctions)*float64(b.N)/b.Elapsed().Seconds(), "auctions/s")
}
