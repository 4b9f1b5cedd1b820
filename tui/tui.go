// Package tui is auctionsim's live dashboard: a full-screen Bubble Tea
// program that runs a scenario, shows the auctions as they clear and lets
// the user change the world while it runs.
//
// The engine runs on its own goroutine (the runner), paced against the wall
// clock by a speed factor from 0.01× to as fast as it goes. It sends
// immutable snapshots about ten times a second; the dashboard sends
// commands back (pause, speed, live changes, restart, another scenario)
// through a buffered channel. Update never blocks and never touches the
// engine, and a paused runner waits on its channel without using the CPU.
package tui

import (
	"errors"
	"io"
	"os"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
)

// Options configure Run.
type Options struct {
	// Scenario is the scenario to open; required.
	Scenario *scenarios.Scenario
	// Seed overrides the scenario's seed when not nil, for this scenario
	// and any the user switches to.
	Seed *uint64
	// NoColor draws without colour or text attributes. The NO_COLOR
	// environment variable has the same effect.
	NoColor bool
	// Input and Output are the terminal; nil means stdin and stdout.
	Input  io.Reader
	Output io.Writer
	// ExportDir is where `e` writes the run; empty means the current
	// directory.
	ExportDir string
}

// Run opens the dashboard on opts.Scenario and returns when the user
// quits.
func Run(opts Options) error {
	if opts.Scenario == nil {
		return errors.New("tui: no scenario")
	}
	in, out := opts.Input, opts.Output
	if in == nil {
		in = os.Stdin
	}
	if out == nil {
		out = os.Stdout
	}
	r, err := newRunner(opts.Scenario, opts.Seed, false)
	if err != nil {
		return err
	}
	m := newModel(r, modelOptions{
		styles:    newStyles(newRenderer(out, opts.NoColor || os.Getenv("NO_COLOR") != "")),
		catalog:   bundledCatalog(),
		export:    report.Write,
		exportDir: opts.ExportDir,
	})
	r.start()
	defer r.stop()
	// Mouse reporting stays off (the default): the dashboard has no use
	// for it, and it would stop the terminal's own text selection.
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithInput(in), tea.WithOutput(out))
	_, err = p.Run()
	return err
}

// bundledCatalog is the picker's view of the bundled scenarios.
func bundledCatalog() catalog {
	return catalog{List: scenarios.List, Load: scenarios.Bundled}
}
