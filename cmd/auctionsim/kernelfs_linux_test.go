package main

import (
	"strings"
	"testing"
)

// TestOutputInProcRefusedFirst: an output in /proc is refused before
// anything runs (exit 2, naming the flag), not after the run (exit 1);
// play refuses it before it asks for a terminal, so that piped it says
// what is wrong with the flag rather than "needs a terminal".
func TestOutputInProcRefusedFirst(t *testing.T) {
	for _, args := range [][]string{
		{"run", "-s", "classroom-vickrey", "--auctions", "100", "--out", "/proc/x.json"},
		{"run", "-s", "classroom-vickrey", "--auctions", "100", "--reps", "2", "--out", "/proc/x.json"},
		{"play", "-s", "classroom-vickrey", "--export", "/proc/x.json"},
	} {
		r := run(t, t.TempDir(), args...)
		flag := args[len(args)-2]
		if r.code != 2 || !strings.Contains(r.stderr, flag+" /proc/x.json: cannot write in directory /proc") || strings.Contains(r.stderr, "terminal") {
			t.Errorf("%v: exit %d, want 2 naming %s\n%s", args, r.code, flag, r.stderr)
		}
	}
}
