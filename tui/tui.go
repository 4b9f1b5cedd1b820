// Package tui is auctionsim's live dashboard: a full-screen Bubble Tea
// program that runs a scenario, shows the auctions as they clear and lets
// the user change the world while it runs.
//
// The engine runs on its own goroutine (a sim/runner Runner), paced
// against the wall clock. The root model takes its frames into a Context
// shared by every view (theme, key map, size, the newest frame and the
// values shown for it) and hands keys to the view on top: the dashboard,
// the auction inspector, the scenario picker. Each view owns its Update,
// View, keys and help; Update never blocks and never touches the engine,
// and the views format what sim computed rather than derive it.
//
// Subpackages: theme (colours, styles, bars), format (numbers for
// people), summary (the `run` table).
package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/term"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/runner"
	"github.com/auctionsim/auctionsim/tui/record"
)

// Options configure Run.
type Options struct {
	// Scenario is the scenario to open; required.
	Scenario *scenarios.Scenario
	// Seed overrides the scenario's seed when not nil, for this scenario
	// and any the user switches to.
	Seed *uint64
	// Paused opens the run paused at t = 0, so changes apply from the
	// start.
	Paused bool
	// Speed is the pacing factor (runner.MinSpeed to runner.MaxSpeed, or
	// runner.Max); 0 means real time.
	Speed float64
	// NoColor draws without colour or text attributes. The NO_COLOR
	// environment variable has the same effect.
	NoColor bool
	// Theme is the palette (--theme): Auto, the zero value, reads the
	// environment's hint and is dark without one.
	Theme theme.Mode
	// Input and Output are the terminal; nil means stdin and stdout.
	Input  io.Reader
	Output io.Writer
	// ExportDir is where `e` writes the run; empty means the current
	// directory.
	ExportDir string
	// Record, if set, is the asciicast v2 file (--record FILE.cast) the
	// session is recorded to, as it goes (tui/record).
	Record string
	// Context, if set, ends the dashboard when it is done (the command
	// cancels it on a signal): the terminal is restored, the recording
	// closed, and Run returns ErrInterrupted. Bubble Tea's own signal
	// handling is then off, so that every signal ends the same way.
	Context context.Context
	// Source, when set, is what the dashboard runs on instead of a
	// simulation of Scenario (the exchange on the wire, wire.Live);
	// Seed, Paused and Speed are then the source's business. Run starts
	// and stops it.
	Source runner.Source
}

// ErrInterrupted is Run's error when Options.Context ended the dashboard.
var ErrInterrupted = errors.New("interrupted")

// Run opens the dashboard on opts.Scenario and returns when the user
// quits. A panic in the engine ends the program, restores the terminal,
// and comes back as a *runner.PanicError.
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
	r, err := sourceOf(opts)
	if err != nil {
		return err
	}
	screen := out // the theme probes the terminal itself
	var rec *record.Recorder
	if opts.Record != "" {
		// Everything written to the terminal is recorded as it goes.
		w, h := terminalSize(out)
		if rec, err = record.Create(opts.Context, opts.Record, w, h, "auctionsim "+opts.Scenario.Name, time.Now); errors.Is(err, record.ErrNoReader) {
			// A signal while a named pipe waited for its reader.
			return fmt.Errorf("%w while --record %s waited for a reader of the pipe: nothing was run or recorded", ErrInterrupted, opts.Record)
		} else if err != nil {
			return err // the runner has not started: nothing to stop
		}
		out = record.Tee(out, rec)
	}
	m := newModel(r, modelOptions{
		scenario:  opts.Scenario,
		theme:     theme.NewWith(theme.NewRenderer(screen, opts.NoColor || os.Getenv("NO_COLOR") != ""), opts.Theme.Palette(os.Getenv)),
		catalog:   bundledCatalog(),
		export:    report.WriteWith,
		exportDir: opts.ExportDir,
	})
	if rec != nil {
		m.onResize = rec.Resize
	}
	r.Start()
	// Mouse reporting stays off (the default): the dashboard has no use
	// for it, and it would stop the terminal's own text selection.
	popts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithInput(in), tea.WithOutput(out)}
	if opts.Context != nil {
		popts = append(popts, tea.WithContext(opts.Context), tea.WithoutSignalHandler())
	}
	p := tea.NewProgram(m, popts...)
	_, err = p.Run()
	if opts.Context != nil && opts.Context.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
		err = ErrInterrupted // the terminal is restored by now
	}
	select {
	case <-r.Done():
	default:
		r.Stop()
	}
	if rec != nil {
		err = errors.Join(err, rec.Close())
	}
	if m.err != nil {
		return m.err
	}
	return err
}

// sourceOf is what the dashboard runs on: opts.Source, or a runner of
// opts.Scenario.
func sourceOf(opts Options) (runner.Source, error) {
	if opts.Source != nil {
		return opts.Source, nil
	}
	return runner.New(worldOf(opts.Scenario), runner.Options{Seed: opts.Seed, Paused: opts.Paused, Speed: opts.Speed})
}

// terminalSize is out's size, or 80×24 when out is not a terminal.
func terminalSize(out io.Writer) (w, h int) {
	if f, ok := out.(*os.File); ok {
		if w, h, err := term.GetSize(int(f.Fd())); err == nil && w > 0 && h > 0 {
			return w, h
		}
	}
	return 80, 24
}

// worldOf is what the runner needs of a scenario.
func worldOf(sc *scenarios.Scenario) runner.World {
	return runner.World{Name: sc.Name, Config: sc.Config, Stop: sc.Stop}
}

// bundledCatalog is the picker's view of the bundled scenarios.
func bundledCatalog() catalog {
	return catalog{List: scenarios.List, Load: scenarios.Bundled}
}
