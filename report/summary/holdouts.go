package summary

import (
	"fmt"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
)

// holdoutColumns are the incrementality tests' table: the incremental
// ROAS a holdout measures, what a planner has, beside the model's, which
// no real planner has.
var holdoutColumns = []column[sim.BidderStats]{
	{"bidder", 0, true, func(b sim.BidderStats) string { return b.Name }},
	{"iROAS measured (holdout)", 0, false, func(b sim.BidderStats) string {
		return format.ROAS(b.Holdout.MeasuredIncrementalROAS().Mean)
	}},
	{"95% interval", 0, false, func(b sim.BidderStats) string {
		iv := b.Holdout.MeasuredIncrementalROAS()
		if iv.Lo != iv.Lo || iv.Hi != iv.Hi { // NaN: an arm without impressions
			return format.Dash
		}
		return fmt.Sprintf("[%s, %s]", format.ROAS(iv.Lo), format.ROAS(iv.Hi))
	}},
	{"iROAS true (model)", 0, false, func(b sim.BidderStats) string { return format.ROAS(b.IncrementalROAS()) }},
}

// holdouts is the table of the bidders with a holdout test, "" when none
// has one.
func holdouts(th *theme.Theme, snap *sim.Snapshot) string {
	return bidderGrid(th, snap, func(b sim.BidderStats) bool { return b.Holdout != nil }, holdoutColumns)
}
