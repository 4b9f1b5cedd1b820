package tui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// BenchmarkView160x48 is the cost of drawing the screen at 160×48 (target:
// under 2 ms). The panels drawn from a frame are cached when it arrives;
// BenchmarkFrame160x48 measures that part.
func BenchmarkView160x48(b *testing.B) { benchView(b, 160, 48) }

// BenchmarkView80x24 is the same at the smallest size.
func BenchmarkView80x24(b *testing.B) { benchView(b, 80, 24) }

func benchView(b *testing.B, w, h int) {
	m := goldenModel(b, w, h)
	setTheme(m, colourTheme()) // colour costs more than ASCII
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkFrame160x48 is the cost of taking a new frame at 160×48: rates,
// the chart, the bidders table and the latency panel, plus drawing the
// screen, alternating between two snapshots so nothing is cached.
func BenchmarkFrame160x48(b *testing.B) {
	m := goldenModel(b, 160, 48)
	setTheme(m, colourTheme())
	sc := testScenario()
	eng := engineAt(b, sc, 5*sim.Second)
	f1 := frameOf(sc, eng.Snapshot(), t0, 0)
	eng.RunUntil(5100 * sim.Millisecond)
	f2 := frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f := f1
		if i%2 == 1 {
			f = f2
		}
		i++
		m.Update(frameMsg(f))
		_ = m.View()
	}
}

// The throughput benchmarks run the bundled timeout-demo (8 bidders,
// 1000 qps) flat out for one second of wall time per iteration and report
// auctions per second of wall time:
//
//   - BenchmarkThroughputHeadless: the engine alone, on this goroutine,
//     driven by RunUntil or RunAuctions in a loop.
//   - BenchmarkThroughputRunner: the runner at max speed, publishing ten
//     snapshots a second that nobody reads.
//   - BenchmarkThroughputDashboard: the same with the dashboard reading
//     every frame and drawing the screen at 160×48, as the program does.
//
// The target: with the dashboard open the engine keeps at least 80% of
// its headless throughput, so watching a run does not change what it
// costs.
const throughputWindow = time.Second

func benchScenario(b *testing.B) *scenarios.Scenario {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		b.Fatal(err)
	}
	sc.Stop = scenarios.Stop{} // run on for as long as the benchmark does
	return sc
}

func BenchmarkThroughputHeadless(b *testing.B) {
	// Both ways of driving the engine; the faster is the baseline.
	b.Run("RunUntil", func(b *testing.B) {
		benchHeadless(b, func(eng *sim.Engine) { eng.RunUntil(eng.Now() + sim.Second) })
	})
	b.Run("RunAuctions", func(b *testing.B) {
		benchHeadless(b, func(eng *sim.Engine) { eng.RunAuctions(1000) })
	})
}

func benchHeadless(b *testing.B, chunk func(*sim.Engine)) {
	sc := benchScenario(b)
	var auctions uint64
	var wall time.Duration
	for b.Loop() {
		eng, err := sim.New(sc.Config)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for time.Since(start) < throughputWindow {
			chunk(eng)
		}
		wall += time.Since(start)
		auctions += eng.Auctions()
	}
	b.ReportMetric(float64(auctions)/wall.Seconds(), "auctions/s")
}

func BenchmarkThroughputRunner(b *testing.B) { benchRunner(b, false) }

func BenchmarkThroughputDashboard(b *testing.B) { benchRunner(b, true) }

func benchRunner(b *testing.B, dashboard bool) {
	sc := benchScenario(b)
	var auctions, frames uint64
	var wall time.Duration
	for b.Loop() {
		r, err := runner.New(worldOf(sc), runner.Options{Speed: runner.Max})
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan uint64)
		if dashboard {
			go func() {
				m := newModel(r, modelOptions{theme: colourTheme()})
				m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
				n := uint64(0)
				for {
					select {
					case f := <-r.Frames():
						m.Update(frameMsg(f))
						_ = m.View()
						n++
					case <-r.Done():
						done <- n
						return
					}
				}
			}()
		}
		start := time.Now()
		r.Start()
		time.Sleep(throughputWindow)
		r.Stop()
		wall += time.Since(start)
		auctions += r.Snapshot().Exchange.Auctions
		if dashboard {
			frames += <-done
		}
	}
	b.ReportMetric(float64(auctions)/wall.Seconds(), "auctions/s")
	if dashboard {
		b.ReportMetric(float64(frames)/wall.Seconds(), "frames/s")
	}
}
