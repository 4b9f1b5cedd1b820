package classroom

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// rawConn opens a TCP connection that never speaks SSH, and returns it
// once the server has sent its version: it is then counted.
func rawConn(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, limit)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetReadDeadline(time.Now().Add(limit))
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	if err != nil || !strings.HasPrefix(string(buf[:n]), "SSH-2.0-") {
		t.Fatalf("no SSH version from the server: %q, %v", buf[:n], err)
	}
	return c
}

// closedByServer reports whether the server closes c, read to its end
// within limit; data is what came before the end.
func closedByServer(c net.Conn) (closed bool, data string) {
	c.SetReadDeadline(time.Now().Add(limit))
	b, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false, string(b)
	}
	return true, string(b)
}

// TestSSHConnectionCap: past the cap, a connection is closed as it
// arrives, before a byte is sent; closing the idle ones lets a student
// in. 20,400 idle connections used to fill the server's descriptors.
func TestSSHConnectionCap(t *testing.T) {
	const max = 3
	log := &logLines{}
	srv := startServer(t, testRoomConfig(2, time.Minute), "", func(o *ServerOptions) {
		o.MaxConns, o.Log = max, log
	})
	idle := make([]net.Conn, max)
	for i := range idle {
		idle[i] = rawConn(t, srv.addr)
	}
	for i := range 5 {
		c, err := net.DialTimeout("tcp", srv.addr, limit)
		if err != nil {
			t.Fatal(err)
		}
		closed, data := closedByServer(c)
		c.Close()
		if !closed || data != "" {
			t.Fatalf("connection %d over the cap of %d: closed %v, received %q", i+1, max, closed, data)
		}
	}
	if !strings.Contains(log.String(), "connections open, the cap") {
		t.Errorf("the cap was not logged:\n%s", log)
	}
	for _, c := range idle {
		c.Close()
	}
	// The places come back as the server sees the closes: retry, and
	// seat the student on the connection that got in (one closed to dial
	// again can still hold its place when the server is slow to see it).
	deadline := time.Now().Add(limit)
	for {
		c, err := srv.dial("ann", srv.code)
		if err == nil {
			seated(t, c).waitOutput(t, "Your value")
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no student got in after the idle connections closed: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSSHHandshakeTimeout: a connection that does not finish its
// handshake and open its session in time is closed (it used to stay for
// the hour's idle timeout), and its place goes to a real student.
func TestSSHHandshakeTimeout(t *testing.T) {
	const max = 2
	srv := startServer(t, testRoomConfig(2, time.Minute), "", func(o *ServerOptions) {
		o.MaxConns, o.HandshakeTimeout = max, 300*time.Millisecond
	})
	idle := []net.Conn{rawConn(t, srv.addr), rawConn(t, srv.addr)}
	for i, c := range idle {
		if closed, _ := closedByServer(c); !closed {
			t.Fatalf("idle connection %d still open after %v", i, limit)
		}
	}
	// A student who plays past the handshake timeout keeps the seat.
	ann := srv.connect(t, "ann")
	ann.waitOutput(t, "Your value")
	time.Sleep(600 * time.Millisecond)
	if _, err := ann.sess.SendRequest("window-change", true, gossh.Marshal(struct{ W, H, PW, PH uint32 }{90, 30, 0, 0})); err != nil {
		t.Fatalf("a seated student was cut at the handshake timeout: %v", err)
	}
}

// TestSSHThrottle: after MaxFailures wrong room codes from one address,
// its attempts are refused, the right code too, until the backoff ends;
// each failure and the throttle are logged with address, user and time.
// Guessing used to run at 488 tries a second, logged nowhere.
func TestSSHThrottle(t *testing.T) {
	log := &logLines{}
	srv := startServer(t, testRoomConfig(2, time.Minute), "tulip", func(o *ServerOptions) {
		o.MaxFailures, o.Backoff, o.Log = 3, 2*time.Second, log
	})
	for i := range 3 {
		if c, err := srv.dial("mallory", "guess"); err == nil {
			c.Close()
			t.Fatalf("guess %d let in", i)
		}
	}
	if c, err := srv.dial("mallory", "tulip"); err == nil {
		c.Close()
		t.Fatal("the right code was let in from a throttled address")
	}
	l := log.String()
	if n := strings.Count(l, `failed room code from 127.0.0.1 as "mallory" at `); n != 3 {
		t.Errorf("%d failures logged, want 3:\n%s", n, l)
	}
	if !strings.Contains(l, `throttled 127.0.0.1 as "mallory" at `) {
		t.Errorf("the throttle was not logged:\n%s", l)
	}
	// After the backoff the right code gets in again.
	deadline := time.Now().Add(limit)
	for {
		c, err := srv.dial("ann", "tulip")
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the right code was refused after the backoff: %v", err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestSSHRequestsRefused: a session may have a terminal, a shell and its
// window's size, nothing else: env and agent forwarding used to be
// granted.
func TestSSHRequestsRefused(t *testing.T) {
	srv := startServer(t, testRoomConfig(2, time.Minute), "")
	c, err := srv.dial("eve", "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Setenv("LD_PRELOAD", "/tmp/x.so"); err == nil {
		t.Error("env was granted")
	}
	if err := agent.RequestAgentForwarding(sess); err == nil {
		t.Error("agent forwarding (auth-agent-req) was granted")
	}
	for _, req := range []string{"x11-req", "signal", "break", "exec", "subsystem", "xon-xoff"} {
		if ok, err := sess.SendRequest(req, true, nil); ok {
			t.Errorf("%s was granted (%v)", req, err)
		}
	}
	if ok, _, err := c.SendRequest("keepalive@openssh.com", true, nil); ok {
		t.Errorf("a global request was granted (%v)", err)
	}
	sess.Close()
	srv.connect(t, "eve").waitOutput(t, "Your value")
}

// TestHostKeyExposed: a host key file others may read is refused, naming
// the file and the fix.
func TestHostKeyExposed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	if _, err := HostKey(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := HostKey(path)
	if !errors.Is(err, ErrHostKeyExposed) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a world-readable host key: %v", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := HostKey(path); err != nil {
		t.Fatalf("a private host key refused: %v", err)
	}
}
