package sim

import (
	"fmt"
	"reflect"
)

// Scheduled is one step of a script: changes applied together, in order,
// at virtual instant At, and logged like live changes (marked Scripted).
type Scheduled struct {
	At      Time
	Changes []Change
}

// scriptState is where an engine stands in its script.
type scriptState struct {
	changes []scheduledChange // the script's changes, flattened, in order
	next    int               // changes[next:] are still to apply
	at      Time              // changes[next]'s instant, or never
	refused []string          // scripted changes refused at their instant
}

type scheduledChange struct {
	at     Time
	change Change
}

func (s *scriptState) advance() {
	s.next++
	s.at = never
	if s.next < len(s.changes) {
		s.at = s.changes[s.next].at
	}
}

// loadScript sets the engine's script. A replayed change log already holds
// the script's changes up to where the recorded run got: those are applied
// from the log, at the exact points they were applied then, and the script
// carries on after them, so that no scripted change is applied twice.
func (e *Engine) loadScript(script []Scheduled) error {
	s := &e.script
	for _, st := range script {
		for _, c := range st.Changes {
			s.changes = append(s.changes, scheduledChange{at: st.At, change: c})
		}
	}
	s.next, s.at = -1, never
	s.advance()
	if len(s.changes) == 0 {
		return nil // a log replayed without its script applies its scripted changes itself
	}
	for i := range e.replay {
		r := &e.replay[i]
		// A log read back from a file that kept no marks still holds the
		// script's changes at their exact instants: those are the script's.
		if s.next < len(s.changes) && sameScripted(s.changes[s.next], *r) {
			r.Scripted = true
			s.advance()
			continue
		}
		if r.Scripted {
			return fmt.Errorf("replay[%d]: %q at %v was applied by a script that differs from this one (replay with the same script, or without one)", i, r.Change, r.At)
		}
	}
	return nil
}

func sameScripted(c scheduledChange, r AppliedChange) bool {
	return c.at == r.At && reflect.DeepEqual(c.change, r.Change)
}

// applyScript applies the scripted changes due at or before both limit
// and the next event, each at its own instant. It runs before every event:
// small enough to inline, it costs one test without a script.
func (e *Engine) applyScript(limit Time) {
	if e.script.at != never {
		e.runScript(limit)
	}
}

func (e *Engine) runScript(limit Time) {
	for s := &e.script; s.at != never && s.at <= limit && s.at <= e.nextTime(); {
		c := s.changes[s.next]
		s.advance()
		e.now = max(e.now, c.at)
		// Validate applied every change of the script on a fresh engine,
		// but a live change since can make one invalid here (a tmax the
		// in-flight budget refuses at a higher qps): it is refused, as a
		// live change would be, and the refusal kept for the snapshot.
		if err := e.Apply(c.change); err != nil {
			s.refused = append(s.refused, fmt.Sprintf("at %v: %v", c.at, err))
			continue
		}
		e.log[len(e.log)-1].Scripted = true
	}
}

// markScripted keeps a replayed change's Scripted mark in the new log.
func (e *Engine) markScripted(c AppliedChange) {
	if c.Scripted && len(e.log) > 0 {
		e.log[len(e.log)-1].Scripted = true
	}
}

// NextScripted is the instant of the next scripted change still to apply;
// ok is false when the script is done (or there is none).
func (e *Engine) NextScripted() (at Time, ok bool) {
	return e.script.at, e.script.at != never
}

// validateScript checks the script's order and applies each change to a
// fresh engine built from cfg, so that a bad change is refused before the
// run, with its step.
func (cfg *Config) validateScript() []error {
	if len(cfg.Script) == 0 {
		return nil
	}
	var errs []error
	bad := func(field string, err error) { errs = append(errs, &FieldError{Field: field, Err: err}) }
	for i, st := range cfg.Script {
		p := fmt.Sprintf("script[%d]", i)
		if err := nonNegative(st.At); err != nil {
			bad(p+".at", err)
		} else if i > 0 && st.At < cfg.Script[i-1].At {
			bad(p+".at", fmt.Errorf("%v comes before the step above it (%v): steps go in time order", st.At, cfg.Script[i-1].At))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	probe := *cfg
	probe.Script, probe.Replay = nil, nil
	if probe.Validate() != nil {
		return nil // the config's own errors are reported as such
	}
	e, err := New(probe)
	if err != nil {
		return nil
	}
	for i, st := range cfg.Script {
		for _, c := range st.Changes {
			if err := e.Apply(c); err != nil {
				bad(fmt.Sprintf("script[%d]", i), err)
			}
		}
	}
	return errs
}

// validateTimeouts checks the tmax curve, the deadline chain and the
// script.
func (cfg *Config) validateTimeouts() []error {
	errs := cfg.Exchange.TmaxCurve.validate("exchange.tmax_curve")
	errs = append(errs, cfg.Exchange.Abandonment.validate("exchange.abandonment")...)
	errs = append(errs, cfg.Exchange.TmaxAdjustments.validate("exchange.tmax_adjustments")...)
	return append(errs, cfg.validateScript()...)
}
