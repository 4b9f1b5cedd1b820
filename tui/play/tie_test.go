package play

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// tiedRound is a first-price round in which alice (0) and bob (1) both bid
// 0.500 and alice won the draw, carol (2) bid 0.300 and dan (3) 0.300.
func tiedRound() *seat.Result {
	bid := func(b float64, rank int32) sim.Response {
		return sim.Response{Status: sim.OnTime, Bid: sim.PriceOf(b), Rank: rank}
	}
	res := &seat.Result{
		Winner: 0, Price: sim.PriceOf(0.5), Reason: sim.FirstPriceBid,
		Values:    []sim.Price{sim.PriceOf(0.9), sim.PriceOf(0.8), sim.PriceOf(0.6), sim.PriceOf(0.4)},
		Responses: []sim.Response{bid(0.5, 1), bid(0.5, 2), bid(0.3, 3), bid(0.3, 4)},
	}
	for i, name := range []string{"alice", "bob", "carol", "dan"} {
		o := seat.Outcome{Bidder: i, Name: name, Value: res.Values[i], Bid: seat.Bid{Amount: res.Responses[i].Bid},
			Status: sim.OnTime, Result: seat.Standing{Rank: int(res.Responses[i].Rank), Won: i == 0}}
		res.Seats = append(res.Seats, o)
	}
	return res
}

// TestTieExplained: a student who lost (or won) a tie at the top is told
// the exchange drew between equal bids, so that rank 2 with the winner's
// own bid does not read as cheating; a tie between two losers, which
// decided nothing, is not mentioned.
func TestTieExplained(t *testing.T) {
	res := tiedRound()
	st := NewStyles(ascii())
	for _, c := range []struct {
		seat int
		want string
	}{
		{0, "Your bid tied with another bid at 0.500: you won the draw"},
		{1, "Your bid tied with another bid at 0.500: you lost the draw"},
		{2, ""},
		{3, ""},
	} {
		out := strings.Join(st.Outcome(res, res.Seats[c.seat]), "\n")
		if c.want != "" && !strings.Contains(out, c.want) {
			t.Errorf("seat %d:\n%s\nlacks %q", c.seat, out, c.want)
		}
		if c.want == "" && strings.Contains(out, "tied") {
			t.Errorf("seat %d tied with a loser only, yet:\n%s", c.seat, out)
		}
	}
	if got := TieNote(res); got != "A tie at 0.500: the exchange drew the winner at random." {
		t.Errorf("TieNote %q", got)
	}
	res.Responses[1].Bid = sim.PriceOf(0.45)
	res.Seats[1].Bid.Amount = res.Responses[1].Bid
	if got := TieNote(res); got != "" {
		t.Errorf("no tie decided the round, TieNote %q", got)
	}
}

// TestWrapKeepsIndent: a sentence of the outcome wrapped at a narrow
// width goes on under its own indent, not at column 0, and no line
// passes the width; a line that fits is left as it is, trailing cells
// and all.
func TestWrapKeepsIndent(t *testing.T) {
	s := "Round 4\n  Had you bid your value 0.732: slot 3, paid 0.519 per click (0.156 for the impression)\n  field:   "
	for _, w := range []int{30, 50, 79} {
		lines := strings.Split(wrap(s, w), "\n")
		if lines[0] != "Round 4" || lines[len(lines)-1] != "  field:   " {
			t.Errorf("width %d: lines that fit changed: %q", w, lines)
		}
		for _, l := range lines[1:] {
			if !strings.HasPrefix(l, "  ") || len([]rune(l)) > w {
				t.Errorf("width %d: %q lost its indent or passes the width", w, l)
			}
		}
	}
}
