package tui

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// The floor is a price: the chart draws its dotted line, and names it
// in the legend, beside the clearing price only, not on revenue per
// auction (unsold auctions count 0 there, so it runs under any floor)
// nor on the fill rate.
func TestChartFloorOnlyForPrice(t *testing.T) {
	m, _, _ := testModel(t, 120, 40) // a floor of 0.50
	for _, metric := range sim.TheoryMetrics {
		m.ctx.Metric = metric
		chart := renderChart(m.ctx, 80, 14)
		title := chartTitle(m.ctx, 200)
		want := metric == sim.TheoryMeanPrice
		if got := strings.ContainsRune(chart, floorRune); got != want {
			t.Errorf("%s: floor line drawn %v, want %v:\n%s", metric, got, want, chart)
		}
		if got := strings.Contains(title, "floor"); got != want {
			t.Errorf("%s: floor in the legend %v, want %v: %q", metric, got, want, title)
		}
	}
}
