package cli

import (
	"context"
	"os"
	"os/signal"
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
