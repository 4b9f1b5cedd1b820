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
// and validate, which died of it too (no exit 130); and the experiments,
// which read their scenario once, as run does.
func TestScenarioFromPipeInterruptible(t *testing.T) {
	for _, c := range []struct {
		args []string
		sig  syscall.Signal
	}{{[]string{"run", "--auctions", "10", "-s"}, syscall.SIGINT}, {[]string{"run", "--auctions", "10", "-s"}, syscall.SIGTERM},
		{[]string{"metrics", "-s"}, syscall.SIGINT}, {[]string{"validate"}, syscall.SIGINT}, {[]string{"validate"}, syscall.SIGTERM},
		{[]string{"run", "--reps", "2", "-s"}, syscall.SIGINT}, {[]string{"compare", "budget-split"}, syscall.SIGTERM},
		{[]string{"sweep", "--vary", "exchange.floor=0.1,0.2", "-s"}, syscall.SIGINT}, {[]string{"split", "--group", "acme", "-s"}, syscall.SIGINT}} {
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
// writer, a first signal swallowed; the experiments, which resolve their
// scenario again for every point they run, refused a pipe (exit 2,
// saying to save it to a file), where they had waited forever: they read
// it once too, and resolve each point from the text read.
func TestScenarioFromPipeReadOnce(t *testing.T) {
	data, err := os.ReadFile("../../scenarios/bundled/budget-split.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", "--auctions", "2000", "--set", "exchange.floor=0.2", "--json", "-s"},
		{"run", "--reps", "2", "--auctions", "2000", "-s"},
		{"compare", "budget-split", "--reps", "2", "--auctions", "2000"},
		{"sweep", "--vary", "exchange.floor=0.1,0.2", "--reps", "2", "--auctions", "2000", "-s"},
		{"split", "--group", "acme", "--reps", "3", "--duration", "30s", "-s"},
	} {
		fifo := filepath.Join(t.TempDir(), "world.yaml")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		go func() {
			// Blocks until the command opens the pipe to read; written once.
			if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				w.Write(data)
				w.Close()
			}
		}()
		if args[0] == "compare" {
			args = append(args[:2:2], append([]string{fifo}, args[2:]...)...)
		} else {
			args = append(args, fifo)
		}
		// A hang here is the command reading the pipe again.
		if r := runBinaryWithin(t, 2*time.Minute, args...); r.code != exitOK {
			t.Errorf("%v from a pipe written once: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

// TestExperimentFromStdin: an experiment reads its scenario from
// /dev/stdin, as run does (cat world.yaml | auctionsim compare
// /dev/stdin --change ...), and a bad one is refused naming the source,
// its line and field, exit 2.
func TestExperimentFromStdin(t *testing.T) {
	data, err := os.ReadFile("../../scenarios/bundled/reserve-price.yaml")
	if err != nil {
		t.Fatal(err)
	}
	run := func(yaml []byte) ran {
		cmd := exec.Command(binary, "compare", "/dev/stdin", "--change", "exchange.floor=0.3", "--reps", "2", "--auctions", "2000")
		cmd.Stdin = bytes.NewReader(yaml)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		cmd.Run()
		return ran{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}
	}
	if r := run(data); r.code != exitOK || !strings.Contains(r.stdout, "variant:  reserve-price with exchange.floor=0.3") {
		t.Errorf("compare from stdin: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	bad := bytes.Replace(data, []byte("floor: 0"), []byte("floor: -1"), 1)
	if r := run(bad); r.code != exitUsage || !strings.Contains(r.stderr, "/dev/stdin:17:10: exchange.floor: -1.5 must be ≥ 0") {
		t.Errorf("a bad scenario from stdin: exit %d, stderr %q; want exit 2 naming /dev/stdin, line and field", r.code, r.stderr)
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
