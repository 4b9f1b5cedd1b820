package report

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// TestCompareSpec checks compare's points: the variant changed and its
// budgets moved, both scaled alike; and a scenario that does not resolve
// given as a LoadError.
func TestCompareSpec(t *testing.T) {
	sets := []scenarios.Set{{Path: "stop", Value: "{duration: 2m}"}}
	changes := []scenarios.Set{{Path: "exchange.floor", Value: "0.2", Flag: "--change"}}
	spec, bsc, err := CompareSpec(textOf(t, "budget-split"), textOf(t, "budget-split"), sets, changes, []string{"acme-retarget:acme-prospect=50"}, 0.2)
	if err != nil || bsc.Name != "budget-split" || len(spec.Points) != 2 {
		t.Fatalf("%+v %v", spec, err)
	}
	if strings.Join(spec.Changes, " ") != "exchange.floor=0.2 bidders.acme-retarget.budget.total=150 bidders.acme-prospect.budget.total=250" {
		t.Errorf("changes %q", spec.Changes)
	}
	pts, err := Points(spec)
	if err != nil {
		t.Fatal(err)
	}
	budget := func(p experiment.Point, name string) float64 {
		for _, b := range p.Config.Bidders {
			if b.Name == name {
				return b.Budget.Total.Float()
			}
		}
		return -1
	}
	if budget(pts[0], "acme-retarget") != 40 || budget(pts[1], "acme-retarget") != 30 || budget(pts[1], "acme-prospect") != 50 || pts[1].Config.Exchange.Floor != sim.PriceOf(0.2) {
		t.Errorf("budgets %v %v %v, floor %v", budget(pts[0], "acme-retarget"), budget(pts[1], "acme-retarget"), budget(pts[1], "acme-prospect"), pts[1].Config.Exchange.Floor)
	}
	var le LoadError
	if _, _, err := CompareSpec(badText(t), badText(t), nil, nil, nil, 1); !errors.As(err, &le) {
		t.Errorf("an unknown base: %v", err)
	}
}

// TestCompareSpecSameName checks that two scenario files with the same
// name are told apart by their files, while one scenario against itself
// changed keeps its name.
func TestCompareSpecSameName(t *testing.T) {
	src, err := scenarios.Source("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "plan.yaml"), filepath.Join(dir, "plan2.yaml")
	for _, f := range []string{a, b} {
		if err := os.WriteFile(f, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	spec, _, err := CompareSpec(textOf(t, a), textOf(t, b), nil, nil, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if spec.Points[0].Name != "timeout-demo ("+a+")" || spec.Points[1].Name != "timeout-demo ("+b+")" {
		t.Errorf("points named %q and %q: want each told by its file", spec.Points[0].Name, spec.Points[1].Name)
	}
	spec, _, err = CompareSpec(textOf(t, a), textOf(t, a), nil, []scenarios.Set{{Path: "exchange.floor", Value: "0.2", Flag: "--change"}}, nil, 1)
	if err != nil || spec.Points[0].Name != "timeout-demo" || spec.Points[1].Name != "timeout-demo" {
		t.Errorf("one file against itself changed: %v, %+v", err, spec)
	}
}

// TestVariantsSpec checks named variants paired against the base, and a
// name given twice refused.
func TestVariantsSpec(t *testing.T) {
	spec, _, err := VariantsSpec(textOf(t, "timeout-demo"), nil, []string{"cut:exchange.tmax=80ms", "low:exchange.floor=0.05"}, 1)
	if err != nil || len(spec.Points) != 3 || spec.Points[1].Variant != "cut" || spec.Points[2].Changes[0] != "exchange.floor=0.05" {
		t.Fatalf("%+v %v", spec, err)
	}
	if _, _, err := VariantsSpec(textOf(t, "timeout-demo"), nil, []string{"a:exchange.tmax=80ms", "a:exchange.floor=0.2"}, 1); err == nil || !strings.Contains(err.Error(), "a second variant of that name") {
		t.Errorf("a name twice: %v", err)
	}
	if _, _, err := VariantsSpec(textOf(t, "timeout-demo"), nil, []string{"a:exchange.floor=1,exchange.floor=2"}, 1); err == nil || !strings.Contains(err.Error(), "--variant a: exchange.floor is given twice (1 and 2)") {
		t.Errorf("a path twice in a variant: %v", err)
	}
}

// TestSweepSpec checks the grid's points in order with their values,
// and the metrics checked with a did-you-mean.
func TestSweepSpec(t *testing.T) {
	vary := []experiment.Vary{{Path: "exchange.floor", Values: []string{"0", "0.5"}}, {Path: "exchange.tmax", Values: []string{"80ms", "100ms"}}}
	spec, err := SweepSpec(textOf(t, "reserve-price"), nil, vary, []string{"exchange.revenue"}, 1)
	if err != nil || len(spec.Points) != 4 || strings.Join(spec.Points[1].Values, ",") != "0,100ms" || spec.Scenario != "reserve-price" {
		t.Fatalf("%+v %v", spec, err)
	}
	if _, err := SweepSpec(textOf(t, "reserve-price"), nil, vary, []string{"exchange.revenu"}, 1); err == nil || !strings.Contains(err.Error(), "did you mean exchange.revenue") {
		t.Errorf("a misspelt metric: %v", err)
	}
	var le LoadError
	if _, err := SweepSpec(textOf(t, "reserve-price"), nil, []experiment.Vary{{Path: "exchange.flor", Values: []string{"1"}}}, nil, 1); !errors.As(err, &le) {
		t.Errorf("an unknown field: %v", err)
	}
	view, err := MetricsView(PointOf(mustResolve(t, "reserve-price")), " exchange.revenue, ,exchange.fill_rate")
	if err != nil || strings.Join(view.Metrics, ",") != "exchange.revenue,exchange.fill_rate" {
		t.Errorf("view %+v %v", view, err)
	}
}

func mustResolve(t *testing.T, name string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Resolve(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestSplitInterrupted checks what stderr is told of a split search cut
// short: nothing decided, or the split reached, member by member.
func TestSplitInterrupted(t *testing.T) {
	s := &split.Search{Members: []string{"a", "b"}}
	if got := SplitInterrupted(s); got != "interrupted before the first move was decided; no recommendation" {
		t.Errorf("no round: %q", got)
	}
	s.Rounds, s.Reached = 2, []split.Cents{15000, 4550}
	if got := SplitInterrupted(s); got != "interrupted after 2 rounds; the split reached so far, not checked on fresh replications: a 150.00, b 45.50" {
		t.Errorf("two rounds: %q", got)
	}
	// A search of daily budgets says so, and gives the split reached as
	// --set flags to try.
	d := dailySearch(t)
	d.Rounds, d.Reached = 1, []split.Cents{5000, 0}
	if got := SplitInterrupted(d); got != "interrupted after 1 round; the split of the daily budgets reached so far, not checked on fresh replications: a 50.00, b 0.00\n"+
		"  to try it: --set bidders.a.budget.daily=50 --set 'bidders.b.budget={total: 0}'" {
		t.Errorf("daily: %q", got)
	}
}

// TestSplitPartial checks the JSON split --json writes when cut short:
// partial, the rounds, and the split reached with its --set flags; none
// before the first move.
func TestSplitPartial(t *testing.T) {
	d := dailySearch(t)
	encode := func() string {
		var b strings.Builder
		if err := EncodeJSON(&b, NewSplitPartial(d, "incremental_value")); err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(b.String()), " ")
	}
	if got, want := encode(), `{ "partial": true, "group": "g", "budget": "daily", "objective": "incremental_value", "rounds": 0, "reached": null }`; got != want {
		t.Errorf("no round:\n%s\nwant\n%s", got, want)
	}
	d.Rounds, d.Reached = 1, []split.Cents{5000, 0}
	want := `{ "partial": true, "group": "g", "budget": "daily", "objective": "incremental_value", "rounds": 1, "reached": { "budgets": { "a": 50, "b": 0 }, "set": [ "bidders.a.budget.daily=50", "bidders.b.budget={total: 0}" ] } }`
	if got := encode(); got != want {
		t.Errorf("a round:\n%s\nwant\n%s", got, want)
	}
}

// TestSplitPartialScaled: an interrupted search whose totals were scaled
// with a shortened horizon says the scale its "set" divides the
// "budgets" by, as the whole result does.
func TestSplitPartialScaled(t *testing.T) {
	sc, err := scenarios.Parse("t.yaml", []byte(`name: t
stop: {duration: 10m}
traffic: {qps: 1}
exchange: {tmax: 100ms}
bidders:
  - {name: a, group: g, value: 1, budget: {total: 30}}
  - {name: b, group: g, value: 1, budget: {total: 20}}
`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := split.New(PointOf(sc), "g", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	s.SetScale = 0.5
	s.Rounds, s.Reached = 1, []split.Cents{5000, 0}
	var b strings.Builder
	if err := EncodeJSON(&b, NewSplitPartial(s, "incremental_value")); err != nil {
		t.Fatal(err)
	}
	var out struct {
		SetScale float64 `json:"set_scale"`
		Reached  struct{ Set []string }
	}
	if err := json.Unmarshal([]byte(b.String()), &out); err != nil {
		t.Fatal(err)
	}
	if out.SetScale != 0.5 || len(out.Reached.Set) == 0 || out.Reached.Set[0] != "bidders.a.budget.total=100" {
		t.Errorf("set_scale %v, set %q: want 0.5 and a's 50 ÷ 0.5 = 100\n%s", out.SetScale, out.Reached.Set, b.String())
	}
}

// dailySearch is the search of a group of two daily budgets, 30 and 20.
func dailySearch(t *testing.T) *split.Search {
	t.Helper()
	sc, err := scenarios.Parse("d.yaml", []byte(`name: d
stop: {duration: 48h}
traffic: {qps: 1}
exchange: {tmax: 100ms}
bidders:
  - {name: a, group: g, value: 1, budget: {daily: 30}}
  - {name: b, group: g, value: 1, budget: {daily: 20}}
`))
	if err != nil {
		t.Fatal(err)
	}
	d, err := split.New(PointOf(sc), "g", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	return d
}
