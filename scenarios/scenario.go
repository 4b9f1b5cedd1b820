// Package scenarios reads auctionsim's YAML scenario format, validates it
// with file, line and column in every error, and ships the bundled
// scenarios embedded in the binary.
package scenarios

import (
	"github.com/auctionsim/auctionsim/sim"
)

// Default is the bundled scenario the program opens with no arguments.
const Default = "timeout-demo"

// Scenario is a parsed and validated scenario, ready to run.
type Scenario struct {
	Name        string
	Description string
	Source      string // the file it came from, or "bundled:NAME"
	// YAML is the text the scenario was parsed from, which an export
	// embeds so that the run can be replayed without the file.
	YAML   []byte
	Stop   Stop
	Config sim.Config // Horizon is set from Stop, for budget pacing
	// Steps are the script's steps as the file writes them (with their
	// captions), one per Config.Script step; nil without a script.
	Steps []Step
	// Endpoints are the URLs of the bidders the file puts on a wire
	// (a bidder's endpoint), by name; nil: none (endpoint.go).
	Endpoints map[string]string
	// endpointAt is where each endpoint is given (SimulatesEndpoints).
	endpointAt map[string]endpointOrigin

	// horizon is the file's explicit horizon; zero: derived from Stop.
	horizon sim.Time
	// given are the field paths the file gives a value (not null).
	given map[string]bool
}

// Given reports whether the file gives the field at path, in the file's
// own spelling ("exchange.tmax_curve", "bidders[0].latency"), a value
// other than null: a field left out takes its default, which a program
// replaying an older engine's run may need to tell from a value written.
func (s *Scenario) Given(path string) bool { return s.given[path] }

// Stop ends a run at whichever limit comes first; zero means no limit. It
// is the engine's own stop rule.
type Stop = sim.Stop

// WithSeed returns a copy of s that runs with seed.
func (s *Scenario) WithSeed(seed uint64) *Scenario {
	c := s.clone()
	c.Config.Seed = seed
	return c
}

// WithStop returns a copy of s that stops at stop, with the pacing horizon
// planned for it (unless the file fixes the horizon). A stop needs at
// least one limit.
func (s *Scenario) WithStop(stop Stop) (*Scenario, error) {
	if err := s.Config.ValidateStop(stop); err != nil {
		return nil, err
	}
	c := s.clone()
	c.Stop = stop
	c.Config.Horizon = c.planHorizon()
	return c, nil
}

// clone copies s deeply enough that changing the copy's configuration
// leaves s unchanged.
func (s *Scenario) clone() *Scenario {
	c := *s
	c.Config.Bidders = make([]sim.BidderConfig, len(s.Config.Bidders))
	for i, b := range s.Config.Bidders {
		if b.Capacity != nil {
			v := *b.Capacity
			b.Capacity = &v
		}
		if b.Budget != nil {
			v := *b.Budget
			b.Budget = &v
		}
		if b.Outcome != nil {
			v := *b.Outcome
			b.Outcome = &v
		}
		c.Config.Bidders[i] = b
	}
	c.Config.Traffic.Shape = append([]float64(nil), s.Config.Traffic.Shape...)
	if s.Config.Exchange.Slots != nil {
		c.Config.Exchange.Slots = append([]float64(nil), s.Config.Exchange.Slots...)
	}
	c.Config.Replay = append([]sim.AppliedChange(nil), s.Config.Replay...)
	return &c
}

// planHorizon is the run's planned length, over which paced budgets
// spread their spend: the file's horizon if it gives one, else the stop's
// duration, or the expected time to run its auctions, whichever is
// shorter. The expected time follows the daily shape and the script's
// rate changes (the time by which the traffic's rate, as the script sets
// it, is expected to bring them, sim.Traffic.ScriptedArrivalTime), not
// the mean rate: 100,000 auctions of a world that sleeps at night take
// longer than their share of its day, and those of a world whose script
// doubles the rate halfway take less than at its starting rate.
func (s *Scenario) planHorizon() sim.Time {
	return s.planHorizonWith(s.Config.Script)
}

// planHorizonWith is planHorizon with the rate changes of script.
func (s *Scenario) planHorizonWith(script []sim.Scheduled) sim.Time {
	if s.horizon != 0 {
		return s.horizon
	}
	var h sim.Time
	if n := s.Stop.Auctions; n > 0 && s.Config.Traffic.MeanQPS() > 0 {
		// ScriptedArrivalTime is bounded: a tiny rate must not overflow
		// Time (the stop is refused then, and the horizon must not add
		// an error of its own).
		h = max(s.Config.Traffic.ScriptedArrivalTime(float64(n), script), sim.Millisecond)
	}
	if d := s.Stop.Duration; d > 0 && (h == 0 || d < h) {
		h = d
	}
	return h
}

// OlderHorizon is the horizon auctionsim planned before it followed the
// script's rate changes: as if the starting rate held throughout. An
// export of such a run records it; it differs from Config.Horizon only
// when the script changes traffic.qps before the stop's auctions come.
func (s *Scenario) OlderHorizon() sim.Time { return s.planHorizonWith(nil) }

// MeanRateHorizon is the horizon auctionsim planned before it followed
// the daily shape (7ac57fe): the stop's auctions at the mean rate, as if
// the day were flat. An export of such a run records it; it differs from
// Config.Horizon when the traffic has a shape and the stop has auctions.
func (s *Scenario) MeanRateHorizon() sim.Time {
	if s.horizon != 0 {
		return s.horizon
	}
	var h sim.Time
	if n := s.Stop.Auctions; n > 0 {
		if rate := s.Config.Traffic.MeanQPS(); rate > 0 {
			// As it was computed then, bounded as then.
			h = sim.Time(min(float64(n)/rate*float64(sim.Second), float64(sim.MaxRunTime)))
			h = max(h, sim.Millisecond)
		}
	}
	if d := s.Stop.Duration; d > 0 && (h == 0 || d < h) {
		h = d
	}
	return h
}
