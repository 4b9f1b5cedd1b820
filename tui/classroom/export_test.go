package classroom

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// exportJSON is the part of the export a price is checked from.
type exportJSON struct {
	Auction string `json:"auction"`
	Rounds  []struct {
		Round     uint64   `json:"round"`
		Price     float64  `json:"price"`
		Reason    string   `json:"reason"`
		Floor     float64  `json:"floor"`
		Increment float64  `json:"increment"`
		Eligible  int      `json:"eligible_bids"`
		Highest   *float64 `json:"highest_bid"`
		Second    *float64 `json:"second_bid"`
		Winner    *string  `json:"winner"`
		Bidders   []struct {
			Bidder  string   `json:"bidder"`
			Student string   `json:"student"`
			Robot   bool     `json:"robot"`
			Value   float64  `json:"value"`
			Bid     *float64 `json:"bid"`
			Status  string   `json:"status"`
			Rank    int      `json:"rank"`
			Won     bool     `json:"won"`
			Paid    float64  `json:"paid"`
			Surplus float64  `json:"surplus"`
		} `json:"bidders"`
	} `json:"rounds"`
}

// Every round's price can be checked by hand from the export: it holds
// every bidder's value and bid, robots included, and the price recomputed
// from its eligible bids by the engine's rule is the one exported. Its
// reason names what priced it: with no increment, the second bid or the
// floor alone.
func TestExportChecksPrices(t *testing.T) {
	type game struct {
		auction   sim.AuctionType
		increment float64
	}
	for _, g := range []game{{sim.SecondPrice, 0.01}, {sim.SecondPrice, 0}, {sim.FirstPrice, 0.01}} {
		auction := g.auction
		t.Run(fmt.Sprintf("%s/increment %g", auction, g.increment), func(t *testing.T) {
			cfg := testRoomConfig(2, 30*time.Second)
			cfg.Sim.Exchange.Auction = auction
			cfg.Sim.Exchange.Floor = sim.PriceOf(0.3)
			cfg.Sim.Exchange.Increment = sim.PriceOf(g.increment)
			cfg.Clock = fixedClock{epoch}
			rm, ctx := runRoom(t, cfg)
			ann, _ := Join(rm, "ann")
			bids := []float64{0.9, 0.05, 0.45, 0.31, 0.7, 0.2, 0.6, 0.35, 0.5, 0.4}
			for k, b := range bids {
				round := uint64(k + 1)
				waitRound(t, ann, round)
				if k == 3 {
					if err := rm.CloseNow(ctx); err != nil { // ann sends nothing
						t.Fatal(err)
					}
					continue
				}
				if err := ann.Bid(round, sim.PriceOf(b)); err != nil {
					t.Fatal(err)
				}
			}
			var ex exportJSON
			exportSession(t, ctx, rm, &ex)
			if len(ex.Rounds) != len(bids) {
				t.Fatalf("%d rounds exported, want %d", len(ex.Rounds), len(bids))
			}
			sales, robots := 0, 0
			for _, r := range ex.Rounds {
				if len(r.Bidders) != 4 {
					t.Fatalf("round %d: %d bidders exported, want all 4", r.Round, len(r.Bidders))
				}
				// By hand: the eligible bids are the on-time ones at or above
				// the floor; rank them and apply the rule.
				var best, second sim.Price
				n, winner := 0, ""
				for _, b := range r.Bidders {
					if b.Robot {
						robots++
						if b.Student != "" {
							t.Errorf("round %d: robot %s has a student", r.Round, b.Bidder)
						}
					}
					if b.Status != "on time" {
						if b.Rank != 0 {
							t.Errorf("round %d: %s is %s yet ranked", r.Round, b.Bidder, b.Status)
						}
						continue
					}
					if b.Bid == nil || *b.Bid < r.Floor {
						t.Fatalf("round %d: %s on time with bid %v under the floor", r.Round, b.Bidder, b.Bid)
					}
					n++
					p := sim.PriceOf(*b.Bid)
					switch {
					case p > best:
						best, second, winner = p, best, b.Bidder
					case p > second:
						second = p
					}
				}
				if n != r.Eligible {
					t.Errorf("round %d: %d eligible bids, export says %d", r.Round, n, r.Eligible)
				}
				if n >= 2 && (r.Second == nil || sim.PriceOf(*r.Second) != second) {
					t.Errorf("round %d: second-highest bid %v, export %v", r.Round, second.CPM(), r.Second)
				}
				price, reason := sim.ClearPrice(auction, sim.PriceOf(r.Floor), sim.PriceOf(r.Increment), best, second, n)
				if sim.PriceOf(r.Price) != price || reason.Text(sim.PriceOf(r.Increment)) != r.Reason {
					t.Errorf("round %d: exported %v (%s), by hand %v (%s)", r.Round, r.Price, r.Reason, price.CPM(), reason)
				}
				if inc := strings.Contains(r.Reason, "increment"); inc != (r.Increment > 0 && (reason == sim.SecondBid || reason == sim.FloorPrice)) {
					t.Errorf("round %d: increment %v, reason %q", r.Round, r.Increment, r.Reason)
				}
				if n > 0 {
					sales++
					if r.Winner == nil || *r.Winner != winner {
						// Ties are broken at random: the winner must at least bid best.
						for _, b := range r.Bidders {
							if b.Won && (b.Bid == nil || sim.PriceOf(*b.Bid) != best) {
								t.Errorf("round %d: winner %s did not bid the highest %v", r.Round, b.Bidder, best.CPM())
							}
						}
					}
					for _, b := range r.Bidders {
						if b.Won && (sim.PriceOf(b.Paid) != price || math.Abs(b.Surplus-(b.Value-b.Paid)) > 1e-9) {
							t.Errorf("round %d: winner %s paid %v surplus %v", r.Round, b.Bidder, b.Paid, b.Surplus)
						}
					}
				}
				if k := r.Round; k == 4 {
					for _, b := range r.Bidders {
						if b.Student == "ann" && b.Bid != nil {
							t.Errorf("round 4: ann sent nothing, export bid %v", *b.Bid)
						}
					}
				}
			}
			if sales == 0 || robots == 0 {
				t.Errorf("nothing checked: %d sales, %d robot rows", sales, robots)
			}
		})
	}
}

// waitRound waits until p is bidding in round n.
func waitRound(t *testing.T, p *room.Player, n uint64) {
	t.Helper()
	deadline := time.After(limit)
	for {
		select {
		case s := <-p.Updates():
			if s.You != nil && s.You.InRound && s.Round == n {
				return
			}
		case <-deadline:
			t.Fatalf("round %d never came", n)
		}
	}
}
