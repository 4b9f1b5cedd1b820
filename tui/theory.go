package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/summary"
	"github.com/auctionsim/auctionsim/sim"
)

// theoryRune draws the closed form's expectation on the chart: doubled,
// so it stays distinct from the price line and the dotted floor without
// colour.
const theoryRune = '═'

// theoryView is the closed form and the simulated estimate of the chart's
// metric for one snapshot: what the header, the chart and the inspector
// show. The Context keeps the newest, since the closed form is computed on
// demand and the header is drawn more often than frames arrive.
type theoryView struct {
	of     *sim.Snapshot
	metric sim.TheoryMetric
	theory sim.Theory
	sim    sim.BatchMeans
	// each is each bidder's closed form (eachWhy why none), read on
	// first use (eachRead): only the inspector shows it. The snapshot's
	// memo keeps the integrals, so a new frame of the same world reads
	// them again without integrating.
	each     []sim.BidderTheory
	eachWhy  string
	eachRead bool
}

// bidders is each bidder's closed form for t's snapshot, or why none.
func (t *theoryView) bidders() ([]sim.BidderTheory, string) {
	if !t.eachRead {
		t.each, t.eachWhy = t.of.BidderTheory()
		t.eachRead = true
	}
	return t.each, t.eachWhy
}

// eachScope is whose closed form the inspector's theory adds: every
// bidder's, the selected bidder's, or no one's, as the screen has room.
type eachScope int

const (
	eachNone eachScope = iota
	eachSelected
	eachAll
)

// theoryNow is the closed form and the batch-means estimate of the chosen
// metric for the newest snapshot.
func (c *Context) theoryNow() *theoryView {
	t := &c.theory
	if t.of != c.Snap() || t.metric != c.Metric {
		*t = theoryView{of: c.Snap(), metric: c.Metric, theory: c.Snap().Theory(), sim: c.Snap().BatchMeans(c.Metric)}
	}
	return t
}

// expected is the closed form's value of the metric (NaN without one).
func (t *theoryView) expected() float64 { return t.metric.Expected(t.theory) }

// metricValue formats a value of m: CPM with three decimals, or a share.
func metricValue(m sim.TheoryMetric, x float64) string {
	if m.IsPrice() {
		return format.Fixed(x, 3)
	}
	return format.Pct(x)
}

// metricInterval is mean ± half as metricValue writes them, with more
// decimals, both to the same, where the half-width would otherwise read 0
// (0.000, 0.0%) though it is not: two significant digits of it.
func metricInterval(m sim.TheoryMetric, mean, half float64) string {
	scale, dec, unit := 1.0, 3, ""
	if !m.IsPrice() {
		scale, dec, unit = 100, 1, "%"
	}
	h := half * scale
	if h <= 0 || h >= 0.5*math.Pow10(-dec) || math.IsNaN(h) {
		return metricValue(m, mean) + " ± " + metricValue(m, half)
	}
	dec = report.HalfDecimals(h) // more than the default: h is under half its last decimal
	return format.Fixed(mean*scale, dec) + unit + " ± " + format.Fixed(half*scale, dec) + unit
}

// shortWhy is the first clause of a reason the closed form does not
// apply ("ada bids shade 0.8"): the header's; the inspector has it whole.
func shortWhy(why string) string {
	if i := strings.Index(why, ":"); i > 0 {
		return why[:i]
	}
	return why
}

// theoryLines are the header's lines for the chart's metric: the closed form
// beside the simulated (on the wire, measured) estimate, a 95% interval from batch means over the
// intervals since the last change, when the world has one.
//
//	mean clearing price  theory 0.667 · simulated 0.664 ± 0.004 (95%, 41 intervals from 3.12s)
//
// Without a closed form the reason's first clause says why, and it matters
// more than the estimate's window: it goes on the same line when it fits
// (with the window, or else without it), else on a line of its own below,
// so a student reads it at 80 columns too; where the screen has no row to
// spare (own false) it is cut instead. The inspector has it whole.
func theoryLines(c *Context, w int, own bool) []string {
	st, t := c.Theme, c.theoryNow()
	m := t.metric
	title := m.String()
	if m == sim.TheoryMeanPrice && len(c.Snap().Slots) > 0 {
		title += " (Σ slots)" // above every slot's price: their sum
	}
	parts := []string{st.Title.Render(title)}
	if t.theory.Applies {
		parts = append(parts, st.Label.Render("theory ")+st.Good.Render(metricValue(m, t.expected())))
	} else {
		parts = append(parts, st.Warn.Render("no closed form"))
	}
	b := t.sim
	// On the wire (a source's own header line) the estimate is measured.
	label := "simulated "
	if c.Frame.Line != "" {
		label = "measured "
	}
	simulated := st.Label.Render(label)
	var window string
	switch {
	case b.N == 0:
		simulated += st.Value.Render(format.Dash)
		window = " (no whole interval yet)"
		if m.IsPrice() && nothingSold(c.Snap(), b.From) {
			// Intervals have closed, none with a sale: a price has no
			// mean to wait for (a tmax under the skip rule, a floor
			// above every bid).
			window = " (nothing sold " + since(b.From) + ")"
		}
	case b.N == 1:
		simulated += st.Value.Render(metricValue(m, b.Mean))
		window = " (1 interval, " + since(b.From) + ")"
	default:
		simulated += st.Value.Render(metricInterval(m, b.Mean, b.HalfWidth()))
		window = fmt.Sprintf(" (95%%, %d intervals %s)", b.N, since(b.From))
	}
	line := parts[0] + "  " + parts[1] + st.Dim.Render(" · ") + simulated
	withWindow := line + st.Dim.Render(window)
	if ansi.StringWidth(withWindow) > w {
		withWindow = line
		if b.N >= 2 && ansi.StringWidth(line)+len(" (95%)") <= w {
			// The ± says what it is even where its window does
			// not fit (80 columns).
			withWindow = line + st.Dim.Render(" (95%)")
		}
	}
	if t.theory.Applies {
		return []string{format.Fit(withWindow, w)}
	}
	why := "  " + shortWhy(t.theory.Why)
	switch {
	case ansi.StringWidth(withWindow+why) <= w:
		return []string{format.Fit(withWindow+st.Dim.Render(why), w)}
	case ansi.StringWidth(line+why) <= w, !own:
		return []string{format.Fit(line+st.Dim.Render(why), w)}
	}
	return []string{format.Fit(withWindow, w), format.Fit(st.Label.Render("  why: ")+st.Dim.Render(shortWhy(t.theory.Why)), w)}
}

// nothingSold reports whether the series from from on has auctions and
// not one sale. Its intervals are those the estimate would take
// (sim.Snapshot.BatchMeans: starting at from or later), not the one from
// falls in: that one holds the sales before the change, and a change a
// deadline short of a whole second kept "no whole interval yet" on screen
// for as long as nothing sold.
func nothingSold(s *sim.Snapshot, from sim.Time) bool {
	auctions := false
	for _, p := range s.Series.Points {
		if p.Start < from {
			continue
		}
		if p.Filled > 0 {
			return false
		}
		auctions = auctions || p.Auctions > 0
	}
	return auctions
}

// since says where a window starts.
func since(t sim.Time) string {
	if t == 0 {
		return "since the start"
	}
	return "from " + format.ShortClock(t)
}

// metricKey handles `#`, the chart's metric; true if k was it.
func metricKey(c *Context, k tea.KeyMsg) bool {
	if !key.Matches(k, c.Keys.Metric) {
		return false
	}
	c.Info(nextChart(c))
	return true
}

// metricHint says what the metric teaches, for the status line.
func metricHint(m sim.TheoryMetric) string {
	_, hint := metricWords(m)
	return hint
}

// metricWords are the chart's name for m and what m teaches, for the
// status line.
func metricWords(m sim.TheoryMetric) (title, hint string) {
	switch m {
	case sim.TheoryRevenuePerAuction:
		return "Revenue / auction", " (unsold auctions count 0: what a floor is judged by)"
	case sim.TheoryFillRate:
		return "Fill rate", " (the share of auctions with a winner)"
	}
	return "Clearing price", " (over filled auctions)"
}

// metricSeries picks what the chart plots: the metric per interval once
// there are enough intervals, else each recent auction (its price, its
// price or 0 when unfilled, or 1 and 0 for filled and not); and the floor
// at every point, for the floor line.
func metricSeries(s *sim.Snapshot, m sim.TheoryMetric) (points, floors []pricePoint) {
	// add takes one interval or auction: its floor from start, its
	// figure x at at.
	add := func(start, at sim.Time, floor sim.Price, x float64) {
		floors = append(floors, pricePoint{at: start, floor: floor.CPM()})
		if !math.IsNaN(x) { // NaN: no sale, no price (not a price of 0)
			points = append(points, pricePoint{at: at, price: x, floor: floor.CPM()})
		}
	}
	if !perAuction(s) {
		for _, p := range s.Series.Points {
			add(p.Start, p.Start+s.Series.Width/2, p.Floor, m.Of(p))
		}
		return points, floors
	}
	for _, r := range s.Recent {
		add(r.Close, r.Close, r.Floor, m.OfAuction(r))
	}
	return points, floors
}

// metricUnit says what the chart plots for m, per interval or auction.
func metricUnit(s *sim.Snapshot, m sim.TheoryMetric) string {
	if perAuction(s) {
		switch m {
		case sim.TheoryFillRate:
			return "1 sold · 0 not, each of the last auctions"
		case sim.TheoryRevenuePerAuction:
			return "CPM, 0 unsold, each of the last auctions"
		}
		return "CPM, each of the last auctions"
	}
	switch m {
	case sim.TheoryFillRate:
		return fmt.Sprintf("share per %v", s.Series.Width)
	case sim.TheoryRevenuePerAuction:
		return fmt.Sprintf("CPM, per auction per %v", s.Series.Width)
	}
	return fmt.Sprintf("CPM, mean per %v", s.Series.Width)
}

// theorySpan is where the theory line goes: from the last change, or the
// start, to the newest point; ok is false without a closed form value.
func theorySpan(c *Context) (from sim.Time, value float64, ok bool) {
	t := c.theoryNow()
	x := t.expected()
	if math.IsNaN(x) {
		return 0, 0, false
	}
	if s := c.Snap(); len(s.Changes) > 0 {
		from = s.Changes[len(s.Changes)-1].At
	}
	return from, x, true
}

// theoryLegend is the chart title's key to the theory line.
func theoryLegend(c *Context) string {
	st := c.Theme
	if _, x, ok := theorySpan(c); ok {
		return st.Good.Render(string(theoryRune)) + st.Label.Render(" theory ") + st.Value.Render(metricValue(c.Metric, x))
	}
	return ""
}

// chartValue formats a value of m compactly, for the chart's title: CPM
// with two decimals, or a share.
func chartValue(m sim.TheoryMetric, x float64) string {
	if m.IsPrice() {
		return format.CPM(x)
	}
	return format.Pct(x)
}

// metricShortTitle is the chart's name for m where room is short.
func metricShortTitle(m sim.TheoryMetric) string {
	switch m {
	case sim.TheoryRevenuePerAuction:
		return "Rev/auction"
	case sim.TheoryFillRate:
		return "Fill"
	}
	return "Price"
}

// theoryWrapped is the inspector's account of the closed form for the
// world as it stands: the formula and its three expectations, or why
// there is none; wrapped to w. With short the formula is cut to its
// heading (what it assumes: auction, bidders, floor), for where the whole
// formula does not fit: the independent form's runs to eight lines at 80
// columns, and cut by the inspector's bottom it lost the figures
// expected, its point. each adds each bidder's closed form (eachBidder)
// for the bidders it says.
func theoryWrapped(c *Context, w int, short bool, each eachScope) []string {
	st, t := c.Theme, c.theoryNow()
	var s string
	if th := t.theory; th.Applies {
		formula := th.Formula
		if short {
			if head, _, ok := strings.Cut(formula, ": "); ok {
				formula = head + " (the formula: run --json's theory.formula, or a taller terminal)"
			}
		}
		s = st.Label.Render("Theory: ") + formula + ". " + st.Label.Render("Expected: ") + expected(th)
		if e := eachBidder(c, each); e != "" {
			s += " " + e
		}
	} else {
		why := th.Why
		if short {
			if head := whyHead(why); head != why {
				why = head + " (the whole reason: run --json's theory.why, or a taller terminal)"
			}
		}
		if !short {
			why += summary.DeviatorSimulated(t.of, th, c.Frame.Line != "") // on the wire, measured
		}
		s = st.Warn.Render("No closed form") + ": " + why + "."
	}
	return strings.Split(format.Wordwrap(s, w), "\n")
}

// expected is the sentence of the figures a closed form expects.
func expected(th sim.Theory) string {
	return fmt.Sprintf("mean clearing price %s · revenue per auction %s · fill rate %s.",
		metricValue(sim.TheoryMeanPrice, th.MeanClearingPrice),
		metricValue(sim.TheoryRevenuePerAuction, th.RevenuePerAuction),
		metricValue(sim.TheoryFillRate, th.FillRate))
}

// theoryHead is the inspector's shortest accounts of the closed form,
// for where even the formula's heading with its pointer to the whole
// does not fit: the heading and the figures expected (withHead), else
// the figures alone, "Theory: mean clearing price …", one line at 80
// columns. The figures are its point: cut by the screen's bottom (five
// bidders, or three slots, at 80×24) they were lost. nil when there is
// no closed form.
func theoryHead(c *Context, w int, withHead bool) []string {
	st, th := c.Theme, c.theoryNow().theory
	if !th.Applies {
		return nil
	}
	s := st.Label.Render("Theory: ") + strings.TrimSuffix(expected(th), ".") // 80 cells with a fill rate of 100.0%
	if withHead {
		head, _, _ := strings.Cut(th.Formula, ": ")
		s = st.Label.Render("Theory: ") + head + ". " + st.Label.Render("Expected: ") + expected(th)
	}
	return strings.Split(format.Wordwrap(s, w), "\n")
}

// noTheoryHead is the inspector's shortest account of why there is no
// closed form, the reason's first clause alone (whyHead), for where even
// its pointer to the whole does not fit: a sentence cut by the screen's
// bottom ("ada's are uniform(0, 2),") says less. nil when there is a
// closed form.
func noTheoryHead(c *Context, w int) []string {
	st, t := c.Theme, c.theoryNow()
	if t.theory.Applies {
		return nil
	}
	return strings.Split(format.Wordwrap(st.Warn.Render("No closed form")+": "+whyHead(t.theory.Why)+".", w), "\n")
}

// theoryLeast is the inspector's shortest account of the theory, the
// one it keeps room for under the response table: the figures expected
// alone, or the reason's first clause.
func theoryLeast(c *Context, w int) []string {
	if head := noTheoryHead(c, w); head != nil {
		return head
	}
	return theoryHead(c, w, false)
}

// whyHead is a reason's first clause, up to its first ": " or "; "
// ("values are not identically distributed"), or the whole reason.
func whyHead(why string) string {
	cut := len(why)
	for _, sep := range []string{": ", "; "} {
		if i := strings.Index(why, sep); i >= 0 {
			cut = min(cut, i)
		}
	}
	return why[:cut]
}

// eachBidder is the sentence on each bidder's closed form for the
// inspector, theory · simulated per auction ("ada wins 23.2% · 23.3%,
// pays 0.205 · 0.206 CPM, keeps 0.136 · 0.137 CPM"), the simulated
// figures since the last change where there is one; or why each bidder
// has no closed form.
// "" for eachNone, or eachSelected with no bidder selected that has one.
func eachBidder(c *Context, each eachScope) string {
	if each == eachNone {
		return ""
	}
	st, snap := c.Theme, c.Snap()
	bt, why := c.theoryNow().bidders()
	if len(bt) == 0 {
		if why == "" {
			return ""
		}
		return st.Label.Render("Each bidder: ") + "no closed form here: " + why + "."
	}
	selected := ""
	if c.Selected >= 0 && c.Selected < len(snap.Bidders) {
		selected = snap.Bidders[c.Selected].Name
	}
	since := snap.ChangedDuringRun()
	var parts []string
	for _, b := range bt {
		if each == eachSelected && b.Name != selected {
			continue
		}
		win, pay, surplus, _ := snap.BidderPerAuction(b.Name, since)
		keeps := format.Fixed(b.Surplus, 3) + " · " + format.Fixed(surplus, 3)
		parts = append(parts, fmt.Sprintf("%s wins %s · %s, pays %s · %s CPM, keeps %s CPM",
			b.Name, format.Pct(b.WinRate), format.Pct(win), format.Fixed(b.Payment, 3), format.Fixed(pay, 3), keeps))
	}
	if len(parts) == 0 {
		return ""
	}
	head := "Each bidder per auction, theory · simulated"
	if c.Frame.Line != "" {
		head = "Each bidder per auction, theory · measured" // on the wire
	}
	if since {
		head += " since the change"
	}
	return st.Label.Render(head+": ") + strings.Join(parts, "; ") + "."
}
