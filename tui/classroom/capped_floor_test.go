package classroom

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
	"github.com/auctionsim/auctionsim/tui/play"
)

// TestCappedAtTheFloor: reserve-price with an increment (floor 0.5,
// increment 0.05), a student under the floor and the robot's bid 0.542:
// the floor + increment, 0.55, would pass the robot's bid, so it pays its
// bid. The student read "set by its own bid, as the second-highest bid +
// increment 0.050 would pass it" and the trainer "as the second-highest
// bid 0.000 + …": there was no eligible second bid, the floor was the
// base. Both now name the floor; a capped round with a second bid above
// the floor still names that bid.
func TestCappedAtTheFloor(t *testing.T) {
	cfg := sim.Config{Name: "t", Seed: 1, Traffic: sim.Traffic{QPS: 1},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond,
			Floor: sim.PriceOf(0.5), Increment: sim.PriceOf(0.05)}}
	for _, n := range []string{"ada", "bo", "cyd"} {
		cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{Name: n, Value: sim.Uniform(0, 1), Strategy: sim.Strategy{Kind: sim.Truthful}})
	}
	tab, err := seat.New(cfg, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	st := play.NewStyles(ascii())
	lone, second := 0, 0
	for range 2000 {
		r := tab.Deal()
		res, err := tab.Close(r, []seat.Bid{{Amount: sim.PriceOf(0.1)}}) // under the floor
		if err != nil {
			t.Fatal(err)
		}
		if res.Reason != sim.CappedAtBid {
			continue
		}
		ranked := 0
		for _, resp := range res.Responses {
			if resp.Rank > 0 {
				ranked++
			}
		}
		out := strings.Join(st.Outcome(res, res.Seats[0]), "\n")
		why := PriceWhy(res)
		if ranked == 1 {
			lone++
			if !strings.Contains(out, "as the floor + increment 0.050 would pass it") || !strings.Contains(why, "as the floor 0.500 + the increment 0.050 would pass it") {
				t.Fatalf("round %d, one eligible bid:\n%s\n%s", res.Number, out, why)
			}
		} else {
			second++
			if !strings.Contains(out, "as the second-highest bid + increment 0.050 would pass it") || !strings.Contains(why, "as the second-highest bid 0.") {
				t.Fatalf("round %d, two eligible bids:\n%s\n%s", res.Number, out, why)
			}
		}
	}
	if lone == 0 || second == 0 {
		t.Fatalf("capped with one eligible bid %d times, with two %d: both should occur", lone, second)
	}
}
