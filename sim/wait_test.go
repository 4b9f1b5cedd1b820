package sim

import (
	"math"
	"testing"
)

// An auction closes when its last called bidder answers: with constant
// latencies every wait is the slowest bidder's; held open, it is tmax.
func TestWaitIsTheSlowestAnswer(t *testing.T) {
	for _, c := range []struct {
		name string
		hold bool
		want Time
	}{
		{"close early", false, 50 * Millisecond},
		{"held open", true, 100 * Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := world(3, Uniform(0, 1))
			cfg.Exchange.HoldOpen = c.hold
			cfg.Bidders[0].Latency = Constant(float64(30 * Millisecond))
			cfg.Bidders[1].Latency = Constant(float64(50 * Millisecond))
			cfg.Bidders[2].Latency = Constant(float64(10 * Millisecond))
			cfg.Bidders[2].Errors = 0.5 // errors answer after their latency too
			cfg.Bidders[0].NoBid = 0.5
			e := mustNew(t, cfg)
			e.RunAuctions(5000)
			s := e.Snapshot()
			w := s.Exchange.Wait
			if w.Count != 5000 || w.Mean != c.want {
				t.Errorf("wait %+v over %d auctions, want every one %v", w, s.Exchange.Auctions, c.want)
			}
			for _, r := range s.Recent {
				if r.Close-r.Start != c.want {
					t.Errorf("auction %d: started %v, closed %v", r.ID, r.Start, r.Close)
				}
			}
			if s.Exchange.Errors == 0 {
				t.Error("no errors")
			}
		})
	}
}

// The wait of n bidders with i.i.d. latencies F, each hanging with
// probability h, is tmax when any hangs and min(tmax, max latency)
// otherwise: E[W] = q·∫₀ᵀ(1 − Fⁿ) + (1 − q)·T with q = (1 − h)ⁿ, and
// P(W ≤ w) = q·F(w)ⁿ below T. Errors and no-bids answer after the same
// latency, so they leave the wait as it is.
func TestWaitMatchesTheory(t *testing.T) {
	const (
		n     = 3
		mean  = 40e6 // ns
		tmax  = 100 * Millisecond
		hangs = 0.04
		runs  = 40_000
	)
	cfg := world(n, Uniform(0, 1))
	cfg.Exchange.Tmax = tmax
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = Exponential(mean)
		cfg.Bidders[i].Hangs = hangs
		cfg.Bidders[i].Errors = 0.1
		cfg.Bidders[i].NoBid = 0.2
	}
	e := mustNew(t, cfg)
	e.RunAuctions(runs)
	s := e.Snapshot()
	// Latencies are whole nanoseconds, rounded down: F(t) at t + 1ns.
	F := func(t float64) float64 { return 1 - math.Exp(-(t+1)/mean) }
	q := math.Pow(1-hangs, n)
	T := float64(tmax)
	// ∫₀ᵀ (1 − F(t)ⁿ) dt and ∫₀ᵀ 2t(1 − F(t)ⁿ) dt by Simpson's rule.
	var m1, m2 float64
	const steps = 20_000
	h := T / steps
	for i := 0; i <= steps; i++ {
		x := float64(i) * h
		wgt := 2.0
		switch {
		case i == 0 || i == steps:
			wgt = 1
		case i%2 == 1:
			wgt = 4
		}
		g := 1 - math.Pow(F(x), n)
		m1 += wgt * g
		m2 += wgt * 2 * x * g
	}
	m1 *= h / 3
	m2 *= h / 3
	// W = min(T, max) when nothing hangs: E[W²] = ∫₀ᵀ 2t P(W > t) dt.
	mean1 := q*m1 + (1-q)*T
	sq := q*m2 + (1-q)*T*T
	sd := math.Sqrt(sq - mean1*mean1)
	got := float64(s.Exchange.Wait.Mean)
	if se := sd / math.Sqrt(runs); math.Abs(got-mean1) > 3*se {
		t.Errorf("mean wait %v, theory %v ± %v", Time(got), Time(mean1), Time(se))
	}
	// The median: q·F(w)ⁿ = 1/2.
	med := -mean*math.Log(1-math.Pow(0.5/q, 1.0/n)) - 1
	if p50 := float64(s.Exchange.Wait.P50); math.Abs(p50-med) > 0.03*med {
		t.Errorf("median wait %v, theory %v", s.Exchange.Wait.P50, Time(med))
	}
	x := s.Exchange
	if share := float64(x.Hangs) / float64(x.BidRequests); math.Abs(share-hangs) > 3*math.Sqrt(hangs*(1-hangs)/float64(x.BidRequests)) {
		t.Errorf("hangs %d of %d bid requests, want a share of %g", x.Hangs, x.BidRequests, hangs)
	}
	if x.BidRequests != x.Bids+x.NoBids+x.Errors+x.Refused+x.Hangs {
		t.Errorf("bid requests %d ≠ bids + no-bids + errors + refused + hangs: %+v", x.BidRequests, x)
	}
}

// Closing early changes when an auction closes, not how it clears: the
// same ad requests clear alike either way.
func TestCloseEarlyKeepsClearing(t *testing.T) {
	cfg := curveWorld(SecondPrice)
	cfg.Exchange.TmaxCurve = TmaxGrid{}
	cfg.Bidders[4].Hangs = 0.05
	held := cfg
	held.Exchange.HoldOpen = true
	a, b := mustNew(t, cfg), mustNew(t, held)
	runDrained(t, a, 10*Second)
	runDrained(t, b, 10*Second)
	x, y := a.Snapshot().Exchange, b.Snapshot().Exchange
	if x.Revenue != y.Revenue || x.Filled != y.Filled || x.Late != y.Late || x.Hangs != y.Hangs || x.RevenueLost != y.RevenueLost {
		t.Errorf("closing early changed the auctions: %+v, held open %+v", x, y)
	}
	if !(x.Wait.Mean < y.Wait.Mean) || y.Wait.Mean != cfg.Exchange.Tmax {
		t.Errorf("waits: early %v, held open %v (want tmax %v)", x.Wait.Mean, y.Wait.Mean, cfg.Exchange.Tmax)
	}
}
