package classroom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"

	"github.com/charmbracelet/wish/ratelimiter"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// limit bounds every wait in these tests. A wait ends as soon as its
// condition holds; the limit only turns a hang into a failure, so it is
// generous for a busy CI machine under -race.
const limit = 90 * time.Second

type server struct {
	room      *room.Room
	closeRoom func() // ends the room's Run
	addr      string
	key       gossh.PublicKey
	code      string
}

func testRoomConfig(seats int, round time.Duration) room.Config {
	cfg := sim.Config{
		Name: "ssh", Seed: 5, Traffic: sim.Traffic{QPS: 1},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
	}
	for i := range 4 {
		cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{Name: fmt.Sprintf("b%d", i), Value: sim.Uniform(0, 1)})
	}
	return room.Config{Scenario: "ssh-test", Sim: cfg, Seats: seats, Round: round}
}

// startServer serves a room of cfg on 127.0.0.1, with the room code
// code; with sets further options.
func startServer(t *testing.T, cfg room.Config, code string, with ...func(*ServerOptions)) *server {
	t.Helper()
	rm, err := room.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go rm.Run(ctx)
	keyPath := filepath.Join(t.TempDir(), "host_key")
	opt := ServerOptions{Room: rm, HostKey: keyPath, RoomCode: code}
	for _, f := range with {
		f(&opt)
	}
	srv, err := NewServer(opt)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		cancel()
		<-rm.Done()
	})
	signer, err := HostKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	return &server{room: rm, closeRoom: cancel, addr: ln.Addr().String(), key: signer.PublicKey(), code: code}
}

func (s *server) dial(user, password string) (*gossh.Client, error) {
	cfg := &gossh.ClientConfig{
		User:            user,
		HostKeyCallback: gossh.FixedHostKey(s.key),
		Timeout:         limit,
	}
	if password != "" {
		cfg.Auth = []gossh.AuthMethod{gossh.Password(password)}
	}
	return gossh.Dial("tcp", s.addr, cfg)
}

// screen is a session's output, safe to read while it is written.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// student is one SSH client playing in the room.
type student struct {
	client *gossh.Client
	sess   *gossh.Session
	in     io.WriteCloser
	out    *screen
}

func (s *server) connect(t *testing.T, user string) *student {
	t.Helper()
	c, err := s.dial(user, s.code)
	if err != nil {
		t.Fatalf("%s: dial: %v", user, err)
	}
	return seated(t, c)
}

// seated opens a student's session on a client already connected.
func seated(t *testing.T, c *gossh.Client) *student {
	t.Helper()
	t.Cleanup(func() { c.Close() })
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 40, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &screen{}
	sess.Stdout, sess.Stderr = out, out
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return &student{client: c, sess: sess, in: in, out: out}
}

// waitOutput waits until the student's screen shows want.
func (st *student) waitOutput(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if strings.Contains(st.out.String(), want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the screen never showed %q; it shows:\n%q", want, tail(st.out.String()))
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

// waitRoom waits for a room state that satisfies ok.
func waitRoom(t *testing.T, ch <-chan room.State, what string, ok func(room.State) bool) room.State {
	t.Helper()
	timeout := time.After(limit)
	var last room.State
	for {
		select {
		case s := <-ch:
			if ok(s) {
				return s
			}
			last = s
		case <-timeout:
			t.Fatalf("waiting for %s: timed out; the room is at %+v", what, last)
		}
	}
}

func seatOf(s room.State, name string) int {
	for i, sv := range s.Seats {
		if sv.Student == name {
			return i
		}
	}
	return -1
}

// Three students play over SSH at once; one disconnects mid-round without
// disturbing it.
func TestSSHStudentsPlay(t *testing.T) {
	srv := startServer(t, testRoomConfig(3, time.Minute), "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watch := srv.room.Watch(ctx)

	names := []string{"ann", "bob", "cy"}
	students := map[string]*student{}
	for _, n := range names {
		students[n] = srv.connect(t, n)
	}
	// Wait for a round that all three are in: while someone who joined
	// mid-round waits, the others pass to move on.
	passed := map[uint64]bool{}
	s := waitRoom(t, watch, "a round with all three", func(s room.State) bool {
		if s.Round == 0 || seatOf(s, "ann") < 0 || seatOf(s, "bob") < 0 || seatOf(s, "cy") < 0 {
			return false
		}
		waiting := false
		for _, sv := range s.Seats {
			waiting = waiting || sv.Waiting
		}
		if waiting && !passed[s.Round] {
			passed[s.Round] = true
			for _, sv := range s.Seats {
				if sv.Student != "" && !sv.Waiting {
					st := students[sv.Student]
					st.waitOutput(t, fmt.Sprintf("Round %d", s.Round))
					st.in.Write([]byte("p"))
				}
			}
		}
		return !waiting
	})
	round := s.Round
	for _, n := range names {
		students[n].waitOutput(t, "Your value for this impression")
	}
	students["ann"].in.Write([]byte("0.5\r"))
	students["bob"].in.Write([]byte("0.25\r"))
	s = waitRoom(t, watch, "ann and bob have bid", func(s room.State) bool {
		return s.Round == round && s.Seats[seatOf(s, "ann")].Bid && s.Seats[seatOf(s, "bob")].Bid
	})
	if s.Seats[seatOf(s, "cy")].Bid {
		t.Fatal("cy's seat shows a bid cy never made")
	}
	// cy's connection drops mid-round: the seat is freed, the round
	// closes with ann's and bob's bids.
	students["cy"].client.Close()
	s = waitRoom(t, watch, "the round closed", func(s room.State) bool {
		return s.Last != nil && s.Last.Result.Number == round
	})
	rec := s.Last
	byStudent := map[string]int{}
	for i, n := range rec.Students {
		byStudent[n] = i
	}
	if a := rec.Result.Seats[byStudent["ann"]].Bid.Amount; a != sim.PriceOf(0.5) {
		t.Errorf("ann's bid %v, typed 0.5", a)
	}
	if b := rec.Result.Seats[byStudent["bob"]].Bid.Amount; b != sim.PriceOf(0.25) {
		t.Errorf("bob's bid %v, typed 0.25", b)
	}
	if _, ok := byStudent["cy"]; ok {
		t.Errorf("cy left before bidding but is in the round: %q", rec.Students)
	}
	if seatOf(s, "cy") >= 0 {
		t.Error("cy's seat is still taken")
	}
	students["ann"].waitOutput(t, "Had you bid your value")
	// ann leaves with q; the session ends cleanly.
	students["ann"].in.Write([]byte("q"))
	done := make(chan error, 1)
	go func() { done <- students["ann"].sess.Wait() }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatal("q did not end ann's session")
	}
	waitRoom(t, watch, "ann's seat freed", func(s room.State) bool { return seatOf(s, "ann") < 0 })
}

func TestSSHRoomFull(t *testing.T) {
	srv := startServer(t, testRoomConfig(1, time.Minute), "")
	first := srv.connect(t, "ann")
	first.waitOutput(t, "Your value")
	second := srv.connect(t, "bob")
	second.waitOutput(t, "the room is full")
	done := make(chan error, 1)
	go func() { done <- second.sess.Wait() }()
	select {
	case err := <-done:
		var exit *gossh.ExitError
		if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
			t.Errorf("room full: session ended with %v, want exit status 1", err)
		}
	case <-time.After(limit):
		t.Fatal("a student in a full room was not disconnected")
	}
}

func TestSSHRoomCode(t *testing.T) {
	srv := startServer(t, testRoomConfig(2, time.Minute), "tulip-42")
	if c, err := srv.dial("ann", "wrong"); err == nil {
		c.Close()
		t.Fatal("a wrong room code was let in")
	}
	if c, err := srv.dial("ann", ""); err == nil {
		c.Close()
		t.Fatal("no room code was let in")
	}
	st := srv.connect(t, "ann")
	st.waitOutput(t, "Your value")
}

// Nothing but the game: no exec, no sftp, no port forwarding, no shell
// without a terminal.
func TestSSHNothingButTheGame(t *testing.T) {
	srv := startServer(t, testRoomConfig(2, time.Minute), "")
	c, err := srv.dial("eve", "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	sess, _ := c.NewSession()
	if out, err := sess.CombinedOutput("cat /etc/passwd"); err == nil || len(out) > 0 {
		t.Errorf("exec: err %v, output %q", err, out)
	}
	sess.Close()

	sess, _ = c.NewSession()
	if err := sess.RequestSubsystem("sftp"); err == nil {
		t.Error("the sftp subsystem was granted")
	}
	sess.Close()

	if ln, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
		t.Error("remote port forwarding was granted")
	}
	if conn, err := c.Dial("tcp", srv.addr); err == nil {
		conn.Close()
		t.Error("local port forwarding was granted")
	}

	sess, _ = c.NewSession()
	out := &screen{}
	sess.Stdout = out
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	err = sess.Wait()
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 || !strings.Contains(out.String(), "needs a terminal") {
		t.Errorf("shell without a terminal: %v, %q", err, out.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	sn, err := srv.room.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sn.Board) != 0 {
		t.Errorf("refused sessions took seats: %+v", sn.Board)
	}
}

func TestHostKeyKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	a, err := HostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", fi, err)
	}
	b, err := HostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.PublicKey().Marshal(), b.PublicKey().Marshal()) {
		t.Fatal("the host key changed between starts")
	}
	bad := filepath.Join(t.TempDir(), "bad")
	os.WriteFile(bad, []byte("not a key"), 0o600)
	if _, err := HostKey(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("a bad key file: %v", err)
	}
}

// The real ssh command joins and bids, as a student would.
func TestSSHCommand(t *testing.T) {
	bin, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("no ssh command")
	}
	srv := startServer(t, testRoomConfig(2, time.Minute), "")
	ctx, cancel := context.WithTimeout(context.Background(), 2*limit)
	defer cancel()
	watch := srv.room.Watch(ctx)
	_, port, _ := net.SplitHostPort(srv.addr)
	home := t.TempDir()
	cmd := exec.CommandContext(ctx, bin, "-tt", "-p", port,
		"-F", "/dev/null",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5",
		"dana@127.0.0.1")
	cmd.Env = append(os.Environ(), "HOME="+home, "TERM=xterm")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &screen{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	st := &student{in: in, out: out}
	st.waitOutput(t, "Your value for this impression")
	s := waitRoom(t, watch, "dana seated", func(s room.State) bool { return s.Round > 0 && seatOf(s, "dana") >= 0 })
	in.Write([]byte("0.75\r"))
	s = waitRoom(t, watch, "dana's round closed", func(x room.State) bool {
		return x.Last != nil && x.Last.Result.Number == s.Round
	})
	i := seatOf(s, "dana")
	if got := s.Last.Result.Seats[i].Bid.Amount; got != sim.PriceOf(0.75) {
		t.Fatalf("dana typed 0.75, the room got %v", got)
	}
	st.waitOutput(t, "Had you bid your value")
	in.Write([]byte("q"))
	if err := cmd.Wait(); err != nil && ctx.Err() != nil {
		t.Fatalf("ssh did not end after q: %v\n%s", err, tail(out.String()))
	}
}

// An address that opens sessions too fast is refused (wish's rate
// limiter) before it can take a seat; the sessions before it play.
func TestSSHRateLimited(t *testing.T) {
	srv := startServer(t, testRoomConfig(3, time.Minute), "", func(o *ServerOptions) {
		o.Limiter = ratelimiter.NewRateLimiter(rate.Every(time.Hour), 2, 16)
	})
	for _, n := range []string{"ann", "bob"} {
		srv.connect(t, n).waitOutput(t, "Leaderboard") // seated
	}
	cy := srv.connect(t, "cy")
	cy.waitOutput(t, "rate limit exceeded")
	done := make(chan error, 1)
	go func() { done <- cy.sess.Wait() }()
	select {
	case err := <-done:
		var exit *gossh.ExitError
		if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
			t.Errorf("rate limited: session ended with %v, want exit status 1", err)
		}
	case <-time.After(limit):
		t.Fatal("a rate-limited session was not ended")
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	sn, err := srv.room.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range sn.Board {
		if e.Name == "cy" {
			t.Errorf("a rate-limited student took a seat: %+v", sn.Board)
		}
	}
}

// logLines is a logging.Logger that keeps its lines.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) Printf(format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, v...))
}

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// With a log, each session is logged as it starts (user, address,
// terminal and size) and as it ends.
func TestSSHLogged(t *testing.T) {
	log := &logLines{}
	srv := startServer(t, testRoomConfig(2, time.Minute), "", func(o *ServerOptions) { o.Log = log })
	ann := srv.connect(t, "ann")
	ann.waitOutput(t, "Your value")
	ann.in.Write([]byte("q"))
	deadline := time.Now().Add(limit)
	for !strings.Contains(log.String(), "disconnect") {
		if time.Now().After(deadline) {
			t.Fatalf("no disconnection logged; the log:\n%s", log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	l := log.String()
	if !strings.Contains(l, "ann connected from 127.0.0.1:") || !strings.Contains(l, "terminal xterm-256color 100×40") ||
		!strings.Contains(l, "ann disconnected from 127.0.0.1:") {
		t.Errorf("the connection's line lacks the user, address or terminal:\n%s", l)
	}
}

// When the room closes, a seated student's program ends, and the session
// with it.
func TestSSHRoomCloses(t *testing.T) {
	srv := startServer(t, testRoomConfig(2, time.Minute), "")
	ann := srv.connect(t, "ann")
	ann.waitOutput(t, "Your value")
	srv.closeRoom()
	done := make(chan error, 1)
	go func() { done <- ann.sess.Wait() }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatal("the session outlived the room")
	}
}
