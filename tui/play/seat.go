package play

import (
	"errors"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report"
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

// Open is the game of cfg (the scenario name's) with the student at the
// seat of the bidder named as (Seat), each auction's bid given
// countdown (0: none), drawn with r. A bidder cfg lacks is refused as
// --as, a report.OptionError.
func Open(name string, cfg sim.Config, as string, countdown time.Duration, r *lipgloss.Renderer) (*Model, error) {
	tab, err := Seat(cfg, as)
	var unknown UnknownBidder
	if errors.As(err, &unknown) {
		return nil, report.Optionf("--as", "--as: %v", unknown.Err)
	}
	if err != nil {
		return nil, err
	}
	return New(Options{Scenario: name, Table: tab, Countdown: countdown, Renderer: r}), nil
}
