package summary

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/charmbracelet/x/ansi"
)

// sweepOfReps is a sweep over exchange.floor with reps replications a
// point, rep r of point p giving ys[p] + spread[p]·r.
func sweepOfReps(values []string, ys, spread []float64, reps int) *experiment.Result {
	agg := experiment.NewAgg(len(values), false)
	for rep := range reps {
		for p, y := range ys {
			agg.Add(experiment.Item{Index: rep*len(ys) + p, Point: p, Rep: rep,
				Values: experiment.Values{"exchange.revenue": y + spread[p]*float64(rep)}})
		}
	}
	spec := &experiment.Spec{Metrics: []string{"exchange.revenue"},
		Vary: []experiment.Vary{{Path: "exchange.floor", Values: values}}}
	return &experiment.Result{Spec: spec, Agg: agg}
}

// TestSweepChartAlike: a point whose 2 to 5 replications all agreed is
// ringed and said below the chart, not drawn with a band pinched to its
// mean; 6 alike are evidence (the sign test) and keep the band.
func TestSweepChartAlike(t *testing.T) {
	res := sweepOfReps([]string{"0", "0.5", "1"}, []float64{0, 4, 2}, []float64{0, 1, 1}, 3)
	s := SweepChart(res, false, 80)
	if strings.Count(chartPart(s), string(alikeRing)) != 1 || !strings.Contains(s, "replications all alike: no interval") {
		t.Errorf("a point of 3 alike replications not ringed once and said:\n%s", s)
	}
	for _, l := range strings.Split(s, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("a line of %d cells at 80 columns: %q", w, l)
		}
	}
	// Without the alike point's band the grey band's braille is fewer
	// cells than the same sweep with the first point varying a little.
	varied := sweepOfReps([]string{"0", "0.5", "1"}, []float64{0, 4, 2}, []float64{0.001, 1, 1}, 3)
	if strings.Contains(SweepChart(varied, false, 80), "alike") {
		t.Errorf("a point whose replications differ read as alike")
	}
	if a, v := brailleDots(s), brailleDots(SweepChart(varied, false, 80)); a >= v {
		t.Errorf("the band drawn through the alike point: %d braille dots, %d with it varying", a, v)
	}
	if s := SweepChart(sweepOfReps([]string{"0", "0.5", "1"}, []float64{0, 4, 2}, []float64{0, 1, 1}, 6), false, 80); strings.Contains(s, "alike") {
		t.Errorf("6 equal replications (evidence by the sign test) ringed:\n%s", s)
	}
}

// brailleDots counts the dots of the braille cells in s.
func brailleDots(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x2800 && r <= 0x28ff {
			for b := r - 0x2800; b != 0; b &= b - 1 {
				n++
			}
		}
	}
	return n
}

// chartPart is a chart's lines from its first axis line to its x axis,
// without the title and the lines below.
func chartPart(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.ContainsAny(l, "│└") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
