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

// groups is the groups' table, as many columns as fit in w, followed by
// the members sim flagged as behind their budget, with the reason.
func groups(th *theme.Theme, snap *sim.Snapshot, w int) string {
	var out string
	for drop := 3; drop >= 0; drop-- {
		out = grid(th, snap.Groups, keepOnly(groupColumns, drop))
		if w == 0 || lipgloss.Width(out) <= w {
			break
		}
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
