package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestPlayAndServeUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"play", "-s", "classroom-vickrey", "--as", "dnaa"}, `no bidder named "dnaa"; did you mean dana?`},
		{[]string{"play", "-s", "classroom-vickrey", "--countdown", "-1s"}, "--countdown"},
		{[]string{"play", "-s", "classroom-vickrey", "--countdown", "1ns"}, "--countdown 1ns is too short"},
		{[]string{"play", "-s", "no-such-scenario"}, "no-such-scenario"},
		{[]string{"play", "extra"}, "unexpected argument"},
		{[]string{"serve", "-s", "classroom-vickrey"}, "--ssh ADDR is required"},
		{[]string{"serve", "--ssh", "nocolon"}, "want HOST:PORT"},
		{[]string{"serve", "--ssh", ":0", "-s", "classroom-vickrey", "--seats", "9"}, "has 5 bidders"},
		// Not every bidder, as 0 is when the flag is left out: it served.
		{[]string{"serve", "--ssh", "127.0.0.1:0", "-s", "classroom-vickrey", "--seats", "0"}, "--seats 0: want at least 1"},
		{[]string{"serve", "--ssh", ":0", "--round", "0s"}, "--round"},
		// Shorter than anyone can bid in, it would deal thousands of
		// rounds a second once a student sits. (A scenario that does
		// not load ends the command if it is let through.)
		{[]string{"serve", "--ssh", "127.0.0.1:0", "-s", "no-such-scenario", "--round", "20ms"}, "--round 20ms is too short"},
		{[]string{"serve", "--ssh", ":0", "--max-conns", "-1"}, "--max-conns"},
		// Not "no limit", as 0 is when the flag is left out. (A scenario
		// that does not load ends the command if 0 is let through, rather
		// than serving until the test times out.)
		{[]string{"serve", "--ssh", "127.0.0.1:0", "-s", "no-such-scenario", "--max-conns", "0"}, "--max-conns 0: want at least 1"},
		{[]string{"serve", "--ssh", "127.0.0.1:0", "-s", "no-such-scenario", "--room-code", ""}, "--room-code is empty"},
		{[]string{"serve", "--ssh", ":0", "--handshake-timeout", "0s"}, "--handshake-timeout"},
		// Nobody could press p to deal round 1: the room would wait for ever.
		{[]string{"serve", "--ssh", "127.0.0.1:0", "-s", "classroom-vickrey", "--paused"}, "--paused needs the room's screen"},
	} {
		r := run(t, t.TempDir(), c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
	// A host key file other users may read is refused before serving.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "key"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "key"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, dir, "serve", "--ssh", "127.0.0.1:0", "-s", "classroom-vickrey", "--host-key", "key")
	if r.code != exitUsage || !strings.Contains(r.stderr, "key") || !strings.Contains(r.stderr, "chmod 600") {
		t.Errorf("a world-readable host key: exit %d, stderr %q; want 2 and the fix", r.code, r.stderr)
	}
	// A seat found, but no terminal.
	r = run(t, t.TempDir(), "play", "-s", "classroom-vickrey", "--as", "dana")
	if r.code != exitUsage || !strings.Contains(r.stderr, "needs a terminal") {
		t.Errorf("play without a terminal: %d %q", r.code, r.stderr)
	}
	for _, cmd := range []string{"play", "serve"} {
		if r := run(t, "", "help", cmd); r.code != exitOK || !strings.Contains(r.stdout, "auctionsim "+cmd) {
			t.Errorf("help %s: %d %q", cmd, r.code, r.stdout)
		}
	}
}

// serveLimit bounds each wait in TestServeCommand. A wait ends as soon as
// its line comes; the limit only turns a hang into a failure, so it is
// generous for a busy CI machine under -race.
const serveLimit = 90 * time.Second

// The serve command end to end: a student joins over SSH and bids, the
// log shows it, and Ctrl-C exports the session.
func TestServeCommand(t *testing.T) {
	serveSession(t, syscall.SIGINT)
}

// TestServeSignals: SIGTERM (a service manager), SIGHUP (the trainer's
// terminal closed) and SIGQUIT close the room as Ctrl-C does: the session exported,
// the seated student told, exit 130. SIGTERM used to kill serve (143)
// with no export.
func TestServeSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		t.Run(sig.String(), func(t *testing.T) { serveSession(t, sig) })
	}
}

// syncBuffer is a bytes.Buffer safe for the SSH session's writer and the
// test's reader.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// serveSession runs serve, seats a student who plays a round, then sends
// sig: serve must export the session, tell the student and exit 130.
func serveSession(t *testing.T, sig syscall.Signal) {
	var stderr strings.Builder
	dir := t.TempDir()
	cmd, stdout := startServe(t, dir, &stderr)
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitLine := func(re *regexp.Regexp) []string {
		t.Helper()
		timeout := time.After(serveLimit)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("serve ended before %v; stderr %q", re, stderr.String())
				}
				if m := re.FindStringSubmatch(l); m != nil {
					return m
				}
			case <-timeout:
				t.Fatalf("no line matching %v", re)
			}
		}
	}
	addr := waitLine(regexp.MustCompile(`open on (\S+)`))[1]
	if _, err := os.Stat(filepath.Join(dir, "auctionsim_host_key")); err != nil {
		t.Fatalf("no host key generated: %v", err)
	}
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "zoe", Auth: []gossh.AuthMethod{gossh.Password("tulip")},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: serveLimit,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, _ := sess.StdinPipe()
	var screen syncBuffer
	sess.Stdout = &screen
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waitLine(regexp.MustCompile(`zoe joined`))
	time.Sleep(300 * time.Millisecond) // let the screen take its first state
	// The screen may not have its first state yet: type the bid until
	// round 1 closes on it (later copies land in later rounds or nowhere).
	closed := false
	for deadline := time.Now().Add(serveLimit); !closed && time.Now().Before(deadline); {
		in.Write([]byte("0.5\r"))
		select {
		case l := <-lines:
			closed = strings.Contains(l, "round 1 ")
		case <-time.After(200 * time.Millisecond):
		}
	}
	if !closed {
		t.Fatal("round 1 never closed")
	}
	// The student stays seated: the signal closes the room under them.
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	// One round played: "1 round", not "1 rounds".
	waitLine(regexp.MustCompile(`session \(1 round\) exported to`))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
			t.Fatalf("serve after %v: exit %d (%v), want 130; stderr %q", sig, code, cmd.ProcessState, stderr.String())
		}
	case <-time.After(serveLimit):
		t.Fatalf("serve did not end after %v", sig)
	}
	ended := make(chan error, 1)
	go func() { ended <- sess.Wait() }()
	select {
	case <-ended:
	case <-time.After(serveLimit):
		t.Fatal("the student's session did not end with the room")
	}
	if !strings.Contains(screen.String(), "the trainer closed the room") {
		t.Errorf("the student was not told the room closed; the screen's end: %q", tail(screen.String(), 300))
	}
	raw, err := os.ReadFile(filepath.Join(dir, "session.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Scenario string `json:"scenario"`
		Rounds   []struct {
			Seats []struct {
				Student string   `json:"student"`
				Bid     *float64 `json:"bid"`
			} `json:"seats"`
		} `json:"rounds"`
		Board []struct {
			Name   string `json:"name"`
			Rounds int    `json:"rounds"`
		} `json:"leaderboard"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if s.Scenario != "classroom-vickrey" || len(s.Rounds) == 0 || s.Rounds[0].Seats[0].Student != "zoe" ||
		s.Rounds[0].Seats[0].Bid == nil || *s.Rounds[0].Seats[0].Bid != 0.5 || len(s.Board) != 1 || s.Board[0].Name != "zoe" {
		t.Fatalf("session: %s", raw)
	}
}

// tail is the last n bytes of s.
func tail(s string, n int) string { return s[max(len(s)-n, 0):] }

// TestServeEmptyRoomSaysNothingExported: a room closed by a signal before
// any round was played writes no --export, and says so instead of
// leaving the lecturer to look for the file.
func TestServeEmptyRoomSaysNothingExported(t *testing.T) {
	var stderr syncBuffer
	dir := t.TempDir()
	cmd, stdout := startServe(t, dir, &stderr)
	defer cmd.Process.Kill()
	open := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "open on ") {
				open <- true
			}
		}
		close(open)
	}()
	select {
	case ok := <-open:
		if !ok {
			t.Fatalf("serve ended before it opened; stderr %q", stderr.String())
		}
	case <-time.After(serveLimit):
		t.Fatal("serve never opened")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitAfterSIGINT(t, cmd, serveLimit, "serve did not end after SIGTERM")
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Errorf("exit %d, want %d", code, exitInterrupted)
	}
	if !strings.Contains(stderr.String(), "no round was played: nothing exported") {
		t.Errorf("stderr %q does not say that nothing was exported", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "session.json")); !os.IsNotExist(err) {
		t.Errorf("session.json: %v, want none", err)
	}
}

// startServe starts a one-seat classroom-vickrey serve on a free port in
// dir, exporting session.json, its stderr to stderr; the caller kills it.
func startServe(t *testing.T, dir string, stderr io.Writer) (*exec.Cmd, io.ReadCloser) {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--ssh", "127.0.0.1:0", "-s", "classroom-vickrey",
		"--seats", "1", "--round", "20s", "--room-code", "tulip", "--export", "session.json")
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdout
}

// TestBadListenAddressesAreUsage: a listening address that is not one
// (no port, a port past 65535, a port no service is named) is refused
// as bad usage, exit 2, naming the flag, for serve and bidders alike;
// before, a port out of range was a server that failed (exit 1).
func TestBadListenAddressesAreUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--ssh", "127.0.0.1:99999", "-s", "classroom-vickrey"}, "--ssh"},
		{[]string{"serve", "--ssh", ":no-such-service", "-s", "classroom-vickrey"}, "--ssh"},
		{[]string{"bidders", "--listen", "nonsense", "--for", "1ms"}, "--listen"},
		{[]string{"bidders", "--listen", "127.0.0.1:99999", "--for", "1ms"}, "--listen"},
	} {
		r := run(t, t.TempDir(), c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
}
