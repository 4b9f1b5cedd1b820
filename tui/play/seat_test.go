package play

import (
	"errors"
	"testing"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
)

// TestSeat checks that the student takes the named bidder's seat, the
// first by default, and that an unknown name is an UnknownBidder.
func TestSeat(t *testing.T) {
	cfg := sim.Config{Name: "t", Seed: 1, Traffic: sim.Traffic{QPS: 1},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Bidders:  []sim.BidderConfig{{Name: "ann", Value: sim.Constant(1)}, {Name: "bob", Value: sim.Constant(1)}}}
	for as, want := range map[string]string{"": "ann", "bob": "bob"} {
		tab, err := Seat(cfg, as)
		if err != nil {
			t.Fatal(err)
		}
		if got := tab.Name(tab.SeatBidder(0)); got != want {
			t.Errorf("--as %q: seat 0 is %s, want %s", as, got, want)
		}
	}
	var u UnknownBidder
	if _, err := Seat(cfg, "cy"); !errors.As(err, &u) {
		t.Errorf("an unknown bidder: %v", err)
	}
}

// TestOpen checks the game Open sets: the named bidder's seat, and an
// unknown name refused as --as.
func TestOpen(t *testing.T) {
	cfg := sim.Config{Name: "t", Seed: 1, Traffic: sim.Traffic{QPS: 1},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Bidders:  []sim.BidderConfig{{Name: "ann", Value: sim.Constant(1)}, {Name: "bob", Value: sim.Constant(1)}}}
	m, err := Open("t", cfg, "bob", 0, ascii())
	if err != nil || m == nil {
		t.Fatalf("--as bob: %v", err)
	}
	_, err = Open("t", cfg, "cy", 0, ascii())
	var oe *report.OptionError
	if !errors.As(err, &oe) || oe.Option() != "--as" || err.Error()[:6] != "--as: " {
		t.Errorf("an unknown bidder: %v", err)
	}
}
