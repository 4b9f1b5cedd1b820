// Package summary draws the end-of-run table that `auctionsim run` prints
// for people: the run, the exchange's totals and the bidders, fitted to
// the terminal's width. It formats what sim computed; the JSON and CSV
// contract is package report's.
package summary

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
)

// Run says how the run went, beside its snapshot.
type Run struct {
	Scenario string
	Partial  bool // stopped before its stop
	// PartialWhy says why, after "PARTIAL: "; "" is "interrupted". A
	// replay of an export taken mid-run read "interrupted" though
	// nothing interrupted it.
	PartialWhy  string
	WallSeconds float64
}

// Options control Render.
type Options struct {
	// Color enables colours and bold text; without it the table is plain
	// text (box-drawing borders only), for pipes and NO_COLOR.
	Color bool
	// Width is the terminal's width in cells; 0 is no limit (every
	// column on one line, however wide).
	Width int
	// Whole keeps every column where a table is wider than Width: the
	// table splits into several sharing the name column, and names too
	// long for it are cut and listed whole below, where a terminal's
	// table drops its least needed columns. For a pipe or a file: what a
	// planner pastes into notes loses nothing.
	Whole bool
	// Palette is the colours (--theme); the zero Palette is the dark one.
	Palette theme.Palette
	// Measured says the run was the exchange on the wire (run
	// --endpoints): the figures beside theory are measured, not
	// simulated, as the dashboard says on the wire.
	Measured bool
}

// minWidth is the narrowest layout drawn; narrower terminals get it and
// wrap.
const minWidth = 40

// Render draws the summary of the run in snap.
func Render(snap *sim.Snapshot, run Run, opts Options) string {
	p := termenv.Ascii
	if opts.Color {
		p = termenv.ANSI256
	}
	th := theme.NewWith(theme.FixedRenderer(p), opts.Palette)
	w := opts.Width
	if w > 0 {
		w = max(w, minWidth)
	}
	var b strings.Builder
	b.WriteString(title(th, snap, run, w, opts.Measured))
	b.WriteString("\n\n")
	b.WriteString(heading(th, "Exchange", UnitsNote, w))
	b.WriteString("\n")
	b.WriteString(exchange(th, snap, w))
	b.WriteString("\n\n")
	if len(snap.Slots) > 0 {
		// The exchange's mean clearing price is above every slot's: it is
		// their sum, which nothing said.
		note := wrapTo(th.Dim.Render(" "+SlotsPriceNote), w)
		b.WriteString(th.Title.Render("Slots") + "\n" + slots(th, snap, w) + "\n" + note + "\n\n")
	}
	if t := theory(th, snap, w, opts.Measured); t != "" {
		b.WriteString(t + "\n\n")
	}
	if t := tmaxCurve(th, snap, w, opts.Whole); t != "" {
		b.WriteString(t + "\n\n")
	}
	b.WriteString(heading(th, "Bidders", UnitsNote, w))
	if snap.AnswersAtOnce() {
		// Why late%, p50 and p99 are missing; on a line of its own
		// where the title's would pass the width.
		const why = "every bidder answers at once: no latency columns"
		if w > 0 && lipgloss.Width("Bidders  "+UnitsNote+" · "+why) > w {
			b.WriteString("\n" + wrapTo(th.Dim.Render(" "+why), w))
		} else {
			b.WriteString(th.Dim.Render(" · " + why))
		}
	}
	b.WriteString("\n")
	b.WriteString(bidders(th, snap, w, opts.Whole))
	b.WriteString("\n")
	if len(snap.Groups) > 0 {
		// Advertiser groups: their sums, and the members left behind
		// their budget (groups.go).
		b.WriteString("\n" + heading(th, "Groups", UnitsNote, w) + "\n")
		b.WriteString(groups(th, snap, w, opts.Whole))
		b.WriteString("\n")
	}
	// The sections only some worlds have, each "" without: flights'
	// days (days.go), goal bidders' targets against realised (goals.go),
	// reach and frequency (people.go), holdout tests (holdouts.go).
	for _, sec := range []struct {
		title string
		body  func(*theme.Theme, *sim.Snapshot) string
	}{{"Days", perBidder(dayRow, dayUnits(), w)}, {"Goals", goals(w)}, {"People", perBidder(peopleRow, peopleUnits(), w)}, {"Incrementality tests", holdouts(w)}} {
		if t := sec.body(th, snap); t != "" {
			b.WriteString("\n" + th.Title.Render(sec.title) + "\n" + t + "\n")
		}
	}
	if n := report.SaturatedNote(snap.Saturated()); n != "" {
		// Totals that stopped at the end of Money read as plain numbers
		// otherwise.
		n = th.Warn.Bold(true).Render("Note:") + " " + n
		if w > 0 {
			n = format.Wordwrap(n, w)
		}
		b.WriteString("\n" + n + "\n")
	}
	return b.String()
}

// title is the run's line: scenario, seed, size and speed, wrapped at
// word boundaries when the terminal is narrow. On the wire (measured) the
// run's time is the wall clock's, measured, not virtual.
func title(th *theme.Theme, snap *sim.Snapshot, run Run, w int, measured bool) string {
	rate, scaled, simulated := "", "", float64(snap.Exchange.Auctions)
	if sc := snap.Settings.Scale; sc > 1 {
		// Counts are at full scale; the engine's speed is its own.
		simulated /= sc
		scaled = fmt.Sprintf(" (%s simulated, scale %s)", format.Count(uint64(simulated)), format.Count(uint64(sc)))
	}
	if run.WallSeconds > 0 {
		rate = fmt.Sprintf(", %s auctions/s", format.SI(simulated/run.WallSeconds))
	}
	took := fmt.Sprintf("%s virtual, %.2fs wall", format.Duration(snap.Now), run.WallSeconds)
	if measured {
		// One clock on the wire: the run's own time, then the command's
		// (with the connections dialled and the late answers waited for).
		took = fmt.Sprintf("%s on the wall clock (%.2fs in all)", format.Duration(snap.Now), run.WallSeconds)
	}
	s := th.Title.Render(run.Scenario) + fmt.Sprintf("  seed %d  ", snap.Seed) +
		th.Dim.Render(fmt.Sprintf("%s auctions%s in %s%s",
			format.Count(snap.Exchange.Auctions), scaled, took, rate))
	if run.Partial {
		why := run.PartialWhy
		if why == "" {
			why = "interrupted"
		}
		s += "  " + th.Warn.Bold(true).Render("PARTIAL: "+why)
	}
	if w > 0 {
		s = format.Wordwrap(s, w)
	}
	return s
}

// exchange is the exchange's figures as label–value pairs, three pairs a
// row when they fit, else two, else one.
func exchange(th *theme.Theme, snap *sim.Snapshot, w int) string {
	x, set := snap.Exchange, snap.Settings
	pairs := [][2]string{
		{"revenue", format.Money(x.Revenue.Float())},
		{"fill rate", format.Pct(x.FillRate())},
		{"mean clearing price", format.Fixed(x.MeanPrice(), 3)},
		{"revenue per auction", format.Fixed(x.RevenuePerAuction(), 3) + " CPM"},
		timeouts(x),
		{"errors", format.Count(x.Errors)},
		{"lost to timeouts", format.Money(x.RevenueLost.Float())},
		{"lost share", format.Pct(x.LostShare())},
		{"wait mean / p95", waitPair(x.Wait)},
	}
	if x.SkippedDeadline > 0 {
		// Bidders that respect tmax answered a no-bid at once rather than
		// bid late: the work the deadline saved, where timeouts went.
		pairs = append(pairs, [2]string{"skipped (respect tmax)", format.Count(x.SkippedDeadline)})
	}
	if x.Refused > 0 {
		// Refused at once (a full queue; on the wire also a refused
		// connection or a 503): not errors, and else nowhere in the table.
		pairs = append(pairs, [2]string{"refused", format.Count(x.Refused)})
	}
	if x.Unsent > 0 {
		// Prebid Server's skip rule kept bid requests back: otherwise a
		// run with no bids, no timeouts and no errors says nothing of why.
		pairs = append(pairs, [2]string{"not sent (told < min)", format.Count(x.Unsent)})
	}
	if set.Abandonment.On() {
		// What waiting cost: the impressions people left, and the revenue
		// without them.
		pairs = append(pairs, [2]string{"net revenue", format.Money(x.NetRevenue().Float())},
			[2]string{"abandoned", format.Count(x.Abandoned)})
	}
	pairs = append(pairs, [][2]string{
		{"auction", set.Auction.String()},
		{"tmax", format.Latency(set.Tmax)},
		{"floor / increment", format.Fixed(set.Floor.CPM(), 3) + " / " + format.Fixed(set.Increment.CPM(), 3)},
		{"qps", fmt.Sprintf("%g", set.QPS)},
	}...)
	var out string
	for _, per := range []int{3, 2, 1} {
		var rows [][]string
		for i := 0; i < len(pairs); i += per {
			var row []string
			for _, p := range pairs[i:min(i+per, len(pairs))] {
				row = append(row, p[0], p[1])
			}
			rows = append(rows, row)
		}
		out = labelled(th, rows)
		if w == 0 || lipgloss.Width(out) <= w {
			break
		}
	}
	return out
}

// timeouts is the table's timeouts pair: the late bids, and beside them,
// when some bidder hangs, the calls never answered, which Prebid Server
// counts as timeouts too (seat non-bid 101) and the wire does, but the
// simulation's timeouts leave out; before, a hanging bidder showed
// nowhere in the table.
func timeouts(x sim.ExchangeStats) [2]string {
	if x.Hangs == 0 {
		return [2]string{"timeouts", format.Count(x.Late)}
	}
	return [2]string{"timeouts · hangs", format.Count(x.Late) + " · " + format.Count(x.Hangs)}
}

// theory is the closed form beside the simulation: what it assumes (the
// formula's first clause: auction, how the bidders bid, values, floor),
// then "theory 0.667 · simulated 0.666" for the revenue per auction, the
// fill rate and the mean clearing price; or why there is no closed form.
// measured (on the wire) says "measured" for "simulated". Empty for a
// snapshot with no scenario behind it.
func theory(th *theme.Theme, snap *sim.Snapshot, w int, measured bool) string {
	t := snap.Theory()
	if !t.Applies && t.Why == "" || strings.HasPrefix(t.Why, "no scenario") {
		return ""
	}
	wrap := func(s string) string {
		if w > 0 {
			return format.Wordwrap(s, w)
		}
		return s
	}
	if !t.Applies {
		// On the heading's line, as the other sections say what they hold.
		return wrap(th.Title.Render("Theory") + "  " + th.Warn.Render("no closed form") + ": " + t.Why + DeviatorSimulated(snap, t, measured))
	}
	what, _, _ := strings.Cut(t.Formula, ": ")
	// The closed form is the world's after the last change (a script's
	// or a replayed log's), so the simulated figures beside it are those
	// since that change, not the whole run's, which mixes in the worlds
	// before it (timeout-story's late metro).
	var x interface {
		RevenuePerAuction() float64
		FillRate() float64
		MeanPrice() float64
	} = snap.Exchange
	since := false
	word := "simulated"
	if measured {
		word = "measured"
	}
	if snap.ChangedDuringRun() {
		x, since = snap.SinceChange, true
		what += "; " + word + " since the change at " + format.Duration(snap.SinceChange.Start)
	}
	pair := func(theory, simulated float64, unit string) string {
		return "theory " + format.Fixed(theory, 3) + " · " + word + " " + format.Fixed(simulated, 3) + unit
	}
	rows := [][]string{
		{"revenue per auction", pair(t.RevenuePerAuction, x.RevenuePerAuction(), " CPM")},
		{"fill rate", "theory " + format.Pct(t.FillRate) + " · " + word + " " + format.Pct(x.FillRate())},
		{"mean clearing price", pair(t.MeanClearingPrice, x.MeanPrice(), " CPM")},
	}
	if t.Slots != nil {
		bids := "truthful bids"
		if t.Slots.Share != 1 {
			bids = "bids " + format.Fixed(t.Slots.Share, 3) + " × value"
		}
		rows = append(rows, []string{"VCG / GSP revenue", "theory " + format.Fixed(t.Slots.VCG, 3) + " / " + format.Fixed(t.Slots.GSP, 3) + " CPM per auction with " + bids})
	}
	out := wrap(th.Title.Render("Theory")+"  "+th.Dim.Render(what)) + "\n" + labelledWithin(th, rows, w)
	if each := bidderTheory(th, snap, since, w, wrap, word); each != "" {
		out += "\n" + each
	}
	return out
}

// DeviatorSimulated is, where t's reason gives a lone deviator's own
// surplus per auction (sim.Theory.Deviator), the simulated one to set
// beside it, "; simulated, ada keeps 0.1180 CPM per auction" (since the
// last change, when the run changed); "" otherwise; on the wire
// (measured) "; measured, ada keeps …". The dashboard's inspector says it
// too.
func DeviatorSimulated(snap *sim.Snapshot, t sim.Theory, measured bool) string {
	if t.Deviator == "" {
		return ""
	}
	since := snap.ChangedDuringRun()
	_, _, surplus, ok := snap.BidderPerAuction(t.Deviator, since)
	if !ok || math.IsNaN(surplus) {
		return ""
	}
	word := "simulated"
	if measured {
		word = "measured"
	}
	s := fmt.Sprintf("; %s, %s keeps %.4f CPM per auction", word, t.Deviator, surplus)
	if since {
		s += " since the change"
	}
	return s
}

// bidderTheory is each bidder's closed form beside the simulation, per
// auction: win rate, payment and surplus, "theory · simulated", over the
// auctions since the last change when since, word ("simulated", or
// "measured" on the wire) naming the second; or why each bidder has
// none. "" with no bidder enabled.
func bidderTheory(th *theme.Theme, snap *sim.Snapshot, since bool, w int, wrap func(string) string, word string) string {
	bt, why := snap.BidderTheory()
	if len(bt) == 0 {
		if why == "" {
			return ""
		}
		return wrap(" " + th.Dim.Render("each bidder: no closed form here: "+why))
	}
	// Each figure padded to the widest of its side in its column, so that
	// the "·" line up down a column ("23.2% · 23.3%" over " 8.0% ·  8.0%",
	// not a whole cell right-aligned, "  8.0% · 8.0%").
	halves := make([][3][2]string, 0, len(bt))
	var widest [3][2]int
	for _, b := range bt {
		win, pay, surplus, _ := snap.BidderPerAuction(b.Name, since)
		h := [3][2]string{
			{format.Pct(b.WinRate), format.Pct(win)},
			{format.Fixed(b.Payment, 3), format.Fixed(pay, 3)},
			{format.Fixed(b.Surplus, 3), format.Fixed(surplus, 3)},
		}
		for c := range h {
			for side := range h[c] {
				widest[c][side] = max(widest[c][side], lipgloss.Width(h[c][side]))
			}
		}
		halves = append(halves, h)
	}
	rows := make([][]string, 0, len(bt))
	for i, b := range bt {
		row := []string{b.Name}
		for c, h := range halves[i] {
			row = append(row, format.PadLeft(h[0], widest[c][0])+" · "+format.PadLeft(h[1], widest[c][1]))
		}
		rows = append(rows, row)
	}
	tabOf := func(rows [][]string) string {
		return table.New().Border(lipgloss.HiddenBorder()).
			BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).BorderColumn(false).BorderHeader(false).
			Headers("bidder", "win rate", "payment CPM", "surplus CPM").
			StyleFunc(func(row, col int) lipgloss.Style {
				if row == table.HeaderRow || col == 0 {
					return th.TableCell.Inherit(th.Dim)
				}
				return th.TableNumber
			}).Rows(rows...).Render()
	}
	tab := tabOf(rows)
	head := " " + th.Dim.Render("each bidder, per auction: theory · "+word)
	if since {
		head += th.Dim.Render(" since the change")
	}
	head = wrapTo(head, w)
	if w == 0 || lipgloss.Width(tab) <= w {
		return head + "\n" + tab
	}
	// Names too long for the columns: cut, as the tables cut them, and
	// listed whole below, when that fits.
	name, cut := cutNames(rows, column[[]string]{value: func(r []string) string { return r[0] }}, nameLimit(w))
	short := make([][]string, len(rows))
	for i, r := range rows {
		short[i] = append([]string{name.value(r)}, r[1:]...)
	}
	if tab := tabOf(short); lipgloss.Width(tab) <= w {
		return head + "\n" + tab + cutList(th, "bidder", cut, w)
	}
	// Still too wide (a narrow terminal): a line or more a bidder, broken
	// only between its figures, never inside "theory · simulated".
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = wrapUnits([]string{th.Dim.Render(r[0] + ":"), "win rate " + r[1] + ",", "payment " + r[2] + " CPM,", "surplus " + r[3] + " CPM"}, w, " ", "   ")
	}
	return head + "\n" + strings.Join(lines, "\n")
}

// wrapUnits is units joined by spaces into lines at most w cells wide,
// the first after first, the others after indent, a line breaking only
// between units; a unit too wide for a line of its own is word-wrapped.
func wrapUnits(units []string, w int, first, indent string) string {
	var lines []string
	line, prefix := first, first // prefix: the line before its first unit
	for _, u := range units {
		if line != prefix && format.Width(line)+1+format.Width(u) > w {
			lines = append(lines, line)
			line, prefix = indent, indent
		}
		if line != prefix {
			line += " "
		}
		if format.Width(line)+format.Width(u) <= w {
			line += u
			continue
		}
		// The unit is too wide for a line of its own: wrapped within it,
		// each of its lines after the line's start as wide as it.
		wrapped := strings.Split(format.Wordwrap(u, max(1, w-format.Width(line))), "\n")
		pad := strings.Repeat(" ", format.Width(line))
		lines = append(lines, line+wrapped[0])
		for _, l := range wrapped[1 : len(wrapped)-1] {
			lines = append(lines, pad+l)
		}
		line, prefix = pad+wrapped[len(wrapped)-1], "" // the line holds a unit now
		if len(wrapped) == 1 {
			line = lines[len(lines)-1]
			lines = lines[:len(lines)-1]
		}
	}
	return strings.Join(append(lines, line), "\n")
}

// tmaxCurve is the timeout lab's answer to "which tmax?" from the run's
// tmax curve, as the dashboard's what-if panel reads it: the run's own
// tmax, the knee (the least tmax earning 95% of the most revenue), the
// tmax with the most revenue and, when people leave slow pages, the one
// with the most net revenue, each with its revenue per auction, the
// page's wait p95 and the late share; a warning when the curve holds the
// bids fixed. "" without a curve (tmax_curve: false). On the wire the
// curve stops where the wire stopped waiting for a call with no answer
// (the deadline it enforced, or the end of the late grace), and under the skip rule
// of tmax_adjustments at the longest tmax where the rule applies; the
// section says which and why (report.CurveStopsWhy), and a figure whose
// answer may lie above it reads "unknown".
func tmaxCurve(th *theme.Theme, snap *sim.Snapshot, w int, whole bool) string {
	curve, above := snap.TmaxCurve, snap.TmaxCurveCensoredAbove
	head := th.Title.Render("Tmax curve") + th.Dim.Render("  each tmax of the grid settled over the same auctions (JSON: tmax_curve)")
	if above > 0 && curve != nil && len(curve) == 0 {
		// Every point of the grid lies above the censored deadline.
		body := th.Warn.Render(report.CurveEmptyWhy(snap))
		if w > 0 {
			head, body = format.Wordwrap(head, w), format.Wordwrap(body, w)
		}
		return head + "\n" + body
	}
	if len(curve) == 0 || curve[0].Auctions == 0 {
		return ""
	}
	a := sim.AdviseTmaxSettled(curve, above)
	net := snap.Settings.Abandonment.On()
	render := func(late bool) string {
		point := func(t sim.Time) string {
			if t == 0 {
				// Censored: the answer may lie above the settled range.
				return "unknown: settled only up to " + format.Latency(above)
			}
			p, ok := sim.CurveAt(curve, t)
			if !ok {
				return format.Dash
			}
			// Padded, so that the rows' figures line up in the right-
			// aligned column.
			s := format.PadLeft(format.Latency(t), 5) + ": " + format.Fixed(p.RevenuePerAuction(), 3) + " CPM"
			if net {
				s += ", net " + format.Fixed(p.NetRevenuePerAuction(), 3)
			}
			s += " · wait p95 " + format.PadLeft(format.Latency(p.WaitP95), 5)
			if late {
				s += " · late " + format.PadLeft(format.Pct(p.LateShare()), 5)
			}
			return s
		}
		var rows [][]string
		if _, ok := sim.CurveAt(curve, snap.Settings.Tmax); ok {
			rows = append(rows, []string{"this run's tmax", point(snap.Settings.Tmax)})
		} else if above > 0 && snap.Settings.Tmax > above {
			// On the wire with tmax_adjustments: the told deadline, which
			// the wire enforces, comes before tmax.
			rows = append(rows, []string{"this run's tmax", format.Latency(snap.Settings.Tmax) + ": " + point(0)})
		}
		if sim.BestTmax(curve) < 0 {
			// Nothing earned at any point: no knee or best to name.
			every := "every tmax of the grid"
			if above > 0 {
				every = "every tmax up to " + format.Latency(above)
			}
			rows = append(rows, []string{every, "no revenue"})
			return labelled(th, rows)
		}
		if above == 0 && flatCurve(curve, net) { // a curve cut short knows nothing past its end
			// Every bid in time at every point (a world where every
			// bidder answers at once): a knee and a best tmax at the
			// grid's shortest would read as advice to cut tmax to it.
			rows = append(rows, []string{"every tmax of the grid", "the same revenue: no bid late even at " + format.Latency(curve[0].Tmax)})
			return labelled(th, rows)
		}
		rows = append(rows, []string{"knee (95% of the most)", point(a.Knee95)},
			[]string{"most revenue", point(a.MaxRevenue)})
		if net {
			rows = append(rows, []string{"most net revenue", point(a.MaxNetRevenue)})
		}
		return labelled(th, rows)
	}
	body := render(true)
	if w > 0 && !whole && lipgloss.Width(body) > w {
		// The late share gives way first; whole (a pipe), it stays and
		// the lines wrap.
		body = render(false)
	}
	if from := snap.TmaxCurveFrom; from > 0 {
		head += th.Dim.Render(", since " + format.Duration(from))
	}
	// Why the curve stops first, then why the advice is unknown, which
	// follows from it (as the plot's notes say them).
	stops := ""
	if above > 0 {
		stops = report.CurveStopsWhy(snap)
		body += "\n" + th.Warn.Render(stops)
	}
	if why := report.AdviceWhy(snap); why != "" && why != stops {
		// Beside the advice, as the JSON's tmax_advice_why: why a figure
		// above reads "unknown" (or none is named).
		body += "\n" + th.Warn.Render("advice: "+why)
	}
	switch {
	case snap.TmaxCurveCensoredBy&sim.CensoredBySkipRule != 0:
		// The why above names the skip rule already.
	case !snap.TmaxCurveExact && snap.Exchange.Unsent > 0:
		// As the what-if panel says it: the skip rule, not the bids.
		body += "\n" + th.Warn.Render("no bids to settle where the told deadline fell below bidder_response_min: bidders got no bid request, so what they would have bid at a longer tmax is unknown")
	case !snap.TmaxCurveExact:
		body += "\n" + th.Warn.Render("the curve holds the bids fixed: budgets, pacing or bidders that respect tmax would have bid otherwise at another tmax")
	}
	if w > 0 {
		head, body = format.Wordwrap(head, w), format.Wordwrap(body, w)
	}
	return head + "\n" + body
}

// SlotsPriceNote says what the mean clearing price is in an auction of
// several slots, wherever it is shown beside them.
const SlotsPriceNote = "mean clearing price: the slots' prices per impression summed (the revenue per filled auction)"

// wrapTo is s word-wrapped to w cells, or s when w is 0 (no terminal).
func wrapTo(s string, w int) string {
	if w > 0 {
		return format.Wordwrap(s, w)
	}
	return s
}

// slots is one line per ad position of an auction of several slots: its
// weight, how often it sold, and its mean price per click and per
// impression (CPM).
func slots(th *theme.Theme, snap *sim.Snapshot, w int) string {
	var rows [][]string
	for j, s := range snap.Slots {
		rows = append(rows, []string{
			fmt.Sprintf("slot %d  α %g", j+1, s.Weight),
			"sold " + format.Pct(s.FillRate(snap.Exchange.Auctions)) +
				" · " + format.Fixed(s.MeanClickPrice(), 3) + " CPM per click" +
				" · " + format.Fixed(s.MeanImpressionPrice(), 3) + " CPM per impression",
		})
	}
	return labelledWithin(th, rows, w)
}

// waitPair is the wait's mean and p95, or a dash before any auction.
func waitPair(l sim.LatencyStats) string {
	if l.Count == 0 {
		return format.Dash
	}
	return format.Latency(l.Mean) + " / " + format.Latency(l.P95)
}

// column is one column of a table of Ts (bidders, groups).
type column[T any] struct {
	head string
	// keep ranks the columns: the table drops the highest first until it
	// fits; 0 is never dropped.
	keep  int
	left  bool
	value func(T) string
}

var columns = []column[sim.BidderStats]{
	{"bidder", 0, true, func(b sim.BidderStats) string {
		if !b.Enabled {
			return b.Name + " (off)"
		}
		return b.Name
	}},
	{"requests", 7, false, func(b sim.BidderStats) string { return format.Count(b.BidRequests) }},
	{"bids", 6, false, func(b sim.BidderStats) string { return format.Count(b.Bids) }},
	{"late", 10, false, func(b sim.BidderStats) string { return format.Count(b.Late) }},
	{"late%", 0, false, func(b sim.BidderStats) string { return format.Pct(b.TimeoutRate()) }},
	{"wins", 5, false, func(b sim.BidderStats) string { return format.Count(b.Wins) }},
	{"win%", 0, false, func(b sim.BidderStats) string { return format.Pct(b.WinRate()) }},
	{"spend", 0, false, func(b sim.BidderStats) string { return format.Money(b.Spend.Float()) }},
	{"budget", 4, false, func(b sim.BidderStats) string {
		if b.Unlimited && b.Daily > 0 {
			return format.Money(b.Daily.Float()) + "/day"
		}
		if b.Unlimited {
			return "∞"
		}
		return format.Money(b.Budget.Float())
	}},
	{"price", 2, false, func(b sim.BidderStats) string { return format.Fixed(b.MeanPrice(), 3) }},
	// Σ value − price over the wins: what bidding truthfully protects.
	{"surplus", 3, false, func(b sim.BidderStats) string { return format.Money(b.Surplus().Float()) }},
	{"p50", 9, false, func(b sim.BidderStats) string { return latency(b.Latency, b.Latency.P50, b.Latency.P50Past) }},
	{"p99", 1, false, func(b sim.BidderStats) string { return latency(b.Latency, b.Latency.P99, b.Latency.P99Past) }},
	{"conv", 8, false, func(b sim.BidderStats) string {
		if !b.HasOutcome {
			return format.Dash
		}
		return format.Count(b.AttributedConversions())
	}},
	{"aROAS", 0, false, func(b sim.BidderStats) string { return format.ROAS(b.AttributedROAS()) }},
	{"iROAS", 0, false, func(b sim.BidderStats) string { return format.ROAS(b.IncrementalROAS()) }},
}

// profitColumn is incremental value − spend, shown when some bidder has
// an outcome model (for the others it means nothing).
var profitColumn = column[sim.BidderStats]{"iprofit", 10, false, func(b sim.BidderStats) string {
	if !b.HasOutcome {
		return format.Dash
	}
	return format.Money(b.IncrementalProfit())
}}

// latencyColumns are the bidders table's columns about latency, which a
// world without latency (instant) goes without.
var latencyColumns = []string{"late", "late%", "p50", "p99"}

// columnsOf is the bidders table's columns for snap: without the latency
// columns where every bidder answered at once (instant), whose cells
// would read 0, 0.0% and 0.0ms on every row (at 80 columns they split
// the classroom worlds' table in two).
func columnsOf(snap *sim.Snapshot) []column[sim.BidderStats] {
	cols := columns
	if snap.AnswersAtOnce() {
		cols = slices.DeleteFunc(slices.Clone(cols), func(c column[sim.BidderStats]) bool {
			return slices.Contains(latencyColumns, c.head)
		})
	}
	for _, b := range snap.Bidders {
		if b.HasOutcome {
			return append(slices.Clip(cols), profitColumn)
		}
	}
	if snap.AnswersAtOnce() {
		// Nor conv, aROAS and iROAS, dashes on every row without an
		// outcome model (the dashboard's table goes without them too):
		// so that the table keeps to one at 80 columns.
		cols = slices.DeleteFunc(cols, func(c column[sim.BidderStats]) bool {
			return slices.Contains(outcomeColumns, c.head)
		})
	}
	return cols
}

// outcomeColumns are the bidders table's columns of an outcome model.
var outcomeColumns = []string{"conv", "aROAS", "iROAS"}

// latency is a percentile t of l; past: it ranks among the calls censored
// on the wire, and is only known to be past t, when the wire stopped
// waiting for them.
func latency(l sim.LatencyStats, t sim.Time, past bool) string {
	switch {
	case past:
		return "> " + format.Latency(t)
	case l.Count == 0:
		return format.Dash
	}
	return format.Latency(t)
}

// bidders is the bidders table with as many columns as fit in w, dropping
// the least needed first; when even the essential ones do not fit, one
// block per bidder. whole keeps every column: the table splits
// (splitGrid).
func bidders(th *theme.Theme, snap *sim.Snapshot, w int, whole bool) string {
	cols := columnsOf(snap)
	if w == 0 {
		return grid(th, snap.Bidders, cols)
	}
	if whole {
		return splitGrid(th, snap.Bidders, cols, w)
	}
	for drop := maxKeep; drop >= 0; drop-- {
		if out := grid(th, snap.Bidders, keepOnly(cols, drop)); lipgloss.Width(out) <= w {
			return out
		}
	}
	// The essential columns alone are too wide (long names, a narrow
	// terminal): one block per bidder.
	return blocks(th, snap)
}

// maxKeep is the highest rank in columns.
const maxKeep = 10

// keepOnly is the columns of all kept when every column ranked above
// drop goes.
func keepOnly[T any](all []column[T], drop int) []column[T] {
	var cols []column[T]
	for _, c := range all {
		if c.keep == 0 || c.keep <= drop {
			cols = append(cols, c)
		}
	}
	return cols
}

// splitGrid is grid of items with every one of cols in tables at most w
// cells wide where it can: the whole table when it fits, else as many
// tables as it takes, each the first (name) column and as many of the
// next as fit, in order. Names wider than nameLimit(w) are then cut by
// terminal cells, and listed whole below the tables, so that a long
// name neither widens every table nor is lost. A column too wide for w
// beside the name still gets a table of its own.
func splitGrid[T any](th *theme.Theme, items []T, cols []column[T], w int) string {
	out := grid(th, items, cols)
	if w == 0 || lipgloss.Width(out) <= w || len(cols) < 2 {
		return out
	}
	first, cut := cutNames(items, cols[0], nameLimit(w))
	with := func(part []column[T]) string { return grid(th, items, append([]column[T]{first}, part...)) }
	// As few tables as the columns take, filled in order; then, when
	// evenly sized tables of as many fit too, those: not 7, 7 and 2.
	var tables []string
	for rest := cols[1:]; len(rest) > 0; {
		n := 1
		for n < len(rest) && lipgloss.Width(with(rest[:n+1])) <= w {
			n++
		}
		tables = append(tables, with(rest[:n]))
		rest = rest[n:]
	}
	if k := len(tables); k > 1 {
		even, per := make([]string, 0, k), (len(cols)-1+k-1)/k
		for rest := cols[1:]; len(rest) > 0; rest = rest[min(per, len(rest)):] {
			if even = append(even, with(rest[:min(per, len(rest))])); lipgloss.Width(even[len(even)-1]) > w {
				even = nil
				break
			}
		}
		if len(even) == k {
			tables = even
		}
	}
	return strings.Join(tables, "\n") + cutList(th, cols[0].head, cut, w)
}

// cutList is the names cut to fit (pairs of cut and whole, from
// cutNames) listed whole under "<head>s cut to fit, in full:", "" when
// none was cut: each cut name beside its whole one, or, where a pair is
// wider than w, the whole name on the next line, indented, broken only
// where it is itself wider than the line.
func cutList(th *theme.Theme, head string, cut [][2]string, w int) string {
	if len(cut) == 0 {
		return ""
	}
	rows := make([][]string, len(cut))
	for i, c := range cut {
		rows[i] = []string{c[0], c[1]}
	}
	list := labelled(th, rows)
	if w > 0 && lipgloss.Width(list) > w {
		parts := make([]string, len(cut))
		for i, c := range cut {
			parts[i] = th.Dim.Render(" "+c[0]) + "\n" + indentWrap(c[1], w, "   ")
		}
		list = strings.Join(parts, "\n")
	}
	return "\n" + th.Dim.Render(" "+head+"s cut to fit, in full:") + "\n" + list
}

// indentWrap is s after indent, broken every w cells where it does not
// fit (a name has no better place to break), each line indented.
func indentWrap(s string, w int, indent string) string {
	room := max(1, w-format.Width(indent))
	return indent + strings.ReplaceAll(ansi.Hardwrap(s, room, false), "\n", "\n"+indent)
}

// nameLimit is the widest name, in cells, that splitGrid keeps whole in
// a table w cells wide: a quarter of it, and never below 12.
func nameLimit(w int) int { return max(12, w/4) }

// cutNames is name (a table's first column) with its values wider than
// limit cells cut to limit, ending in "…", and the pairs cut and whole.
// Two names that would cut alike end in their place among the cut (…1,
// …2) instead, so that no two rows read the same.
func cutNames[T any](items []T, name column[T], limit int) (column[T], [][2]string) {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = name.value(it)
	}
	short, cut := format.CutNames(names, limit)
	whole := name.value
	name.value = func(it T) string {
		full := whole(it)
		if s, ok := short[full]; ok {
			return s
		}
		return full
	}
	return name, cut
}

// grid draws items (the bidders, the groups) as a lipgloss table with
// cols.
func grid[T any](th *theme.Theme, items []T, cols []column[T]) string {
	heads := make([]string, len(cols))
	for i, c := range cols {
		heads[i] = c.head
	}
	rows := make([][]string, len(items))
	for r, b := range items {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = c.value(b)
		}
		rows[r] = row
	}
	return table.New().Border(lipgloss.RoundedBorder()).BorderStyle(th.TableBorder).
		Headers(heads...).Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			switch {
			case row == table.HeaderRow:
				if cols[col].left {
					return th.TableHeader
				}
				return th.TableHeader.Align(lipgloss.Right)
			case cols[col].left:
				return th.TableCell
			}
			return th.TableNumber
		}).Render()
}

// blocks draws each bidder as a block of label–value lines.
func blocks(th *theme.Theme, snap *sim.Snapshot) string {
	var parts []string
	for _, b := range snap.Bidders {
		var rows [][]string
		for _, c := range columnsOf(snap)[1:] {
			rows = append(rows, []string{c.head, c.value(b)})
		}
		parts = append(parts, th.Value.Render(columns[0].value(b))+"\n"+labelled(th, rows))
	}
	return strings.Join(parts, "\n\n")
}

// perBidder is a section of one labelled row a bidder, from row, which
// gives nil for a bidder without one; the section is empty when no
// bidder has one. Within w (whole or not: a label–value row drops
// nothing, so a terminal's keeps every pair too), split as
// splitLabelled splits it, units saying how many pairs each part of the
// row that reads as one holds.
func perBidder(row func(snap *sim.Snapshot, b sim.BidderStats) []string, units []int, w int) func(*theme.Theme, *sim.Snapshot) string {
	return func(th *theme.Theme, snap *sim.Snapshot) string {
		var rows [][]string
		for _, b := range snap.Bidders {
			if r := row(snap, b); r != nil {
				rows = append(rows, r)
			}
		}
		if rows == nil {
			return ""
		}
		return splitLabelled(th, rows, units, w)
	}
}

// splitLabelled is labelled's rows (a name and its value, then label–
// value pairs) within w cells where it can, as splitGrid splits a table:
// whole when they fit, else names longer than nameLimit(w) cut (and
// listed whole below) and as many sections as it takes, each the name
// and as many of the next units as fit, in order. units are the numbers
// of pairs that read as one ("a day spent 19.89 to 19.97", "40,215
// people, each saw 2.77"; a pair not in any is a unit of its own): a
// section breaks only between them, unless one alone is too wide for w
// beside the name, which then breaks between its pairs.
func splitLabelled(th *theme.Theme, rows [][]string, units []int, w int) string {
	out := labelled(th, rows)
	if w == 0 || lipgloss.Width(out) <= w || len(rows[0]) <= 2 {
		return out
	}
	name, cut := cutNames(rows, column[[]string]{value: func(r []string) string { return r[0] }}, nameLimit(w))
	short := make([][]string, len(rows))
	for i, r := range rows {
		short[i] = append([]string{name.value(r)}, r[1:]...)
	}
	rows = short
	// part is the rows' pairs [from, to), the first section with the
	// name's own pair, the others after the name alone.
	part := func(from, to int) string {
		cut := make([][]string, len(rows))
		for i, r := range rows {
			if from == 0 {
				cut[i] = r[:2*to]
			} else {
				cut[i] = append([]string{r[0]}, r[2*from:2*to]...)
			}
		}
		if from == 0 {
			return labelled(th, cut)
		}
		return labelledAfterName(th, cut)
	}
	pairs := len(rows[0]) / 2
	// ends are the pairs where a unit ends, the places a section may end.
	var ends []int
	at := 0
	for _, n := range units {
		if at+n > pairs {
			break
		}
		at += n
		ends = append(ends, at)
	}
	for at < pairs {
		at++
		ends = append(ends, at)
	}
	var parts []string
	for from, e := 0, 0; from < pairs; {
		// The most whole units that fit; at least one.
		to := ends[e]
		for e+1 < len(ends) && lipgloss.Width(part(from, ends[e+1])) <= w {
			e++
			to = ends[e]
		}
		if lipgloss.Width(part(from, to)) > w {
			// One unit too wide for w: its pairs as many as fit.
			to = from + 1
			for to < ends[e] && lipgloss.Width(part(from, to+1)) <= w {
				to++
			}
		}
		for e < len(ends) && ends[e] <= to {
			e++
		}
		parts = append(parts, part(from, to))
		from = to
	}
	return strings.Join(parts, "\n") + cutList(th, "bidder", cut, w)
}

// labelledAfterName is labelled for rows of a name then label–value
// pairs: the name and each label dim, each value right-aligned.
func labelledAfterName(th *theme.Theme, rows [][]string) string {
	return table.New().Border(lipgloss.HiddenBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).BorderColumn(false).
		StyleFunc(func(row, col int) lipgloss.Style {
			if col == 0 || col%2 == 1 {
				return th.TableCell.Inherit(th.Dim)
			}
			return th.TableNumber
		}).Rows(rows...).Render()
}

// heading is a section's title and, dim, what its figures are in (note)
// beside it, or on the line below, wrapped, where the two pass w cells
// (0: no limit).
func heading(th *theme.Theme, title, note string, w int) string {
	if w == 0 || lipgloss.Width(title+"  "+note) <= w {
		return th.Title.Render(title) + th.Dim.Render("  "+note)
	}
	return th.Title.Render(title) + "\n" + wrapTo(th.Dim.Render(" "+note), w)
}

// labelledWithin is labelled's rows of a label and a value of prose
// ("theory 0.667 · simulated 0.667 CPM") within w cells (0: no limit):
// as labelled draws them where they fit, else each label on a line of
// its own and its value under it, indented and wrapped between words,
// so that a narrow terminal neither cuts nor wraps them mid-figure.
func labelledWithin(th *theme.Theme, rows [][]string, w int) string {
	out := labelled(th, rows)
	if w == 0 || lipgloss.Width(out) <= w {
		return out
	}
	var lines []string
	for _, r := range rows {
		lines = append(lines, wrapTo(th.Dim.Render(" "+r[0]), w))
		for _, v := range r[1:] {
			for _, l := range wrapAtDots(v, max(1, w-3)) {
				lines = append(lines, "   "+th.TableNumber.UnsetPadding().Render(l))
			}
		}
	}
	return strings.Join(lines, "\n")
}

// wrapAtDots is v in lines of at most w cells, broken after a " · "
// where it can (each figure whole with what it is: "0.060 CPM per
// impression"), between words where one part alone is too wide.
func wrapAtDots(v string, w int) []string {
	var lines []string
	line := ""
	for i, part := range strings.Split(v, " · ") {
		if i > 0 {
			if lipgloss.Width(line+" · "+part) <= w {
				line += " · " + part
				continue
			}
			if lipgloss.Width(line+" ·") > w {
				// No room for the dot: it opens the next line.
				lines = append(lines, line)
				part = "· " + part
			} else {
				lines = append(lines, line+" ·")
			}
		}
		wrapped := strings.Split(format.Wordwrap(part, w), "\n")
		lines = append(lines, wrapped[:len(wrapped)-1]...)
		line = wrapped[len(wrapped)-1]
	}
	return append(lines, line)
}

// labelled draws rows of label–value pairs without borders: each label
// dim, each value right-aligned.
func labelled(th *theme.Theme, rows [][]string) string {
	return table.New().Border(lipgloss.HiddenBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).BorderColumn(false).
		StyleFunc(func(row, col int) lipgloss.Style {
			if col%2 == 0 {
				return th.TableCell.Inherit(th.Dim)
			}
			return th.TableNumber
		}).Rows(rows...).Render()
}

// UnitsNote says the tables' units: amounts of money (revenue, spend,
// budget, surplus, value) are in currency units; prices, bids and values
// per impression in CPM.
const UnitsNote = "money in currency units · prices in CPM"

// flatCurve reports whether every point of the tmax curve settled alike:
// no late bid at any, so the same revenue (and net revenue, with
// abandonment) at each.
func flatCurve(curve []sim.TmaxPoint, net bool) bool {
	for _, p := range curve {
		if p.Late > 0 || p.Revenue != curve[0].Revenue || net && p.NetRevenue != curve[0].NetRevenue {
			return false
		}
	}
	return true
}
