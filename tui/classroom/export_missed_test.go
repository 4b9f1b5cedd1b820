package classroom

import (
	"bytes"
	"encoding/json"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// missedJSON is the part of the export that says how a seat's rounds
// without a bid in the auction went, and the leaderboard's counts.
type missedJSON struct {
	Rounds []struct {
		Seats []struct {
			Student     string   `json:"student"`
			Status      string   `json:"status"`
			Bid         *float64 `json:"bid"`
			Typed       string   `json:"typed"`
			Equilibrium *float64 `json:"equilibrium_surplus"`
		} `json:"seats"`
		Bidders []struct {
			Student string   `json:"student"`
			Status  string   `json:"status"`
			Bid     *float64 `json:"bid"`
			Typed   string   `json:"typed"`
		} `json:"bidders"`
	} `json:"rounds"`
	Board []struct {
		Name               string   `json:"name"`
		Late               uint64   `json:"late"`
		NoBids             *uint64  `json:"no_bids"`
		Passes             *uint64  `json:"passes"`
		EquilibriumWins    *uint64  `json:"equilibrium_wins"`
		EquilibriumSurplus *float64 `json:"equilibrium_surplus"`
		Surplus            float64  `json:"surplus"`
	} `json:"leaderboard"`
}

// play's export of a countdown's rounds, as the student's trial found
// them: nothing typed by the deadline is a no-bid, not late; a bid typed
// but not sent is late (the README) and exported as typed, never as a
// made-up 0, or as null when it does not read as a bid; a pass is
// "passed" in the seats and the bidders alike. The leaderboard counts
// each apart: late 2, no-bids 1, passes 1.
func TestExportMissedBids(t *testing.T) {
	cfg := testRoomConfig(1, time.Second).Sim
	tab, err := seat.New(cfg, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	bids := []seat.Bid{
		{Late: true, None: true},
		{Late: true, Amount: sim.PriceOf(0.3), Typed: "0.3"},
		{Late: true, Typed: "0.3x", Unread: true},
		{Pass: true},
	}
	s := room.Session{Scenario: "missed", Rules: room.Rules{Auction: tab.Auction()}, Seats: []string{tab.Name(0)}}
	for i := range tab.Bidders() {
		s.Bidders = append(s.Bidders, tab.Name(i))
	}
	for _, b := range bids {
		res, err := tab.Close(tab.Deal(), []seat.Bid{b})
		if err != nil {
			t.Fatal(err)
		}
		s.Rounds = append(s.Rounds, room.RoundRecord{Result: res, Students: []string{"you"}})
	}
	s.Board = []room.Standing{{Name: "you", Totals: tab.Totals(0)}}
	var buf bytes.Buffer
	if err := WriteSession(&buf, s); err != nil {
		t.Fatal(err)
	}
	var out missedJSON
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		status, typed string
		bid           *float64
	}{
		{"no bid", "", nil},
		{"late", "0.3", ptr(0.3)},
		{"late", "0.3x", nil},
		{"passed", "", nil},
	}
	for k, w := range want {
		r := out.Rounds[k]
		se := r.Seats[0]
		if se.Status != w.status || se.Typed != w.typed || !sameBid(se.Bid, w.bid) {
			t.Errorf("round %d's seat: status %q, typed %q, bid %v; want %q, %q, %v", k+1, se.Status, se.Typed, show(se.Bid), w.status, w.typed, show(w.bid))
		}
		found := false
		for _, b := range r.Bidders {
			if b.Student != "you" {
				continue
			}
			found = true
			if b.Status != w.status || b.Typed != w.typed || !sameBid(b.Bid, w.bid) {
				t.Errorf("round %d's bidder: status %q, typed %q, bid %v; want %q, %q, %v", k+1, b.Status, b.Typed, show(b.Bid), w.status, w.typed, show(w.bid))
			}
		}
		if !found {
			t.Errorf("round %d: the student is not among the bidders", k+1)
		}
	}
	b := out.Board[0]
	if b.Late != 2 || b.NoBids == nil || *b.NoBids != 1 || b.Passes == nil || *b.Passes != 1 {
		t.Errorf("leaderboard: late %d, no_bids %v, passes %v; want 2, 1, 1", b.Late, b.NoBids, b.Passes)
	}
}

// In serve a pass is a pass: "passed" in the bidders as in the seats
// and the reveal, and never counted late, even when it reached the room
// after the deadline, before the room saw its timer.
func TestExportPass(t *testing.T) {
	cfg := testRoomConfig(2, 30*time.Second)
	clock := &movingClock{t: epoch}
	cfg.Clock = clock
	rm, ctx := runRoom(t, cfg)
	ann, err := Join(rm, "ann")
	if err != nil {
		t.Fatal(err)
	}
	waitRound(t, ann, 1)
	if err := ann.Pass(1); err != nil {
		t.Fatal(err)
	}
	waitRound(t, ann, 2)
	clock.set(epoch.Add(time.Hour)) // round 2's deadline passed, its timer unseen
	if err := ann.Pass(2); err != nil {
		t.Fatal(err)
	}
	waitRound(t, ann, 3)
	var out missedJSON
	exportSession(t, ctx, rm, &out)
	for k, r := range out.Rounds {
		for _, se := range r.Seats {
			if se.Student == "ann" && (se.Status != "passed" || se.Bid != nil) {
				t.Errorf("round %d, ann's seat: %q, bid %v; want passed", k+1, se.Status, show(se.Bid))
			}
		}
		for _, b := range r.Bidders {
			if b.Student == "ann" && (b.Status != "passed" || b.Bid != nil) {
				t.Errorf("round %d, ann among the bidders: %q, bid %v; want passed", k+1, b.Status, show(b.Bid))
			}
		}
	}
	if len(out.Board) != 1 || out.Board[0].Late != 0 || out.Board[0].Passes == nil || *out.Board[0].Passes != 2 {
		t.Errorf("leaderboard %+v: want ann with late 0, passes 2", out.Board)
	}
}

// The first-price leaderboard sets bidding the equilibrium beside each
// surplus: the export holds those totals too, each the sum of the
// seat's equilibrium_surplus over its rounds.
func TestExportEquilibriumTotals(t *testing.T) {
	cfg := testRoomConfig(1, 30*time.Second)
	cfg.Sim.Exchange.Auction = sim.FirstPrice
	cfg.Clock = fixedClock{epoch}
	rm, ctx := runRoom(t, cfg)
	ann, err := Join(rm, "ann")
	if err != nil {
		t.Fatal(err)
	}
	for k, b := range []float64{0.2, 0.5, 0.8, 0.35, 0.6, 0.1} {
		waitRound(t, ann, uint64(k+1))
		if err := ann.Bid(uint64(k+1), sim.PriceOf(b)); err != nil {
			t.Fatal(err)
		}
	}
	waitRound(t, ann, 7)
	var out missedJSON
	s := exportSession(t, ctx, rm, &out)
	sum := 0.0
	for k, r := range out.Rounds {
		if r.Seats[0].Equilibrium == nil {
			t.Fatalf("round %d: no equilibrium_surplus", k+1)
		}
		sum += *r.Seats[0].Equilibrium
	}
	b, want := out.Board[0], s.Board[0].Equilibrium
	if b.EquilibriumWins == nil || b.EquilibriumSurplus == nil {
		t.Fatalf("leaderboard %+v: no equilibrium totals", b)
	}
	if *b.EquilibriumWins != want.Wins || *b.EquilibriumSurplus != want.Surplus.CPM() || want.Wins == 0 {
		t.Errorf("equilibrium: won %d, surplus %v; want %d, %v (and some wins)", *b.EquilibriumWins, *b.EquilibriumSurplus, want.Wins, want.Surplus.CPM())
	}
	if math.Abs(sum-*b.EquilibriumSurplus) > 1e-9 {
		t.Errorf("the rounds' equilibrium surpluses sum to %v, the total is %v", sum, *b.EquilibriumSurplus)
	}
}

// movingClock is a wall clock a test sets; its timers never fire.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *movingClock) NewTimer(time.Duration) room.Timer { return stillTimer{} }

func (c *movingClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func ptr(x float64) *float64 { return &x }

func sameBid(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) < 1e-9
}

func show(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
