package tui

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/runes"
	"github.com/NimbleMarkets/ntcharts/linechart/timeserieslinechart"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// minSeriesPoints is how many finished intervals the chart needs before it
// plots per-interval means; before that (the first seconds, or slow
// motion) it plots the last closed auctions one by one.
const minSeriesPoints = 3

// floorRune marks the floor: dotted, so it stays distinct from the price
// line without colour.
const floorRune = '┄'

// theoryTick marks the theory's level on the Y axis: the axis with the
// theory line's double stroke leaving it.
const theoryTick = '╞'

// pricePoint is one point of the price chart: a virtual instant and a
// clearing price in CPM, with the floor in force then.
type pricePoint struct {
	at    sim.Time
	price float64
	floor float64
}

// perAuction says whether the chart plots the recent auctions one by one
// (too few intervals yet) rather than the mean price per interval.
func perAuction(s *sim.Snapshot) bool { return len(s.Series.Points) <= minSeriesPoints }

// newestAt is where metricSeries puts the newest interval or auction,
// whether or not it has a figure of the metric.
func newestAt(s *sim.Snapshot) sim.Time {
	if !perAuction(s) {
		if n := len(s.Series.Points); n > 0 {
			return s.Series.Points[n-1].Start + s.Series.Width/2
		}
		return 0
	}
	if n := len(s.Recent); n > 0 {
		return s.Recent[n-1].Close
	}
	return 0
}

// floorAt is the floor in force at t: that of the last point at or
// before t (the first point's before it).
func floorAt(floors []pricePoint, t sim.Time) float64 {
	i := sort.Search(len(floors), func(i int) bool { return floors[i].at > t })
	return floors[max(i-1, 0)].floor
}

// showsFloor reports whether the chart draws the floor beside m: only a
// clearing price is comparable with it. Revenue per auction is in CPM
// too (IsPrice), but it averages in unsold auctions at 0, so it runs
// under the floor however the floor binds: a floor line there reads as
// a price paid below the floor.
func showsFloor(m sim.TheoryMetric) bool { return m == sim.TheoryMeanPrice }

// renderChart draws the chart's metric (and the floor, for the clearing
// price, and the closed form's expectation since the last change) in a
// w×h block.
// The chart's X axis is virtual milliseconds: timeserieslinechart works in
// whole seconds of its time.Time values, so each "second" it sees is one
// virtual millisecond, which keeps the resolution slow motion needs.
func renderChart(c *Context, w, h int) string {
	st := c.Theme
	pts, floors := metricSeries(c.Snap(), c.Metric)
	if !showsFloor(c.Metric) {
		floors = nil
	}
	thFrom, th, hasTheory := theorySpan(c)
	if len(pts) < 2 || w < 20 || h < 4 {
		msg := "waiting for auctions to clear…"
		if len(pts) >= 2 {
			// Auctions have cleared; the chart has no room (a help
			// overlay on a small terminal).
			msg = "no room for the chart"
		} else if x := c.Snap().Exchange; x.Auctions > 0 && len(pts) == 0 {
			msg = fmt.Sprintf("no sales to plot: %s auctions closed unfilled (no bid on time at or above the floor)",
				format.Count(x.Unfilled))
			if x.Unsent > 0 {
				// Prebid Server's skip rule, not the bidders: say so.
				msg = fmt.Sprintf("no sales to plot: %s auctions closed unfilled; the deadline bidders are told is under bidder_response_min, so no bid request was sent (%s kept back)",
					format.Count(x.Unfilled), format.Count(x.Unsent))
			}
		}
		// Wrapped: at 100 columns the reason was cut off.
		lines := []string{""}
		for _, l := range format.Wrap(msg, w) {
			lines = append(lines, st.Dim.Render(l))
		}
		return format.Block(lines, w, h)
	}
	ms := func(t sim.Time) time.Time { return time.Unix(int64(t/sim.Millisecond), 0) }
	// The X axis runs to the newest interval or auction, sold or not:
	// once sales stop (every bidder off, a floor above every bid) the
	// price's line ends there, rather than the clock seeming to stop at
	// the last sale.
	minX, maxX := pts[0].at, max(pts[len(pts)-1].at, newestAt(c.Snap()))
	if maxX-minX < 2*sim.Millisecond {
		maxX = minX + 2*sim.Millisecond
	}
	// The Y range hugs the data and the floor drawn rather than starting
	// at 0, so that a chart a few rows high still shows the price move.
	// A floor of 0 is none: it would stretch the range down to 0 and
	// squash the price and the theory onto one row (classroom-vickrey).
	top, low := 0.0, math.Inf(1)
	for _, p := range pts {
		top, low = max(top, p.price), min(low, p.price)
		if floors != nil && p.floor > 0 {
			top, low = max(top, p.floor), min(low, p.floor)
		}
	}
	if hasTheory && thFrom <= maxX {
		top, low = max(top, th), min(low, th)
	}
	most := 0.0
	if !c.Metric.IsPrice() {
		most = 1 // a share: nothing above 100%
	}
	// The range as it was before round labels: the data's top and
	// bottom padded, then rounded out to 0.1 and a nice top.
	dataLow, dataTop := low, top
	high, bottom := top*1.1, low*0.85
	top, low = niceCeil(high), math.Floor(bottom*10)/10
	if most > 0 {
		high, top = min(high, most), min(top, most)
	}
	if low >= top {
		low = 0
	}
	// Labelled at round values (0.60, 0.65, 0.70, not 0.64, 0.69, 0.74)
	// where the chart has the rows (h less the X axis and its labels):
	// the padded data in 60% of the height (it has its margins already;
	// 2/3 left 11 rows unround), or at least as much of it as that range
	// gave it (80×24, 4 rows).
	yStep, yFormat := 2, "%.2f"
	least := 0.6
	if top > low {
		least = min(least, (high-bottom)/(top-low))
	}
	ax, ok := format.RoundAxis(bottom, high, h-2, most, least)
	if !ok {
		// The round labels' own margin in place of the padding: at
		// 80×24 prebid-server's prices to 1.84, padded to 2.02, took
		// 0 to 2.50 labelled at 1.25; unpadded, 0 to 2.
		ax, ok = format.RoundAxis(dataLow, dataTop, h-2, most, least)
	}
	if ok {
		low, top = ax.Low, ax.High
		yStep, yFormat = ax.Every, fmt.Sprintf("%%.%df", ax.Decimals)
	} else {
		// Labels not round: as many decimals as keep each on its own
		// row (80×24, revenue per auction 0 to 0.03 on the wire read
		// 0.00, 0.01, 0.03, the 0.01 on the row of 0.015).
		yFormat = fmt.Sprintf("%%.%df", format.LabelDecimals(low, top, h-2, yStep, 2))
	}
	// The gutter holds the theory's value beside its tick (0.67╞) where
	// the labels take fewer digits (0.6, 0.7).
	gutter := 0
	if hasTheory {
		gutter = len(levelLabel(th))
	}
	xSteps := max(w/16, 2)
	chart := timeserieslinechart.New(w, h,
		timeserieslinechart.WithTimeRange(ms(minX), ms(maxX)),
		timeserieslinechart.WithYRange(low, top),
		timeserieslinechart.WithXYSteps(xSteps, yStep),
		timeserieslinechart.WithAxesStyles(st.Axis, st.AxisLabel),
		timeserieslinechart.WithStyle(st.PriceLine),
		timeserieslinechart.WithLineStyle(runes.ArcLineStyle),
		timeserieslinechart.WithXLabelFormatter(func(_ int, v float64) string {
			return format.ShortClock(sim.Time(v) * sim.Millisecond)
		}),
		timeserieslinechart.WithYLabelFormatter(func(_ int, v float64) string {
			return fmt.Sprintf("%*s", gutter, fmt.Sprintf(yFormat, v))
		}),
	)
	for _, p := range pts {
		chart.Push(timeserieslinechart.TimePoint{Time: ms(p.at), Value: p.price})
	}
	chart.DrawAll()
	if last := pts[len(pts)-1].at; last < maxX {
		endLine(&chart, minX, maxX, last, st.Axis)
	}
	// The expectation before the floor: where the two meet, the lesson
	// is the expectation.
	if hasTheory {
		// From the last change to the right edge.
		drawLevel(&chart, minX, maxX, low, top, theoryRune, st.Good, func(t sim.Time) (float64, bool) { return th, t >= thFrom })
		markLevel(&chart, low, top, th, st.Good)
	}
	if len(floors) > 0 {
		drawLevel(&chart, minX, maxX, low, top, floorRune, st.FloorLine, func(t sim.Time) (float64, bool) { return floorAt(floors, t), true })
	}
	return canvasView(&chart.Canvas)
}

// canvasView draws a canvas like its own View, but styles runs of cells
// that share a colour at once instead of cell by cell, which is most of
// the cost of a frame otherwise (3,000 lipgloss renders at 160×48).
func canvasView(c *canvas.Model) string {
	var b strings.Builder
	var run []rune
	var style lipgloss.Style
	var fg lipgloss.TerminalColor
	flush := func() {
		if len(run) > 0 {
			b.WriteString(style.Render(string(run)))
			run = run[:0]
		}
	}
	for y := range c.Height() {
		if y > 0 {
			b.WriteByte('\n')
		}
		for x := range c.Width() {
			cell := c.Cell(canvas.Point{X: x, Y: y})
			// The chart's styles differ only in colour, so the colour
			// identifies the style.
			if f := cell.Style.GetForeground(); f != fg || x == 0 {
				flush()
				style, fg = cell.Style, f
			}
			r := cell.Rune
			if r == runes.Null {
				r = ' '
			}
			run = append(run, r)
		}
		flush()
	}
	return b.String()
}

// drawLevel draws r into the chart's empty cells at a level per column:
// at's value for the column's virtual time, none where at says no. It
// runs after the metric's line, so the line stays readable where they
// meet.
func drawLevel(c *timeserieslinechart.Model, minX, maxX sim.Time, low, top float64, r rune, style lipgloss.Style, at func(sim.Time) (float64, bool)) {
	o := c.Origin()
	gw := c.GraphWidth()
	for x := range gw {
		t := minX + sim.Time(float64(maxX-minX)*float64(x)/float64(max(gw-1, 1)))
		v, ok := at(t)
		if !ok {
			continue
		}
		// Same scaling as the chart's own line: value → rows above origin.
		y := o.Y - int(math.Round((v-low)*float64(o.Y)/(top-low)))
		if y < 0 || y >= o.Y {
			continue
		}
		p := canvas.Point{X: o.X + 1 + x, Y: y}
		if cr := c.Canvas.Cell(p).Rune; cr == runes.Null || cr == ' ' {
			c.Canvas.SetCell(p, canvas.NewCellWithStyle(r, style))
		}
	}
}

// markLevel marks v on the Y axis, a tick and its value in the gutter
// (in place of the row's own label, if it has one): a metric that runs on its expectation hides the
// level's line under its own, and the tick still says where it is.
func markLevel(c *timeserieslinechart.Model, low, top, v float64, style lipgloss.Style) {
	o := c.Origin()
	y := o.Y - int(math.Round((v-low)*float64(o.Y)/(top-low)))
	if y < 0 || y >= o.Y {
		return
	}
	c.Canvas.SetCell(canvas.Point{X: o.X, Y: y}, canvas.NewCellWithStyle(theoryTick, style))
	label := []rune(levelLabel(v))
	if len(label) > o.X {
		return
	}
	// Where the row has an axis label of its own, the level's value takes
	// its place: the row's label beside the tick read as the level
	// (sponsored-search switched to VCG: "0.64╞═══" under "═ theory
	// 0.660"); the row holds both, and the double line is the level's.
	for x := range o.X {
		c.Canvas.SetCell(canvas.Point{X: x, Y: y}, canvas.NewCell(runes.Null))
	}
	for i, r := range label {
		c.Canvas.SetCell(canvas.Point{X: o.X - len(label) + i, Y: y}, canvas.NewCellWithStyle(r, style))
	}
}

// levelLabel is how markLevel writes a level's value beside its tick.
func levelLabel(v float64) string { return fmt.Sprintf("%.2f", v) }

// endLine ends the chart's line at last, the newest point with a
// figure: the chart fills the columns past its data as if they were at
// the bottom of the scale, and turns its line down to it in the last
// point's column, which would read as a price there. That turn becomes
// the line's end, the columns past it are cleared and the X axis under
// them redrawn.
func endLine(c *timeserieslinechart.Model, minX, maxX, last sim.Time, axis lipgloss.Style) {
	o := c.Origin()
	gw := c.GraphWidth()
	clear := func(x int) {
		for y := range o.Y {
			c.Canvas.SetCell(canvas.Point{X: x, Y: y}, canvas.NewCell(runes.Null))
		}
		c.Canvas.SetCell(canvas.Point{X: x, Y: o.Y}, canvas.NewCellWithStyle(runes.LineHorizontal, axis))
	}
	end := -1 // the last point's column
	for x := range gw {
		t := minX + sim.Time(float64(maxX-minX)*float64(x)/float64(max(gw-1, 1)))
		if t <= last {
			end = o.X + 1 + x
			continue
		}
		clear(o.X + 1 + x)
	}
	if end < 0 {
		return
	}
	// The turn down: the first of the line's cells from the top.
	for y := range o.Y {
		cell := c.Canvas.Cell(canvas.Point{X: end, Y: y})
		if cell.Rune == runes.Null || cell.Rune == ' ' {
			continue
		}
		c.Canvas.SetCell(canvas.Point{X: end, Y: y}, canvas.NewCellWithStyle(runes.LineHorizontal, cell.Style))
		for below := y + 1; below < o.Y; below++ {
			c.Canvas.SetCell(canvas.Point{X: end, Y: below}, canvas.NewCell(runes.Null))
		}
		c.Canvas.SetCell(canvas.Point{X: end, Y: o.Y}, canvas.NewCellWithStyle(runes.LineHorizontal, axis))
		break
	}
}

// niceCeil rounds x up to 1, 2 or 5 times a power of ten, for axis ends
// that read well.
func niceCeil(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, f := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if f*p >= x {
			return f * p
		}
	}
	return 10 * p
}
