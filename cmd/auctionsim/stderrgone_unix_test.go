//go:build unix

package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBiddersOutWithStderrGone: `auctionsim bidders --out F 2>&1 | tee
// log`, Ctrl-C ending the tee as well: the server's stderr is a pipe no
// one reads any more when it stops. It still writes F and exits 0 (a
// signal is its clean stop). Before, its first message after the stop
// (the stopped line) ended it by SIGPIPE, before F was written.
func TestBiddersOutWithStderrGone(t *testing.T) {
	out := filepath.Join(t.TempDir(), "stats.json")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "bidders", "-s", "timeout-demo", "--listen", "127.0.0.1:0", "--out", out)
	cmd.Stderr = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	w.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil || !strings.Contains(line, "Ctrl-C stops") {
		t.Fatalf("first line %q: %v", line, err)
	}
	r.Close() // the tee is gone
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(60 * time.Second):
		t.Fatal("bidders did not stop within 60s of SIGINT")
	}
	if st := cmd.ProcessState; st.ExitCode() != exitOK {
		t.Errorf("exit %v, want 0: SIGINT is its clean stop, a lost stderr no failure", st)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("--out not written: %v", err)
	}
	var stats struct {
		Bidders []struct {
			Name string `json:"name"`
		} `json:"bidders"`
	}
	if err := json.Unmarshal(data, &stats); err != nil || len(stats.Bidders) == 0 {
		t.Errorf("--out holds no stats (%v):\n%s", err, data)
	}
}

// TestRunOutWithStderrGone: `auctionsim run --out F 2>&1 | tee log`,
// Ctrl-C ending both: the run still writes F, marked partial, and exits
// 130. Before, its "interrupted" line ended it by SIGPIPE: no F, no 130.
func TestRunOutWithStderrGone(t *testing.T) {
	// The wait before the signal grows until the handler was installed
	// when it came (the binary's start may be slow on a busy machine).
	for _, wait := range []time.Duration{300 * time.Millisecond, time.Second, 3 * time.Second, 10 * time.Second} {
		out := filepath.Join(t.TempDir(), "run.json")
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(binary, "run", "-s", "timeout-demo", "--duration", "100h", "--out", out)
		cmd.Stderr = w
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		w.Close()
		// Its first line (the budgets scaled to 100h) says it has begun.
		line, err := bufio.NewReader(r).ReadString('\n')
		if err != nil || !strings.Contains(line, "auctionsim run:") {
			cmd.Process.Kill()
			t.Fatalf("first line %q: %v", line, err)
		}
		r.Close() // the tee is gone
		time.Sleep(wait)
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		if killed := waitAfterSIGINT(t, cmd, 60*time.Second, "run did not stop within 60s of SIGINT"); killed {
			if ws := cmd.ProcessState.Sys().(syscall.WaitStatus); ws.Signal() == syscall.SIGINT {
				continue // before the handler: again, later
			}
		}
		if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
			t.Errorf("exit %v, want 130", cmd.ProcessState)
		}
		var doc struct {
			Partial  bool   `json:"partial"`
			Auctions uint64 `json:"auctions"`
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("--out not written: %v", err)
		}
		if err := json.Unmarshal(data, &doc); err != nil || !doc.Partial || doc.Auctions == 0 {
			t.Errorf("--out: partial %v, %d auctions (%v)", doc.Partial, doc.Auctions, err)
		}
		return
	}
	t.Fatal("every SIGINT came before run's handler")
}
