package classroom

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// columnGap is the least space between two columns of the reveal and the
// leaderboard: with one, a large bid beside its price reads as one number
// ("5000.000 5000.000 -4999.200").
const columnGap = 2

// table is rows of cells laid out in columns sized to their content.
type table struct {
	rows  [][]string
	right []bool // per column: right-aligned (numbers)
	// shrink is the column that gives way, cut with "…", when the rows
	// are wider than the screen (the names), down to minShrink cells;
	// the numbers are never cut.
	shrink, minShrink int
}

// lines lays the rows out within width cells (0: no limit), each column
// as wide as its widest cell and columnGap apart, trailing spaces trimmed.
func (t table) lines(width int) []string {
	var w []int
	for _, row := range t.rows {
		for c, cell := range row {
			if c >= len(w) {
				w = append(w, 0)
			}
			w[c] = max(w[c], ansi.StringWidth(cell))
		}
	}
	if width > 0 && t.shrink < len(w) {
		total := columnGap * (len(w) - 1)
		for _, x := range w {
			total += x
		}
		if over := total - width; over > 0 {
			w[t.shrink] = max(w[t.shrink]-over, min(t.minShrink, w[t.shrink]))
		}
	}
	out := make([]string, len(t.rows))
	for r, row := range t.rows {
		var b strings.Builder
		for c, cell := range row {
			if c > 0 {
				b.WriteString(strings.Repeat(" ", columnGap))
			}
			cell = ansi.Truncate(cell, w[c], "…")
			pad := strings.Repeat(" ", w[c]-ansi.StringWidth(cell))
			if c < len(t.right) && t.right[c] {
				b.WriteString(pad + cell)
			} else {
				b.WriteString(cell + pad)
			}
		}
		out[r] = strings.TrimRight(b.String(), " ")
	}
	return out
}
