package tui

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
	tmux := lookTmux(t)
	dir := t.TempDir()
	bin := buildAuctionsim(t, dir)
	// The shell keeps the pane after the program exits and reports its
	// status there.
	cast := filepath.Join(dir, "session.cast")
	script := bin + ` tui -s timeout-demo --speed 2 --record ` + cast + `; echo "exit status $?"; sleep 60`
	term := newTmuxTerm(t, tmux, filepath.Join(dir, "tmux.sock"), "e2e", 120, 40, script)
	waitFor, keys := term.waitFor, term.keys

	waitFor("the header", has("auctionsim timeout-demo", "▶ running", "speed 2×", "tmax 120ms", "seed 42", "Bidders", "Exchange"))
	keys("Space")
	waitFor("paused", has("‖ paused"))
	keys("t")
	waitFor("the new tmax and its change log entry", has("tmax 110ms", "Changes (1"))
	term.resize(70, 20)
	waitFor("the too-small message", has("terminal too small (need 80×24)"))
	term.resize(80, 24)
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
	waitFor("--set's suggestion under the line", has(":exchange.tmaxx=80ms", "! exchange.tmaxx: unknown field; did you mean tmax?"))
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
	if !strings.Contains(term.screen, "exit status 0") {
		t.Errorf("the program did not exit cleanly:\n%s", term.screen)
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
