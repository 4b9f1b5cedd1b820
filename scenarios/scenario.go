// Package scenarios reads auctionsim's YAML scenario format, validates it
// with file, line and column in every error, and ships the bundled
// scenarios embedded in the binary.
package scenarios

import "github.com/auctionsim/auctionsim/sim"

// Default is the bundled scenario the program opens with no arguments.
const Default = "timeout-demo"

// Scenario is a parsed and validated scenario, ready to run.
type Scenario struct {
	Name        string
	Description string
	Source      string // the file it came from, or "bundled:NAME"
	Stop        Stop
	Config      sim.Config // Horizon is set from Stop, for budget pacing
}

// Stop ends a run at whichever limit comes first; zero means no limit.
type Stop struct {
	Auctions uint64
	Duration sim.Time
}
