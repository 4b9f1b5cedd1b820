package classroom

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// ServeOptions are a classroom as serve runs it.
type ServeOptions struct {
	Room   room.Config
	Server ServerOptions // its Room is the one Serve makes
	// Renderer, when not nil, shows the trainer's screen on this
	// terminal; nil logs the room on Stdout as plain lines, after the
	// line Open(address, seats).
	Renderer *lipgloss.Renderer
	Open     func(where string, seats int) string
	Stdout   io.Writer
	Export   string // the session's file (Exporter)
}

// RoomError is a room that cannot be made from its configuration: bad
// input, as ErrHostKeyExposed is.
type RoomError struct{ Err error }

func (e RoomError) Error() string { return e.Err.Error() }
func (e RoomError) Unwrap() error { return e.Err }

// Serve runs a classroom: the room, served over SSH at o.Server.Addr,
// shown or logged, until ctx is done (a signal) or the trainer closes
// it; then the session is exported if any round was played. It returns
// the rounds exported (0: none) and where.
func Serve(ctx context.Context, o ServeOptions) (rounds int, path string, err error) {
	rm, err := room.New(o.Room)
	if err != nil {
		return 0, "", RoomError{err}
	}
	o.Server.Room = rm
	srv, err := NewServer(o.Server)
	if err != nil {
		return 0, "", err
	}
	ln, err := net.Listen("tcp", o.Server.Addr)
	if err != nil {
		return 0, "", err
	}
	host := StartHost(rm, srv, ln)
	defer host.Close()
	where, export := ln.Addr().String(), Exporter(o.Export)
	if o.Renderer == nil {
		err = host.LogUntil(ctx, o.Stdout, o.Open(where, rm.Table().Seats()))
	} else {
		err = host.RunTrainer(ctx, TrainerOptions{Address: where, Renderer: o.Renderer, Export: export, Code: o.Server.RoomCode})
	}
	if err != nil {
		return 0, "", err
	}
	n, path, err := host.ExportOnExit(export)
	if err != nil {
		return 0, "", fmt.Errorf("export: %w", err)
	}
	return n, path, nil
}
