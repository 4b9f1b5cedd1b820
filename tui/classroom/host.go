package classroom

// What auctionsim serve does once its flags are read: the room and its
// SSH server run together, the trainer watches (on a terminal, or as
// plain log lines), and what was played is exported when the room
// closes.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/play"
)

// Host is a room served over SSH: the room runs, and srv serves ln, from
// StartHost until Close.
type Host struct {
	rm        *room.Room
	srv       *ssh.Server
	served    chan error
	closeRoom context.CancelFunc
}

// StartHost runs rm and serves srv on ln. The room outlives any signal
// until Close, so that a room closed by Ctrl-C can still be exported.
func StartHost(rm *room.Room, srv *ssh.Server, ln net.Listener) *Host {
	ctx, closeRoom := context.WithCancel(context.Background())
	h := &Host{rm: rm, srv: srv, served: make(chan error, 1), closeRoom: closeRoom}
	go rm.Run(ctx)
	go func() { h.served <- srv.Serve(ln) }()
	return h
}

// Close closes the room and shuts the server down, within 2 s.
func (h *Host) Close() {
	shut, done := context.WithTimeout(context.Background(), 2*time.Second)
	defer done()
	h.closeRoom()
	<-h.rm.Done()
	if err := h.srv.Shutdown(shut); err != nil {
		h.srv.Close()
	}
}

// LogUntil writes the room as plain lines to w, after the line open,
// until ctx is done or the server fails (its error is returned).
func (h *Host) LogUntil(ctx context.Context, w io.Writer, open string) error {
	// Log subscribes here, before the go statement runs it, so no join
	// is missed.
	go Log(ctx, h.rm, w)()
	fmt.Fprint(w, open)
	select {
	case <-ctx.Done():
	case err := <-h.served:
		if !errors.Is(err, ssh.ErrServerClosed) {
			return err
		}
	}
	return nil
}

// RunTrainer shows the trainer's dashboard (opts.Room is the host's room)
// on the terminal until q, ctx (a signal) or a failed server ends it.
func (h *Host) RunTrainer(ctx context.Context, opts TrainerOptions) error {
	opts.Room = h.rm
	// Bubble Tea's own handler would end the program on SIGTERM as if q
	// were pressed (exit 0); ctx alone takes the signals.
	prog := tea.NewProgram(NewTrainer(opts), tea.WithAltScreen(), tea.WithContext(ctx), tea.WithoutSignalHandler())
	go func() {
		if err := <-h.served; err != nil && !errors.Is(err, ssh.ErrServerClosed) {
			prog.Send(tea.Quit())
		}
	}()
	if _, err := prog.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// Exporter writes a session to path atomically, or with path "" to
// auctionsim-session-TIME.json here; it returns the file's absolute path.
func Exporter(path string) func(room.Session) (string, error) {
	return func(s room.Session) (string, error) {
		p := path
		if p == "" {
			p = fmt.Sprintf("auctionsim-session-%s.json", time.Now().Format("20060102-150405"))
		}
		if err := report.WriteFileAtomic(p, func(w io.Writer) error { return WriteSession(w, s) }); err != nil {
			return "", err
		}
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		return p, nil
	}
}

// ExportOnExit keeps what the room played when it closes (q, Ctrl-C or a
// signal): the session is exported if any round was played. It returns
// the rounds exported (0: none) and where.
func (h *Host) ExportOnExit(export func(room.Session) (string, error)) (rounds int, path string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	s, err := h.rm.Session(ctx)
	if err != nil || len(s.Rounds) == 0 {
		return 0, "", nil
	}
	path, err = export(s)
	return len(s.Rounds), path, err
}

// HeldLog keeps the server's log lines while the dashboard holds the
// terminal; Flush writes them out after.
type HeldLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (h *HeldLog) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.buf.Write(p)
}

// Flush writes the lines held to w.
func (h *HeldLog) Flush(w io.Writer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, _ = h.buf.WriteTo(w)
}

// ExportPlayed writes what play played (m's auctions, seeded seed) to
// path in the session format (Exporter), when asked (path not "") and
// anything was played; line says where, for stdout, "" when nothing was
// written.
func ExportPlayed(m *play.Model, seed uint64, path string) (line string, err error) {
	rounds, _ := m.History()
	if path == "" || len(rounds) == 0 {
		return "", nil
	}
	written, err := Exporter(path)(m.Session(seed))
	if err != nil {
		return "", err
	}
	word := "auctions"
	if len(rounds) == 1 {
		word = "auction"
	}
	return fmt.Sprintf("%d %s exported to %s\n", len(rounds), word, written), nil
}
