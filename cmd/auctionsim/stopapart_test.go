package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stopApartYAML stops by auctions, which at --set traffic.qps=0.001 would
// take about 31.7 years: too long a run, but only if that stop runs.
// Its group has budgets, so that the experiments scale them by the
// horizon the file's stop plans (report.HorizonScale).
const stopApartYAML = `name: stop-apart
seed: 1
stop: {auctions: 1000000}
traffic: {qps: 1000}
exchange: {auction: second-price, tmax: 120ms, floor: 0.1}
bidders:
  - {name: a, group: g, value: 2, latency: {dist: constant, value: 10ms}, budget: {total: 100, pacing: throttle}}
  - {name: b, group: g, value: 1.5, latency: {dist: constant, value: 10ms}, budget: {total: 100, pacing: throttle}}
`

// TestStopFlagsReplaceFileStop checks that --duration replaces the
// file's stop before any stop is checked, in every command the same
// way: the file's stop.auctions at the new rate would be refused, the
// stop that runs (a year, about 31,500 auctions) is not. Without
// --duration the file's stop runs, and is refused.
func TestStopFlagsReplaceFileStop(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "stop-apart.yaml")
	if err := os.WriteFile(file, []byte(stopApartYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	slow := []string{"--set", "traffic.qps=0.001"}
	stop := []string{"--duration", "8760h"}
	for _, args := range [][]string{
		{"run", "-s", file},
		{"run", "-s", file, "--reps", "2"},
		{"run", "-s", file, "--no-scale"},
		{"compare", file, "--change", "exchange.floor=0.2", "--reps", "2"},
		{"sweep", "-s", file, "--vary", "exchange.floor=0.1,0.2", "--reps", "2"},
		{"split", "-s", file, "--group", "g", "--step", "50%", "--reps", "2"},
	} {
		r := run(t, dir, append(append(args, slow...), stop...)...)
		if r.code != 0 {
			t.Errorf("%v --duration 8760h: exit %d, want 0\n%s", args, r.code, r.stderr)
		}
		if strings.Contains(r.stderr, "stop.auctions") {
			t.Errorf("%v: the file's stop was checked:\n%s", args, r.stderr)
		}
		r = run(t, dir, append(args, slow...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "stop.auctions") {
			t.Errorf("%v without --duration: exit %d, want 2 naming stop.auctions\n%s", args, r.code, r.stderr)
		}
	}
}
