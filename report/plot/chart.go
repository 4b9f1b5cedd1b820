// Package plot draws auctionsim's figures for slides (--plot FILE.png or
// FILE.svg) with gonum/plot: intervals per label (run --reps, compare), a
// metric against a parameter with its band (sweep), response curves
// (split), and a single run's tmax curve and time series (run).
//
// Every function takes typed data and returns a Chart, which writes
// itself to a writer (WriteTo) or, atomically, to a path (Save). A
// chart's legends stand beside its panels, never over their data, and
// every axis names its unit.
package plot

import (
	"errors"
	"fmt"
	"github.com/auctionsim/auctionsim/report/format"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"
	"unicode/utf8"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/auctionsim/auctionsim/report"
)

// XY is a point of a curve.
type XY struct{ X, Y float64 }

// Sizes: a panel's height, the width of the data part, and the DPI of a
// PNG (150: sharp on a projector, small enough for a slide deck).
const (
	panelHeight = 9 * vg.Centimeter
	plotWidth   = 16 * vg.Centimeter
	pngDPI      = 150
	legendGap   = 4 * vg.Millimeter
	// maxLegendRunes bounds a legend entry, so the legend cannot take
	// the data's room.
	maxLegendRunes = 44
	// notePad is the margin around the notes under the panels.
	notePad = 3 * vg.Millimeter
)

// The colours: readable on white, and apart for people with the common
// colour-vision deficiencies (blue, vermilion, green, purple, orange).
var (
	bandColor = color.NRGBA{R: 70, G: 130, B: 180, A: 70}
	greyColor = color.NRGBA{R: 110, G: 110, B: 110, A: 255}
)

// colorAt is the k-th curve's colour.
func colorAt(k int) color.NRGBA {
	palette := [...]color.NRGBA{
		{R: 30, G: 80, B: 140, A: 255},
		{R: 200, G: 60, B: 40, A: 255},
		{R: 40, G: 150, B: 70, A: 255},
		{R: 140, G: 80, B: 160, A: 255},
		{R: 200, G: 140, B: 30, A: 255},
	}
	return palette[k%len(palette)]
}

// Chart is a finished figure: one or more panels stacked, sharing their
// x axis' position, each with its legend beside it, and its notes under
// them.
type Chart struct {
	panels []*panel
	// notes say what the data drawn cannot (why a curve stops where it
	// does), each a paragraph under the panels, wrapped to the figure's
	// width.
	notes []string
}

// panel is one plot and its legend, drawn beside the data rather than in
// gonum's place inside it.
type panel struct {
	p      *gplot.Plot
	legend gplot.Legend
	names  []string
}

func newPanel(title, xlabel, ylabel string) *panel {
	p := gplot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.X.Tick.Marker, p.Y.Tick.Marker = niceTicks{}, niceTicks{}
	return &panel{p: p, legend: gplot.NewLegend()}
}

// add puts an entry in the panel's legend, shortened to maxLegendRunes.
func (pn *panel) add(name string, thumbs ...gplot.Thumbnailer) {
	if utf8.RuneCountInString(name) > maxLegendRunes {
		r := []rune(name)
		name = string(r[:maxLegendRunes-1]) + "…"
	}
	pn.names = append(pn.names, name)
	pn.legend.Add(name, thumbs...)
}

// legendWidth is the room the panel's legend takes beside the data.
func (pn *panel) legendWidth() vg.Length {
	var w vg.Length
	for _, n := range pn.names {
		w = max(w, pn.legend.ThumbnailWidth+pn.legend.TextStyle.Rectangle(" "+n).Max.X)
	}
	return w
}

// Panels is how many panels the chart stacks.
func (c *Chart) Panels() int { return len(c.panels) }

// size is the figure's size: the data's width plus the widest legend,
// and a panel's height per panel plus the notes'.
func (c *Chart) size() (w, h vg.Length) {
	w = plotWidth
	if lw := c.legendWidth(); lw > 0 {
		w += lw + 2*legendGap
	}
	return w, panelHeight*vg.Length(len(c.panels)) + c.notesHeight(w)
}

// noteStyle is the notes' text: smaller than the axes' labels, in the
// plot's font.
func noteStyle() draw.TextStyle {
	return draw.TextStyle{Color: color.Black, Font: font.From(gplot.DefaultFont, 10), Handler: gplot.DefaultTextHandler,
		XAlign: draw.XLeft, YAlign: draw.YTop}
}

// noteText is the notes wrapped to a figure w wide, one line of text a
// line; "" without notes.
func (c *Chart) noteText(w vg.Length) string {
	sty := noteStyle()
	room := w - 2*notePad
	var lines []string
	for _, n := range c.notes {
		lines = append(lines, format.WrapBy(n, func(l string) bool { return sty.Width(l) <= room })...)
	}
	return strings.Join(lines, "\n")
}

// notesHeight is the room the notes take under the panels of a figure w
// wide: 0 without notes.
func (c *Chart) notesHeight(w vg.Length) vg.Length {
	txt := c.noteText(w)
	if txt == "" {
		return 0
	}
	return noteStyle().Height(txt) + 2*notePad
}

func (c *Chart) legendWidth() vg.Length {
	var w vg.Length
	for _, pn := range c.panels {
		w = max(w, pn.legendWidth())
	}
	return w
}

// layout is where a drawn chart put each panel's data and legend, and
// its notes (the zero rectangle without notes).
type layout struct {
	data, legend []vg.Rectangle
	notes        vg.Rectangle
}

// draw draws the chart on dc: the panels aligned in the left part, each
// legend in the right strip, from the top of its panel's data, and the
// notes in a strip under them all.
func (c *Chart) draw(dc draw.Canvas) layout {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	var lay layout
	area := dc
	if txt := c.noteText(dc.Max.X - dc.Min.X); txt != "" {
		sty := noteStyle()
		h := sty.Height(txt)
		top := vg.Point{X: dc.Min.X + notePad, Y: dc.Min.Y + h + notePad}
		dc.FillText(sty, top, txt)
		lay.notes = vg.Rectangle{Min: vg.Point{X: top.X, Y: top.Y - h}, Max: vg.Point{X: top.X + sty.Width(txt), Y: top.Y}}
		area.Min.Y += h + 2*notePad
	}
	lw := c.legendWidth()
	if lw > 0 {
		area.Max.X -= lw + 2*legendGap
	}
	plots := make([][]*gplot.Plot, len(c.panels))
	for i, pn := range c.panels {
		plots[i] = []*gplot.Plot{pn.p}
	}
	tiles := draw.Tiles{Rows: len(c.panels), Cols: 1, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2, PadY: vg.Millimeter * 6}
	canvases := gplot.Align(plots, tiles, area)
	for i, pn := range c.panels {
		cv := canvases[i][0]
		pn.p.Draw(cv)
		data := pn.p.DataCanvas(cv)
		lay.data = append(lay.data, data.Rectangle)
		if len(pn.names) == 0 {
			lay.legend = append(lay.legend, vg.Rectangle{})
			continue
		}
		lc := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: area.Max.X + legendGap, Y: data.Min.Y},
			Max: vg.Point{X: dc.Max.X - legendGap, Y: data.Max.Y},
		}}
		lg := pn.legend
		lg.Top, lg.Left = true, true
		lg.Draw(lc)
		lay.legend = append(lay.legend, vg.Rectangle{
			Min: vg.Point{X: lc.Min.X, Y: lc.Max.Y - legendHeight(&lg, len(pn.names))},
			Max: vg.Point{X: lc.Min.X + pn.legendWidth(), Y: lc.Max.Y},
		})
	}
	return lay
}

// legendHeight is the height n entries take.
func legendHeight(l *gplot.Legend, n int) vg.Length {
	h := l.TextStyle.Rectangle("Mg").Max.Y
	return vg.Length(n)*h + vg.Length(max(n-1, 0))*l.Padding
}

// FormatOf is the format a path's extension names ("png" or "svg"), or an
// error saying which are known.
func FormatOf(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png", ".svg":
		return ext[1:], nil
	default:
		return "", fmt.Errorf("%s: a plot is written as .png or .svg, not %q", path, ext)
	}
}

// WriteTo writes the chart to w as format, "png" or "svg".
func (c *Chart) WriteTo(w io.Writer, format string) error {
	if len(c.panels) == 0 {
		return errors.New("the chart has no panel")
	}
	width, height := c.size()
	var cw vg.CanvasWriterTo
	switch format {
	case "png":
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(pngDPI))}
	case "svg":
		cw = vgsvg.New(width, height)
	default:
		return fmt.Errorf("unknown plot format %q: want png or svg", format)
	}
	c.draw(draw.New(cw))
	_, err := cw.WriteTo(w)
	return err
}

// Save writes the chart to path, in the format its extension names,
// atomically (report.WriteFileAtomic): a reader never sees half a plot.
func (c *Chart) Save(path string) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	return report.WriteFileAtomic(path, func(w io.Writer) error { return c.WriteTo(w, format) })
}

// finite reports whether x is a number.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// dashed is the style of marks and references.
func dashed() []vg.Length { return []vg.Length{vg.Points(4), vg.Points(3)} }
