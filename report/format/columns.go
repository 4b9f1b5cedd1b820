package format

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// ColumnGap is the least space between two of Columns' columns: with
// one, a large bid beside its price reads as one number ("5000.000
// 5000.000 -4999.200").
const ColumnGap = 2

// Columns is rows of cells laid out in columns sized to their content:
// the classroom's reveal and leaderboard and the game's totals. Cells may
// be styled (their width is measured without the styling).
type Columns struct {
	Rows  [][]string
	Right []bool // per column: right-aligned (numbers)
	// Shrink is the column that gives way, cut with "…", when the rows
	// are wider than the screen (the names), down to MinShrink cells;
	// the numbers are never cut.
	Shrink, MinShrink int
}

// Lines lays the rows out within width cells (0: no limit), each column
// as wide as its widest cell and ColumnGap apart, trailing spaces
// trimmed.
func (t Columns) Lines(width int) []string {
	var w []int
	for _, row := range t.Rows {
		for c, cell := range row {
			if c >= len(w) {
				w = append(w, 0)
			}
			w[c] = max(w[c], ansi.StringWidth(cell))
		}
	}
	if width > 0 && t.Shrink < len(w) {
		total := ColumnGap * (len(w) - 1)
		for _, x := range w {
			total += x
		}
		if over := total - width; over > 0 {
			w[t.Shrink] = max(w[t.Shrink]-over, min(t.MinShrink, w[t.Shrink]))
		}
	}
	out := make([]string, len(t.Rows))
	for r, row := range t.Rows {
		var b strings.Builder
		for c, cell := range row {
			if c > 0 {
				b.WriteString(strings.Repeat(" ", ColumnGap))
			}
			cell = ansi.Truncate(cell, w[c], "…")
			pad := strings.Repeat(" ", w[c]-ansi.StringWidth(cell))
			if c < len(t.Right) && t.Right[c] {
				b.WriteString(pad + cell)
			} else {
				b.WriteString(cell + pad)
			}
		}
		out[r] = strings.TrimRight(b.String(), " ")
	}
	return out
}
