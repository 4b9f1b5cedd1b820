package tui

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalsRestoreTerminal runs the dashboard in a real terminal (tmux,
// on a private socket), sends it each signal that may end it, and checks
// that it exits 130 and leaves the terminal as it found it: `stty -a`
// after it must show icanon, echo, isig and opost on. SIGQUIT used to leave
// the terminal raw (-icanon -echo -isig -opost), SIGTERM exited 0 and
// SIGINT 1. Skipped without tmux (CI installs it: .ci/run).
func TestSignalsRestoreTerminal(t *testing.T) {
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
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1} {
		t.Run(sig.String(), func(t *testing.T) {
			sock := filepath.Join(dir, "tmux-"+strconv.Itoa(int(sig))+".sock")
			run := func(args ...string) (string, error) {
				out, err := exec.Command(tmux, append([]string{"-S", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
				return string(out), err
			}
			pidFile := filepath.Join(dir, "pid-"+strconv.Itoa(int(sig)))
			// The inner shell leaves its pid and becomes the dashboard;
			// the outer one reports the exit status and the terminal's
			// modes after it.
			script := `sh -c 'echo $$ > ` + pidFile + `; exec ` + bin + ` tui -s timeout-demo'; ` +
				`echo "exit status $?"; stty -a; echo "end of stty"; sleep 60`
			if out, err := run("new-session", "-d", "-s", "sig", "-x", "120", "-y", "40", "sh", "-c", script); err != nil {
				t.Fatalf("tmux new-session: %v\n%s", err, out)
			}
			t.Cleanup(func() { _, _ = run("kill-server") })
			var screen string
			waitFor := func(what, want string) {
				t.Helper()
				deadline := time.Now().Add(waitLimit)
				for {
					out, err := run("capture-pane", "-p", "-J", "-t", "sig")
					if err == nil {
						screen = out
						if strings.Contains(screen, want) {
							return
						}
					}
					if time.Now().After(deadline) {
						t.Fatalf("screen never showed %s; last screen:\n%s", what, screen)
					}
					time.Sleep(50 * time.Millisecond) // polling the terminal; the wait ends on the condition
				}
			}
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
