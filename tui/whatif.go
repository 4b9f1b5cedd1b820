package tui

import (
	"github.com/charmbracelet/x/ansi"

	"fmt"
	"math"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/runes"
	"github.com/NimbleMarkets/ntcharts/linechart"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// whatIf is the what-if panel: revenue per auction and the late share
// against tmax, from the tmax curve (every closed auction settled again
// at each candidate deadline), over the recent window so that it moves
// as bidders slow down, with the current tmax marked. The run's keys
// work here, so a trainer can move tmax and watch the mark move.
type whatIf struct {
	ctx    *Context
	curve  []sim.TmaxPoint // the recent window's curve, taken on Refresh
	span   sim.Time        // the window's span; 0: since the start
	advice sim.TmaxAdvice  // the curve's reading, taken on Refresh
	// whole is the reading of the whole curve (since TmaxCurveFrom, over
	// wholeSpan) when the window is shorter: beside the recent best net
	// tmax, the one the run's --json advises.
	whole     *sim.TmaxAdvice
	wholeSpan sim.Time
	charts    string // cached, drawn on Refresh
	w, h      int
}

func newWhatIf(c *Context) *whatIf { return &whatIf{ctx: c} }

// whatIfSummary is how many lines stand above the charts before the
// deadline chain's: the title, the summary, the advice and the note.
const whatIfSummary = 4

// whatIfHead is the lines above the charts in w cells: the summary's and
// the deadline chain's.
func whatIfHead(c *Context, w int) int { return whatIfSummary + len(chainLines(c, w)) }

// chainLines is Prebid Server's deadline chain with its numbers: from the
// page's tmax to the deadline bidders are told, and the skip rule, on one
// line where w holds it, else on two, broken before "= told" or before
// the skip rule (at 100 columns the skip rule was cut off, at 80 the told
// deadline); none when the exchange does not adjust tmax.
func chainLines(c *Context, w int) []string {
	st, set := c.Theme, c.Shown.set
	a := set.TmaxAdjustments
	if a.IsZero() {
		return nil
	}
	sep := st.Dim.Render(" − ")
	chain := st.Label.Render("chain: tmax ") + st.Value.Render(set.Tmax.String())
	for _, p := range []struct {
		name string
		d    sim.Time
	}{{"exchange", a.RequestProcessing}, {"network buffer", a.NetworkBuffer}, {"response", a.ResponsePreparation}} {
		if p.d > 0 {
			chain += sep + st.Label.Render(p.name+" ") + st.Value.Render(p.d.String())
		}
	}
	told := st.Dim.Render("= ") + st.Label.Render("told ") + st.Value.Render(a.BidderTmax(set.Tmax).String())
	skip := ""
	if a.BidderResponseMin > 0 {
		skip = st.Dim.Render("· ") + st.Label.Render("no bid request below ") + st.Value.Render(a.BidderResponseMin.String())
	}
	join := func(parts ...string) string {
		var out []string
		for _, p := range parts {
			if p != "" {
				out = append(out, p)
			}
		}
		return strings.Join(out, " ")
	}
	fits := func(s string) bool { return lipgloss.Width(s) <= w }
	const indent = "       " // under "chain: "
	switch {
	case fits(join(chain, told, skip)):
		return []string{join(chain, told, skip)}
	case fits(join(chain, told)):
		return []string{join(chain, told), indent + join(skip)}
	}
	return []string{chain, indent + join(told, skip)}
}

// Refresh takes the recent window's curve and redraws the charts.
func (v *whatIf) Refresh() {
	c := v.ctx
	v.w, v.h = c.BodyW, c.BodyH
	v.curve, v.span = c.Trainer.recentCurve(c.Snap())
	v.advice = sim.AdviseTmaxSettled(v.curve, c.Snap().TmaxCurveCensoredAbove)
	v.whole = nil
	if snap := c.Snap(); v.span > 0 && len(snap.TmaxCurve) > 0 {
		a := sim.AdviseTmaxSettled(snap.TmaxCurve, snap.TmaxCurveCensoredAbove)
		v.whole, v.wholeSpan = &a, snap.Now-snap.TmaxCurveFrom
	}
	v.charts = curveCharts(c, v.curve, v.w, v.h-whatIfHead(c, v.w))
}

// View draws the summary lines and the charts.
func (v *whatIf) View(w, h int) string {
	c := v.ctx
	if v.w != w || v.h != h {
		c.BodyW, c.BodyH = w, h
		v.Refresh()
	}
	st, snap := c.Theme, c.Snap()
	above := snap.TmaxCurveCensoredAbove
	if snap.TmaxCurve == nil || above > 0 && len(snap.TmaxCurve) == 0 {
		why := "the tmax curve is off in this scenario (exchange.tmax_curve: false)"
		if snap.TmaxCurve != nil {
			// Censored below the grid's first point: on the wire, or by
			// the skip rule.
			why = report.CurveEmptyWhy(snap)
		}
		lines := []string{st.Title.Render("What if tmax were…")}
		for _, l := range format.Wrap(why, w) {
			lines = append(lines, st.Dim.Render(l))
		}
		return format.Block(lines, w, h)
	}
	curve := v.curve
	window := "since the start"
	if v.span > 0 {
		window = "in the last " + format.ShortClock(v.span)
	}
	var n uint64
	if len(curve) > 0 {
		n = curve[0].Auctions
	}
	title := st.Title.Render("What if tmax were…") + st.Dim.Render(fmt.Sprintf(
		" %s auctions %s, settled at each tmax", format.Count(n), window))
	if w >= wideWidth {
		title += st.Dim.Render(" with the responses they got (no new draws)")
	}
	tmax := c.Shown.set.Tmax
	sep := st.Dim.Render(" · ")
	now := st.Label.Render("now ") + st.Value.Render(tmax.String()) + st.Label.Render(": ")
	if p, ok := sim.CurveAt(curve, tmax); ok {
		now += pointText(c, p, w >= wideWidth)
	} else if above > 0 && tmax > above {
		// On the wire the told deadline, which the wire enforces, comes
		// before tmax (tmax_adjustments), or the curve has just restarted;
		// or the skip rule stopped it below an off-grid tmax.
		now += st.Warn.Render("unknown above " + above.String())
	} else {
		now += st.Dim.Render("off the grid")
	}
	summary := now
	if b := sim.BestTmax(curve); b >= 0 && v.advice.MaxRevenue != 0 {
		best := sep + st.Label.Render("best ") + st.Good.Render(curve[b].Tmax.String()) + st.Label.Render(": ")
		// As much of the best point as fits: in full, in short, or its
		// revenue alone (the chart beside shows its wait).
		summary += best + fitting(summary+best, w, pointText(c, curve[b], w >= wideWidth), pointText(c, curve[b], false),
			st.Value.Render(format.CPM(curve[b].RevenuePerAuction()))+st.Label.Render(" CPM"))
	} else if b >= 0 {
		// Censored, the most so far is the last settled point: a longer
		// tmax might earn more.
		summary += sep + st.Label.Render("best ") + st.Warn.Render("unknown above "+above.String())
	}
	advice := adviceText(c, curve, v.advice, tmax, w >= wideWidth) + wholeNet(c, v.advice, v.whole, v.wholeSpan, w >= wideWidth)
	note := st.Dim.Render("│ the current tmax; ←/→ move it along the grid (t/T by 10 ms)")
	switch {
	case above > 0:
		// Censored: the charts stop where the wire stopped waiting for a
		// call with no answer (its deadline, or the end of the late
		// grace), or where the skip rule stops applying; the note says
		// which.
		note = st.Warn.Render("the curve stops at " + above.String() + stopsWhy(snap.TmaxCurveCensoredBy, w >= wideWidth))
	case !snap.TmaxCurveExact && snap.Exchange.Unsent > 0:
		// The skip rule kept the bid requests back: no bids to settle.
		note = st.Warn.Render("no bids to settle")
		if w >= wideWidth {
			note += st.Warn.Render(": the told deadline fell below bidder_response_min, so bidders got no bid request")
		} else {
			note += st.Warn.Render(" (bidder_response_min)")
		}
	case !snap.TmaxCurveExact:
		note = st.Warn.Render("the curve holds the bids fixed")
		if w >= wideWidth {
			note += st.Warn.Render(": budgets, pacing or bidders that respect tmax would have bid otherwise at another tmax")
		} else {
			note += st.Warn.Render(" (budgets, pacing, respects_tmax)")
		}
	}
	head := append([]string{title, summary, advice, note}, chainLines(c, w)...)
	for i := range head {
		head[i] = format.Fit(head[i], w)
	}
	return format.Block(append(head, strings.Split(v.charts, "\n")...), w, h)
}

// fitting is the first of texts that fits after head in w cells, else
// the last.
func fitting(head string, w int, texts ...string) string {
	for _, t := range texts {
		if ansi.StringWidth(head+t) <= w {
			return t
		}
	}
	return texts[len(texts)-1]
}

// stopsWhy is the what-if note's reason the curve stops where it is
// censored (report.CurveStopsWhy at length): the wire's deadline, the
// skip rule, or both; long when the panel is wide.
func stopsWhy(by sim.CurveCensor, long bool) string {
	// The long forms fit a panel of wideWidth with a tmax of 5 cells.
	switch {
	case by == sim.CensoredBySkipRule && long:
		return ", the last tmax under the skip rule (told < bidder_response_min): bids above it are unknown"
	case by == sim.CensoredBySkipRule:
		return ": no bid request below bidder_response_min"
	case by&sim.CensoredBySkipRule != 0 && long:
		return ", the wire's deadline and the skip rule's last tmax: bids above it are unknown"
	case by&sim.CensoredBySkipRule != 0:
		return ": the wire's deadline and the skip rule"
	case long:
		return ", where the wire stopped waiting: when a call with no answer would have arrived is unknown"
	}
	return ": an unanswered call's arrival is unknown"
}

// pointText is one point's revenue per auction, the wait's p95, the net
// revenue when people leave slow pages, and the late share.
func pointText(c *Context, p sim.TmaxPoint, long bool) string {
	st := c.Theme
	unit, late := " CPM, wait p95 ", ", late "
	if long {
		unit, late = " CPM per auction, wait p95 ", ", late bids "
	}
	out := st.Value.Render(format.CPM(p.RevenuePerAuction())) + st.Label.Render(unit) +
		st.Value.Render(format.Latency(p.WaitP95))
	if c.Snap().Settings.Abandonment.On() {
		out += st.Label.Render(", net ") + st.Value.Render(format.CPM(p.NetRevenuePerAuction()))
		if !long {
			return out // the late share is on the chart's page already
		}
	}
	return out + st.Label.Render(late) + st.Value.Render(format.Pct(p.LateShare()))
}

// adviceText reads the curve's advice a (taken on Refresh): the knee
// (the least tmax earning 95% of the best revenue), the revenue one more
// step of the grid would add at the current tmax, per extra 10 ms, and,
// when people leave slow pages, the tmax with the most net revenue.
func adviceText(c *Context, curve []sim.TmaxPoint, a sim.TmaxAdvice, tmax sim.Time, long bool) string {
	st := c.Theme
	if len(curve) == 0 || curve[0].Auctions == 0 {
		return ""
	}
	sep := st.Dim.Render(" · ")
	label := "knee (95% of the best) "
	if !long {
		label = "knee 95% "
	}
	out := st.Label.Render(label) + st.Good.Render(a.Knee95.String())
	if a.Knee95 == 0 {
		// Censored: a share of a most that may lie above the curve.
		out = st.Label.Render(label) + st.Warn.Render("unknown")
	}
	if i := curveIndex(curve, tmax); i >= 0 && i+1 < len(curve) {
		p, q := curve[i], curve[i+1]
		per10 := (q.RevenuePerAuction() - p.RevenuePerAuction()) / (float64(q.Tmax-p.Tmax) / float64(10*sim.Millisecond))
		out += sep + st.Label.Render("+10 ms here: ") + st.Value.Render(fmt.Sprintf("%+.4f", per10)) + st.Label.Render(" CPM")
		if long {
			out += st.Label.Render(" per auction")
		}
	}
	if c.Snap().Settings.Abandonment.On() {
		if a.MaxNetRevenue == 0 {
			out += sep + st.Label.Render("best net ") + st.Warn.Render("unknown")
		} else {
			out += sep + st.Label.Render("best net ") + st.Good.Render(a.MaxNetRevenue.String())
		}
	}
	return out
}

// wholeNet is, after the recent window's best net tmax (a), the whole
// curve's (whole, over span) where it differs: a trainer reading the
// panel's figure aloud otherwise gives the last seconds' best (640 ms on
// prebid-server) for the run's (800 ms, as --json advises). "" when
// there is no such reading or they agree.
func wholeNet(c *Context, a sim.TmaxAdvice, whole *sim.TmaxAdvice, span sim.Time, long bool) string {
	if whole == nil || !c.Snap().Settings.Abandonment.On() || whole.MaxNetRevenue == 0 || whole.MaxNetRevenue == a.MaxNetRevenue {
		return ""
	}
	st := c.Theme
	label := " (all: "
	if long {
		label = " (over all " + format.ShortClock(span) + ": "
	}
	return st.Dim.Render(label) + st.Good.Render(whole.MaxNetRevenue.String()) + st.Dim.Render(")")
}

// curveIndex is the index of tmax's point on the curve, or -1.
func curveIndex(curve []sim.TmaxPoint, tmax sim.Time) int {
	for i, p := range curve {
		if p.Tmax == tmax {
			return i
		}
	}
	return -1
}

// gridTarget is where ←/→ take tmax from old: the next point of the tmax
// curve's grid, down or up, so that every press lands on a point; false
// (said on the status line) at the grid's end.
func gridTarget(c *Context, curve []sim.TmaxPoint, old sim.Time, down bool) (sim.Time, bool) {
	t := sim.Time(-1)
	for _, p := range curve {
		switch {
		case down && p.Tmax < old:
			t = p.Tmax // the last below
		case !down && p.Tmax > old && t < 0:
			t = p.Tmax // the first above
		}
	}
	if t < 0 && !down && len(curve) >= 2 && c.Snap().TmaxCurveCensoredAbove > 0 {
		// Censored (on the wire, or by the skip rule), the grid goes on
		// above the settled points: the next of its points above tmax, by
		// its step.
		first, step := curve[0].Tmax, curve[1].Tmax-curve[0].Tmax
		t = first + (max(old-first, 0)/step+1)*step
	}
	if t >= 0 {
		return t, true
	}
	if len(curve) == 0 {
		return tmaxStepTarget(c, old, down)
	}
	c.Info(fmt.Sprintf("tmax %v is at the grid's end (%v–%v)", old, curve[0].Tmax, curve[len(curve)-1].Tmax))
	return 0, false
}

// curveCharts draws revenue per auction and the late share against tmax,
// side by side when wide, else one above the other, in w×h.
func curveCharts(c *Context, curve []sim.TmaxPoint, w, h int) string {
	st := c.Theme
	if len(curve) < 2 || curve[0].Auctions == 0 {
		return format.Block([]string{"", st.Dim.Render("waiting for auctions to close…")}, w, h)
	}
	rev := curveSeries{title: "revenue per auction (CPM) against tmax (ms)", decimals: 2, y: func(p sim.TmaxPoint) float64 { return p.RevenuePerAuction() }}
	if c.Snap().Settings.Abandonment.On() {
		rev.title = "revenue and, thin, net of people who left (CPM) against tmax (ms)"
		rev.short = "revenue, thin: net of who left (CPM) by tmax (ms)"
		rev.y2 = func(p sim.TmaxPoint) float64 { return p.NetRevenuePerAuction() }
	}
	wait := curveSeries{title: "wait p95 (ms) against tmax (ms)", decimals: 0, y: func(p sim.TmaxPoint) float64 {
		return float64(p.WaitP95) / float64(sim.Millisecond)
	}}
	if w >= wideWidth {
		cw := (w - gap) / 2
		return format.SideBySide(gap, curveChart(c, curve, rev, cw, h), curveChart(c, curve, wait, w-gap-cw, h))
	}
	top := h / 2
	return curveChart(c, curve, rev, w, top) + "\n" + curveChart(c, curve, wait, w, h-top)
}

// curveSeries is what one chart plots: its title, its Y labels' decimals
// (at least) and its value at each point.
type curveSeries struct {
	title    string
	decimals int
	short    string // the title where it does not fit; "": none shorter
	y        func(sim.TmaxPoint) float64
	y2       func(sim.TmaxPoint) float64 // a second line, dashed; nil: none
	most     float64                     // the axis' top at most (a share: 100); 0: none
}

// curveChart is one titled line chart of a series against tmax (ms), with
// the current tmax as a vertical line, in w×h.
func curveChart(c *Context, curve []sim.TmaxPoint, s curveSeries, w, h int) string {
	st := c.Theme
	title, y := s.title, s.y
	if s.short != "" && ansi.StringWidth(title) > w {
		title = s.short
	}
	if h < 4 || w < 20 {
		return format.Block([]string{st.Label.Render(title)}, w, h)
	}
	ms := func(t sim.Time) float64 { return float64(t) / float64(sim.Millisecond) }
	minX, maxX := ms(curve[0].Tmax), ms(curve[len(curve)-1].Tmax)
	top := 0.0
	for _, p := range curve {
		if v := y(p); !math.IsNaN(v) {
			top = max(top, v)
		}
	}
	if s.y2 != nil {
		for _, p := range curve {
			if v := s.y2(p); !math.IsNaN(v) {
				top = max(top, v)
			}
		}
	}
	high := top * 1.05
	top = niceCeil(high)
	if s.most > 0 {
		top = min(top, s.most)
	}
	// X labels at round deadlines: the chart asks for a label at every
	// column, and only the column where a multiple of the label step
	// falls gets one. The chart asks for none at the grid's last point
	// (its column is one past the last it asks for), so that one is
	// written at the axis' right end below, and the labels that would
	// run into it are left out.
	var perCol, step float64
	var chartOriginX int
	lastLabel := fmt.Sprintf("%.0f", maxX)
	lastAt := w - len(lastLabel) // its first column
	yFormat := fmt.Sprintf("%%.%df", s.decimals)
	chart := linechart.New(w, h-1, minX, maxX, 0, top,
		linechart.WithXYSteps(1, 2),
		linechart.WithStyles(st.Axis, st.AxisLabel, st.PriceLine),
		linechart.WithXLabelFormatter(func(i int, v float64) string {
			if k := math.Ceil(v/step-1e-9) * step; perCol > 0 && k < v+perCol {
				l := fmt.Sprintf("%.0f", k)
				if chartOriginX+i+len(l) >= lastAt {
					return ""
				}
				return l
			}
			return ""
		}),
		linechart.WithYLabelFormatter(func(_ int, v float64) string { return fmt.Sprintf(yFormat, v) }),
	)
	// Labelled at round values where the chart has the rows (120×40 read
	// 1038, 1154, 1269 ms). Under 6 rows (80×24: 3) the data's own top,
	// where a row more or less of height is what tells revenue from the
	// net revenue beside it.
	round := false
	if rows := chart.GraphHeight(); rows >= 6 {
		if ax, ok := format.RoundAxis(0, high, rows, s.most, 0); ok {
			top, yFormat = ax.High, fmt.Sprintf("%%.%df", ax.Decimals)
			chart.SetYStep(ax.Every)
			chart.SetYRange(0, top)
			chart.SetViewYRange(0, top)
			round = true
		}
	}
	if !round {
		// The data's top, not round: as many decimals as keep each label
		// on its own row (a revenue of 0 to 0.03 on 4 rows read 0.00,
		// 0.01, 0.03, the 0.01 on the row of 0.015), at least the
		// series'.
		yFormat = fmt.Sprintf("%%.%df", format.LabelDecimals(0, top, chart.GraphHeight(), chart.YStep(), s.decimals))
		chart.UpdateGraphSizes() // the labels' width
	}
	perCol = (maxX - minX) / float64(max(chart.GraphWidth(), 1))
	step = niceCeil(perCol * 7)
	chartOriginX = chart.Origin().X
	chart.Clear()
	chart.DrawXYAxisAndLabel()
	chart.Canvas.SetStringWithStyle(canvas.Point{X: lastAt, Y: chart.Origin().Y + 1}, lastLabel, st.AxisLabel)
	if t := ms(c.Shown.set.Tmax); t >= minX && t <= maxX {
		chart.DrawRuneLineWithStyle(canvas.Float64Point{X: t, Y: 0}, canvas.Float64Point{X: t, Y: top}, '│', st.TmaxMark)
	}
	line := func(y func(sim.TmaxPoint) float64, ls runes.LineStyle, style lipgloss.Style) {
		var prev *canvas.Float64Point
		for _, p := range curve {
			v := y(p)
			if math.IsNaN(v) {
				prev = nil
				continue
			}
			pt := canvas.Float64Point{X: ms(p.Tmax), Y: v}
			if prev != nil {
				chart.DrawLineWithStyle(*prev, pt, ls, style)
			}
			prev = &pt
		}
	}
	if s.y2 != nil {
		line(s.y2, runes.ThinLineStyle, st.TmaxMark)
	}
	line(y, runes.ArcLineStyle, st.PriceLine)
	label := st.Title.Render(title)
	return lipgloss.JoinVertical(lipgloss.Left, format.Fit(label, w), canvasView(&chart.Canvas))
}

// Update handles the panel's keys: ←/→ move tmax one point of the grid,
// t/T by 10 ms, as pending steps applied as one change when the user
// settles (whatifsteps.go); enter applies them now; esc or w applies them
// and closes the panel; the run's time and exchange keys, and the command
// line (:), work as on the dashboard, after the steps are applied.
func (v *whatIf) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	c, keys := v.ctx, v.ctx.Keys
	old := c.Shown.set.Tmax
	var t sim.Time
	switch {
	case key.Matches(k, keys.Prev), key.Matches(k, keys.Next):
		t, ok = gridTarget(c, v.curve, old, key.Matches(k, keys.Prev))
	case key.Matches(k, keys.TmaxDown), key.Matches(k, keys.TmaxUp):
		t, ok = tmaxStepTarget(c, old, key.Matches(k, keys.TmaxDown))
	default:
		// Any other key acts on the run as the steps left it: the
		// pending tmax goes first, in the order the keys came.
		applied := c.applyPending()
		switch {
		case key.Matches(k, keys.Close), key.Matches(k, keys.WhatIf):
			c.Close()
			if !applied {
				c.Info("")
			}
		case key.Matches(k, keys.Pick):
			if !applied {
				c.Info(fmt.Sprintf("no tmax steps to apply: tmax is %v (←/→ step it)", c.Shown.set.Tmax))
			}
		default:
			_ = timeKey(c, k) || exchangeKey(c, k) || commandKey(c, k)
		}
		return nil
	}
	if !ok {
		return nil
	}
	return c.stepPending(t)
}

// ShortHelp is the panel's footer.
func (v *whatIf) ShortHelp() []key.Binding {
	k := v.ctx.Keys
	bs := append([]key.Binding{relabel(pair(k.Prev, k.Next, "←/→", "tmax"), "tmax")}, unlessOnWire(v.ctx, k.Pause)...)
	return append(bs, k.Close, k.Help, k.Quit)
}

// FullHelp is every key that works here.
func (v *whatIf) FullHelp() [][]key.Binding {
	k := v.ctx.Keys
	return [][]key.Binding{{pair(k.Prev, k.Next, "←/→", "tmax along the grid"), relabel(k.Pick, "apply tmax now"), k.WhatIf, k.Close},
		k.timeKeysOn(v.ctx), k.exchangeKeys(v.ctx), k.everywhereKeys()}
}
