package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deadApartYAML stops after a minute; its script's step is at 90m, meant
// for 90s: validate refuses it.
const deadApartYAML = `name: dead-apart
seed: 1
stop: {duration: 1m}
traffic: {qps: 100}
exchange: {tmax: 100ms}
bidders:
  - {name: a, value: {dist: uniform, min: 0, max: 1}}
  - {name: b, value: {dist: uniform, min: 0, max: 1}}
script:
  - {at: 90m, set: {exchange.floor: 0.5}}
`

// TestDeadStepStopApart: every command takes a file whose script has a
// step after its own stop the same way. A --duration that does not reach
// the step either (10s) is refused at the step's line, as validate
// refuses the file; run alone ran it, the step never applied, while
// compare and sweep refused it. A --duration that reaches it (2h) runs
// it; --no-script leaves the step out, and the file is not refused for it.
func TestDeadStepStopApart(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "dead.yaml")
	if err := os.WriteFile(file, []byte(deadApartYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	const want = "dead.yaml:10:10: script[0].at: 1h30m is after the run's stop"
	for _, args := range [][]string{
		{"run", "-s", file},
		{"run", "-s", file, "--reps", "2"},
		{"compare", file, "--change", "exchange.increment=0.01", "--reps", "2"},
		{"sweep", "-s", file, "--vary", "exchange.increment=0,0.01", "--reps", "2"},
	} {
		r := run(t, dir, append(args, "--duration", "10s")...)
		if r.code != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("%v --duration 10s: exit %d, want 2 with %q\n%s", args, r.code, want, r.stderr)
		}
		if r := run(t, dir, append(args, "--duration", "10s", "--no-script")...); r.code != 0 {
			t.Errorf("%v --duration 10s --no-script: exit %d, want 0\n%s", args, r.code, r.stderr)
		}
		if r := run(t, dir, append(args, "--no-script")...); r.code != 0 {
			t.Errorf("%v --no-script: exit %d, want 0\n%s", args, r.code, r.stderr)
		}
	}
	for _, args := range [][]string{
		{"run", "-s", file, "--duration", "2h", "--auctions", "1000"},
		{"run", "-s", file, "--reps", "2", "--duration", "2h", "--auctions", "1000"},
	} {
		if r := run(t, dir, args...); r.code != 0 {
			t.Errorf("%v: exit %d, want 0\n%s", args, r.code, r.stderr)
		}
	}
}
