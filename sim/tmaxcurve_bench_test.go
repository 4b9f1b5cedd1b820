package sim

import "testing"

// BenchmarkEngineTmaxCurve is BenchmarkEngine with the default tmax curve
// on (20 candidate deadlines): compare the two A/B for the curve's cost.
func BenchmarkEngineTmaxCurve(b *testing.B) {
	cfg := benchConfig()
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	e := mustNew(b, cfg)
	e.RunAuctions(200_000) // steady state
	b.ReportAllocs()
	b.ResetTimer()
	e.RunAuctions(uint64(b.N))
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "auctions/s")
}
