package main

import (
	"strings"
	"testing"
)

// TestMetricsRepeatedRefused checks that every command taking --metrics
// refuses a name given twice (exit 2, naming it), as --vary refuses a
// value twice: before, the tables printed its row twice and the JSON
// once.
func TestMetricsRepeatedRefused(t *testing.T) {
	const twice = "exchange.revenue,exchange.fill_rate,exchange.revenue"
	for _, args := range [][]string{
		{"run", "-s", "classroom-vickrey", "--auctions", "200", "--reps", "2"},
		{"sweep", "-s", "classroom-vickrey", "--auctions", "200", "--reps", "2", "--vary", "exchange.floor=0,0.5"},
		{"compare", "classroom-vickrey", "--auctions", "200", "--reps", "2", "--change", "exchange.floor=0.5"},
		{"split", "-s", "budget-split", "--group", "acme", "--auctions", "200", "--reps", "2"},
	} {
		args := append(args, "--metrics", twice)
		r := inProcess(args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "--metrics") || !strings.Contains(r.stderr, "the metric exchange.revenue twice") || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 naming exchange.revenue, nothing run", args, r.code, r.stdout, r.stderr)
		}
	}
}
