package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/cellbuf"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/summary"
	"github.com/auctionsim/auctionsim/report/theme"
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
	colStrategy // where room allows
	colSurplus  // where room allows
)

// cellPad is the table's cell padding: one space on the left, so that
// nine columns fit in 80 cells.
const cellPad = 1

// column is one table column: what it shows, its title and width (the
// padding included).
type column struct {
	id    int
	title string
	width int
}

// tableColumns sizes the table for width w; the spend bar takes what is
// left, up to a point.
func tableColumns(w int, names []string) []column {
	nameW := 8
	for _, n := range names {
		nameW = max(nameW, ansi.StringWidth(n)+2) // +2: selection and state marks
	}
	nameW = min(nameW, 20)
	var cols []column
	if w >= wideWidth {
		cols = []column{
			{colName, "bidder", nameW}, {colWin, "win%", 7}, {colWins, "wins", 9}, {colBids, "bids", 10},
			{colLate, "late%", 7}, {colP95, "p95", 8}, {colPrice, "price", 7}, {colSpend, "spend / budget", 0},
			{colPacing, "pacing", 14}, {colARoas, "aROAS", 7}, {colIRoas, "iROAS", 7},
		}
	} else {
		cols = []column{
			{colName, "bidder", nameW}, {colWin, "win%", 6}, {colBids, "bids", 7}, {colLate, "late%", 6},
			{colP95, "p95", 7}, {colPrice, "price", 6}, {colSpend, "spend / budget", 0},
			{colARoas, "aROAS", 6}, {colIRoas, "iROAS", 6},
		}
	}
	used := 0
	for i := range cols {
		cols[i].width += cellPad
		used += cols[i].width
	}
	for i := range cols {
		if cols[i].id == colSpend {
			cols[i].width = min(max(w-used, 10), 40) + cellPad
		}
	}
	return cols
}

// leftAligned are the text columns; numbers are right-aligned.
func leftAligned(id int) bool { return id == colName || id == colSpend || id == colPacing }

// renderBidders draws the bidders panel: a title of titleH lines (see
// biddersTitle), then a lipgloss table of `rows` bidders around the
// selected one, styled cell by cell through its StyleFunc.
func renderBidders(c *Context, w, titleH, rows int) string {
	snap, st := c.Snap(), c.Theme
	n := len(snap.Bidders)
	names := make([]string, n)
	for i, b := range snap.Bidders {
		names[i] = b.Name
	}
	cols := surplusColumns(tableColumns(w, names), w, snap, anyPaced(c))
	// Groups add a total row under their last member (groups.go).
	all := tableRows(snap)
	sel := lineOf(all, c.Selected)
	start := min(max(sel-rows/2, 0), max(len(all)-rows, 0))
	end := min(start+rows, len(all))

	tmax, apart := c.Shown.set.Tmax, tableNames(snap)
	cells := make([][]string, 0, end-start)
	marks := make([]map[int]lipgloss.Style, 0, end-start)
	// A group's row says its pending conversions and eventual value
	// across the cells its sums leave empty, written over the table.
	from, to := groupSpan(cols)
	spanX, spanW := spanWidth(cols, 0, from)+cellPad, spanWidth(cols, from, to)-cellPad
	notes := map[int]string{}
	for _, tr := range all[start:end] {
		var row []string
		var mk map[int]lipgloss.Style
		if tr.bidder < 0 {
			row, mk = groupRow(c, snap.Groups[tr.group], cols, apart)
			if note := groupNote(snap, snap.Groups[tr.group], spanW); note != "" {
				notes[len(cells)] = note
				for k := from; k < to; k++ {
					row[k] = ""
				}
			}
		} else {
			row, mk = bidderRow(c, tr.bidder, cols, tmax, apart)
		}
		cells = append(cells, row)
		marks = append(marks, mk)
	}
	heads := make([]string, len(cols))
	for i, col := range cols {
		heads[i] = col.title
	}
	t := table.New().Border(lipgloss.HiddenBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderColumn(false).BorderHeader(false).
		Headers(heads...).Rows(cells...).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := st.R.NewStyle().Width(cols[col].width).MaxWidth(cols[col].width).PaddingLeft(cellPad)
			if !leftAligned(cols[col].id) {
				s = s.Align(lipgloss.Right)
			}
			if row == table.HeaderRow {
				return s.Inherit(st.Label)
			}
			i := all[start+row].bidder
			switch {
			case i < 0:
				s = s.Inherit(st.Label)
			case i == c.Selected:
				s = s.Inherit(st.Selected)
			case !c.Shown.bidders[i].enabled:
				s = s.Inherit(st.Disabled)
			}
			if m, ok := marks[row][col]; ok {
				s = s.Inherit(m)
			}
			return s
		})

	lines := splitLines(t.Render())
	for r, note := range notes {
		// Line 0 is the column headers.
		if r+1 < len(lines) {
			lines[r+1] = overlayNote(lines[r+1], note, spanX, spanW, st.Label)
		}
	}
	shown := ""
	if rows < len(all) {
		shown = rowsShown(start+1, end, len(all))
	}
	title := wrapTitle(biddersTitleIn(c, w, shown, titleH), w, titleH)
	return format.Block(append(title, lines...), w, titleH+tableChrome-1+rows)
}

// rowsShown is the bidders title's rows shown, from of all.
func rowsShown(from, to, all int) string { return fmt.Sprintf(" (%d–%d of %d)", from, to, all) }

// biddersTitle is the bidders panel's title: "Bidders", the rows shown
// (when the table scrolls), then the selected bidder's notes
// (unspentNote), whole (wrapTitle wraps them); else as much as fits in w
// of what window each figure covers.
func biddersTitle(c *Context, w int, shown string) string {
	st := c.Theme
	title := titleHead(c, shown)
	if note := unspentNote(c); note != "" {
		return title + note
	}
	// As much of the legend as fits: the units go first, then what the
	// other columns cover.
	if c.Snap().AnswersAtOnce() {
		// No late% or p95 column (surplusColumns): every figure is since
		// the start.
		return title + st.Dim.Render(fitting(title, w,
			"  every bidder answers at once · since start · "+summary.UnitsNote,
			"  every bidder answers at once · since start",
			"  since start"))
	}
	span := format.ShortClock(c.Snap().RecentSpan)
	if staleNote(c) != "" {
		// p95 is not recent: titleHead says since when.
		return title + st.Dim.Render(fitting(title, w,
			fmt.Sprintf("  late%% last %s · rest since start · %s", span, summary.UnitsNote),
			fmt.Sprintf("  late%% last %s · rest since start", span),
			fmt.Sprintf("  late%% last %s", span)))
	}
	return title + st.Dim.Render(fitting(title, w,
		fmt.Sprintf("  late%% last %s · p95 recent · rest since start · %s", span, summary.UnitsNote),
		fmt.Sprintf("  late%% last %s · p95 recent · rest since start", span),
		fmt.Sprintf("  late%% last %s · p95 recent", span)))
}

// biddersTitleIn is biddersTitle in lines lines of w cells: with the
// selected bidder's notes in the fullest form (unspentNoteAt) that fits
// them whole, else the tightest, which wrapTitle cuts after its last
// whole note; so that where a title has one line, a holdout's details do
// not hide the days and the reach after them.
func biddersTitleIn(c *Context, w int, shown string, lines int) string {
	note := unspentNote(c)
	if note == "" {
		return biddersTitle(c, w, shown) // the legend, which fits itself
	}
	head := titleHead(c, shown)
	title := head + note
	for level := noteCompact; level < noteForms && len(wrapTitle(title, w, math.MaxInt)) > lines; level++ {
		title = head + unspentNoteAt(c, level)
	}
	return title
}

// titleHead begins the bidders title: "Bidders", the rows shown, and,
// on a wire that stopped answering, since when p95 is stale: ahead of
// the notes, which may take the rest of the title.
func titleHead(c *Context, shown string) string {
	head := c.Theme.Title.Render("Bidders") + c.Theme.Dim.Render(shown)
	if since := staleNote(c); since != "" {
		head += c.Theme.Warn.Render("  p95 " + since)
	}
	return head
}

// warningLines is how many lines of w cells the bidders title needs
// for its head and the selected bidder's unspentWarning, wrapped as
// wrapTitle wraps them: the lines the dashboard's layout keeps for the
// title whatever it gives up for them; 0 without a warning.
func warningLines(c *Context, w int, shown string) int {
	warn := unspentWarning(c)
	if warn == "" {
		return 0
	}
	return len(wrapTitle(titleHead(c, shown)+warn, w, math.MaxInt))
}

// titleIndent begins each of the bidders title's lines after the first.
const titleIndent = "  "

// wrapTitle is the bidders title in at most most lines of w cells: on
// one, or wrapped onto more, indented, the last cut when they are not
// enough.
func wrapTitle(title string, w, most int) []string {
	if ansi.StringWidth(title) <= w {
		return []string{format.Fit(title, w)}
	}
	if most <= 1 {
		return []string{format.Fit(cutWhole(title, w), w)}
	}
	lines := splitLines(cellbuf.Wrap(title, w-len(titleIndent), ""))
	if len(lines) > most {
		// The last line says the rest is cut.
		lines = append(lines[:most-1], lines[most-1]+" "+lines[most])
	}
	for i := 1; i < len(lines); i++ {
		lines[i] = titleIndent + lines[i]
	}
	for i := range lines {
		lines[i] = format.Fit(cutWhole(lines[i], w), w)
	}
	return lines
}

// cutWhole is line within w cells, and when it must be cut, cut after
// its last whole note (the notes are parted by " · ") then " …", so that
// no figure is cut mid-way ("max…", "[-83.67, 38…"); after its last whole
// word where no note ends in the second half of the line; as it comes
// (Fit cuts it) where no word does either.
func cutWhole(line string, w int) string {
	if ansi.StringWidth(line) <= w {
		return line
	}
	plain := ansi.Strip(line)
	room := w - 2 // cells left before the mark, " …"
	at := func(sep string) int {
		best := -1
		for i := 0; ; {
			k := strings.Index(plain[i:], sep)
			if k < 0 {
				break
			}
			if cells := ansi.StringWidth(plain[:i+k]); cells <= room {
				best = cells
			}
			i += k + len(sep)
		}
		return best
	}
	cut := at(" · ")
	if cut < w/2 {
		cut = max(cut, at(" "))
	}
	if cut <= 0 {
		return line
	}
	return ansi.Truncate(line, cut, "") + " …"
}

// bidderRow is one bidder's cells and the cells to highlight, by column;
// apart are the table's names, which shortName keeps apart.
func bidderRow(c *Context, i int, cols []column, tmax sim.Time, apart []string) ([]string, map[int]lipgloss.Style) {
	st := c.Theme
	b, sb := c.Snap().Bidders[i], c.Shown.bidders[i]
	marks := map[int]lipgloss.Style{}
	row := make([]string, len(cols))
	for k, col := range cols {
		var v string
		w := col.width - cellPad
		switch col.id {
		case colName:
			sel, state := " ", " "
			if i == c.Selected {
				sel = "▸"
			}
			if !sb.enabled {
				state = "✗"
			} else if b.Unspent != sim.UnspentNone {
				state = "!" // behind its budget; the title says why when selected
			}
			v = format.Fit(sel+state+shortName(b.Name, apart, w-2), w)
		case colWin:
			v = format.Pct(b.WinRate())
		case colWins:
			v = countCell(b.Wins, w)
		case colBids:
			v = countCell(b.Bids, w)
		case colLate:
			rate := b.RecentTimeoutRate()
			v = format.Pct(rate)
			if b.RecentLate > 0 && rate >= 0.05 {
				marks[k] = st.Warn
			}
		case colP95:
			v = format.Dash
			if l := b.RecentLatency; l.Count > 0 {
				v = format.Latency(l.P95)
				switch {
				case staleLatency(c, b.Name):
					// From before the wire stopped (titleHead says when).
					marks[k] = st.Dim
				case l.P95 > tmax:
					v += "!"
					marks[k] = st.Bad
				}
			}
		case colPrice:
			v = format.CPM(b.MeanPrice())
		case colSpend:
			var warn bool
			v, warn = spendCell(c, b, sb, w)
			if warn || b.Unspent != sim.UnspentNone {
				marks[k] = st.Warn
			}
		case colPacing:
			v = pacingText(b, sb)
		case colARoas:
			v = format.ROAS(b.AttributedROAS())
		case colIRoas:
			v = format.ROAS(b.IncrementalROAS())
		case colStrategy, colSurplus:
			v = strategyCell(c, col.id, b, sb, marks, k)
		}
		row[k] = v
	}
	return row, marks
}

// countCell is a count in w cells: with its thousands separated, or
// with a k/M/G suffix when that is too wide (a cell never wraps).
func countCell(n uint64, w int) string {
	if c := format.Count(n); len(c) <= w {
		return c
	}
	return format.SI(float64(n))
}

// anyPaced reports whether some bidder's pacing cell says more than a
// dash (pacingText), or some group's row its members left unspent: where
// none does, the table leaves the column out.
func anyPaced(c *Context) bool {
	for i, b := range c.Snap().Bidders {
		if i < len(c.Shown.bidders) && pacingText(b, c.Shown.bidders[i]) != format.Dash {
			return true
		}
	}
	for _, g := range c.Snap().Groups {
		if unspentMembers(c, g) > 0 {
			return true
		}
	}
	return false
}

// pacingText is a budgeted bidder's pacing and its controller's state.
func pacingText(b sim.BidderStats, sb shownBidder) string {
	switch {
	case sb.unlimited:
		return format.Dash
	case b.Pacing == sim.PacingThrottle:
		return fmt.Sprintf("throttle %.2f", b.Throttle)
	case b.Pacing == sim.PacingMultiplier && b.Searching:
		return fmt.Sprintf("μ %.2f search", b.Mu) // a probe, not yet the level
	case b.Pacing == sim.PacingMultiplier:
		return fmt.Sprintf("μ %.2f", b.Mu)
	}
	return "none"
}

// spendCell is spend against budget as a bar and a figure, in plain text
// (the table styles the cell); warn when nine tenths are gone.
func spendCell(c *Context, b sim.BidderStats, sb shownBidder, w int) (string, bool) {
	spend := b.Spend.Float()
	if d := b.Days; sb.unlimited && len(d) > 0 {
		// A daily budget alone: the day in progress against it.
		return dayBar(d[len(d)-1], w), false
	}
	if sb.unlimited {
		return noCapCell(spend, w), false
	}
	cell, frac := spendBar(spend, sb.budget.Float(), w)
	return cell, frac >= 0.9
}

// noCapCell is the spend of a bidder or group without a budget in w
// cells: "no cap · 3.45", or, where that is too wide (80 columns), the
// spend against a budget of ∞, "3.45/∞", so that the figure is whole.
func noCapCell(spend float64, w int) string {
	s := format.CompactMoney(spend)
	return format.Fit(fitting("", w, "no cap · "+s, s+"/∞"), w)
}

// budgetsCell is the spend of a group with budgets and daily budgets
// in w cells, in the longest form that fits, so that the spend is never
// cut: "12.34 · 120.00 + 30.00/day", "12.34/120.00+30.00/day",
// "12.34/120+30/day", or, where none does (at 80 columns), the spend
// alone, "12.34".
func budgetsCell(g sim.GroupStats, w int) string {
	spend, total, daily := format.CompactMoney(g.Spend.Float()), g.Budget.Float(), g.Daily.Float()
	return format.Fit(fitting("", w,
		spend+" · "+format.GroupBudget(g, format.CompactMoney),
		spend+"/"+format.CompactMoney(total)+"+"+format.CompactMoney(daily)+"/day",
		spend+"/"+format.SI(total)+"+"+format.SI(daily)+"/day",
		spend), w)
}

// spendHeading is the spend column's heading in w cells: the longest
// that fits, so that it is never cut (at 80 columns the column is
// narrower than "spend / budget").
func spendHeading(w int) string { return fitting("", w, "spend / budget", "spend/budget", "spend") }

// spendBar is spend against budget as a plain bar and a figure in w
// cells: the share spent, or both amounts when there is room; and that
// share (all of it when a budget of 0 was spent into; none when nothing
// was to be spent and nothing was: a member at 0/0 is empty, not full).
func spendBar(spend, budget float64, w int) (string, float64) {
	frac := 0.0
	switch {
	case budget > 0:
		frac = min(spend/budget, 1)
	case spend > 0:
		frac = 1
	}
	text := " " + format.Pct(frac)
	if w >= 24 {
		text = " " + format.CompactMoney(spend) + "/" + format.CompactMoney(budget)
	}
	return barPlain(frac, w, text), frac
}

// dayBar is a day's spend against its daily budget as a plain bar in w
// cells, the day numbered as in the JSON (from 0).
func dayBar(d sim.DaySpend, w int) string {
	spend, budget := d.Spend.Float(), d.Budget.Float()
	frac := min(spend/budget, 1)
	text := fmt.Sprintf(" day %d %s", d.Day, format.Pct(frac))
	switch {
	case w >= 26:
		text = fmt.Sprintf(" day %d %s/%s", d.Day, format.CompactMoney(spend), format.CompactMoney(budget))
	case ansi.StringWidth(text) >= w:
		// Narrow: the share alone, so that the cell never wraps.
		text = " " + format.Pct(frac)
	}
	return barPlain(frac, w, text)
}

// barPlain is a plain spend bar filling w cells with text after it.
func barPlain(frac float64, w int, text string) string {
	return theme.FillPlain(frac, max(w-ansi.StringWidth(text), 1)) + text
}

// splitLines splits a drawn block into its lines.
func splitLines(s string) []string { return strings.Split(s, "\n") }
