package summary

import (
	"fmt"
	"slices"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
)

// holdoutColumns are the incrementality tests' table: the incremental
// ROAS a holdout measures, what a planner has, beside the model's, which
// no real planner has: the bidder's incremental ROAS, with people the
// treated people's conversions less those they would have made without
// the ad (by person the test's own truth).
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
	{"iROAS true (model)", 0, false, func(b sim.BidderStats) string { return format.ROAS(b.HoldoutTruth()) }},
}

// unitColumns say what each test randomises and, by person, the people
// exposed in each arm; shown in a world with people, where a test may be
// by either.
var unitColumns = []column[sim.BidderStats]{
	{"unit", 0, true, func(b sim.BidderStats) string { return b.Holdout.Unit.String() }},
	{"people exposed (treated / control)", 1, false, func(b sim.BidderStats) string {
		h := b.Holdout
		if h.Unit != sim.HoldoutByPerson {
			return format.Dash
		}
		return format.Count(h.TreatedPeople) + " / " + format.Count(h.ControlPeople)
	}},
}

// holdouts is the table of the bidders with a holdout test, "" when none
// has one, split to fit w (splitGrid), piped or in a terminal: every
// column of a test is its reading (the interval beside the truth), none
// to drop, and the whole table ran to 126 columns in a terminal of 80.
func holdouts(w int) func(*theme.Theme, *sim.Snapshot) string {
	return func(th *theme.Theme, snap *sim.Snapshot) string {
		cols := holdoutColumns
		if slices.ContainsFunc(snap.Bidders, func(b sim.BidderStats) bool { return b.Holdout != nil && b.Holdout.People }) {
			cols = slices.Insert(slices.Clone(cols), 1, unitColumns...)
		}
		var with []sim.BidderStats
		for _, b := range snap.Bidders {
			if b.Holdout != nil {
				with = append(with, b)
			}
		}
		if len(with) == 0 {
			return ""
		}
		return splitGrid(th, with, cols, w)
	}
}
