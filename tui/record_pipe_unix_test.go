//go:build unix

package tui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRecordIntoPipeWithoutReaderInterruptible: --record into a named
// pipe that no one reads waits for a reader in the open, and the
// dashboard's context (a signal) ends that wait: Run returns
// ErrInterrupted saying it waited for a reader, nothing run. Before, the
// open held the dashboard past any Ctrl-C.
func TestRecordIntoPipeWithoutReaderInterruptible(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "session.cast")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	sc := bundled(t, "timeout-demo")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the signal has come: whenever the open waits, it ends
	done := make(chan error, 1)
	go func() {
		done <- Run(Options{Scenario: sc, Record: fifo, Context: ctx, Input: strings.NewReader(""), Output: &bytes.Buffer{}})
	}()
	// Whatever happens, a reader comes at the end, so that no open is
	// left waiting.
	defer func() {
		if r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			r.Close()
		}
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrInterrupted) || !strings.Contains(err.Error(), "--record "+fifo+" waited for a reader") {
			t.Errorf("Run: %v; want ErrInterrupted, saying --record waited for a reader", err)
		}
	case <-time.After(time.Minute): // a hang, not a slow machine
		t.Fatal("Run still waits for the pipe's reader after its context ended")
	}
}
