package plot

import (
	"slices"
	"testing"

	"github.com/auctionsim/auctionsim/sim/stats"
)

// TestAlikeNoZeroBar: a point whose few replications all agreed (Lo =
// Hi, stats.Stat.Alike) is drawn as a ring named in the legend, not as a
// zero-wide error bar or a band pinched to nothing; split's curves,
// compare's intervals and sweep's band alike. They once drew it as a bar
// of no width, a certainty that 3 equal draws do not give.
func TestAlikeNoZeroBar(t *testing.T) {
	xs := []float64{0, 1, 2, 3, 4}
	ys := []stats.Stat{stats.Of(10, 2, 3), stats.Of(12, 2, 3), stats.Of(421, 0, 3), stats.Of(14, 2, 3), stats.Of(15, 2, 3)}
	pts := defined(xs, ys)
	bars, alike := pts.split()
	if bars.Len() != 4 || slices.Contains(bars.xs, 2) || len(alike) != 1 || alike[0].X != 2 || alike[0].Y != 421 {
		t.Errorf("bars at %v, rings at %v: want the bars without x = 2, its ring alone", bars.xs, alike)
	}
	runs := bandRuns(pts)
	if len(runs) != 2 || !slices.Equal(runs[0].xs, []float64{0, 1}) || !slices.Equal(runs[1].xs, []float64{3, 4}) {
		t.Errorf("band runs %v, want 0–1 and 3–4, broken at the alike point", runs)
	}
	// Six alike replications are evidence of their sign (stats.SignTestN):
	// an interval, not a ring.
	if _, alike := defined(xs[:1], []stats.Stat{stats.Of(5, 0, stats.SignTestN)}).split(); len(alike) != 0 {
		t.Errorf("%d alike replications ringed", stats.SignTestN)
	}
	charts := map[string]func() (*Chart, error){
		"curves": func() (*Chart, error) {
			return Curves("t", "x", "y", []Curve{{Name: "a", X: xs, Y: ys, Mark: 2}})
		},
		"intervals": func() (*Chart, error) { return Intervals("t", "y", []string{"a", "b", "c", "d", "e"}, ys, true) },
		"band":      func() (*Chart, error) { return BandChart(Band{Title: "t", XLabel: "x", YLabel: "y", X: xs, Y: ys}) },
	}
	for name, draw := range charts {
		c, err := draw()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		names := c.panels[0].names
		if names[len(names)-1] != alikeLegend {
			t.Errorf("%s: legend %q, want %q last", name, names, alikeLegend)
		}
		if len(svgText(t, c)) == 0 {
			t.Errorf("%s: nothing drawn", name)
		}
	}
	// Without an alike point: no such entry.
	c, err := Curves("t", "x", "y", []Curve{{Name: "a", X: xs[:2], Y: ys[:2]}})
	if err != nil || slices.Contains(c.panels[0].names, alikeLegend) {
		t.Errorf("no alike point: legend %q (%v)", c.panels[0].names, err)
	}
}
