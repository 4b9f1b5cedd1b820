package theme

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Cell is one cell of a bar: its rune and style.
type Cell struct {
	Rune  rune
	Style *lipgloss.Style
}

// Bar draws a bar w cells wide over the scale [0, scale]: cell i stands
// for the value at its middle, (i + ½)·scale/w, and cell returns what to
// draw there. Cells at mark (−1 for none) draw markRune in markStyle,
// whatever the value. Runs of cells in one style are styled at once, which
// is most of a bar's cost otherwise. Every bar on screen (spend, latency,
// a response against tmax) is drawn by it.
func Bar(w int, scale float64, cell func(v float64) Cell, mark int, markCell Cell) string {
	var b, run strings.Builder
	var runStyle *lipgloss.Style
	flush := func() {
		if run.Len() > 0 {
			if runStyle != nil {
				b.WriteString(runStyle.Render(run.String()))
			} else {
				b.WriteString(run.String())
			}
			run.Reset()
		}
	}
	for i := range w {
		c := markCell
		if i != mark {
			c = cell((float64(i) + 0.5) / float64(w) * scale)
		}
		if c.Style != runStyle {
			flush()
			runStyle = c.Style
		}
		run.WriteRune(c.Rune)
	}
	flush()
	return b.String()
}

// MarkAt is the cell of a bar w cells wide over [0, scale] where the value
// v falls, or −1 when it falls outside.
func MarkAt(v, scale float64, w int) int {
	if scale <= 0 || v < 0 || v > scale {
		return -1
	}
	return min(int(v/scale*float64(w)), w-1)
}

// Fill is the common bar: filled (█) up to a share frac of its w cells,
// light (░) after.
func (s *Theme) Fill(frac float64, w int) string {
	return Bar(w, 1, func(v float64) Cell {
		if v < frac {
			return Cell{'█', &s.Bar}
		}
		return Cell{'░', &s.Dim}
	}, -1, Cell{})
}

// FillPlain is Fill without styles, for a cell that a table styles as a
// whole.
func FillPlain(frac float64, w int) string {
	return Bar(w, 1, func(v float64) Cell {
		if v < frac {
			return Cell{'█', nil}
		}
		return Cell{'░', nil}
	}, -1, Cell{})
}
