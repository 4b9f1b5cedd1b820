package play

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// TestSignedSurplus: a surplus is shown one way wherever it is, with its
// sign, and one that reads 0 to three decimals has none: not "+0.000"
// in a round's sum beside "0.000" in the totals.
func TestSignedSurplus(t *testing.T) {
	tiny := sim.PriceOf(0.8004) - sim.PriceOf(0.8)
	for _, c := range []struct {
		p    sim.Price
		want string
	}{
		{0, "0.000"}, {tiny, "0.000"}, {-tiny, "0.000"},
		{sim.PriceOf(0.12), "+0.120"}, {-sim.PriceOf(0.05), "-0.050"},
	} {
		if got := Signed(c.p); got != c.want {
			t.Errorf("Signed(%v) = %q, want %q", c.p, got, c.want)
		}
	}
	st := NewStyles(nil)
	lines := st.Standing(&seat.Result{}, seat.Standing{Rank: 1, Won: true, Price: sim.PriceOf(0.8), Surplus: tiny}, sim.PriceOf(0.8004), 2)
	if got := strings.Join(lines, "\n"); !strings.Contains(got, "= 0.800 - 0.800 = 0.000") {
		t.Errorf("a round's surplus under a thousandth:\n%s", got)
	}
}
