//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutIsStdoutFile: `run --out so.json > o.txt`, so.json a link to
// /dev/stdout, is refused before the run (exit 2, naming --out): the
// JSON, written atomically, replaced o.txt and the table printed there
// was lost. The file keeps what the shell gave it (nothing).
func TestOutIsStdoutFile(t *testing.T) {
	dir := t.TempDir()
	so := filepath.Join(dir, "so.json")
	if err := os.Symlink("/dev/stdout", so); err != nil {
		t.Fatal(err)
	}
	o, err := os.Create(filepath.Join(dir, "o.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	cmd := exec.Command(binary, "run", "-s", "timeout-demo", "--auctions", "500", "--out", so)
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = o, &errb
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != exitUsage || !strings.Contains(errb.String(), "--out "+so+" is the file standard output goes to") {
		t.Errorf("exit %d, stderr %q; want %d naming --out", code, errb.String(), exitUsage)
	}
	if b, err := os.ReadFile(o.Name()); err != nil || len(b) != 0 {
		t.Errorf("stdout's file: %q, %v; want it untouched", b, err)
	}
}
