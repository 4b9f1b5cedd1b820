package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestCompareOptionsCheck checks compare's refusals, each an OptionError
// naming its flag ("" for the arguments), and --precision as a share.
func TestCompareOptionsCheck(t *testing.T) {
	change := scenarios.SetFlag{Flag: "--change"}
	if err := change.Set("exchange.tmax=80ms"); err != nil {
		t.Fatal(err)
	}
	seed := scenarios.SetFlag{Flag: "--change"}
	if err := seed.Set("seed=3"); err != nil {
		t.Fatal(err)
	}
	twice := scenarios.SetFlag{Flag: "--change"}
	for _, v := range []string{"exchange.floor=1.5", "exchange.tmax=80ms", "exchange.floor=0.1"} {
		if err := twice.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	exp := &ExpOptions{Reps: 20}
	for _, c := range []struct {
		o    CompareOptions
		args []string
		flag string
		want string
	}{
		{CompareOptions{Variants: []string{"a:x=1"}}, []string{"b", "c"}, "--variant", "--variant compares named variants of one BASE"},
		{CompareOptions{Variants: []string{"a:x=1"}, Moves: []string{"a:b=1"}}, []string{"b"}, "--variant", "--variant carries its own changes"},
		{CompareOptions{Variants: []string{"a:x=1"}, Precision: "1%"}, []string{"b"}, "--precision", "--precision follows one variant"},
		{CompareOptions{Moves: []string{"a:b=1"}}, nil, "--move", "give the baseline scenario whose budgets --move moves"},
		{CompareOptions{}, nil, "", "give the baseline scenario, and a variant"},
		{CompareOptions{}, []string{"a", "b", "c"}, "", `unexpected argument "c"`},
		{CompareOptions{Moves: []string{"a:b=1"}}, []string{"a", "b"}, "--move", "--move moves budget in BASE's variant"},
		{CompareOptions{}, []string{"a"}, "--change", "give a variant: a second scenario, or --change"},
		{CompareOptions{Change: seed}, []string{"a"}, "--change", "--change seed=...: both sides run"},
		{CompareOptions{Change: twice}, []string{"a"}, "--change", "--change exchange.floor is given twice (1.5 and 0.1)"},
		{CompareOptions{Change: change, Precision: "0%"}, []string{"a"}, "--precision", "--precision 0%: want a percentage > 0"},
		{CompareOptions{Change: change, Precision: "1%", MaxReps: 10}, []string{"a"}, "--max-reps", "--max-reps 10 is below --reps 20"},
	} {
		_, err := c.o.Check(c.args, exp)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option() != c.flag || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v %q: %v; want %q refused: %q", c.o, c.args, err, c.flag, c.want)
		}
	}
	shard := &ExpOptions{Reps: 2, Shard: "0/2"}
	if _, err := (&CompareOptions{Change: change, Precision: "1%", MaxReps: 10}).Check([]string{"a"}, shard); err == nil || !strings.Contains(err.Error(), "cannot run in shards") {
		t.Errorf("--precision with --shard: %v", err)
	}
	target, err := (&CompareOptions{Change: change, Precision: " 2.5% ", MaxReps: 100}).Check([]string{"a"}, exp)
	if err != nil || target != 0.025 {
		t.Errorf("--precision 2.5%%: %v, %v", target, err)
	}
}

// TestCompareOptionsExperiment checks the experiment compare runs: the
// variant of a change, its replications and headline metric, and an
// unknown --metric refused naming the flag.
func TestCompareOptionsExperiment(t *testing.T) {
	change := scenarios.SetFlag{Flag: "--change"}
	if err := change.Set("exchange.tmax=80ms"); err != nil {
		t.Fatal(err)
	}
	o := CompareOptions{Change: change, Metric: "exchange.revenue"}
	spec, _, err := o.Experiment([]scenarios.Text{textOf(t, "timeout-demo")}, nil, 1, 7)
	if err != nil || spec.Reps != 7 || len(spec.Points) != 2 || spec.Metrics[0] != "exchange.revenue" {
		t.Fatalf("spec %+v, %v", spec, err)
	}
	o.Metric = "exchange.revenu"
	_, _, err = o.Experiment([]scenarios.Text{textOf(t, "timeout-demo")}, nil, 1, 7)
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Option() != "--metric" || !strings.HasPrefix(err.Error(), "--metric: ") {
		t.Errorf("unknown metric: %v", err)
	}
	var le LoadError
	if _, _, err := o.Experiment([]scenarios.Text{badText(t)}, nil, 1, 7); !errors.As(err, &le) {
		t.Errorf("unknown scenario: %v, want a LoadError", err)
	}
}

// TestMoveMetric: a move's headline is the incremental value of FROM's
// group, else TO's; none for ungrouped bidders or a move that does not
// read.
func TestMoveMetric(t *testing.T) {
	cfg := sim.Config{Bidders: []sim.BidderConfig{{Name: "a", Group: "acme"}, {Name: "b", Group: "acme"}, {Name: "solo"}, {Name: "other"}}}
	for move, want := range map[string]string{
		"a:b=10":          "groups.acme.eventual.incremental_value",
		"solo:a=10":       "groups.acme.eventual.incremental_value",
		"solo:other=10":   "",
		"not a move":      "",
		"a:nobody=10":     "groups.acme.eventual.incremental_value",
		"nobody:solo=1.5": "",
	} {
		if got := MoveMetric(cfg, move); got != want {
			t.Errorf("%q: %q, want %q", move, got, want)
		}
	}
}

// TestChangeMetric: changes of one group's budgets alone (split's
// recommended split pasted as --change) lead with the group's
// incremental value, as the --move they amount to does; any other
// change, a second group or an ungrouped bidder keeps the default.
func TestChangeMetric(t *testing.T) {
	cfg := sim.Config{Bidders: []sim.BidderConfig{{Name: "a", Group: "acme"}, {Name: "b", Group: "acme"}, {Name: "c", Group: "zeta"}, {Name: "solo"}}}
	set := func(paths ...string) []scenarios.Set {
		var out []scenarios.Set
		for _, p := range paths {
			out = append(out, scenarios.Set{Path: p, Value: "1", Flag: "--change"})
		}
		return out
	}
	for _, c := range []struct {
		changes []scenarios.Set
		want    string
	}{
		{set("bidders.a.budget.total", "bidders.b.budget.total"), "groups.acme.eventual.incremental_value"},
		{set("bidders.a.budget.daily", "bidders.b.budget"), "groups.acme.eventual.incremental_value"},
		{set("bidders.a.budget.total", "exchange.floor"), ""},
		{set("bidders.a.budget.total", "bidders.c.budget.total"), ""},
		{set("bidders.solo.budget.total"), ""},
		{set("bidders.a.budgeted"), ""},
		{set("bidders.a.value"), ""},
		{nil, ""},
	} {
		if got := ChangeMetric(cfg, c.changes); got != c.want {
			t.Errorf("%v: %q, want %q", c.changes, got, c.want)
		}
	}
	// Through Experiment, as compare runs it: split's flags pasted.
	o := CompareOptions{Metric: "exchange.revenue"}
	o.Change.List = []scenarios.Set{{Path: "bidders.acme-retarget.budget.total", Value: "0"}, {Path: "bidders.acme-prospect.budget.total", Value: "460"}}
	spec, _, err := o.Experiment([]scenarios.Text{textOf(t, "budget-split")}, nil, 1, 2)
	if err != nil || spec.Metrics[0] != "groups.acme.eventual.incremental_value" {
		t.Errorf("split's flags pasted: headline %v (%v), want groups.acme.eventual.incremental_value", spec.Metrics, err)
	}
	o = CompareOptions{Metric: "exchange.revenue", MetricGiven: true}
	o.Change.List = []scenarios.Set{{Path: "bidders.acme-retarget.budget.total", Value: "0"}}
	if spec, _, err := o.Experiment([]scenarios.Text{textOf(t, "budget-split")}, nil, 1, 2); err != nil || spec.Metrics[0] != "exchange.revenue" {
		t.Errorf("--metric given: headline %v (%v), want exchange.revenue", spec.Metrics, err)
	}
}

// TestVariantsMetric: named variants that each change one group's
// budgets alone (splits compared side by side, as the README's
// budget-split example does) lead with the group's incremental value, as
// one of them given by --change does; a variant changing anything else,
// another group, or --metric given keeps the default.
func TestVariantsMetric(t *testing.T) {
	cfg := sim.Config{Bidders: []sim.BidderConfig{{Name: "a", Group: "acme"}, {Name: "b", Group: "acme"}, {Name: "c", Group: "zeta"}, {Name: "solo"}}}
	for _, c := range []struct {
		variants []string
		want     string
	}{
		{[]string{"x:bidders.a.budget.total=1,bidders.b.budget.total=2", "y:bidders.a.budget={total: 0},bidders.b.budget.daily=3"}, "groups.acme.eventual.incremental_value"},
		{[]string{"x:bidders.a.budget.total=1", "y:exchange.floor=0.2"}, ""},
		{[]string{"x:bidders.a.budget.total=1", "y:bidders.c.budget.total=1"}, ""},
		{[]string{"x:bidders.solo.budget.total=1"}, ""},
		{[]string{"not a variant"}, ""},
	} {
		if got := VariantsMetric(cfg, c.variants); got != c.want {
			t.Errorf("%q: %q, want %q", c.variants, got, c.want)
		}
	}
	// Through Experiment, as compare runs it: the README's example.
	o := CompareOptions{Metric: "exchange.revenue", Variants: []string{
		"a:bidders.acme-retarget.budget.total=100,bidders.acme-prospect.budget.total=300",
		"b:bidders.acme-retarget.budget.total=20,bidders.acme-prospect.budget.total=470,bidders.acme-lookalike.budget.total=110",
	}}
	spec, _, err := o.Experiment([]scenarios.Text{textOf(t, "budget-split")}, nil, 1, 2)
	if err != nil || spec.Metrics[0] != "groups.acme.eventual.incremental_value" {
		t.Errorf("named splits: headline %v (%v), want groups.acme.eventual.incremental_value", spec.Metrics, err)
	}
	o.Metric, o.MetricGiven = "exchange.revenue", true
	if spec, _, err := o.Experiment([]scenarios.Text{textOf(t, "budget-split")}, nil, 1, 2); err != nil || spec.Metrics[0] != "exchange.revenue" {
		t.Errorf("--metric given: headline %v (%v), want exchange.revenue", spec.Metrics, err)
	}
}
