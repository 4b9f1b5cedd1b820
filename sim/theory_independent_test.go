package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestIndependentMatchesClosedForms: where the i.i.d. closed forms hold,
// the independent form's integral gives what they give, for every
// auction, floor, share, increment and set of probabilities of taking
// part: the same expectation reached two ways.
func TestIndependentMatchesClosedForms(t *testing.T) {
	presences := [][]float64{{1, 1, 1, 1}, {1, 0.6, 0.9, 0.3}}
	for _, v := range []Dist{Uniform(0, 1), Uniform(1, 3), Exponential(0.5), Constant(1.2)} {
		for _, auction := range []AuctionType{SecondPrice, FirstPrice} {
			for _, r := range []float64{0, 0.3, 1.6} {
				for _, c := range []float64{1, 0.7} {
					for _, inc := range []float64{0, 0.05, 0.4} {
						if auction == FirstPrice && inc > 0 {
							continue
						}
						for _, p := range presences {
							bs := make([]bidLaw, len(p))
							for i := range p {
								bs[i] = bidLaw{v: v, c: c, p: p[i]}
							}
							got, fill := independentRevenue(bs, auction, r, inc)
							pk := poissonBinomial(p)
							want, wantFill := 0.0, 0.0
							for k := 1; k <= len(p); k++ {
								rk, fk := revenueK(v, auction, k, c, r, inc)
								want += pk[k] * rk
								wantFill += pk[k] * fk
							}
							// A constant's first-price bid is rounded to
							// a micro-CPM by the closed form, as the
							// engine rounds it.
							tol := 2e-7
							if v.Kind == DistConstant {
								tol = 1e-6
							}
							if math.Abs(got-want) > tol || math.Abs(fill-wantFill) > 1e-12 {
								t.Errorf("%s %s r=%g c=%g δ=%g p=%v: independent %.9f (fill %.9f), closed form %.9f (fill %.9f)",
									v, auction, r, c, inc, p, got, fill, want, wantFill)
							}
						}
					}
				}
			}
		}
	}
}

// TestIndependentHandCases: asymmetric bidders whose expectations follow
// by hand, atoms (a bidder of constant value) among them.
func TestIndependentHandCases(t *testing.T) {
	u1, u2 := bidLaw{v: Uniform(0, 1), c: 1, p: 1}, bidLaw{v: Uniform(0, 2), c: 1, p: 1}
	one, two := bidLaw{v: Constant(1), c: 1, p: 1}, bidLaw{v: Constant(2), c: 1, p: 1}
	half := bidLaw{v: Constant(0.5), c: 1, p: 1}
	cases := []struct {
		name      string
		bs        []bidLaw
		auction   AuctionType
		r, inc    float64
		rev, fill float64
	}{
		// E[min(X, Y)] = ∫_0^1 (1 − x)(1 − x/2) dx.
		{"U[0,1] and U[0,2], second price", []bidLaw{u1, u2}, SecondPrice, 0, 0, 5.0 / 12, 1},
		// E[max(X, Y)] = ∫_0^1 (1 − x²/2) dx + ∫_1^2 (1 − x/2) dx.
		{"U[0,1] and U[0,2], first price", []bidLaw{u1, u2}, FirstPrice, 0, 0, 13.0 / 12, 1},
		// r·(1 − ½·¼) + ∫_½^1 (1 − x)(1 − x/2) dx.
		{"U[0,1] and U[0,2], second price, floor 0.5", []bidLaw{u1, u2}, SecondPrice, 0.5, 0, 0.4375 + 1.0/12, 0.875},
		{"U[0,1] and U[0,2], first price, floor 0.5", []bidLaw{u1, u2}, FirstPrice, 0.5, 0,
			// r·P(fill) + ∫_½^1 (1 − x²/2) dx + ∫_1^2 (1 − x/2) dx.
			0.5*0.875 + (0.5 - (1.0-0.125)/6) + 0.25, 0.875},
		{"constants 1 and 2, second price", []bidLaw{one, two}, SecondPrice, 0, 0, 1, 1},
		{"constants 1 and 2, increment 0.5", []bidLaw{one, two}, SecondPrice, 0, 0.5, 1.5, 1},
		{"constants 1 and 2, increment 2: capped at the bid", []bidLaw{one, two}, SecondPrice, 0, 2, 2, 1},
		{"constants 1 and 2, first price", []bidLaw{one, two}, FirstPrice, 0, 0, 2, 1},
		{"constants 1 and 1, increment 0.5: a tie pays the bid", []bidLaw{one, one}, SecondPrice, 0, 0.5, 1, 1},
		{"constants 1 and 2, floor 1.5: one bid, the floor", []bidLaw{one, two}, SecondPrice, 1.5, 0, 1.5, 1},
		{"constant 2 at the floor sells", []bidLaw{one, two}, SecondPrice, 2, 0, 2, 1},
		{"constants below the floor", []bidLaw{one, two}, SecondPrice, 2.5, 0, 0, 0},
		{"constant 2 half the time, second price", []bidLaw{one, {v: Constant(2), c: 1, p: 0.5}}, SecondPrice, 0, 0, 0.5, 1},
		{"constant 2 half the time, first price", []bidLaw{one, {v: Constant(2), c: 1, p: 0.5}}, FirstPrice, 0, 0, 1.5, 1},
		// E[min(X, ½)] and E[max(X, ½)]: an atom inside the other's range.
		{"U[0,1] and constant 0.5, second price", []bidLaw{u1, half}, SecondPrice, 0, 0, 0.375, 1},
		{"U[0,1] and constant 0.5, first price", []bidLaw{u1, half}, FirstPrice, 0, 0, 0.625, 1},
		// Shading: bids c·X on [0, c].
		{"U[0,1] at 0.5 and U[0,2], first price", []bidLaw{{v: Uniform(0, 1), c: 0.5, p: 1}, u2}, FirstPrice, 0, 0,
			// ∫_0^½ (1 − 2x·x/2) dx + ∫_½^2 (1 − x/2) dx.
			(0.5 - 1.0/24) + (1.5 - (4.0-0.25)/4), 1},
	}
	for _, c := range cases {
		rev, fill := independentRevenue(c.bs, c.auction, c.r, c.inc)
		if math.Abs(rev-c.rev) > 1e-7 || math.Abs(fill-c.fill) > 1e-12 {
			t.Errorf("%s: revenue %.9f fill %.9f, want %.9f and %.9f", c.name, rev, fill, c.rev, c.fill)
		}
	}
}

// TestIndependentTheoryApplies: the worlds the i.i.d. forms refused for
// their values now have the independent form, and say so in the formula;
// each bidder's expectations add up to the exchange's.
func TestIndependentTheoryApplies(t *testing.T) {
	cases := map[string]func(*Config){
		"values differ": func(c *Config) { c.Bidders[2].Value = Uniform(0, 2) },
		"lognormal values": func(c *Config) {
			for i := range c.Bidders {
				c.Bidders[i].Value = LogNormal(0, 1)
			}
		},
		"increment with different shares": func(c *Config) {
			c.Exchange.Increment = PriceOf(0.01)
			c.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 0.8}
		},
		"different shares with constant values": func(c *Config) {
			for i := range c.Bidders {
				c.Bidders[i].Value = Constant(1)
			}
			c.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 0.8}
		},
		"first price, different laws and shares": func(c *Config) {
			c.Exchange.Auction = FirstPrice
			c.Bidders[0].Value = Exponential(1)
			c.Bidders[1].Value = LogNormalMedianP99(1, 4)
			c.Bidders[1].Strategy = Strategy{Kind: Shade, Factor: 0.7}
		},
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := world(3, Uniform(0, 1))
			cfg.Exchange.Floor = PriceOf(0.2)
			change(&cfg)
			th := mustApply(t, TheoryOf(cfg))
			if !strings.Contains(th.Formula, "independent values") {
				t.Errorf("formula %q does not name the independent form", th.Formula)
			}
			if !(th.RevenuePerAuction > 0) || !(th.FillRate > 0 && th.FillRate <= 1) {
				t.Errorf("revenue %g, fill %g", th.RevenuePerAuction, th.FillRate)
			}
			bt, why := BidderTheoryOf(cfg)
			if why != "" {
				if cfg.Bidders[0].Value.Kind == DistConstant {
					return // each bidder's form needs values without atoms
				}
				t.Fatal(why)
			}
			pay, win := 0.0, 0.0
			for _, b := range bt {
				pay += b.Payment
				win += b.WinRate
			}
			if math.Abs(pay-th.RevenuePerAuction) > 1e-5 || math.Abs(win-th.FillRate) > 1e-5 {
				t.Errorf("bidders pay %.7f and win %.7f in all; the exchange earns %.7f and fills %.7f", pay, win, th.RevenuePerAuction, th.FillRate)
			}
		})
	}
}

// TestIndependentMatchesSimulation: asymmetric worlds, simulated, agree
// with the independent form within 3 standard errors: revenue, fill and
// each bidder's win rate, payment and surplus where that form applies.
func TestIndependentMatchesSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): asymmetric worlds simulated against the independent form")
	}
	cases := map[string]func() Config{
		"second price, uniform, lognormal and exponential values, floor, increment, late bidders": func() Config {
			cfg := world(3, Uniform(0.5, 4))
			cfg.Bidders[1].Value = LogNormalMedianP99(1.5, 6)
			cfg.Bidders[2].Value = Exponential(1.2)
			cfg.Exchange.Floor, cfg.Exchange.Increment = PriceOf(0.3), PriceOf(0.05)
			cfg.Bidders[0].Latency = LogNormalMedianP99(ms(60), ms(180))
			cfg.Bidders[2].Latency = Exponential(ms(70))
			cfg.Bidders[1].NoBid = 0.2
			return cfg
		},
		"first price, different laws and shares, one late": func() Config {
			cfg := world(3, Uniform(0, 2))
			cfg.Exchange.Auction = FirstPrice
			cfg.Exchange.Floor = PriceOf(0.25)
			cfg.Bidders[1].Value = Exponential(0.8)
			cfg.Bidders[2].Value = Mixture(Part{Weight: 3, Dist: Uniform(0, 1)}, Part{Weight: 1, Dist: LogNormalMedianP99(2, 5)})
			for i, f := range []float64{0.6, 0.8, 0.7} {
				cfg.Bidders[i].Strategy = Strategy{Kind: Shade, Factor: f}
			}
			cfg.Bidders[1].Latency = Exponential(ms(90))
			return cfg
		},
		"second price, a bidder of constant value at the floor beside uniform rivals": func() Config {
			cfg := world(3, Uniform(0, 2))
			cfg.Bidders[0].Value = Constant(1)
			cfg.Bidders[2].Value = Uniform(0.5, 1.5)
			cfg.Exchange.Floor = PriceOf(1)
			return cfg
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := mk()
			th := mustApply(t, TheoryOf(cfg))
			t.Log(th.Formula)
			bt, bwhy := BidderTheoryOf(cfg)
			n := len(cfg.Bidders)
			wins, pays, surplus := make([][]float64, n), make([][]float64, n), make([][]float64, n)
			var fill []float64
			e := mustNew(t, cfg)
			rev := batches(t, e, 100, Second, func(prev, cur *Snapshot) float64 {
				a := float64(cur.Exchange.Auctions - prev.Exchange.Auctions)
				fill = append(fill, float64(cur.Exchange.Filled-prev.Exchange.Filled)/a)
				for i := range cur.Bidders {
					p, c := prev.Bidders[i], cur.Bidders[i]
					wins[i] = append(wins[i], float64(c.Wins-p.Wins)/a)
					spend := float64(c.Spend-p.Spend) / float64(PriceUnit)
					pays[i] = append(pays[i], spend/a)
					surplus[i] = append(surplus[i], (float64(c.Value-p.Value)/float64(PriceUnit)-spend)/a)
				}
				return revenuePerAuction(prev, cur)
			})
			within3SE(t, "revenue per auction", rev, th.RevenuePerAuction)
			within3SE(t, "fill rate", fill, th.FillRate)
			if bwhy != "" {
				t.Logf("each bidder's form: %s", bwhy)
				return
			}
			for i, b := range bt {
				within3SE(t, fmt.Sprint(b.Name, " win rate"), wins[i], b.WinRate)
				within3SE(t, b.Name+" payment per auction", pays[i], b.Payment)
				within3SE(t, b.Name+" surplus per auction", surplus[i], b.Surplus)
			}
		})
	}
}

// TestIndependentHeavyTails: where one law's tail sets the top of the
// range far above the mass (a lognormal whose p99 is a thousand times its
// median reaches 10¹⁰; a narrow law beside a wide one), the pieces still
// sample the mass: the expectations match their closed forms. One bidder
// in first price pays its mean; against a constant k it pays E[max(X, k)]
// = k·Φ(z) + e^{μ+σ²/2}·Φ(σ − z), z = (ln k − μ)/σ, and in second price
// E[min(X, k)] = E[X] + k − E[max(X, k)]. Halvings of the top alone left
// one piece of 64 steps below hi/2¹⁶, over the whole bulk: 758 for 83.
func TestIndependentHeavyTails(t *testing.T) {
	for _, ln := range []Dist{LogNormalMedianP99(1, 1000), LogNormalMedianP99(1, 100), LogNormalMedianP99(0.001, 0.002), LogNormalMedianP99(0.01, 2)} {
		mu, sigma := ln.A, ln.B
		mean := math.Exp(mu + sigma*sigma/2)
		x := bidLaw{v: ln, c: 1, p: 1}
		if rev, _ := independentRevenue([]bidLaw{x}, FirstPrice, 0, 0); math.Abs(rev-mean) > 1e-7*mean {
			t.Errorf("%s alone, first price: %.9g, want its mean %.9g", ln, rev, mean)
		}
		win, pay, value := bidderIntegrals([]bidLaw{x}, FirstPrice, 0, 0)
		if math.Abs(win-1) > 1e-9 || math.Abs(pay-mean) > 1e-6*mean || math.Abs(value-mean) > 1e-6*mean {
			t.Errorf("%s alone, the bidder's form: win %.9g, pays %.9g, value %.9g; want 1 and its mean %.9g", ln, win, pay, value, mean)
		}
		for _, k := range []float64{0.5, 3, 1000} {
			z := (math.Log(k) - mu) / sigma
			emax := k*stdNormalCDF(z) + mean*stdNormalCDF(sigma-z)
			emin := mean + k - emax
			ks := []bidLaw{x, {v: Constant(k), c: 1, p: 1}}
			if rev, _ := independentRevenue(ks, FirstPrice, 0, 0); math.Abs(rev-emax) > 1e-7*emax {
				t.Errorf("%s beside constant %g, first price: %.9g, want %.9g", ln, k, rev, emax)
			}
			if rev, _ := independentRevenue(ks, SecondPrice, 0, 0); math.Abs(rev-emin) > 1e-7*emin {
				t.Errorf("%s beside constant %g, second price: %.9g, want %.9g", ln, k, rev, emin)
			}
		}
	}
}

// TestIndependentFormulaReads: the formula says the increment's tail only
// where there is an increment (with none the price is the second bid, or
// the floor), and a law's figures in four digits (a lognormal given by mu
// and sigma has an irrational median).
func TestIndependentFormulaReads(t *testing.T) {
	cfg := world(2, Uniform(0, 1))
	cfg.Bidders[1].Value = LogNormal(-0.5, 0.6)
	th := mustApply(t, TheoryOf(cfg))
	for _, bad := range []string{"δ", "0.6065306597126334"} {
		if strings.Contains(th.Formula, bad) {
			t.Errorf("increment 0: the formula has %q: %s", bad, th.Formula)
		}
	}
	if !strings.Contains(th.Formula, "P(second > x)") || !strings.Contains(th.Formula, "median 0.6065") {
		t.Errorf("increment 0: %s", th.Formula)
	}
	cfg.Exchange.Increment = PriceOf(0.01)
	if th := mustApply(t, TheoryOf(cfg)); !strings.Contains(th.Formula, "+ δ") {
		t.Errorf("increment 0.01: %s", th.Formula)
	}
}

// TestBidderTheorySlots: each bidder's form integrates one item's auction;
// with several slots (GSP, VCG) it is the slots' totals over n for
// symmetric bidders, and otherwise says why there is none rather than give
// one item's figures under the slots' auction.
func TestBidderTheorySlots(t *testing.T) {
	for _, a := range []AuctionType{GSP, VCG} {
		cfg := world(4, Uniform(0, 1))
		cfg.Exchange.Auction, cfg.Exchange.Slots = a, []float64{1, 0.5}
		bt, why := BidderTheoryOf(cfg)
		if len(bt) != 4 || why != "" {
			t.Fatalf("%v with two slots, symmetric: %+v, why %q", a, bt, why)
		}
		if th, pay := TheoryOf(cfg), 4*bt[0].Payment; math.Abs(pay-th.RevenuePerAuction) > 1e-12 {
			t.Errorf("%v with two slots: payments add to %.9f, revenue %.9f", a, pay, th.RevenuePerAuction)
		}
		cfg.Bidders[1].Value = Uniform(0, 2)
		if bt, why := BidderTheoryOf(cfg); bt != nil || !strings.Contains(why, "slots") {
			t.Errorf("%v with two slots, one bidder's values unlike: %+v, why %q", a, bt, why)
		}
		cfg.Bidders[1].Value = Uniform(0, 1)
		cfg.Exchange.Slots = []float64{1}
		if bt, why := BidderTheoryOf(cfg); len(bt) != 4 || why != "" {
			t.Errorf("%v with one slot, second price: %+v, why %q", a, bt, why)
		}
	}
}
