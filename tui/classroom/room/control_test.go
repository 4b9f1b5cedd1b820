package room

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

func ctl(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return ctx
}

// A frozen client need not hold the class up: CloseNow ends the round at
// once, the silent student is late (with no bid), and the next round is
// dealt.
func TestCloseNowAndPause(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	r := startRoom(t, 2, 3, clock)
	ctx := ctl(t)
	watch := r.Watch(ctx)
	a, b := join(t, r, "ada"), join(t, r, "bob")
	next(t, watch, "both seated", func(s State) bool { return s.Round == 1 && s.Seats[1].Student != "" })
	// Bob joined mid-round 1: closing it now brings him into round 2.
	if err := r.CloseNow(ctx); err != nil {
		t.Fatal(err)
	}
	next(t, a.Updates(), "ada in round 2", inRound(2))
	next(t, b.Updates(), "bob in round 2", inRound(2))
	if err := a.Bid(2, sim.PriceOf(0.5)); err != nil {
		t.Fatal(err)
	}
	if err := r.CloseNow(ctx); err != nil {
		t.Fatal(err)
	}
	s := next(t, watch, "round 2 closed", func(s State) bool { return s.Rounds == 2 })
	o := s.Last.Result.Seats[b.Seat]
	if !o.Bid.Late || !o.Bid.None || o.Bid.Amount != 0 {
		t.Errorf("bob never bid: got %+v, want late with no bid", o.Bid)
	}
	if o := s.Last.Result.Seats[a.Seat]; o.Bid.None || o.Bid.Amount != sim.PriceOf(0.5) {
		t.Errorf("ada's bid: %+v", o.Bid)
	}
	if s.Round != 3 {
		t.Fatalf("after closing round 2 the open round is %d, want 3", s.Round)
	}

	// Paused, the clock stops: time passing makes no bid late, and after
	// CloseNow no round is dealt until Resume.
	if err := r.Pause(ctx); err != nil {
		t.Fatal(err)
	}
	s = next(t, watch, "paused", func(s State) bool { return s.Paused })
	if s.Left != 10*time.Second {
		t.Errorf("time left when paused at once: %v, want 10s", s.Left)
	}
	clock.mu.Lock()
	clock.now = clock.now.Add(time.Hour)
	clock.mu.Unlock()
	if err := a.Bid(3, sim.PriceOf(0.1)); err != nil {
		t.Fatal(err)
	}
	if err := r.CloseNow(ctx); err != nil {
		t.Fatal(err)
	}
	s = next(t, watch, "round 3 closed", func(s State) bool { return s.Rounds == 3 })
	if o := s.Last.Result.Seats[a.Seat]; o.Bid.Late {
		t.Errorf("a bid made while paused is late: %+v", o.Bid)
	}
	if s.Round != 0 {
		t.Errorf("paused room dealt round %d", s.Round)
	}
	if err := r.CloseNow(ctx); !errors.Is(err, ErrNoRound) {
		t.Errorf("CloseNow with no round: %v, want ErrNoRound", err)
	}
	if err := r.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	next(t, watch, "round 4 after resume", func(s State) bool { return s.Round == 4 && !s.Paused })
}

// Next closes the open round and deals the following one even when paused.
func TestNextRound(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	r := startRoom(t, 1, 3, clock)
	ctx := ctl(t)
	watch := r.Watch(ctx)
	join(t, r, "ada")
	next(t, watch, "round 1", func(s State) bool { return s.Round == 1 })
	if err := r.Pause(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.Next(ctx); err != nil {
		t.Fatal(err)
	}
	s := next(t, watch, "round 2", func(s State) bool { return s.Round == 2 })
	if s.Paused || s.Rounds != 1 {
		t.Errorf("after next: paused %v, rounds %d; want unpaused, 1 closed", s.Paused, s.Rounds)
	}
}

// Kick frees a seat by name or number, and the student's Left closes with
// Kicked set; unknown names are refused.
func TestKick(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	r := startRoom(t, 2, 3, clock)
	ctx := ctl(t)
	watch := r.Watch(ctx)
	a, b := join(t, r, "ada"), join(t, r, "bob")
	next(t, watch, "both seated", func(s State) bool { return s.Seats[1].Student == "bob" })
	if _, err := r.Kick(ctx, "carol"); err == nil {
		t.Error("kicking nobody: no error")
	}
	who, err := r.Kick(ctx, "bob")
	if err != nil || who != "bob" {
		t.Fatalf("kick bob: %q, %v", who, err)
	}
	select {
	case <-b.Left():
	case <-time.After(wait):
		t.Fatal("bob's Left did not close")
	}
	if !b.Kicked() || a.Kicked() {
		t.Errorf("kicked: bob %v, ada %v", b.Kicked(), a.Kicked())
	}
	s := next(t, watch, "bob's seat free", func(s State) bool { return s.Seats[b.Seat].Student == "" })
	if s.Seats[a.Seat].Student != "ada" {
		t.Errorf("ada lost her seat: %+v", s.Seats)
	}
	who, err = r.Kick(ctx, "1")
	if err != nil || who != "ada" {
		t.Fatalf("kick seat 1: %q, %v", who, err)
	}
	if _, err := r.Kick(ctx, "1"); err == nil {
		t.Error("kicking an empty seat: no error")
	}
	// A seat number the room lacks is said to be so, not taken for a
	// name nobody has.
	for _, n := range []string{"9", "0", "3"} {
		if _, err := r.Kick(ctx, n); err == nil || err.Error() != "there is no seat "+n+" (seats 1–2)" {
			t.Errorf("kicking seat %s of 2: %v", n, err)
		}
	}
	// KickSeat says which seat it freed.
	c := join(t, r, "cy")
	if ev, err := r.KickSeat(ctx, "cy"); err != nil || ev.Student != "cy" || ev.Seat != c.Seat {
		t.Errorf("KickSeat cy: seat %d, %q, %v; want seat %d", ev.Seat, ev.Student, err, c.Seat)
	}
}

func TestReveal(t *testing.T) {
	r := startRoom(t, 1, 2, &fakeClock{now: time.Unix(0, 0)})
	ctx := ctl(t)
	watch := r.Watch(ctx)
	next(t, watch, "reveal off", func(s State) bool { return !s.Reveal })
	if err := r.SetReveal(ctx, true); err != nil {
		t.Fatal(err)
	}
	next(t, watch, "reveal on", func(s State) bool { return s.Reveal })
}

// A room deals other values than a table (play's) on the same seed, and
// the same values as a table on its DealSeed.
func TestRoomDealsItsOwnValues(t *testing.T) {
	r := startRoom(t, 1, 3, &fakeClock{now: time.Unix(0, 0)})
	a := join(t, r, "ada")
	s := next(t, a.Updates(), "round 1", inRound(1))
	cfg := testConfig(3)
	same := func(seed uint64) bool {
		c := cfg
		c.Seed = seed
		tab, err := seat.New(c, []int{0})
		if err != nil {
			t.Fatal(err)
		}
		return tab.Deal().Value(tab, 0) == s.You.Value
	}
	if same(cfg.Seed) {
		t.Errorf("the room dealt play's value %v on seed %d", s.You.Value, cfg.Seed)
	}
	if !same(DealSeed(cfg.Seed)) {
		t.Errorf("the room's value %v is not its DealSeed's", s.You.Value)
	}
}

// A room opened paused deals nothing while the class logs in: ann and
// bob, joining a second apart, are both in round 1, dealt when the
// trainer resumes, instead of bob waiting a whole round for round 2.
func TestOpenedPausedWaitsForTheClass(t *testing.T) {
	r, err := New(Config{Scenario: "test", Sim: testConfig(4), Seats: 3, Round: 10 * time.Second,
		Clock: &fakeClock{now: time.Unix(0, 0)}, Paused: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go r.Run(ctx)
	t.Cleanup(func() { cancel(); <-r.Done() })
	ann := join(t, r, "ann")
	s := next(t, ann.Updates(), "ann seated", func(s State) bool { return s.You != nil })
	if s.Round != 0 || !s.Paused {
		t.Fatalf("a room opened paused dealt round %d (paused %v) when ann joined", s.Round, s.Paused)
	}
	bob := join(t, r, "bob")
	next(t, bob.Updates(), "bob seated", func(s State) bool { return s.You != nil && s.Round == 0 })
	if err := r.Resume(ctl(t)); err != nil {
		t.Fatal(err)
	}
	next(t, ann.Updates(), "ann in round 1", inRound(1))
	next(t, bob.Updates(), "bob in round 1", inRound(1))
}
