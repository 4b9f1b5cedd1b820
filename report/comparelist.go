package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// listSection is one part of compare's list of differences. The list
// reads from the market down: what the change did to the exchange (and
// its theory), then to groups, then to each bidder, and last the
// counterfactual figures and the simulation's own bookkeeping, which a
// student or planner reads least; before, one list by relative size put
// a switched-off bidder's −100% rows and the counterfactuals first.
type listSection int

const (
	sectionExchange listSection = iota
	sectionGroups
	sectionBidders
	sectionCounterfactual
	sectionRun
	sectionCount
)

// sectionTitles are the sections' headings in compare's list.
var sectionTitles = [sectionCount]string{
	sectionExchange:       "the exchange",
	sectionGroups:         "groups",
	sectionBidders:        "bidders",
	sectionCounterfactual: "counterfactual: each bidder's surplus had it bid otherwise",
	sectionRun:            "the simulation",
}

// sectionFloor is how many rows a section is kept room for when an
// earlier one would fill the list: a change of tmax moves some thirty
// exchange metrics, which must not leave the bidders none. The last two
// sections get room only as it is left.
var sectionFloor = [sectionCount]int{sectionExchange: 4, sectionGroups: 4, sectionBidders: 6}

// sectionOrder is the order of the sections for a comparison that leads
// with headline: the exchange's first, unless the headline is a group's
// or a bidder's (a budget move leads with its group's incremental
// value): then groups and bidders first, the headline's first, the
// planner's question, and the exchange after them.
func sectionOrder(headline string) []listSection {
	switch sectionOf(headline) {
	case sectionGroups:
		return []listSection{sectionGroups, sectionBidders, sectionExchange, sectionCounterfactual, sectionRun}
	case sectionBidders:
		return []listSection{sectionBidders, sectionGroups, sectionExchange, sectionCounterfactual, sectionRun}
	}
	return []listSection{sectionExchange, sectionGroups, sectionBidders, sectionCounterfactual, sectionRun}
}

// sectionOf is the section a metric is listed in.
func sectionOf(name string) listSection {
	switch {
	case strings.HasPrefix(name, "groups."):
		return sectionGroups
	case strings.HasPrefix(name, "bidders.") && strings.Contains(name, ".counterfactual."):
		return sectionCounterfactual
	case strings.HasPrefix(name, "bidders."), strings.HasPrefix(name, "theory.bidders."):
		return sectionBidders
	case name == "events" || name == "virtual_seconds":
		return sectionRun
	}
	// exchange.*, theory.*, settings.*, tmax_advice.*, auctions: the
	// market as a whole.
	return sectionExchange
}

// The ranks of a metric's importance within its part of compare's list
// (importance), and the weight each gives its change (rankWeight).
const (
	rankOutcome   = iota // money and what it buys: what a planner decides on
	rankActivity         // the traffic and its failures; any other metric
	rankMechanics        // how the market got there, and the settings
	ranks
)

// rankWeight weighs a change by its metric's rank: an outcome's in full,
// the traffic's a third, the mechanics' a tenth. Weights, not tiers: a
// fill rate −0.10% does not lead timeouts +108%, and a bidder's bids
// below the floor +500% (a real effect: four times as many) come after
// its spend −50%, not before.
var rankWeight = [ranks]float64{1, 1.0 / 3, 1.0 / 10}

// outcomeKinds are the metrics (after their part's prefix, eventual.
// and theory. off) of rankOutcome, beside those ending in _value,
// _roas, _profit and revenue_per_auction.
var outcomeKinds = map[string]bool{
	"revenue": true, "net_revenue": true, "mean_clearing_price": true, "revenue_lost_to_timeouts": true,
	"lost_share": true, "fill_rate": true, "value": true, "spend": true, "payment_per_auction": true,
	"surplus": true, "surplus_per_auction": true, "mean_price": true, "wins": true, "win_rate": true,
	"win_rate_per_auction": true, "clicks": true, "conversions": true, "attributed_conversions": true,
	"incremental_conversions": true, "caused_conversions": true,
}

// mechanicsKinds are the metrics of rankMechanics, beside the settings,
// tmax advice and the parts under mechanicsParts. A budget is the
// change itself, which the variant's line says.
var mechanicsKinds = map[string]bool{
	"below_floor": true, "throttled": true, "in_flight": true, "max_price": true, "events": true,
	"virtual_seconds": true, "budget": true, "daily_budget": true, "daily_sum": true,
	"unlimited_members": true, "uncapped_members": true, "enabled": true, "applies": true,
}

// mechanicsParts are the parts of a bidder (or the exchange) whose
// metrics are of rankMechanics: latencies, a learner's or a goal's
// state, frequency, the counterfactuals.
var mechanicsParts = []string{"wait_ms.", "latency_ms.", "network_ms.", "learn.", "goal.", "frequency.", "counterfactual."}

// importance is name's rank: what the money did (revenue, spend, value,
// wins, conversions, ROAS, profit, surplus, prices), the traffic and its
// failures (requests, bids, timeouts, no-bids, organic conversions …,
// and any metric not named here), or the mechanics and the settings
// (bids below the floor, throttling, wait and latency percentiles, a
// learner's state, the budgets set).
func importance(name string) int {
	if strings.HasPrefix(name, "settings.") || strings.HasPrefix(name, "tmax_advice.") {
		return rankMechanics
	}
	kind := strings.TrimPrefix(strings.TrimPrefix(name, "theory."), "since_change.")
	for _, part := range []string{"bidders.", "groups.", "slots."} {
		if rest, ok := strings.CutPrefix(kind, part); ok {
			if _, after, ok := strings.Cut(rest, "."); ok {
				kind = after
			}
		}
	}
	kind = strings.TrimPrefix(strings.TrimPrefix(kind, "exchange."), "eventual.")
	switch {
	case mechanicsKinds[kind]:
		return rankMechanics
	case slices.ContainsFunc(mechanicsParts, func(p string) bool { return strings.HasPrefix(kind, p) }):
		return rankMechanics
	case outcomeKinds[kind], strings.HasSuffix(kind, "_value"), strings.HasSuffix(kind, "_roas"),
		strings.HasSuffix(kind, "_profit"), strings.HasSuffix(kind, "revenue_per_auction"):
		return rankOutcome
	}
	return rankActivity
}

// ranked is names in the order compare lists each part in: by the
// relative change the replications vouch for
// (experiment.ComparedMetric.RelativeFloor, which a ratio of tiny
// counts, 0.17 → 5.5 a run, hardly has) weighed by the metric's
// importance (rankWeight), the larger first; then by |relative| and
// name, as Rows. A planner reads the top rows first: a list by
// |relative| alone opened the bidders with their bids below the floor
// +3200%.
func ranked(c *experiment.Comparison, names []string) []string {
	score := make(map[string]float64, len(names))
	for _, n := range names {
		score[n] = c.Metrics[n].RelativeFloor() * rankWeight[importance(n)]
	}
	out := slices.Clone(names)
	// Stable: equal scores keep Rows' order.
	slices.SortStableFunc(out, func(a, b string) int { return cmp.Compare(score[b], score[a]) })
	return out
}

// bySection splits names into the sections, each in names' order.
func bySection(names []string) [sectionCount][]string {
	var out [sectionCount][]string
	for _, name := range names {
		s := sectionOf(name)
		out[s] = append(out[s], name)
	}
	return out
}

// switchedBidders are the bidders the change switched off or on
// (bidders.NAME.enabled 1 on one side, 0 on the other, in every
// replication), and those it emptied or funded: enabled on both sides
// but without budget at every request of one side (bidders.NAME.no_budget
// its bid_requests in every replication), as a move of a member's whole
// budget or a set of it to 0 leaves it. Every metric of such a bidder
// differs, by −100% or from nothing (its no-bids by thousands of
// percent), which says no more than that it is off or out of budget and
// would top the bidders' list: names keeps none of them
// (bidders.NAME.* and theory.bidders.NAME.*), and notes says each bidder
// in a line, with what it won and spent where it bought.
func switchedBidders(c *experiment.Comparison, names []string) (kept, notes []string) {
	how := map[string]string{} // bidder → "switched off", "emptied", …
	var order []string
	for _, name := range names {
		bidder, ok := strings.CutPrefix(name, "bidders.")
		if !ok {
			continue
		}
		bidder, ok = strings.CutSuffix(bidder, ".enabled")
		if !ok || strings.Contains(bidder, ".") {
			continue
		}
		m := c.Metrics[name]
		if m.Baseline.SD != 0 || m.Variant.SD != 0 {
			continue
		}
		switch {
		case m.Baseline.Mean == 1 && m.Variant.Mean == 0:
			how[bidder] = "switched off"
		case m.Baseline.Mean == 0 && m.Variant.Mean == 1:
			how[bidder] = "switched on"
		default:
			continue
		}
		order = append(order, bidder)
	}
	for _, name := range names {
		bidder, ok := strings.CutPrefix(name, "bidders.")
		if !ok {
			continue
		}
		bidder, ok = strings.CutSuffix(bidder, ".no_budget")
		if !ok || strings.Contains(bidder, ".") || how[bidder] != "" {
			continue
		}
		base, variant := budgetless(c, bidder, false), budgetless(c, bidder, true)
		switch {
		case variant && !base:
			how[bidder] = "emptied"
		case base && !variant:
			how[bidder] = "funded (it had no budget)"
		default:
			continue
		}
		order = append(order, bidder)
	}
	if len(order) == 0 {
		return names, nil
	}
	folded := map[string]int{}
	for _, name := range names {
		if b, ok := bidderOf(name); ok && how[b] != "" {
			folded[b]++
			continue
		}
		kept = append(kept, name)
	}
	for _, b := range order {
		notes = append(notes, switchedNote(c, b, how[b], folded[b]-1))
	}
	return kept, notes
}

// budgetless reports whether bidder had no budget at any of its
// requests on one side (the variant's, or the baseline's) in every
// replication: its no_budget its bid_requests, and some. Each
// replication's no_budget is at most its bid_requests, so equal means
// (sums of the same integers) are equal in every replication.
func budgetless(c *experiment.Comparison, bidder string, variant bool) bool {
	nb, ok1 := c.Metrics["bidders."+bidder+".no_budget"]
	req, ok2 := c.Metrics["bidders."+bidder+".bid_requests"]
	if !ok1 || !ok2 {
		return false
	}
	a, r := nb.Baseline.Mean, req.Baseline.Mean
	if variant {
		a, r = nb.Variant.Mean, req.Variant.Mean
	}
	return r > 0 && a == r
}

// bidderOf is the bidder a metric is of (bidders.NAME.* or
// theory.bidders.NAME.*).
func bidderOf(name string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(name, "theory."), "bidders.")
	if !ok {
		return "", false
	}
	bidder, _, ok := strings.Cut(rest, ".")
	return bidder, ok
}

// switchedNote is a switched bidder's line: how (switched off or on,
// emptied or funded), its wins and spend from one side to the other, and
// how many of its other differences are left out; a second line when it
// would pass 80 columns.
func switchedNote(c *experiment.Comparison, bidder, how string, others int) string {
	head := fmt.Sprintf("  bidders.%s %s", bidder, how)
	sep := ":"
	for _, f := range []string{"wins", "spend"} {
		if m, ok := c.Metrics["bidders."+bidder+"."+f]; ok {
			head += fmt.Sprintf("%s %s %s → %s", sep, f, plainNum(m.Baseline.Mean), plainNum(m.Variant.Mean))
			sep = ","
		}
	}
	tail := fmt.Sprintf("%d more not listed", others)
	if format.Width(head)+2+format.Width(tail) <= 80 {
		return head + "; " + tail + "\n"
	}
	return head + ";\n    " + tail + "\n"
}

// sectionedRows is compare's list of differences (names, by relative
// size) in sections, each under its heading, the switched bidders' notes
// heading the bidders, within room lines; and the names it shows. A
// section that does not fit whole says how many of its rows it shows;
// each later one is kept its floor's room (sectionFloor).
func sectionedRows(c *experiment.Comparison, names, switched []string, room int, cw compareW) (string, []string) {
	secs := bySection(names)
	notes := strings.Join(switched, "")
	lines := func(s string) int { return strings.Count(s, "\n") }
	order := sectionOrder(c.Metric)
	// Each row written once, for the floors and for the list.
	rowText := make(map[string]string, len(names))
	for _, name := range names {
		var row strings.Builder
		compareRowC(&row, name, c.Metrics[name], cw)
		rowText[name] = row.String()
	}
	// rowLines is the lines of a row: two where its name is past the
	// column.
	rowLines := func(name string) int { return lines(rowText[name]) }
	floor := sectionFloors(secs, order, lines(notes), room, rowLines)
	// kept is the room kept for the sections after the k-th.
	kept := func(k int) int { return floorLines(secs, order[k+1:], floor, lines(notes), rowLines) }
	var b strings.Builder
	var shown []string
	for k, i := range order {
		head := ""
		if i == sectionBidders {
			head = notes
		}
		if len(secs[i]) == 0 && head == "" {
			continue
		}
		avail := room - kept(k) - 1 - lines(head)
		var rows strings.Builder
		n := 0
		for _, name := range secs[i] {
			k := lines(rowText[name])
			if k > avail {
				break
			}
			avail -= k
			rows.WriteString(rowText[name])
			n++
		}
		if n == 0 && head == "" {
			continue
		}
		title := sectionTitles[i]
		if n < len(secs[i]) {
			title += fmt.Sprintf(" (%d of %d shown)", n, len(secs[i]))
		}
		section := "  " + title + ":\n" + head + rows.String()
		b.WriteString(section)
		room -= lines(section)
		shown = append(shown, secs[i][:n]...)
	}
	return b.String(), shown
}

// sectionFloors are the rows each section of secs is kept room for
// (sectionFloor, at most its rows), fewer when they do not all fit in
// room lines (rowLines: a row's) with their headings and the bidders'
// notes (notes lines): the largest one row less at a time, the later of
// equal ones first, down to one row each. Else the first section,
// whatever room was kept for the others, got none: a baseline with --set
// and a member emptied left the headline's group no row.
func sectionFloors(secs [sectionCount][]string, order []listSection, notes, room int, rowLines func(string) int) [sectionCount]int {
	var floor [sectionCount]int
	for _, i := range order {
		floor[i] = min(len(secs[i]), sectionFloor[i])
	}
	for floorLines(secs, order, floor, notes, rowLines) > room {
		largest := -1
		for _, i := range order {
			if floor[i] > 1 && (largest < 0 || floor[i] >= floor[largest]) {
				largest = int(i)
			}
		}
		if largest < 0 {
			break
		}
		floor[largest]--
	}
	return floor
}

// floorLines is the lines the sections take with floor's rows of secs
// (rowLines: a row's), the bidders' notes (notes lines) and a heading
// each; a section with nothing to show takes none.
func floorLines(secs [sectionCount][]string, sections []listSection, floor [sectionCount]int, notes int, rowLines func(string) int) int {
	n := 0
	for _, i := range sections {
		k := 0
		for _, name := range secs[i][:floor[i]] {
			k += rowLines(name)
		}
		if i == sectionBidders {
			k += notes
		}
		if k > 0 {
			n += k + 1 // and its heading
		}
	}
	return n
}
