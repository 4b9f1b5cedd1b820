package classroom

import (
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// The trainer's "Earlier rounds" lines nest no brackets: the reason
// follows a comma, since one reason has brackets of its own.
func TestRoundLineOneLevelOfBrackets(t *testing.T) {
	rm := quietRoom(t, 2)
	for _, tc := range []struct {
		reason    sim.PriceReason
		increment float64
		want      string
	}{
		{sim.FirstPriceBid, 0, "#1 b1 won at 0.731, its own bid (first price)"},
		{sim.SecondBid, 0, "#1 b1 won at 0.731, set by the second-highest bid"},
		{sim.SecondBid, 0.01, "#1 b1 won at 0.731, set by the second-highest bid + increment 0.010"},
		{sim.FloorPrice, 0, "#1 b1 won at 0.731, set by the floor"},
		{sim.FloorPrice, 0.01, "#1 b1 won at 0.731, set by the floor + increment 0.010"},
		{sim.CappedAtBid, 0.01, "#1 b1 won at 0.731, set by its own bid, as the second-highest bid + increment 0.010 would pass it"},
		// Capped with no other eligible bid: the floor + increment would
		// pass the bid (it read "the second-highest bid", which was none).
		{sim.CappedAtBid, 0.05, "#1 b1 won at 0.731, set by its own bid, as the floor + increment 0.050 would pass it"},
	} {
		res := &seat.Result{Number: 1, Winner: 1, Price: sim.PriceOf(0.731), Reason: tc.reason, Increment: sim.PriceOf(tc.increment),
			Floor: sim.PriceOf(0.7), Responses: []sim.Response{{Rank: 2, Bid: sim.PriceOf(0.725)}, {Rank: 1, Bid: sim.PriceOf(0.731)}}}
		if tc.increment == 0.05 {
			res.Responses[0] = sim.Response{Bid: sim.PriceOf(0.6), Status: sim.BelowFloor} // under the floor: not ranked
		}
		got := roundLine(rm.Table(), room.RoundRecord{Result: res})
		if got != tc.want {
			t.Errorf("%v: %q, want %q", tc.reason, got, tc.want)
		}
		depth := 0
		for _, r := range got {
			switch r {
			case '(':
				if depth++; depth > 1 {
					t.Errorf("%v: nested brackets in %q", tc.reason, got)
				}
			case ')':
				depth--
			}
		}
	}
}
