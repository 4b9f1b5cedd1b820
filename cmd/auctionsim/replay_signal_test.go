package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// longExport writes an export of timeout-demo whose change log has n
// floor changes, two per event, followed by a run of auctions, and
// returns its path.
func longExport(t *testing.T, dir string, n int, auctions uint64) string {
	t.Helper()
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	sc.Config.Name = sc.Name
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := eng.Apply(sim.SetFloor{Floor: sim.PriceOf(float64(i%7) / 100)}); err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			eng.Step()
		}
	}
	eng.RunAuctions(auctions) // then a stretch of run past the changes
	path := filepath.Join(dir, fmt.Sprintf("long-%d-%d.json", n, auctions))
	meta := report.Meta{Scenario: sc.Name, Partial: true, ScenarioYAML: sc.YAML, Stop: sc.Stop, Horizon: sc.Config.Horizon}
	if err := report.Write(path, eng.Snapshot(), meta); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReplayLongLog: a change log of 200,000 entries replays, to the
// same point. It used to take hours (each change copied the log); the
// limit only turns a hang into a failure.
func TestReplayLongLog(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and replays a 200,000-change export")
	}
	dir := t.TempDir()
	path := longExport(t, dir, 200_000, 2000)
	cmd := exec.Command(binary, "run", "--replay", path, "--json")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("replay: %v; stderr %q", err, stderr.String())
		}
	case <-time.After(5 * time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatal("a replay of 200,000 changes did not end within 5 minutes")
	}
	m := checkSummary(t, stdout.Bytes(), "timeout-demo", true)
	if ch, ok := m["changes"].([]any); !ok || len(ch) != 200_000 {
		t.Errorf("the replay's change log has %d entries, want 200000", len(ch))
	}
}

// opened waits until process pid has path open (Linux's /proc) or, with
// open false, no longer has it open, and reports whether it saw that.
func opened(pid int, path string, open bool, limit time.Duration) bool {
	fds := filepath.Join("/proc", strconv.Itoa(pid), "fd")
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); {
		entries, err := os.ReadDir(fds)
		if err != nil {
			return false // the process has ended
		}
		found := false
		for _, e := range entries {
			if target, err := os.Readlink(filepath.Join(fds, e.Name())); err == nil && target == path {
				found = true
			}
		}
		if found == open {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

// TestReplayInterrupted: SIGINT or SIGTERM while a long replay is read,
// checked or run ends it with exit 130 and says so; a signal in the
// run gives the partial results. The signal used to kill the process
// while the replay was read and checked (no message, no 130).
func TestReplayInterrupted(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("waits for the replay file to be open in /proc")
	}
	dir := t.TempDir()
	n := 200_000
	if testing.Short() {
		n = 50_000
	}
	path := longExport(t, dir, n, 2000)
	// While reading: as soon as the file is open. Later: after a while,
	// in whichever phase the replay has reached.
	interrupted := 0
	defer func() {
		if interrupted == 0 && !t.Failed() {
			t.Error("no replay was interrupted: each had finished before its signal")
		}
	}()
	for _, c := range []struct {
		sig   syscall.Signal
		after time.Duration
	}{{syscall.SIGINT, 0}, {syscall.SIGTERM, 0}, {syscall.SIGINT, 300 * time.Millisecond}, {syscall.SIGTERM, time.Second}} {
		cmd := exec.Command(binary, "run", "--replay", path, "--json")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if !opened(cmd.Process.Pid, path, true, 90*time.Second) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the replay never opened %s", path)
		}
		time.Sleep(c.after)
		if err := cmd.Process.Signal(c.sig); err != nil {
			t.Fatal(err)
		}
		waitAfterSIGINT(t, cmd, 90*time.Second, "the replay did not stop within 90s of the signal")
		code := cmd.ProcessState.ExitCode()
		if code == exitOK {
			// It had finished before the signal (a busy machine can hold
			// the test back that long): nothing to interrupt, but all of
			// it written.
			checkSummary(t, stdout.Bytes(), "timeout-demo", true) // replayed to where the export stood
			t.Logf("%v after %v: the replay had finished", c.sig, c.after)
			continue
		}
		interrupted++
		if code != exitInterrupted || !strings.Contains(stderr.String(), "interrupted") {
			t.Fatalf("%v %v after the file opened: exit %d (%v), want 130; stderr %q",
				c.sig, c.after, code, cmd.ProcessState, stderr.String())
		}
		if strings.Contains(stderr.String(), "results are partial") {
			checkSummary(t, stdout.Bytes(), "timeout-demo", true)
		} else if stdout.Len() > 0 {
			t.Errorf("interrupted before the run, yet output: %.200q", stdout.String())
		}
		t.Logf("%v after %v: %s", c.sig, c.after, strings.TrimSpace(stderr.String()))
	}
}

// TestRunSIGTERM: SIGTERM ends a run as SIGINT does: partial results
// printed and written, exit 130 (not 143).
func TestRunSIGTERM(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "partial.json")
	// The signal must arrive after the handler is installed; a slow
	// machine gets a longer head start on the next attempt.
	for _, wait := range []time.Duration{300 * time.Millisecond, time.Second, 3 * time.Second} {
		cmd := exec.Command(binary, "run", "-s", "timeout-demo", "--duration", "200h", "--json", "--out", out)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(wait)
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if killed := waitAfterSIGINT(t, cmd, 20*time.Second, "the run did not stop within 20s of SIGTERM"); killed {
			continue
		}
		if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
			t.Fatalf("exit %d after SIGTERM, want 130; stderr %q", code, stderr.String())
		}
		checkSummary(t, stdout.Bytes(), "timeout-demo", true)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		checkSummary(t, data, "timeout-demo", true)
		return
	}
	t.Fatal("killed by SIGTERM before the handler was installed, at every attempt")
}

// TestReplayInterruptedRunning: a signal once the replay is read and
// checked (the file closed again), while it runs, gives the partial
// results, marked so, and exit 130.
func TestReplayInterruptedRunning(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("waits for the replay file to be closed in /proc")
	}
	// The binary writes the export: the engine in this process runs under
	// -race when CI's does, and 3,000,000 auctions took it 6 minutes on a
	// loaded 2-vCPU machine, a fifth of the package's limit. The run itself needs no
	// change log: the signal comes after the file is read.
	path := filepath.Join(t.TempDir(), "long.json")
	if r := run(t, "", "run", "-s", "timeout-demo", "--auctions", "3000000", "--out", path); r.code != exitOK {
		t.Fatalf("writing the export: exit %d, stderr %q", r.code, r.stderr)
	}
	interrupted := 0
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := exec.Command(binary, "run", "--replay", path, "--json")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if !opened(cmd.Process.Pid, path, true, 90*time.Second) || !opened(cmd.Process.Pid, path, false, 90*time.Second) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the replay never opened and closed %s", path)
		}
		time.Sleep(300 * time.Millisecond) // into the run; if it has ended, the signal is moot
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		waitAfterSIGINT(t, cmd, 90*time.Second, "the replay did not stop within 90s of the signal")
		code := cmd.ProcessState.ExitCode()
		if code == exitOK {
			t.Logf("%v: the replay had finished before the signal", sig)
			continue
		}
		if code != exitInterrupted || !strings.Contains(stderr.String(), "results are partial") {
			t.Fatalf("%v while the replay runs: exit %d (%v), want 130 and partial results; stderr %q",
				sig, code, cmd.ProcessState, stderr.String())
		}
		m := checkSummary(t, stdout.Bytes(), "timeout-demo", true)
		if a, ok := m["auctions"].(float64); !ok || a >= 3_000_000 {
			t.Errorf("%v: %v auctions in the partial results, want fewer than the export's 3,000,000", sig, m["auctions"])
		}
		t.Logf("%v: stopped after %v auctions", sig, m["auctions"])
		interrupted++
	}
	if interrupted == 0 {
		t.Error("no replay was interrupted: each had finished before its signal")
	}
}
