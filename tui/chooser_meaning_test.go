package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

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

// TestChooserMeaningFits: the chooser's meaning line is cut at 80
// columns ("… for the values, bidders and flo…" for the first-price
// equilibrium, a student's first choice in first-vs-second); every one
// fits, with figures as wide as they come.
func TestChooserMeaningFits(t *testing.T) {
	for _, s := range []sim.Strategy{
		{Kind: sim.Truthful}, {Kind: sim.Shade, Factor: 0.75}, {Kind: sim.Fixed, Bid: sim.PriceOf(123.45)},
		{Kind: sim.Equilibrium}, {Kind: sim.Learn},
		{Kind: sim.TargetCPA, CPA: sim.MoneyOf(1234.56)},
		{Kind: sim.TargetROAS, ROAS: 12.5, On: sim.OnIncremental},
		{Kind: sim.TargetROAS, ROAS: 12.5, On: sim.OnAttributed},
	} {
		for _, a := range []sim.AuctionType{sim.SecondPrice, sim.FirstPrice, sim.GSP, sim.VCG} {
			if m := chooserMeaning(s, a); ansi.StringWidth(m) > 80 {
				t.Errorf("%v in %v: %d columns: %q", s.Kind, a, ansi.StringWidth(m), m)
			}
		}
	}
}
