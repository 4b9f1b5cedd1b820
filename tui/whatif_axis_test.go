package tui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// The what-if charts' X axis labels the curve's last grid point, at the
// right end of the axis, whatever the width: a grid to 400 ms ends on
// "400" (its labels stopped at 360). The labels rise left to right and do
// not run into each other.
func TestWhatIfXAxisLabelsTheLastPoint(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	grids := [][3]int{{20, 400, 20}, {10, 400, 10}, {40, 300, 20}, {50, 250, 10}, {20, 1000, 20}}
	for _, g := range grids {
		var curve []sim.TmaxPoint
		for ms := g[0]; ms <= g[1]; ms += g[2] {
			curve = append(curve, sim.TmaxPoint{Tmax: sim.Time(ms) * sim.Millisecond, Auctions: 1})
		}
		s := curveSeries{title: "t", decimals: 1, y: func(p sim.TmaxPoint) float64 { return float64(p.Tmax) / float64(sim.Millisecond) / 100 }}
		for w := 20; w <= 160; w++ {
			chart := curveChart(m.ctx, curve, s, w, 12)
			lines := strings.Split(chart, "\n")
			axis := lines[len(lines)-1]
			labels := strings.Fields(axis)
			if len(labels) < 2 {
				t.Errorf("grid %v, width %d: labels %q", g, w, axis)
				continue
			}
			if last := labels[len(labels)-1]; last != strconv.Itoa(g[1]) || !strings.HasSuffix(axis, last) || len([]rune(axis)) != w {
				t.Errorf("grid %v, width %d: the axis ends %q, want %d at its right end:\n%s", g, w, last, g[1], chart)
			}
			prev := -1
			for _, l := range labels {
				v, err := strconv.Atoi(l)
				if err != nil || v <= prev || v < g[0] || v > g[1] {
					t.Errorf("grid %v, width %d: labels %q do not rise within the grid", g, w, axis)
					break
				}
				prev = v
			}
		}
	}
}
