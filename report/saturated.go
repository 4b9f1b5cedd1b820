package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auctionsim/auctionsim/sim/experiment"
)

// maxNamed is how many saturated totals a note names before it counts the
// rest: a world of a thousand bidders could otherwise fill the screen.
const maxNamed = 6

// SaturatedStatus is SaturatedNote for a status line: short, the names
// last; "" when names is empty. The dashboard shows it.
func SaturatedStatus(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return "⚠ " + names[0] + " passed 9.2e9 and stopped there: a lower bound"
	}
	return fmt.Sprintf("⚠ %d money totals passed 9.2e9 and stopped there (lower bounds): %s", len(names), namedList(names))
}

// namedList is names joined, the first maxNamed of them, and a count of
// the rest.
func namedList(names []string) string {
	shown := names[:min(len(names), maxNamed)]
	list := strings.Join(shown, ", ")
	if rest := len(names) - len(shown); rest > 0 {
		list += fmt.Sprintf(" and %d more", rest)
	}
	return list
}

// SaturatedNote is the one-line warning for money totals that stopped at
// the largest amount Money holds (sim.MaxMoney, about 9.2e9 units; see
// sim.Snapshot.Saturated and the JSON's "saturated"), naming them; "" when
// names is empty.
func SaturatedNote(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("money passed the largest total the simulator holds (about 9.2e9 units) and stopped there: %s are lower bounds, not the amounts, as is every figure made from them (ratios, profits, surplus)",
		namedList(names))
}

// SaturatedExpNote is the warning for an experiment some of whose
// replications saturated (experiment.Agg.Saturated): its means of those
// metrics are too low. "" when none did.
func SaturatedExpNote(sats []experiment.Saturation, reps int) string {
	if len(sats) == 0 {
		return ""
	}
	var names []string
	most := 0
	for _, s := range sats {
		if !slices.Contains(names, s.Metric) {
			names = append(names, s.Metric)
		}
		most = max(most, s.Reps)
	}
	return fmt.Sprintf("in up to %d of %d replications %s", most, reps, SaturatedNote(names))
}
