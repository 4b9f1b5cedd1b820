package sim

import (
	"math"
	"testing"
)

// Regression cases for extreme but accepted worlds: each runs to a correct
// end rather than wrap, bias or panic.

// mustBuild builds cfg's engine without validating it against the
// supported ranges, which these worlds may pass: the arithmetic must hold
// beyond them too. The config must still be well formed.
func mustBuild(t testing.TB, cfg Config) *Engine {
	t.Helper()
	if len(cfg.Bidders) == 0 || cfg.Traffic.QPS <= 0 || cfg.Exchange.Tmax <= 0 {
		t.Fatal("malformed config")
	}
	return build(cfg)
}

// tiny is a one-bidder world with a short deadline, cheap at any rate.
func tiny(qps float64) Config {
	cfg := world(1, Constant(1))
	cfg.Traffic.QPS = qps
	cfg.Exchange.Tmax = Microsecond
	return cfg
}

// At rates where the mean gap is a few nanoseconds or less, the number of
// arrivals in a window is Poisson with the configured mean: whole-
// nanosecond times carry their fractions instead of truncating every gap.
func TestArrivalsUnbiasedAtHighRate(t *testing.T) {
	for _, qps := range []float64{1e7, 3e8, 1e9, 7e9, 1e11} {
		const want = 200_000.0
		window := Time(want / qps * float64(Second))
		mean := qps * window.Seconds() // window is whole ns
		cfg := tiny(qps)
		if qps == 3e8 { // the same rate, shaped: the first half of the day at 3×
			cfg.Traffic.QPS = 1e8
			cfg.Traffic.Shape = []float64{3, 1}
		}
		e := mustBuild(t, cfg)
		e.RunUntil(window)
		got := float64(e.Snapshot().Exchange.Requests)
		if sd := math.Sqrt(mean); math.Abs(got-mean) > 3*sd {
			t.Errorf("qps %g: %g requests in %v, want %g ± %.0f (3 SD)", qps, got, window, mean, 3*sd)
		}
	}
}

// A rate far beyond a request per nanosecond still moves time forward and
// closes auctions: many requests share a nanosecond.
func TestZeroGapsMakeProgress(t *testing.T) {
	cfg := tiny(1e12)
	cfg.Exchange.Tmax = Nanosecond
	e := mustBuild(t, cfg)
	e.runTo(never, 100_000, 1_000_000)
	if n := e.Auctions(); n < 100_000 {
		t.Fatalf("%d auctions closed in a million events", n)
	}
	if e.Now() < 50 || e.Now() > 200 {
		t.Errorf("100,000 auctions at 1e12 qps took %v of virtual time, want about 100ns", e.Now())
	}
}

// One bidder with two workers and exponential 25ms service at 200 qps:
// M/M/2 with 2.5 times the load it can serve. The queue grows by 120
// requests a second, served by 80 a second, so a request arriving at t
// waits 1.5·t: over 6 hours the mean and median are 4.5 hours and the
// longest 9. Latency sums and percentiles hold them, uncapped.
func TestLatencyOfAnOverloadedQueue(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): an overloaded queue against its theory, ~8 s under -race")
	}
	cfg := world(1, Constant(1))
	cfg.Traffic.QPS = 200
	cfg.Bidders[0].Capacity = &Capacity{Workers: 2, Service: Exponential(float64(25 * Millisecond))}
	cfg.Recent = 0
	e := mustBuild(t, cfg)
	e.RunUntil(6 * Hour)
	l := e.Snapshot().Bidders[0].Latency
	near := func(what string, got, want Time) {
		t.Helper()
		if d := math.Abs(got.Seconds()/want.Seconds() - 1); d > 0.03 {
			t.Errorf("%s %v, want %v within 3%%", what, got, want)
		}
	}
	near("mean", l.Mean, 4*Hour+30*Minute)
	near("p50", l.P50, 4*Hour+30*Minute)
	near("max", l.Max, 9*Hour)
	if l.Count == 0 || l.P99 < l.P95 || l.P95 < l.P50 {
		t.Errorf("latency %+v", l)
	}
}

// A queue whose service takes 100,000 hours on average never delivers a
// bid within 100ms once it is busy: the queue's clock saturates at the end
// of virtual time instead of wrapping round to an early instant.
func TestHopelessQueueIsLate(t *testing.T) {
	cfg := world(1, Constant(1))
	cfg.Traffic.QPS = 200
	cfg.Bidders[0].Capacity = &Capacity{Workers: 1, Service: Exponential(float64(100_000 * Hour))}
	e := mustBuild(t, cfg)
	e.RunAuctions(2000)
	b := e.Snapshot().Bidders[0]
	if b.OnTime > 1 || b.Late+b.OnTime != b.Bids || b.Bids != 2000 {
		t.Errorf("%d bids: %d on time, %d late; want at most the first on time", b.Bids, b.OnTime, b.Late)
	}
	if b.Latency.Mean < 0 || b.Latency.P50 < 1000*Hour {
		t.Errorf("latency %+v", b.Latency)
	}
}

// Values of 1e12 CPM in first price cost 1e9 a win: totals pass what Money
// holds within ten auctions and saturate, never turning negative, and
// revenue still equals the sum of spend.
func TestMoneySaturates(t *testing.T) {
	cfg := world(2, Constant(1e12))
	cfg.Exchange.Auction = FirstPrice
	e := mustBuild(t, cfg)
	e.RunAuctions(1000)
	s := e.Snapshot()
	x := s.Exchange
	if !x.Saturated() || x.Revenue != MaxMoney || x.Value != MaxMoney {
		t.Errorf("revenue %d, value %d, saturated %v; want MaxMoney", x.Revenue, x.Value, x.Saturated())
	}
	if sum := addMoney(s.Bidders[0].Spend, s.Bidders[1].Spend); sum != x.Revenue {
		t.Errorf("Σ spend %d, revenue %d", sum, x.Revenue)
	}
	for _, b := range s.Bidders {
		if b.Spend < 0 || b.Value < 0 {
			t.Errorf("%s: spend %d, value %d", b.Name, b.Spend, b.Value)
		}
	}
	for _, p := range s.Series.Points {
		if p.Revenue < 0 {
			t.Errorf("series revenue %d at %v", p.Revenue, p.Start)
		}
	}
}

// A shade factor of 1e13 bids more than a Price holds: the bid saturates at
// MaxPrice instead of converting to a negative number.
func TestHugeShadeSaturates(t *testing.T) {
	cfg := world(2, Uniform(1, 2))
	cfg.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 1e13}
	e := mustBuild(t, cfg)
	e.RunAuctions(100)
	s := e.Snapshot()
	for _, a := range s.Recent {
		if r := a.Responses[0]; r.Bid != MaxPrice || a.Winner != 0 || a.Price < 0 {
			t.Fatalf("bid %d, winner %d, price %d; want a bid of MaxPrice winning", r.Bid, a.Winner, a.Price)
		}
	}
	if s.Exchange.Revenue < 0 || s.Bidders[0].Spend < 0 {
		t.Errorf("revenue %d, spend %d", s.Exchange.Revenue, s.Bidders[0].Spend)
	}
}

// Mixture weights of 1e308 are proportions like any other: half of the
// responses come from each part, not all from one.
func TestHugeMixtureWeights(t *testing.T) {
	d := Mixture(Part{1e308, Constant(float64(10 * Millisecond))}, Part{1e308, Constant(float64(500 * Millisecond))})
	if m := d.Mean(); math.Abs(m-float64(255*Millisecond)) > 1 {
		t.Errorf("mean %g, want 255ms", m)
	}
	cfg := world(1, Constant(1))
	cfg.Bidders[0].Latency = d
	e := mustBuild(t, cfg)
	e.RunAuctions(20_000)
	b := e.Snapshot().Bidders[0]
	late := b.TimeoutRate()
	if sd := math.Sqrt(0.25 / float64(b.Bids)); math.Abs(late-0.5) > 3*sd {
		t.Errorf("late share %g, want 0.5 ± %.4f", late, 3*sd)
	}
}

// Ratios with nothing to divide by are NaN, never 0.
func TestUndefinedRatiosAreNaN(t *testing.T) {
	cfg := world(1, Constant(1))
	cfg.Exchange.Floor = PriceOf(2) // no bid clears: no wins, no spend
	cfg.Bidders[0].Outcome = &Outcome{CTR: 1, CVR: 1, OrderValue: MoneyOf(10), Delay: Constant(0)}
	e := mustBuild(t, cfg)
	s := e.Snapshot()
	for name, v := range map[string]float64{
		"fill rate": s.Exchange.FillRate(), "mean price": s.Exchange.MeanPrice(),
		"timeout rate": s.Exchange.TimeoutRate(), "win rate": s.Bidders[0].WinRate(),
	} {
		if !math.IsNaN(v) {
			t.Errorf("before any auction, %s is %g, want NaN", name, v)
		}
	}
	e.RunAuctions(100)
	b := e.Snapshot().Bidders[0]
	for name, v := range map[string]float64{
		"mean price": b.MeanPrice(), "attributed ROAS": b.AttributedROAS(), "incremental ROAS": b.IncrementalROAS(),
	} {
		if !math.IsNaN(v) {
			t.Errorf("with no wins, %s is %g, want NaN", name, v)
		}
	}
	if wr := b.WinRate(); wr != 0 {
		t.Errorf("win rate %g with bid requests and no wins, want 0", wr)
	}
}

// An impression converts at most once: with certain clicks, conversions
// and organic conversions, every win converts exactly once, organically,
// and the ad causes none (it adds nothing to a certain conversion).
func TestOneConversionPerImpression(t *testing.T) {
	for _, c := range []struct {
		base            float64
		caused, organic bool
	}{{1, false, true}, {0, true, false}} {
		cfg := world(1, Constant(1))
		cfg.Bidders[0].Outcome = &Outcome{CTR: 1, CVR: 1, BaselineCVR: c.base, OrderValue: MoneyOf(1), Delay: Constant(0)}
		e := mustBuild(t, cfg)
		e.RunAuctions(1000)
		e.RunUntil(e.Now() + Second)
		b := e.Snapshot().Bidders[0]
		if b.Conversions+b.Organic+b.Pending != b.Wins || b.Clicks != b.Wins {
			t.Errorf("baseline %g: %d wins, %d clicks, %d caused + %d organic + %d pending conversions",
				c.base, b.Wins, b.Clicks, b.Conversions, b.Organic, b.Pending)
		}
		if (b.Conversions > 0) != c.caused || (b.Organic > 0) != c.organic {
			t.Errorf("baseline %g: %d caused, %d organic", c.base, b.Conversions, b.Organic)
		}
	}
}

// Runs that reach the end of virtual time stop there, without a panic: a
// request every 1,000 s for more auctions than fit in 146 years; a daily
// shape of 1e-300; a deadline past the end of time.
func TestEndOfTime(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): runs to the end of virtual time, ~8 s under -race")
	}
	slow := tiny(MinQPS)
	shaped := tiny(1)
	shaped.Traffic.Shape = []float64{1e-300}
	late := tiny(1)
	late.Traffic.Shape = []float64{1e-300}
	late.Exchange.Tmax = 2562047 * Hour
	late.Horizon = 2562047 * Hour
	late.Bidders[0].Budget = &Budget{Total: MoneyOf(10), Pacing: PacingThrottle}
	for name, cfg := range map[string]Config{"qps 0.001": slow, "shape 1e-300": shaped, "tmax 2562047h, shape 1e-300": late} {
		t.Run(name, func(t *testing.T) {
			e := mustBuild(t, cfg)
			const limit = 20_000_000
			reached := e.RunStop(Stop{Auctions: 10_000_000, Duration: 2562047 * Hour}, limit)
			if !reached || e.Events() >= limit {
				t.Fatalf("not ended after %d events: now %v, %d auctions", e.Events(), e.Now(), e.Auctions())
			}
			s := e.Snapshot()
			if s.Now < 0 || s.Now > EndOfTime || s.Exchange.InFlight != 0 {
				t.Errorf("now %v, %d in flight", s.Now, s.Exchange.InFlight)
			}
			e.RunUntil(never) // returns: nothing left
			e.Step()
		})
	}
}
