package report

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// budgeted gives cfg's second bidder a budget: no closed form.
func budgeted(cfg sim.Config) sim.Config {
	cfg.Bidders[1].Budget = &sim.Budget{Total: sim.MoneyOf(10)}
	return cfg
}

func theoryWorld(values ...sim.Dist) sim.Config {
	cfg := sim.Config{
		Seed:     3,
		Traffic:  sim.Traffic{QPS: 1000},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
	}
	for i, v := range values {
		cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{Name: string(rune('a' + i)), Value: v})
	}
	return cfg
}

// The JSON carries theory's figures where a closed form applies and the
// reason where it does not.
func TestSummaryTheory(t *testing.T) {
	for _, tc := range []struct {
		cfg  sim.Config
		want string
	}{
		{theoryWorld(sim.Uniform(0, 1), sim.Uniform(0, 1), sim.Uniform(0, 1)), `"theory":{"applies":true,"mean_clearing_price":0.5,"revenue_per_auction":0.5,"fill_rate":1,`},
		{theoryWorld(sim.Uniform(0, 1), sim.Uniform(0, 2)), `"theory":{"applies":true,"mean_clearing_price":0.41666`},
		{budgeted(theoryWorld(sim.Uniform(0, 1), sim.Uniform(0, 1))), `"theory":{"applies":false,"why":"b has a budget`},
	} {
		e, err := sim.New(tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(100)
		b, err := json.Marshal(NewSummary(e.Snapshot(), Meta{}))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), tc.want) {
			t.Errorf("summary %s\nlacks %s", b, tc.want)
		}
	}
}

// Revenue per auction and the lost share are in the JSON, from sim's
// figures: three truthful U[0,1] bidders clear at about 0.5 CPM.
func TestExchangeRevenuePerAuction(t *testing.T) {
	e, err := sim.New(theoryWorld(sim.Uniform(0, 1), sim.Uniform(0, 1), sim.Uniform(0, 1)))
	if err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(20000)
	s := NewSummary(e.Snapshot(), Meta{})
	rpa := s.Exchange.RevenuePerAuction.Float()
	if want := s.Exchange.Revenue * 1000 / float64(s.Auctions); math.Abs(rpa-want) > 1e-9 || rpa < 0.48 || rpa > 0.52 {
		t.Errorf("revenue per auction %g, want revenue×1000/auctions = %g ≈ 0.5", rpa, want)
	}
	if ls := s.Exchange.LostShare.Float(); ls != 0 {
		t.Errorf("lost share %g with no late bids", ls)
	}
}
