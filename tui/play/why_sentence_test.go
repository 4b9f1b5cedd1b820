package play

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// TestOutcomeSaysWhyInASentence: the price's reason follows "paid X" as a
// phrase with its article, for every reason, for the seat that won and for
// one that lost; not a bare label after a colon ("paid 0.500: floor.").
func TestOutcomeSaysWhyInASentence(t *testing.T) {
	inc := sim.PriceOf(0.01)
	for _, c := range []struct {
		name      string
		reason    sim.PriceReason
		increment sim.Price
		won, lost string
	}{
		{"floor", sim.FloorPrice, 0,
			"won, paid 0.500, set by the floor.", "the winner paid 0.500, set by the floor."},
		{"floor+inc", sim.FloorPrice, inc,
			"won, paid 0.500, set by the floor + increment 0.010.", "the winner paid 0.500, set by the floor + increment 0.010."},
		{"second", sim.SecondBid, 0,
			"won, paid 0.500, set by the second-highest bid.", "the winner paid 0.500, set by the second-highest bid."},
		{"second+inc", sim.SecondBid, inc,
			"won, paid 0.500, set by the second-highest bid + increment 0.010.", "the winner paid 0.500, set by the second-highest bid + increment 0.010."},
		{"capped", sim.CappedAtBid, inc,
			"won, paid 0.500, set by your own bid, as the second-highest bid + increment 0.010 would pass it.",
			"the winner paid 0.500, set by its own bid, as the second-highest bid + increment 0.010 would pass it."},
		{"first", sim.FirstPriceBid, 0,
			"won, paid 0.500, your own bid (first price).", "the winner paid 0.500, its own bid (first price)."},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := &seat.Result{Number: 1, Winner: 0, Price: sim.PriceOf(0.5), Reason: c.reason, Increment: c.increment,
				Responses: []sim.Response{{Rank: 1}, {Rank: 2}}}
			st := NewStyles(nil)
			win := seat.Outcome{Value: sim.PriceOf(0.9), Bid: seat.Bid{Amount: sim.PriceOf(0.5)}, Status: sim.OnTime,
				Result: seat.Standing{Rank: 1, Won: true, Price: sim.PriceOf(0.5), Reason: c.reason}}
			lose := seat.Outcome{Value: sim.PriceOf(0.3), Bid: seat.Bid{Amount: sim.PriceOf(0.3)}, Status: sim.OnTime,
				Result: seat.Standing{Rank: 2}}
			// Unwrapped: the sentence is what is checked, not where it breaks.
			if got := strings.Join(st.Outcome(res, win), "\n"); !strings.Contains(got, c.won) {
				t.Errorf("won: want %q in\n%s", c.won, got)
			}
			if got := strings.Join(st.Outcome(res, lose), "\n"); !strings.Contains(got, c.lost) {
				t.Errorf("lost: want %q in\n%s", c.lost, got)
			}
		})
	}
}

// TestSlotWhyReadsAsAPhrase: with several slots the per-click reason sits
// in brackets after the price and names the rule or the floor, with the
// increment's amount.
func TestSlotWhyReadsAsAPhrase(t *testing.T) {
	inc := sim.PriceOf(0.01)
	slots := []sim.SlotWin{{Bidder: 0, Weight: 1}}
	for _, c := range []struct {
		res    *seat.Result
		reason sim.PriceReason
		want   string
	}{
		{&seat.Result{Slots: slots}, sim.SecondBid, "the next bid"},
		{&seat.Result{Slots: slots, Increment: inc}, sim.SecondBid, "the next bid + increment 0.010"},
		{&seat.Result{Slots: slots, Increment: inc}, sim.FloorPrice, "the floor + increment 0.010"},
		{&seat.Result{Slots: slots, VCG: true}, sim.SecondBid, "VCG: the clicks it takes from the bidders below"},
		{&seat.Result{Slots: slots, Increment: inc}, sim.CappedAtBid, "the winner's own bid, as the next bid + increment 0.010 would pass it"},
	} {
		if got := Why(c.res, c.reason); got != c.want {
			t.Errorf("%v (VCG %v, increment %v): %q, want %q", c.reason, c.res.VCG, c.res.Increment, got, c.want)
		}
	}
}
