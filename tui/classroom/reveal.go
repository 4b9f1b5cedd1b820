package classroom

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
	"github.com/auctionsim/auctionsim/tui/play"
)

// secondBid is the second-highest eligible (on-time, at or above the
// floor) bid of a closed round, and whether there was one.
func secondBid(res *seat.Result) (sim.Price, bool) {
	for _, r := range res.Responses {
		if r.Rank == 2 {
			return r.Bid, true
		}
	}
	return 0, false
}

// slotOf is the slot bidder i won in a round of several slots: its
// position (1 the best) and its sale; 0 when it won none or the round sold
// one item.
func slotOf(res *seat.Result, i int) (int, sim.SlotWin) {
	for j, sl := range res.Slots {
		if sl.Bidder == i {
			return j + 1, sl
		}
	}
	return 0, sim.SlotWin{}
}

// paidBy is what bidder i paid in a closed round and its surplus (per
// impression with several slots: sim.SlotWin.Surplus), and whether it won
// anything.
func paidBy(res *seat.Result, i int) (paid, surplus sim.Price, won bool) {
	if len(res.Slots) > 0 {
		j, sl := slotOf(res, i)
		if j == 0 {
			return 0, 0, false
		}
		return sl.Impression, sl.Surplus(res.Values[i]), true
	}
	if res.Winner != i {
		return 0, 0, false
	}
	return res.Price, res.Values[i] - res.Price, true
}

// PriceWhy says in numbers why a closed round's price is what it is:
// "second price: the second-highest bid, 0.820".
func PriceWhy(res *seat.Result) string { return priceWhy(res, fmtCPM) }

// priceWhy is PriceWhy with its amounts written by f.
func priceWhy(res *seat.Result, f func(sim.Price) string) string {
	second, has := secondBid(res)
	inc := ""
	if res.Increment > 0 {
		inc = " + the increment " + f(res.Increment)
	}
	if len(res.Slots) > 0 {
		a := sim.GSP
		if res.VCG {
			a = sim.VCG
		}
		rule := a.String() + ", " + a.SlotRule()
		parts := make([]string, len(res.Slots))
		for j, sl := range res.Slots {
			parts[j] = fmt.Sprintf("slot %d (α %g) %s per click, %s per impression", j+1, sl.Weight, f(sl.Click), f(sl.Impression))
		}
		return rule + inc + ": " + strings.Join(parts, "; ")
	}
	switch res.Reason {
	case sim.NoSale:
		return "no sale: no on-time bid at or above the floor " + f(res.Floor)
	case sim.FirstPriceBid:
		return "first price: the winner pays its own bid, " + f(res.Price)
	case sim.SecondBid:
		return fmt.Sprintf("second price: the second-highest bid, %s%s", f(second), inc)
	case sim.FloorPrice:
		why := "the only eligible bid"
		if has {
			why = "above the second-highest bid, " + f(second)
		}
		return fmt.Sprintf("second price: the floor, %s%s (%s)", f(res.Floor), inc, why)
	case sim.CappedAtBid:
		base := "the second-highest bid " + f(second)
		if !has || res.Floor > second {
			// The floor was the base: "the second-highest bid 0.000" (none
			// eligible) or a bid under the floor named the wrong one.
			base = "the floor " + f(res.Floor)
		}
		return fmt.Sprintf("second price: the winner's own bid, %s, as %s%s would pass it", f(res.Price), base, inc)
	}
	return res.Reason.String()
}

// bidText is how a bidder answered, for the reveal: its bid, or why it
// has none.
func bidText(r sim.Response, b *seat.Bid, f func(sim.Price) string) string {
	switch {
	case b != nil && b.Pass:
		return "passed"
	case b != nil && b.None:
		return noBid
	case b != nil && b.Unread:
		return "late" // typed too late, and not a bid: no amount to show
	}
	switch r.Status {
	case sim.OnTime:
		return f(r.Bid)
	case sim.BelowFloor:
		return f(r.Bid) + " <floor"
	case sim.Late:
		return f(r.Bid) + " late"
	case sim.NotSent:
		return "-"
	}
	return r.Status.String()
}

// Reveal is the table a lecture discusses after a round: every bidder
// (students and robots) with its value, bid, price paid and surplus, and
// why the price is what it is. me marks a student's own row. The columns
// are as wide as their content, a gap apart however large a bid, within
// width cells (0: no limit) as far as cutting the names allows.
func Reveal(st play.Styles, t *seat.Table, rec room.RoundRecord, me string, width int) []string {
	return reveal(st, t, rec, me, width, false)
}

// reveal is Reveal, with fold the slots' prices in one line rather than a
// line per slot: every slot sold has its holder's row in the table, with
// its price per click and paid, so a screen short of rows loses nothing
// but the repetition (sponsored-search's trainer at 80×24 cut the third
// slot's price and the leaderboard instead).
func reveal(st play.Styles, t *seat.Table, rec room.RoundRecord, me string, width int, fold bool) []string {
	res := rec.Result
	student := make([]string, len(res.Responses))
	bids := make([]*seat.Bid, len(res.Responses))
	for s, o := range res.Seats {
		student[o.Bidder] = rec.Students[s]
		bids[o.Bidder] = &res.Seats[s].Bid
	}
	slotted := len(res.Slots) > 0
	out := []string{st.Heading.Render(fmt.Sprintf("Round %d revealed", res.Number)) +
		st.Faint.Render("  every bidder's value and bid")}
	tab := format.Columns{Right: []bool{false, true, true, true, true}, MinShrink: 10}
	if slotted {
		out[0] += st.Faint.Render(" per click, what each slot holder paid for its impression")
		tab.Right = []bool{false, true, true, true, true, true, true}
		tab.Rows = [][]string{{"bidder", "value", "bid", "slot", "per click", "paid", "surplus"}}
	} else {
		tab.Rows = [][]string{{"bidder", "value", "bid", "paid", "surplus"}}
	}
	// One item: every amount with the decimals it takes for the winner's
	// value − paid to read as its surplus (format.SumDecimals), the price
	// and the bids it came from alike. Rounded apart, a value of 0.6076
	// won at 0.4164 read 0.608 − 0.416 = +0.192, a sum off by one for a
	// class checking it by hand. With slots a surplus is weight × value −
	// paid, no sum of the row's figures: three decimals.
	d := 3
	if !slotted && res.Winner >= 0 {
		d = format.SumDecimals(res.Values[res.Winner], res.Price, 3)
	}
	f := func(p sim.Price) string { return format.FixedCPM(p, d) }
	marks, wins := []string{"  "}, []bool{false} // the header's
	for i, r := range res.Responses {
		if res.Values[i] == 0 && r.Status == sim.NotSent {
			continue // disabled: not at the table
		}
		who := t.Name(i)
		if student[i] != "" {
			who = student[i] + " (" + who + ")"
		} else if bids[i] == nil || bids[i].Auto {
			who += " (robot)"
		}
		mark := "  "
		if me != "" && student[i] == me {
			mark = "▸ "
		}
		p, s, won := paidBy(res, i)
		paid, sur := "", ""
		if won {
			paid, sur = f(p), format.SignedCPM(s, d)
		}
		row := []string{ansi.Truncate(who, 24, "…"), f(res.Values[i]), bidText(r, bids[i], f)}
		if slotted {
			slot, click := "", ""
			if j, sl := slotOf(res, i); j > 0 {
				slot, click = fmt.Sprint(j), fmtCPM(sl.Click)
			}
			row = append(row, slot, click)
		}
		tab.Rows = append(tab.Rows, append(row, paid, sur))
		marks = append(marks, mark)
		wins = append(wins, won)
	}
	for k, line := range tab.Lines(inside(width, 2)) {
		line = marks[k] + line
		switch {
		case k == 0:
			line = st.Faint.Render(line)
		case wins[k]:
			line = st.Good.Render(line)
		}
		out = append(out, line)
	}
	if slotted {
		// One line per slot: the rule's line alone would run past a
		// narrow screen.
		why := PriceWhy(res)
		rule, slots, _ := strings.Cut(why, ": ")
		if fold {
			return append(out, "  Prices, "+rule+": as in the table")
		}
		out = append(out, "  Prices, "+rule+":")
		for _, l := range strings.Split(slots, "; ") {
			out = append(out, "    "+l)
		}
	} else {
		// Two sentences: the reason has a colon of its own ("second
		// price: the second-highest bid, 0.820").
		why := priceWhy(res, f)
		out = append(out, "  Price "+f(res.Price)+". "+strings.ToUpper(why[:1])+why[1:])
	}
	if t := play.TieNote(res); t != "" {
		out = append(out, "  "+t)
	}
	return out
}

// inside is width less a margin of m cells, 0 (no limit) kept.
func inside(width, m int) int {
	if width <= 0 {
		return 0
	}
	return max(width-m, 1)
}

func fmtCPM(p sim.Price) string { return fmt.Sprintf("%.3f", p.CPM()) }
