package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// Bidder table columns, by what they show.
const (
	colName = iota
	colWin
	colWins // wide only
	colBids
	colLate
	colP95
	colPrice
	colSpend
	colPacing // wide only
	colARoas
	colIRoas
)

// cellPad is the table's cell padding: one space on the left, so that
// nine columns fit in 80 cells.
const cellPad = 1

// column is one table column: what it shows and its bubbles/table header.
type column struct {
	id int
	table.Column
}

// columns sizes the table for width w; the spend bar takes what is left,
// up to a point. Numbers are right-aligned by padding, as bubbles/table
// aligns left.
func columns(w int, names []string) []column {
	nameW := 8
	for _, n := range names {
		nameW = max(nameW, ansi.StringWidth(n)+2) // +2: selection and state marks
	}
	nameW = min(nameW, 20)
	c := func(id int, title string, width int) column {
		return column{id, table.Column{Title: title, Width: width}}
	}
	var cols []column
	if w >= wideWidth {
		cols = []column{
			c(colName, "bidder", nameW), c(colWin, "win%", 7), c(colWins, "wins", 9), c(colBids, "bids", 10),
			c(colLate, "late%", 7), c(colP95, "p95", 8), c(colPrice, "price", 7), c(colSpend, "spend / budget", 0),
			c(colPacing, "pacing", 14), c(colARoas, "aROAS", 7), c(colIRoas, "iROAS", 7),
		}
	} else {
		cols = []column{
			c(colName, "bidder", nameW), c(colWin, "win%", 6), c(colBids, "bids", 7), c(colLate, "late%", 6),
			c(colP95, "p95", 7), c(colPrice, "price", 6), c(colSpend, "spend / budget", 0),
			c(colARoas, "aROAS", 6), c(colIRoas, "iROAS", 6),
		}
	}
	used := 0
	for _, c := range cols {
		used += c.Width + cellPad
	}
	for i := range cols {
		switch cols[i].id {
		case colSpend:
			cols[i].Width = min(max(w-used, 10), 40)
		case colName, colPacing:
		default:
			cols[i].Title = padLeft(cols[i].Title, cols[i].Width)
		}
	}
	return cols
}

// cellMark is a cell to highlight after the table has laid the row out.
type cellMark struct {
	col   int
	style lipgloss.Style
}

// renderBidders draws the bidders panel: a title, then bubbles/table with
// `rows` bidders around the selected one. The table lays out plain text;
// colour is added afterwards, per row and per cell, because the table
// measures cell widths without understanding escape codes.
func (m *model) renderBidders(w, rows int) string {
	snap := m.cur.Snap
	n := len(snap.Bidders)
	names := make([]string, n)
	for i, b := range snap.Bidders {
		names[i] = b.Name
	}
	cols := columns(w, names)
	start := min(max(m.selected-rows/2, 0), max(n-rows, 0))
	end := min(start+rows, n)

	tmax := m.show.set.Tmax
	trs := make([]table.Row, 0, end-start)
	marks := make([][]cellMark, 0, end-start)
	for i := start; i < end; i++ {
		b, sb := snap.Bidders[i], m.show.bidders[i]
		r, mk := m.bidderRow(i, b, sb, cols, tmax)
		trs = append(trs, r)
		marks = append(marks, mk)
	}
	tcols := make([]table.Column, len(cols))
	for i, c := range cols {
		tcols[i] = c.Column
	}
	// Every table setter redraws the rows: change the layout only when it
	// changed, and the cursor before the rows, so a frame redraws twice
	// rather than six times.
	if !slices.Equal(m.table.Columns(), tcols) || m.table.Width() != w || m.table.Height() != len(trs) {
		// Rows first: old rows with more cells than the new columns
		// would not fit them.
		m.table.SetRows(nil)
		m.table.SetColumns(tcols)
		m.table.SetWidth(w)
		m.table.SetHeight(len(trs) + 1)
	}
	m.table.SetRows(trs)
	m.table.SetCursor(m.selected - start)

	title := m.st.Title.Render("Bidders")
	if rows < n {
		title += m.st.Dim.Render(fmt.Sprintf(" (%d–%d of %d)", start+1, end, n))
	}
	title += m.st.Dim.Render("  ↑/↓ select · l/L latency · b/B budget · x on/off")
	lines := strings.Split(m.table.View(), "\n")
	out := make([]string, 0, len(lines)+1)
	out = append(out, title)
	for y, line := range lines {
		switch {
		case y == 0:
			out = append(out, m.st.Label.Render(line))
		case y-1 < len(trs):
			i := start + y - 1
			out = append(out, m.styleRow(line, cols, marks[y-1], i == m.selected, !m.show.bidders[i].enabled))
		default:
			out = append(out, line)
		}
	}
	return block(out, w, tableChrome+rows)
}

// bidderRow is one bidder's cells and the cells to highlight.
func (m *model) bidderRow(i int, b sim.BidderStats, sb shownBidder, cols []column, tmax sim.Time) (table.Row, []cellMark) {
	var marks []cellMark
	row := make(table.Row, len(cols))
	for k, c := range cols {
		var v string
		switch c.id {
		case colName:
			sel, state := " ", " "
			if i == m.selected {
				sel = "▸"
			}
			if !sb.enabled {
				state = "✗"
			}
			v = sel + state + b.Name
		case colWin:
			v = pct(b.WinRate())
		case colWins:
			v = count(b.Wins)
		case colBids:
			v = count(b.Bids)
		case colLate:
			late, bids := m.recentLate(i)
			rate := ratio(late, bids)
			v = pct(rate)
			if late > 0 && rate >= 0.05 {
				marks = append(marks, cellMark{k, m.st.Warn})
			}
		case colP95:
			v = "–"
			if l := b.RecentLatency; l.Count > 0 {
				v = latency(l.P95)
				if l.P95 > tmax {
					v += "!"
					marks = append(marks, cellMark{k, m.st.Bad})
				}
			}
		case colPrice:
			v = fmt.Sprintf("%.2f", b.MeanPrice())
		case colSpend:
			var warn bool
			v, warn = m.spendCell(b, sb, c.Width)
			if warn {
				marks = append(marks, cellMark{k, m.st.Warn})
			}
		case colPacing:
			v = pacingText(b, sb)
		case colARoas:
			v = roasText(b.AttributedROAS(), b.Spend > 0)
		case colIRoas:
			v = roasText(b.IncrementalROAS(), b.Spend > 0)
		}
		if c.id != colName && c.id != colSpend && c.id != colPacing {
			v = padLeft(v, c.Width)
		}
		row[k] = v
	}
	return row, marks
}

// pacingText is a budgeted bidder's pacing and its controller's state.
func pacingText(b sim.BidderStats, sb shownBidder) string {
	switch {
	case sb.unlimited:
		return "–"
	case b.Pacing == sim.PacingThrottle:
		return fmt.Sprintf("throttle %.2f", b.Throttle)
	case b.Pacing == sim.PacingMultiplier:
		return fmt.Sprintf("μ %.2f", b.Mu)
	}
	return "none"
}

// spendCell is spend against budget as a bar and a figure; warn when
// nine tenths are gone.
func (m *model) spendCell(b sim.BidderStats, sb shownBidder, w int) (string, bool) {
	spend := b.Spend.Float()
	if sb.unlimited {
		return fit("no cap · "+compactMoney(spend), w), false
	}
	budget := sb.budget.Float()
	frac := 1.0
	if budget > 0 {
		frac = min(spend/budget, 1)
	}
	text := " " + pct(frac)
	if w >= 24 {
		text = " " + compactMoney(spend) + "/" + compactMoney(budget)
	}
	bw := max(w-ansi.StringWidth(text), 1)
	filled := int(math.Round(frac * float64(bw)))
	return strings.Repeat("█", filled) + strings.Repeat("░", bw-filled) + text, frac >= 0.9
}

// styleRow colours a laid-out table row: highlighted cells, then the
// selected or disabled style over the rest of the line.
func (m *model) styleRow(line string, cols []column, marks []cellMark, selected, disabled bool) string {
	base := m.st.Plain
	switch {
	case selected:
		base = m.st.Selected
	case disabled:
		base = m.st.Disabled
	}
	if len(marks) == 0 {
		return base.Render(line)
	}
	// Cell boundaries, in cells, of the plain line.
	bounds := make([][2]int, len(cols))
	x := 0
	for i, c := range cols {
		bounds[i] = [2]int{x + cellPad, x + cellPad + c.Width}
		x += c.Width + cellPad
	}
	var b strings.Builder
	pos := 0
	for _, mk := range marks {
		lo, hi := bounds[mk.col][0], bounds[mk.col][1]
		if lo < pos {
			continue
		}
		b.WriteString(base.Render(ansi.Cut(line, pos, lo)))
		b.WriteString(base.Inherit(mk.style).Render(ansi.Cut(line, lo, hi)))
		pos = hi
	}
	b.WriteString(base.Render(ansi.Cut(line, pos, ansi.StringWidth(line))))
	return b.String()
}

// renderLatency draws the latency panel: for each bidder p50, p95 and p99
// of its recent responses as a bar on a common scale with the tmax mark, so
// a trainer can point at who is being cut off now.
func (m *model) renderLatency(w, rows int, axis bool) string {
	snap := m.cur.Snap
	n := len(snap.Bidders)
	tmax := m.show.set.Tmax
	scale := tmax * 3 / 2
	for _, b := range snap.Bidders {
		scale = max(scale, min(b.RecentLatency.P99*11/10, tmax*3))
	}
	nameW := 8
	for _, b := range snap.Bidders {
		nameW = max(nameW, ansi.StringWidth(b.Name)+2)
	}
	nameW = min(nameW, 20)
	const numW = 7
	barW := max(w-nameW-3*numW-2, 8)
	st := m.st
	start := min(max(m.selected-rows/2, 0), max(n-rows, 0))
	title := st.Title.Render("Latency")
	if rows < n {
		title += st.Dim.Render(fmt.Sprintf(" (%d–%d of %d)", start+1, min(start+rows, n), n))
	}
	title += st.Dim.Render(" (recent)  ") +
		st.Bar.Render("█") + st.Dim.Render(" p50 ") + st.Bar.Render("▓") + st.Dim.Render(" p95 ") +
		st.Bar.Render("░") + st.Dim.Render(" p99 ") + st.TmaxMark.Render("│") +
		st.Dim.Render(fmt.Sprintf(" tmax %v · scale 0–%v", tmax, latency(scale)))
	lines := []string{title}
	for i := start; i < min(start+rows, n); i++ {
		b := snap.Bidders[i]
		mark := "  "
		if i == m.selected {
			mark = "▸ "
		}
		name := fit(mark+b.Name, nameW)
		if !m.show.bidders[i].enabled {
			name = st.Disabled.Render(name)
		}
		l := b.RecentLatency
		if l.Count == 0 {
			lines = append(lines, name+st.Dim.Render(" no answers yet"))
			continue
		}
		p95 := padLeft(latency(l.P95), numW)
		if l.P95 > tmax {
			p95 = st.Bad.Render(p95)
		}
		lines = append(lines, name+padLeft(latency(l.P50), numW)+p95+padLeft(latency(l.P99), numW)+"  "+
			m.latencyBar(l, tmax, scale, barW))
	}
	h := latencyChrome + rows
	if axis {
		lines = append(lines, strings.Repeat(" ", nameW+3*numW+2)+st.Dim.Render(latencyAxis(tmax, scale, barW)))
		h++
	}
	return block(lines, w, h)
}

// latencyAxis labels a latency bar's scale: 0, tmax under its mark, and
// the scale's end.
func latencyAxis(tmax, scale sim.Time, w int) string {
	buf := []rune(strings.Repeat(" ", w))
	put := func(at int, s string) {
		r := []rune(s)
		at = min(max(at, 0), w-len(r))
		for i, c := range r {
			if at+i >= 0 && at+i < w {
				buf[at+i] = c
			}
		}
	}
	mark := int(float64(tmax) / float64(scale) * float64(w))
	put(0, "0")
	end := latency(scale)
	if mark+len(end)+6 < w {
		put(w-len(end), end)
	}
	put(mark, "↑tmax")
	return string(buf)
}

// latencyBar draws 0…scale in w cells: █ up to p50, ▓ to p95, ░ to p99,
// past tmax in the alarm colour, and the tmax mark.
func (m *model) latencyBar(l sim.LatencyStats, tmax, scale sim.Time, w int) string {
	at := func(i int) sim.Time { return sim.Time((float64(i) + 0.5) / float64(w) * float64(scale)) }
	mark := int(float64(tmax) / float64(scale) * float64(w))
	var b strings.Builder
	var run strings.Builder
	var runStyle *lipgloss.Style
	flush := func() {
		if run.Len() > 0 {
			b.WriteString(runStyle.Render(run.String()))
			run.Reset()
		}
	}
	for i := range w {
		t := at(i)
		r, s := ' ', &m.st.Plain
		switch {
		case i == mark:
			r, s = '│', &m.st.TmaxMark
		case t <= l.P50:
			r = '█'
		case t <= l.P95:
			r = '▓'
		case t <= l.P99:
			r = '░'
		}
		if r != ' ' && r != '│' {
			s = &m.st.Bar
			if t > tmax {
				s = &m.st.BarOver
			}
		}
		if i == w-1 && l.P99 > scale {
			r = '»'
		}
		if s != runStyle {
			flush()
			runStyle = s
		}
		run.WriteRune(r)
	}
	flush()
	return b.String()
}

// recentWindow is how many of the latest series intervals the late% column
// covers: recent enough to show a change of latency or tmax at once.
const recentWindow = 10

// recentLate sums bidder i's late bids and bids over the latest intervals.
func (m *model) recentLate(i int) (late, bids uint64) {
	pts := m.cur.Snap.Series.Points
	for _, p := range pts[max(len(pts)-recentWindow, 0):] {
		late += p.Bidders[i].Late
		bids += p.Bidders[i].Bids
	}
	return late, bids
}

func ratio(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
