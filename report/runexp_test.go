package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// tinySpec is 3 replications of 200 auctions of classroom-vickrey.
func tinySpec(t *testing.T) *experiment.Spec {
	t.Helper()
	p, sc, err := resolvePoint(textOf(t, "classroom-vickrey"), []scenarios.Set{{Path: "stop", Value: "{auctions: 200}"}})
	if err != nil {
		t.Fatal(err)
	}
	return &experiment.Spec{Command: "run", Scenario: sc.Name, Seed: sc.Config.Seed, Reps: 3, Points: []experiment.PointSpec{p}}
}

// TestRunExperiment checks a run into a result, a shard into its file
// with its note, and a run cancelled before any replication.
func TestRunExperiment(t *testing.T) {
	var notes []string
	note := func(s string) { notes = append(notes, s) }
	res, err := RunExperiment(context.Background(), ExperimentRun{Spec: tinySpec(t), Workers: 2, Note: note})
	if err != nil || res == nil || res.Partial || res.Agg.Reps() != 3 || res.Wall <= 0 {
		t.Fatalf("result %+v, %v", res, err)
	}
	out := filepath.Join(t.TempDir(), "s0.jsonl")
	res, err = RunExperiment(context.Background(), ExperimentRun{Spec: tinySpec(t), Workers: 1, Shard: "0/2", Out: out, Note: note})
	if err != nil || res != nil {
		t.Fatalf("shard: %v %v", res, err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 || len(notes) != 1 || !strings.HasPrefix(notes[0], "shard 0/2 written to "+out) {
		t.Errorf("shard file %v, notes %q", err, notes)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	notes = nil
	if res, err := RunExperiment(ctx, ExperimentRun{Spec: tinySpec(t), Workers: 1, Note: note}); !errors.Is(err, ErrInterrupted) ||
		res == nil || !res.Partial || res.Agg.Reps() != 0 ||
		len(notes) != 1 || notes[0] != "interrupted before any replication finished" {
		t.Errorf("cancelled: %+v, %v, notes %q", res, err, notes)
	}
	bad := &experiment.Spec{Reps: 2, Points: []experiment.PointSpec{{Name: "x", YAML: "exchange: ["}}}
	if _, err := RunExperiment(context.Background(), ExperimentRun{Spec: bad, Note: note}); err == nil {
		t.Error("a spec whose point does not parse ran")
	}
}

// TestRepsNoReplication: run --reps interrupted before any replication
// finished still writes its JSON, partial, of 0 replications, in the
// shape of the partial JSON of some (every statistic there one of n 0
// here, a null staying null), and its table is one line saying so; the
// same for --metrics. Every bundled scenario, as their shapes differ.
func TestRepsNoReplication(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range scenarios.Names() {
		p, sc, err := resolvePoint(textOf(t, name), []scenarios.Set{{Path: "stop", Value: "{auctions: 200}"}})
		if err != nil {
			t.Fatal(err)
		}
		spec := func() *experiment.Spec {
			return &experiment.Spec{Command: "run", Scenario: sc.Name, Seed: sc.Config.Seed, Reps: 2, Points: []experiment.PointSpec{p}}
		}
		some, err := RunExperiment(context.Background(), ExperimentRun{Spec: spec(), Workers: 1, Note: func(string) {}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		some.Partial = true // as if cut short after its 2
		none, err := RunExperiment(cancelled, ExperimentRun{Spec: spec(), Workers: 1, Note: func(string) {}})
		if !errors.Is(err, ErrInterrupted) || none == nil {
			t.Fatalf("%s: cancelled: %v, %v", name, none, err)
		}
		var trees [2]any
		for i, res := range []*experiment.Result{some, none} {
			e, _, err := RepsEmission(res)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var buf bytes.Buffer
			if err := EncodeJSON(&buf, e.Tree); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(buf.Bytes(), &trees[i]); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if i == 1 {
				if got, want := e.Table(), fmt.Sprintf("%s: 0 replications (seed %d): interrupted before any replication finished\n", sc.Name, sc.Config.Seed); got != want {
					t.Errorf("%s: table %q, want %q", name, got, want)
				}
			}
		}
		top := trees[1].(map[string]any)
		if top["partial"] != true || top["replications"] != 0.0 {
			t.Errorf("%s: partial %v, replications %v", name, top["partial"], top["replications"])
		}
		sameShape(t, name, "", trees[0], trees[1])

		picked := PickReps(none, []string{"exchange.revenue", "auctions"})
		if picked.Replications != 0 || !picked.Partial || picked.Metrics["auctions"] == nil || picked.Metrics["auctions"].N != 0 ||
			!strings.Contains(picked.Table(), "0 replications") {
			t.Errorf("%s: --metrics %+v, table %q", name, picked, picked.Table())
		}
	}
}

// sameShape checks that none, the JSON of 0 replications, has the shape
// of some, the JSON of some: the same keys and items, a statistic of n 0
// (or null) where some has a statistic, null where some has null, and
// the same type elsewhere.
func sameShape(t *testing.T, scenario, path string, some, none any) {
	t.Helper()
	isStat := func(v any) bool {
		m, ok := v.(map[string]any)
		// "alike": true is added to a statistic whose replications all
		// agreed (stats.Stat.Alike), absent otherwise.
		return ok && (len(m) == 5 || len(m) == 6 && m["alike"] == true) && m["n"] != nil && slices.ContainsFunc([]string{"mean", "sd", "lo", "hi"}, func(k string) bool { _, ok := m[k]; return ok })
	}
	switch {
	case isStat(some):
		if none == nil {
			return // a number no replication defined, null as in a single run
		}
		if m, ok := none.(map[string]any); !isStat(none) || !ok || m["n"] != 0.0 || m["mean"] != nil {
			t.Errorf("%s: %s is %v, want the statistic of none", scenario, path, none)
		}
	case some == nil:
		if none != nil {
			t.Errorf("%s: %s is %v, want null", scenario, path, none)
		}
	default:
		if reflect.TypeOf(some) != reflect.TypeOf(none) {
			t.Errorf("%s: %s is %v, want the type of %v", scenario, path, none, some)
			return
		}
		switch s := some.(type) {
		case map[string]any:
			n := none.(map[string]any)
			if len(n) != len(s) {
				t.Errorf("%s: %s has keys %v, want %v", scenario, path, slices.Sorted(maps.Keys(n)), slices.Sorted(maps.Keys(s)))
			}
			for k, v := range s {
				sameShape(t, scenario, path+"."+k, v, n[k])
			}
		case []any:
			n := none.([]any)
			if len(n) != len(s) {
				t.Errorf("%s: %s has %d items, want %d", scenario, path, len(n), len(s))
				return
			}
			for i := range s {
				sameShape(t, scenario, fmt.Sprintf("%s[%d]", path, i), s[i], n[i])
			}
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestEmission checks the order and the choices of an experiment's
// output: CSV for a .csv --out, the JSON or the table on stdout, and every
// step tried after a failure.
func TestEmission(t *testing.T) {
	dir := t.TempDir()
	var drew string
	e := Emission{Tree: map[string]int{"a": 1},
		CSV:   func(w io.Writer) error { _, err := io.WriteString(w, "a\n1\n"); return err },
		Draw:  func(path string) error { drew = path; return errors.New("no plot") },
		Table: func() string { return "table\n" }}
	var out bytes.Buffer
	e.Out, e.Plot, e.Stdout = filepath.Join(dir, "r.csv"), "p.svg", &out
	var fails []error
	e.Emit(func(err error) { fails = append(fails, err) })
	if data, _ := os.ReadFile(e.Out); string(data) != "a\n1\n" || drew != "p.svg" || out.String() != "table\n" || len(fails) != 1 {
		t.Errorf("csv %q, drew %q, stdout %q, fails %v", data, drew, out.String(), fails)
	}
	e.Out, e.Plot, e.JSON, e.Stdout = filepath.Join(dir, "r.json"), "", true, failWriter{}
	fails = nil
	e.Emit(func(err error) { fails = append(fails, err) })
	if data, _ := os.ReadFile(e.Out); !strings.Contains(string(data), `"a": 1`) || len(fails) != 1 {
		t.Errorf("json %q, fails %v", data, fails)
	}
}

// TestMergeFiles checks that two shards merge into the experiment run on
// one machine, and that a missing shard or file is refused.
func TestMergeFiles(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for k := range 2 {
		out := filepath.Join(dir, "s"+string(rune('0'+k))+".jsonl")
		if _, err := RunExperiment(context.Background(), ExperimentRun{Spec: tinySpec(t), Workers: 1, Shard: string(rune('0'+k)) + "/2", Out: out, Note: func(string) {}}); err != nil {
			t.Fatal(err)
		}
		files = append(files, out)
	}
	whole, err := RunExperiment(context.Background(), ExperimentRun{Spec: tinySpec(t), Workers: 1, Note: func(string) {}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := MergeFiles(files, nil)
	if err != nil || res.Agg.Reps() != 3 || res.Wall <= 0 {
		t.Fatalf("merged %+v, %v", res, err)
	}
	w, _ := whole.Agg.Stat(0, "exchange.revenue")
	m, _ := res.Agg.Stat(0, "exchange.revenue")
	if w != m {
		t.Errorf("merged revenue %+v, on one machine %+v", m, w)
	}
	if _, err := MergeFiles(files[:1], nil); err == nil {
		t.Error("a missing shard merged")
	}
	if _, err := MergeFiles([]string{filepath.Join(dir, "none.jsonl")}, nil); err == nil {
		t.Error("a missing file merged")
	}
}

// aggOf is a result of points over 3 replications, the revenue at point p
// of replication r being ys[p]+r; paired for a comparison.
func aggOf(spec *experiment.Spec, paired bool, ys ...float64) *experiment.Result {
	agg := experiment.NewAgg(len(ys), paired)
	for r := range 3 {
		for p, y := range ys {
			agg.Add(experiment.Item{Index: r*len(ys) + p, Point: p, Rep: r, Values: experiment.Values{"exchange.revenue": y + float64(r)}})
		}
	}
	return &experiment.Result{Spec: spec, Agg: agg}
}

// TestCompareAndSweepEmission checks what compare and sweep write: the
// comparison and its table, and the sweep's CSV and table with the chart
// below it when there is one.
func TestCompareAndSweepEmission(t *testing.T) {
	res := aggOf(&experiment.Spec{Command: "compare", Scenario: "s", Metrics: []string{"exchange.revenue"},
		Points: []experiment.PointSpec{{Name: "s"}, {Name: "s"}}}, true, 10, 12)
	e, out := CompareEmission(res, 0, CompareView{})
	if e.Tree.(experiment.Comparison).Replications != 3 || e.Table() != (CompareView{}).Table(out) || e.CSV != nil {
		t.Errorf("compare: %+v", e)
	}
	sweep := &experiment.Spec{Command: "sweep", Scenario: "s", Metrics: []string{"exchange.revenue"},
		Vary: []experiment.Vary{{Path: "exchange.floor", Values: []string{"0", "1"}}}}
	res = aggOf(sweep, false, 10, 12)
	e = SweepEmission(res, 0, func() string { return "CHART\n" })
	var csv bytes.Buffer
	if err := e.CSV(&csv); err != nil || !strings.Contains(csv.String(), "exchange.floor") {
		t.Errorf("csv %q, %v", csv.String(), err)
	}
	if table := e.Table(); !strings.HasPrefix(table, SweepTable(res)) || !strings.HasSuffix(table, "CHART\n") {
		t.Errorf("table:\n%s", table)
	}
	if SweepEmission(res, 0, nil).Table() != SweepTable(res) {
		t.Error("a chart without a terminal")
	}
}

// TestSweepTableOneReplication: a sweep of one replication a point (cut
// short after the first) says "1 replication a point", not "1
// replications".
func TestSweepTableOneReplication(t *testing.T) {
	spec := &experiment.Spec{Command: "sweep", Scenario: "s", Metrics: []string{"exchange.revenue"},
		Vary: []experiment.Vary{{Path: "exchange.floor", Values: []string{"0", "1"}}}, Points: []experiment.PointSpec{{Values: []string{"0"}}, {Values: []string{"1"}}}}
	agg := experiment.NewAgg(2, false)
	for p := range 2 {
		agg.Add(experiment.Item{Index: p, Point: p, Values: experiment.Values{"exchange.revenue": 1}})
	}
	res := &experiment.Result{Spec: spec, Agg: agg, Partial: true}
	if table := SweepTable(res); !strings.Contains(table, "sweep of exchange.floor, 1 replication a point (seed") {
		t.Errorf("table:\n%s", table)
	}
}
