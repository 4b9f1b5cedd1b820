package play

import (
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// UnknownBidder is Seat's error for a bidder the world does not have.
type UnknownBidder struct{ Err error }

func (u UnknownBidder) Error() string { return u.Err.Error() }
func (u UnknownBidder) Unwrap() error { return u.Err }

// Seat is the table of cfg with the student at the seat of the bidder
// named as ("": the first), for Options.Table; a name cfg lacks is an
// UnknownBidder.
func Seat(cfg sim.Config, as string) (*seat.Table, error) {
	who := 0
	if as != "" {
		i, err := seat.Find(cfg, as)
		if err != nil {
			return nil, UnknownBidder{err}
		}
		who = i
	}
	return seat.New(cfg, []int{who})
}
