//go:build unix

package cli

import (
	"os"
	"os/signal"
	"syscall"
)

// EndSignals are the signals whose default action ends the process and
// that a program may catch; the dashboard ends on each with the terminal
// restored. SIGPIPE is left to Go (a write fails), SIGKILL and SIGSTOP
// cannot be caught.
func EndSignals() []os.Signal {
	return []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT,
		syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGALRM, syscall.SIGVTALRM, syscall.SIGXCPU, syscall.SIGXFSZ}
}

// SurviveBrokenPipe makes a write to a broken pipe on stdout or stderr
// fail with EPIPE, as on any other file, rather than end the process
// (Go's default for those two), until restore is called. For a command
// whose diagnostics may go to a pipe that dies first (`2>&1 | tee log`,
// the tee ended by the same Ctrl-C): its files are still written, and it
// still exits with its own code.
func SurviveBrokenPipe() (restore func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGPIPE)
	return func() { signal.Stop(ch) }
}
