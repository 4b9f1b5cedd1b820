//go:build !unix

package cli

import (
	"os"
	"syscall"
)

// EndSignals are the signals that end the dashboard, the terminal
// restored.
func EndSignals() []os.Signal {
	return []os.Signal{os.Interrupt, syscall.SIGTERM}
}

// Diagnostics is f: a broken pipe ends no process here.
func Diagnostics(f *os.File) *os.File { return f }
