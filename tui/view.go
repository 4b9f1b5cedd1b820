package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// The smallest terminal the dashboard lays out in.
const (
	minWidth  = 80
	minHeight = 24
)

// wideWidth is where the header fits on one line and the side column
// grows to hold the change log.
const wideWidth = 120

// layout is where each panel goes for one terminal size and bidder count.
type layout struct {
	w, h      int
	wide      bool
	headerH   int
	footerH   int
	topH      int // chart row
	chartW    int
	sideW     int
	tableRows int // bidders shown in the table
	latRows   int // bidders shown in the latency panel
	changesH  int // narrow: the change log under the latency panel
}

// Panel heights beyond their rows.
const (
	tableChrome   = 2 // title + column headers
	latencyChrome = 1 // title
	topMinNarrow  = 7 // chart title + 6 rows; the exchange panel's 7 lines
	topMinWide    = 12
	sideNarrow    = 28
	sideWide      = 44
	gap           = 2
)

// cache holds the panels that are expensive to draw: rebuilt when a frame
// arrives, the size changes or a key changes what they show, never in View.
type cache struct {
	lay     layout
	chartOf *sim.Snapshot // the snapshot the chart was drawn from
	chartWH [2]int
	chart   string
	bidders string
	latency string
}

// computeLayout fits the panels into the terminal.
//
// Narrow (under 120 columns): header on two lines; chart beside the
// exchange panel; the bidders table; the latency panel; two lines of
// change log. Wide: header on one line; chart beside the exchange panel;
// the table; the latency panel beside the change log, which takes any
// height left over.
func (m *model) computeLayout() layout {
	l := layout{w: m.width, h: m.height, wide: m.width >= wideWidth}
	l.headerH = len(m.headerLines(l.w))
	l.sideW = sideNarrow
	topMin := topMinNarrow
	if l.wide {
		l.sideW, topMin = sideWide, topMinWide
	}
	l.footerH = 1 + lipgloss.Height(m.helpView())
	l.chartW = l.w - l.sideW - gap
	body := l.h - l.headerH - l.footerH
	n := len(m.cur.Snap.Bidders)
	l.tableRows, l.latRows = n, n
	l.changesH = 2
	rest := func() int {
		r := body - tableChrome - l.tableRows - latencyChrome - l.latRows
		if !l.wide {
			r -= l.changesH
		}
		return r
	}
	// Short of room: the latency panel gives up rows first (the table
	// has p95 too), then the table, down to the selected bidder alone.
	for rest() < topMin && l.latRows > 1 {
		l.latRows--
	}
	for rest() < topMin && l.tableRows > 1 {
		l.tableRows--
	}
	l.topH = max(rest(), 3)
	if l.wide {
		// A chart taller than three fifths of the screen adds nothing;
		// the change log beside the latency panel takes the rest.
		l.topH = max(min(l.topH, body*3/5), min(l.topH, topMin))
		l.changesH = body - l.topH - tableChrome - l.tableRows
	}
	return l
}

// rebuild redraws the cached panels.
func (m *model) rebuild() {
	if !m.have || m.tooSmall() {
		return
	}
	l := m.computeLayout()
	m.cache.lay = l
	chartH := l.topH - 1
	if m.cache.chartOf != m.cur.Snap || m.cache.chartWH != [2]int{l.chartW, chartH} {
		m.cache.chart = m.renderChart(l.chartW, chartH)
		m.cache.chartOf, m.cache.chartWH = m.cur.Snap, [2]int{l.chartW, chartH}
	}
	m.cache.bidders = m.renderBidders(l.w, l.tableRows)
	latW, axis := l.w, false
	if l.wide {
		latW = l.w - l.sideW - gap
		axis = l.changesH > latencyChrome+l.latRows
	}
	m.cache.latency = m.renderLatency(latW, l.latRows, axis)
}

// View draws the screen from the cached panels and the cheap parts.
func (m *model) View() string {
	if m.width == 0 {
		return "" // the size is not known yet: draw nothing rather than "too small"
	}
	if m.tooSmall() {
		return m.tooSmallView()
	}
	if !m.have {
		return "starting the engine…"
	}
	l := m.cache.lay
	if l.w != m.width || l.h != m.height {
		// A resize arrived between rebuilds; rebuild is cheap enough to do
		// here once rather than draw a stale layout.
		m.rebuild()
		l = m.cache.lay
	}
	var parts []string
	parts = append(parts, strings.Join(m.headerLines(l.w), "\n"))
	bodyH := l.h - l.headerH - l.footerH
	switch m.mode {
	case modeInspect:
		parts = append(parts, m.inspectorView(l.w, bodyH))
	case modePicker:
		parts = append(parts, block(strings.Split(m.picker.View(), "\n"), l.w, bodyH))
	default:
		parts = append(parts, m.body(l))
	}
	parts = append(parts, m.statusLine(l.w), m.helpView())
	return strings.Join(parts, "\n")
}

// body is the dashboard between header and footer.
func (m *model) body(l layout) string {
	chartBlock := block([]string{m.chartTitle(l.chartW)}, l.chartW, 1) + "\n" + m.cache.chart
	top := sideBySide(gap, chartBlock, m.exchangePanel(l.sideW, l.topH))
	if l.wide {
		lat := block(strings.Split(m.cache.latency, "\n"), l.w-l.sideW-gap, l.changesH)
		return strings.Join([]string{top, m.cache.bidders, sideBySide(gap, lat, m.changesPanel(l.sideW, l.changesH))}, "\n")
	}
	return strings.Join([]string{top, m.cache.bidders, m.cache.latency, m.changesPanel(l.w, l.changesH)}, "\n")
}

// chartTitle is the chart's title and legend: mean, max, floor, and what
// is plotted when there is room to say so.
func (m *model) chartTitle(w int) string {
	st, x := m.st, m.cur.Snap.Exchange
	t := st.Title.Render("Clearing price") + "  " +
		st.Label.Render("mean ") + st.Value.Render(fmt.Sprintf("%.2f", x.MeanPrice())) + "  " +
		st.Label.Render("max ") + st.Value.Render(fmt.Sprintf("%.2f", x.MaxPrice.CPM())) + "  " +
		st.FloorLine.Render(string(floorRune)) + st.Label.Render(" floor ") +
		st.Value.Render(fmt.Sprintf("%.2f", m.show.set.Floor.CPM()))
	what := fmt.Sprintf("  CPM, mean per %v", m.cur.Snap.Series.Width)
	if perAuction(m.cur.Snap) {
		what = "  CPM, each of the last auctions"
	}
	if lipgloss.Width(t)+len(what) <= w {
		t += st.Dim.Render(what)
	}
	return t
}

// headerLines are the top line(s): scenario, clock, state, and the
// exchange's settings as the user has set them. One line when it fits
// (wide terminals), else two.
func (m *model) headerLines(w int) []string {
	st, s, f := m.st, m.show, m.cur
	sep := st.Dim.Render(" │ ")
	state := st.Running.Render("▶ running")
	switch {
	case f.Ended && s.paused:
		state = st.Paused.Render("■ ended")
	case s.paused:
		state = st.Paused.Render("‖ paused")
	}
	speed := st.Label.Render("speed ") + st.Value.Render(speedLabel(s.speed))
	if f.Lagging && !s.paused && s.speed == f.Speed {
		speed += st.Warn.Render(" (engine-bound)")
	}
	first := []string{
		st.HeaderName.Render("auctionsim") + " " + st.Value.Render(f.Scenario),
		st.Label.Render("t ") + st.Value.Render(clock(f.Snap.Now)),
		state + "  " + speed,
	}
	second := []string{
		st.Value.Render(s.set.Auction.String()),
		st.Label.Render("tmax ") + st.Value.Render(s.set.Tmax.String()),
		st.Label.Render("floor ") + st.Value.Render(fmt.Sprintf("%.2f", s.set.Floor.CPM())),
		st.Label.Render("increment ") + st.Value.Render(fmt.Sprintf("%.2f", s.set.Increment.CPM())),
		st.Label.Render("qps ") + st.Value.Render(fmt.Sprintf("%g", s.set.QPS)),
		st.Label.Render("seed ") + st.Value.Render(fmt.Sprint(f.Snap.Seed)),
	}
	one := strings.Join(append(first, second...), sep)
	// Whether it fits is judged with the state at its widest, so the
	// header does not reflow as the state changes.
	widest := ansi.StringWidth(one) - ansi.StringWidth(first[2]) + ansi.StringWidth("‖ paused  speed 1024× (engine-bound)")
	if w >= wideWidth && widest <= w {
		return []string{fit(one, w)}
	}
	return []string{fit(strings.Join(first, sep), w), fit(strings.Join(second, sep), w)}
}

// exchangePanel shows the exchange's throughput and money.
func (m *model) exchangePanel(w, h int) string {
	x := m.cur.Snap.Exchange
	st := m.st
	row := func(label, value string) string {
		return st.Label.Render(label) + padLeft(value, w-lipgloss.Width(label))
	}
	lost := money(x.RevenueLost.Float())
	if x.Revenue > 0 {
		// The share of revenue, when it fits.
		if l := fmt.Sprintf("%s (%s)", lost, pct(x.RevenueLost.Float()/x.Revenue.Float())); len(l)+17 <= w {
			lost = l
		}
	}
	lines := []string{
		st.Title.Render("Exchange"),
		row("auctions/s", m.rateText(m.wallRate)),
		row("  virtual/s", m.rateText(m.virtRate)),
		row("auctions", count(x.Auctions)),
		row("fill rate", pct(x.FillRate())),
		row("revenue", money(x.Revenue.Float())),
		row("lost to timeouts", st.Warn.Render(lost)),
		row("late bids", pct(x.TimeoutRate())),
		row("in flight", count(x.InFlight)),
		row("bid requests", count(x.BidRequests)),
		row("no-bids · errors", count(x.NoBids)+" · "+count(x.Errors)),
	}
	if h < len(lines) && h >= 7 {
		// Narrow: the six figures the issue asks for first.
		lines = append(lines[:2], lines[3:]...)
	}
	return block(lines, w, h)
}

// rateText is a rate for the exchange panel, or why there is none.
func (m *model) rateText(x float64) string {
	if m.show.paused {
		return "paused"
	}
	return rate(x)
}

// changesPanel lists the live changes, newest first, with their virtual
// times.
func (m *model) changesPanel(w, h int) string {
	cs := m.cur.Snap.Changes
	lines := []string{m.st.Title.Render("Changes") + m.st.Dim.Render(fmt.Sprintf(" (%d, newest first)", len(cs)))}
	if len(cs) == 0 {
		lines = append(lines, m.st.Dim.Render("none yet: try t/T, f/F, a, l/L, b/B, x"))
	}
	for i := len(cs) - 1; i >= 0 && len(lines) < h; i-- {
		c := cs[i]
		lines = append(lines, padLeft(shortClock(c.At), 8)+"  "+c.Change.String())
	}
	return block(lines, w, h)
}

// statusLine is the last message: what a key did, or why it did nothing.
func (m *model) statusLine(w int) string {
	s := m.st.StatusInfo
	if m.warn {
		s = m.st.StatusWarn
	}
	if m.status == "" {
		return fit("", w)
	}
	return fit(s.Render(m.status), w)
}

// helpView is the footer: short help, or the full key map after `?`.
func (m *model) helpView() string {
	h := m.help
	h.Width = m.width
	switch m.mode {
	case modeInspect:
		h.ShowAll = false
		return h.View(bindings{m.keys.Prev, m.keys.Next, m.keys.Close, m.keys.Quit})
	case modePicker:
		h.ShowAll = false
		return h.View(bindings{m.keys.Move, m.keys.Pick, m.keys.Close, m.keys.Quit})
	}
	if !h.ShowAll {
		short := m.keys.ShortHelp()
		if m.width >= wideWidth {
			short = m.keys.wideShortHelp()
		}
		return h.ShortHelpView(fitHelp(short, m.width, ansi.StringWidth(h.ShortSeparator)))
	}
	return h.View(m.keys)
}

// fitHelp drops entries from the end of bs, keeping the last two (help
// and quit), until one line of short help fits in w.
func fitHelp(bs []key.Binding, w, sep int) bindings {
	width := func(bs []key.Binding) int {
		n := 0
		for i, b := range bs {
			if i > 0 {
				n += sep
			}
			n += ansi.StringWidth(b.Help().Key) + 1 + ansi.StringWidth(b.Help().Desc)
		}
		return n
	}
	for len(bs) > 2 && width(bs) > w {
		bs = append(bs[:len(bs)-3:len(bs)-3], bs[len(bs)-2:]...)
	}
	return bs
}

// tooSmallView replaces the dashboard below 80×24; q still quits.
func (m *model) tooSmallView() string {
	msg := fmt.Sprintf("terminal too small (need %d×%d)", minWidth, minHeight)
	now := fmt.Sprintf("it is %d×%d · q quits", m.width, m.height)
	return lipgloss.Place(max(m.width, 1), max(m.height, 1), lipgloss.Center, lipgloss.Center,
		msg+"\n"+now, lipgloss.WithWhitespaceChars(" "))
}
