package sim

import (
	"fmt"
	"math"
	"testing"
)

// Expected second-price revenue with n i.i.d. U[0,1] truthful bidders and
// reserve r (increment 0): R_n(r) = (n−1)/(n+1) + rⁿ − 2n·r^(n+1)/(n+1).
func revenueUniform(n int, r float64) float64 {
	switch n {
	case 0:
		return 0
	case 1:
		return r * (1 - r)
	}
	fn := float64(n)
	return (fn-1)/(fn+1) + math.Pow(r, fn) - 2*fn*math.Pow(r, fn+1)/(fn+1)
}

func binomial(n, k int) float64 {
	c := 1.0
	for i := range k {
		c = c * float64(n-i) / float64(i+1)
	}
	return c
}

func TestSecondPriceUniformMeanPrice(t *testing.T) {
	for _, n := range []int{2, 3, 5, 10} {
		t.Run(fmt.Sprint("n=", n), func(t *testing.T) {
			e := mustNew(t, world(n, Uniform(0, 1)))
			xs := batches(t, e, 100, Second, func(prev, cur *Snapshot) float64 {
				// Mean clearing price over filled auctions.
				w := cur.Exchange.Filled - prev.Exchange.Filled
				return float64(cur.Exchange.Revenue-prev.Exchange.Revenue) / float64(w) / float64(PriceUnit)
			})
			within3SE(t, "mean clearing price", xs, float64(n-1)/float64(n+1))
		})
	}
}

func TestSecondPriceReserve(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5} {
		for _, r := range []float64{0.3, 0.5, 0.7} {
			t.Run(fmt.Sprintf("n=%d/r=%g", n, r), func(t *testing.T) {
				cfg := world(n, Uniform(0, 1))
				cfg.Exchange.Floor = PriceOf(r)
				e := mustNew(t, cfg)
				var ns []float64
				rev := batches(t, e, 100, Second, func(prev, cur *Snapshot) float64 {
					ns = append(ns, noSale(prev, cur))
					return revenuePerAuction(prev, cur)
				})
				within3SE(t, "revenue per auction", rev, revenueUniform(n, r))
				within3SE(t, "no-sale probability", ns, math.Pow(r, float64(n)))
			})
		}
	}
}

// TestOptimalReserve checks the shape the formula predicts: revenue at the
// optimal reserve 1/2 beats reserves on either side, with common random
// numbers making the comparison sharp.
func TestOptimalReserve(t *testing.T) {
	rev := func(r float64) float64 {
		cfg := world(2, Uniform(0, 1))
		cfg.Exchange.Floor = PriceOf(r)
		e := mustNew(t, cfg)
		e.RunAuctions(200_000)
		s := e.Snapshot()
		return s.Exchange.Revenue.Float() * 1000 / float64(s.Exchange.Auctions)
	}
	lo, mid, hi := rev(0.3), rev(0.5), rev(0.7)
	if !(mid > lo && mid > hi) {
		t.Errorf("revenue at reserve 0.3, 0.5, 0.7 = %.4f, %.4f, %.4f: want the peak at 0.5", lo, mid, hi)
	}
}

func TestFirstPriceRevenueEquivalence(t *testing.T) {
	for _, n := range []int{2, 3, 5, 10} {
		t.Run(fmt.Sprint("n=", n), func(t *testing.T) {
			cfg := world(n, Uniform(0, 1))
			cfg.Exchange.Auction = FirstPrice
			for i := range cfg.Bidders {
				cfg.Bidders[i].Strategy = Strategy{Kind: Shade, Factor: float64(n-1) / float64(n)}
			}
			e := mustNew(t, cfg)
			xs := batches(t, e, 100, Second, revenuePerAuction)
			within3SE(t, "first-price revenue", xs, float64(n-1)/float64(n+1))
		})
	}
}

func TestExponentialValues(t *testing.T) {
	const lambda = 2.0
	for _, n := range []int{2, 4} {
		t.Run(fmt.Sprint("n=", n), func(t *testing.T) {
			e := mustNew(t, world(n, Exponential(1/lambda)))
			xs := batches(t, e, 100, Second, revenuePerAuction)
			h := 0.0
			for k := 1; k <= n; k++ {
				h += 1 / float64(k)
			}
			within3SE(t, "revenue", xs, (h-1)/lambda)
		})
	}
}

// Each bidder is independently late with probability p: revenue is the
// binomial mixture of R_k(r) over the k bidders on time.
func TestIndependentTimeouts(t *testing.T) {
	const n, p, r = 4, 0.3, 0.2
	cfg := lateWorld(n, p, r)
	want := 0.0
	for k := 0; k <= n; k++ {
		want += binomial(n, k) * math.Pow(1-p, float64(k)) * math.Pow(p, float64(n-k)) * revenueUniform(k, r)
	}
	e := mustNew(t, cfg)
	var late, lost []float64
	rev := batches(t, e, 100, Second, func(prev, cur *Snapshot) float64 {
		late = append(late, float64(cur.Exchange.Late-prev.Exchange.Late)/float64(cur.Exchange.Bids-prev.Exchange.Bids))
		// Revenue plus what timeouts cost is the revenue with nobody late.
		n := cur.Exchange.Auctions - prev.Exchange.Auctions
		lost = append(lost, float64(cur.Exchange.Revenue+cur.Exchange.RevenueLost-prev.Exchange.Revenue-prev.Exchange.RevenueLost)/float64(n)/float64(PriceUnit))
		return revenuePerAuction(prev, cur)
	})
	within3SE(t, "revenue with timeouts", rev, want)
	within3SE(t, "late share", late, p)
	within3SE(t, "revenue had nobody been late", lost, revenueUniform(n, r))
}

// lateWorld is n truthful bidders with values Uniform(0, 1) and floor r,
// each independently late with probability p: on time at tmax/2, else at
// 2·tmax.
func lateWorld(n int, p, r float64) Config {
	cfg := world(n, Uniform(0, 1))
	cfg.Exchange.Floor = PriceOf(r)
	tmax := cfg.Exchange.Tmax
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = Mixture(
			Part{Weight: 1 - p, Dist: Constant(float64(tmax / 2))},
			Part{Weight: p, Dist: Constant(float64(2 * tmax))},
		)
	}
	return cfg
}

// queueWorld is one truthful bidder with c workers, exponential service of
// rate mu per second, Poisson arrivals at lambda, no network latency.
func queueWorld(c int, lambda, mu float64, tmax Time) Config {
	cfg := world(1, Uniform(0, 1))
	cfg.Traffic.QPS = lambda
	cfg.Exchange.Tmax = tmax
	cfg.Bidders[0].Capacity = &Capacity{Workers: c, Service: Exponential(float64(Second) / mu)}
	return cfg
}

// meanResponse is a batch's mean response time in seconds.
func meanResponse(prev, cur *Snapshot) float64 {
	p, c := prev.Bidders[0].Latency, cur.Bidders[0].Latency
	sum := float64(c.Mean)*float64(c.Count) - float64(p.Mean)*float64(p.Count)
	return sum / float64(c.Count-p.Count) / float64(Second)
}

func lateShare(prev, cur *Snapshot) float64 {
	p, c := prev.Bidders[0], cur.Bidders[0]
	return float64(c.Late-p.Late) / float64(c.Bids-p.Bids)
}

func TestMM1(t *testing.T) {
	const lambda, mu = 500.0, 1000.0
	tmax := 5 * Millisecond
	e := mustNew(t, queueWorld(1, lambda, mu, tmax))
	var late []float64
	w := batches(t, e, 100, 5*Second, func(prev, cur *Snapshot) float64 {
		late = append(late, lateShare(prev, cur))
		return meanResponse(prev, cur)
	})
	within3SE(t, "mean response time (s)", w, 1/(mu-lambda))
	within3SE(t, "timeout share", late, math.Exp(-(mu-lambda)*tmax.Seconds()))
}

func TestMMc(t *testing.T) {
	const c, lambda, mu = 4, 2800.0, 1000.0
	tmax := 3 * Millisecond
	e := mustNew(t, queueWorld(c, lambda, mu, tmax))
	C := erlangWait(c, lambda, mu)
	theta := c*mu - lambda
	// Response = wait + service: wait is 0 with probability 1−C, else
	// Exponential(θ); the sum of two exponentials is hypoexponential.
	x := tmax.Seconds()
	pLate := (1-C)*math.Exp(-mu*x) + C*(theta*math.Exp(-mu*x)-mu*math.Exp(-theta*x))/(theta-mu)
	var late []float64
	w := batches(t, e, 100, 2*Second, func(prev, cur *Snapshot) float64 {
		late = append(late, lateShare(prev, cur))
		return meanResponse(prev, cur)
	})
	within3SE(t, "mean response time (s)", w, C/(c*mu-lambda)+1/mu)
	within3SE(t, "timeout share", late, pLate)
}

// TestFirstPriceEquilibriumIgnoresIncrement: the first-price equilibrium's
// revenue is, by revenue equivalence, truthful second price's without an
// increment, since in first price the winner pays its own bid. The closed
// form used to carry the scenario's increment into that second-price
// form: 4 bidders, U[0, 1], floor 0.2 and increment 0.05 gave 0.646 CPM
// where the run earns R_4(0.2) = 0.601.
func TestFirstPriceEquilibriumIgnoresIncrement(t *testing.T) {
	for _, r := range []float64{0, 0.2} {
		cfg := firstPrice(4, Uniform(0, 1), r, Strategy{Kind: Equilibrium})
		cfg.Exchange.Increment = PriceOf(0.05)
		th := mustApply(t, TheoryOf(cfg))
		want := revenueUniform(4, r)
		if math.Abs(th.RevenuePerAuction-want) > 1e-9 {
			t.Errorf("floor %g, increment 0.05: revenue %.6f, want R_4(r) = %.6f (the increment has no part in first price)", r, th.RevenuePerAuction, want)
		}
		each, why := BidderTheoryOf(cfg)
		if why != "" || len(each) != 4 {
			t.Fatalf("floor %g: no bidder figures: %s", r, why)
		}
		for _, b := range each {
			if math.Abs(b.Payment-want/4) > 1e-9 {
				t.Errorf("floor %g: %s pays %.6f per auction, want %.6f", r, b.Name, b.Payment, want/4)
			}
		}
	}
}

// TestEquilibriumBesideShares: with no floor and values uniform on
// [0, b], a first-price equilibrium bidder bids (n−1)/n of its value, so
// one switched to it beside rivals shading by 0.75 (first-vs-second's
// four) bids as they do. The closed form said there was none ("needs
// every bidder to bid alike"); it is the shading's, and the run agrees.
func TestEquilibriumBesideShares(t *testing.T) {
	cfg := firstPrice(4, Uniform(0, 1), 0, Strategy{Kind: Shade, Factor: 0.75})
	cfg.Bidders[0].Strategy = Strategy{Kind: Equilibrium}
	th := mustApply(t, TheoryOf(cfg))
	if math.Abs(th.RevenuePerAuction-0.6) > 1e-9 {
		t.Errorf("revenue %.6f, want 3/5 (all shading by 3/4)", th.RevenuePerAuction)
	}
	e := mustNew(t, cfg)
	within3SE(t, "revenue per auction", batches(t, e, 100, Second, revenuePerAuction), th.RevenuePerAuction)

	// Beside a truthful rival: the form of the shares 3/4, 1, 3/4, 3/4.
	cfg.Bidders[1].Strategy = Strategy{Kind: Truthful}
	ref := cfg
	ref.Bidders = append([]BidderConfig(nil), cfg.Bidders...)
	ref.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 0.75}
	got, want := mustApply(t, TheoryOf(cfg)), mustApply(t, TheoryOf(ref))
	if got.RevenuePerAuction != want.RevenuePerAuction || got.FillRate != want.FillRate {
		t.Errorf("beside a truthful rival: revenue %.6f, fill %.6f; as shading by 3/4: %.6f, %.6f",
			got.RevenuePerAuction, got.FillRate, want.RevenuePerAuction, want.FillRate)
	}
	each, why := BidderTheoryOf(cfg)
	if why != "" || len(each) != 4 {
		t.Fatalf("no bidder figures: %s", why)
	}
	e = mustNew(t, cfg)
	var pay []float64
	batches(t, e, 100, Second, func(prev, cur *Snapshot) float64 {
		n := cur.Exchange.Auctions - prev.Exchange.Auctions
		pay = append(pay, float64(cur.Bidders[0].Spend-prev.Bidders[0].Spend)*1000/float64(n)/float64(MoneyUnit))
		return 0
	})
	within3SE(t, "the equilibrium bidder's payment per auction", pay, each[0].Payment)

	// With a floor β is no share: no closed form, as before.
	cfg.Exchange.Floor = PriceOf(0.1)
	if th := TheoryOf(cfg); th.Applies {
		t.Errorf("floor 0.1: a closed form: %s", th.Formula)
	}
}
