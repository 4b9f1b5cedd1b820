package sim

import "testing"

func BenchmarkTheoryIndependent(b *testing.B) {
	cfg := world(8, Uniform(0.5, 4))
	for i := range cfg.Bidders {
		cfg.Bidders[i].Value = LogNormalMedianP99(1+0.1*float64(i), 4)
		cfg.Bidders[i].Latency = LogNormalMedianP99(ms(30+15*float64(i)), ms(90+30*float64(i)))
	}
	cfg.Exchange.Floor, cfg.Exchange.Increment = PriceOf(0.1), PriceOf(0.01)
	in := NewTheoryInput(cfg)
	in.memo = nil // the integral each time, not the memo's copy
	for b.Loop() {
		if !in.Theory().Applies {
			b.Fatal("no theory")
		}
	}
}

// BenchmarkBidderTheory is each bidder's expectation for five lognormal
// bidders of different laws and shares, late and not (the case that cost
// ~150 ms before the shared grid).
func BenchmarkBidderTheory(b *testing.B) {
	cfg := world(5, Uniform(0.5, 4))
	for i := range cfg.Bidders {
		cfg.Bidders[i].Value = LogNormalMedianP99(1+0.2*float64(i), 4+float64(i))
		cfg.Bidders[i].Latency = LogNormalMedianP99(ms(30+15*float64(i)), ms(90+30*float64(i)))
		cfg.Bidders[i].Strategy = Strategy{Kind: Shade, Factor: 1 - 0.05*float64(i)}
	}
	cfg.Exchange.Floor = PriceOf(0.1)
	in := NewTheoryInput(cfg)
	in.memo = nil // the integral each time, not the memo's copy
	for b.Loop() {
		if bt, why := in.BidderTheory(); len(bt) != 5 {
			b.Fatal(why)
		}
	}
}
