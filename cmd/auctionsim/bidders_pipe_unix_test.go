//go:build unix

package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
