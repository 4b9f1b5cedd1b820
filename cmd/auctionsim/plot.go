package main

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// Plots for slides (--plot FILE.png|FILE.svg), drawn by gonum/plot.

var (
	plotWidth  = 16 * vg.Centimeter
	plotHeight = 10 * vg.Centimeter
	bandColor  = color.NRGBA{R: 70, G: 130, B: 180, A: 70}
	lineColor  = color.NRGBA{R: 30, G: 80, B: 140, A: 255}
	refColor   = color.NRGBA{R: 200, G: 60, B: 40, A: 255}
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

// defined keeps the points whose mean and interval are numbers.
func defined(xs []float64, ss []stats.Stat) intervalPoints {
	var out intervalPoints
	for i, s := range ss {
		if ok(s.Mean) && ok(s.Lo) && ok(s.Hi) && ok(xs[i]) {
			out.xs = append(out.xs, xs[i])
			out.stats = append(out.stats, s)
		}
	}
	return out
}

func ok(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// plotIntervals draws one mean with its interval per label; zero draws a
// line at 0 (for differences).
func plotIntervals(path, title, ylabel string, labels []string, ss []stats.Stat, zero bool) error {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = ylabel
	xs := make([]float64, len(labels))
	for i := range xs {
		xs[i] = float64(i)
	}
	pts := defined(xs, ss)
	if pts.Len() == 0 {
		return fmt.Errorf("--plot %s: no metric has an interval to draw", path)
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	sc.Color = lineColor
	bars, err := plotter.NewYErrorBars(pts)
	if err != nil {
		return err
	}
	bars.Color = lineColor
	p.Add(plotter.NewGrid(), bars, sc)
	if zero {
		l, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 0}, {X: float64(len(labels)) - 0.5, Y: 0}})
		if err != nil {
			return err
		}
		l.Color = refColor
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
	}
	p.NominalX(labels...)
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = -1
	return savePlot(p, path)
}

// plotBand draws a metric against a parameter: the means as a line, the
// 95% intervals as a band; ref, if set, is drawn too (the theoretical
// curve through the same points).
func plotBand(path, title, xlabel, ylabel string, xs []float64, ss []stats.Stat, ref plotter.XYs) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	pts := defined(xs, ss)
	if pts.Len() == 0 {
		return fmt.Errorf("--plot %s: no point has an interval to draw", path)
	}
	ring := make(plotter.XYs, 0, 2*pts.Len())
	line := make(plotter.XYs, pts.Len())
	for i := range pts.xs {
		ring = append(ring, plotter.XY{X: pts.xs[i], Y: pts.stats[i].Lo})
		line[i] = plotter.XY{X: pts.xs[i], Y: pts.stats[i].Mean}
	}
	for i := pts.Len() - 1; i >= 0; i-- {
		ring = append(ring, plotter.XY{X: pts.xs[i], Y: pts.stats[i].Hi})
	}
	band, err := plotter.NewPolygon(ring)
	if err != nil {
		return err
	}
	band.Color = bandColor
	band.LineStyle.Width = 0
	l, s, err := plotter.NewLinePoints(line)
	if err != nil {
		return err
	}
	l.Color, s.Color = lineColor, lineColor
	p.Add(plotter.NewGrid(), band, l, s)
	p.Legend.Add("mean, 95% band", l)
	if len(ref) > 0 {
		f, err := plotter.NewLine(ref)
		if err != nil {
			return err
		}
		f.Color = refColor
		f.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(f)
		p.Legend.Add("theory", f)
	}
	p.Legend.Top = true
	return savePlot(p, path)
}

// savePlot writes the plot in the format its extension names, atomically.
func savePlot(p *plot.Plot, path string) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	wt, err := p.WriterTo(plotWidth, plotHeight, format)
	if err != nil {
		return fmt.Errorf("--plot %s: %w", path, err)
	}
	return report.WriteFileAtomic(path, func(f io.Writer) error {
		_, err := wt.WriteTo(f)
		return err
	})
}

// plotReps draws run --reps' main metrics: each bidder's spend.
func plotReps(path string, res *experiment.Result) error {
	pts, err := points(res.Spec)
	if err != nil {
		return err
	}
	var labels []string
	var ss []stats.Stat
	for _, b := range pts[0].Config.Bidders {
		s, _ := res.Agg.Stat(0, "bidders."+b.Name+".spend")
		labels = append(labels, b.Name)
		ss = append(ss, s)
	}
	title := fmt.Sprintf("%s: spend per bidder, %d replications, 95%% intervals", res.Spec.Scenario, res.Agg.Reps())
	return plotIntervals(path, title, "spend", labels, ss, false)
}
