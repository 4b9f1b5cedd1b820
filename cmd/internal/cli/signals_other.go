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

// SurviveBrokenPipe does nothing here: a broken pipe ends no process.
func SurviveBrokenPipe() (restore func()) { return func() {} }
