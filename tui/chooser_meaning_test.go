package tui

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestChooserMeaningByAuction: the chooser says what truthful and
// equilibrium bidding are in the auction being run, never "dominant"
// where truthful bidding is not (first price, GSP) nor "first-price
// equilibrium" for GSP's envy-free one.
func TestChooserMeaningByAuction(t *testing.T) {
	truthful, eq := sim.Strategy{Kind: sim.Truthful}, sim.Strategy{Kind: sim.Equilibrium}
	for _, c := range []struct {
		a                 sim.AuctionType
		truthful, equilib string
		not               string
	}{
		{sim.SecondPrice, "dominant in second price", "truthful in second price", ""},
		{sim.FirstPrice, "earns nothing in first price", "symmetric first-price equilibrium", "dominant"},
		{sim.VCG, "dominant in VCG", "truthful in VCG", "first-price"},
		{sim.GSP, "not an equilibrium in GSP", "envy-free", "dominant"},
	} {
		tm, em := chooserMeaning(truthful, c.a), chooserMeaning(eq, c.a)
		if !strings.Contains(tm, c.truthful) || !strings.Contains(em, c.equilib) {
			t.Errorf("%v: truthful %q, equilibrium %q", c.a, tm, em)
		}
		if c.not != "" && (strings.Contains(tm, c.not) || strings.Contains(em, c.not)) {
			t.Errorf("%v: %q or %q says %q", c.a, tm, em, c.not)
		}
	}
}
