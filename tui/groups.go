package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

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

// groupSpan is the longest run of columns [from, to) a group's total row
// leaves empty, its sums meaning nothing there (win% to price, and the
// strategy and surplus where shown): where groupNote goes. from == to
// when there is none.
func groupSpan(cols []column) (from, to int) {
	filled := func(id int) bool {
		switch id {
		case colName, colWins, colSpend, colPacing, colARoas, colIRoas:
			return true
		}
		return false
	}
	for i := 0; i < len(cols); {
		if filled(cols[i].id) {
			i++
			continue
		}
		j := i
		for j < len(cols) && !filled(cols[j].id) {
			j++
		}
		if j-i > to-from {
			from, to = i, j
		}
		i = j
	}
	return from, to
}

// spanWidth is the cells of columns [from, to).
func spanWidth(cols []column, from, to int) int {
	w := 0
	for _, c := range cols[from:to] {
		w += c.width
	}
	return w
}

// groupNote is what a group's total row says where its sums mean nothing
// (groupSpan): its conversions still pending and its incremental value
// as matured so far and eventual, the pending counted (what its
// impressions so far will have earned, the figure split decides on),
// the most of it that fits in w cells; "" where none fits or no member
// has an outcome model. The figures are whole (1,618.00) in any form
// but the bare last, and compact (1.6k) only where none of those fits:
// at 160 columns the row read "incr 1.6k → 1.7k eventual" with room for
// "incr 1,618.00 → 1,702.00 eventual".
func groupNote(s *sim.Snapshot, g sim.GroupStats, w int) string {
	outcome := false
	for _, b := range s.Bidders {
		outcome = outcome || b.Group == g.Name && b.HasOutcome
	}
	if !outcome {
		return ""
	}
	pend := format.Count(g.PendingConversions)
	forms := func(money func(float64) string) []string {
		mat, ev := money(g.IncrementalValue.Float()), money(g.Eventual.IncrementalValue.Float())
		return []string{
			pend + " conversions pending · incr value " + mat + " matured → " + ev + " eventual",
			pend + " pending · incr value " + mat + " matured → " + ev + " eventual",
			pend + " pending · incr " + mat + " → " + ev + " eventual",
			pend + " pending: incr " + mat + " → " + ev,
			"incr " + mat + " → " + ev + " eventual",
			"incr " + mat + " → " + ev, // which is which unsaid: the last resort
		}
	}
	whole, compact := forms(format.Money), forms(format.CompactMoney)
	last := len(whole) - 1
	for _, note := range slices.Concat(whole[:last], compact[:last], whole[last:], compact[last:]) {
		if ansi.StringWidth(note) <= w {
			return note
		}
	}
	return ""
}

// overlayNote writes note, styled, over cells [x, x+w) of the rendered
// line, padded to w.
func overlayNote(line, note string, x, w int, style lipgloss.Style) string {
	cell := style.Render(note + strings.Repeat(" ", max(w-ansi.StringWidth(note), 0)))
	return ansi.Truncate(line, x, "") + cell + ansi.TruncateLeft(line, x+w, "")
}
