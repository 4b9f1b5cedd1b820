package main

import (
	"strings"
	"testing"
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

// TestSweepWarnsScriptOverride: a sweep of a field the scenario's script
// sets again during the run (timeout-story's tmax, 350ms from 1m0s) says
// so on stderr: its points then differ only before that change (the
// since_change figures alike at every tmax), which the table alone
// leaves unexplained. With --no-script there is nothing to say.
func TestSweepWarnsScriptOverride(t *testing.T) {
	checkScriptOverrideWarning(t, false, "sweep", "-s", "timeout-story", "--reps", "2", "--duration", "65s", "--vary", "exchange.tmax=100ms,200ms")
}

// TestCompareWarnsScriptOverride: compare --change of a field the
// script sets again during the run says so, pointing to --no-script, as
// sweep does; with --no-script there is nothing to say.
func TestCompareWarnsScriptOverride(t *testing.T) {
	checkScriptOverrideWarning(t, true, "compare", "timeout-story", "--change", "exchange.tmax=200ms", "--reps", "2", "--duration", "65s")
}

// checkScriptOverrideWarning runs args (which vary timeout-story's
// exchange.tmax) with and without --no-script: it warns of the script's
// tmax=350ms at 1m0s only without, and, with pointer, points to
// --no-script when it does.
func checkScriptOverrideWarning(t *testing.T, pointer bool, args ...string) {
	t.Helper()
	for _, noScript := range []bool{false, true} {
		args := args
		if noScript {
			args = append(args[:len(args):len(args)], "--no-script")
		}
		r := inProcess(args...)
		if r.code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		warned := strings.Contains(r.stderr, "warning: timeout-story's script sets exchange.tmax=350ms at 1m0s")
		if warned == noScript || pointer && warned && !strings.Contains(r.stderr, "(--no-script leaves the script out)") {
			t.Errorf("%v: warned %v, want %v; stderr:\n%s", args, warned, !noScript, r.stderr)
		}
	}
}
