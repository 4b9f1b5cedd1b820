package play

import (
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// The one-line totals measure against the benchmark of the auction:
// bidding one's value in second price, the equilibrium in first price
// (where bidding one's value always earns 0).
func TestTotalsLine(t *testing.T) {
	st := NewStyles(nil)
	tt := seat.Totals{Rounds: 2, Surplus: sim.PriceOf(0.1)}
	tt.Truthful.Surplus, tt.Equilibrium.Surplus = sim.PriceOf(0.3), -sim.PriceOf(0.05)
	for a, want := range map[sim.AuctionType]string{
		sim.SecondPrice: "Your surplus, 2 rounds: +0.100 (bidding your value: +0.300)",
		sim.FirstPrice:  "Your surplus, 2 rounds: +0.100 (the equilibrium β(v): -0.050)",
	} {
		if got := ansi.Strip(st.TotalsLine(tt, a)); got != want {
			t.Errorf("%v: %q, want %q", a, got, want)
		}
	}
}
