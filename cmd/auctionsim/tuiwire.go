package main

import (
	"fmt"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/tui"
)

// tuiWireHelp is the dashboard's help for the wire's flags.
const tuiWireHelp = `      --endpoints URL       run the dashboard on the wire: the exchange on the wall
                            clock, every bidder at URL/openrtb2/NAME (auctionsim
                            bidders); keys change the exchange's side (tmax, floor,
                            auction type, qps, whom it calls), not a bidder on the
                            wire; no pause, step or speed
      --endpoint NAME=URL   bidder NAME on the wire at URL (repeatable; the others
                            stay simulated, with the scenario's own endpoints)
      --late-grace D        on the wire, read answers up to D past the deadline
      --no-notices          on the wire, send no win and loss notices
      --notices WHICH       on the wire: budget (default), all, win or none
`

// onWire puts the dashboard of sc on the wire when the flags ask
// (--endpoints, --endpoint; the scenario's own endpoints then join): it
// sets opts.Source to the exchange on the wire. It refuses the flags
// that pace a simulation.
func onWire(w *wireOptions, given map[string]bool, sc *scenarios.Scenario, opts *tui.Options) error {
	if !w.On() {
		return nil
	}
	for _, f := range []string{"paused", "speed"} {
		if given[f] {
			return fmt.Errorf("--%s cannot be combined with the dashboard on the wire: its clock is the wall clock", f)
		}
	}
	live, err := w.LiveFor(sc, opts.Seed)
	if err != nil {
		return err
	}
	opts.Source = live
	return nil
}
