package summary

import (
	"fmt"
	"strconv"

	"github.com/auctionsim/auctionsim/sim"
)

// peopleRow is b's row of the frequency section (People), for a bidder
// with traffic.users (nil without): the people its impressions reached,
// how many each on average, the most one person saw within its cap's
// window (without a cap, over the run), its capped no-bids and the repeat
// conversions dropped. Labels and numbers alternate, as labelled lays
// them out.
func peopleRow(b sim.BidderStats) []string {
	f := b.Frequency
	if f == nil {
		return nil
	}
	each, most, capped := "–", "most to one person", "–"
	if f.PeopleReached > 0 {
		each = fmt.Sprintf("%.2f", f.MeanPerPerson)
	}
	if c := f.Cap; c != nil {
		most = fmt.Sprintf("most in %v (cap %d)", c.Per, c.Impressions)
		capped = strconv.FormatUint(f.Capped, 10)
	}
	return []string{b.Name, strconv.FormatUint(f.PeopleReached, 10), "people, each saw", each,
		most, strconv.FormatUint(f.MaxInWindow, 10), "capped", capped,
		"repeat conversions", strconv.FormatUint(f.RepeatConversions, 10)}
}
