package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// TestExperimentsNoScript: run --reps, sweep and compare take
// --no-script, as run does, and honour it: their replications leave the
// script out, exactly as --set script=[] does, and differ from the
// script's. They took the flag and ran timeout-story's script all the
// same (metro's slowdown at 30 s and all), the planner none the wiser;
// compare refused it.
func TestExperimentsNoScript(t *testing.T) {
	for _, args := range [][]string{
		{"run", "-s", "timeout-story", "--reps", "2", "--duration", "45s"},
		{"sweep", "-s", "timeout-story", "--reps", "2", "--duration", "45s", "--vary", "exchange.floor=0.1,0.2"},
		{"compare", "timeout-story", "--change", "exchange.floor=0.2", "--reps", "2", "--duration", "45s"},
		{"compare", "timeout-story", "timeout-demo", "--reps", "2", "--duration", "45s"},
	} {
		table := func(extra ...string) string {
			r := inProcess(append(append([]string(nil), args...), extra...)...)
			if r.code != exitOK {
				t.Fatalf("%v %v: exit %d: %s", args, extra, r.code, r.stderr)
			}
			return r.stdout
		}
		none, empty, script := table("--no-script"), table("--set", "script=[]"), table()
		if none != empty {
			t.Errorf("%v --no-script:\n%s\nwant as --set script=[]:\n%s", args, none, empty)
		}
		if none == script {
			t.Errorf("%v: --no-script ran the script:\n%s", args, none)
		}
	}
}

// TestScriptOverrideRefused: a sweep (or compare --change) of a field
// the scenario's script sets again early in the run (timeout-story's
// tmax, 350ms from 1m0s of 2m0s) measured the flag's field over the
// first half only, every point at the script's tmax after, with a
// warning on stderr alone. It is refused up front (exit 2, nothing run),
// naming the flag, the field, the file's line and the time, and how to
// measure the field alone: --no-script, or a --duration that stops the
// runs before the change, each of which then runs without a word of it.
// Late in the runs (1m0s of 1m5s) it runs, and the table says so first
// (the JSON has stderr's warning).
func TestScriptOverrideRefused(t *testing.T) {
	sc, err := scenarios.Bundled("timeout-story")
	if err != nil {
		t.Fatal(err)
	}
	text := string(sc.YAML)
	line := strings.Count(text[:strings.Index(text, "set: {exchange.tmax: 350ms}")], "\n") + 1
	where := fmt.Sprintf("timeout-story.yaml:%d: the script sets exchange.tmax=350ms at 1m0s", line)
	for _, c := range []struct {
		flag string // the flag and its path, as the refusal names them
		args []string
	}{
		{"--vary exchange.tmax", []string{"sweep", "-s", "timeout-story", "--reps", "2", "--vary", "exchange.tmax=100ms,200ms"}},
		{"--change exchange.tmax", []string{"compare", "timeout-story", "--change", "exchange.tmax=200ms", "--reps", "2"}},
		{"--variant slow:exchange.tmax", []string{"compare", "timeout-story", "--variant", "slow:exchange.tmax=200ms", "--variant", "low:exchange.floor=0.2", "--reps", "2"}},
	} {
		run := func(extra ...string) ran { return inProcess(append(append([]string(nil), c.args...), extra...)...) }
		r := run()
		if r.code != exitUsage || r.stdout != "" {
			t.Fatalf("%v: exit %d, stdout %q; want 2 and nothing run", c.args, r.code, r.stdout)
		}
		for _, want := range []string{c.flag + ": " + where + ", 50% into each run (which ends at 2m0s)",
			"Leave the script out (--no-script), or stop the runs before its change (--duration 59s)"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%v: the refusal lacks %q:\n%s", c.args, want, r.stderr)
			}
		}
		for _, extra := range [][]string{{"--no-script"}, {"--duration", "59s"}} {
			r := run(extra...)
			if r.code != exitOK || strings.Contains(r.stderr, "350ms") || strings.Contains(r.stdout, "note:") {
				t.Errorf("%v %v: exit %d, stderr %q, stdout:\n%s", c.args, extra, r.code, r.stderr, r.stdout)
			}
		}
		r = run("--duration", "65s")
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "note: "+where+", in the last 8% of each run (which ends at 1m5s)") ||
			!strings.Contains(r.stderr, "warning: "+where) {
			t.Errorf("%v --duration 65s: exit %d, stderr %q, stdout:\n%s", c.args, r.code, r.stderr, r.stdout)
		}
		r = run("--duration", "65s", "--json")
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "{") || !strings.Contains(r.stderr, "warning: "+where) {
			t.Errorf("%v --duration 65s --json: exit %d, stderr %q, stdout %.80q", c.args, r.code, r.stderr, r.stdout)
		}
	}
}
