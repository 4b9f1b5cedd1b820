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

// Diagnostics is f, the process's stderr, as the stream for a command's
// messages: a duplicate of its descriptor, so that a write once it is a
// pipe no one reads (`2>&1 | tee log`, the tee ended by the same Ctrl-C)
// fails with EPIPE rather than end the process, as Go ends it for a write
// to a broken pipe on descriptor 1 or 2. The command then goes on to
// write its files and exit with its own code, its messages lost; stdout
// keeps Go's way (`run --json | head` ends quietly). f itself when it
// cannot be duplicated.
func Diagnostics(f *os.File) *os.File {
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return f
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), f.Name())
}
