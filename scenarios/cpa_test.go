package scenarios

import (
	"strings"
	"testing"
)

// A target CPA must be > 0: a negative one is refused in those words, as
// 0 is, naming file, line and field (not "must be ≥ 0", the range of money
// in general), in a file and in a --set alike.
func TestCPAMustBePositive(t *testing.T) {
	const world = `name: cpa
stop: {duration: 10s}
traffic: {qps: 100}
exchange: {tmax: 100ms}
bidders:
  - name: goal
    value: 1
    outcome: {ctr: 0.1, cvr: 0.1}
    strategy: {kind: target_cpa, cpa: %s}
`
	for _, cpa := range []string{"-1", "0", "-0.5"} {
		_, err := Parse("cpa.yaml", []byte(strings.Replace(world, "%s", cpa, 1)))
		want := "cpa.yaml:9:39: bidders[0].strategy.cpa: " + cpa + " must be > 0"
		if err == nil || err.Error() != want {
			t.Errorf("cpa %s: %v, want %q", cpa, err, want)
		}
	}
	_, _, err := ResolveWith("flight-week", []Set{{Path: "bidders.initech-cpa.strategy.cpa", Value: "-1", Flag: "--set"}})
	if err == nil || !strings.Contains(err.Error(), "strategy.cpa") || !strings.Contains(err.Error(), "-1 must be > 0") {
		t.Errorf("--set cpa=-1: %v", err)
	}
}

// TestCPABelowMoney: a target CPA above 0 as written but below the
// smallest amount of money rounds to none; it is refused saying so, not
// as "0 must be > 0" of a value the user never wrote.
func TestCPABelowMoney(t *testing.T) {
	for _, cpa := range []string{"0.0000000001", "1e-300"} {
		_, _, err := ResolveWith("flight-week", []Set{{Path: "bidders.initech-cpa.strategy.cpa", Value: cpa, Flag: "--set"}})
		want := cpa + " is less than the smallest amount of currency, 0.000000001"
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "0 must be > 0") {
			t.Errorf("cpa %s: %v; want %q", cpa, err, want)
		}
	}
}
