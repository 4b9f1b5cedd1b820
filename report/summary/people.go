package summary

import (
	"fmt"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
)

// people is the frequency section: for each bidder, with traffic.users,
// the people its impressions reached, how many each on average, the most
// one person saw within its cap's window (without a cap, over the run),
// its capped no-bids and the repeat conversions dropped; empty without
// people. Labels and numbers alternate, as labelled lays them out.
func people(th *theme.Theme, snap *sim.Snapshot) string {
	var rows [][]string
	for _, b := range snap.Bidders {
		f := b.Frequency
		if f == nil {
			continue
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
		rows = append(rows, []string{b.Name, format.Count(f.PeopleReached), "people, each saw", each,
			most, format.Count(f.MaxInWindow), "capped", capped,
			"repeat conversions", format.Count(f.RepeatConversions)})
	}
	if rows == nil {
		return ""
	}
	return labelled(th, rows)
}
