package sim

import (
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"
)

// span draws a float between lo and hi, log-uniformly, so that every
// order of magnitude is as likely.
func span(t *rapid.T, label string, lo, hi float64) float64 {
	u := rapid.Float64Range(0, 1).Draw(t, label)
	return min(hi, max(lo, math.Exp(math.Log(lo)+u*(math.Log(hi)-math.Log(lo)))))
}

// genEdgeDist draws a distribution at the edges: from a nanosecond (or
// nothing) to about a century, or CPM from 0 to a trillion.
func genEdgeDist(t *rapid.T, label string, lo, hi float64) Dist {
	x := func(name string) float64 { return span(t, label+"."+name, lo, hi) }
	switch rapid.IntRange(0, 5).Draw(t, label+".kind") {
	case 0:
		return Constant(x("value"))
	case 1:
		a := x("min")
		return Uniform(a, a+x("width"))
	case 2:
		med := x("median")
		return LogNormalMedianP99(med, med*rapid.Float64Range(1, 100).Draw(t, label+".spread"))
	case 3:
		return Exponential(x("mean"))
	case 4:
		return Mixture(Part{span(t, label+".w1", 1e-300, 1e308), Constant(x("a"))},
			Part{span(t, label+".w2", 1e-300, 1e308), Exponential(x("b"))})
	}
	return Constant(0)
}

// genEdgeConfig draws a valid world at the edges of every range.
func genEdgeConfig(t *rapid.T) Config {
	const century = 100 * 365 * 24 * float64(Hour)
	cfg := Config{
		Seed:    rapid.Uint64().Draw(t, "seed"),
		Traffic: Traffic{QPS: span(t, "qps", MinQPS, 1e12)},
		Exchange: ExchangeConfig{
			Auction:   rapid.SampledFrom([]AuctionType{FirstPrice, SecondPrice}).Draw(t, "auction"),
			Tmax:      Time(span(t, "tmax", 1, century)),
			Floor:     PriceOf(rapid.SampledFrom([]float64{0, 0.5, 1e6, 1e12}).Draw(t, "floor")),
			Increment: PriceOf(rapid.SampledFrom([]float64{0, 0.01, 1e6}).Draw(t, "increment")),
		},
		Horizon: Time(span(t, "horizon", float64(Second), century)),
		Recent:  rapid.IntRange(0, 8).Draw(t, "recent"),
	}
	if rapid.Bool().Draw(t, "has shape") {
		n := rapid.IntRange(1, 30).Draw(t, "shape parts")
		for range n {
			cfg.Traffic.Shape = append(cfg.Traffic.Shape, rapid.SampledFrom([]float64{0, 1e-300, 1e-6, 1, 1e15}).Draw(t, "shape"))
		}
		cfg.Traffic.Shape[0] = max(cfg.Traffic.Shape[0], 1e-300)
	}
	n := rapid.IntRange(1, 4).Draw(t, "bidders")
	for i := range n {
		b := BidderConfig{
			Name:  fmt.Sprintf("b%d", i),
			Value: genEdgeDist(t, "value", 1e-6, 1e12),
		}
		if rapid.Bool().Draw(t, "has latency") {
			b.Latency = genEdgeDist(t, "latency", 1, century)
		}
		if rapid.Bool().Draw(t, "has capacity") {
			b.Capacity = &Capacity{
				Workers: rapid.IntRange(1, 3).Draw(t, "workers"),
				Service: genEdgeDist(t, "service", 1, century),
				Queue:   rapid.IntRange(0, 4).Draw(t, "queue"),
			}
		}
		switch rapid.IntRange(0, 2).Draw(t, "strategy") {
		case 1:
			b.Strategy = Strategy{Kind: Shade, Factor: span(t, "factor", 1e-6, 1e13)}
		case 2:
			b.Strategy = Strategy{Kind: Fixed, Bid: PriceOf(span(t, "fixed bid", 1e-6, 1e12))}
		}
		if rapid.Bool().Draw(t, "has budget") {
			b.Budget = &Budget{
				Total:  MoneyOf(span(t, "budget", 1e-3, 1e12)),
				Pacing: PacingKind(rapid.IntRange(0, 2).Draw(t, "pacing")),
			}
		}
		if rapid.Bool().Draw(t, "has outcome") {
			b.Outcome = &Outcome{
				CTR:         rapid.Float64Range(0, 1).Draw(t, "ctr"),
				CVR:         rapid.Float64Range(0, 1).Draw(t, "cvr"),
				BaselineCVR: rapid.Float64Range(0, 1).Draw(t, "baseline"),
				OrderValue:  MoneyOf(span(t, "order value", 1e-3, 1e12)),
				Delay:       genEdgeDist(t, "delay", 1, century),
			}
		}
		cfg.Bidders = append(cfg.Bidders, b)
	}
	return cfg
}

// Random worlds at the edges of every range run a bounded number of events
// without a panic, and their books hold: no negative money, revenue = Σ
// spend (saturating alike), no budget overspent, every auction filled or
// not, the clock within virtual time.
func TestEdgeWorlds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := genEdgeConfig(t)
		e := build(cfg) // beyond the supported ranges too
		const maxEvents = 20_000
		stop := Stop{Duration: cfg.Horizon, Auctions: rapid.Uint64Range(1, 5000).Draw(t, "stop auctions")}
		for range 3 {
			e.RunStop(stop, maxEvents/3)
		}
		if e.Events() > maxEvents {
			t.Fatalf("%d events, more than the %d allowed", e.Events(), maxEvents)
		}
		s := e.Snapshot()
		x := s.Exchange
		if s.Now < 0 || s.Now > EndOfTime {
			t.Fatalf("clock %d outside virtual time", s.Now)
		}
		if x.Revenue < 0 || x.Value < 0 {
			t.Fatalf("revenue %d, value %d", x.Revenue, x.Value)
		}
		if x.Filled+x.Unfilled != x.Auctions || x.Auctions+x.InFlight != x.Requests {
			t.Fatalf("auctions %d = %d filled + %d unfilled; %d requests, %d in flight", x.Auctions, x.Filled, x.Unfilled, x.Requests, x.InFlight)
		}
		var spend Money
		for i, b := range s.Bidders {
			if b.Spend < 0 || b.Value < 0 || b.ValueCaused < 0 || b.ValueOrgan < 0 {
				t.Fatalf("%s: spend %d, value %d, conversion value %d + %d", b.Name, b.Spend, b.Value, b.ValueCaused, b.ValueOrgan)
			}
			if !b.Unlimited && b.Spend > b.Budget {
				t.Fatalf("%s spent %d of %d", b.Name, b.Spend, b.Budget)
			}
			if l := b.Latency; l.Mean < 0 || l.P50 < 0 || l.Max < 0 || l.Max > EndOfTime {
				t.Fatalf("%s latency %+v", b.Name, l)
			}
			if cfg.Bidders[i].Outcome != nil && b.Conversions+b.Organic+b.Pending > b.Wins {
				t.Fatalf("%s: %d conversions from %d wins", b.Name, b.Conversions+b.Organic+b.Pending, b.Wins)
			}
			spend = addMoney(spend, b.Spend)
		}
		if spend != x.Revenue {
			t.Fatalf("Σ spend %d ≠ revenue %d", spend, x.Revenue)
		}
		for _, p := range s.Series.Points {
			if p.Revenue < 0 || p.Start < 0 {
				t.Fatalf("series point at %d: revenue %d", p.Start, p.Revenue)
			}
		}
		for _, a := range s.Recent {
			if a.Price < 0 {
				t.Fatalf("auction %d cleared at %d", a.ID, a.Price)
			}
			for _, r := range a.Responses {
				if r.Bid < 0 || r.Value < 0 || r.Time < 0 {
					t.Fatalf("auction %d: response %+v", a.ID, r)
				}
			}
		}
	})
}
