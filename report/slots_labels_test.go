package report

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestRepsTheorySlotsLabels: the --reps table's VCG and GSP rows say
// which bids they price. With every bidder bidding the GSP envy-free
// equilibrium the GSP row is truthful GSP's 0.90, not what the
// equilibrium earns (VCG's 0.66, the revenue row): labelled bare "GSP
// revenue per auction" it read as the equilibrium's.
func TestRepsTheorySlotsLabels(t *testing.T) {
	for _, c := range []struct{ strategy, want string }{
		{"{kind: equilibrium}", "truthful bids"},
		{"{kind: truthful}", "truthful bids"},
		{"{kind: shade, factor: 0.7}", "bids 0.7 × value"},
	} {
		res, sc := twoReps(t, "sponsored-search", []scenarios.Set{
			{Path: "stop", Value: "{auctions: 300}"}, {Path: "bidders.*.strategy", Value: c.strategy}})
		got := RepsTheory(res, sim.TheoryOf(sc.Config))
		for _, row := range []string{"VCG revenue, " + c.want, "GSP revenue, " + c.want} {
			if !strings.Contains(got, row) {
				t.Errorf("%s: no row %q:\n%s", c.strategy, row, got)
			}
		}
	}
}
