package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRunFailed checks exit code 1 when the output cannot be written
// although every check before the run passed: here --out links to a
// full device (/dev/full's major and minor), written into in place,
// where every write fails. The summary is still printed, and the device
// stays one. Root gets a device node of its own in the test's directory,
// so that a writer that replaced the node (as an atomic rename over it
// would) could not break the machine's /dev/full; others, who cannot
// make one, use /dev/full itself, which they cannot replace.
func TestRunFailed(t *testing.T) {
	dir := t.TempDir()
	full := "/dev/full"
	if os.Geteuid() == 0 {
		full = filepath.Join(dir, "full")
		if err := syscall.Mknod(full, syscall.S_IFCHR|0o666, 1<<8|7); err != nil {
			t.Skipf("no device node: %v", err)
		}
	}
	if info, err := os.Stat(full); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		t.Skipf("no %s", full)
	}
	target := filepath.Join(dir, "out.json")
	if err := os.Symlink(full, target); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "run", "-s", "reserve-price", "--auctions", "1000", "--json", "--out", target)
	if r.code != exitFailed || !strings.Contains(r.stderr, target) || !strings.Contains(r.stderr, "no space left on device") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	checkSummary(t, []byte(r.stdout), "reserve-price", false)
	if info, err := os.Stat(full); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("%s is no longer a device: %v, %v", full, info.Mode(), err)
	}
}
