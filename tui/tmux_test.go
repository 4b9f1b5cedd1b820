package tui

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The end-to-end tests drive the real binary in a real terminal: tmux on
// a private socket. These helpers are theirs.

// lookTmux returns tmux's path, or skips the test where it is not
// installed (CI installs it: .ci/run).
func lookTmux(t *testing.T) string {
	t.Helper()
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed")
	}
	return tmux
}

// buildAuctionsim builds ./cmd/auctionsim into dir and returns its path.
func buildAuctionsim(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "auctionsim")
	build := exec.Command("go", "build", "-o", bin, "./cmd/auctionsim")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tmuxTerm is one tmux server on a private socket running one session.
type tmuxTerm struct {
	t       *testing.T
	tmux    string
	sock    string
	session string
	limit   time.Duration // bounds each waitFor
	join    bool          // capture wrapped lines joined (-J)
	screen  string        // the last screen captured
}

// newTmuxTerm starts session, width×height, running script under sh -c,
// and kills its server when the test ends.
func newTmuxTerm(t *testing.T, tmux, sock, session string, width, height int, script string) *tmuxTerm {
	t.Helper()
	tt := &tmuxTerm{t: t, tmux: tmux, sock: sock, session: session, limit: waitLimit}
	if out, err := tt.run("new-session", "-d", "-s", session, "-x", itoa(width), "-y", itoa(height), "sh", "-c", script); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = tt.run("kill-server") })
	return tt
}

func itoa(n int) string { return strconv.Itoa(n) }

// run runs one tmux command on the private socket.
func (tt *tmuxTerm) run(args ...string) (string, error) {
	out, err := exec.Command(tt.tmux, append([]string{"-S", tt.sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
	return string(out), err
}

// waitFor captures the pane until ok holds of it, or fails the test
// naming what after tt.limit.
func (tt *tmuxTerm) waitFor(what string, ok func(string) bool) {
	tt.t.Helper()
	args := []string{"capture-pane", "-p", "-t", tt.session}
	if tt.join {
		args = []string{"capture-pane", "-p", "-J", "-t", tt.session}
	}
	deadline := time.Now().Add(tt.limit)
	for {
		if out, err := tt.run(args...); err == nil {
			tt.screen = out
			if ok(tt.screen) {
				return
			}
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("screen never showed %s; last screen:\n%s", what, tt.screen)
		}
		time.Sleep(50 * time.Millisecond) // polling the terminal; the wait ends on the condition
	}
}

// keys sends keys to the session.
func (tt *tmuxTerm) keys(k ...string) {
	tt.t.Helper()
	if out, err := tt.run(append([]string{"send-keys", "-t", tt.session}, k...)...); err != nil {
		tt.t.Fatalf("send-keys %v: %v\n%s", k, err, out)
	}
}

// resize resizes the session's window.
func (tt *tmuxTerm) resize(width, height int) {
	tt.t.Helper()
	if out, err := tt.run("resize-window", "-t", tt.session, "-x", itoa(width), "-y", itoa(height)); err != nil {
		tt.t.Fatalf("resize-window: %v\n%s", err, out)
	}
}

// has holds of a screen that shows every one of s.
func has(s ...string) func(string) bool {
	return func(screen string) bool {
		for _, x := range s {
			if !strings.Contains(screen, x) {
				return false
			}
		}
		return true
	}
}
