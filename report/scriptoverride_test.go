package report

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// TestScriptOverrides: a path an experiment varies that timeout-story's
// script sets again during the run (exchange.tmax at 1m0s, metro's
// latency at 30s) is found, a part of the field and every bidder
// (bidders.*) included, with the set's line in the file; a path the
// script leaves alone, or the script left out, is not.
func TestScriptOverrides(t *testing.T) {
	src := textOf(t, "timeout-story")
	noScript := []scenarios.Set{{Path: "script", Value: "[]"}}
	for _, c := range []struct {
		sets  []scenarios.Set
		paths []string
		set   string   // what the script sets, "" for none found
		at    sim.Time // when
		line  string   // the line of the file it is set at
	}{
		{nil, []string{"exchange.tmax"}, "exchange.tmax=350ms", 60 * sim.Second, "set: {exchange.tmax: 350ms}"},
		{nil, []string{"bidders.metro.latency.median"}, "bidders.metro.latency={dist: lognormal, median: 160ms, p99: 300ms}", 30 * sim.Second, "set: {bidders.metro.latency:"},
		{nil, []string{"bidders.*.latency"}, "bidders.metro.latency=", 30 * sim.Second, "set: {bidders.metro.latency:"},
		{nil, []string{"exchange.floor", "bidders.swift.latency", "bidders.metro.value"}, "", 0, ""},
		{noScript, []string{"exchange.tmax"}, "", 0, ""},
	} {
		got := FindScriptOverrides(src, c.sets, "--vary", c.paths, "--no-script")
		if c.set == "" {
			if len(got) != 0 {
				t.Errorf("%v %v: %+v, want none", c.sets, c.paths, got)
			}
			continue
		}
		if len(got) != 1 {
			t.Errorf("%v %v: %d found %+v, want 1", c.sets, c.paths, len(got), got)
			continue
		}
		o := got[0]
		want := "timeout-story.yaml:" + lineOf(t, src, c.line)
		if !strings.HasPrefix(o.Set, c.set) || o.At != c.at || o.Where != want || o.Path != c.paths[0] || o.Flag != "--vary" {
			t.Errorf("%v: %+v, want %s at %v, at %s", c.paths, o, c.set, c.at, want)
		}
	}
}

// lineOf is the line of src's file that text is on, counted from 1.
func lineOf(t *testing.T, src scenarios.Text, text string) string {
	t.Helper()
	sc, _, err := src.Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(sc.YAML), text)
	if i < 0 {
		t.Fatalf("%q is not in the file", text)
	}
	return strconv.Itoa(strings.Count(string(sc.YAML[:i]), "\n") + 1)
}

// TestScriptOverrideLanding: an override refuses the experiment unless
// it comes in the last tenth of the runs, at their end, or, where the
// stop counts auctions, about when they stop (a run may go past it);
// after every run's end it is nothing. The refusal names the flag, the
// field, the file's line and the time, and how to go on; the note, how
// much of each run the script's value took.
func TestScriptOverrideLanding(t *testing.T) {
	base := ScriptOverride{Scenario: "s", Flag: "--vary", Path: "exchange.tmax", Set: "exchange.tmax=350ms",
		Where: "s.yaml:62", Without: "--no-script"}
	s := sim.Second
	for _, c := range []struct {
		at, end, duration sim.Time
		auctions          uint64
		refused, late     bool
	}{
		{60 * s, 120 * s, 120 * s, 0, true, false},               // halfway: refused
		{107 * s, 120 * s, 120 * s, 0, true, false},              // 11% left: refused
		{109 * s, 120 * s, 120 * s, 0, false, true},              // 9% left: said
		{120 * s, 120 * s, 120 * s, 0, false, true},              // at the end: the world at the end
		{121 * s, 120 * s, 120 * s, 0, false, false},             // after: nothing
		{60 * s, 0, 0, 0, true, false},                           // an end unknown
		{60 * s, 59900 * sim.Millisecond, 0, 59900, false, true}, // a stop by auctions may pass it
		{70 * s, 59900 * sim.Millisecond, 0, 59900, false, false},
		{60 * s, 59900 * sim.Millisecond, 60 * s, 59900, false, false}, // the duration stops the runs first
	} {
		o := base
		o.At, o.End, o.Duration, o.Auctions = c.at, c.end, c.duration, c.auctions
		if o.Refused() != c.refused || o.Late() != c.late {
			t.Errorf("at %v, end %v (duration %v, %d auctions): refused %v, late %v; want %v, %v",
				c.at, c.end, c.duration, c.auctions, o.Refused(), o.Late(), c.refused, c.late)
		}
	}
	o := base
	o.At, o.End, o.Duration = 60*s, 120*s, 120*s
	msg := o.Refusal().Error()
	for _, want := range []string{"--vary exchange.tmax: s.yaml:62: the script sets exchange.tmax=350ms at 1m0s, 50% into each run (which ends at 2m0s)",
		"over the first 1m0s only", "(--no-script)", "(--duration 59s)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("refusal %q lacks %q", msg, want)
		}
	}
	o.At = 114 * s
	note := o.Note()
	for _, want := range []string{"note: s.yaml:62: the script sets exchange.tmax=350ms at 1m54s, in the last 5% of each run (which ends at 2m0s)",
		"over the first 1m54s only", "--no-script, or --duration 1m53s, measures --vary exchange.tmax alone"} {
		if !strings.Contains(note, want) {
			t.Errorf("note %q lacks %q", note, want)
		}
	}
}

// TestEmissionWithNotes: compare's, sweep's and split's JSON carry the
// late overrides' notes ("notes"), which were on stderr alone; none, no
// key.
func TestEmissionWithNotes(t *testing.T) {
	notes := []string{"timeout-story.yaml:62: the script sets exchange.tmax=350ms at 1m0s, in the last 8% of each run"}
	for _, tree := range []any{experiment.Comparison{}, experiment.SweepResult{}, &split.Result{}} {
		for _, n := range [][]string{nil, notes} {
			var b bytes.Buffer
			if err := EncodeJSON(&b, Emission{Tree: tree}.WithNotes(n).Tree); err != nil {
				t.Fatal(err)
			}
			var out map[string]json.RawMessage
			if err := json.Unmarshal(b.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			raw, has := out["notes"]
			var got []string
			if has {
				if err := json.Unmarshal(raw, &got); err != nil {
					t.Fatal(err)
				}
			}
			if has != (n != nil) || strings.Join(got, "|") != strings.Join(n, "|") {
				t.Errorf("%T with notes %q: %s", tree, n, raw)
			}
		}
	}
}
