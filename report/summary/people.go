package summary

import (
	"fmt"
	"strconv"

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
		each, most, capped := "–", "most to one person", "–"
		if f.PeopleReached > 0 {
			each = fmt.Sprintf("%.2f", f.MeanPerPerson)
		}
		if c := f.Cap; c != nil {
			most = fmt.Sprintf("most in %v (cap %d)", c.Per, c.Impressions)
			capped = strconv.FormatUint(f.Capped, 10)
		}
		rows = append(rows, []string{b.Name, strconv.FormatUint(f.PeopleReached, 10), "people, each saw", each,
			most, strconv.FormatUint(f.MaxInWindow, 10), "capped", capped,
			"repeat conversions", strconv.FormatUint(f.RepeatConversions, 10)})
	}
	if rows == nil {
		return ""
	}
	return labelled(th, rows)
}
