package main

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestWorkersCapped checks that --workers beyond what the CPUs (or the
// memory budget) allow is capped, said on stderr, and changes nothing in
// the results.
func TestWorkersCapped(t *testing.T) {
	args := []string{"run", "-s", "classroom-vickrey", "--reps", "40", "--auctions", "100", "--json"}
	many := inProcess(append(args, "--workers", "100000")...)
	want := fmt.Sprintf("--workers 100000 capped at %d", 4*runtime.GOMAXPROCS(0))
	if many.code != exitOK || !strings.Contains(many.stderr, want) {
		t.Fatalf("exit %d, stderr %q; want 0 and %q", many.code, many.stderr, want)
	}
	two := inProcess(append(args, "--workers", "2")...)
	if two.code != exitOK || strings.Contains(two.stderr, "capped") {
		t.Fatalf("--workers 2: exit %d, stderr %q", two.code, two.stderr)
	}
	if stripWall(many.stdout) != stripWall(two.stdout) {
		t.Error("the results depend on the workers")
	}
}
