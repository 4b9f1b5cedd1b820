package tui

import (
	"fmt"

	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// tableLine is one row of the bidders table: a bidder (group < 0) or the
// total of a group (bidder < 0), which sits under the group's last member.
type tableLine struct{ bidder, group int }

// tableRows lists the bidders table's rows: the bidders in order, each
// group's total after its last member.
func tableRows(s *sim.Snapshot) []tableLine {
	last := map[string]int{}
	for i, b := range s.Bidders {
		if b.Group != "" {
			last[b.Group] = i
		}
	}
	rows := make([]tableLine, 0, len(s.Bidders)+len(s.Groups))
	for i, b := range s.Bidders {
		rows = append(rows, tableLine{bidder: i, group: -1})
		if b.Group != "" && last[b.Group] == i {
			for k, g := range s.Groups {
				if g.Name == b.Group {
					rows = append(rows, tableLine{bidder: -1, group: k})
				}
			}
		}
	}
	return rows
}

// lineOf is the table row of bidder i.
func lineOf(rows []tableLine, i int) int {
	for r, t := range rows {
		if t.bidder == i {
			return r
		}
	}
	return 0
}

// groupRow is a group's total row: the sums sim computed, as the members'
// rows show them; – where a sum means nothing (rates, latency). apart as
// for bidderRow.
func groupRow(c *Context, g sim.GroupStats, cols []column, apart []string) ([]string, map[int]lipgloss.Style) {
	marks := map[int]lipgloss.Style{}
	row := make([]string, len(cols))
	for k, col := range cols {
		w := col.width - cellPad
		v := format.Dash
		switch col.id {
		case colName:
			v = format.Fit("Σ "+shortName(g.Name, apart, w-2), w)
		case colWins:
			v = format.Count(g.Wins)
		case colSpend:
			switch {
			case format.GroupUncapped(g):
				// A member with no budget at all: the group has no cap either.
				v = noCapCell(g.Spend.Float(), w)
			case g.Daily > 0 && g.Budget == 0:
				// Daily budgets alone: the day in progress against their sum,
				// as a member's row shows its own.
				v = dayBar(g.Today, w)
			case g.Daily > 0:
				// Budgets and daily budgets: the spend against both.
				v = budgetsCell(g, w)
			default:
				v, _ = spendBar(g.Spend.Float(), g.Budget.Float(), w)
			}
		case colPacing:
			if n := unspentMembers(c, g); n > 0 {
				v = fmt.Sprintf("%d unspent", n)
				marks[k] = c.Theme.Warn
			}
		case colARoas:
			v = format.ROAS(g.AttributedROAS())
		case colIRoas:
			v = format.ROAS(g.IncrementalROAS())
		}
		row[k] = v
	}
	return row, marks
}

// unspentMembers counts the group's members that sim flagged.
func unspentMembers(c *Context, g sim.GroupStats) int {
	n := 0
	for _, b := range c.Snap().Bidders {
		if b.Group == g.Name && b.Unspent != sim.UnspentNone {
			n++
		}
	}
	return n
}
