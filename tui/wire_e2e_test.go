package tui

import (
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	onthewire "github.com/auctionsim/auctionsim/wire"
)

// TestEndToEndOnTheWire runs the real binary's dashboard on the wire in a
// real terminal (tmux, on a private socket): `auctionsim -s timeout-demo
// --endpoints URL` against the bidders of timeout-demo served by this
// test on loopback. The header must show the wire's line with requests
// sent, t must lower tmax, l must be refused naming the bidder on the
// wire, and q must exit with status 0. Without tmux it is skipped.
func TestEndToEndOnTheWire(t *testing.T) {
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed")
	}
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := onthewire.NewServer(sc.Config, onthewire.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv) // 127.0.0.1:0
	t.Cleanup(ts.Close)

	dir := t.TempDir()
	bin := filepath.Join(dir, "auctionsim")
	build := exec.Command("go", "build", "-o", bin, "./cmd/auctionsim")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	sock := filepath.Join(dir, "tmux.sock")
	run := func(args ...string) (string, error) {
		out, err := exec.Command(tmux, append([]string{"-S", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out), err
	}
	// 25 ad requests a second: 200 bid requests, light for a busy machine.
	script := bin + ` -s timeout-demo --endpoints ` + ts.URL + ` --set traffic.qps=25; echo "exit status $?"; sleep 60`
	if out, err := run("new-session", "-d", "-s", "wire", "-x", "130", "-y", "40", "sh", "-c", script); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = run("kill-server") })

	var screen string
	waitFor := func(what string, ok func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(3 * waitLimit) // the wire's first answers, on a busy machine
		for {
			if out, err := run("capture-pane", "-p", "-t", "wire"); err == nil {
				screen = out
				if ok(screen) {
					return
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("screen never showed %s; last screen:\n%s", what, screen)
			}
			time.Sleep(50 * time.Millisecond) // polling the terminal; the wait ends on the condition
		}
	}
	has := func(s ...string) func(string) bool {
		return func(screen string) bool {
			for _, x := range s {
				if !strings.Contains(screen, x) {
					return false
				}
			}
			return true
		}
	}
	keys := func(k ...string) {
		t.Helper()
		if out, err := run(append([]string{"send-keys", "-t", "wire"}, k...)...); err != nil {
			t.Fatalf("send-keys %v: %v\n%s", k, err, out)
		}
	}

	waitFor("the wire's line with answers", func(s string) bool {
		return strings.Contains(s, "on the wire: 8 bidders") && strings.Contains(s, "answered") && !strings.Contains(s, " 0 answered")
	})
	keys("t")
	waitFor("tmax lowered", has("tmax 110ms"))
	keys("l")
	waitFor("a change to a bidder on the wire refused", has("swift is on the wire: change it on its server"))
	keys("q")
	waitFor("the exit status", has("exit status 0"))
}
