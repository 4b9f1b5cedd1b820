package tui

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// TestEndToEnd builds the real binary and runs `auctionsim tui -s
// timeout-demo` in a real terminal (tmux, on a private socket), sends keys
// and reads the screen: the header, a pause, a tmax change, a resize below
// 80×24 and back, presentation mode, the what-if panel and the timeline,
// and q, after which the process must have exited with status 0. CI installs tmux (.ci/run); without it the test is skipped.
// The session is recorded (--record) and, where asciinema is installed,
// replayed with `asciinema cat`.
func TestEndToEnd(t *testing.T) {
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed")
	}
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
	// The shell keeps the pane after the program exits and reports its
	// status there.
	cast := filepath.Join(dir, "session.cast")
	script := bin + ` tui -s timeout-demo --speed 2 --record ` + cast + `; echo "exit status $?"; sleep 60`
	if out, err := run("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", "sh", "-c", script); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = run("kill-server") })

	var screen string
	waitFor := func(what string, ok func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(waitLimit)
		for {
			out, err := run("capture-pane", "-p", "-t", "e2e")
			if err == nil {
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
		if out, err := run(append([]string{"send-keys", "-t", "e2e"}, k...)...); err != nil {
			t.Fatalf("send-keys %v: %v\n%s", k, err, out)
		}
	}

	waitFor("the header", has("auctionsim timeout-demo", "▶ running", "speed 2×", "tmax 120ms", "seed 42", "Bidders", "Exchange"))
	keys("Space")
	waitFor("paused", has("‖ paused"))
	keys("t")
	waitFor("the new tmax and its change log entry", has("tmax 110ms", "Changes (1"))
	if out, err := run("resize-window", "-t", "e2e", "-x", "70", "-y", "20"); err != nil {
		t.Fatalf("resize-window: %v\n%s", err, out)
	}
	waitFor("the too-small message", has("terminal too small (need 80×24)"))
	if out, err := run("resize-window", "-t", "e2e", "-x", "80", "-y", "24"); err != nil {
		t.Fatalf("resize-window: %v\n%s", err, out)
	}
	waitFor("the dashboard at 80×24", has("auctionsim timeout-demo", "tmax 110ms", "q quit"))
	// The trainers' views at 80×24, running: presentation mode (no
	// header), the what-if panel, the timeline of the newest auction.
	keys("Space")
	waitFor("running again", has("▶ running"))
	keys("P")
	waitFor("presentation mode", func(s string) bool {
		return has("revenue per second", "late bids", "fixed scale")(s) && !strings.Contains(s, "auctionsim timeout-demo")
	})
	keys("P")
	waitFor("the dashboard again", has("auctionsim timeout-demo", "Latency"))
	keys("w")
	waitFor("the what-if panel", has("What if tmax were", "now 110ms", "best "))
	keys("Escape")
	waitFor("the dashboard again", has("auctionsim timeout-demo", "Latency"))
	keys("v")
	waitFor("the timeline", has("Auction #", "tmax 110ms", "replay 2×", "clock"))
	keys("Escape")
	waitFor("the dashboard again", has("auctionsim timeout-demo", "Latency"))
	// The command line: --set's suggestion inline, then a change made.
	keys(":")
	waitFor("the command line", has("any path as --set does"))
	keys("-l", "exchange.tmaxx=80ms")
	keys("Enter")
	waitFor("--set's suggestion on the line", has(":exchange.tmaxx=80ms: unknown field; did you mean tmax?"))
	keys("Escape")
	// Await the close: an Escape and a ":" that reach the terminal
	// together read as Alt+":", and the line would stay open.
	waitFor("the command line closed", func(s string) bool { return !strings.Contains(s, "any path as --set does") })
	keys(":")
	waitFor("the command line again", has("any path as --set does"))
	keys("-l", "exchange.tmax=350ms")
	keys("Enter")
	waitFor("the new tmax", has("tmax 350ms"))
	keys("q")
	waitFor("the program's exit", has("exit status"))
	if !strings.Contains(screen, "exit status 0") {
		t.Errorf("the program did not exit cleanly:\n%s", screen)
	}
	checkRecording(t, cast, "auctionsim timeout-demo", "tmax 110ms", "What if tmax were", "terminal too small")
}

// checkRecording reads a --record file: an asciicast v2 header, events,
// the resizes; and, where asciinema is installed, `asciinema cat` gives
// back the screens' text.
func checkRecording(t *testing.T, path string, want ...string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no recording: %v", err)
	}
	head, rest, _ := strings.Cut(string(data), "\n")
	var h struct{ Version, Width, Height int }
	if err := json.Unmarshal([]byte(head), &h); err != nil || h.Version != 2 || h.Width != 120 || h.Height != 40 {
		t.Errorf("header %q: %v", head, err)
	}
	if !strings.Contains(rest, `, "r", "70x20"]`) {
		t.Error("the resize to 70×20 is not recorded")
	}
	if _, err := exec.LookPath("asciinema"); err != nil {
		t.Log("asciinema is not installed: the replay is not checked")
		return
	}
	script, err := exec.LookPath("script")
	if err != nil {
		t.Log("script(1) is not installed: the replay is not checked")
		return
	}
	// asciinema reads /dev/tty: it runs in script's pseudo terminal.
	out, err := exec.Command(script, "-qec", "asciinema cat '"+path+"'", "/dev/null").CombinedOutput()
	if err != nil {
		t.Fatalf("asciinema cat: %v\n%s", err, out)
	}
	text := ansi.Strip(string(out))
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("asciinema cat lacks %q", w)
		}
	}
}
