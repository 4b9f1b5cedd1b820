package sim

import (
	"fmt"
	"runtime"
	"testing"
)

// benchConfig is the benchmark world: eight bidders with lognormal S2S
// latencies, one heavy tail, budgets with every pacing, and conversions.
func benchConfig() Config {
	cfg := Config{
		Seed:     42,
		Traffic:  Traffic{QPS: 1000},
		Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: 120 * Millisecond, Floor: PriceOf(0.1), Increment: PriceOf(0.01)},
		Horizon:  24 * Hour,
	}
	for i := range 8 {
		med := float64(30+15*i) * float64(Millisecond)
		lat := LogNormalMedianP99(med, 2.5*med)
		if i == 7 {
			lat = Mixture(Part{0.9, lat}, Part{0.1, Constant(float64(400 * Millisecond))})
		}
		cfg.Bidders = append(cfg.Bidders, BidderConfig{
			Name:    fmt.Sprintf("dsp%d", i),
			Latency: lat,
			Errors:  0.001,
			NoBid:   0.05,
			Value:   Uniform(0.5, 4),
			Budget:  &Budget{Total: MoneyOf(50_000), Pacing: PacingKind(i % 3)},
			Outcome: &Outcome{CTR: 0.004, CVR: 0.03, OrderValue: MoneyOf(60), BaselineCVR: 5e-5, Delay: Exponential(float64(6 * Hour))},
		})
	}
	return cfg
}

// BenchmarkEngine reports auctions per second of virtual work on one core
// and allocations per auction (b.N auctions).
func BenchmarkEngine(b *testing.B) {
	e := mustNew(b, benchConfig())
	e.RunAuctions(200_000) // steady state
	b.ReportAllocs()
	b.ResetTimer()
	e.RunAuctions(uint64(b.N))
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "auctions/s")
	b.ReportMetric(float64(e.Events())/float64(e.Auctions()), "events/auction")
}

// BenchmarkMemoryFlat runs 100M auctions and reports the live heap after
// 1M and after 100M: they should match.
func BenchmarkMemoryFlat(b *testing.B) {
	if testing.Short() {
		b.Skip("100M auctions take a minute or more; make bench-memory runs it")
	}
	for range b.N {
		e := mustNew(b, benchConfig())
		heap := func() float64 {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			return float64(m.HeapAlloc) / (1 << 20)
		}
		e.RunAuctions(1_000_000)
		at1M := heap()
		e.RunAuctions(99_000_000)
		at100M := heap()
		b.ReportMetric(at1M, "MB@1M")
		b.ReportMetric(at100M, "MB@100M")
	}
}
