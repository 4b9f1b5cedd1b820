package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// The experiments' JSON names what saturated as a run's does, a
// "saturated" list of metric names (stderr warned before, the JSON said
// nothing): run --reps (whole and --metrics), compare, sweep (and each
// point), split; stderr warns of them; a calm experiment has no such key.
func TestExperimentJSONSaturated(t *testing.T) {
	file := saturating
	const name = "bidders.big.incremental_value"
	type sat struct {
		Saturated []string `json:"saturated"`
		Points    []struct {
			Saturated []string `json:"saturated"`
		} `json:"points"`
	}
	for _, args := range [][]string{
		{"run", "-s", file, "--reps", "2", "--json"},
		{"run", "-s", file, "--reps", "2", "--metrics", "exchange.revenue", "--json"},
		{"compare", file, "--change", "exchange.tmax=80ms", "--reps", "2", "--json"},
		{"sweep", "-s", file, "--vary", "exchange.floor=0,0.1", "--reps", "2", "--json"},
		{"split", "-s", "../../sim/experiment/split/testdata/saturate.yaml", "--group", "g", "--reps", "2", "--json"},
	} {
		r := run(t, "", args...)
		var out sat
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != exitOK {
			t.Errorf("%q: exit %d, %v\n%s", args, r.code, err, r.stderr)
			continue
		}
		if !slices.Contains(out.Saturated, name) || !slices.IsSorted(out.Saturated) {
			t.Errorf("%q: saturated %q, want %s among them, sorted", args, out.Saturated, name)
		}
		if !strings.Contains(r.stderr, "warning: ") || !strings.Contains(r.stderr, name) {
			t.Errorf("%q: stderr does not warn of %s:\n%s", args, name, r.stderr)
		}
		for i, p := range out.Points {
			if !slices.Contains(p.Saturated, name) {
				t.Errorf("%q: point %d saturated %q", args, i, p.Saturated)
			}
		}
	}
	for _, args := range [][]string{
		{"run", "-s", "first-vs-second", "--auctions", "500", "--reps", "2", "--json"},
		{"compare", "first-vs-second", "--change", "exchange.floor=0.2", "--auctions", "500", "--reps", "2", "--json"},
		{"sweep", "-s", "first-vs-second", "--vary", "exchange.floor=0,0.2", "--auctions", "500", "--reps", "2", "--json"},
	} {
		r := run(t, "", args...)
		var top map[string]json.RawMessage
		if err := json.Unmarshal([]byte(r.stdout), &top); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if _, ok := top["saturated"]; ok {
			t.Errorf("%q: a \"saturated\" key in a calm experiment", args)
		}
	}
}
