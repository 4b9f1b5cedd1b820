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
// scenario with flags of its own, too: it died of the signal, silent.
func TestScenarioFromPipeInterruptible(t *testing.T) {
	for _, c := range []struct {
		args []string
		sig  syscall.Signal
	}{{[]string{"run", "--auctions", "10"}, syscall.SIGINT}, {[]string{"run", "--auctions", "10"}, syscall.SIGTERM}, {[]string{"metrics"}, syscall.SIGINT}} {
		sig := c.sig
		fifo := filepath.Join(t.TempDir(), "scenario.yaml")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		cmd := exec.Command(binary, append(c.args, "-s", fifo)...)
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
