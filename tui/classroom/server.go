package classroom

import (
	"cmp"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/activeterm"
	"github.com/charmbracelet/wish/bubbletea"
	"github.com/charmbracelet/wish/logging"
	"github.com/charmbracelet/wish/ratelimiter"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// ServerOptions configure the classroom's SSH server.
type ServerOptions struct {
	Room    *room.Room
	Addr    string // host:port to listen on
	HostKey string // the host key's file; generated there on first start
	// RoomCode, if set, is the password every student must give; if empty
	// anyone who reaches the port may join.
	RoomCode string
	// IdleTimeout drops a connection with no traffic for so long; zero: an
	// hour, so forgotten sessions do not hold seats for ever.
	IdleTimeout time.Duration
	// Limiter bounds how often one address may open a session; nil: a
	// burst of twice the seats plus ten (a class behind one NAT joins at
	// once), then one every JoinEvery.
	Limiter ratelimiter.RateLimiter
	// Log, if set, gets a line per session as it starts and as it ends
	// (who, from where, the terminal, how long), per failed room code and
	// per throttled address (who, from where, when), and about
	// connections refused at the cap; nil: none, as the trainer's
	// dashboard may share the server's terminal.
	Log logging.Logger
	// MaxConns caps the connections open at once, in any state; over it
	// a connection is closed as it arrives. Zero: DefaultMaxConns.
	MaxConns int
	// HandshakeTimeout closes a connection that has not finished the
	// SSH handshake, given the room code and taken a seat so long after
	// it arrived; zero: DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// MaxFailures failed room codes from one address (its IP, any port)
	// within FailureWindow throttle it for Backoff: its attempts are
	// refused unread and its connections closed. Zero: the defaults
	// (DefaultMaxFailures, DefaultFailureWindow, DefaultBackoff).
	MaxFailures   int
	FailureWindow time.Duration
	Backoff       time.Duration
}

// DefaultIdleTimeout is ServerOptions.IdleTimeout's default.
const DefaultIdleTimeout = time.Hour

// JoinEvery is how often one address may open a session once the default
// limiter's burst is spent.
const JoinEvery = 6 * time.Second

// NewServer builds the SSH server, wish's with its middleware: every
// session with a terminal takes a free seat as the SSH user's name and
// plays in the room. Nothing else is served: shell sessions only run the
// game, and exec requests, subsystems (sftp) and port forwarding are
// refused.
func NewServer(opt ServerOptions) (*ssh.Server, error) {
	if opt.Room == nil {
		return nil, errors.New("classroom: no room")
	}
	if opt.IdleTimeout == 0 {
		opt.IdleTimeout = DefaultIdleTimeout
	}
	g := &guard{
		max:       cmp.Or(opt.MaxConns, DefaultMaxConns(opt.Room.Table().Seats())),
		handshake: cmp.Or(opt.HandshakeTimeout, DefaultHandshakeTimeout),
		limit:     cmp.Or(opt.MaxFailures, DefaultMaxFailures),
		window:    cmp.Or(opt.FailureWindow, DefaultFailureWindow),
		backoff:   cmp.Or(opt.Backoff, DefaultBackoff),
		log:       opt.Log,
		fails:     map[string]*failures{},
	}
	if g.max < 1 || g.handshake < 0 || g.limit < 1 || g.window < 0 || g.backoff < 0 {
		return nil, fmt.Errorf("classroom: limits out of range: %d connections, handshake %v, %d failures in %v, backoff %v",
			g.max, g.handshake, g.limit, g.window, g.backoff)
	}
	signer, err := HostKey(opt.HostKey)
	if err != nil {
		return nil, err
	}
	limiter := opt.Limiter
	if limiter == nil {
		limiter = ratelimiter.NewRateLimiter(rate.Every(JoinEvery), 2*opt.Room.Table().Seats()+10, 1024)
	}
	// wish runs the last middleware first: log, limit, require a
	// terminal, seat, play.
	mw := []wish.Middleware{
		bubbletea.MiddlewareWithProgramHandler(program(opt.Room), termenv.ANSI256),
		gate(opt.Room, &connections{seen: map[string]bool{}}),
		activeterm.Middleware(),
		terminalHint,
		ratelimiter.Middleware(limiter),
	}
	if opt.Log != nil {
		mw = append(mw, sessionLog(opt.Log))
	}
	opts := []ssh.Option{
		wish.WithAddress(opt.Addr),
		wish.WithVersion("auctionsim"),
		wish.WithIdleTimeout(opt.IdleTimeout),
		func(s *ssh.Server) error { s.AddHostKey(signer); return nil },
		wish.WithMiddleware(mw...),
		onlyTheGame,
		func(s *ssh.Server) error { s.ConnCallback = g.accept; return nil },
	}
	if opt.RoomCode != "" {
		code := []byte(opt.RoomCode)
		opts = append(opts, wish.WithPasswordAuth(func(ctx ssh.Context, password string) bool {
			return g.password(ctx, password, code)
		}))
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("classroom: %w", err)
	}
	return srv, nil
}

// onlyTheGame allows interactive shells only: no exec, no subsystem
// (sftp), no env or agent forwarding (theGameOnly); only session channels
// and no global requests, so, with the forwarding callbacks nil as well,
// no port forwarding of either kind.
func onlyTheGame(s *ssh.Server) error {
	s.SessionRequestCallback = func(_ ssh.Session, requestType string) bool {
		return requestType == "shell"
	}
	s.ChannelHandlers = map[string]ssh.ChannelHandler{"session": theGameOnly}
	s.RequestHandlers = map[string]ssh.RequestHandler{}
	s.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
	return nil
}

// terminalHint tells a client without a terminal how to get one, just
// before activeterm refuses it.
func terminalHint(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		if _, _, ok := s.Pty(); !ok {
			fmt.Fprint(s, "auctionsim: the classroom needs a terminal; connect with ssh -t.\r\n")
		}
		next(s)
	}
}

// ErrHostKeyExposed says the host key file can be read by other users,
// who could then pose as the server: HostKey refuses it, as OpenSSH does.
var ErrHostKeyExposed = errors.New("the host key file is readable by other users")

// HostKey reads the ed25519 host key in path, or generates one there
// (mode 0600, written atomically) if the file does not exist. A key file
// its group or others may read is refused (ErrHostKeyExposed).
func HostKey(path string) (gossh.Signer, error) {
	if info, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("host key %s: %w (mode %04o); make it private with: chmod 600 %s",
			path, ErrHostKeyExposed, info.Mode().Perm(), path)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		_, key, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, fmt.Errorf("host key: %w", gerr)
		}
		block, merr := gossh.MarshalPrivateKey(key, "auctionsim host key")
		if merr != nil {
			return nil, fmt.Errorf("host key: %w", merr)
		}
		data = pem.EncodeToMemory(block)
		if werr := report.WriteFileAtomicPerm(path, 0o600, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		}); werr != nil {
			return nil, fmt.Errorf("host key %s: %w", path, werr)
		}
	} else if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, nil
}

// connections remembers which SSH connections hold a seat: one each.
type connections struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (c *connections) take(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[id] {
		return false
	}
	c.seen[id] = true
	return true
}

func (c *connections) free(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.seen, id)
}

// playerKey is where gate leaves the session's seat for program, and
// studentKey where program leaves the screen for gate's farewell.
type (
	playerKey  struct{}
	studentKey struct{}
)

// gate seats the student, or says politely why not and ends the session.
// Seated, the session plays (next) and leaves the seat after.
func gate(rm *room.Room, open *connections) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) {
			id := s.Context().SessionID()
			if !open.take(id) {
				fmt.Fprint(s, "auctionsim: one seat per connection.\r\n")
				_ = s.Exit(1)
				return
			}
			defer open.free(id)
			p, err := Join(rm, StudentName(s.User()))
			switch {
			case errors.Is(err, room.ErrFull):
				fmt.Fprintf(s, "Sorry, the room is full: all %d seats are taken. Please try again later.\r\n", rm.Table().Seats())
				_ = s.Exit(1)
				return
			case err != nil:
				fmt.Fprintf(s, "auctionsim: could not join the room: %v\r\n", err)
				_ = s.Exit(1)
				return
			}
			defer p.Leave()
			started(s.Context())
			s.Context().SetValue(playerKey{}, p)
			next(s)
			// The alternate screen is gone with the program: these lines
			// stay on the student's terminal.
			if m, ok := s.Context().Value(studentKey{}).(*Student); ok {
				m.ended(rm)
				fmt.Fprint(s, strings.ReplaceAll(m.Goodbye(), "\n", "\r\n"))
				return
			}
			select {
			case <-rm.Done():
				fmt.Fprint(s, "auctionsim: the trainer closed the room. Thank you for playing!\r\n")
			default:
			}
		}
	}
}

// program is the seated session's Bubble Tea program, for wish's
// bubbletea middleware, which runs it until the student leaves or the
// connection drops and passes window changes on as tea.WindowSizeMsg. The
// program also ends when the room closes.
func program(rm *room.Room) bubbletea.ProgramHandler {
	return func(s ssh.Session) *tea.Program {
		p, ok := s.Context().Value(playerKey{}).(*room.Player)
		if !ok {
			return nil
		}
		pty, _, _ := s.Pty()
		r := lipgloss.NewRenderer(s)
		r.SetColorProfile(termenv.ANSI256)
		r.SetHasDarkBackground(true)
		opts := append(bubbletea.MakeOptions(s), tea.WithAltScreen(), tea.WithoutSignalHandler(),
			tea.WithEnvironment(append(s.Environ(), "TERM="+pty.Term)))
		m := NewStudent(p, r, nil)
		s.Context().SetValue(studentKey{}, m)
		prog := tea.NewProgram(m, opts...)
		go func() {
			select {
			case <-rm.Done():
				prog.Quit()
			case <-s.Context().Done():
			}
		}()
		return prog
	}
}

// MaxNameLen is how many characters of an SSH user name StudentName
// keeps.
const MaxNameLen = 24

// StudentName makes an SSH user name fit to show: printable, trimmed, at
// most MaxNameLen characters, "student" if nothing is left.
func StudentName(user string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(user) {
		if n == MaxNameLen {
			break
		}
		if unicode.IsPrint(r) {
			b.WriteRune(r)
			n++
		}
	}
	if b.Len() == 0 {
		return "student"
	}
	return b.String()
}

// sessionLog logs each session as it starts and ends in a lecturer's
// words ("ann connected from 127.0.0.1:50522, terminal xterm-256color
// 100×40", "ann disconnected from 127.0.0.1:50522 after 3m12s"), where
// wish's logging middleware writes its fields bare ("ann connect
// 127.0.0.1:50522 false [] xterm-256color 100 40 SSH-2.0-…").
func sessionLog(l logging.Logger) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			began := time.Now()
			who, from := sess.User(), sess.RemoteAddr().String()
			term := "no terminal"
			if pty, _, ok := sess.Pty(); ok {
				term = fmt.Sprintf("terminal %s %d×%d", pty.Term, pty.Window.Width, pty.Window.Height)
			}
			l.Printf("%s connected from %s, %s", who, from, term)
			next(sess)
			l.Printf("%s disconnected from %s after %v", who, from, time.Since(began).Round(time.Second))
		}
	}
}
