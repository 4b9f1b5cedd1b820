package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// TestRepsSpec checks run --reps's experiment: a budgeted world's
// budgets scaled with a shortened horizon, --no-scale keeping them, the
// metrics picked, and the refusals.
func TestRepsSpec(t *testing.T) {
	f := &ExpOptions{Reps: 3, Duration: 120e9, Given: map[string]bool{"duration": true}}
	sets := f.BaseSets(nil, nil)
	spec, picked, scale, err := f.RepsSpec(textOf(t, "budget-split"), nil, sets, false)
	if err != nil || spec.Reps != 3 || len(spec.Points) != 1 || picked != nil || !(scale.Factor > 0 && scale.Factor < 1) {
		t.Fatalf("spec %+v, picked %v, scale %+v, %v", spec, picked, scale, err)
	}
	if !strings.Contains(strings.Join(spec.Sets, " "), "budget") {
		t.Errorf("budgets not scaled: sets %q", spec.Sets)
	}
	whole, _, scale, err := f.RepsSpec(textOf(t, "budget-split"), nil, sets, true)
	if err != nil || scale.Factor != 1 || strings.Contains(strings.Join(whole.Sets, " "), "budget") {
		t.Errorf("--no-scale: sets %q, scale %+v, %v", whole.Sets, scale, err)
	}
	f.Metrics = "exchange.revenue, exchange.fill_rate"
	if _, picked, _, err := f.RepsSpec(textOf(t, "timeout-demo"), nil, nil, false); err != nil || len(picked) != 2 {
		t.Errorf("--metrics: picked %v, %v", picked, err)
	}
	f.Metrics = " , "
	_, _, _, err = f.RepsSpec(textOf(t, "timeout-demo"), nil, nil, false)
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Option() != "--metrics" {
		t.Errorf("--metrics naming none: %v", err)
	}
	var le LoadError
	if _, _, _, err := f.RepsSpec(badText(t), nil, []scenarios.Set{}, false); !errors.As(err, &le) {
		t.Errorf("unknown scenario: %v, want a LoadError", err)
	}
}

// TestShortenRun checks a single run's stop: untouched without
// --auctions or --duration, stopped (and its budgets scaled) with them.
func TestShortenRun(t *testing.T) {
	pick := scenarios.Pick{Name: "budget-split"}
	sc, err := pick.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if got, scale, err := (&ExpOptions{}).ShortenRun(pick, sc, false); got != sc || scale.Factor != 1 || err != nil {
		t.Errorf("no stop: %v, %+v, %v", got == sc, scale, err)
	}
	f := &ExpOptions{Duration: 120e9, Given: map[string]bool{"duration": true}}
	short, scale, err := f.ShortenRun(pick, sc, false)
	if err != nil || short.Stop.Duration != 120*1e9 || !(scale.Factor > 0 && scale.Factor < 1) {
		t.Errorf("--duration 2m: stop %+v, scale %+v, %v", short.Stop, scale, err)
	}
	if _, scale, err := f.ShortenRun(pick, sc, true); err != nil || scale.Factor != 1 {
		t.Errorf("--no-scale: %+v, %v", scale, err)
	}
}
