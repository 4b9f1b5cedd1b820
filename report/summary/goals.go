package summary

import (
	"math"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
)

// goalColumns are the goal bidders' table: each target beside what it
// realised, how far off it is, or that the budget, not the target, binds
// (sim's Goal.BudgetBound), and the controller's bid factor.
var goalColumns = []column[sim.BidderStats]{
	{"bidder", 0, true, func(b sim.BidderStats) string { return b.Name }},
	{"goal", 0, true, func(b sim.BidderStats) string { return format.GoalKind(b.Goal) }},
	{"target", 0, false, func(b sim.BidderStats) string { return goalNumber(b.Goal, b.Goal.Target) }},
	{"realised", 0, false, func(b sim.BidderStats) string { return goalNumber(b.Goal, b.Goal.Realised) }},
	{"off by", 0, false, func(b sim.BidderStats) string {
		g := b.Goal
		if math.IsNaN(g.Realised) || !(g.Target > 0) {
			return format.Dash
		}
		if g.BudgetBound {
			// Better than the target because the budget ran out: not a
			// miss of the target.
			return "budget binds"
		}
		return format.Pct(g.Realised/g.Target - 1)
	}},
	{"bid factor", 0, false, func(b sim.BidderStats) string { return format.Fixed(b.Goal.Multiplier, 3) }},
}

// goalNumber writes a CPA as money and a ROAS as a ratio; NaN as a dash.
func goalNumber(g *sim.Goal, x float64) string {
	switch {
	case math.IsNaN(x):
		return format.Dash
	case g.Kind == sim.TargetROAS:
		return format.ROAS(x)
	}
	return format.Money(x)
}

// goals is the table of the goal bidders, "" when there is none, within
// w cells (0: no limit): split as the bidders' table is (splitGrid),
// each table the name column and as many of the rest as fit.
func goals(w int) func(th *theme.Theme, snap *sim.Snapshot) string {
	return func(th *theme.Theme, snap *sim.Snapshot) string {
		var with []sim.BidderStats
		for _, b := range snap.Bidders {
			if b.Goal != nil {
				with = append(with, b)
			}
		}
		if len(with) == 0 {
			return ""
		}
		return splitGrid(th, with, goalColumns, w)
	}
}
