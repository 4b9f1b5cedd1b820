package tui

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// TestWhatIfLabelsOnTheirRows: the what-if charts a few rows high (80×24),
// labelled at the data's top rather than round values, write each label
// with the decimals that keep it on the row of its value: labels spaced
// evenly in rows are spaced evenly in value. Before, a revenue to 0.03
// CPM read 0.00, 0.01, 0.03 on 4 rows, the 0.01 on the row of 0.015, and
// 0.00, 0.01, 0.02 on 5, the 0.02 on the row of 0.024.
func TestWhatIfLabelsOnTheirRows(t *testing.T) {
	m, _, _ := testModel(t, 80, 24)
	var curve []sim.TmaxPoint
	for ms := 20; ms <= 400; ms += 20 {
		curve = append(curve, sim.TmaxPoint{Tmax: sim.Time(ms) * sim.Millisecond, Auctions: 1})
	}
	// 0.0014 to 0.028 CPM: revenue on a wire where most bids are late.
	s := curveSeries{title: "t", decimals: 2, y: func(p sim.TmaxPoint) float64 { return float64(p.Tmax) / float64(sim.Millisecond) / 14286 }}
	for h := 6; h <= 9; h++ {
		chart := ansi.Strip(curveChart(m.ctx, curve, s, 80, h))
		var vals []float64
		var rows []int
		var texts []string
		lines := strings.Split(chart, "\n")
		for y := len(lines) - 1; y >= 0; y-- {
			l := []rune(lines[y])
			for x, r := range l {
				if strings.ContainsRune("│├└┤┼╰", r) {
					text := strings.TrimSpace(string(l[:x]))
					if v, err := strconv.ParseFloat(text, 64); err == nil {
						vals, rows, texts = append(vals, v), append(rows, y), append(texts, text)
					}
					break
				}
			}
		}
		if len(vals) < 2 || vals[0] != 0 {
			t.Errorf("%d lines: labels %q, want 0 and more:\n%s", h, texts, chart)
			continue
		}
		// Each label within half a row of its row's value: the axis runs
		// from 0 to 0.03, the data's top with 5% room (0.0294) rounded up
		// (niceCeil), over the chart's rows (h less the title and the X
		// axis' two lines).
		perRow := 0.03 / float64(h-3)
		for i, v := range vals {
			if want := perRow * float64(rows[0]-rows[i]); math.Abs(v-want) >= perRow/2 {
				t.Errorf("%d lines: label %s on the row of %.4f: labels %q on rows %v:\n%s", h, texts[i], want, texts, rows, chart)
			}
		}
	}
}
