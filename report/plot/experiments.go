package plot

import (
	"errors"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/auctionsim/auctionsim/sim/stats"
)

// intervalPoints are means with their 95% intervals as error bars.
type intervalPoints struct {
	xs    []float64
	stats []stats.Stat
}

func (p intervalPoints) Len() int                { return len(p.xs) }
func (p intervalPoints) XY(i int) (x, y float64) { return p.xs[i], p.stats[i].Mean }
func (p intervalPoints) YError(i int) (float64, float64) {
	s := p.stats[i]
	return s.Mean - s.Lo, s.Hi - s.Mean
}

// Defined keeps the points (xs[i], ss[i]) whose mean and interval are
// numbers, for a chart of means with their 95% intervals (plotted here or
// on a terminal).
func Defined(xs []float64, ss []stats.Stat) ([]float64, []stats.Stat) {
	p := defined(xs, ss)
	return p.xs, p.stats
}

// defined keeps the points whose mean and interval are numbers.
func defined(xs []float64, ss []stats.Stat) intervalPoints {
	var out intervalPoints
	for i, s := range ss {
		if i < len(xs) && finite(s.Mean) && finite(s.Lo) && finite(s.Hi) && finite(xs[i]) {
			out.xs = append(out.xs, xs[i])
			out.stats = append(out.stats, s)
		}
	}
	return out
}

// split parts p's points into those with an interval to draw as a bar
// or band, and those whose few replications all agreed
// (stats.Stat.Alike): their Lo = Hi is no interval, and a zero-wide bar
// would read as a certainty.
func (p intervalPoints) split() (bars intervalPoints, alike plotter.XYs) {
	for i, s := range p.stats {
		if s.Alike() {
			alike = append(alike, plotter.XY{X: p.xs[i], Y: s.Mean})
			continue
		}
		bars.xs = append(bars.xs, p.xs[i])
		bars.stats = append(bars.stats, s)
	}
	return bars, alike
}

// alikeLegend is the legend of the points whose replications all agreed.
const alikeLegend = "replications all alike: no interval"

// addBars adds pts' error bars in col, but for the points whose
// replications all agreed, which it rings instead (ringed is then set,
// for the panel's one legend entry of them: alikeEntry).
func addBars(pn *panel, pts intervalPoints, col color.Color, ringed *bool) error {
	bars, alike := pts.split()
	if bars.Len() > 0 {
		b, err := plotter.NewYErrorBars(bars)
		if err != nil {
			return err
		}
		b.Color = col
		pn.p.Add(b)
	}
	return addAlike(pn, alike, col, ringed)
}

// addAlike rings, in col, the points whose replications all agreed, and
// sets ringed when there are any.
func addAlike(pn *panel, alike plotter.XYs, col color.Color, ringed *bool) error {
	if len(alike) == 0 {
		return nil
	}
	ring, err := plotter.NewScatter(alike)
	if err != nil {
		return err
	}
	ring.Shape = draw.RingGlyph{}
	ring.Color = col
	ring.Radius = alikeRadius
	pn.p.Add(ring)
	*ringed = true
	return nil
}

// alikeRadius is a ring's: around the point's own glyph.
const alikeRadius = vg.Length(6)

// alikeEntry adds the rings' legend entry, last, when ringed.
func alikeEntry(pn *panel, ringed bool) {
	if !ringed {
		return
	}
	ring, err := plotter.NewScatter(plotter.XYs{{}})
	if err != nil {
		return
	}
	ring.Shape = draw.RingGlyph{}
	ring.Color = greyColor
	ring.Radius = alikeRadius
	pn.add(alikeLegend, ring)
}

// Intervals draws one mean with its 95% interval per label (run --reps'
// spend per bidder, compare's differences); zero draws a line at 0, for
// differences.
func Intervals(title, ylabel string, labels []string, ss []stats.Stat, zero bool) (*Chart, error) {
	pn, err := intervalsPanel(title, ylabel, labels, ss, zero)
	if err != nil {
		return nil, err
	}
	return &Chart{panels: []*panel{pn}}, nil
}

// intervalsPanel is Intervals' panel.
func intervalsPanel(title, ylabel string, labels []string, ss []stats.Stat, zero bool) (*panel, error) {
	pn := newPanel(title, "", ylabel)
	p := pn.p
	xs := make([]float64, len(labels))
	for i := range xs {
		xs[i] = float64(i)
	}
	pts := defined(xs, ss)
	if pts.Len() == 0 {
		return nil, errors.New("no metric has an interval to draw")
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.Color = colorAt(0)
	p.Add(plotter.NewGrid(), sc)
	pn.add("mean, 95% interval (bars)", sc)
	ringed := false
	if err := addBars(pn, pts, colorAt(0), &ringed); err != nil {
		return nil, err
	}
	if zero {
		l, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 0}, {X: float64(len(labels)) - 0.5, Y: 0}})
		if err != nil {
			return nil, err
		}
		l.Color = colorAt(1)
		l.Dashes = dashed()
		p.Add(l)
		pn.add("no difference", l)
	}
	alikeEntry(pn, ringed)
	p.NominalX(labels...)
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = -1
	// Half a slot each side: the first and last means stand off the frame.
	p.X.Min, p.X.Max = -0.5, float64(len(labels))-0.5
	return pn, nil
}

// Band is a metric against a parameter: the means as a line, the 95%
// intervals as a band, and Theory (if set) as a dashed line through the
// same x.
type Band struct {
	Title, XLabel, YLabel string
	X                     []float64
	Y                     []stats.Stat
	Theory                []XY
}

// BandChart draws b (sweep's plot).
func BandChart(b Band) (*Chart, error) {
	pn := newPanel(b.Title, b.XLabel, b.YLabel)
	p := pn.p
	pts := defined(b.X, b.Y)
	if pts.Len() == 0 {
		return nil, errors.New("no point has an interval to draw")
	}
	line := make(plotter.XYs, pts.Len())
	for i := range pts.xs {
		line[i] = plotter.XY{X: pts.xs[i], Y: pts.stats[i].Mean}
	}
	p.Add(plotter.NewGrid())
	// The band runs through the points with an interval; a point whose
	// replications all agreed breaks it (a band pinched to nothing there
	// would read as a certainty) and is ringed; a point with an interval
	// between two such is a bar.
	var band *plotter.Polygon
	ringed := false
	for _, run := range bandRuns(pts) {
		if run.Len() == 1 {
			if err := addBars(pn, run, colorAt(0), &ringed); err != nil {
				return nil, err
			}
			continue
		}
		ring := make(plotter.XYs, 0, 2*run.Len())
		for i := range run.xs {
			ring = append(ring, plotter.XY{X: run.xs[i], Y: run.stats[i].Lo})
		}
		for i := run.Len() - 1; i >= 0; i-- {
			ring = append(ring, plotter.XY{X: run.xs[i], Y: run.stats[i].Hi})
		}
		var err error
		if band, err = plotter.NewPolygon(ring); err != nil {
			return nil, err
		}
		band.Color = bandColor
		band.LineStyle.Width = 0
		p.Add(band)
	}
	l, s, err := plotter.NewLinePoints(line)
	if err != nil {
		return nil, err
	}
	l.Color, s.Color = colorAt(0), colorAt(0)
	p.Add(l, s)
	pn.add("mean", l, s)
	if band != nil {
		pn.add("95% interval", band)
	}
	_, alike := pts.split()
	if err := addAlike(pn, alike, colorAt(0), &ringed); err != nil {
		return nil, err
	}
	if len(b.Theory) > 0 {
		f, err := plotter.NewLine(xys(b.Theory))
		if err != nil {
			return nil, err
		}
		f.Color = colorAt(1)
		f.Dashes = dashed()
		p.Add(f)
		pn.add("theory (closed form)", f)
	}
	alikeEntry(pn, ringed)
	return &Chart{panels: []*panel{pn}}, nil
}

// bandRuns are pts' runs of consecutive points with an interval (not
// stats.Stat.Alike), in order: the stretches a band covers.
func bandRuns(pts intervalPoints) []intervalPoints {
	var runs []intervalPoints
	var cur intervalPoints
	for i, s := range pts.stats {
		if s.Alike() {
			if cur.Len() > 0 {
				runs = append(runs, cur)
			}
			cur = intervalPoints{}
			continue
		}
		cur.xs = append(cur.xs, pts.xs[i])
		cur.stats = append(cur.stats, s)
	}
	if cur.Len() > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// Curve is one member's response curve (split): the objective at each
// budget, and Mark, if not NaN, the budget recommended to it.
type Curve struct {
	Name string
	X    []float64
	Y    []stats.Stat
	Mark float64
	// MarkName is what Mark is in the legend ("" reads "recommended").
	MarkName string
}

// Curves draws response curves with their 95% error bars, the
// recommended point marked on each (split's plot).
func Curves(title, xlabel, ylabel string, curves []Curve) (*Chart, error) {
	pn := newPanel(title, xlabel, ylabel)
	p := pn.p
	p.Add(plotter.NewGrid())
	drawn := 0
	ringed := false
	for k, c := range curves {
		pts := defined(c.X, c.Y)
		if pts.Len() == 0 {
			continue
		}
		line := make(plotter.XYs, pts.Len())
		for i := range pts.xs {
			line[i] = plotter.XY{X: pts.xs[i], Y: pts.stats[i].Mean}
		}
		l, sc, err := plotter.NewLinePoints(line)
		if err != nil {
			return nil, err
		}
		col := colorAt(k)
		l.Color, sc.Color = col, col
		sc.Shape = draw.CircleGlyph{}
		p.Add(l, sc)
		pn.add(c.Name, l, sc)
		if err := addBars(pn, pts, col, &ringed); err != nil {
			return nil, err
		}
		drawn++
		if finite(c.Mark) {
			mark, err := plotter.NewScatter(plotter.XYs{{X: c.Mark, Y: interpolate(line, c.Mark)}})
			if err == nil {
				mark.Shape = draw.PyramidGlyph{}
				mark.Color = col
				mark.Radius = vg.Points(5)
				p.Add(mark)
				what := c.MarkName
				if what == "" {
					what = "recommended"
				}
				pn.add(c.Name+": "+what, mark)
			}
		}
	}
	if drawn == 0 {
		return nil, errors.New("no curve has points to draw")
	}
	alikeEntry(pn, ringed)
	return &Chart{panels: []*panel{pn}}, nil
}

// interpolate reads the curve line at x (linear between its points).
func interpolate(line plotter.XYs, x float64) float64 {
	if len(line) == 0 {
		return math.NaN()
	}
	if x <= line[0].X {
		return line[0].Y
	}
	for i := 1; i < len(line); i++ {
		if x <= line[i].X {
			a, b := line[i-1], line[i]
			return a.Y + (b.Y-a.Y)*(x-a.X)/(b.X-a.X)
		}
	}
	return line[len(line)-1].Y
}

func xys(pts []XY) plotter.XYs {
	out := make(plotter.XYs, len(pts))
	for i, p := range pts {
		out[i] = plotter.XY{X: p.X, Y: p.Y}
	}
	return out
}
