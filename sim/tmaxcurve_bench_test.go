package sim

import (
	"syscall"
	"testing"
	"time"
)

// BenchmarkEngineTmaxCurve is BenchmarkEngine's world with the tmax curve
// off and with the default curve on (20 candidate deadlines), to compare
// A/B. Besides wall time per auction it reports the process's user CPU
// time per auction, which time slicing on a shared machine disturbs less.
func BenchmarkEngineTmaxCurve(b *testing.B) {
	for _, c := range []struct {
		name string
		grid TmaxGrid
	}{{"off", TmaxGrid{}}, {"on", DefaultTmaxCurve}} {
		b.Run(c.name, func(b *testing.B) {
			cfg := benchConfig()
			cfg.Exchange.TmaxCurve = c.grid
			e := mustNew(b, cfg)
			e.RunAuctions(200_000) // steady state
			b.ReportAllocs()
			cpu := userCPU()
			b.ResetTimer()
			e.RunAuctions(uint64(b.N))
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "auctions/s")
			b.ReportMetric(float64(userCPU()-cpu)/float64(b.N), "cpu-ns/auction")
		})
	}
}

// userCPU is the process's user CPU time so far.
func userCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano())
}
