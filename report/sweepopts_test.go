package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestSweepOptions checks --vary's list and sweep's refusals, each
// naming its flag.
func TestSweepOptions(t *testing.T) {
	refused := func(err error, flag, want string) {
		t.Helper()
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option() != flag || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%v; want %s refused: %q", err, flag, want)
		}
	}
	var o SweepOptions
	_, err := o.Check(nil)
	refused(err, "--vary", "give at least one --vary")
	if err := o.Vary.Set("exchange.floor=0,0.1"); err != nil {
		t.Fatal(err)
	}
	if err := o.Vary.Set("exchange.floor=0.2"); err == nil || !strings.Contains(err.Error(), "exchange.floor is already varied") {
		t.Errorf("a path varied twice: %v", err)
	}
	_, err = o.Check(nil)
	refused(err, "--metrics", "--metrics: give at least one metric")
	o.Metrics = " exchange.revenue, ,exchange.fill_rate"
	names, err := o.Check(nil)
	if err != nil || strings.Join(names, " ") != "exchange.revenue exchange.fill_rate" {
		t.Errorf("metrics %q, %v", names, err)
	}
	spec, err := o.Spec(textOf(t, "reserve-price"), nil, names, 1, 3)
	if err != nil || spec.Reps != 3 || len(spec.Points) != 2 {
		t.Errorf("spec %+v, %v", spec, err)
	}
	seed := SweepOptions{Vary: VaryList{{Path: "seed", Values: []string{"1", "2"}}}, Metrics: "exchange.revenue"}
	_, err = seed.Check(nil)
	refused(err, "--vary", "--vary seed=...")
	big := SweepOptions{Metrics: "exchange.revenue"}
	for _, p := range []string{"a", "b", "c", "d", "e"} {
		big.Vary = append(big.Vary, experiment.Vary{Path: p, Values: make([]string, 10)})
	}
	_, err = big.Check(nil)
	refused(err, "--vary", "the grid has more than")
}

// TestVariedStopRefused: a stop varied (sweep) or changed (compare)
// beside --auctions or --duration is refused, naming both: the flag sets
// every run's stop and scales the budgets to its share of the horizon,
// and the points used to run to their own stops with the budgets scaled
// to the flag's (--vary stop.auctions=100,200 --auctions 500: budgets at
// 0.05 of the scenario's, runs of a fifth and two fifths of that).
func TestVariedStopRefused(t *testing.T) {
	exp := func(flags ...string) *ExpOptions {
		f := &ExpOptions{Given: map[string]bool{}}
		for _, g := range flags {
			f.Given[g] = true
		}
		return f
	}
	for _, c := range []struct {
		path, flag string
		refused    bool
	}{
		{"stop.auctions", "auctions", true},
		{"stop.duration", "auctions", true},
		{"stop", "duration", true},
		{"stop.auctions", "", false}, // the points' own stops, nothing scaled
		{"exchange.floor", "auctions", false},
		{"stopx", "auctions", false},
	} {
		var f *ExpOptions
		if c.flag != "" {
			f = exp(c.flag)
		}
		sweep := SweepOptions{Vary: VaryList{{Path: c.path, Values: []string{"1", "2"}}}, Metrics: "exchange.revenue"}
		_, err := sweep.Check(f)
		compare := CompareOptions{Change: scenarios.SetFlag{List: []scenarios.Set{{Path: c.path, Value: "1"}}}}
		_, cerr := compare.Check([]string{"base"}, f)
		variant := CompareOptions{Variants: []string{"v:" + c.path + "=1"}}
		_, verr := variant.Check([]string{"base"}, f)
		for flag, err := range map[string]error{"--vary": err, "--change": cerr, "--variant": verr} {
			want := flag + " " + c.path + ": --" + c.flag + " sets every run's stop"
			switch {
			case c.refused && (err == nil || !strings.Contains(err.Error(), want)):
				t.Errorf("%s %s with --%s: %v, want %q", flag, c.path, c.flag, err, want)
			case !c.refused && err != nil:
				t.Errorf("%s %s with %q: refused: %v", flag, c.path, c.flag, err)
			}
		}
	}
}
