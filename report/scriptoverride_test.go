package report

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// TestScriptOverrides: a path an experiment varies that timeout-story's
// script sets again during the run (exchange.tmax at 1m0s, metro's
// latency at 30s) is warned of, a part of the field and every bidder
// (bidders.*) included; a path the script leaves alone, or the script
// left out, is not.
func TestScriptOverrides(t *testing.T) {
	noScript := []scenarios.Set{{Path: "script", Value: "[]"}}
	for _, c := range []struct {
		sets  []scenarios.Set
		paths []string
		want  []string // what each warning says, in order
	}{
		{nil, []string{"exchange.tmax"}, []string{"sets exchange.tmax=350ms at 1m0s", "whatever --vary exchange.tmax gives (--no-script leaves the script out)"}},
		{nil, []string{"bidders.metro.latency.median"}, []string{"sets bidders.metro.latency={dist: lognormal, median: 160ms, p99: 300ms} at 30s"}},
		{nil, []string{"bidders.*.latency"}, []string{"bidders.metro.latency="}},
		{nil, []string{"exchange.floor", "bidders.swift.latency", "bidders.metro.value"}, nil},
		{noScript, []string{"exchange.tmax"}, nil},
	} {
		got := ScriptOverrides(textOf(t, "timeout-story"), c.sets, "--vary", c.paths, "--no-script")
		if len(got) != min(len(c.want), 1) {
			t.Errorf("%v %v: %d warnings %q, want %d", c.sets, c.paths, len(got), got, min(len(c.want), 1))
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(got[0], w) {
				t.Errorf("%v %v: %q, want it to say %q", c.sets, c.paths, got[0], w)
			}
		}
	}
}
