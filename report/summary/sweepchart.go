package summary

import (
	"fmt"
	"math"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/linechart"
	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// SweepChart draws a sweep's first metric against its first varied field
// with its 95% band, for a terminal (the band grey when color); "" when
// there are not two points to draw.
func SweepChart(res *experiment.Result, color bool) string {
	xs, ss, okx := experiment.FirstSeries(res)
	if !okx || len(xs) < 2 {
		return ""
	}
	xs, ss = plot.Defined(xs, ss)
	if len(xs) < 2 {
		return ""
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		lo, hi = min(lo, s.Lo), max(hi, s.Hi)
	}
	if hi <= lo {
		hi = lo + 1
	}
	pad := (hi - lo) * 0.05
	chart := linechart.New(72, 16, xs[0], xs[len(xs)-1], lo-pad, hi+pad,
		linechart.WithXYSteps(4, 2),
		linechart.WithXLabelFormatter(func(_ int, x float64) string { return report.FormatNum(x) }),
		linechart.WithYLabelFormatter(func(_ int, y float64) string { return report.FormatNum(y) }),
	)
	chart.DrawXYAxisAndLabel()
	band := lipgloss.NewStyle()
	if color {
		band = band.Foreground(lipgloss.Color("8"))
	}
	for i := 1; i < len(xs); i++ {
		a, b := ss[i-1], ss[i]
		x0, x1 := xs[i-1], xs[i]
		chart.DrawBrailleLineWithStyle(canvas.Float64Point{X: x0, Y: a.Lo}, canvas.Float64Point{X: x1, Y: b.Lo}, band)
		chart.DrawBrailleLineWithStyle(canvas.Float64Point{X: x0, Y: a.Hi}, canvas.Float64Point{X: x1, Y: b.Hi}, band)
		chart.DrawBrailleLine(canvas.Float64Point{X: x0, Y: a.Mean}, canvas.Float64Point{X: x1, Y: b.Mean})
	}
	return fmt.Sprintf("\n%s against %s (the mean, and its 95%% band)\n%s\n", res.Spec.Metrics[0], res.Spec.Vary[0].Path, chart.View())
}
