package classroom

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/subtle"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

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
}

// DefaultIdleTimeout is ServerOptions.IdleTimeout's default.
const DefaultIdleTimeout = time.Hour

// NewServer builds the SSH server: every session with a terminal takes a
// free seat as the SSH user's name and plays in the room. Nothing else is
// served: shell sessions only run the game, and exec requests, subsystems
// (sftp) and port forwarding are refused.
//
// It is charmbracelet/ssh, the server under charmbracelet/wish, used
// directly: wish v1.1.1 (the newest served) builds only with
// golang.org/x/crypto ≤ v0.13, which lacks years of SSH security fixes.
func NewServer(opt ServerOptions) (*ssh.Server, error) {
	if opt.Room == nil {
		return nil, errors.New("classroom: no room")
	}
	if opt.IdleTimeout == 0 {
		opt.IdleTimeout = DefaultIdleTimeout
	}
	signer, err := HostKey(opt.HostKey)
	if err != nil {
		return nil, err
	}
	open := &connections{seen: map[string]bool{}}
	srv := &ssh.Server{
		Addr:        opt.Addr,
		Version:     "auctionsim",
		IdleTimeout: opt.IdleTimeout,
		Handler:     gate(opt.Room, open, runGame(opt.Room)),
		// Only interactive shells: no exec, no subsystem (sftp).
		SessionRequestCallback: func(_ ssh.Session, requestType string) bool {
			return requestType == "shell"
		},
		// Only session channels, no global requests: with the forwarding
		// callbacks nil as well, no port forwarding of either kind.
		ChannelHandlers:   map[string]ssh.ChannelHandler{"session": ssh.DefaultSessionHandler},
		RequestHandlers:   map[string]ssh.RequestHandler{},
		SubsystemHandlers: map[string]ssh.SubsystemHandler{},
	}
	srv.AddHostKey(signer)
	if opt.RoomCode != "" {
		code := []byte(opt.RoomCode)
		srv.PasswordHandler = func(_ ssh.Context, password string) bool {
			return subtle.ConstantTimeCompare([]byte(password), code) == 1
		}
	}
	return srv, nil
}

// HostKey reads the ed25519 host key in path, or generates one there
// (mode 0600, written atomically) if the file does not exist.
func HostKey(path string) (gossh.Signer, error) {
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

// gate seats the student, or says politely why not and ends the session.
func gate(rm *room.Room, open *connections, next func(ssh.Session, *room.Player)) ssh.Handler {
	return func(s ssh.Session) {
		if _, _, ok := s.Pty(); !ok {
			fmt.Fprint(s, "auctionsim: the classroom needs a terminal; connect with ssh -t.\r\n")
			_ = s.Exit(1)
			return
		}
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
		next(s, p)
	}
}

// runGame runs a seated session's Bubble Tea program until the student
// leaves, the connection drops or the room closes; window changes reach it
// as tea.WindowSizeMsg. (What wish's bubbletea middleware does.)
func runGame(rm *room.Room) func(ssh.Session, *room.Player) {
	return func(s ssh.Session, p *room.Player) {
		pty, windows, _ := s.Pty()
		r := lipgloss.NewRenderer(s)
		r.SetColorProfile(termenv.ANSI256)
		r.SetHasDarkBackground(true)
		prog := tea.NewProgram(NewStudent(p, r, nil),
			tea.WithInput(s), tea.WithOutput(s), tea.WithAltScreen(),
			tea.WithoutSignalHandler(), tea.WithEnvironment(append(s.Environ(), "TERM="+pty.Term)))
		done := make(chan struct{})
		defer close(done)
		go func() {
			prog.Send(tea.WindowSizeMsg{Width: pty.Window.Width, Height: pty.Window.Height})
			for {
				select {
				case <-done:
					return
				case <-s.Context().Done():
					prog.Quit()
					return
				case <-rm.Done():
					prog.Quit()
					return
				case w := <-windows:
					prog.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
				}
			}
		}()
		if _, err := prog.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			fmt.Fprintf(s.Stderr(), "auctionsim: %v\r\n", err)
		}
		prog.Kill()
	}
}

// StudentName makes an SSH user name fit to show: printable, trimmed, at
// most 24 characters, "student" if nothing is left.
func StudentName(user string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(user) {
		if n == 24 {
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
