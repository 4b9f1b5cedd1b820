package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestExperimentCSVPartial: the CSV of a sweep (one point a row) and of
// run --reps (one metric a row) end every row in a partial column, as a
// run's CSV does: true when the experiment was cut short (Ctrl-C), else
// false. An interrupted experiment's CSV used to be told from a whole
// one by nothing but its n columns.
func TestExperimentCSVPartial(t *testing.T) {
	vary := []experiment.Vary{{Path: "exchange.floor", Values: []string{"0", "0.5"}}}
	spec, err := SweepSpec(textOf(t, "reserve-price"), []scenarios.Set{scenarios.StopSet(500, 0)}, vary, []string{"exchange.revenue"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	spec.Reps = 2
	res, err := RunExperiment(context.Background(), ExperimentRun{Spec: spec, Workers: 1, Note: func(string) {}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Partial {
		t.Fatal("a whole sweep is partial")
	}
	for _, partial := range []bool{false, true} {
		res.Partial = partial
		want := "false"
		if partial {
			want = "true"
		}
		var sweep, reps bytes.Buffer
		if err := WriteSweepCSV(&sweep, res); err != nil {
			t.Fatal(err)
		}
		if err := WriteRepsCSV(&reps, res.Agg, res.Partial); err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string]*bytes.Buffer{"sweep": &sweep, "reps": &reps} {
			rows, err := csv.NewReader(b).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(rows) < 2 {
				t.Fatalf("%s: %d rows", name, len(rows))
			}
			last := len(rows[0]) - 1
			if rows[0][last] != "partial" {
				t.Errorf("%s: last column %q, want partial", name, rows[0][last])
			}
			for i, r := range rows[1:] {
				if r[last] != want {
					t.Errorf("%s partial %v: row %d ends %q, want %q", name, partial, i+1, r[last], want)
				}
			}
		}
	}
}
