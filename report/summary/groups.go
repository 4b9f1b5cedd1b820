package summary

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
)

// groupColumns are the advertiser groups' table: the sums sim computed.
var groupColumns = []column[sim.GroupStats]{
	{"group", 0, true, func(g sim.GroupStats) string { return g.Name }},
	{"members", 0, false, func(g sim.GroupStats) string { return fmt.Sprint(len(g.Members)) }},
	{"budget", 0, false, groupBudget},
	{"spend", 0, false, func(g sim.GroupStats) string { return format.Money(g.Spend.Float()) }},
	{"unspent", 1, false, groupUnspent},
	{"wins", 3, false, func(g sim.GroupStats) string { return format.Count(g.Wins) }},
	{"conv", 2, false, func(g sim.GroupStats) string { return format.Count(g.Conversions) }},
	{"pending", 3, false, func(g sim.GroupStats) string { return format.Count(g.PendingConversions) }},
	{"incr value", 1, false, func(g sim.GroupStats) string { return format.Money(g.IncrementalValue.Float()) }},
	// The same counting the conversions still pending as matured: what
	// the group's impressions will earn, the figure split decides on.
	{"incr eventual", 1, false, func(g sim.GroupStats) string { return format.Money(g.Eventual.IncrementalValue.Float()) }},
	{"aROAS", 0, false, func(g sim.GroupStats) string { return format.ROAS(g.AttributedROAS()) }},
	{"iROAS", 0, false, func(g sim.GroupStats) string { return format.ROAS(g.IncrementalROAS()) }},
	{"incr profit", 2, false, func(g sim.GroupStats) string { return format.Money(g.IncrementalProfit()) }},
}

// groupBudget is a group's budget: ∞ when the group has no cap, else
// its budgets as format.GroupBudget words them.
func groupBudget(g sim.GroupStats) string {
	if format.GroupUncapped(g) {
		return "∞"
	}
	return format.GroupBudget(g, format.Money)
}

// groupUnspent is what the group's totals leave: – when no member has a
// total (daily budgets alone, or none), where 0.00 would read as a group
// that spent all it had, whatever its days left.
func groupUnspent(g sim.GroupStats) string {
	if g.Unlimited >= len(g.Members) {
		return format.Dash
	}
	return format.Money(g.Unspent.Float())
}

// groupSpendColumns and groupValueColumns are the groups' table in two
// where one is too wide (some 130 columns): the budgets, spend and ROAS,
// then the conversions and values, each keeping what it is about longest
// (keep ranks them anew).
var (
	groupSpendColumns = pickColumns(groupColumns, map[string]int{"group": 0, "members": 3, "budget": 0, "spend": 0,
		"unspent": 1, "wins": 2, "aROAS": 0, "iROAS": 0})
	groupValueColumns = pickColumns(groupColumns, map[string]int{"group": 0, "conv": 2, "pending": 0,
		"incr value": 0, "incr eventual": 0, "incr profit": 1})
)

// pickColumns is the columns of all named in keep, in all's order, each
// ranked by keep.
func pickColumns[T any](all []column[T], keep map[string]int) []column[T] {
	var out []column[T]
	for _, c := range all {
		if k, ok := keep[c.head]; ok {
			c.keep = k
			out = append(out, c)
		}
	}
	return out
}

// fitGrid is grid of as many of cols as fit in w (keepOnly).
func fitGrid[T any](th *theme.Theme, items []T, cols []column[T], w int) string {
	var out string
	for drop := 3; drop >= 0; drop-- {
		out = grid(th, items, keepOnly(cols, drop))
		if w == 0 || lipgloss.Width(out) <= w {
			break
		}
	}
	return out
}

// groups is the groups' table, followed by the members sim flagged as
// behind their budget, with the reason. Where it is wider than w it is
// two: the spend, then the conversions and values (their pending and
// eventual figures, the planner's, would be the first a table cut to fit
// drops), each with as many columns as fit.
//
// whole keeps every column: each of the two then splits (splitGrid).
func groups(th *theme.Theme, snap *sim.Snapshot, w int, whole bool) string {
	out := grid(th, snap.Groups, groupColumns)
	fit := fitGrid[sim.GroupStats]
	if whole {
		fit = splitGrid[sim.GroupStats]
	}
	if w > 0 && lipgloss.Width(out) > w {
		out = fit(th, snap.Groups, groupSpendColumns, w) + "\n" +
			th.Title.Render("Groups' conversions") + th.Dim.Render(fitNote(w-len("Groups' conversions"),
			"  incr eventual counts those pending as matured: what the impressions will earn", "  incr eventual: the pending counted as matured")) + "\n" +
			fit(th, snap.Groups, groupValueColumns, w)
	}
	var flags []string
	for _, b := range snap.Bidders {
		if b.Unspent != sim.UnspentNone {
			// A daily budget alone is judged over the days completed.
			left, of := b.Left(snap.Now)
			whose := ""
			if b.Unlimited {
				whose = "its days' "
			}
			today := ""
			if now, capped := b.Remaining(snap.Now); capped && !b.Unlimited && b.Daily > 0 && now < left {
				// A daily budget beside the total: what it can really
				// still spend today is less than the total leaves.
				today = fmt.Sprintf(" (at most %s of it today, its daily budget's remainder)", format.Money(now.Float()))
			}
			line := th.Warn.Render("! "+b.Name) + th.Dim.Render(fmt.Sprintf(" left %s of %s%s%s unspent: %s",
				format.Money(left.Float()), whose, format.Money(of.Float()), today, b.UnspentWhy()))
			if w > 0 {
				line = format.Wordwrap(line, w)
			}
			flags = append(flags, line)
		}
	}
	if len(flags) > 0 {
		out += "\n" + strings.Join(flags, "\n")
	}
	return out
}

// fitNote is the first of notes at most w cells wide, else "".
func fitNote(w int, notes ...string) string {
	for _, n := range notes {
		if lipgloss.Width(n) <= w {
			return n
		}
	}
	return ""
}
