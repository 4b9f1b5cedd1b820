package main

import (
	"os"
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

// testStamp is the version TestMain stamps the binary with.
const testStamp = "v0.0.0-stamp-test"

// TestVersionStamped: the binary stamped through -X main.version, as
// make build does (the Makefile's line checked too: -X of a variable
// that does not exist is silently ignored), prints the stamp.
func TestVersionStamped(t *testing.T) {
	r := run(t, "", "version")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "auctionsim "+testStamp+" ") {
		t.Errorf("exit %d, stdout %q, want the stamp %s", r.code, r.stdout, testStamp)
	}
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(makefile), `-ldflags "-X main.version=$(VERSION)"`) {
		t.Error("the Makefile's build does not stamp main.version")
	}
}
