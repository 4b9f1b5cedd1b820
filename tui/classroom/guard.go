package classroom

import (
	"crypto/subtle"
	"net"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/logging"
	gossh "golang.org/x/crypto/ssh"
)

// The room's defaults against floods and guessing (ServerOptions).
const (
	// DefaultHandshakeTimeout is how long a connection has, from its
	// first byte, to finish the SSH handshake, give the room code and
	// take a seat (a session with a terminal and a shell).
	DefaultHandshakeTimeout = 10 * time.Second
	// DefaultMaxFailures failed room codes from one address within
	// DefaultFailureWindow throttle it for DefaultBackoff.
	DefaultMaxFailures   = 5
	DefaultFailureWindow = time.Minute
	DefaultBackoff       = time.Minute
	// capLogEvery spaces the log's lines about refused connections, so
	// that a flood does not flood the log too.
	capLogEvery = 10 * time.Second
)

// DefaultMaxConns is the cap on concurrent connections for a room of
// seats: four per seat (a student who reconnects, a second window) and
// eight more for the refused and the curious.
func DefaultMaxConns(seats int) int { return 4*seats + 8 }

// guard holds the limits ServerOptions set on connections: the cap, the
// handshake timeout, and the throttle on failed room codes per address.
type guard struct {
	max       int
	handshake time.Duration
	limit     int
	window    time.Duration
	backoff   time.Duration
	log       logging.Logger

	mu      sync.Mutex
	open    int
	refused int       // connections refused at the cap since the last line
	capLog  time.Time // when the cap was last logged
	fails   map[string]*failures
}

// failures are one address's recent failed room codes.
type failures struct {
	times []time.Time // within the window, oldest first
	until time.Time   // throttled until then
}

func (g *guard) logf(format string, args ...any) {
	if g.log != nil {
		g.log.Printf(format, args...)
	}
}

// connKey is where the guarded connection is kept in the ssh.Context.
type connKey struct{}

// guardedConn is an accepted connection counted against the cap, closed
// unless it takes a seat within the handshake timeout.
type guardedConn struct {
	net.Conn
	g    *guard
	once sync.Once

	mu    sync.Mutex // the timer is set after it may already have fired
	timer *time.Timer
}

// stopTimer stops the handshake's clock, if it is running.
func (c *guardedConn) stopTimer() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
	}
}

func (c *guardedConn) Close() error {
	c.once.Do(func() {
		c.stopTimer()
		c.g.mu.Lock()
		c.g.open--
		c.g.mu.Unlock()
	})
	return c.Conn.Close()
}

// accept is the server's ConnCallback: a connection over the cap is
// closed at once; the others must open their session in time.
func (g *guard) accept(ctx ssh.Context, conn net.Conn) net.Conn {
	now := time.Now()
	g.mu.Lock()
	if g.open >= g.max {
		g.refused++
		n, logIt := g.refused, now.Sub(g.capLog) >= capLogEvery
		if logIt {
			g.refused, g.capLog = 0, now
		}
		g.mu.Unlock()
		if logIt {
			g.logf("refused %s at %s: %d connections open, the cap (--max-conns); %d refused since the last such line",
				conn.RemoteAddr(), now.Format(time.RFC3339), g.max, n)
		}
		return nil // the server closes it
	}
	g.open++
	g.mu.Unlock()
	c := &guardedConn{Conn: conn, g: g}
	// Closing the socket ends the handshake's reads: the server drops
	// the connection and Close gives its place back.
	c.mu.Lock()
	c.timer = time.AfterFunc(g.handshake, func() { _ = c.Close() })
	c.mu.Unlock()
	ctx.SetValue(connKey{}, c)
	return c
}

// started stops the handshake's clock: the connection has its seat. One
// that never gets one (no terminal, the room full) is closed at the
// timeout all the same.
func started(ctx ssh.Context) {
	if c, ok := ctx.Value(connKey{}).(*guardedConn); ok {
		c.stopTimer()
	}
}

// hostOf is the address without its port, the throttle's key.
func hostOf(a net.Addr) string {
	if host, _, err := net.SplitHostPort(a.String()); err == nil {
		return host
	}
	return a.String()
}

// password checks a room code, throttling an address that got it wrong
// too often: while throttled, its attempts are refused unread and the
// connection closed.
func (g *guard) password(ctx ssh.Context, password string, code []byte) bool {
	host, now := hostOf(ctx.RemoteAddr()), time.Now()
	g.mu.Lock()
	f := g.fails[host]
	if f != nil && now.Before(f.until) {
		g.mu.Unlock()
		if c, ok := ctx.Value(connKey{}).(*guardedConn); ok {
			_ = c.Close()
		}
		return false
	}
	if subtle.ConstantTimeCompare([]byte(password), code) == 1 {
		g.mu.Unlock()
		return true
	}
	if f == nil {
		f = &failures{}
		g.fails[host] = f
	}
	keep := f.times[:0]
	for _, t := range f.times {
		if now.Sub(t) < g.window {
			keep = append(keep, t)
		}
	}
	f.times = append(keep, now)
	n := len(f.times)
	throttled := n >= g.limit
	until := now.Add(g.backoff)
	if throttled {
		f.times, f.until = nil, until
	}
	g.mu.Unlock()
	at := now.Format(time.RFC3339)
	g.logf("failed room code from %s as %q at %s (%d within %v)", host, ctx.User(), at, n, g.window)
	if throttled {
		g.logf("throttled %s as %q at %s: %d failed room codes within %v; every attempt refused until %s",
			host, ctx.User(), at, n, g.window, until.Format(time.RFC3339))
	}
	return false
}

// theGameOnly is the session channel's handler: the session's requests
// other than a terminal, a shell and its window's size (env,
// auth-agent-req, exec, subsystem, x11-req, signal, break...) are
// answered false before the server's own handler, which would grant
// env and agent forwarding, sees them.
func theGameOnly(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	ssh.DefaultSessionHandler(srv, conn, filtered{ch}, ctx)
}

// filtered is a new session channel whose requests are filtered.
type filtered struct{ gossh.NewChannel }

func (f filtered) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for r := range reqs {
			switch r.Type {
			case "pty-req", "shell", "window-change":
				out <- r
			default:
				if r.WantReply {
					_ = r.Reply(false, nil)
				}
			}
		}
	}()
	return ch, out, nil
}
