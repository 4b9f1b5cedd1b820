package summary

import (
	"fmt"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// dayUnits are dayRow's pairs that read as one: the name and budget,
// the delivery and its days ("even  7 day(s)"), the range ("· a day
// spent  19.89  to  19.97") whole, then the last day. The count and its
// word are one value, so that no split of a narrow terminal's section
// parts them (a "7" ending one section, "day(s)" opening the next).
func dayUnits() []int { return []int{1, 1, 2, 1} }

// dayRow is b's row of the flights' section (Days), for a bidder with a
// daily budget (nil without): its delivery, the budget, the days begun
// and the least and most a whole day spent (the day in progress is left
// out of both unless it is the only one; a run stopped at midnight, as a
// flight of whole days is, has none in progress).
func dayRow(snap *sim.Snapshot, b sim.BidderStats) []string {
	if len(b.Days) == 0 {
		return nil
	}
	whole := b.Days
	if last := b.Days[len(b.Days)-1]; len(b.Days) > 1 && !last.Ended(snap.Now) {
		whole = b.Days[:len(b.Days)-1]
	}
	lo, hi := whole[0].Spend, whole[0].Spend
	for _, d := range whole {
		lo, hi = min(lo, d.Spend), max(hi, d.Spend)
	}
	// Label–value pairs, so that the rows' budgets, deliveries and
	// amounts line up in columns whatever their widths.
	return []string{b.Name, format.Money(b.Daily.Float()) + "/day", b.Delivery.String(), fmt.Sprint(len(b.Days)) + " day(s)",
		"· a day spent", format.Money(lo.Float()), "to", format.Money(hi.Float()),
		"· last", format.Money(b.Days[len(b.Days)-1].Spend.Float())}
}
