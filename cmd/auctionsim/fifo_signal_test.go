package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestScenarioFromPipeInterruptible checks that run, waiting on a
// scenario file that is a named pipe (its writer not writing), stops at
// the first SIGINT or SIGTERM with exit 130: before, the first signal
// was swallowed and only a second ended it. metrics, which reads the
// scenario with flags of its own, too: it died of the signal, silent;
// and validate, which died of it too (no exit 130).
func TestScenarioFromPipeInterruptible(t *testing.T) {
	for _, c := range []struct {
		args []string
		sig  syscall.Signal
	}{{[]string{"run", "--auctions", "10", "-s"}, syscall.SIGINT}, {[]string{"run", "--auctions", "10", "-s"}, syscall.SIGTERM},
		{[]string{"metrics", "-s"}, syscall.SIGINT}, {[]string{"validate"}, syscall.SIGINT}, {[]string{"validate"}, syscall.SIGTERM}} {
		sig := c.sig
		fifo := filepath.Join(t.TempDir(), "scenario.yaml")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		cmd := exec.Command(binary, append(c.args, fifo)...)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// A writer opens (without blocking) once run has opened the pipe
		// to read: run's signal handling is set up by then, and it waits
		// in the read, as it would in the open with no writer.
		var w *os.File
		for deadline := time.Now().Add(30 * time.Second); w == nil; {
			f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0)
			switch {
			case err == nil:
				w = f
			case !errors.Is(err, syscall.ENXIO) || time.Now().After(deadline):
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("opening the pipe to write: %v; stderr %q", err, errb.String())
			default:
				time.Sleep(10 * time.Millisecond)
			}
		}
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			w.Close() // an empty scenario: run ends, refusing it
			<-exited
		}
		w.Close()
		if code := cmd.ProcessState.ExitCode(); code != exitInterrupted || !strings.Contains(errb.String(), "interrupted") {
			t.Errorf("%v while %s waits on the pipe: exit %d, stderr %q; want exit 130 at the first signal", sig, c.args[0], code, errb.String())
		}
	}
}

// TestScenarioFromPipeReadOnce: a scenario from a named pipe, written
// once, is read once. run shortened on a world with budgets resolved it
// a second time (to scale the budgets) and waited forever for a second
// writer, a first signal swallowed; the experiments, which read their
// scenario again for every run they plan, refuse a pipe up front (exit 2,
// saying to save it to a file) where they waited forever too.
func TestScenarioFromPipeReadOnce(t *testing.T) {
	data, err := os.ReadFile("../../scenarios/bundled/budget-split.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(t.TempDir(), "world.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		// Blocks until run opens the pipe to read; written once.
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			w.Write(data)
			w.Close()
		}
	}()
	// A hang here is run reading the pipe again.
	r := runBinaryWithin(t, 2*time.Minute, "run", "-s", fifo, "--auctions", "2000", "--set", "exchange.floor=0.2", "--json")
	if r.code != exitOK {
		t.Errorf("run from a pipe written once: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, args := range [][]string{
		{"run", "-s", fifo, "--reps", "2"},
		{"compare", "budget-split", fifo},
		{"sweep", "-s", fifo, "--vary", "exchange.floor=0.1,0.2"},
		{"split", "-s", fifo, "--group", "acme"},
	} {
		// No writer: an experiment that read the pipe would wait forever.
		r := runBinaryWithin(t, 2*time.Minute, args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, fifo+" is a named pipe") || !strings.Contains(r.stderr, "save the scenario to a file") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2, the pipe refused", args, r.code, r.stderr)
		}
	}
}

// runBinaryWithin runs the binary with args, killed (and the test
// failed) if it has not ended within limit: a hang, not a slow machine.
func runBinaryWithin(t *testing.T, limit time.Duration, args ...string) ran {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(limit):
		cmd.Process.Kill()
		<-exited
		t.Errorf("%v did not end within %v; stderr %q", args, limit, errb.String())
	}
	return ran{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}
}
