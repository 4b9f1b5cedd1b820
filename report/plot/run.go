package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/auctionsim/auctionsim/report/format"
)

// TmaxCurve is a run's revenue-versus-tmax curve (the summary's
// tmax_curve): every auction settled again as if it had closed at each
// tmax of the grid. Slices run along TmaxMS; NaN is a point without a
// value.
type TmaxCurve struct {
	TmaxMS            []float64
	RevenuePerAuction []float64 // CPM
	// NetRevenuePerAuction (CPM, after abandonment) and WaitP95MS (the
	// page's wait, 95th percentile) are drawn when not nil.
	NetRevenuePerAuction []float64
	WaitP95MS            []float64
	// CurrentMS is the run's own tmax, marked; 0 or NaN: not marked.
	CurrentMS float64
	// Advice, if not nil, is marked on the curve.
	Advice *TmaxAdvice
}

// TmaxAdvice is the curve's advice (the summary's tmax_advice), each a
// grid tmax in milliseconds; NaN (or 0) is advice not given.
type TmaxAdvice struct {
	MaxRevenueMS    float64 // the tmax of the most revenue
	MS95, MS99      float64 // the least tmax earning 95% (99%) of the most: the knee
	MaxNetRevenueMS float64 // the tmax of the most net revenue
}

// Series is a run's time series: per interval, from its start.
type Series struct {
	StartSeconds      []float64
	IntervalSeconds   float64
	RevenuePerAuction []float64 // CPM; NaN in an interval without auctions
	// LateShare is late bids / bids (NaN without bids); nil: not drawn.
	LateShare []float64
	// EndSeconds is where the run stopped (the summary's
	// virtual_seconds); 0: unknown, every interval taken as whole. The
	// last interval, when the run stopped inside it, is partial: drawn
	// apart from the line, at the middle of what it covered.
	EndSeconds float64
	// Auctions are each interval's auctions (nil: unknown), for the
	// legend of a partial last interval.
	Auctions []uint64
	// Changes are the run's changes, live and scripted, marked on the
	// series.
	Changes []Mark
}

// Mark is a change at an instant of the run.
type Mark struct {
	AtSeconds float64
	Text      string
	Scripted  bool
}

// Run is what run --plot draws of a single run.
type Run struct {
	Scenario string
	Tmax     *TmaxCurve
	Series   *Series
	// Notes are said under the figure, each a paragraph: why a censored
	// curve stops where it does, and why its advice is missing.
	Notes []string
}

// maxNumbered bounds the changes listed in the series' legend; the rest
// are drawn unnumbered and counted.
const maxNumbered = 12

// Drawable says whether a run's chart would have anything to draw: the
// tmax curve with a defined point, or a series of two intervals or more.
// It is nil, or the reason it has nothing.
func (r Run) Drawable() error {
	if r.tmaxDrawable() || r.seriesDrawable() {
		return nil
	}
	if r.Tmax == nil {
		return errors.New("nothing to draw: the tmax curve is off (exchange.tmax_curve: false) and the time series has fewer than 2 intervals")
	}
	return errors.New("nothing to draw: no auction closed, and the time series has fewer than 2 intervals")
}

func (r Run) tmaxDrawable() bool {
	if r.Tmax == nil {
		return false
	}
	for i, y := range r.Tmax.RevenuePerAuction {
		if i < len(r.Tmax.TmaxMS) && finite(y) && finite(r.Tmax.TmaxMS[i]) {
			return true
		}
	}
	return false
}

func (r Run) seriesDrawable() bool {
	if r.Series == nil {
		return false
	}
	n := 0
	for _, y := range r.Series.RevenuePerAuction {
		if finite(y) {
			n++
		}
	}
	return n >= 2
}

// RunChart draws a single run: the tmax curve (revenue, and net revenue
// when given, per auction against tmax; the wait's 95th percentile in a
// panel of its own below, on the same tmax axis; the advice and the run's
// tmax marked), then the time series (revenue per auction, and the late
// share, over the run) with each change marked and listed.
func RunChart(r Run) (*Chart, error) {
	if err := r.Drawable(); err != nil {
		return nil, err
	}
	c := &Chart{notes: r.Notes}
	if r.tmaxDrawable() {
		pns, err := tmaxPanels(r.Scenario, r.Tmax)
		if err != nil {
			return nil, err
		}
		c.panels = append(c.panels, pns...)
	}
	if r.seriesDrawable() {
		pns, err := seriesPanels(r.Scenario, r.Series)
		if err != nil {
			return nil, err
		}
		c.panels = append(c.panels, pns...)
	}
	return c, nil
}

// vmark is a tmax (or an instant) marked on the curves.
type vmark struct {
	x      float64
	legend string
	color  color.Color
	dashes []vg.Length
	num    int // the change's number on the series, 0: none
}

// tmaxMarks are the run's tmax and the advice, those that are given.
func tmaxMarks(t *TmaxCurve) []vmark {
	var out []vmark
	add := func(x float64, format string, col color.Color, dashes []vg.Length) {
		if finite(x) && x > 0 {
			out = append(out, vmark{x: x, legend: fmt.Sprintf(format, msText(x)), color: col, dashes: dashes})
		}
	}
	add(t.CurrentMS, "this run's tmax: %s", greyColor, nil)
	if a := t.Advice; a != nil {
		add(a.MaxRevenueMS, "most revenue at %s", colorAt(1), dashed())
		add(a.MS95, "95%% of the most revenue at %s (knee)", colorAt(3), dashed())
		add(a.MS99, "99%% of the most revenue at %s", colorAt(4), dashed())
		add(a.MaxNetRevenueMS, "most net revenue at %s", colorAt(2), []vg.Length{vg.Points(1), vg.Points(2)})
	}
	return out
}

func msText(ms float64) string {
	if ms == math.Trunc(ms) {
		return fmt.Sprintf("%.0f ms", ms)
	}
	return fmt.Sprintf("%g ms", ms)
}

func tmaxPanels(scenario string, t *TmaxCurve) ([]*panel, error) {
	rev := newPanel(scenario+": revenue had every auction closed at tmax", "tmax (ms)", "revenue per auction (CPM)")
	rev.p.Add(plotter.NewGrid())
	curves := []struct {
		name string
		ys   []float64
	}{{"revenue per auction", t.RevenuePerAuction}, {"net revenue per auction (after abandonment)", t.NetRevenuePerAuction}}
	var ys []float64
	for k, cv := range curves {
		if cv.ys == nil {
			continue
		}
		line := points(t.TmaxMS, cv.ys)
		if len(line) == 0 {
			continue
		}
		if err := addLine(rev, line, cv.name, colorAt([]int{0, 2}[k])); err != nil {
			return nil, err
		}
		for _, pt := range line {
			ys = append(ys, pt.Y)
		}
	}
	marks := tmaxMarks(t)
	lo, hi := yRange(ys, 0.08)
	if err := addMarks(rev, marks, lo, hi, true); err != nil {
		return nil, err
	}
	out := []*panel{rev}
	if t.WaitP95MS != nil {
		line := points(t.TmaxMS, t.WaitP95MS)
		if len(line) > 0 {
			wait := newPanel("the page's wait (ad request to the exchange's answer)", "tmax (ms)", "wait, 95th percentile (ms)")
			wait.p.Add(plotter.NewGrid())
			if err := addLine(wait, line, "wait p95", colorAt(3)); err != nil {
				return nil, err
			}
			var ws []float64
			for _, pt := range line {
				ws = append(ws, pt.Y)
			}
			wlo, whi := yRange(ws, 0.08)
			if err := addMarks(wait, marks, wlo, whi, false); err != nil {
				return nil, err
			}
			out = append(out, wait)
		}
	}
	// The panels share the tmax axis.
	xlo, xhi := math.Inf(1), math.Inf(-1)
	for _, pn := range out {
		xlo, xhi = min(xlo, pn.p.X.Min), max(xhi, pn.p.X.Max)
	}
	for _, pn := range out {
		pn.p.X.Min, pn.p.X.Max = xlo, xhi
	}
	return out, nil
}

// timeUnit picks seconds, minutes or hours for a run span seconds long.
func timeUnit(span float64) (div float64, label string) {
	switch {
	case span > 10*3600:
		return 3600, "time (h)"
	case span > 20*60:
		return 60, "time (min)"
	}
	return 1, "time (s)"
}

// clock writes an instant as the dashboard does: m:ss, or h:mm:ss.
func clock(sec float64) string {
	s := int64(math.Round(sec))
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// seriesLayout is where the series' intervals are drawn, in seconds:
// each at its middle, and the span of the time axis. whole is how many
// intervals, from the first, are whole: all of them, or all but the last
// when the run stopped inside it (Series.EndSeconds), which is then drawn
// at the middle of what it covered, and the axis ends where the run did.
// A point a few auctions make should not pass for a whole interval's.
func seriesLayout(s *Series) (xs []float64, whole int, span float64) {
	n := len(s.StartSeconds)
	xs = make([]float64, n)
	for i, x := range s.StartSeconds {
		xs[i] = x + s.IntervalSeconds/2
	}
	last := s.StartSeconds[n-1]
	span, whole = last+s.IntervalSeconds, n
	// A run stopped at an interval's end has no partial interval; the
	// tolerance absorbs the rounding of seconds in the JSON.
	if end := s.EndSeconds; end > last && end < span-1e-9*max(span, 1) {
		xs[n-1], whole, span = (last+end)/2, n-1, end
	}
	return xs, whole, span
}

// partialLegend says what a partial last interval covered, in seconds
// whatever the axis' unit, and from how many auctions: "partial interval:
// 0.173 s, 175 auctions" (within maxLegendRunes).
func partialLegend(s *Series) string {
	n := len(s.StartSeconds)
	text := fmt.Sprintf("partial interval: %.3g s", s.EndSeconds-s.StartSeconds[n-1])
	if len(s.Auctions) == n {
		text += ", " + format.Count(s.Auctions[n-1]) + " auctions"
	}
	return text
}

func seriesPanels(scenario string, s *Series) ([]*panel, error) {
	xs, whole, span := seriesLayout(s)
	div, xlabel := timeUnit(span)
	for i := range xs {
		xs[i] /= div
	}
	var marks []vmark
	numbered := 0
	for _, ch := range s.Changes {
		col, how := color.Color(colorAt(1)), "live"
		if ch.Scripted {
			col, how = colorAt(3), "script"
		}
		m := vmark{x: ch.AtSeconds / div, color: col, dashes: dashed()}
		if numbered < maxNumbered {
			numbered++
			m.num = numbered
			m.legend = fmt.Sprintf("%d: %s %s %s", numbered, clock(ch.AtSeconds), how, ch.Text)
		}
		marks = append(marks, m)
	}
	if len(s.Changes) > numbered {
		marks[len(marks)-1].legend = fmt.Sprintf("… and %d more changes", len(s.Changes)-numbered)
	}

	var out []*panel
	add := func(title, ylabel, name string, ys []float64, scale float64, col color.Color, legend bool) error {
		pn := newPanel(title, xlabel, ylabel)
		pn.p.Add(plotter.NewGrid())
		scaled := make([]float64, len(ys))
		for i, y := range ys {
			scaled[i] = y * scale
		}
		line := points(xs[:whole], scaled[:whole])
		part := points(xs[whole:], scaled[whole:])
		if len(line)+len(part) == 0 {
			return nil
		}
		if len(line) > 0 {
			if err := addLine(pn, line, name, col); err != nil {
				return err
			}
		}
		if len(part) > 0 {
			if err := addPartial(pn, part, partialLegend(s), col); err != nil {
				return err
			}
		}
		var vals []float64
		for _, pt := range append(line, part...) {
			vals = append(vals, pt.Y)
		}
		// A strip at the top holds the changes' numbers, clear of the
		// data.
		lo, hi := yRange(vals, 0.2)
		if err := addMarks(pn, marks, lo, hi, legend); err != nil {
			return err
		}
		if legend {
			if err := numberMarks(pn, marks, lo, hi); err != nil {
				return err
			}
		}
		pn.p.X.Min, pn.p.X.Max = 0, span/div
		out = append(out, pn)
		return nil
	}
	if err := add(scenario+": revenue per auction over the run", "revenue per auction (CPM)", "revenue per auction", s.RevenuePerAuction, 1, colorAt(0), true); err != nil {
		return nil, err
	}
	if s.LateShare != nil {
		if err := add("late bids over the run", "late bids (% of bids)", "late bids", s.LateShare, 100, colorAt(1), false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// points are the (x, y) pairs where both are numbers.
func points(xs, ys []float64) plotter.XYs {
	var out plotter.XYs
	for i := range min(len(xs), len(ys)) {
		if finite(xs[i]) && finite(ys[i]) {
			out = append(out, plotter.XY{X: xs[i], Y: ys[i]})
		}
	}
	return out
}

// yRange is the y axis for vals: from 0 (or below, for negative values)
// to the largest with room above, top as a share of the span.
func yRange(vals []float64, top float64) (lo, hi float64) {
	lo, hi = 0, 0
	for _, v := range vals {
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi + (hi-lo)*top
}

func addLine(pn *panel, line plotter.XYs, name string, col color.Color) error {
	l, s, err := plotter.NewLinePoints(line)
	if err != nil {
		return err
	}
	l.Color, s.Color = col, col
	s.Shape = draw.CircleGlyph{}
	s.Radius = vg.Points(2)
	pn.p.Add(l, s)
	pn.add(name, l, s)
	return nil
}

// addPartial draws a partial interval's point: a hollow ring, not joined
// to the line of whole intervals, named in the legend.
func addPartial(pn *panel, pt plotter.XYs, name string, col color.Color) error {
	s, err := plotter.NewScatter(pt)
	if err != nil {
		return err
	}
	s.Color = col
	s.Shape = draw.RingGlyph{}
	s.Radius = vg.Points(3.5)
	pn.p.Add(s)
	pn.add(name, s)
	return nil
}

// addMarks draws each mark as a vertical line over [lo, hi] and fixes the
// y axis to that range; legend lists the marks that have a text.
func addMarks(pn *panel, marks []vmark, lo, hi float64, legend bool) error {
	for _, m := range marks {
		l, err := plotter.NewLine(plotter.XYs{{X: m.x, Y: lo}, {X: m.x, Y: hi}})
		if err != nil {
			return err
		}
		l.Color = m.color
		l.Dashes = m.dashes
		l.Width = vg.Points(1.2)
		pn.p.Add(l)
		if legend && m.legend != "" {
			pn.add(m.legend, l)
		}
	}
	pn.p.Y.Min, pn.p.Y.Max = lo, hi
	return nil
}

// numberMarks writes each listed change's number at the top of its line,
// in the strip yRange keeps free of data.
func numberMarks(pn *panel, marks []vmark, lo, hi float64) error {
	var xy plotter.XYs
	var labels []string
	for _, m := range marks {
		if m.num == 0 {
			continue
		}
		xy = append(xy, plotter.XY{X: m.x, Y: hi - (hi-lo)*0.08})
		labels = append(labels, fmt.Sprint(m.num))
	}
	if len(xy) == 0 {
		return nil
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: labels})
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].XAlign = draw.XCenter
		l.TextStyle[i].YAlign = draw.YCenter
	}
	pn.p.Add(l)
	return nil
}
