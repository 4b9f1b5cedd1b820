package sim_test

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// nullFork forks e, a world at some instant of a flight, with no effect
// on B but a change of its random draws: every bidder's latency set again
// to the same distribution, which drops the latencies B had drawn ahead
// (sampler.set), so that B's timeouts, and from them its winners, pacing,
// goals and people, come apart from A's as a real change's would, while
// B's world is A's. B − A then has mean 0, and a 95% interval should
// exclude 0 in about 5% of such forks.
func nullFork(e *sim.Engine, cfg sim.Config, every sim.Time, metrics []sim.Metric) (*sim.Fork, error) {
	f := sim.NewFork(e, every, metrics)
	for _, b := range cfg.Bidders {
		if err := f.Apply(sim.SetLatency{Bidder: b.Name, Latency: b.Latency}); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// coverage counts, among the forks' metric intervals known at one
// instant, those that cover 0.
type coverage struct{ covered, known, unknown, minBatches, exact int }

func (c coverage) share() float64 { return float64(c.covered) / float64(c.known) }

// add counts one interval.
func (c *coverage) add(d sim.Difference) {
	if math.IsNaN(d.Lo) {
		c.unknown++
		return
	}
	if c.known == 0 || d.Batches < c.minBatches {
		c.minBatches = d.Batches
	}
	c.known++
	if d.Lo == d.Hi {
		c.exact++
	}
	if !d.Distinguishable() {
		c.covered++
	}
}

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

// forkWorld is one world TestForkCoverage forks.
type forkWorld struct {
	name   string
	cfg    sim.Config
	forkAt sim.Time
	forks  int // null forks
	// every is the paired intervals' length: longer than the dashboard's
	// second, for the same batches (20, or of the world's memory) at a
	// fraction of the cost.
	every sim.Time
	// memLo and memHi bound Engine.Memory at the fork, so that the floor
	// is the one measured here.
	memLo, memHi sim.Time
	// after are the instants after the fork at which the intervals are
	// read; the last must have them all, from at least lateBatches
	// batches, and those before none must have none yet: two of the
	// world's memories have not passed.
	after       []sim.Time
	none        sim.Time
	lateBatches int
	// watch is the bidder whose spend is counted apart as well: its
	// intervals alone must cover 0 in at least watchMin of the forks.
	// With 160 forks a true 95% is seen at 95 ± 3.4% (the binomial's
	// 95% band, ±1.96·√(0.95·0.05/160)), so 91.5% is its lower end: a
	// coverage of 90.5%, the defect's, fails it two times in three, one
	// of 88% nine in ten, and a true 95% one in 40.
	watch    string
	watchMin float64
	// measures are the bidders' metrics compared, by their last part:
	// spend when none.
	measures []string
	// maxExact, when set, is the largest share of the known intervals
	// that may be zero-wide: those measure nothing, and a tally of them
	// would pass whatever the batches.
	maxExact float64
}

// TestForkCoverage: a fork whose B is A's world (nullFork) gives spend
// intervals that cover 0 in about 95% of forks, on flight-week without
// its goal bidder (pacing controllers every 10 minutes, daily budgets, a
// frequency cap), on the same without any controllers (no budgets, caps
// or goals, truthful bids), whose batches need no floor, and on
// flight-week without people, whose goal bidder initech-cpa steers to a
// CPA on conversions that come up to a day late.
//
// Before batches spanned the world's memory (Engine.Memory), the paced
// world's intervals an hour after a fork at 2 pm, 20 batches of 3
// minutes, covered 0 in 81% of these forks [78%, 84%], 6 hours after in
// 94%; now an hour after there is none yet, and 6 hours after one from 3
// batches of 2 hours covers 0 in 98%. Before Memory counted the goal
// (as 2 hours, a pacing controller's), initech-cpa's spend intervals 30
// hours after a fork at noon of the second day, 15 batches of 2 hours,
// covered 0 in 90.5% of them (3 hours: 95.5%); now its goal's memory
// (the day's attribution window, and its controller's horizon: about
// 27½ hours) leaves none then, and 4 days after, from 3 batches, they
// cover 0 in 97.5% [93.7%, 99.0%] of 160 forks (all spend: 98.2%). The
// defect was measured with people; without them, 2 hours' batches 30
// hours after the fork covered 0 in 95% [90.4%, 97.4%]: people, whose
// conversions the goal's calibration follows, are where a draw lasted.
func TestForkCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): 400 forked flights")
	}
	sc, err := scenarios.Bundled("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	paced := sc.Config
	paced.Bidders = nil
	for _, b := range sc.Config.Bidders {
		if b.Name != "initech-cpa" {
			paced.Bidders = append(paced.Bidders, b)
		}
	}
	if len(paced.Bidders) != len(sc.Config.Bidders)-1 {
		t.Fatal("flight-week has no bidder initech-cpa")
	}
	plain := paced
	plain.Bidders = append([]sim.BidderConfig(nil), plain.Bidders...)
	for i := range plain.Bidders {
		b := &plain.Bidders[i]
		b.Budget, b.FrequencyCap, b.Strategy = nil, nil, sim.Strategy{Kind: sim.Truthful}
	}
	// Without people initech-cpa's goal needs no calibration (κ = 1), whose
	// window of 200 conversions holds flight-week's batches to 5 days or
	// more (TestGoalMemory), past the week.
	nobody := withoutPeople(sc.Config)
	const h = sim.Hour
	// The goal's memory at noon of the second day: the 24h attribution
	// window, and 10 minutes × √(n / 0.5) of its controller after its n
	// steps, some 220 (a few more at the start-up), about 3½ hours.
	for _, w := range []forkWorld{
		// Fork at 2 pm of the first day, past the controllers' start-up.
		{name: "flight-week without its goal bidder", cfg: paced, forkAt: 14 * h, forks: 120, every: 10 * sim.Second,
			memLo: 2 * h, memHi: 2 * h, after: []sim.Time{1 * h, 6 * h}, none: 4 * h, lateBatches: 3},
		{name: "flight-week without controllers", cfg: plain, forkAt: 14 * h, forks: 120, every: 10 * sim.Second,
			after: []sim.Time{1 * h, 6 * h}, lateBatches: 20},
		// Fork at noon of the second day, as the defect was measured;
		// 30 hours after there are no two batches yet, 96 hours after
		// three (at the end of the week).
		{name: "flight-week without people", cfg: nobody, forkAt: 36 * h, forks: 160, every: sim.Minute,
			memLo: 27 * h, memHi: 28 * h, after: []sim.Time{30 * h, 96 * h}, none: 54 * h,
			lateBatches: 3, watch: "initech-cpa", watchMin: 0.915},
	} {
		t.Run(w.name, func(t *testing.T) { forkCoverage(t, w) })
	}
}

// forkCoverage runs w.forks null forks of w, two at a time (their
// seeds 1, 2, …: the tally does not depend on the order), and checks
// the intervals' coverage at each instant of w.after.
func forkCoverage(t *testing.T, w forkWorld) {
	var metrics []sim.Metric
	watched := -1
	measures := w.measures
	if measures == nil {
		measures = []string{"spend"}
	}
	for _, b := range w.cfg.Bidders {
		for _, measure := range measures {
			m, err := sim.MetricNamed("bidders." + b.Name + "." + measure)
			if err != nil {
				t.Fatal(err)
			}
			if b.Name == w.watch && measure == "spend" {
				watched = len(metrics)
			}
			metrics = append(metrics, m)
		}
	}
	// Per fork, per instant: the metrics' differences.
	got := make([][][]sim.Difference, w.forks)
	errs := make([]error, w.forks)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				got[k], errs[k] = runNullFork(w, uint64(k)+1, metrics)
			}
		}()
	}
	for k := range w.forks {
		next <- k
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	last := w.after[len(w.after)-1]
	for i, d := range w.after {
		var all, one coverage
		for k := range w.forks {
			for j, x := range got[k][i] {
				all.add(x)
				if j == watched {
					one.add(x)
				}
			}
		}
		mustKnow := d == last
		if d < w.none && all.known > 0 {
			t.Errorf("%v after the fork: %d intervals, want none before two of the world's memories have passed", d, all.known)
		}
		if all.known == 0 {
			t.Logf("%v after the fork: no interval yet in %d (not distinguishable yet)", d, all.unknown)
			if mustKnow {
				t.Errorf("%v after the fork: no interval", d)
			}
			continue
		}
		lo, hi := all.wilson()
		t.Logf("%v after the fork: %d of %d intervals cover 0: %.1f%% [%.1f%%, %.1f%%]; %d not yet; at least %d batches; %d zero-wide",
			d, all.covered, all.known, 100*all.share(), 100*lo, 100*hi, all.unknown, all.minBatches, all.exact)
		if w.maxExact > 0 && float64(all.exact) > w.maxExact*float64(all.known) {
			t.Errorf("%v after the fork: %d of %d intervals zero-wide, want at most %.0f%%: the forks do not come apart", d, all.exact, all.known, 100*w.maxExact)
		}
		if all.share() < 0.93 {
			t.Errorf("%v after the fork: intervals cover 0 in only %.1f%% of null forks, want about 95%%", d, 100*all.share())
		}
		if mustKnow && (all.unknown > 0 || all.minBatches < w.lateBatches) {
			t.Errorf("%v after the fork: %d intervals unknown, at least %d batches; want all known from at least %d",
				d, all.unknown, all.minBatches, w.lateBatches)
		}
		if watched >= 0 && one.known > 0 {
			lo, hi := one.wilson()
			t.Logf("%v after the fork: %s's spend intervals cover 0 in %d of %d: %.1f%% [%.1f%%, %.1f%%]",
				d, w.watch, one.covered, one.known, 100*one.share(), 100*lo, 100*hi)
			if one.share() < w.watchMin {
				t.Errorf("%v after the fork: %s's spend intervals cover 0 in only %.1f%% of null forks, want at least %.0f%%",
					d, w.watch, 100*one.share(), 100*w.watchMin)
			}
		}
	}
}

// runNullFork runs w with seed to its fork, forks it (nullFork) and
// returns the metrics' differences at each instant of w.after.
func runNullFork(w forkWorld, seed uint64, metrics []sim.Metric) ([][]sim.Difference, error) {
	cfg := w.cfg
	cfg.Seed = seed
	e, err := sim.New(cfg)
	if err != nil {
		return nil, err
	}
	e.RunUntil(w.forkAt)
	if got := e.Memory(); got < w.memLo || got > w.memHi {
		return nil, fmt.Errorf("seed %d: memory %v at the fork, want [%v, %v]", seed, got, w.memLo, w.memHi)
	}
	f, err := nullFork(e, cfg, w.every, metrics)
	if err != nil {
		return nil, err
	}
	out := make([][]sim.Difference, len(w.after))
	for i, d := range w.after {
		f.RunUntil(w.forkAt + d)
		out[i] = f.Differences()
	}
	return out, nil
}

// TestGoalMemory: at noon of flight-week's second day, its goal bidder's
// memory is the day's attribution window and its controller's horizon:
// without people some 27½ hours, with them (the bundled world) the
// calibration's window of 200 expected conversions, which initech-cpa
// takes 5 days or more to buy (5⅓ with the bundled seed, 12 with seed 1). Memory was 2 hours either way, a
// pacing controller's.
func TestGoalMemory(t *testing.T) {
	sc, err := scenarios.Bundled("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(36 * sim.Hour)
	if m := e.Memory(); m < 5*24*sim.Hour {
		t.Errorf("flight-week at noon of day 2: memory %v, want more than 5 days (the calibration's 200 conversions)", m)
	}
	if e, err = sim.New(withoutPeople(sc.Config)); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(36 * sim.Hour)
	if m := e.Memory(); m < 27*sim.Hour || m > 28*sim.Hour {
		t.Errorf("flight-week without people at noon of day 2: memory %v, want 24h and some 3½h", m)
	}
}

// TestForkCoveragePeriod: a person's conversion_period ties their
// conversions together over the period (one who converted within it
// converts no more), which Engine.Memory does not count. This measures
// whether it should: null forks of flight-week without its goal bidder
// (batches of 2 hours, its pacing controllers') and without any
// controller (no memory: batches of a twentieth of the time since the
// fork), with periods longer than those batches and the default, once
// per run. So that the forks' conversions come apart (flight-week's own
// hardly do: most of their intervals were [0, 0]), the exchange's tmax
// is 45ms, which times out a share of every bidder's bids, its people
// are 5,000, and its cvr 0.4, so that the period binds. Their conversion
// and incremental value intervals 20 hours after a fork at 2 pm (6
// hours after, a third of them were still [0, 0], the conversions of
// what came apart not due yet) cover 0 in 97.4% [96.2%, 98.2%] of 960
// with a period of 6 hours, 96.9% [95.6%, 97.8%] once per run, and
// 96.9% without controllers with a period of 24 hours, batches of an
// hour (120 forks each; 2026-12, session 35): the period need not be
// counted in Engine.Memory.
func TestForkCoveragePeriod(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): forked flights")
	}
	sc, err := scenarios.Bundled("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	const h = sim.Hour
	for _, c := range []struct {
		plain  bool
		period sim.Time
	}{{false, 6 * h}, {false, 0}, {true, 24 * h}} {
		cfg := sc.Config
		cfg.Exchange.Tmax = 45 * sim.Millisecond
		users := *cfg.Traffic.Users
		users.Count = 5000
		cfg.Traffic.Users = &users
		cfg.Bidders = nil
		for _, b := range sc.Config.Bidders {
			if b.Name == "initech-cpa" || b.Outcome == nil {
				continue
			}
			o := *b.Outcome
			o.ConversionPeriod, o.CVR = c.period, 0.4
			b.Outcome = &o
			if c.plain {
				b.Budget, b.FrequencyCap, b.Strategy = nil, nil, sim.Strategy{Kind: sim.Truthful}
			}
			cfg.Bidders = append(cfg.Bidders, b)
		}
		w := forkWorld{name: "paced, period " + c.period.String(), cfg: cfg, forkAt: 14 * h, forks: 120, every: 10 * sim.Second,
			memLo: 2 * h, memHi: 2 * h, after: []sim.Time{20 * h}, none: 4 * h, lateBatches: 10,
			measures: []string{"conversions", "incremental_value"}, maxExact: 0.1}
		if c.period == 0 {
			w.name = "paced, once per run"
		}
		if c.plain {
			w.name = "no controllers, period " + c.period.String()
			w.memLo, w.memHi, w.none, w.lateBatches = 0, 0, 0, 20
		}
		t.Run(w.name, func(t *testing.T) { forkCoverage(t, w) })
	}
}

// TestMemoryWaits: flight-week's goal bidder calibrates on its people's
// conversions, so until its first impressions' conversions are due its
// memory is a floor, its lag and controller (26 hours), which its
// calibration's window then takes past 5 days: MemoryWaits names it
// until then, and a fork's title could not promise an interval from the
// floor ("95% from 52h00m", withdrawn within hours). Without people
// nothing waits.
func TestMemoryWaits(t *testing.T) {
	sc, err := scenarios.Bundled("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(sim.Minute)
	if w, m := e.MemoryWaits(), e.Memory(); w != "initech-cpa" || m != 26*sim.Hour {
		t.Errorf("flight-week at 1m: MemoryWaits %q, memory %v; want initech-cpa, its floor of 26h", w, m)
	}
	f := sim.NewFork(e, sim.Minute, nil)
	if w := f.MemoryWaits(); w != "initech-cpa" {
		t.Errorf("a fork at 1m: MemoryWaits %q, want initech-cpa", w)
	}
	f.RunUntil(12 * sim.Hour)
	if w, m := f.MemoryWaits(), f.Batch(); w != "" || m < 84*sim.Hour {
		t.Errorf("the fork at 12h: MemoryWaits %q, batches ≥ %v; want none waiting, two batches past the week", w, m)
	}
	if e, err = sim.New(withoutPeople(sc.Config)); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(sim.Minute)
	if w := e.MemoryWaits(); w != "" {
		t.Errorf("flight-week without people: MemoryWaits %q, want none (no calibration)", w)
	}
}

// withoutPeople is cfg with no people, and so no frequency caps, which
// need them: its bidders copied, cfg's left as they are.
func withoutPeople(cfg sim.Config) sim.Config {
	cfg.Traffic.Users = nil
	cfg.Bidders = append([]sim.BidderConfig(nil), cfg.Bidders...)
	for i := range cfg.Bidders {
		cfg.Bidders[i].FrequencyCap = nil
	}
	return cfg
}
