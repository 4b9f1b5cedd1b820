package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// saturating is accepted (validate says ok) yet its order values of 10⁹
// over a hundred conversions pass the largest total Money holds.
const saturating = "../../scenarios/testdata/saturate.yaml"

// A run whose money saturated says so: validate accepts the world, run
// warns on stderr and under its table, --json names the totals, and
// run --reps warns too; a calm world says nothing of it.
func TestSaturationIsNotSilent(t *testing.T) {
	file := saturating
	if r := run(t, "", "validate", file); r.code != exitOK {
		t.Fatalf("validate: exit %d, %s", r.code, r.stderr)
	}
	r := run(t, "", "run", "-s", file)
	if r.code != exitOK || !strings.Contains(r.stderr, "warning: money passed") || !strings.Contains(r.stderr, "bidders.big.incremental_value") {
		t.Errorf("run: exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "Note: money passed") {
		t.Errorf("run: no note under the table:\n%s", r.stdout)
	}
	r = run(t, "", "run", "--json", "-s", file)
	var out struct {
		Saturated []string `json:"saturated"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || !slices.Contains(out.Saturated, "bidders.big.incremental_value") {
		t.Errorf("run --json: saturated %q (%v)", out.Saturated, err)
	}
	r = run(t, "", "run", "--reps", "2", "-s", file)
	if r.code != exitOK || !strings.Contains(r.stderr, "in up to 2 of 2 replications money passed") {
		t.Errorf("run --reps: exit %d, stderr %q", r.code, r.stderr)
	}
	calm := run(t, "", "run", "--auctions", "2000", "-s", "first-vs-second")
	if calm.code != exitOK || strings.Contains(calm.stderr+calm.stdout, "money passed") {
		t.Errorf("a calm run warns: exit %d, stderr %q", calm.code, calm.stderr)
	}
}
