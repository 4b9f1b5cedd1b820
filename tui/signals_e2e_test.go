package tui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestSignalsRestoreTerminal runs the dashboard in a real terminal (tmux,
// on a private socket), sends it each signal that may end it, and checks
// that it exits 130 and leaves the terminal as it found it: `stty -a`
// after it must show icanon, echo, isig and opost on. SIGQUIT used to leave
// the terminal raw (-icanon -echo -isig -opost), SIGTERM exited 0 and
// SIGINT 1. Skipped without tmux (CI installs it: .ci/run).
func TestSignalsRestoreTerminal(t *testing.T) {
	tmux := lookTmux(t)
	dir := t.TempDir()
	bin := buildAuctionsim(t, dir)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1} {
		t.Run(sig.String(), func(t *testing.T) {
			sock := filepath.Join(dir, "tmux-"+strconv.Itoa(int(sig))+".sock")
			pidFile := filepath.Join(dir, "pid-"+strconv.Itoa(int(sig)))
			// The inner shell leaves its pid and becomes the dashboard;
			// the outer one reports the exit status and the terminal's
			// modes after it.
			script := `sh -c 'echo $$ > ` + pidFile + `; exec ` + bin + ` tui -s timeout-demo'; ` +
				`echo "exit status $?"; stty -a; echo "end of stty"; sleep 60`
			term := newTmuxTerm(t, tmux, sock, "sig", 120, 40, script)
			term.join = true
			waitFor := func(what, want string) { t.Helper(); term.waitFor(what, has(want)) }
			waitFor("the dashboard", "auctionsim timeout-demo")
			raw, err := os.ReadFile(pidFile)
			if err != nil {
				t.Fatal(err)
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
			if err != nil {
				t.Fatal(err)
			}
			if err := syscall.Kill(pid, sig); err != nil {
				t.Fatal(err)
			}
			waitFor("stty's modes after the exit", "end of stty")
			screen := term.screen
			if !strings.Contains(screen, "exit status 130") {
				t.Errorf("after %v: want exit status 130; the screen:\n%s", sig, screen)
			}
			modes := map[string]bool{}
			for _, f := range strings.Fields(screen) {
				modes[f] = true
			}
			for _, m := range []string{"icanon", "echo", "isig", "opost"} {
				if !modes[m] || modes["-"+m] {
					t.Errorf("after %v the terminal is left with %s off; the screen:\n%s", sig, m, screen)
				}
			}
		})
	}
}
