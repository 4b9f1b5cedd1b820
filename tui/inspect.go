package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// inspector is the overlay that explains one closed auction. It holds the
// records of the frame it was opened on, so what it shows stays put while
// the run goes on.
type inspector struct {
	recs  []sim.AuctionRecord // oldest first
	idx   int
	names []string
}

func (m *model) openInspector() {
	s := m.cur.Snap
	names := make([]string, len(s.Bidders))
	for i, b := range s.Bidders {
		names[i] = b.Name
	}
	m.insp = inspector{recs: s.Recent, idx: len(s.Recent) - 1, names: names}
	m.mode = modeInspect
	m.setInfo("the last closed auction; ←/→ for earlier ones")
}

func (m *model) inspectKey(k tea.KeyMsg) {
	switch {
	case key.Matches(k, m.keys.Close), key.Matches(k, m.keys.Inspect):
		m.mode = modeMain
		m.setInfo("")
		m.rebuild()
	case key.Matches(k, m.keys.Prev):
		m.insp.idx = max(m.insp.idx-1, 0)
	case key.Matches(k, m.keys.Next):
		m.insp.idx = min(m.insp.idx+1, len(m.insp.recs)-1)
	}
}

// inspectorView draws the auction in a w×h block.
func (m *model) inspectorView(w, h int) string {
	st := m.st
	rec := &m.insp.recs[m.insp.idx]
	name := func(i int) string {
		if i >= 0 && i < len(m.insp.names) {
			return m.insp.names[i]
		}
		return fmt.Sprintf("bidder %d", i)
	}
	sep := st.Dim.Render(" · ")
	pos := fmt.Sprintf("%d of %d", m.insp.idx+1, len(m.insp.recs))
	if m.insp.idx == len(m.insp.recs)-1 {
		pos += ", the last"
	}
	lines := []string{
		st.Title.Render(fmt.Sprintf("Auction #%s", count(rec.ID))) + st.Dim.Render(" ("+pos+")") + sep +
			st.Label.Render("fan-out ") + clock(rec.Start) + st.Label.Render(" → close ") + clock(rec.Close),
		st.Value.Render(rec.Auction.String()) + sep + st.Label.Render("tmax ") + rec.Tmax.String() + sep +
			st.Label.Render("floor ") + fmt.Sprintf("%.2f", rec.Floor.CPM()) + sep +
			st.Label.Render("increment ") + fmt.Sprintf("%.2f", rec.Increment.CPM()),
		"",
	}
	scale := rec.Tmax * 3 / 2
	for _, r := range rec.Responses {
		scale = max(scale, min(r.Time*21/20, rec.Tmax*3))
	}
	lines[1] += sep + st.Label.Render("bars 0–"+latency(scale))
	lines = append(lines, m.priceExplanation(rec, name)...)
	if rec.LostToTimeouts > 0 {
		lines = append(lines, st.Warn.Render(fmt.Sprintf(
			"Late bids cost it %.2f CPM: in time, they would have made the price %.2f.",
			rec.LostToTimeouts.CPM(), (rec.Price+rec.LostToTimeouts).CPM())))
	}
	lines = append(lines, "")

	// The response table: a bar of each response time against tmax.
	nameW := 8
	for _, n := range m.insp.names {
		nameW = max(nameW, ansi.StringWidth(n)+3) // mark and a gap
	}
	nameW = min(nameW, 21)
	const statusW, timeW, numW, rankW, paysW = 16, 7, 7, 5, 7
	barW := max(w-nameW-statusW-timeW-2*numW-rankW-paysW-2, 10)
	head := fit("bidder", nameW) + fit("status", statusW) + fit("response (│ tmax)", barW) +
		padLeft("time", timeW) + padLeft("value", numW) + padLeft("bid", numW) + padLeft("rank", rankW) + padLeft("pays", paysW)
	lines = append(lines, st.Label.Render(head))
	for i, r := range rec.Responses {
		mark := "  "
		if i == rec.Winner {
			mark = "▸ "
		}
		row := fit(mark+name(i), nameW)
		status := responseStatus(r)
		stStyle := st.Plain
		switch r.Status {
		case sim.OnTime:
			stStyle = st.Good
		case sim.Late:
			stStyle = st.Bad
		case sim.NotSent, sim.Error, sim.Refused:
			stStyle = st.Dim
		}
		row += stStyle.Render(fit(status, statusW))
		answered := r.Status >= sim.NoBid
		if answered {
			row += m.responseBar(r.Time, rec.Tmax, scale, barW) + padLeft(latency(r.Time), timeW)
		} else {
			row += strings.Repeat(" ", barW) + padLeft("–", timeW)
		}
		if r.Status >= sim.Late {
			row += padLeft(fmt.Sprintf("%.2f", r.Value.CPM()), numW) + padLeft(fmt.Sprintf("%.2f", r.Bid.CPM()), numW)
		} else {
			row += padLeft("–", numW) + padLeft("–", numW)
		}
		rank := "–"
		if r.Rank > 0 {
			rank = fmt.Sprint(r.Rank)
		}
		row += padLeft(rank, rankW)
		if i == rec.Winner {
			row += st.Good.Render(padLeft(fmt.Sprintf("%.2f", rec.Price.CPM()), paysW))
		}
		lines = append(lines, row)
	}
	return block(lines, w, h)
}

// responseStatus says how a bid request ended, with the no-bid reason.
func responseStatus(r sim.Response) string {
	switch r.Status {
	case sim.NoBid:
		switch r.Reason {
		case sim.NoBudget:
			return "no bid (budget)"
		case sim.Throttled:
			return "no bid (paced)"
		}
		return "no bid"
	case sim.NotSent:
		return "off (not sent)"
	case sim.Error:
		return "error (silent)"
	case sim.Refused:
		return "refused (queue)"
	}
	return r.Status.String()
}

// priceExplanation says who won, what they paid and why.
func (m *model) priceExplanation(rec *sim.AuctionRecord, name func(int) string) []string {
	st := m.st
	cpm := func(p sim.Price) string { return fmt.Sprintf("%.2f", p.CPM()) }
	if rec.Winner < 0 {
		return []string{st.Warn.Render("No sale: no bid arrived in time at or above the floor.")}
	}
	who := st.Good.Render(name(rec.Winner)) + " wins and pays " + st.Value.Render(cpm(rec.Price)+" CPM") + ": "
	var why string
	switch rec.Reason {
	case sim.SecondBid:
		why = fmt.Sprintf("the second bid %s + increment %s", cpm(rec.SecondBid), cpm(rec.Increment))
	case sim.FloorPrice:
		if rec.SecondBid == 0 {
			why = fmt.Sprintf("the floor %s + increment %s (no other bid in time)", cpm(rec.Floor), cpm(rec.Increment))
		} else {
			why = fmt.Sprintf("the floor %s + increment %s (the second bid %s is under the floor)",
				cpm(rec.Floor), cpm(rec.Increment), cpm(rec.SecondBid))
		}
	case sim.CappedAtBid:
		why = fmt.Sprintf("its own bid, as %s + increment %s would pass it", cpm(max(rec.SecondBid, rec.Floor)), cpm(rec.Increment))
	case sim.FirstPriceBid:
		why = "its own bid (first price)"
	default:
		why = rec.Reason.String()
	}
	return []string{who + why + "."}
}

// responseBar draws one response time against tmax in w cells: the
// on-time part, the late part, and the tmax mark.
func (m *model) responseBar(t, tmax, scale sim.Time, w int) string {
	n := w - 2 // a cell for "»" and a gap
	mark := int(float64(tmax) / float64(scale) * float64(n))
	filled := min(int(float64(t)/float64(scale)*float64(n)), n)
	// Rounding must not hide which side of tmax a response is on.
	if t <= tmax {
		filled = min(filled, mark)
	} else {
		filled = min(max(filled, mark+2), n)
	}
	var b strings.Builder
	b.WriteString(m.st.Good.Render(strings.Repeat("█", min(filled, mark))))
	if mark < n {
		b.WriteString(strings.Repeat(" ", max(mark-filled, 0)))
		b.WriteString(m.st.TmaxMark.Render("│"))
		b.WriteString(m.st.BarOver.Render(strings.Repeat("█", max(filled-mark-1, 0))))
		b.WriteString(strings.Repeat(" ", n-max(filled, mark+1)))
	} else {
		b.WriteString(strings.Repeat(" ", n-min(filled, mark)))
	}
	if t > scale {
		b.WriteString("» ")
	} else {
		b.WriteString("  ")
	}
	return b.String()
}
