package main

import (
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/tui"
)

// runTUI opens the dashboard on sc (its seed already set from --seed) and
// returns when the user quits.
func runTUI(sc *scenarios.Scenario, noColor bool) error {
	return tui.Run(tui.Options{Scenario: sc, NoColor: noColor})
}
