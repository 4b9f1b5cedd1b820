package summary

import (
	"math"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
)

// sweepOf is a sweep result over values of exchange.floor, two
// replications a point, the metric at each point from ys (NaN: undefined).
func sweepOf(values []string, ys []float64) *experiment.Result {
	agg := experiment.NewAgg(len(values), false)
	for rep := range 2 {
		for p, y := range ys {
			agg.Add(experiment.Item{Index: rep*len(ys) + p, Point: p, Rep: rep,
				Values: experiment.Values{"exchange.revenue": y + float64(rep)}})
		}
	}
	spec := &experiment.Spec{Metrics: []string{"exchange.revenue"},
		Vary: []experiment.Vary{{Path: "exchange.floor", Values: values}}}
	return &experiment.Result{Spec: spec, Agg: agg}
}

// TestSweepChart checks that the chart is titled by the metric and the
// field and drawn in braille, and that it is left out with fewer than two
// points that have a mean and an interval.
func TestSweepChart(t *testing.T) {
	s := SweepChart(sweepOf([]string{"0", "0.5", "1"}, []float64{1, 4, 2}), false)
	if !strings.Contains(s, "exchange.revenue against exchange.floor (the mean, and its 95% band)") ||
		strings.Count(s, "\n") < 16 || !strings.ContainsAny(s, "⠁⠂⠄⡀⠈⠐⠠⢀") {
		t.Errorf("chart:\n%s", s)
	}
	if s := SweepChart(sweepOf([]string{"0", "0.5"}, []float64{1, math.NaN()}), false); s != "" {
		t.Errorf("a chart of one defined point:\n%s", s)
	}
	if s := SweepChart(sweepOf([]string{"a", "b"}, []float64{1, 2}), false); s != "" {
		t.Errorf("a chart over values that are not numbers:\n%s", s)
	}
}
