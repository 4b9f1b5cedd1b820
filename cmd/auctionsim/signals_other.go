//go:build !unix

package main

import (
	"os"
	"syscall"
)

// endSignals are the signals that end the dashboard, the terminal
// restored.
func endSignals() []os.Signal {
	return []os.Signal{os.Interrupt, syscall.SIGTERM}
}
