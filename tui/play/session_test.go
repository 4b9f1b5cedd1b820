package play

import "testing"

// TestSession checks what play exports: the rounds played, the one seat
// taken by "you" with its totals on the board, every bidder by name and
// the table's rules.
func TestSession(t *testing.T) {
	m := newTestModel(t, "classroom-vickrey", 0, nil)
	for _, bid := range []string{"0.9", "0.1"} {
		typeText(m, bid)
		enter(m) // bid
		enter(m) // next auction
	}
	s := m.Session(42)
	tab := m.Table()
	if s.Scenario != "classroom-vickrey" || s.Seed != 42 || s.DealSeed != 42 || len(s.Rounds) != 2 {
		t.Fatalf("session %+v", s)
	}
	if len(s.Seats) != 1 || s.Seats[0] != tab.Name(tab.SeatBidder(0)) || len(s.Bidders) != tab.Bidders() {
		t.Errorf("seats %v, bidders %v", s.Seats, s.Bidders)
	}
	if s.Rules.Auction != tab.Auction() || s.Rules.Floor != tab.Floor() || len(s.Board) != 1 || s.Board[0].Name != "you" || s.Board[0].Totals != tab.Totals(0) {
		t.Errorf("rules %+v, board %+v", s.Rules, s.Board)
	}
	for _, r := range s.Rounds {
		if r.Result == nil || len(r.Students) != 1 || r.Students[0] != "you" {
			t.Errorf("round %+v", r)
		}
	}
}

// TestSessionSlots: play's export of sponsored-search carries the slots'
// weights in its rules, as serve's does.
func TestSessionSlots(t *testing.T) {
	m := newTestModel(t, "sponsored-search", 0, nil)
	typeText(m, "0.5")
	enter(m)
	s := m.Session(1)
	if got := s.Rules.Slots; len(got) != 3 || got[0] != 1 || got[1] != 0.6 || got[2] != 0.3 {
		t.Errorf("slots %v, want [1 0.6 0.3]", got)
	}
}
