package summary

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/NimbleMarkets/ntcharts/linechart"
	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// titleWidth is the most columns of a sweep chart's title, the least
// terminal's (the chart itself is 72).
const titleWidth = 80

// chartWidth is a sweep chart's width, its y labels in it, where the
// terminal has room; minChartWidth the least it is drawn at.
const chartWidth, minChartWidth = 72, 32

// SweepChart draws a sweep's first metric against its first varied field
// with its 95% band, for a terminal width columns wide (0: unknown, 72
// columns), the band grey when color; "" when there are not two points
// to draw. A terminal narrower than 72 columns has a narrower chart,
// rather than one it folds; one narrower than minChartWidth, none, and a
// line saying so.
func SweepChart(res *experiment.Result, color bool, width int) string {
	xs, ss, okx := experiment.FirstSeries(res)
	if !okx || len(xs) < 2 {
		return ""
	}
	xs, ss = plot.Defined(xs, ss)
	if len(xs) < 2 {
		return ""
	}
	// A grid may be given high to low (100ms..60ms:-20ms, or a list):
	// the axis runs low to high all the same, the points with their x.
	xs, ss = ascending(xs, ss)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		lo, hi = min(lo, s.Lo), max(hi, s.Hi)
	}
	if hi <= lo {
		hi = lo + 1
	}
	cw, tw := chartWidth, titleWidth
	if width > 0 {
		cw, tw = min(cw, width), min(tw, width)
	}
	if cw < minChartWidth {
		return "\n" + strings.Join(format.Wrap(fmt.Sprintf("(the chart of %s against %s needs %d columns)",
			res.Spec.Metrics[0], res.Spec.Vary[0].Path, minChartWidth), tw), "\n") + "\n"
	}
	// The y axis labelled at round values (1.85, 1.90, not 1.877,
	// 1.826): its range the round labels around the data, the chart's
	// height (12 to 16 lines) the one that leaves the data the most of
	// it, two thirds at least; the data's own range, padded, where none
	// would (none found over a wide spread of ranges).
	height, ymin, ymax, ystep := 16, lo-(hi-lo)*0.05, hi+(hi-lo)*0.05, 2
	ylabel := report.FormatNum
	if ax, ok := sweepAxis(lo, hi); ok {
		height, ymin, ymax, ystep = ax.rows+2, ax.Low, ax.High, ax.Every
		ylabel = func(y float64) string {
			if math.Abs(y) < ax.Step*1e-9 {
				y = 0 // not -0.00
			}
			return strconv.FormatFloat(y, 'f', ax.Decimals, 64)
		}
	}
	// The x labels are drawn below (xTicks): the chart's own fall at even
	// columns, on unround values (60.00, 76.97 …).
	chart := linechart.New(cw, height, xs[0], xs[len(xs)-1], ymin, ymax,
		linechart.WithXYSteps(4, ystep),
		linechart.WithXLabelFormatter(func(int, float64) string { return "" }),
		linechart.WithYLabelFormatter(func(_ int, y float64) string { return ylabel(y) }),
	)
	chart.DrawXYAxisAndLabel()
	unit := plot.Unit(res.Spec.Vary[0].Path)
	drawXTicks(&chart, xs, unit)
	band := lipgloss.NewStyle()
	if color {
		band = band.Foreground(lipgloss.Color("8"))
	}
	// The band runs between points that have an interval; a point whose
	// few replications all agreed (stats.Stat.Alike, as the tables'
	// "(N alike)") has none, and a band pinched to its mean would read as
	// a certainty: it is ringed instead, as the plots ring it. A point
	// with an interval between two such has its interval drawn upright.
	has := func(i int) bool { return i >= 0 && i < len(ss) && !ss[i].Alike() }
	for i := range xs {
		if has(i) && !has(i-1) && !has(i+1) {
			chart.DrawBrailleLineWithStyle(canvas.Float64Point{X: xs[i], Y: ss[i].Lo}, canvas.Float64Point{X: xs[i], Y: ss[i].Hi}, band)
		}
		if i == 0 {
			continue
		}
		a, b := ss[i-1], ss[i]
		x0, x1 := xs[i-1], xs[i]
		if has(i-1) && has(i) {
			chart.DrawBrailleLineWithStyle(canvas.Float64Point{X: x0, Y: a.Lo}, canvas.Float64Point{X: x1, Y: b.Lo}, band)
			chart.DrawBrailleLineWithStyle(canvas.Float64Point{X: x0, Y: a.Hi}, canvas.Float64Point{X: x1, Y: b.Hi}, band)
		}
		chart.DrawBrailleLine(canvas.Float64Point{X: x0, Y: a.Mean}, canvas.Float64Point{X: x1, Y: b.Mean})
	}
	alike := false
	for i, s := range ss {
		if s.Alike() {
			// In the cell of the mean line's braille dot there (the
			// chart's own DrawRune rounds to another row).
			g := graph.NewBrailleGrid(chart.GraphWidth(), chart.GraphHeight(), chart.MinX(), chart.MaxX(), chart.MinY(), chart.MaxY()).
				GridPoint(canvas.Float64Point{X: xs[i], Y: s.Mean})
			chart.Canvas.SetRune(canvas.Point{X: chart.Origin().X + 1 + g.X/2, Y: g.Y / 4}, alikeRing)
			alike = true
		}
	}
	against := res.Spec.Vary[0].Path
	if unit != "" {
		against += " in " + unit
	}
	// The title wrapped at a space, not folded mid-word by an 80-column
	// terminal.
	title := fmt.Sprintf("%s against %s (the mean, and its 95%% band)", res.Spec.Metrics[0], against)
	out := "\n" + strings.Join(format.Wrap(title, tw), "\n") + "\n" + chart.View() + "\n"
	if alike {
		// The plots' legend, "replications all alike: no interval".
		out += strings.Join(format.Wrap(fmt.Sprintf("%c replications all alike: no interval (the table's \"(N alike)\")", alikeRing), tw), "\n") + "\n"
	}
	return out
}

// minSweepRows and maxSweepRows are the least and most rows the sweep's chart plots on
// (its height less the x axis and its labels).
const minSweepRows, maxSweepRows = 10, 14

// rowsAxis is a round axis and the rows it is for.
type rowsAxis struct {
	format.Axis
	rows int
}

// sweepAxis is the round y axis of the sweep's chart for data from lo to
// hi: of the heights from minSweepRows to maxSweepRows, the one whose
// axis leaves the data the most of it (the tallest of equals).
func sweepAxis(lo, hi float64) (rowsAxis, bool) {
	var best rowsAxis
	fill, found := 0.0, false
	for rows := maxSweepRows; rows >= minSweepRows; rows-- {
		ax, ok := format.RoundAxis(lo, hi, rows, 0, 0)
		if f := (hi - lo) / (ax.High - ax.Low); ok && f > fill*(1+1e-9) {
			best, fill, found = rowsAxis{ax, rows}, f, true
		}
	}
	return best, found
}

// alikeRing marks a point whose replications all agreed.
const alikeRing = 'o'

// ascending is the points (xs[i], ss[i]) ordered by x, stably; the
// inputs are left as they are.
func ascending[S any](xs []float64, ss []S) ([]float64, []S) {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	ox, os := make([]float64, len(xs)), make([]S, len(ss))
	for i, j := range idx {
		ox[i], os[i] = xs[j], ss[j]
	}
	return ox, os
}

// drawXTicks labels the x axis below it at round values, each marked on
// the axis (┬) and its label centred under the mark (within the chart),
// and writes the unit after the last label when there is room.
func drawXTicks(chart *linechart.Model, xs []float64, unit string) {
	o, w, width := chart.Origin(), chart.GraphWidth(), chart.Canvas.Width()
	lo, hi := xs[0], xs[len(xs)-1]
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return // a grid not ascending has no axis to label
	}
	// The graph's columns are those right of the y axis.
	col := func(x float64) int { return o.X + 1 + int(math.Round((x-lo)/(hi-lo)*float64(w-1))) }
	start := func(c int, label string) int { return min(max(c-len(label)/2, 0), width-len(label)) }
	ticks := xTicks(xs, func(labels []string, at []float64) bool {
		end := -1
		for i, l := range labels {
			if s := start(col(at[i]), l); s <= end || s < 0 {
				return false
			} else {
				end = s + len(l) // a blank column at least between labels
			}
		}
		return true
	})
	first, end := width, 0
	for _, t := range ticks {
		c := col(t.x)
		chart.Canvas.SetRune(canvas.Point{X: c, Y: o.Y}, '┬')
		s := start(c, t.label)
		chart.Canvas.SetStringWithStyle(canvas.Point{X: s, Y: o.Y + 1}, t.label, chart.LabelStyle)
		first, end = min(first, s), s+len(t.label)
	}
	// The unit after the last label, else before the first (under the
	// y labels), else in the title alone.
	switch {
	case unit == "" || len(ticks) == 0:
	case end+1+len(unit) <= width:
		chart.Canvas.SetStringWithStyle(canvas.Point{X: end + 1, Y: o.Y + 1}, unit, chart.LabelStyle)
	case len(unit) < first:
		chart.Canvas.SetStringWithStyle(canvas.Point{X: 0, Y: o.Y + 1}, unit, chart.LabelStyle)
	}
}

// tick is a labelled value on an axis.
type tick struct {
	x     float64
	label string
}

// xTicks are the x axis's ticks over the grid xs (ascending): the grid's
// own values when they are few and their labels fit (fit says whether
// labels at those values do), else round values 1, 2 or 5 × 10^k apart,
// as many as fit, from six down to the two ends.
func xTicks(xs []float64, fit func(labels []string, at []float64) bool) []tick {
	lo, hi := xs[0], xs[len(xs)-1]
	try := func(at []float64, label func(float64) string) []tick {
		labels := make([]string, len(at))
		for i, x := range at {
			labels[i] = label(x)
		}
		if !fit(labels, at) {
			return nil
		}
		out := make([]tick, len(at))
		for i := range at {
			out[i] = tick{at[i], labels[i]}
		}
		return out
	}
	if len(xs) <= 6 {
		if t := try(xs, gridLabel); t != nil {
			return t
		}
	}
	for n := 6; n >= 2; n-- {
		step := format.NiceStep((hi - lo) / float64(n))
		dec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
		var at []float64
		for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
			at = append(at, k*step+0) // +0: no tick at -0
		}
		if len(at) < 2 {
			continue
		}
		if t := try(at, func(x float64) string { return trimZeros(strconv.FormatFloat(x+0, 'f', dec, 64)) }); t != nil {
			return t
		}
	}
	return try([]float64{lo, hi}, gridLabel)
}

// gridLabel writes a grid value with the digits it needs (to ten
// significant digits: 0.3, not 0.30000000000000004).
func gridLabel(x float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 10, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// trimZeros drops a decimal's trailing zeros (0.50 is 0.5, 1.0 is 1).
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}
