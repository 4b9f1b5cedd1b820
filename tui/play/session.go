package play

import "github.com/auctionsim/auctionsim/tui/classroom/room"

// Session is what was played, as a classroom session of one seat (the
// student "you"), so that one format (and one way to check a price)
// serves play --export and serve; seed is the scenario's.
func (m *Model) Session(seed uint64) room.Session {
	t := m.Table()
	rounds, dropped := m.History()
	s := room.Session{
		Scenario: m.opt.Scenario, Seed: seed, DealSeed: seed, Dropped: dropped,
		Rules: room.Rules{Auction: t.Auction(), Floor: t.Floor(), Increment: t.Increment(), Round: m.Countdown(), Slots: t.Slots()},
		Seats: []string{t.Name(t.SeatBidder(0))},
	}
	for i := range t.Bidders() {
		s.Bidders = append(s.Bidders, t.Name(i))
	}
	for _, res := range rounds {
		s.Rounds = append(s.Rounds, room.RoundRecord{Result: res, Students: []string{"you"}})
	}
	s.Board = []room.Standing{{Name: "you", Totals: t.Totals(0)}}
	return s
}
