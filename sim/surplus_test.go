package sim

import "testing"

// TestSurplus checks Surplus against the auctions themselves: every
// recorded win adds the winner's value less the price, and in second price
// a truthful bidder's surplus is never negative while one bidding far above
// its value loses money.
func TestSurplus(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	cfg.Recent = 1 << 16
	cfg.Bidders[2].Strategy = Strategy{Kind: Fixed, Bid: PriceOf(5)}
	cfg.Bidders[2].NoBid = 0.5
	e := mustNew(t, cfg)
	e.RunAuctions(50_000)
	s := e.Snapshot()
	if len(s.Recent) != int(s.Exchange.Auctions) {
		t.Fatalf("recent ring holds %d of %d auctions; make it hold all", len(s.Recent), s.Exchange.Auctions)
	}
	want := make([]Money, len(s.Bidders))
	for _, a := range s.Recent {
		if a.Winner >= 0 {
			want[a.Winner] += a.Responses[a.Winner].Value.Cost() - a.Price.Cost()
		}
	}
	for i, b := range s.Bidders {
		if got := b.Surplus(); got != want[i] {
			t.Errorf("%s surplus = %d, want %d (Σ value − price over its wins)", b.Name, got, want[i])
		}
	}
	if s.Bidders[0].Surplus() <= 0 || s.Bidders[1].Surplus() <= 0 {
		t.Errorf("truthful surplus %v, %v, want > 0", s.Bidders[0].Surplus().Float(), s.Bidders[1].Surplus().Float())
	}
	if s.Bidders[2].Surplus() >= 0 {
		t.Errorf("fixed bid 5 on values below 1: surplus %v, want < 0", s.Bidders[2].Surplus().Float())
	}
}
