package sim_test

import (
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// nullFork forks e, a world at some instant of a flight, with no effect
// on B but a change of its random draws: every bidder's latency set again
// to the same distribution, which drops the latencies B had drawn ahead
// (sampler.set), so that B's timeouts, and from them its winners, pacing
// and people, come apart from A's as a real change's would, while B's
// world is A's. B − A then has mean 0, and a 95% interval should exclude
// 0 in about 5% of such forks.
func nullFork(t *testing.T, e *sim.Engine, cfg sim.Config, metrics []sim.Metric) *sim.Fork {
	t.Helper()
	// Intervals of 10 s rather than the dashboard's second: the same
	// batches (20, or of the world's memory), at a tenth of the cost.
	f := sim.NewFork(e, 10*sim.Second, metrics)
	for _, b := range cfg.Bidders {
		if err := f.Apply(sim.SetLatency{Bidder: b.Name, Latency: b.Latency}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// coverage counts, among the forks' metric intervals known at one
// instant, those that cover 0.
type coverage struct{ covered, known, unknown, minBatches int }

func (c coverage) share() float64 { return float64(c.covered) / float64(c.known) }

// wilson is the 95% Wilson score interval of the share covered: the
// coverage's own binomial noise (the metrics of one fork are not
// independent, so it is somewhat narrower than it should be).
func (c coverage) wilson() (lo, hi float64) {
	const z = 1.96
	n, p := float64(c.known), c.share()
	mid := (p + z*z/(2*n)) / (1 + z*z/n)
	h := z / (1 + z*z/n) * math.Sqrt(p*(1-p)/n+z*z/(4*n*n))
	return mid - h, mid + h
}

// TestForkCoverage: a fork whose B is A's world (nullFork) gives spend
// intervals that cover 0 in at least 93% of forks, both soon after the
// fork and later, on flight-week (pacing and goal controllers every 10
// minutes, daily budgets, a frequency cap) and on the same world without
// controllers (no budgets, caps or goals, truthful bids), whose batches
// need no floor. Before batches spanned the world's memory (Engine.Memory)
// flight-week's intervals an hour after the fork, 20 batches of 3
// minutes, covered 0 in 81% of these forks [78%, 84%], 6 hours after in
// 94%; now an hour after there is none yet, and 6 hours after one from 3
// batches of 2 hours covers 0 in 97%.
func TestForkCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): 240 forked flights")
	}
	const (
		forks = 120
		// Fork at 2 pm of the first day, past the controllers' start-up.
		forkAt = 14 * sim.Hour
	)
	sc, err := scenarios.Bundled("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	plain := sc.Config
	plain.Bidders = append([]sim.BidderConfig(nil), plain.Bidders...)
	for i := range plain.Bidders {
		b := &plain.Bidders[i]
		b.Budget, b.FrequencyCap, b.Strategy = nil, nil, sim.Strategy{Kind: sim.Truthful}
	}
	early, late := 1*sim.Hour, 6*sim.Hour
	for _, w := range []struct {
		name string
		cfg  sim.Config
		// memory: Engine.Memory, checked so that the floor is the one
		// measured here.
		memory sim.Time
		// lateBatches: the batches at the late instant, 20 where no
		// floor holds them back.
		lateBatches int
	}{
		{"flight-week", sc.Config, 2 * sim.Hour, 3},
		{"flight-week without controllers", plain, 0, 20},
	} {
		t.Run(w.name, func(t *testing.T) {
			var metrics []sim.Metric
			for _, b := range w.cfg.Bidders {
				m, err := sim.MetricNamed("bidders." + b.Name + ".spend")
				if err != nil {
					t.Fatal(err)
				}
				metrics = append(metrics, m)
			}
			var at [2]coverage
			for k := range forks {
				cfg := w.cfg
				cfg.Seed = uint64(k) + 1
				e, err := sim.New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				if got := e.Memory(); got != w.memory {
					t.Fatalf("memory %v, want %v", got, w.memory)
				}
				e.RunUntil(forkAt)
				f := nullFork(t, e, cfg, metrics)
				for i, d := range []sim.Time{early, late} {
					f.RunUntil(forkAt + d)
					c := &at[i]
					if k == 0 {
						c.minBatches = math.MaxInt
					}
					for _, x := range f.Differences() {
						if math.IsNaN(x.Lo) {
							c.unknown++
							continue
						}
						c.known++
						c.minBatches = min(c.minBatches, x.Batches)
						if !x.Distinguishable() {
							c.covered++
						}
					}
				}
			}
			for i, d := range []sim.Time{early, late} {
				c := at[i]
				if c.known == 0 {
					t.Logf("%v after the fork: no interval yet in %d (not distinguishable yet)", d, c.unknown)
					if d == late {
						t.Errorf("%v after the fork: no interval", d)
					}
					continue
				}
				lo, hi := c.wilson()
				t.Logf("%v after the fork: %d of %d spend intervals cover 0: %.1f%% [%.1f%%, %.1f%%]; %d not yet; at least %d batches",
					d, c.covered, c.known, 100*c.share(), 100*lo, 100*hi, c.unknown, c.minBatches)
				if c.share() < 0.93 {
					t.Errorf("%v after the fork: intervals cover 0 in only %.1f%% of null forks, want about 95%%", d, 100*c.share())
				}
				if d == late && (c.unknown > 0 || c.minBatches < w.lateBatches) {
					t.Errorf("%v after the fork: %d intervals unknown, at least %d batches; want all known from at least %d",
						d, c.unknown, c.minBatches, w.lateBatches)
				}
			}
		})
	}
}
