package tui

import (
	"math"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// TestChartLabelsOnTheirRowsAt80x24: where the chart's labels cannot be
// round (prices of a few hundredths of a CPM, as on the wire with most
// bids late), each still reads the value of its own row: labels spaced
// evenly in rows are spaced evenly in value. Before, at 80×24 they were
// written with two decimals whatever their values, and 0 to 0.03 on four
// rows read 0.00, 0.01, 0.03: the 0.01 on the row of 0.015, a rounding
// step from the row where 0.01 belongs.
func TestChartLabelsOnTheirRowsAt80x24(t *testing.T) {
	m, _, _ := testModel(t, 80, 24)
	s := *m.ctx.Snap()
	s.Series.Points = append([]sim.SeriesPoint(nil), s.Series.Points...)
	for i := range s.Series.Points {
		p := &s.Series.Points[i]
		// Prices from 0.0077 to 0.0222 CPM, every auction filled.
		price := 0.0077 + 0.0145*float64(i%5)/4
		p.Auctions, p.Filled, p.Floor = 1000, 1000, 0
		p.Revenue = sim.Money(sim.PriceOf(price)) * sim.Money(p.Filled)
	}
	f := m.ctx.Frame
	f.Snap = &s
	m.Update(frameMsg(f))
	lay := m.ctx.views[0].(*dashboard).lay
	for _, metric := range []sim.TheoryMetric{sim.TheoryMeanPrice, sim.TheoryRevenuePerAuction} {
		m.ctx.Metric = metric
		chart := renderChart(m.ctx, lay.chartW, lay.topH-1)
		vals, texts, rows := yLabels(t, chart)
		if len(vals) < 3 {
			t.Fatalf("%s: labels %q, want three at least:\n%s", metric, texts, ansi.Strip(chart))
		}
		dv, dr := vals[1]-vals[0], rows[0]-rows[1]
		for i := 2; i < len(vals); i++ {
			if rows[i-1]-rows[i] != dr || math.Abs(vals[i]-vals[i-1]-dv) > dv/4 {
				t.Errorf("%s: labels %q on rows %v: not each on the row of its value:\n%s", metric, texts, rows, ansi.Strip(chart))
				break
			}
		}
	}
}
