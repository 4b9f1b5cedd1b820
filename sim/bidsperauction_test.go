package sim

import (
	"math"
	"testing"
)

// TestBidsPerAuctionCountsEachAuction: exchange.bids_per_auction is the
// bids, on time (above or below the floor) or late, of the closed
// auctions over their number, counted independently here auction by
// auction from the responses each closed auction kept (LastAuction); the
// no-bids, errors, refusals and hangs each world has are not bids. NaN
// before any auction closes.
func TestBidsPerAuctionCountsEachAuction(t *testing.T) {
	single := world(4, Uniform(0, 2))
	single.Exchange.Tmax = 80 * Millisecond
	single.Exchange.Floor = PriceOf(0.3)
	single.Traffic.QPS = 2000
	for i := range single.Bidders {
		b := &single.Bidders[i]
		b.Latency = LogNormalMedianP99(float64(30*Millisecond), float64(150*Millisecond))
		b.Errors, b.Hangs, b.NoBid = 0.05, 0.03, 0.1
	}
	single.Bidders[2].Capacity = &Capacity{Workers: 1, Service: Exponential(float64(2 * Millisecond)), Queue: 1}
	slots := single
	slots.Bidders = append([]BidderConfig(nil), single.Bidders...)
	slots.Exchange.Auction, slots.Exchange.Slots = GSP, []float64{1, 0.5}

	for name, cfg := range map[string]Config{"single item": single, "two slots": slots} {
		t.Run(name, func(t *testing.T) {
			e := mustNew(t, cfg)
			if got := MetricValues(e.Snapshot())["exchange.bids_per_auction"]; !math.IsNaN(got) {
				t.Fatalf("before any auction: %v, want NaN", got)
			}
			const n = 3000
			var bids uint64
			seen := map[Status]int{}
			for k := range uint64(n) {
				e.RunAuctions(1)
				if e.Auctions() != k+1 {
					t.Fatalf("%d auctions closed after %d steps of one", e.Auctions(), k+1)
				}
				rec, ok := e.LastAuction()
				if !ok {
					t.Fatal("no auction kept")
				}
				for _, r := range rec.Responses {
					seen[r.Status]++
					if r.Status == OnTime || r.Status == BelowFloor || r.Status == Late {
						bids++
					}
				}
			}
			// Every kind of answer occurred, so the count above was tested
			// against each: a bid counted or not as it should be.
			for _, s := range []Status{OnTime, BelowFloor, Late, NoBid, Error, Hang, Refused} {
				if seen[s] == 0 {
					t.Errorf("no %v response in %d auctions: the world misses a case", s, n)
				}
			}
			want := float64(bids) / n
			if got := e.Snapshot().Exchange.BidsPerAuction(); got != want {
				t.Errorf("BidsPerAuction %v, want %d bids / %d auctions = %v", got, bids, n, want)
			}
			if got := MetricValues(e.Snapshot())["exchange.bids_per_auction"]; got != want {
				t.Errorf("exchange.bids_per_auction %v, want %v", got, want)
			}
		})
	}
}
