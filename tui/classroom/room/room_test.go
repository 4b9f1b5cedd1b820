package room

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// fakeClock is a wall clock the test moves and whose timers it fires.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c       chan time.Time
	stopped bool
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }
func (t *fakeTimer) Stop() bool          { t.stopped = true; return true }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: make(chan time.Time, 1)}
	c.timers = append(c.timers, t)
	return t
}

// expire moves the clock on by d and fires the newest timer.
func (c *fakeClock) expire(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	t := c.timers[len(c.timers)-1]
	c.mu.Unlock()
	t.c <- c.now
}

const wait = 5 * time.Second

func testConfig(n int) sim.Config {
	cfg := sim.Config{
		Name: "room", Seed: 3, Traffic: sim.Traffic{QPS: 1},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
	}
	for i := range n {
		cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{Name: fmt.Sprintf("b%d", i), Value: sim.Uniform(0, 1)})
	}
	return cfg
}

func startRoom(t *testing.T, seats, bidders int, clock Clock) *Room {
	t.Helper()
	r, err := New(Config{Scenario: "test", Sim: testConfig(bidders), Seats: seats, Round: 10 * time.Second, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go r.Run(ctx)
	t.Cleanup(func() {
		cancel()
		<-r.Done()
	})
	return r
}

// next waits for a state that satisfies ok.
func next(t *testing.T, ch <-chan State, what string, ok func(State) bool) State {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case s, open := <-ch:
			if !open {
				t.Fatalf("%s: the channel closed", what)
			}
			if ok(s) {
				return s
			}
		case <-deadline:
			t.Fatalf("waiting for %s: timed out", what)
		}
	}
}

func join(t *testing.T, r *Room, name string) *Player {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	p, err := r.Join(ctx, name)
	if err != nil {
		t.Fatalf("join %s: %v", name, err)
	}
	return p
}

func inRound(n uint64) func(State) bool {
	return func(s State) bool { return s.You != nil && s.You.InRound && s.Round == n }
}

func TestRoundClosesWhenEveryoneHasBid(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	r := startRoom(t, 3, 4, clock)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watch := r.Watch(ctx)

	ann := join(t, r, "ann")
	s := next(t, ann.Updates(), "ann in round 1", inRound(1))
	if s.You.Value <= 0 || s.You.Bidder != "b0" {
		t.Fatalf("ann's view: %+v", s.You)
	}
	bob := join(t, r, "bob") // mid-round: waits for round 2
	sw := next(t, bob.Updates(), "bob waiting", func(s State) bool { return s.You != nil && !s.You.InRound && s.Round == 1 })
	if sw.InRound != 1 || sw.BidsIn != 0 {
		t.Fatalf("round 1 with bob waiting: %d in the round, %d bids in; want 1 and 0", sw.InRound, sw.BidsIn)
	}
	if err := bob.Bid(1, sim.PriceOf(0.5)); !errors.Is(err, ErrNotYourTurn) {
		t.Fatalf("bob bid in a round he was not dealt: %v", err)
	}
	if err := ann.Bid(1, s.You.Value); err != nil {
		t.Fatal(err)
	}
	if err := ann.Bid(1, s.You.Value); !errors.Is(err, ErrNotYourTurn) {
		t.Fatalf("ann bid twice: %v", err)
	}
	// Round 1 closed on ann's bid alone; round 2 has both.
	sa := next(t, ann.Updates(), "ann in round 2", inRound(2))
	sb := next(t, bob.Updates(), "bob in round 2", inRound(2))
	if sa.You.Last == nil || sa.You.Last.Result != sa.You.Last.Truthful || sa.You.Totals.Rounds != 1 {
		t.Fatalf("ann's last round: %+v", sa.You)
	}
	if sa.You.Value == sb.You.Value {
		t.Fatalf("ann and bob see the same value %v", sa.You.Value)
	}
	if err := bob.Bid(2, sim.PriceOf(0.2)); err != nil {
		t.Fatal(err)
	}
	tr := next(t, watch, "the trainer sees bob's bid", func(s State) bool {
		return s.Round == 2 && s.Seats[1].Bid && !s.Seats[0].Bid
	})
	if tr.You != nil || tr.Seats[2].Student != "" {
		t.Fatalf("trainer state: %+v", tr)
	}
	if tr.InRound != 2 || tr.BidsIn != 1 {
		t.Fatalf("round 2 after bob's bid: %d in the round, %d bids in; want 2 and 1", tr.InRound, tr.BidsIn)
	}
	if err := ann.Pass(2); err != nil {
		t.Fatal(err)
	}
	tr = next(t, watch, "round 2 closed", func(s State) bool { return s.Rounds == 2 })
	if got := tr.Last.Students; got[0] != "ann" || got[1] != "bob" || got[2] != "" {
		t.Fatalf("round 2 students %q", got)
	}
	if len(tr.Board) != 2 {
		t.Fatalf("board %+v", tr.Board)
	}
	if len(tr.Recent) != 2 || tr.Recent[0].Result.Number != 1 || tr.Recent[1].Result != tr.Last.Result {
		t.Fatalf("recent rounds %+v", tr.Recent)
	}
	want := []Event{
		{Seq: 1, Kind: Joined, Seat: 0, Student: "ann"},
		{Seq: 2, Kind: Joined, Seat: 1, Student: "bob"},
		{Seq: 3, Kind: RoundClosed, Round: 1},
		{Seq: 4, Kind: RoundClosed, Round: 2},
	}
	if fmt.Sprint(tr.Events) != fmt.Sprint(want) {
		t.Fatalf("events %+v, want %+v", tr.Events, want)
	}
}

func TestSlowStudentTimesOut(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	r := startRoom(t, 2, 3, clock)
	ann := join(t, r, "ann")
	next(t, ann.Updates(), "round 1", inRound(1))
	clock.expire(10 * time.Second)
	s := next(t, ann.Updates(), "round 2", inRound(2))
	// Nothing sent is a no-bid, not a late bid (the README): counted
	// apart.
	if s.You.Last == nil || !s.You.Last.Bid.None || s.You.Totals.NoBids != 1 || s.You.Totals.Late != 0 {
		t.Fatalf("after the timer: %+v", s.You)
	}
	// A bid that reaches the room after the deadline, before its timer
	// is seen, is late too.
	clock.mu.Lock()
	clock.now = clock.now.Add(11 * time.Second)
	clock.mu.Unlock()
	if err := ann.Bid(2, sim.PriceOf(0.9)); err != nil {
		t.Fatal(err)
	}
	s = next(t, ann.Updates(), "round 3", inRound(3))
	if s.You.Last.Status != sim.Late || s.You.Totals.Late != 1 || s.You.Totals.NoBids != 1 {
		t.Fatalf("a bid after the deadline: %+v, totals %+v", s.You.Last, s.You.Totals)
	}
	// A pass that reaches the room after the deadline is a pass still,
	// never a late bid.
	clock.mu.Lock()
	clock.now = clock.now.Add(11 * time.Second)
	clock.mu.Unlock()
	if err := ann.Pass(3); err != nil {
		t.Fatal(err)
	}
	s = next(t, ann.Updates(), "round 4", inRound(4))
	if o := s.You.Last; o.Status != sim.NoBid || !o.Bid.Pass || o.Bid.Late {
		t.Fatalf("a pass after the deadline: %+v", o)
	}
	if tt := s.You.Totals; tt.Late != 1 || tt.NoBids != 1 || tt.Passes != 1 || tt.Rounds != 3 {
		t.Fatalf("totals after a late bid, a no-bid and a pass: %+v", tt)
	}
}

func TestDisconnectMidRound(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	r := startRoom(t, 3, 3, clock)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watch := r.Watch(ctx)
	ann, bob, cy := join(t, r, "ann"), join(t, r, "bob"), join(t, r, "cy")
	// Everyone seated before round 1 was dealt? Only ann for sure: wait
	// for a round with all three.
	// A round ann passed can still be queued in her updates (bob or cy
	// seated while it was open): only a later round is one to act on.
	passed := uint64(0)
	for {
		s := next(t, ann.Updates(), "a round", func(s State) bool { return s.You.InRound && s.Round > passed })
		if s.Seats[1].Student == "bob" && !s.Seats[1].Waiting && !s.Seats[2].Waiting {
			break
		}
		if err := ann.Pass(s.Round); err != nil {
			t.Fatal(err)
		}
		passed = s.Round
	}
	first := next(t, watch, "the open round", func(s State) bool { return s.Round > 0 && !s.Seats[2].Waiting })
	n := first.Round
	if err := bob.Bid(n, sim.PriceOf(0.7)); err != nil {
		t.Fatal(err)
	}
	bob.Leave()
	cy.Leave() // without bidding
	next(t, watch, "bob and cy gone, round still open", func(s State) bool {
		return s.Round == n && s.Seats[1].Student == "" && s.Seats[2].Student == ""
	})
	if err := bob.Bid(n, sim.PriceOf(0.1)); !errors.Is(err, ErrNotYourTurn) {
		t.Fatalf("a player who left bid: %v", err)
	}
	if err := ann.Bid(n, sim.PriceOf(0.4)); err != nil {
		t.Fatal(err)
	}
	s := next(t, watch, "the round closed", func(s State) bool { return s.Last != nil && s.Last.Result.Number == n })
	res := s.Last.Result
	if s.Last.Students[1] != "bob" || res.Seats[1].Bid.Amount != sim.PriceOf(0.7) {
		t.Fatalf("bob's bid before leaving: %+v (%q)", res.Seats[1], s.Last.Students)
	}
	if s.Last.Students[2] != "" || !res.Seats[2].Bid.Auto {
		t.Fatalf("cy's seat after leaving: %+v", res.Seats[2])
	}
	// The seat is free again.
	dee := join(t, r, "dee")
	if dee.Seat != 1 {
		t.Fatalf("dee got seat %d, want bob's seat 1", dee.Seat)
	}
}

// A student who takes a seat mid-round leaves the bid made there by one
// who left standing, and waits for the next round.
func TestSeatRetakenMidRound(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	r := startRoom(t, 2, 2, clock)
	ann := join(t, r, "ann")
	next(t, ann.Updates(), "round 1", inRound(1))
	if err := ann.Bid(1, sim.PriceOf(0.3)); err != nil {
		t.Fatal(err)
	}
	// Round 1 closed on ann's bid; round 2 is open for ann alone.
	next(t, ann.Updates(), "round 2", inRound(2))
	if err := ann.Bid(2, sim.PriceOf(0.6)); err != nil {
		t.Fatal(err)
	}
	next(t, ann.Updates(), "round 3", inRound(3))
	bob := join(t, r, "bob") // waits for round 4
	if err := bob.Bid(3, sim.PriceOf(0.1)); !errors.Is(err, ErrNotYourTurn) {
		t.Fatalf("bob bid in a round he was not dealt: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watch := r.Watch(ctx)
	if err := ann.Bid(3, sim.PriceOf(0.7)); err != nil {
		t.Fatal(err)
	}
	s := next(t, watch, "round 3 closed", func(s State) bool { return s.Last != nil && s.Last.Result.Number == 3 })
	if s.Last.Students[0] != "ann" || s.Last.Result.Seats[0].Bid.Amount != sim.PriceOf(0.7) || s.Last.Students[1] != "" {
		t.Fatalf("round 3: %q %+v", s.Last.Students, s.Last.Result.Seats)
	}
	// Round 4 has both; ann bids and leaves, cy takes her seat mid-round.
	if s.Round != 4 || s.Seats[1].Waiting {
		t.Fatalf("after round 3: round %d, seats %+v", s.Round, s.Seats)
	}
	if err := ann.Bid(4, sim.PriceOf(0.8)); err != nil {
		t.Fatal(err)
	}
	ann.Leave()
	cy := join(t, r, "cy")
	if cy.Seat != 0 {
		t.Fatalf("cy in seat %d", cy.Seat)
	}
	if err := cy.Bid(4, sim.PriceOf(0.05)); !errors.Is(err, ErrNotYourTurn) {
		t.Fatalf("cy bid over ann's standing bid: %v", err)
	}
	if err := bob.Bid(4, sim.PriceOf(0.5)); err != nil {
		t.Fatal(err)
	}
	s = next(t, watch, "round 4 closed", func(s State) bool { return s.Last != nil && s.Last.Result.Number == 4 })
	if s.Last.Students[0] != "ann" || s.Last.Result.Seats[0].Bid.Amount != sim.PriceOf(0.8) || s.Last.Students[1] != "bob" {
		t.Fatalf("round 4: %q %+v", s.Last.Students, s.Last.Result.Seats)
	}
	s = next(t, cy.Updates(), "cy in round 5", inRound(5))
	if s.You.Totals.Rounds != 0 {
		t.Fatalf("cy was counted in round 4: %+v", s.You.Totals)
	}
}

func TestRoomFull(t *testing.T) {
	r := startRoom(t, 2, 5, &fakeClock{})
	join(t, r, "a")
	join(t, r, "b")
	if _, err := r.Join(context.Background(), "c"); !errors.Is(err, ErrFull) {
		t.Fatalf("third student in two seats: %v", err)
	}
}

func TestNewRefuses(t *testing.T) {
	if _, err := New(Config{Sim: testConfig(2), Seats: 3}); err == nil {
		t.Error("3 seats for 2 bidders")
	}
	if _, err := New(Config{Sim: testConfig(2), Round: -time.Second}); err == nil {
		t.Error("negative round time")
	}
}

// Several students bid at once on the real clock; run with -race.
func TestConcurrentStudents(t *testing.T) {
	r := startRoom(t, 5, 5, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for k := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			p, err := r.Join(ctx, fmt.Sprintf("s%d", k))
			if err != nil {
				errs <- err
				return
			}
			defer p.Leave()
			played := uint64(0)
			for played < 10 {
				select {
				case s := <-p.Updates():
					played = s.You.Totals.Rounds
					if s.You.InRound && !s.You.HasBid {
						if err := p.Bid(s.Round, s.You.Value); err != nil && !errors.Is(err, ErrNotYourTurn) {
							errs <- err
							return
						}
					}
				case <-ctx.Done():
					errs <- fmt.Errorf("s%d: played %d rounds before the timeout", k, played)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	sess, err := r.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sess.Rounds) < 10 || len(sess.Board) != 5 {
		t.Fatalf("session: %d rounds, board %d", len(sess.Rounds), len(sess.Board))
	}
	for _, b := range sess.Board {
		if b.Surplus != b.Truthful.Surplus {
			t.Errorf("%s bid truthfully and earned %v, truthful %v", b.Name, b.Surplus, b.Truthful.Surplus)
		}
	}
}

func TestSameNameTwice(t *testing.T) {
	r := startRoom(t, 3, 3, &fakeClock{})
	a, b := join(t, r, "lab"), join(t, r, "lab")
	if a.Name != "lab" || b.Name != "lab-2" {
		t.Fatalf("names %q and %q", a.Name, b.Name)
	}
	a.Leave()
	if c := join(t, r, "lab"); c.Name != "lab" {
		t.Fatalf("after the first left: %q", c.Name)
	}
}
