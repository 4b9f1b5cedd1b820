package report

import (
	"errors"
	"strings"
	"testing"

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
	_, err := o.Check()
	refused(err, "--vary", "give at least one --vary")
	if err := o.Vary.Set("exchange.floor=0,0.1"); err != nil {
		t.Fatal(err)
	}
	if err := o.Vary.Set("exchange.floor=0.2"); err == nil || !strings.Contains(err.Error(), "exchange.floor is already varied") {
		t.Errorf("a path varied twice: %v", err)
	}
	_, err = o.Check()
	refused(err, "--metrics", "--metrics: give at least one metric")
	o.Metrics = " exchange.revenue, ,exchange.fill_rate"
	names, err := o.Check()
	if err != nil || strings.Join(names, " ") != "exchange.revenue exchange.fill_rate" {
		t.Errorf("metrics %q, %v", names, err)
	}
	spec, err := o.Spec(textOf(t, "reserve-price"), nil, names, 1, 3)
	if err != nil || spec.Reps != 3 || len(spec.Points) != 2 {
		t.Errorf("spec %+v, %v", spec, err)
	}
	seed := SweepOptions{Vary: VaryList{{Path: "seed", Values: []string{"1", "2"}}}, Metrics: "exchange.revenue"}
	_, err = seed.Check()
	refused(err, "--vary", "--vary seed=...")
	big := SweepOptions{Metrics: "exchange.revenue"}
	for _, p := range []string{"a", "b", "c", "d", "e"} {
		big.Vary = append(big.Vary, experiment.Vary{Path: p, Values: make([]string, 10)})
	}
	_, err = big.Check()
	refused(err, "--vary", "the grid has more than")
}
