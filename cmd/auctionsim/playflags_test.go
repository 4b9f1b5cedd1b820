package main

import (
	"strings"
	"testing"
)

// TestPlayFlagsBeforeTerminal: play, piped, refuses a bad flag for what
// it is (exit 2, naming the flag), not with "needs a terminal": the flags
// are checked before the terminal is asked for.
func TestPlayFlagsBeforeTerminal(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--countdown", "100ms"}, "--countdown 100ms is too short"},
		{[]string{"--countdown", "-1s"}, "--countdown"},
		{[]string{"--as", "nobody"}, `--as: no bidder named "nobody"`},
		{[]string{"--export", dir}, "--export " + dir + ": is a directory"},
		{[]string{"--export", dir + "/none/x.json"}, "--export " + dir + "/none/x.json: directory"},
		// The export is JSON: another extension is refused, not JSON
		// written under a name that says otherwise.
		{[]string{"--export", "played.txt"}, "--export played.txt: the file name must end in .json"},
		{[]string{"--export", "played.csv"}, "--export played.csv: the file name must end in .json"},
		{[]string{"--set", "exchange.floor=abc"}, "--set exchange.floor=abc"},
		{[]string{"--set", "exchange.floor=4e-7"}, "is less than the smallest price"},
	} {
		r := run(t, dir, append([]string{"play", "-s", "classroom-vickrey"}, c.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "terminal") {
			t.Errorf("play %v: exit %d, want 2 with %q\n%s", c.args, r.code, c.want, r.stderr)
		}
	}
	// Good flags, piped: the terminal is what is missing.
	if r := run(t, dir, "play", "-s", "classroom-vickrey", "--countdown", "10s"); r.code != 2 || !strings.Contains(r.stderr, "needs a terminal") {
		t.Errorf("good flags piped: exit %d\n%s", r.code, r.stderr)
	}
}
