package cli

import (
	"context"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/term"
)

// IsTerminal reports whether f is a terminal.
func IsTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Width is the terminal's width for a table on stdout, or 0 (no limit)
// when stdout is not a terminal (tty false); 80 when a terminal does not
// say.
func Width(tty bool) int {
	if !tty {
		return 0
	}
	w, _, err := term.GetSize(int(os.Stdout.Fd()))
	if err != nil || w <= 0 {
		return 80
	}
	return w
}

// ErrWidth is stderr's terminal width, 80 when the terminal does not
// say, 0 when stderr is no terminal.
func ErrWidth() int {
	if !IsTerminal(os.Stderr) {
		return 0
	}
	w, _, err := term.GetSize(int(os.Stderr.Fd()))
	if err != nil || w <= 0 {
		return 80
	}
	return w
}

// Where stdout is no terminal (a pipe, a file), a table fits $COLUMNS
// when it is a whole number of at least MinPipedWidth (a script's or
// CI's choice), else DefaultPipedWidth: a terminal wraps a longer line
// where it falls, mid-word and mid-flag, when the text is later shown.
const (
	DefaultPipedWidth = 100
	MinPipedWidth     = 40
)

// OutWidth is the width a table on stdout fits: the terminal's (Width)
// when stdout is one (tty true), else the piped width, $COLUMNS read
// from getenv.
func OutWidth(tty bool, getenv func(string) string) int {
	if tty {
		return Width(true)
	}
	if n, err := strconv.Atoi(strings.TrimSpace(getenv("COLUMNS"))); err == nil && n >= MinPipedWidth {
		return n
	}
	return DefaultPipedWidth
}

// NoColor reports whether colors are turned off, by flag (flagged) or
// by NO_COLOR (https://no-color.org: any non-empty value).
func NoColor(flagged bool, getenv func(string) string) bool {
	return flagged || getenv("NO_COLOR") != ""
}

// Interruptible is the context of a run that Ctrl-C (or SIGTERM) cuts
// short, keeping what was done. After the first signal the default
// handling is back, so that a second one kills a process stuck writing
// its output. stop releases the signals.
func Interruptible() (ctx context.Context, stop context.CancelFunc) {
	ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	return ctx, stop
}
