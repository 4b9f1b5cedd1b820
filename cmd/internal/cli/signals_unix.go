//go:build unix

package cli

import (
	"os"
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
