package report

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestSweepMetricSomePointHas: a sweep takes a metric that some point
// has, whatever the order of the points, and the point that lacks it
// (first-vs-second's bidders learning their shade factors, who have no closed
// form) has no numbers for it in the CSV, as in the JSON: n 0 and
// empty cells. The metric was checked against the first point alone,
// refused with that point first ("not a metric of
// first-vs-second") and taken with it second, where the CSV wrote it as
// a win rate of 0 (0,0,0,0,0). A metric no point has is still refused.
func TestSweepMetricSomePointHas(t *testing.T) {
	sets := []scenarios.Set{scenarios.StopSet(2000, 0)}
	metric := "theory.bidders.ada.win_rate"
	for _, values := range [][]string{{"{kind: learn}", "{kind: truthful}"}, {"{kind: truthful}", "{kind: learn}"}} {
		vary := []experiment.Vary{{Path: "bidders.*.strategy", Values: values}}
		spec, err := SweepSpec(textOf(t, "first-vs-second"), sets, vary, []string{metric}, 1)
		if err != nil {
			t.Fatalf("%v: %v", values, err)
		}
		spec.Reps = 2
		res, err := RunExperiment(context.Background(), ExperimentRun{Spec: spec, Workers: 1, Note: func(string) {}})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteSweepCSV(&b, res); err != nil {
			t.Fatal(err)
		}
		for _, row := range strings.Split(strings.TrimSpace(b.String()), "\n")[1:] {
			want := "{kind: truthful},0.25,0,2,0.25,0.25,false"
			if strings.HasPrefix(row, "{kind: learn}") {
				want = "{kind: learn},,,0,,,false"
			}
			if row != want {
				t.Errorf("%v: CSV row %q, want %q", values, row, want)
			}
		}
	}
	vary := []experiment.Vary{{Path: "bidders.*.strategy", Values: []string{"{kind: learn}", "{kind: truthful}"}}}
	if _, err := SweepSpec(textOf(t, "first-vs-second"), sets, vary, []string{"theory.bidders.ada.win_rat"}, 1); err == nil ||
		!strings.Contains(err.Error(), `"theory.bidders.ada.win_rat" is not a metric of first-vs-second`) {
		t.Errorf("a metric no point has: %v", err)
	}
}
