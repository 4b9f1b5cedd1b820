package tui

import (
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// present is presentation mode: a few figures in block digits a room can
// read, and the latency panel, on the whole screen. The run's keys still
// work (space, speed, tmax, the selection), so a trainer can tell the
// story from here; P or esc goes back.
type present struct {
	ctx     *Context
	figs    []figure      // taken on Refresh
	lay     presentLayout // the figures' grid for w×h
	latency string        // cached latency panel
	latH    int
	w, h    int
}

// fullScreen reports whether v takes the whole screen, header and footer
// included.
func fullScreen(v view) bool {
	_, ok := v.(*present)
	return ok
}

// openPresent enters presentation mode, its latency scale fixed unless z
// set it to auto there before.
func openPresent(c *Context) {
	c.Open(&present{ctx: c})
	switch {
	case c.onWire():
		// Said at once, not only once this note goes: see presentHint.
		c.Info("presentation mode " + wireWords(c) + " · P leaves · z latency scale · ? keys")
	case c.Snap().AnswersAtOnce():
		c.Info("presentation mode: P leaves · ? keys") // no latency scale to set
	default:
		c.Info("presentation mode: P leaves · z latency scale · ? keys")
	}
}

// Figure sizes: block digits are 3 cells wide and 5 high, times a scale.
const (
	digitW = 3
	digitH = 5
)

// blockFont is the digits and the few signs the figures need: every rune
// format.Fixed and format.Pct write (TestBlockFontHasTheFiguresRunes).
var blockFont = map[rune][digitH]string{
	'0': {"███", "█ █", "█ █", "█ █", "███"},
	'1': {" █ ", "██ ", " █ ", " █ ", "███"},
	'2': {"███", "  █", "███", "█  ", "███"},
	'3': {"███", "  █", "███", "  █", "███"},
	'4': {"█ █", "█ █", "███", "  █", "  █"},
	'5': {"███", "█  ", "███", "  █", "███"},
	'6': {"███", "█  ", "███", "█ █", "███"},
	'7': {"███", "  █", "  █", "  █", "  █"},
	'8': {"███", "█ █", "███", "█ █", "███"},
	'9': {"███", "█ █", "███", "  █", "███"},
	'.': {" ", " ", " ", " ", "█"},
	'%': {"█ █", "  █", " █ ", "█  ", "█ █"},
	'<': {"  █", " █ ", "█  ", " █ ", "  █"}, // format.Pct's "<0.1%"
	'–': {"   ", "   ", "███", "   ", "   "},
	'-': {"   ", "   ", "███", "   ", "   "},
	' ': {" ", " ", " ", " ", " "},
}

// bigText draws s in block digits at scale k: digitH·k lines. Runes the
// font lacks are left out.
func bigText(s string, k int) []string {
	rows := make([]strings.Builder, digitH*k)
	first := true
	for _, r := range s {
		g, ok := blockFont[r]
		if !ok {
			continue
		}
		for y := range digitH {
			line := g[y]
			if !first {
				line = " " + line
			}
			var wide strings.Builder
			for _, c := range line {
				wide.WriteString(strings.Repeat(string(c), k))
			}
			for j := range k {
				rows[y*k+j].WriteString(wide.String())
			}
		}
		first = false
	}
	out := make([]string, len(rows))
	for i := range rows {
		out[i] = rows[i].String()
	}
	return out
}

// figure is one of the big figures: what it is, its value in block
// digits, and its unit in plain text.
type figure struct {
	label, value, unit string
	warn               bool
}

// figures are the four figures of presentation mode, over the series'
// last intervals, so they move within seconds of a change. In a world
// without latency (AnswersAtOnce) they are the lesson's instead
// (lessonFigures): late bids and tmax would read 0 there.
func presentFigures(c *Context) []figure {
	s := c.Snap()
	if s.AnswersAtOnce() {
		return lessonFigures(c)
	}
	w := s.RecentWindow()
	window := " (last " + format.ShortClock(w.Span) + ")"
	late, lost := w.TimeoutRate(), w.LostShare()
	tmax := c.Shown.set.Tmax
	tmaxUnit := "ms"
	if told := toldDeadline(c); told > 0 {
		tmaxUnit = "ms (bidders told " + format.Latency(told) + ")"
	}
	// What the deadline costs the page: the recent auctions' wait. Its
	// window is the last 8,192 to 16,384 auctions, not the figures' last
	// intervals; at a change that can move it the engine starts it
	// afresh, and for the first sim.SinceEnough auctions since it holds
	// those at the change as well (after tmax 1s → 500ms, a p95 of 725ms
	// read as a fault), so it says which it covers.
	if l := s.Exchange.RecentWait; l.Count > 0 {
		tmaxUnit += ", pages wait p95 " + format.Latency(l.P95)
		switch {
		case waitBeforeChange(s):
			tmaxUnit += " (" + beforeTheChange + ")"
		case waitSinceChange(s):
			tmaxUnit += " (" + sinceTheChange + ")"
		}
	}
	return []figure{
		{label: "revenue per second" + window, value: format.Fixed(w.RevenuePerSecond(), 2), unit: "/s"},
		{label: "late bids" + window, value: format.Pct(late), warn: late >= 0.05},
		{label: "revenue lost to timeouts" + window, value: format.Pct(lost), unit: "of potential", warn: lost >= 0.05},
		{label: "tmax", value: format.Fixed(float64(tmax)/float64(sim.Millisecond), 0), unit: tmaxUnit},
	}
}

// lessonFigures are presentation mode's figures in a world where every
// bidder answers at once (the classroom's auctions): the mean clearing
// price, the revenue per auction and the fill rate each beside its closed
// form, and what the bidders keep (value less price) per auction beside
// theirs. They cover the auctions since the last change, the window the
// closed form is about (the header's "simulated"), so a change the
// trainer makes shows against its new theory.
func lessonFigures(c *Context) []figure {
	s, t := c.Snap(), c.theoryNow()
	p := s.SinceChange
	window := " (" + since(p.Start) + ")"
	theory := func(m sim.TheoryMetric, unit string) string {
		x := m.Expected(t.theory)
		if math.IsNaN(x) {
			return strings.TrimPrefix(unit+" · no theory", " · ")
		}
		return strings.TrimPrefix(unit+" · theory "+metricValue(m, x), " · ")
	}
	// Every bidder's value less price, over every auction: what the
	// auction leaves the bidders, where revenue is what it gives the
	// seller.
	var kept sim.Money
	for _, b := range p.Bidders {
		kept += b.Value - b.Spend
	}
	surplus := math.NaN()
	if p.Auctions > 0 {
		surplus = float64(kept) / float64(p.Auctions) / float64(sim.PriceUnit)
	}
	surplusUnit := "CPM"
	if each, _ := t.bidders(); each != nil {
		sum := 0.0
		for _, b := range each {
			sum += b.Surplus
		}
		surplusUnit += " · theory " + format.Fixed(sum, 3)
	}
	return []figure{
		{label: sim.TheoryMeanPrice.String() + window, value: format.Fixed(p.MeanPrice(), 3), unit: theory(sim.TheoryMeanPrice, "CPM")},
		{label: sim.TheoryRevenuePerAuction.String() + window, value: format.Fixed(p.RevenuePerAuction(), 3), unit: theory(sim.TheoryRevenuePerAuction, "CPM")},
		{label: sim.TheoryFillRate.String() + window, value: format.Pct(p.FillRate()), unit: theory(sim.TheoryFillRate, "")},
		{label: "surplus per auction" + window, value: format.Fixed(surplus, 3), unit: surplusUnit},
	}
}

// figureBlock draws a figure: its label, then its value in block digits
// at scale k with the unit after the last row, in w cells.
func figureBlock(c *Context, f figure, k, w int) []string {
	st := c.Theme
	style := st.Value
	if f.warn {
		style = st.Warn
	}
	lines := []string{format.Fit(st.Title.Render(f.label), w)}
	big := bigText(f.value, k)
	// The unit after the last row; a unit too long for it (tmax with the
	// told deadline and the wait, at 100 columns) is wrapped up the rows
	// beside the digits rather than cut off.
	units := make([]string, len(big))
	if f.unit != "" {
		units[len(big)-1] = f.unit
		if room := w - ansi.StringWidth(big[0]) - 1; ansi.StringWidth(f.unit) > room && room >= 8 {
			if ws := format.Wrap(f.unit, room); len(ws) <= len(big) {
				copy(units[len(big)-len(ws):], ws)
			}
		}
	}
	for i, l := range big {
		l = style.Render(l)
		if units[i] != "" {
			l += " " + st.Label.Render(units[i])
		}
		lines = append(lines, format.Fit(l, w))
	}
	return lines
}

// presentLayout is how the figures fit: in a grid of cols columns, at
// digit scale k.
type presentLayout struct {
	cols, k, figH int
}

// layoutFigures picks the largest digits and the fewest grid rows that
// leave room for the latency panel's title and minRows bidders.
func layoutFigures(figs []figure, w, h, latMin int) presentLayout {
	// At least "10.0%" wide, so the layout does not jump as the
	// figures first arrive; and as wide as the widest label.
	widest, label := 5, 0
	for _, f := range figs {
		widest = max(widest, ansi.StringWidth(f.value))
		label = max(label, ansi.StringWidth(f.label))
	}
	best := presentLayout{cols: 2, k: 1, figH: 1 + digitH}
	for k := 3; k >= 1; k-- {
		for _, cols := range []int{len(figs), 2} {
			rows := (len(figs) + cols - 1) / cols
			figH := 1 + digitH*k
			// A value's width: 3k per digit and k per gap, plus a short unit.
			need := max(widest*(digitW+1)*k+6, label)
			if need*cols+2*(cols-1) > w || rows*(figH+1)+latMin > h {
				continue
			}
			return presentLayout{cols: cols, k: k, figH: figH}
		}
	}
	return best
}

// presentLatencyRows is the room presentation mode keeps for the latency
// panel before it enlarges the digits: every bidder up to eight, the
// title and the axis. Below that the panel shows the bidders around the
// selected one.
func presentLatencyRows(n int) int { return latencyChrome + min(n, 8) + 1 }

// Refresh takes the figures, lays them out and redraws the latency panel
// for the screen's size.
func (p *present) Refresh() {
	c := p.ctx
	p.w, p.h = c.BodyW, c.BodyH
	p.figs = presentFigures(c)
	n := len(c.Snap().Bidders)
	if c.Snap().AnswersAtOnce() {
		// The latency panel's one line, as the dashboard folds it: the
		// figures take the rest.
		p.lay = layoutFigures(p.figs, p.w, p.h, 2)
		p.latency = renderLatency(c, p.w, 0, false)
		p.latH = 1
		return
	}
	p.lay = layoutFigures(p.figs, p.w, p.h, presentLatencyRows(n))
	l := p.lay
	rows := (len(p.figs) + l.cols - 1) / l.cols
	room := p.h - rows*(l.figH+1) - 1 // the status line
	latRows := max(min(n, room-latencyChrome-1), 1)
	axis := room >= latencyChrome+latRows+1
	p.latency = renderLatency(c, p.w, latRows, axis)
	if room >= latencyChrome+2*latRows+1 {
		p.latency = thicken(p.latency, latRows)
	}
	p.latH = lipgloss.Height(p.latency)
}

// thicken doubles the height of the latency panel's bars (lines 1 to
// rows), so they read from the back of a room: each bar again under
// itself, without the name and figures.
func thicken(panel string, rows int) string {
	lines := strings.Split(panel, "\n")
	out := []string{lines[0]}
	for i, l := range lines[1:] {
		out = append(out, l)
		if i < rows {
			k := 0
			for _, b := range []string{"█", "▓", "░", "│", "»", "┊"} {
				if at := strings.Index(ansi.Strip(l), b); at >= 0 && (k == 0 || ansi.StringWidth(ansi.Strip(l)[:at]) < k) {
					k = ansi.StringWidth(ansi.Strip(l)[:at])
				}
			}
			if k > 0 {
				out = append(out, strings.Repeat(" ", k)+ansi.TruncateLeft(l, k, ""))
			}
		}
	}
	return strings.Join(out, "\n")
}

// View draws the figures, the latency panel and a status line in w×h.
func (p *present) View(w, h int) string {
	c := p.ctx
	if p.w != w || p.h != h {
		c.BodyW, c.BodyH = w, h
		p.Refresh()
	}
	figs, l := p.figs, p.lay
	colW := (w - 2*(l.cols-1)) / l.cols
	var lines []string
	for i := 0; i < len(figs); i += l.cols {
		var blocks []string
		for j := i; j < min(i+l.cols, len(figs)); j++ {
			blocks = append(blocks, format.Block(figureBlock(c, figs[j], l.k, colW), colW, l.figH))
		}
		lines = append(lines, format.SideBySide(2, blocks...), "")
	}
	body := strings.Join(append(lines, p.latency), "\n")
	status := c.statusLine(w)
	if c.status == "" && c.caption() == "" && c.saturatedWarning() == "" {
		status = format.Fit(c.Theme.Dim.Render(presentHint(c)), w)
	}
	return format.Block(strings.Split(body, "\n"), w, h-1) + "\n" + status
}

// presentHint is presentation mode's status line when nothing else is
// on it: its keys (without a world's latency, not z nor t/T); on the wire, where nothing pauses, no space pause, and
// first that the figures are the wire's, with the machine's tag where the
// wire line has one ("machine made 1.6% late"): presentation mode has no
// header, and its late bids would else pass for the bidders' alone.
func presentHint(c *Context) string {
	switch {
	case c.onWire():
	case c.Snap().AnswersAtOnce():
		// Neither a latency scale nor a deadline matters here.
		return "P leaves presentation · space pause · ? keys"
	default:
		return "P leaves presentation · z latency scale · t/T tmax · space pause · ? keys"
	}
	return wireWords(c) + " · P leaves · z latency scale · t/T tmax · ? keys"
}

// wireWords is "on the wire", with the wire line's machine tag where it
// has one ("on the wire: machine busy").
func wireWords(c *Context) string {
	on := "on the wire"
	if i := strings.LastIndex(c.Frame.Line, ": machine "); i >= 0 {
		on += ": " + c.Frame.Line[i+2:]
	}
	return on
}

// Update handles presentation mode's keys: P or esc leaves, z switches
// the latency scale, and the run's time, exchange and bidder keys and the
// command line (:) work as on the dashboard.
func (p *present) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	c, keys := p.ctx, p.ctx.Keys
	if ok, cmd := tmaxKey(c, k); ok {
		return cmd
	}
	switch {
	case key.Matches(k, keys.Present), key.Matches(k, keys.Close):
		c.Close()
		c.Info("")
	case key.Matches(k, keys.FixScale):
		toggleScale(c)
	default:
		_ = timeKey(c, k) || exchangeKey(c, k) || serverKey(c, k) || bidderKey(c, k) || commandKey(c, k)
	}
	return nil
}

// ShortHelp is presentation mode's keys; the screen shows none of them
// but the help lists them. Without latency z has no scale to fix.
func (p *present) ShortHelp() []key.Binding {
	k := p.ctx.Keys
	bs := append([]key.Binding{k.Present, k.FixScale}, unlessOnWire(p.ctx, k.Pause)...)
	return k.applying(p.ctx, append(bs, k.Help, k.Quit))
}

// FullHelp is every key that works here and means something in the world
// on screen (KeyMap.applying).
func (p *present) FullHelp() [][]key.Binding {
	c, k := p.ctx, p.ctx.Keys
	// The bidder keys it passes on (bidderKey), not those that open a
	// form or a chooser, which the dashboard has.
	latency, budget, toggle := k.bidderQuickKeys()
	// ? and q under its own keys, not in a column of their own, which
	// at 80 columns the help dropped (it is 79 wide with latency).
	cols := [][]key.Binding{append([]key.Binding{k.Present, k.FixScale, k.Close}, k.everywhereKeys()...), k.timeKeysOn(c),
		k.exchangeKeys(c), append(k.selectKeys(), latency, budget, toggle)}
	for i := range cols {
		cols[i] = k.applying(c, cols[i])
	}
	return cols
}
