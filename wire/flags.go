package wire

import (
	"fmt"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// Flags are the exchange on the wire as run and the dashboard are told
// it: --endpoints, --endpoint, --late-grace, --no-notices, --notices.
type Flags struct {
	Endpoints string   // every bidder at URL/openrtb2/NAME
	Endpoint  []string // NAME=URL, one bidder each
	LateGrace time.Duration
	NoNotices bool
	Notices   string // budget, all, win or none
}

// On reports whether the flags put the exchange on the wire.
func (f *Flags) On() bool { return f.Endpoints != "" || len(f.Endpoint) > 0 }

// Options are the flags' options for sc's exchange on the wire, sc's own
// bidders' endpoints joining.
func (f *Flags) Options(sc *scenarios.Scenario) (ExchangeOptions, error) {
	eps, err := ResolveEndpoints(sc.Config, sc.Endpoints, f.Endpoints, f.Endpoint)
	if err != nil {
		return ExchangeOptions{}, err
	}
	if k := sc.Config.Traffic.Scale; k > 1 {
		return ExchangeOptions{}, fmt.Errorf("traffic.scale %g with %s: on the wire each simulated ad request is one HTTP call, on the wall clock, "+
			"and a real wire cannot thin traffic: the counts and money would stand for %g requests a call while the bidders answered one. "+
			"Run it on the wire unscaled (--set traffic.scale=1, with a traffic.qps the bidders can take), or simulated (without %s)",
			k, f.onWire(sc), k, f.onWire(sc))
	}
	notices, err := ParseNotices(f.Notices)
	if err != nil {
		return ExchangeOptions{}, err
	}
	if f.LateGrace < 0 {
		return ExchangeOptions{}, fmt.Errorf("--late-grace %v: must be ≥ 0", f.LateGrace)
	}
	return ExchangeOptions{Endpoints: eps, LateGrace: f.LateGrace, NoNotices: f.NoNotices, Notices: notices}, nil
}

// onWire is what puts sc's exchange on the wire, as a refusal names it:
// --endpoints, --endpoint, or the first of sc's bidders with an endpoint
// of its own (bidders.NAME.endpoint).
func (f *Flags) onWire(sc *scenarios.Scenario) string {
	switch {
	case f.Endpoints != "":
		return "--endpoints"
	case len(f.Endpoint) > 0:
		return "--endpoint"
	}
	for _, b := range sc.Config.Bidders {
		if _, ok := sc.Endpoints[b.Name]; ok {
			return "bidders." + b.Name + ".endpoint"
		}
	}
	return "the wire"
}

// LiveFor is the dashboard's source for sc on the wire, with seed when
// not nil (a seed given for every scenario the dashboard loads).
func (f *Flags) LiveFor(sc *scenarios.Scenario, seed *uint64) (*Live, error) {
	xo, err := f.Options(sc)
	if err != nil {
		return nil, err
	}
	cfg := sc.Config
	if seed != nil {
		cfg.Seed = *seed
	}
	return NewLive(runner.World{Name: sc.Name, Config: cfg, Stop: sc.Stop}, xo)
}
