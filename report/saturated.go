package report

import (
	"fmt"
	"strings"
)

// maxNamed is how many saturated totals a note names before it counts the
// rest: a world of a thousand bidders could otherwise fill the screen.
const maxNamed = 6

// SaturatedNote is the one-line warning for money totals that stopped at
// the largest amount Money holds (sim.MaxMoney, about 9.2e9 units; see
// sim.Snapshot.Saturated and the JSON's "saturated"), naming them; "" when
// names is empty.
func SaturatedNote(names []string) string {
	if len(names) == 0 {
		return ""
	}
	shown := names[:min(len(names), maxNamed)]
	list := strings.Join(shown, ", ")
	if rest := len(names) - len(shown); rest > 0 {
		list += fmt.Sprintf(" and %d more", rest)
	}
	return fmt.Sprintf("money passed the largest total the simulator holds (about 9.2e9 units) and stopped there: %s are lower bounds, not the amounts, as is every figure made from them (ratios, profits, surplus)",
		list)
}
