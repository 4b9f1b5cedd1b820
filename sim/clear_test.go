package sim

import (
	"slices"
	"testing"
)

// ClearPrice prices every recorded auction as the engine did: second and
// first price, with a floor and an increment, equal fixed bids for ties,
// and many bid requests unanswered, for lone bids and unsold auctions.
func TestClearPriceIsTheEngines(t *testing.T) {
	for _, auction := range []AuctionType{SecondPrice, FirstPrice} {
		cfg := world(4, Uniform(0, 1))
		cfg.Exchange.Auction = auction
		cfg.Exchange.Floor = PriceOf(0.2)
		cfg.Exchange.Increment = PriceOf(0.01)
		cfg.Bidders[3].Strategy = Strategy{Kind: Fixed, Bid: PriceOf(0.5)}
		cfg.Bidders[2].Strategy = Strategy{Kind: Fixed, Bid: PriceOf(0.5)}
		// Often only one bid, or none: prices at the floor, no sale.
		for i := range cfg.Bidders {
			cfg.Bidders[i].Errors = 0.6
		}
		cfg.Recent = 512
		e := mustNew(t, cfg)
		e.RunStop(Stop{Auctions: 2000}, ^uint64(0))
		recs := e.Snapshot().Recent
		if len(recs) < 500 {
			t.Fatalf("%d recent auctions", len(recs))
		}
		reasons := map[PriceReason]int{}
		for _, rec := range recs {
			var best, second Price
			n := 0
			for _, r := range rec.Responses {
				switch r.Rank {
				case 0:
					continue
				case 1:
					best = r.Bid
				case 2:
					second = r.Bid
				}
				n++
			}
			price, reason := ClearPrice(rec.Auction, rec.Floor, rec.Increment, best, second, n)
			if price != rec.Price || reason != rec.Reason {
				t.Fatalf("%v auction %d: ClearPrice %v (%v), the engine %v (%v)", auction, rec.ID, price, reason, rec.Price, rec.Reason)
			}
			reasons[reason]++
		}
		if auction == SecondPrice && (reasons[SecondBid] == 0 || reasons[FloorPrice] == 0 || reasons[CappedAtBid] == 0 || reasons[NoSale] == 0) {
			t.Errorf("second price: reasons seen %v; want every kind", reasons)
		}
	}
}

// StrategyBid bids as the engine's unpaced, unbudgeted bidders do, for
// every strategy, on every response that carries a bid.
func TestStrategyBidIsTheEngines(t *testing.T) {
	cfg := world(3, Uniform(0, 3))
	cfg.Bidders[1].Strategy = Strategy{Kind: Shade, Factor: 0.73}
	cfg.Bidders[2].Strategy = Strategy{Kind: Fixed, Bid: PriceOf(1.234567)}
	cfg.Recent = 512
	e := mustNew(t, cfg)
	e.RunStop(Stop{Auctions: 1000}, ^uint64(0))
	seen := 0
	for _, rec := range e.Snapshot().Recent {
		for i, r := range rec.Responses {
			if r.Bid == 0 {
				continue
			}
			if want := StrategyBid(cfg.Bidders[i].Strategy, r.Value); r.Bid != want {
				t.Fatalf("auction %d, %s: value %v bid %v, StrategyBid %v", rec.ID, cfg.Bidders[i].Name, r.Value, r.Bid, want)
			}
			seen++
		}
	}
	if seen < 1000 {
		t.Fatalf("only %d bids checked", seen)
	}
}

// RankBids ranks the on-time bids, higher first and equal ones by the tie
// rule, and leaves every other answer unranked.
func TestRankBids(t *testing.T) {
	// raw: micro-CPM, only the order matters
	rs := []Response{
		{Status: OnTime, Bid: 2, Rank: 9},
		{Status: Late, Bid: 9, Rank: 9},
		{Status: OnTime, Bid: 5},
		{Status: BelowFloor, Bid: 1},
		{Status: OnTime, Bid: 2},
		{Status: OnTime, Bid: 2},
		{Status: NoBid},
	}
	keys := []uint64{1, 0, 0, 0, 7, 3, 0}
	order := RankBids(rs, func(i, j int) bool { return keys[i] > keys[j] })
	if !slices.Equal(order, []int{2, 4, 5, 0}) {
		t.Errorf("order %v, want [2 4 5 0]", order)
	}
	for i, want := range []int32{4, 0, 1, 0, 2, 3, 0} {
		if rs[i].Rank != want {
			t.Errorf("bidder %d ranks %d, want %d", i, rs[i].Rank, want)
		}
	}
	// The records' rule: the winner first among equal bids, then
	// configuration order.
	rec := AuctionRecord{Winner: 5, Responses: rs}
	rank(&rec, nil)
	for i, want := range []int32{3, 0, 1, 0, 4, 2, 0} {
		if rs[i].Rank != want {
			t.Errorf("in a record won by 5, bidder %d ranks %d, want %d", i, rs[i].Rank, want)
		}
	}
}
