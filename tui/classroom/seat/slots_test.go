package seat

import (
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestSlotsAtTheTable: with several slots the table sells them by rank,
// the seat learns its slot, its price per click and per impression, and
// its surplus α × value − price; VCG charges no more than GSP, and in
// VCG bidding one's value never does worse than the bid made.
func TestSlotsAtTheTable(t *testing.T) {
	for _, auction := range []sim.AuctionType{sim.GSP, sim.VCG} {
		cfg := config(auction, 0, 0, 4)
		cfg.Exchange.Slots = []float64{1, 0.6, 0.3}
		tab, err := New(cfg, []int{0})
		if err != nil {
			t.Fatal(err)
		}
		if len(tab.Slots()) != 3 {
			t.Fatalf("slots %v", tab.Slots())
		}
		slotsWon := 0
		for round := range 200 {
			r := tab.Deal()
			v := r.Value(tab, 0)
			bid := sim.PriceOf(v.CPM() * []float64{1, 0.8, 0.5, 1.2}[round%4])
			res, err := tab.Close(r, []Bid{{Amount: bid}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Slots) != 3 || res.VCG != (auction == sim.VCG) {
				t.Fatalf("%s round %d: slots %+v", auction, round, res.Slots)
			}
			for j, sl := range res.Slots {
				if int(res.Responses[sl.Bidder].Rank) != j+1 {
					t.Errorf("%s: slot %d went to rank %d", auction, j+1, res.Responses[sl.Bidder].Rank)
				}
				if auction == sim.GSP && j+1 < len(res.Responses) {
					for _, o := range res.Responses {
						if int(o.Rank) == j+2 && sl.Click != o.Bid {
							t.Errorf("GSP slot %d pays %v per click, the next bid is %v", j+1, sl.Click, o.Bid)
						}
					}
				}
			}
			o := res.Seats[0]
			if s := o.Result; s.Won {
				slotsWon++
				sl := res.Slots[s.Slot-1]
				// What the engine credits a slot holder (before: α × value
				// rounded through a float CPM, one micro-CPM apart at times).
				want := sl.Surplus(v)
				if sl.Bidder != 0 || s.Price != sl.Impression || s.Click != sl.Click || s.Surplus != want {
					t.Errorf("%s: standing %+v, slot %+v", auction, s, sl)
				}
			}
			if auction == sim.VCG && o.Truthful.Surplus < o.Result.Surplus-1 { // raw: one micro-CPM of rounding
				t.Errorf("VCG round %d: bidding %v earned %v, the value %v would have earned only %v",
					round, bid, o.Result.Surplus, v, o.Truthful.Surplus)
			}
			if math.IsNaN(res.Slots[0].Weight) {
				t.Fatal("NaN weight")
			}
		}
		if slotsWon == 0 {
			t.Errorf("%s: the seat never won a slot in 200 rounds", auction)
		}
	}
}
