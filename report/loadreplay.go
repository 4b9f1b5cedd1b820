package report

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// ReplayError is a file that cannot be replayed: Err says why, and
// Scenario holds the embedded scenario's own errors when it no longer
// parses (nil otherwise).
type ReplayError struct {
	Err      error
	Scenario error
}

func (e *ReplayError) Error() string { return e.Err.Error() }
func (e *ReplayError) Unwrap() error { return e.Err }

// LoadReplay reads a JSON export (run --out, the dashboard's e) and
// rebuilds the scenario it embeds, with its seed, stop and change log,
// each change checked to apply in this world (the replay itself would
// skip one that does not, and silently run another run). A file that
// cannot be replayed is a *ReplayError; a ctx cancelled while the file
// is read or checked gives ErrInterrupted.
func LoadReplay(ctx context.Context, path string) (*scenarios.Scenario, *Replayable, error) {
	fail := func(format string, args ...any) (*scenarios.Scenario, *Replayable, error) {
		return nil, nil, &ReplayError{Err: fmt.Errorf(format, args...)}
	}
	f, err := os.Open(path)
	if err != nil {
		return fail("%v", UnwrapPath(err))
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return fail("is a directory")
	}
	rep, err := ReadReplayContext(ctx, f)
	if ctx.Err() != nil {
		return nil, nil, ErrInterrupted
	}
	if err != nil {
		return fail("%v", err)
	}
	sc, err := scenarios.ParseReplay(path+" (embedded scenario)", rep.YAML, false)
	if err != nil {
		return nil, nil, &ReplayError{Err: errors.New("the scenario it embeds no longer parses"), Scenario: err}
	}
	if len(sc.Config.Script) > 0 && !scriptAgrees(sc, rep) {
		// auctionsim before a00a28a applied a script's budget.total: null
		// beside a daily budget as a cap of 0: read it so when the log
		// says the run did (else the first reading's refusal stands).
		if older, err := scenarios.ParseReplay(path+" (embedded scenario)", rep.YAML, true); err == nil && scriptAgrees(older, rep) {
			sc = older
		}
	}
	if rep.Scenario != "" {
		sc.Name = rep.Scenario
	}
	sc = sc.WithSeed(rep.Seed)
	if !rep.Stop.IsZero() && rep.Stop != sc.Stop {
		if sc, err = sc.WithStop(rep.Stop); err != nil {
			return fail("stop: %v", err)
		}
	}
	if rep.Horizon != 0 && rep.Horizon != sc.Config.Horizon {
		if rep.Horizon != sc.OlderHorizon() && rep.Horizon != sc.MeanRateHorizon() {
			return fail("the embedded scenario plans a pacing horizon of %v, the run had %v", sc.Config.Horizon, rep.Horizon)
		}
		// auctionsim before the horizon followed a script's rate
		// changes planned it at the starting rate, and before it
		// followed the daily shape (7ac57fe) at the mean rate: replay
		// the run as it ran.
		sc.Config.Horizon = rep.Horizon
	}
	sc.Config.Name = sc.Name
	check, err := sim.New(sc.Config)
	if err != nil {
		return fail("the embedded scenario: %v", err)
	}
	for i, c := range rep.Changes {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, nil, ErrInterrupted
		}
		if err := check.Apply(c.Change); err != nil {
			return fail("changes[%d]: %v", i, err)
		}
	}
	sc.Config.Replay = rep.Changes
	return sc, rep, nil
}

// scriptAgrees says sc's script makes the scripted changes rep's log
// holds, as the engine checks them (sim.New).
func scriptAgrees(sc *scenarios.Scenario, rep *Replayable) bool {
	cfg := sc.Config
	cfg.Replay = rep.Changes
	_, err := sim.New(cfg)
	return err == nil
}
