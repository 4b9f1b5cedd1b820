package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersion: auctionsim --version and auctionsim version print the
// build's version and Go release on stdout, exit 0; an argument is bad
// usage.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		r := inProcess(args...)
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "auctionsim ") || !strings.HasSuffix(r.stdout, "\n") ||
			strings.Count(r.stdout, "\n") != 1 || r.stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
		if info, ok := debug.ReadBuildInfo(); ok && info.GoVersion != "" && !strings.Contains(r.stdout, runtime.Version()) {
			t.Errorf("%v: %q does not name %s", args, r.stdout, runtime.Version())
		}
	}
	for _, args := range [][]string{{"version", "x"}, {"--version", "x"}, {"version", "--json"}} {
		if r := inProcess(args...); r.code != exitUsage || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q", args, r.code, r.stdout)
		}
	}
	if r := inProcess("--help"); !strings.Contains(r.stdout, "auctionsim version ") {
		t.Errorf("the help does not list version:\n%s", r.stdout)
	}
}
