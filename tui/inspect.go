package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
)

// inspector is the view that explains one closed auction. It follows the
// newest auction as the run goes on until ← or → is pressed; then it
// holds the auctions it had, and says so, until → passes the newest.
type inspector struct {
	ctx    *Context
	follow bool
	recs   []sim.AuctionRecord // oldest first; the frame's own when following
	idx    int
	names  bidderNames
}

func newInspector(c *Context) *inspector { return &inspector{ctx: c, follow: true} }

// Refresh takes the newest auctions when following.
func (v *inspector) Refresh() {
	s := v.ctx.Snap()
	if v.follow && v.ctx.status == "" {
		v.ctx.Info("following the newest auction; ← holds")
	}
	if v.follow || len(v.names) != len(s.Bidders) {
		v.recs, v.idx = s.Recent, len(s.Recent)-1
		v.names = v.names.of(s)
		return
	}
	v.recs, _ = freshRecords(v.ctx, v.recs)
}

// freshRecords is held with each record the frame's recent auctions
// still hold replaced by the frame's when it changed, and whether one
// did: on the wire a call still open at its auction's close is read
// later, and the engine then updates the auction's record (its lost
// revenue, the late bid: sim.Engine.LateAnswer), which a view holding
// copies would not show. A simulated auction's record never changes once
// closed; a restart renumbers auctions, so this is for the wire alone.
// held is not changed: it may be a snapshot's, which views share.
func freshRecords(c *Context, held []sim.AuctionRecord) ([]sim.AuctionRecord, bool) {
	if c.Frame.Line == "" {
		return held, false
	}
	recent := c.Snap().Recent
	// The ring on the wire holds the auctions of a late grace, hundreds:
	// found by ID, not by a scan per held record.
	at := make(map[uint64]int, len(recent))
	for j := range recent {
		at[recent[j].ID] = j
	}
	out, changed := held, false
	for i := range held {
		j, ok := at[held[i].ID]
		if !ok {
			continue
		}
		if r := &recent[j]; r.LostToTimeouts != held[i].LostToTimeouts || !slices.Equal(r.Responses, held[i].Responses) {
			if !changed {
				out, changed = slices.Clone(held), true
			}
			out[i] = *r
		}
	}
	return out, changed
}

// Update handles the inspector's keys, and the time keys so that a paused
// run can be stepped auction by auction from here.
func (v *inspector) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	c, keys := v.ctx, v.ctx.Keys
	switch {
	case key.Matches(k, keys.Close), key.Matches(k, keys.Inspect):
		c.Close()
		c.Info("")
	case key.Matches(k, keys.Prev):
		v.follow = false
		v.idx = max(v.idx-1, 0)
		c.Info("holding these auctions; → past the newest follows the run again")
	case key.Matches(k, keys.Next):
		if v.idx >= len(v.recs)-1 {
			v.follow = true
			c.Info("following the newest auction")
			break
		}
		v.idx++
	case key.Matches(k, keys.Step):
		if timeKey(c, k) && c.stepSeq > 0 {
			v.follow = true
		}
	case key.Matches(k, keys.Timeline) && len(v.recs) > 0:
		return openTimeline(c, v.recs, v.idx)
	case key.Matches(k, keys.OpenRTB) && len(v.recs) > 0:
		openWire(c, shownRecord(c, v.recs[v.idx]))
	default:
		timeKey(c, k)
	}
	return nil
}

// ShortHelp is the inspector's footer.
func (v *inspector) ShortHelp() []key.Binding {
	k := v.ctx.Keys
	bs := append([]key.Binding{k.Prev, k.Next, k.Close, k.Timeline, k.OpenRTB}, unlessOnWire(v.ctx, k.Step)...)
	return append(bs, k.Help, k.Quit)
}

// FullHelp is every key that works here.
func (v *inspector) FullHelp() [][]key.Binding {
	k := v.ctx.Keys
	return [][]key.Binding{{k.Prev, k.Next, k.Close, k.Timeline, k.OpenRTB}, k.timeKeysOn(v.ctx), k.everywhereKeys()}
}

// View draws the auction in a w×h block.
func (v *inspector) View(w, h int) string {
	st := v.ctx.Theme
	if len(v.recs) == 0 {
		return format.Block([]string{st.Dim.Render("no auction has closed yet")}, w, h)
	}
	shown := shownRecord(v.ctx, v.recs[v.idx])
	rec := &shown
	name := v.names.name
	sep := st.Dim.Render(" · ")
	pos := "newest · following"
	if !v.follow {
		pos = fmt.Sprintf("held · %d of %d", v.idx+1, len(v.recs))
	}
	title := st.Title.Render(fmt.Sprintf("Auction #%s", format.Count(rec.ID))) + st.Dim.Render(" ("+pos+")") + sep
	wait := st.Label.Render(" · wait ") + st.Value.Render(format.Latency(rec.Close-rec.Start))
	top := []string{
		// The instants without their labels where the labels do not fit,
		// rather than the wait cut off.
		title + fitting(title, w,
			st.Label.Render("ad request ")+format.Clock(rec.Start)+st.Label.Render(" → close ")+format.Clock(rec.Close)+wait,
			format.Clock(rec.Start)+" → "+format.Clock(rec.Close)+wait),
		st.Value.Render(rec.Auction.String()) + sep + st.Label.Render("tmax ") + rec.Tmax.String() + sep +
			st.Label.Render("floor ") + format.Price(rec.Floor) + sep +
			st.Label.Render("increment ") + format.Price(rec.Increment),
		"",
	}
	scale := auctionSpan(rec, rec.Tmax*3/2)
	// Where every bidder answered at once, bars of nothing on a scale of
	// 0–150ms and a column of 0.0ms fold into the header's word for it.
	instant := instantAuction(v.ctx, rec)
	if instant {
		top[1] += sep + st.Dim.Render(fitting(top[1]+sep, w, "every bidder answers at once", "answers at once"))
	} else {
		top[1] += sep + st.Label.Render("bars 0–"+format.Latency(scale))
	}
	// The explanations wrap: their reasons are the point, not to be cut
	// with "…"; a slot's runs on indented under it. A paced bidder's
	// explanation folds (foldPacing, foldBidding) where the whole would
	// leave no room for every row and the theory's shortest account: at
	// 80×24 it pushed the theory off the screen.
	explain := func(fold int) []string {
		lines := slices.Clone(top)
		if rec.Slots != nil {
			for _, l := range slotExplanation(st, rec, name) {
				lines = append(lines, wrapped(l, w, 2)...)
			}
		} else {
			for _, l := range priceExplanation(st, rec, name) {
				lines = append(lines, wrapped(l, w, 0)...)
			}
			lines = append(lines, surplusLine(v.ctx, rec, name(rec.Winner), w, fold >= foldBidding)...)
		}
		lines = append(lines, studyLines(v.ctx, w, fold < foldPacing)...)
		if rec.LostToTimeouts > 0 {
			lines = append(lines, wrapped(st.Warn.Render(lateCost(rec, name)), w, 0)...)
		}
		return append(lines, "")
	}
	// The least fold that leaves room for every row and the whole theory
	// (the formula or the reason, without each bidder's), else its
	// shortest account; the most folded where neither fits.
	least := theoryLeast(v.ctx, w)
	lines := explain(foldBidding)
	func() {
		for _, theory := range [][]string{theoryWrapped(v.ctx, w, false, eachNone), least} {
			for fold := foldNone; fold <= foldBidding; fold++ {
				// The explanation, the table's header and rows, a blank
				// line and the theory.
				if l := explain(fold); len(l)+1+len(rec.Responses)+1+len(theory) <= h {
					lines = l
					return
				}
			}
		}
	}()

	// The response table: a bar of each response time against tmax.
	nameW := v.names.width()
	const statusW, timeW, numW, rankW, paysW = 16, 7, 7, 5, 7
	barW := max(w-nameW-statusW-timeW-2*numW-rankW-paysW-2, 10)
	head := format.Fit("bidder", nameW) + format.Fit("status", statusW)
	if !instant {
		head += format.Fit("response (│ tmax)", barW) + format.PadLeft("time", timeW)
	}
	head += format.PadLeft("value", numW) + format.PadLeft("bid", numW) +
		format.PadLeft("rank", rankW) + format.PadLeft("pays", paysW)
	pays := map[int]sim.Price{}
	if rec.Winner >= 0 {
		pays[rec.Winner] = rec.Price
	}
	for _, sl := range rec.Slots {
		pays[sl.Bidder] = sl.Impression
	}
	rows := make([]string, 0, len(rec.Responses))
	for i, r := range rec.Responses {
		// ▸ is the selected bidder, as in the table (whose study the
		// lines above give); who pays is the pays column's.
		mark := "  "
		if i == v.ctx.Selected {
			mark = "▸ "
		}
		price, paid := pays[i]
		row := format.Fit(mark+name(i), nameW)
		stStyle := st.Plain
		switch r.Status {
		case sim.OnTime:
			stStyle = st.Good
		case sim.Late:
			stStyle = st.Bad
		case sim.Hang, sim.Error:
			stStyle = st.Bad
		case sim.NotSent, sim.Refused:
			stStyle = st.Dim
		}
		row += stStyle.Render(format.Fit(responseStatus(r, rec.Tmax), statusW))
		if instant {
			// No bar nor time column (above).
		} else if r.Status >= sim.NoBid || r.Status == sim.Error {
			row += responseBar(st, r.Time, rec.Tmax, scale, barW) + format.PadLeft(format.Latency(r.Time), timeW)
		} else {
			row += strings.Repeat(" ", barW) + format.PadLeft(format.Dash, timeW)
		}
		if r.Status >= sim.Late {
			row += format.PadLeft(format.Price(r.Value), numW) + format.PadLeft(format.Price(r.Bid), numW)
		} else {
			row += format.PadLeft(format.Dash, numW) + format.PadLeft(format.Dash, numW)
		}
		rank := format.Dash
		if r.Rank > 0 {
			rank = fmt.Sprint(r.Rank)
		}
		row += format.PadLeft(rank, rankW)
		if paid {
			row += st.Good.Render(format.PadLeft(format.Price(price), paysW))
		}
		rows = append(rows, row)
	}
	// Every row where there is room, the blank line above the table given
	// up for one; else the rows around the selected bidder (the winner
	// when none is), and the header says which, as the timeline's does:
	// cut at the bottom, the rows went without a word.
	if len(lines)+1+len(rows) > h && len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	focus := v.ctx.Selected
	if focus < 0 || focus >= len(rows) {
		focus = rec.Winner
	}
	// The rows leave room for the theory's shortest account under them.
	first, last := rowWindow(len(rows), h-len(lines)-1-(1+len(least)), focus)
	if first > 0 || last < len(rows) {
		head = rowsLabel(first, last, len(rows), nameW) + head[nameW:]
	}
	lines = append(lines, st.Label.Render(head))
	lines = append(lines, rows[first:last]...)
	// The theory as the room allows: the whole formula with every
	// bidder's closed form, then with the selected bidder's, then the
	// formula's heading with it; then, as before each bidder's was
	// shown, the whole formula alone, or its heading; then the heading
	// and the figures without the pointer, or the figures alone.
	theory := theoryWrapped(v.ctx, w, false, eachAll)
	for _, alt := range []struct {
		short bool
		each  eachScope
	}{{false, eachSelected}, {true, eachSelected}, {false, eachNone}, {true, eachNone}} {
		if len(lines)+1+len(theory) <= h {
			break
		}
		theory = theoryWrapped(v.ctx, w, alt.short, alt.each)
	}
	if head := noTheoryHead(v.ctx, w); head != nil && len(lines)+1+len(theory) > h {
		theory = head
	}
	for _, withHead := range []bool{true, false} {
		if head := theoryHead(v.ctx, w, withHead); head != nil && len(lines)+1+len(theory) > h {
			theory = head
		}
	}
	lines = append(append(lines, ""), theory...)
	return format.Block(lines, w, h)
}

// instantAuction reports whether rec has no latency to draw: the world
// on screen answers at once (AnswersAtOnce) and so did every bidder rec
// called, none late, none left unanswered. A held auction from before a
// live change that added latency keeps its bars.
func instantAuction(c *Context, rec *sim.AuctionRecord) bool {
	if s := c.Snap(); s == nil || !s.AnswersAtOnce() {
		return false
	}
	for _, r := range rec.Responses {
		if r.Time != 0 || r.Status == sim.Late || r.Status == sim.Hang {
			return false
		}
	}
	return true
}

// rowsLabel says which rows [first, last) of n a table shows, in the w
// cells of its name column's heading with a space before the next
// heading: "1–2 of 4", or "1–2/4" where short names leave no room for it
// (it read "1–2 of 4status").
func rowsLabel(first, last, n, w int) string {
	s := fmt.Sprintf("%d–%d of %d", first+1, last, n)
	if ansi.StringWidth(s) >= w {
		s = fmt.Sprintf("%d–%d/%d", first+1, last, n)
	}
	return format.Fit(s, w-1) + " "
}

// rowWindow is the rows [first, last) of n that room rows show: all when
// they fit, else room of them around focus (−1: from the top). At least
// one row shows.
func rowWindow(n, room, focus int) (first, last int) {
	if n <= room {
		return 0, n
	}
	room = max(room, 1)
	first = min(max(focus-room/2, 0), n-room)
	return first, first + room
}

// lateCost is the inspector's sentence on what the late bids cost the
// exchange in rec, naming the late bids that would have set the price
// (the top bid in first price, the top two in second) had they come in
// time: the figure "would have made" comes from them, and their rows
// may be off the screen.
func lateCost(rec *sim.AuctionRecord, name func(int) string) string {
	lost, would := format.Price(rec.LostToTimeouts), format.Price(rec.Price+rec.LostToTimeouts)
	if rec.Slots != nil || rec.Auction.Slotted() {
		// Several slots: the loss is the whole auction's, its slots'
		// revenue per impression, not one price's (the top slot's price
		// plus it is a price nobody would have paid).
		var made sim.Price
		for _, s := range rec.Slots {
			made += s.Impression
		}
		return fmt.Sprintf("Late bids cost the exchange %s CPM: in time, the slots would have made %s CPM, not %s.",
			lost, format.Price(made+rec.LostToTimeouts), format.Price(made))
	}
	late := decisiveLate(rec)
	if len(late) == 0 {
		return fmt.Sprintf("Late bids cost the exchange %s CPM: in time, they would have made the price %s.", lost, would)
	}
	var had string
	if len(late) == 1 {
		had = fmt.Sprintf("%s's late bid of %s", name(late[0]), format.Price(rec.Responses[late[0]].Bid))
	} else {
		bids := make([]string, len(late))
		for k, i := range late {
			bids[k] = name(i) + " " + format.Price(rec.Responses[i].Bid)
		}
		had = "the late bids of " + strings.Join(bids, " and ")
	}
	return fmt.Sprintf("Late bids cost the exchange %s CPM: had %s come in time, the price would have been %s.",
		lost, had, would)
}

// decisiveLate are the late bids of rec, at or above the floor, that
// rank among the bids setting the price had every bid come in time: the
// top one in first price, the top two otherwise; in configuration order.
// nil for an auction of several slots, whose prices take more bids.
func decisiveLate(rec *sim.AuctionRecord) []int {
	if rec.Slots != nil || rec.Auction.Slotted() {
		return nil
	}
	top := 2
	if rec.Auction == sim.FirstPrice {
		top = 1
	}
	var out []int
	for i, r := range rec.Responses {
		if r.Status != sim.Late || r.Bid < rec.Floor {
			continue
		}
		above := 0 // the bids, late or not, above this one
		for j, o := range rec.Responses {
			if j != i && (o.Status == sim.OnTime || o.Status == sim.Late) && o.Bid >= rec.Floor && o.Bid > r.Bid {
				above++
			}
		}
		if above < top {
			out = append(out, i)
		}
	}
	return out
}

// wrapped is s word-wrapped to w cells, its lines after the first
// indented by indent.
func wrapped(s string, w, indent int) []string {
	if ansi.StringWidth(s) <= w {
		return []string{s}
	}
	lines := strings.Split(format.Wordwrap(s, max(w-indent, 1)), "\n")
	pad := strings.Repeat(" ", indent)
	for i := 1; i < len(lines); i++ {
		lines[i] = pad + lines[i]
	}
	return lines
}

// bidderNames are the bidders' names in the order an auction record's
// responses give them, kept by the views that show one auction.
type bidderNames []string

// of is the names of s's bidders, reusing n's room.
func (n bidderNames) of(s *sim.Snapshot) bidderNames {
	n = n[:0]
	for _, b := range s.Bidders {
		n = append(n, b.Name)
	}
	return n
}

// name is bidder i's name, or its number when the record is from a world
// with more bidders.
func (n bidderNames) name(i int) string {
	if i >= 0 && i < len(n) {
		return n[i]
	}
	return fmt.Sprintf("bidder %d", i)
}

// width is the name column's width: the longest name with a mark and a
// gap, from 8 up to 21 cells.
func (n bidderNames) width() int {
	w := 8
	for _, s := range n {
		w = max(w, ansi.StringWidth(s)+3)
	}
	return min(w, 21)
}

// auctionSpan is how much time a drawing of rec spans: base, or past the
// last response (by a twentieth) when that is later, up to three times
// tmax; later responses show as ».
func auctionSpan(rec *sim.AuctionRecord, base sim.Time) sim.Time {
	span := base
	for _, r := range rec.Responses {
		span = max(span, min(r.Time*21/20, rec.Tmax*3))
	}
	return span
}

// shownRecord is rec as the views of one auction show it. On the wire (a
// source's own header line) a timeout comes back as a Late answer with no
// bid and no value (wire.Exchange.Collect, counted late as the README's
// "Late share on the wire" says): it is shown as what it was, not as a
// late bid of 0.00 from a bidder valuing the impression at 0.00. A call
// that got no answer (sim.Response.NoAnswer), or none yet while the late
// grace reads it (Open), is no answer by the deadline (the simulation's
// Hang, its Open kept for the words); one whose no-bid the late grace read
// is a no-bid at its measured time, past the deadline (before, it too
// read "no answer", though the record held when it came).
func shownRecord(c *Context, rec sim.AuctionRecord) sim.AuctionRecord {
	if c.Frame.Line == "" {
		return rec
	}
	copied := false
	for i, r := range rec.Responses {
		if r.Status == sim.Late && r.Bid == 0 && r.Value == 0 {
			if !copied {
				rec.Responses, copied = slices.Clone(rec.Responses), true
			}
			if r.NoAnswer || r.Open {
				rec.Responses[i].Status = sim.Hang
			} else {
				rec.Responses[i].Status = sim.NoBid
			}
		}
	}
	return rec
}

// responseStatus says how a bid request ended, with the no-bid reason; a
// plain no-bid past tmax (at most tmax from the ad request: on time) is
// late, as the wire counts it.
func responseStatus(r sim.Response, tmax sim.Time) string {
	if r.Status == sim.NoBid && r.Reason == sim.Declined && r.Time > tmax {
		return "late no bid"
	}
	switch r.Status {
	case sim.NoBid:
		switch r.Reason {
		case sim.NoBudget:
			return "no bid (budget)"
		case sim.Throttled:
			return "no bid (paced)"
		case sim.MissesDeadline:
			return "no bid (deadline)"
		}
		return "no bid"
	case sim.NotSent:
		if r.Skipped {
			// Enabled, but the told deadline was under bidder_response_min:
			// "off" read as a bidder switched off (prebid-server at 200 ms).
			return "not called"
		}
		return "off (not sent)"
	case sim.Error:
		return "error"
	case sim.Hang:
		if r.Open {
			return "no answer yet" // the late grace still reads it
		}
		return "no answer" // by the deadline: in the status column's 16 cells
	case sim.Refused:
		return "refused (queue)"
	}
	return r.Status.String()
}

// priceExplanation says who won, what they paid and why.
func priceExplanation(st *theme.Theme, rec *sim.AuctionRecord, name func(int) string) []string {
	cpm := format.Price
	if rec.Winner < 0 {
		return []string{st.Warn.Render(noSale(rec))}
	}
	who := st.Good.Render(name(rec.Winner)) + " wins and pays " + st.Value.Render(cpm(rec.Price)+" CPM") + ": "
	// The increment is named only where there is one, as the export's
	// reasons do (sim.PriceReason.Text).
	inc := ""
	if rec.Increment > 0 {
		inc = " + increment " + cpm(rec.Increment)
	}
	var why string
	switch rec.Reason {
	case sim.SecondBid:
		why = fmt.Sprintf("the second bid %s%s", cpm(rec.SecondBid), inc)
	case sim.FloorPrice:
		if rec.SecondBid == 0 {
			why = fmt.Sprintf("the floor %s%s (%s)", cpm(rec.Floor), inc, noSecondBid(rec))
		} else {
			why = fmt.Sprintf("the floor %s%s (the second bid %s is under the floor)",
				cpm(rec.Floor), inc, cpm(rec.SecondBid))
		}
	case sim.CappedAtBid:
		why = fmt.Sprintf("its own bid, as %s + increment %s would pass it", cpm(max(rec.SecondBid, rec.Floor)), cpm(rec.Increment))
	case sim.FirstPriceBid:
		why = "its own bid (first price)"
	default:
		why = rec.Reason.String()
	}
	out := []string{who + why + "."}
	if rec.Abandoned {
		out = append(out, st.Warn.Render(fmt.Sprintf("But the person had left after %s: the ad is not shown and %s does not pay.",
			format.Latency(rec.Close-rec.Start), name(rec.Winner))))
	}
	return out
}

// The inspector's folds of its explanation, least first: the whole;
// the selected bidder's pacing in brief ("paced by a multiplier (μ
// 0.55)", not how it divides the bid); and the winner's surplus without
// how it bids where the winner is the selected bidder, whose study says
// it on the next line.
const (
	foldNone = iota
	foldPacing
	foldBidding
)

// surplusLine is the inspector's line on what the winner of rec kept: its
// value less the price, and its surplus over the run so far; with
// brief, without how it bids when the winner is the selected bidder
// (its study says it).
func surplusLine(c *Context, rec *sim.AuctionRecord, name string, w int, brief bool) []string {
	if rec.Winner < 0 || rec.Winner >= len(rec.Responses) {
		return nil
	}
	st := c.Theme
	v := rec.Responses[rec.Winner].Value
	vs, ps, ks := sumFigures(v, rec.Price)
	s := st.Label.Render("Surplus: ") + fmt.Sprintf("%s keeps %s CPM (value %s − price %s)", name, ks, vs, ps)
	if bs := c.Snap().Bidders; rec.Winner < len(bs) && rec.Winner < len(c.Shown.bidders) && bs[rec.Winner].Name == name {
		b, sb := bs[rec.Winner], c.Shown.bidders[rec.Winner]
		s += fmt.Sprintf("; %s so far over %s wins", money(b.Surplus().Float()), format.Count(b.Wins))
		if !brief || rec.Winner != c.Selected {
			s += ", bidding " + strategyProse(sb.strategy, strategyText(sb.strategy))
			if p := pacedProse(b, sb, false); p != "" {
				s += ", " + p
			}
		}
	}
	return strings.Split(format.Wordwrap(s+".", w), "\n")
}

// sumFigures writes a, b and a − b with two decimals, or the fewest more
// (up to the micro-CPM's six) at which the figures as written add up:
// rounded apart, a value of 0.734 won at 0.596 read "keeps 0.14 CPM
// (value 0.73 − price 0.60)", a sum a student checks and finds off.
func sumFigures(a, b sim.Price) (string, string, string) {
	d := format.SumDecimals(a, b, 2)
	return format.FixedCPM(a, d), format.FixedCPM(b, d), format.FixedCPM(a-b, d)
}

// pacedProse says how pacing bends a budgeted bidder's bids away from its
// strategy's, with the controller's state now: "paced by a multiplier:
// bids value/(1+μ), μ 0.18 now" (a truthful bidder's), or without long
// "paced by a multiplier (μ 0.18)"; "" when nothing paces it.
func pacedProse(b sim.BidderStats, sb shownBidder, long bool) string {
	if sb.unlimited && sb.daily == 0 {
		return ""
	}
	// The multiplier divides whatever the strategy bids (sim's bidder.bid).
	bid := "its strategy's bid"
	if sb.strategy.Kind == sim.Truthful {
		bid = "value"
	}
	search := ""
	if b.Searching {
		search = ", still searching"
	}
	switch {
	case b.Pacing == sim.PacingMultiplier && long:
		return fmt.Sprintf("paced by a multiplier: bids %s/(1+μ), μ %.2f now%s", bid, b.Mu, search)
	case b.Pacing == sim.PacingMultiplier:
		return fmt.Sprintf("paced by a multiplier (μ %.2f%s)", b.Mu, search)
	case b.Pacing == sim.PacingThrottle && long:
		return fmt.Sprintf("paced by throttling: takes part in %s of auctions now", format.Pct(b.Throttle))
	case b.Pacing == sim.PacingThrottle:
		return fmt.Sprintf("paced by throttling (%s)", format.Pct(b.Throttle))
	}
	return ""
}

// moneyUnit names the unit of every amount of currency the dashboard
// shows beside CPM prices: budgets, spend, revenue, surplus.
const moneyUnit = "currency units"

// money is an amount of currency with its unit: "2.06 currency units".
func money(x float64) string { return format.Money(x) + " " + moneyUnit }

// studyLines are the inspector's study of the selected bidder's strategy:
// its surplus since its last strategy change beside what bidding its
// value, and in first price the equilibrium, would have earned over the
// same auctions against the same other bids (sim prices them as each
// auction closes). longPacing: a paced bidder's pacing says how it bends
// the bid (pacedProse's long form).
func studyLines(c *Context, w int, longPacing bool) []string {
	snap := c.Snap()
	if c.Selected < 0 || c.Selected >= len(snap.Bidders) || c.Selected >= len(c.Shown.bidders) {
		return nil
	}
	b := snap.Bidders[c.Selected]
	cf := b.Counterfactual
	since := "since the start"
	if cf.Since > 0 {
		since = "since its change at " + format.Clock(cf.Since)
	}
	// Named first: the dashboard's selected bidder (▸ in the table), which
	// need not be the auction's winner.
	sb := c.Shown.bidders[c.Selected]
	strat := sb.strategy
	// A paced bidder's bids are not its strategy's: "truthful" beside a
	// bid under the value read as a contradiction.
	how, value := strategyProse(strat, strategyNow(strat, b)), "its value"
	if p := pacedProse(b, sb, longPacing); p != "" {
		how += ", " + p + ","
		value = "its value, unpaced,"
	}
	s := c.Theme.Label.Render(b.Name+"'s strategy: ") + fmt.Sprintf("%s %s: surplus %s over %s auctions; on the same auctions bidding %s earns %s",
		how, since, money(cf.Surplus.Float()), format.Count(cf.Auctions), value,
		format.Money(cf.Truthful.Float()))
	if snap.Settings.Auction == sim.FirstPrice {
		// "the equilibrium bid 0.08" read as a bid of 0.08 CPM: it is
		// what bidding the equilibrium earns, in currency units.
		s += ", bidding the equilibrium " + format.Money(cf.Equilibrium.Float())
	}
	s += "."
	return strings.Split(format.Wordwrap(s, w), "\n")
}

// slotExplanation is priceExplanation for an auction of several slots:
// one line per slot sold, who holds it, what it pays per click and per
// impression and why, and what the holder keeps.
func slotExplanation(st *theme.Theme, rec *sim.AuctionRecord, name func(int) string) []string {
	cpm := format.Price
	if len(rec.Slots) == 0 {
		return []string{st.Warn.Render(noSale(rec))}
	}
	var out []string
	for j, sl := range rec.Slots {
		var why string
		switch {
		case sl.Reason == sim.CappedAtBid:
			why = "its own bid, as the price + increment would pass it"
		case rec.Auction == sim.VCG:
			why = "VCG: " + rec.Auction.SlotPrice() + ", at their bids"
		case sl.Reason == sim.FloorPrice:
			why = "the floor, no bid below it"
		default:
			why = rec.Auction.SlotPrice()
			if next, ok := nextBid(rec, j); ok {
				why += ", " + cpm(next)
			}
		}
		if rec.Increment > 0 && sl.Reason != sim.CappedAtBid {
			why += " + increment " + cpm(rec.Increment)
		}
		// What sim credits: negative when it paid more per click than its
		// value (a bid above it).
		keeps := sl.Surplus(rec.Responses[sl.Bidder].Value)
		out = append(out, fmt.Sprintf("slot %d (α %g): %s pays %s per click, %s per impression (%s); keeps %s CPM",
			j+1, sl.Weight, st.Good.Render(name(sl.Bidder)), st.Value.Render(cpm(sl.Click)), cpm(sl.Impression), why, cpm(keeps)))
	}
	if rec.Abandoned {
		out = append(out, st.Warn.Render(fmt.Sprintf("But the person had left after %s: no ad is shown and nobody pays.",
			format.Latency(rec.Close-rec.Start))))
	}
	return out
}

// nextBid is the bid ranked just below slot j's (from 0): the next
// slot's, or the best of the bids that won none.
func nextBid(rec *sim.AuctionRecord, j int) (sim.Price, bool) {
	if j+1 < len(rec.Slots) {
		return rec.Slots[j+1].Bid, true
	}
	for _, r := range rec.Responses {
		if r.Rank == int32(j+2) {
			return r.Bid, true
		}
	}
	return 0, false
}

// noSecondBid says why the winner had no rival at or above the floor:
// the other bids came on time under the floor, came late, or there were
// none.
// noSale says why an auction sold nothing. An auction the skip rule of
// tmax_adjustments left unsent had no bid request out, so "no bid arrived
// in time" was wrong there: Prebid Server does not call a bidder told
// less than bidder_response_duration_min_ms (seat non-bid 100, not 101).
func noSale(rec *sim.AuctionRecord) string {
	skipped := false
	for _, r := range rec.Responses {
		if r.Status != sim.NotSent {
			return "No sale: no bid arrived in time at or above the floor."
		}
		skipped = skipped || r.Skipped
	}
	if !skipped {
		return "No sale: no bidder is on."
	}
	// Within 80 columns: the timeline cuts its lines.
	return fmt.Sprintf("No sale: no bidder was called: told %s < bidder_response_min (non-bid 100).", rec.BidderTmax)
}

func noSecondBid(rec *sim.AuctionRecord) string {
	var under, late int
	for i, r := range rec.Responses {
		switch {
		case i == rec.Winner:
		case r.Status == sim.BelowFloor:
			under++
		case r.Status == sim.Late:
			late++
		}
	}
	switch {
	case under > 0 && late > 0:
		return fmt.Sprintf("no other bid at or above the floor: %d on time under it, %d late", under, late)
	case under > 0:
		return fmt.Sprintf("no other bid at or above the floor: %d on time under it", under)
	case late > 0:
		return fmt.Sprintf("no other bid in time: %d late", late)
	}
	return "no other bid"
}

// responseBar draws one response time against tmax in w cells: the
// on-time part, the late part, and the tmax mark.
func responseBar(st *theme.Theme, t, tmax, scale sim.Time, w int) string {
	n := w - 2 // a cell for "»" and a gap
	mark := int(float64(tmax) / float64(scale) * float64(n))
	filled := min(int(float64(t)/float64(scale)*float64(n)), n)
	// Rounding must not hide which side of tmax a response is on.
	if t <= tmax {
		filled = min(filled, mark)
	} else {
		filled = min(max(filled, mark+2), n)
	}
	markAt := mark
	if mark >= n {
		markAt = -1
	}
	// Over [0, n] each cell's value is its index + ½.
	bar := theme.Bar(n, float64(n), func(v float64) theme.Cell {
		switch i := int(v); {
		case i < min(filled, mark):
			return theme.Cell{Rune: '█', Style: &st.Good}
		case i > mark && i < filled:
			return theme.Cell{Rune: '█', Style: &st.BarOver}
		}
		return theme.Cell{Rune: ' '}
	}, markAt, theme.Cell{Rune: '│', Style: &st.TmaxMark})
	if t > scale {
		return bar + "» "
	}
	return bar + "  "
}
