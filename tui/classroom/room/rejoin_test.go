package room

import (
	"context"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// TestRejoinTheOpenRound: bob's connection dropped in a round he had not
// bid in; he logged in again at once, the round still open, and was told
// "Round 4 is under way; you join at the next one" while his seat bid by
// its strategy. Now he comes back to that round, in his own seat with the
// value he saw, and his bid is the seat's. One who was kicked, or who
// comes back after the round closed, waits for the next round as before.
func TestRejoinTheOpenRound(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	r := startRoom(t, 3, 3, clock)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watch := r.Watch(ctx)
	ann := join(t, r, "ann")
	bob := join(t, r, "bob")
	// A round dealt with both seated.
	var n uint64
	for {
		s := next(t, ann.Updates(), "a round", func(s State) bool { return s.You.InRound && s.Round > n })
		if !s.Seats[1].Waiting && s.Seats[1].Student == "bob" {
			n = s.Round
			break
		}
		if err := ann.Pass(s.Round); err != nil {
			t.Fatal(err)
		}
		n = s.Round
	}
	bob.Leave()
	next(t, watch, "bob gone, the round open", func(s State) bool { return s.Round == n && s.Seats[1].Student == "" })
	bob2 := join(t, r, "BOB") // any capitals: the same student
	if bob2.Seat != 1 {
		t.Fatalf("bob came back to seat %d, want his own, 1", bob2.Seat)
	}
	s := next(t, bob2.Updates(), "bob in the open round", func(s State) bool { return s.Round == n && s.You != nil })
	if !s.You.InRound || s.Seats[1].Waiting {
		t.Fatalf("bob back in round %d: in it %v, waiting %v", n, s.You.InRound, s.Seats[1].Waiting)
	}
	if err := bob2.Bid(n, sim.PriceOf(0.42)); err != nil {
		t.Fatalf("bob's bid in the round he came back to: %v", err)
	}
	if err := ann.Bid(n, sim.PriceOf(0.3)); err != nil {
		t.Fatal(err)
	}
	last := next(t, watch, "the round closed", func(s State) bool { return s.Last != nil && s.Last.Result.Number == n })
	if got := last.Last.Result.Seats[1].Bid; last.Last.Students[1] != "bob" || got.Auto || got.Amount != sim.PriceOf(0.42) {
		t.Fatalf("seat 1 in round %d: %q %+v", n, last.Last.Students[1], got)
	}

	// Kicked mid-round, bob waits for the next round on coming back.
	m := next(t, ann.Updates(), "the next round", func(s State) bool { return s.You.InRound && s.Round > n }).Round
	if _, err := r.KickSeat(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	bob3 := join(t, r, "bob")
	s = next(t, bob3.Updates(), "bob after the kick", func(s State) bool { return s.Round == m && s.You != nil })
	if s.You.InRound {
		t.Fatalf("kicked from round %d, bob came back into it", m)
	}
}
