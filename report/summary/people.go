package summary

import (
	"fmt"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// peopleUnits are peopleRow's pairs that read as one: "40,215  people,
// each saw  2.77" (the count beside its word), then each other pair.
func peopleUnits() []int { return []int{2, 1, 1, 1} }

// peopleRow is b's row of the frequency section (People), for a bidder
// with traffic.users (nil without): the people its impressions reached,
// how many each on average, the most one person saw within its cap's
// window (without a cap, over the run), its capped no-bids and the repeat
// conversions dropped. Labels and numbers alternate, as labelled lays
// them out.
func peopleRow(_ *sim.Snapshot, b sim.BidderStats) []string {
	f := b.Frequency
	if f == nil {
		return nil
	}
	each, most, capped := format.Dash, "most to one person", format.Dash
	if f.PeopleReached > 0 {
		each = fmt.Sprintf("%.2f", f.MeanPerPerson)
	}
	if c := f.Cap; c != nil {
		// The window as the scenario writes it (24h, not 24h0m0s).
		most = fmt.Sprintf("most in %s (cap %d)", format.Window(c.Per), c.Impressions)
		capped = format.Count(f.Capped)
	}
	return []string{b.Name, format.Count(f.PeopleReached), "people, each saw", each,
		most, format.Count(f.MaxInWindow), "capped", capped,
		"repeat conversions", format.Count(f.RepeatConversions)}
}
