package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// dashboard is the main view: the price chart beside the exchange's
// figures, the bidders table, the latency panel and the change log. Its
// keys drive time, the exchange, the selected bidder and the run.
type dashboard struct {
	ctx   *Context
	lay   layout
	cache cache
}

func newDashboard(ctx *Context) *dashboard { return &dashboard{ctx: ctx} }

// layout is where each panel goes for one body size and bidder count.
type layout struct {
	w, h      int
	wide      bool
	topH      int // chart row
	chartW    int
	sideW     int
	tableRows int // bidders shown in the table
	titleH    int // the table title's lines (biddersTitle)
	latRows   int // bidders shown in the latency panel
	changesH  int // narrow: the change log under the latency panel
}

// Panel heights beyond their rows.
const (
	tableChrome   = 2 // title + column headers; a title wrapped takes more
	latencyChrome = 1 // title
	topMinNarrow  = 7 // chart title + 6 rows; the exchange panel's 7 lines
	topMinWide    = 12
	topLeast      = 3 // the chart row's least: its title and the exchange's first lines
	sideNarrow    = 28
	sideWide      = 44
	gap           = 2
	// minPanelRows is how many bidders the latency panel keeps while the
	// table (which scrolls with the selection) gives up rows: a timeout
	// story needs the slow bidder beside a few others.
	minPanelRows = 4
)

// cache holds the panels that are expensive to draw: rebuilt when a frame
// arrives, the size changes or a key changes what they show, never in View.
type cache struct {
	chartOf     *sim.Snapshot // the snapshot the chart was drawn from
	chartWH     [2]int
	chartMetric sim.TheoryMetric
	// chartLearner is the learner whose factor the chart plots; -1: the
	// metric's chart.
	chartLearner int
	chart        string
	bidders      string
	latency      string
}

// computeLayout fits the panels into w×h.
//
// Narrow (under 120 columns): chart beside the exchange panel; the
// bidders table; the latency panel; two lines of change log (one where
// two would leave the table fewer than minTableRows). Wide:
// chart beside the exchange panel; the table; the latency panel beside
// the change log, which takes any height left over.
func (d *dashboard) computeLayout(w, h int) layout {
	l := d.layoutWith(w, h, 2)
	if !l.wide && l.tableRows < d.minTableRows() {
		// At 80×24 the header's lines (a reason there is no closed
		// form, the wire's) take rows the table needs to compare
		// bidders; the change log's second line is the one that
		// loses least (changesPanelWith puts the newest change beside
		// its title).
		if one := d.layoutWith(w, h, 1); one.tableRows > l.tableRows {
			return one
		}
	}
	return l
}

// minTableRows is the fewest rows the bidders table keeps where a header
// line or the change log's second line can give them: a trainer or a
// student compares the selected bidder with others there, and one or two
// rows compare little. Fewer bidders and groups, that many.
func (d *dashboard) minTableRows() int {
	return min(len(d.ctx.Snap().Bidders)+len(d.ctx.Snap().Groups), 3)
}

// layoutWith is computeLayout with changesH lines of change log when
// narrow.
func (d *dashboard) layoutWith(w, h, changesH int) layout {
	l := layout{w: w, h: h, wide: w >= wideWidth}
	l.sideW = sideNarrow
	topMin := topMinNarrow
	if l.wide {
		l.sideW, topMin = sideWide, topMinWide
	}
	l.chartW = l.w - l.sideW - gap
	n := len(d.ctx.Snap().Bidders)
	all := n + len(d.ctx.Snap().Groups)
	l.tableRows, l.latRows = all, n
	if d.ctx.Frame.Fork != nil {
		l.latRows = n + 2*len(d.ctx.Snap().Groups) + 1 // the fork panel's rows (fork.go)
	} else if d.ctx.Snap().AnswersAtOnce() {
		// Every bar would read 0.0ms: the panel's title says so in a
		// line, and its rows go to the chart and the table
		// (classroom-vickrey at 80×24: a chart of 5 rows otherwise).
		l.latRows = 0
	}
	l.changesH = changesH
	// warnH is the lines the table's title needs past its first for the
	// selected bidder's warning (why it is behind its budget, the first
	// of its notes), set once the panels have their rows (below).
	warnH := 0
	rest := func() int {
		r := h - tableChrome - warnH - l.tableRows - latencyChrome - l.latRows
		if !l.wide {
			r -= l.changesH
		}
		return r
	}
	// Short of room: the latency panel gives up rows first (the table
	// has p95 too), then the table (it scrolls with the selection), each
	// down to four bidders, the selected one among them; then the table
	// further, then the latency panel, down to latLeast. Forked, the
	// table gives up rows before, down to three around the selected
	// bidder, so that A against B stays in view.
	keep, latLeast := min(n, minPanelRows), 1
	shrink := func() {
		for d.ctx.Frame.Fork != nil && rest() < topMin && l.tableRows > 3 {
			l.tableRows--
		}
		for rest() < topMin && l.latRows > max(keep, latLeast) {
			l.latRows--
		}
		for rest() < topMin && l.tableRows > 1 {
			l.tableRows--
		}
		for rest() < topMin && l.latRows > latLeast {
			l.latRows--
		}
	}
	shrink()
	// The warning is what the row's "!" flags, so it is whole where the
	// panels can give it rows as they give them to the table's bidders:
	// the table and the latency panel, whose titles say which rows they
	// show; not the fork panel, which does not, nor the chart row past
	// what it keeps without the warning. Where they cannot, the warning
	// wraps onto the chart row's spare lines with the other notes (below)
	// and what is left is cut, as wrapTitle says.
	if d.ctx.Frame.Fork != nil {
		latLeast = l.latRows
	}
	base := rest()
	shown := "" // the title's rows shown, at their widest once the table scrolls
	warnH = max(warningLines(d.ctx, w, shown)-1, 0)
	shrink()
	if l.tableRows < all {
		shown = rowsShown(all, all, all)
		warnH = max(warningLines(d.ctx, w, shown)-1, 0)
		shrink()
	}
	for rest() < min(base, topMin) && warnH > 0 {
		warnH--
	}
	l.topH = max(rest(), topLeast)
	if l.wide {
		// A chart taller than three fifths of the screen adds nothing;
		// the change log beside the latency panel takes the rest.
		l.topH = max(min(l.topH, h*3/5), min(l.topH, topMin))
	}
	// Past the warning, the title wraps the selected bidder's other
	// notes onto the chart row's lines past the exchange panel's first
	// seven (topMin), or, where the row is short of those and draws no
	// chart (the help open at 80×24), past its least: never onto another
	// panel's rows.
	floor := topMin
	if l.topH < topMin {
		floor = topLeast
	}
	more := min(len(wrapTitle(biddersTitle(d.ctx, w, shown), w, h))-1-warnH, max(l.topH-floor, 0))
	more = max(more, 0)
	l.titleH = 1 + warnH + more
	l.topH -= more
	if l.wide {
		l.changesH = h - l.topH - tableChrome - (l.titleH - 1) - l.tableRows
	}
	return l
}

// Refresh redraws the cached panels.
func (d *dashboard) Refresh() {
	c := d.ctx
	l := d.computeLayout(c.BodyW, c.BodyH)
	d.lay = l
	chartH := l.topH - 1
	learner := learnChartOn(c)
	if d.cache.chartOf != c.Snap() || d.cache.chartWH != [2]int{l.chartW, chartH} || d.cache.chartMetric != c.Metric || d.cache.chartLearner != learner {
		if learner >= 0 {
			d.cache.chart = renderLearnChart(c, learner, l.chartW, chartH)
		} else {
			d.cache.chart = renderChart(c, l.chartW, chartH)
		}
		d.cache.chartOf, d.cache.chartWH, d.cache.chartMetric, d.cache.chartLearner = c.Snap(), [2]int{l.chartW, chartH}, c.Metric, learner
	}
	d.cache.bidders = renderBidders(c, l.w, l.titleH, l.tableRows)
	latW, axis := l.w, false
	if l.wide {
		latW = l.w - l.sideW - gap
		axis = l.changesH > latencyChrome+l.latRows
	}
	if c.Frame.Fork != nil {
		// Forked: A, B and B − A take the latency panel's place (fork.go).
		h := latencyChrome + l.latRows
		if l.wide {
			h = l.changesH
		}
		d.cache.latency = renderFork(c, latW, h)
	} else {
		d.cache.latency = renderLatency(c, latW, l.latRows, axis)
	}
}

// View draws the dashboard from the cached panels and the cheap parts.
func (d *dashboard) View(w, h int) string {
	l := d.lay
	if l.w != w || l.h != h {
		d.Refresh()
		l = d.lay
	}
	title := ""
	if i := learnChartOn(d.ctx); i >= 0 && i == d.cache.chartLearner {
		title = learnChartTitle(d.ctx, i, l.chartW)
	} else {
		title = chartTitle(d.ctx, l.chartW)
	}
	chartBlock := format.Block([]string{title}, l.chartW, 1) + "\n" + d.cache.chart
	top := format.SideBySide(gap, chartBlock, exchangePanel(d.ctx, l.sideW, l.topH))
	legend := waitLegend(d.ctx.Snap(), l.sideW) // the exchange panel's mark, explained
	if l.wide {
		lat := format.Block(strings.Split(d.cache.latency, "\n"), l.w-l.sideW-gap, l.changesH)
		return strings.Join([]string{top, d.cache.bidders, format.SideBySide(gap, lat, changesPanelWith(d.ctx, l.sideW, l.changesH, legend))}, "\n")
	}
	return strings.Join([]string{top, d.cache.bidders, d.cache.latency, changesPanelWith(d.ctx, l.w, l.changesH, legend)}, "\n")
}

// ShortHelp is the footer's line: what a first-time user needs at 80
// columns, more when there is room (the footer drops entries before the
// last two until it fits).
func (d *dashboard) ShortHelp() []key.Binding {
	k := d.ctx.Keys
	if d.ctx.Frame.Line != "" {
		// On the wire (a source's own header line) the wall clock cannot
		// be paused, stepped, sped up or restarted, nor the world swapped
		// or forked: the footer offers what works there.
		if d.ctx.Width < wideWidth {
			return []key.Binding{pair(k.TmaxDown, k.TmaxUp, "t/T", "tmax"), pair(k.FloorDown, k.FloorUp, "f/F", "floor"),
				pair(k.Up, k.Down, "↑/↓", "bidder"), k.Toggle, relabel(k.Inspect, "auction"), k.Help, k.Quit}
		}
		return []key.Binding{pair(k.TmaxDown, k.TmaxUp, "t/T", "tmax"), pair(k.FloorDown, k.FloorUp, "f/F", "floor"), k.auctionKey(d.ctx),
			pair(k.Up, k.Down, "↑/↓", "bidder"), k.Toggle, k.Inspect, k.Export, relabel(k.WhatIf, "what-if"), k.Timeline,
			k.Present, k.Help, k.Quit}
	}
	if d.ctx.Width < wideWidth {
		exchange := pair(k.TmaxDown, k.TmaxUp, "t/T", "tmax")
		if !latencyApplies(d.ctx) {
			// No deadline to move where every bidder answers at once:
			// the floor is the lesson's setting.
			exchange = pair(k.FloorDown, k.FloorUp, "f/F", "floor")
		}
		return []key.Binding{k.Pause, pair(k.Faster, k.Slower, "+/-", "speed"), exchange,
			pair(k.Up, k.Down, "↑/↓", "bidder"), relabel(k.Inspect, "auction"), k.Help, k.Quit}
	}
	return k.applying(d.ctx, []key.Binding{k.Pause, pair(k.Faster, k.Slower, "+/-", "speed"), k.Step,
		pair(k.TmaxDown, k.TmaxUp, "t/T", "tmax"), pair(k.FloorDown, k.FloorUp, "f/F", "floor"), k.auctionKey(d.ctx),
		pair(k.Up, k.Down, "↑/↓", "bidder"), pair(k.LatencySlower, k.LatencyFaster, "l/L", "latency"),
		pair(k.BudgetDown, k.BudgetUp, "b/B", "budget"), k.Toggle, k.Inspect, k.Restart, k.Scenario,
		k.Export, relabel(k.WhatIf, "what-if"), k.Timeline, k.Present, relabel(k.MoveBudget, "move"), relabel(k.Fork, "fork"), k.Help, k.Quit})
}

// FullHelp is every key in columns: time and the trainers' views, the
// exchange then the bidder's selection, what acts on the selected bidder,
// the run. It fits in 80 columns and eight rows, so that the dashboard
// keeps room at 80×24 for what it would otherwise cut: the reason there
// is no closed form, on its own line, and the selected bidder's notes,
// wrapped.
func (d *dashboard) FullHelp() [][]key.Binding {
	k := d.ctx.Keys
	cols := [][]key.Binding{append(k.timeKeysOn(d.ctx), k.trainerKeys()...), append(k.exchangeKeys(d.ctx), k.selectKeys()...),
		k.bidderActionKeys(), k.runKeysOn(d.ctx)}
	for i := range cols {
		cols[i] = k.applying(d.ctx, cols[i])
	}
	return cols
}

// Update handles the dashboard's keys, by concern.
func (d *dashboard) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	c := d.ctx
	if ok, cmd := tmaxKey(c, k); ok {
		return cmd
	}
	if timeKey(c, k) || exchangeKey(c, k) || serverKey(c, k) || bidderKey(c, k) || flightKey(c, k) || strategyKey(c, k) || metricKey(c, k) || planKey(c, k) {
		return nil
	}
	if ok, cmd := trainerKey(c, k); ok {
		return cmd
	}
	return d.runKey(k)
}

// timeKey handles pause, speed and one auction; true if k was one of
// them. The inspector shares it.
func timeKey(c *Context, k tea.KeyMsg) bool {
	s, keys := &c.Shown, c.Keys
	switch {
	case key.Matches(k, keys.Pause):
		if c.Send(runner.Pause{Paused: !s.paused}) {
			s.paused = !s.paused
			c.Info(map[bool]string{true: "paused", false: "running"}[s.paused])
		}
	case key.Matches(k, keys.Faster), key.Matches(k, keys.Slower):
		to := runner.Faster(s.speed)
		if key.Matches(k, keys.Slower) {
			to = runner.Slower(s.speed)
		}
		if to == s.speed {
			c.Info("speed is already " + runner.SpeedLabel(to))
			break
		}
		if c.Send(runner.SetSpeed{Speed: to}) {
			c.Info("speed " + runner.SpeedLabel(s.speed) + " → " + runner.SpeedLabel(to))
			s.speed = to
		}
	case key.Matches(k, keys.Step):
		if !s.paused {
			c.Warn("'.' runs one auction while paused: press space first")
			break
		}
		if c.Send(runner.Step{}) {
			c.Info("one auction…")
		}
	default:
		return false
	}
	return true
}

// exchangeKey handles the exchange's settings; true if k was one of them.
// tmax's steps are pending ones, tmaxKey's (or the what-if panel's).
func exchangeKey(c *Context, k tea.KeyMsg) bool {
	s, keys := &c.Shown, c.Keys
	switch {
	case key.Matches(k, keys.FloorDown), key.Matches(k, keys.FloorUp):
		old := s.set.Floor.CPM()
		f := old + floorStep
		if key.Matches(k, keys.FloorDown) {
			f = max(old-floorStep, 0)
		}
		f = float64(sim.PriceOf(f)/10_000) / 100 // whole cents of CPM
		if f == old {
			c.Info("the floor is already 0")
			break
		}
		c.Change(sim.SetFloor{Floor: sim.PriceOf(f)}, fmt.Sprintf("floor %.2f → %.2f", old, f), func() { s.set.Floor = sim.PriceOf(f) })
	case key.Matches(k, keys.Auction):
		// One item: GSP and VCG are second price (oneItem), so they go
		// to first price like it, and the key keeps its "1st/2nd price".
		a := sim.FirstPrice
		switch oneItem(s.set.Auction, c.Snap()) {
		case sim.FirstPrice:
			a = sim.SecondPrice
		case sim.GSP: // the slots' auctions switch between themselves
			a = sim.VCG
		case sim.VCG:
			a = sim.GSP
		}
		c.Change(sim.SetAuction{Auction: a}, "auction "+s.set.Auction.String()+" → "+a.String(), func() { s.set.Auction = a })
	case key.Matches(k, keys.QPSDown), key.Matches(k, keys.QPSUp):
		// overloaded-bidder asks the user to raise the traffic and watch
		// the queue build up.
		old := s.set.QPS
		q := old * qpsScale
		if key.Matches(k, keys.QPSDown) {
			q = old / qpsScale
		}
		// Three significant digits: round numbers at any rate.
		q, _ = strconv.ParseFloat(strconv.FormatFloat(q, 'g', 3, 64), 64)
		if q < sim.MinQPS {
			c.Info(fmt.Sprintf("qps is at its minimum, %g", old))
			break
		}
		c.Change(sim.SetQPS{QPS: q}, fmt.Sprintf("qps %g → %g", old, q), func() { s.set.QPS = q })
	default:
		return false
	}
	return true
}

// tmaxKey handles t/T on the dashboard and in presentation mode as the
// what-if panel handles its steps (whatifsteps.go): each moves the tmax
// shown by one step at once, and the run gets one change, to where they
// stopped, when the user settles; enter applies them now, and any other
// key first (ok false: the key is the caller's). ok is true when k was
// a step, or enter that applied steps.
func tmaxKey(c *Context, k tea.KeyMsg) (ok bool, cmd tea.Cmd) {
	keys := c.Keys
	switch {
	case key.Matches(k, keys.TmaxDown), key.Matches(k, keys.TmaxUp):
		if t, ok := tmaxStepTarget(c, c.Shown.set.Tmax, key.Matches(k, keys.TmaxDown)); ok {
			return true, c.stepPending(t)
		}
		return true, nil
	case key.Matches(k, keys.Pick):
		return c.applyPending(), nil
	}
	c.applyPending()
	return false, nil
}

// tmaxStepTarget is where t/T take tmax from old: the next round value of
// the step's grid, down or up, at least tmaxMin; false (said on the status
// line) when old is at the minimum already.
func tmaxStepTarget(c *Context, old sim.Time, down bool) (sim.Time, bool) {
	// Snap to the step's grid, so steps from an odd tmax land on round
	// values.
	const step = tmaxStep * sim.Millisecond
	t := (old + step/2) / step * step
	if down {
		if t >= old {
			t -= step
		}
	} else if t <= old {
		t += step
	}
	t = max(t, tmaxMin*sim.Millisecond)
	if t == old {
		c.Info(fmt.Sprintf("tmax is at its minimum, %v", old))
		return 0, false
	}
	return t, true
}

// serverKey refuses at once a key that would change the selected
// bidder's own settings (latency, budget, daily budget, cap, strategy, a
// budget moved from it) when that bidder is on the wire, saying what the
// exchange would; true if it did. Before, the key built its change from
// the bidder's settings, which the wire does not have: l read "refused:
// bidders.ada.latency={dist: none}: dist: "none" is not a
// distribution…", and b offered a budget the wire then refused.
func serverKey(c *Context, k tea.KeyMsg) bool {
	if len(c.Frame.Remote) == 0 || len(c.Snap().Bidders) == 0 {
		return false
	}
	keys := c.Keys
	own := []key.Binding{keys.LatencySlower, keys.LatencyFaster, keys.BudgetDown, keys.BudgetUp,
		keys.DailyDown, keys.DailyUp, keys.CapDown, keys.CapUp, keys.Strategy, keys.StrategyDown,
		keys.StrategyUp, keys.MoveBudget, keys.SetBudget}
	if !slices.ContainsFunc(own, func(b key.Binding) bool { return key.Matches(k, b) }) {
		return false
	}
	b, _ := c.SelectedBidder()
	if !slices.Contains(c.Frame.Remote, b.Name) {
		return false
	}
	c.Warn(b.Name + " is on the wire: change it on its server")
	return true
}

// bidderKey handles the selection and the selected bidder's settings;
// true if k was one of them.
func bidderKey(c *Context, k tea.KeyMsg) bool {
	keys := c.Keys
	switch {
	case key.Matches(k, keys.Up):
		c.Selected = max(c.Selected-1, 0)
	case key.Matches(k, keys.Down):
		c.Selected = min(c.Selected+1, len(c.Snap().Bidders)-1)
	case key.Matches(k, keys.LatencySlower), key.Matches(k, keys.LatencyFaster):
		b, sb := c.SelectedBidder()
		if sb.latency.Kind == sim.DistNone {
			// None scales to none: say how to give it one, as b does
			// for a budget, rather than refuse "{dist: none}".
			c.Warn(b.Name + " has no latency to scale: :bidders." + b.Name + ".latency=30ms gives one")
			break
		}
		factor, word := latencyScale, "slower"
		if key.Matches(k, keys.LatencyFaster) {
			factor, word = 1/latencyScale, "faster"
		}
		to := sb.latency.Scale(factor)
		// Its latency, the path it assigns: with a network apart
		// (network:), that is its own processing, not the network.
		what := fmt.Sprintf("%s %s: latency ×%.2f, mean %s → %s", b.Name, word, factor,
			format.Latency(meanTime(sb.latency)), format.Latency(meanTime(to)))
		if !c.canAssign() {
			c.Change(sim.ScaleLatency{Bidder: b.Name, Factor: factor}, what, func() { sb.latency = to })
			break
		}
		// The scaled latency as a file writes it, to the nanosecond.
		set := latencySet(b.Name, to)
		if err := c.Assign([]scenarios.Set{set}, what, func() { sb.latency = to }); err != nil {
			c.Warn("refused: " + keyRefusal(err, []scenarios.Set{set}))
		}
	case key.Matches(k, keys.BudgetDown), key.Matches(k, keys.BudgetUp):
		b, sb := c.SelectedBidder()
		if sb.unlimited {
			if c.canAssign() {
				// The command line gives one, as --set would: say how,
				// rather than that only the file can.
				c.Warn(b.Name + " has no budget to scale: :bidders." + b.Name + ".budget.total=AMOUNT gives one")
				break
			}
			c.Warn(b.Name + " has no budget (unlimited): budgets are set in the scenario file")
			break
		}
		old := sb.budget.Float()
		nb := old / budgetScale
		if key.Matches(k, keys.BudgetUp) {
			nb = max(old*budgetScale, budgetMin)
		}
		nb = float64(sim.MoneyOf(nb)/10_000_000) / 100 // whole cents
		what := fmt.Sprintf("%s budget %s → %s (spent %s)", b.Name, format.Money(old), format.Money(nb), format.Money(b.Spend.Float()))
		if b.Group != "" {
			what += groupDrift(b.Group)
		}
		c.Change(sim.SetBudget{Bidder: b.Name, Total: sim.MoneyOf(nb)}, what, func() { sb.budget = sim.MoneyOf(nb) })
	case key.Matches(k, keys.Toggle):
		b, sb := c.SelectedBidder()
		on := !sb.enabled
		word := map[bool]string{true: "enabled", false: "disabled: it gets no bid requests"}[on]
		c.Change(sim.SetEnabled{Bidder: b.Name, Enabled: on}, b.Name+" "+word, func() { sb.enabled = on })
	default:
		return false
	}
	return true
}

// runKey handles the keys about the whole run: the inspector, restart,
// another scenario, export.
func (d *dashboard) runKey(k tea.KeyMsg) tea.Cmd {
	c, keys := d.ctx, d.ctx.Keys
	switch {
	case key.Matches(k, keys.Inspect):
		if len(c.Snap().Recent) == 0 {
			c.Info("no auction has closed yet")
			break
		}
		c.Open(newInspector(c))
		c.Info("")
	case key.Matches(k, keys.Restart):
		if c.Send(runner.Restart{}) {
			c.Info(fmt.Sprintf("restarting with seed %d, replaying %d change(s)…", c.Snap().Seed, len(c.Snap().Changes)))
		}
	case key.Matches(k, keys.Scenario):
		if c.cat.List == nil {
			c.Warn("no bundled scenarios in this build")
			break
		}
		c.Open(newPicker(c))
		c.Info("")
	case key.Matches(k, keys.Command):
		openCommandLine(c)
	case key.Matches(k, keys.Export):
		if c.Frame.Fork != nil {
			return exportFork(c)
		}
		return exportRun(c)
	}
	return nil
}

// meanTime is a latency distribution's mean as a duration.
func meanTime(d sim.Dist) sim.Time { return sim.Time(d.Mean()) }

// chartTitle is the chart's title and legend: the metric over the run
// and since the last change, the closed form's value, the floor, the max,
// and what is plotted, as many of them as fit in w, in that order of need.
func chartTitle(c *Context, w int) string {
	st, snap, m := c.Theme, c.Snap(), c.Metric
	x := snap.Exchange
	mean := st.Label.Render("mean ") + st.Value.Render(chartValue(m, m.Total(x)))
	if sinceChange(snap) {
		mean += st.Label.Render(" (") + st.Value.Render(chartValue(m, m.Of(snap.SinceChange))) +
			st.Label.Render(" since "+format.ShortClock(snap.SinceChange.Start)+")")
	}
	title, _ := metricWords(m)
	parts := []string{st.Title.Render(title), mean}
	if th := theoryLegend(c); th != "" {
		parts = append(parts, th)
	}
	if showsFloor(m) && floorDrawn(snap) { // its legend where the line is
		parts = append(parts, st.FloorLine.Render(string(floorRune))+st.Label.Render(" floor ")+st.Value.Render(format.Price(c.Shown.set.Floor)))
	}
	if m == sim.TheoryMeanPrice {
		parts = append(parts, st.Label.Render("max ")+st.Value.Render(format.Price(x.MaxPrice)))
	}
	parts = append(parts, st.Dim.Render(metricUnit(snap, m)))
	for n := len(parts); n >= 3; n-- {
		if t := strings.Join(parts[:n], "  "); lipgloss.Width(t) <= w {
			return t
		}
	}
	if t := strings.Join([]string{st.Title.Render(metricShortTitle(m)), mean, parts[2]}, " "); lipgloss.Width(t) <= w {
		return t
	}
	return strings.Join(parts[:2], "  ")
}

// floorDrawn reports whether the price chart draws a floor line: one of
// the intervals or auctions it plots had a floor above 0 (a floor of 0 is
// none, and is neither drawn nor in the Y range).
func floorDrawn(s *sim.Snapshot) bool {
	if perAuction(s) {
		for _, r := range s.Recent {
			if r.Floor > 0 {
				return true
			}
		}
		return false
	}
	for _, p := range s.Series.Points {
		if p.Floor > 0 {
			return true
		}
	}
	return false
}

// sinceChange reports whether the figures since the last change differ
// from the whole run's: a change was made after the start.
func sinceChange(s *sim.Snapshot) bool { return len(s.Changes) > 0 && s.SinceChange.Start > 0 }

// beforeTheChange is what a recent wait says while it reaches before the
// last change.
const beforeTheChange = "partly before the change"

// sinceTheChange is what a recent wait says while it covers exactly the
// auctions since the last change that can move it.
const sinceTheChange = "since the change"

// waitBeforeChange reports whether the recent wait still holds auctions
// from before the last change that can move it (sim.Snapshot.MovesWait):
// the engine starts it afresh there, and until sim.SinceEnough auctions
// fanned out since have closed it reads those at the change as well
// (sim.WaitMixed). After tmax 1s → 500ms it reads above the new tmax for
// those few seconds, which every figure of it must say. After a floor
// raised in a world without budgets or caps the wait is the same
// world's: the engine does not restart it, and a mark would be noise.
func waitBeforeChange(s *sim.Snapshot) bool {
	return s.Exchange.RecentWaitCover == sim.WaitMixed && s.Exchange.RecentWait.Count > 0
}

// waitSinceChange reports whether the recent wait covers every auction
// fanned out since the last change that can move it, and those alone
// (sim.WaitSince).
func waitSinceChange(s *sim.Snapshot) bool {
	return s.Exchange.RecentWaitCover == sim.WaitSince && s.Exchange.RecentWait.Count > 0
}

// waitLabel is the exchange panel's label of the recent wait p95 (value,
// in w cells): when the wait reaches before the change, the longest
// label that says so and fits, else the label marked with waitMark,
// which the changes panel explains (waitLegend); when it covers the
// auctions since the change, the label that says so where it fits.
func waitLabel(s *sim.Snapshot, w int, value string) string {
	const label = "wait p95 (recent)"
	var forms []string
	switch {
	case waitBeforeChange(s):
		forms = []string{"wait p95 (recent, " + beforeTheChange + ")", "wait p95 (" + beforeTheChange + ")"}
	case waitSinceChange(s):
		// Else "recent", which it is as well.
		forms = []string{"wait p95 (" + sinceTheChange + ")", "wait p95 (since change)", label}
	default:
		return label
	}
	for _, l := range forms {
		if len(l)+1+len(value) <= w {
			return l
		}
	}
	if waitSinceChange(s) {
		return label
	}
	return label + waitMark
}

// waitMark marks the exchange panel's recent wait where the words that
// it reaches before the change do not fit beside it (80 columns).
const waitMark = "*"

// waitLegend is what the changes panel says of waitMark when the
// exchange panel, w cells wide, shows it; "" when it does not.
func waitLegend(s *sim.Snapshot, w int) string {
	if !strings.HasSuffix(waitLabel(s, w, waitText(s.Exchange.RecentWait)), waitMark) {
		return ""
	}
	return waitMark + " wait p95 (recent): " + beforeTheChange
}

// legendForms are legend's wordings, longest first, for the change log to
// take the longest that fits beside the change: waitLegend's shorten to
// the mark and what it means, the mark standing beside the wait's label.
func legendForms(legend string) []string {
	if !strings.HasPrefix(legend, waitMark+" wait p95") {
		return []string{legend}
	}
	return []string{legend, waitMark + " " + beforeTheChange, waitMark + " partly pre-change"}
}

// wireLine is the source's header line, whose parts' shorter forms are
// forms (runner.Frame.LineForms), with its wait saying, when it does,
// that it reaches before the last change, or that it covers the auctions
// since: the longest words that fit the line folded at w cells. Where
// the line is too long it gives up words in an order: the wait's words
// first (down to "partly pre-change"), then each part's shorter forms,
// from the last part to the first but the names before the counts, so
// that what it ends with (the machine busy, LineBusy), the wait's words
// and the calls in flight stay whole: at 80 columns beside "(partly
// pre-change)" the busy tag was cut, and the counts missed the calls in
// flight to keep "8 bidders". The line is the
// wire's (wire.Live), whose wait part starts runner.LineWait.
func wireLine(s *sim.Snapshot, line string, forms [][]string, w int) string {
	const sep = " · "
	parts := strings.Split(line, sep)
	choices := make([][]string, len(parts)) // each part's forms, longest first
	for i, p := range parts {
		choices[i] = []string{p}
		if i < len(forms) {
			choices[i] = append(choices[i], forms[i]...)
		}
	}
	wi := slices.IndexFunc(parts, func(p string) bool { return strings.HasPrefix(p, runner.LineWait) })
	words := []string{" (" + beforeTheChange + ")", " (partly before change)", " (partly pre-change)"}
	switch {
	case wi < 0:
	case waitSinceChange(s):
		words = []string{" (" + sinceTheChange + ")", " (since change)"}
	case !waitBeforeChange(s):
		words = []string{""}
	}
	if wi >= 0 {
		// Its words shorten first, then its own forms with the shortest.
		wait := choices[wi]
		choices[wi] = nil
		for _, wd := range words {
			choices[wi] = append(choices[wi], wait[0]+wd)
		}
		for _, f := range wait[1:] {
			choices[wi] = append(choices[wi], f+words[len(words)-1])
		}
	}
	at := make([]int, len(parts)) // each part's form
	join := func() string {
		p := make([]string, len(parts))
		for i := range parts {
			p[i] = choices[i][at[i]]
		}
		return strings.Join(p, sep)
	}
	out := join()
	shorten := func(i, upTo int) {
		for ; at[i] < upTo && !fits(foldLine(out, w), w); out = join() {
			at[i]++
		}
	}
	// The parts give up their shorter forms from the last to the first,
	// save that the bidders' names (the first part) go before the counts
	// (the second): the calls in flight are what make the counts add up
	// to the calls sent, and a sum that misses them on a projector reads
	// as wrong, while the table names the bidders anyway. The first
	// part's last form, where it has two ("on the wire", then a bare
	// "wire"), goes only after the counts' last, so that "on the wire"
	// stays where the counts' own shorter forms make room. Each step shortens part i down to form upTo.
	type step struct{ i, upTo int }
	var steps []step
	if wi >= 0 {
		steps = append(steps, step{wi, len(words) - 1})
	}
	for i := len(parts) - 1; i >= 2; i-- {
		steps = append(steps, step{i, len(choices[i]) - 1})
	}
	names := len(choices[0]) - 1 // the first part's last form but one, with a bare last one
	if len(choices[0]) >= 3 {
		names--
	}
	steps = append(steps, step{0, names})
	if len(parts) > 1 {
		steps = append(steps, step{1, len(choices[1]) - 1})
	}
	steps = append(steps, step{0, len(choices[0]) - 1})
	for _, st := range steps {
		shorten(st.i, st.upTo)
	}
	// Then back, in the other order, to the longest forms that still
	// fit: a part shortened before the one that made the line fit gave
	// its words up for nothing. Each step gives back only what it took:
	// down to the form an earlier step of the same part left.
	grow := func(i, downTo int) {
		for ; at[i] > downTo; at[i]-- {
			at[i]--
			longer := join()
			at[i]++
			if !fits(foldLine(longer, w), w) {
				return
			}
			out = longer
		}
	}
	for k := len(steps) - 1; k >= 0; k-- {
		downTo := 0
		for _, e := range steps[:k] {
			if e.i == steps[k].i {
				downTo = e.upTo
			}
		}
		grow(steps[k].i, downTo)
	}
	if len(parts) > 2 && !fits(foldLine(out, w), w) {
		// Still too long (the counts with refused connections, after a
		// bidders' server stopped: at 80 columns "wire" stood alone on
		// the first line and the wait was cut with "…"): the counts go
		// last, to the second line of their own, the rest before them.
		p := make([]string, len(parts))
		for i := range parts {
			p[i] = choices[i][at[i]]
		}
		// Then, where the counts alone are wider than the line (refused
		// connections and six-digit counts: the end was cut with "…",
		// the timeouts and the calls in flight lost), their labels
		// shorten in turn, each on the last's words, every count kept
		// with its own; the README names them.
		shorter := []*strings.Replacer{
			strings.NewReplacer(" answered ", " ans ", " errors ", " err ", " timeouts ", " t/o "),
			strings.NewReplacer(" refused ", " ref "),
		}
		for k := 0; ; k++ {
			if moved := strings.Join(append(append([]string{p[0]}, p[2:]...), p[1]), sep); fits(foldLine(moved, w), w) {
				return moved
			}
			if k == len(shorter) {
				break
			}
			p[1] = shorter[k].Replace(p[1])
		}
	}
	return out
}

// fits reports whether every line is at most w cells wide.
func fits(lines []string, w int) bool {
	for _, l := range lines {
		if ansi.StringWidth(l) > w {
			return false
		}
	}
	return true
}

// exchangePanel shows the exchange's throughput and money, over the run,
// and since the last change when one was made and there is room.
func exchangePanel(c *Context, w, h int) string {
	snap, st := c.Snap(), c.Theme
	x := snap.Exchange
	// A space always parts label and value: a value as wide as the room
	// would otherwise run into its label.
	row := func(label, value string) string {
		return st.Label.Render(label) + " " + format.PadLeft(value, w-lipgloss.Width(label)-1)
	}
	lost := format.Money(x.RevenueLost.Float())
	if l := fmt.Sprintf("%s (%s)", lost, format.Pct(x.LostShare())); len(l)+17 <= w {
		// The share of the potential revenue (revenue + lost), when it
		// fits.
		lost = l
	}
	head := st.Title.Render("Exchange") + st.Dim.Render(" since the start")
	if u := st.Dim.Render(" · " + moneyUnit); lipgloss.Width(head+u) <= w {
		head += u // revenue and what was lost are money, not CPM
	}
	wait, requests := waitText(x.RecentWait), format.Count(x.BidRequests)
	lines := []string{
		head,
		row("auctions/s", rateText(c, c.WallRate)),
		row("  virtual/s", rateText(c, c.VirtRate)),
		row("auctions", format.Count(x.Auctions)),
		row("fill rate", format.Pct(x.FillRate())),
		row("revenue", format.Money(x.Revenue.Float())),
	}
	// Where every bidder answers at once (AnswersAtOnce) the wait p95, what
	// timeouts lost and the late bids read 0.0ms, 0.00 and 0.0% on every
	// frame: one line says why in their place, and the first latency a
	// live change brings gives them back on the next frame.
	instant := snap.AnswersAtOnce()
	if !instant {
		lines = append(lines, row(waitLabel(snap, w, wait), wait))
	}
	if snap.Settings.Abandonment.On() {
		lines = append(lines, row("net of people who left", format.Money(x.NetRevenue().Float())))
	}
	if instant {
		lines = append(lines, st.Dim.Render(format.Fit(fitting("", w,
			"no wait, no late bids: every bidder answers at once",
			"no wait, no late bids: answers at once",
			"no wait, no late bids"), w)))
	} else {
		lines = append(lines,
			row("lost to timeouts", st.Warn.Render(lost)),
			row("late bids", format.Pct(x.TimeoutRate())))
	}
	lines = append(lines, []string{
		row(inFlightLabel(w, format.Count(x.InFlight)), format.Count(x.InFlight)),
		row(bidRequestsLabel(w, requests), requests),
		row("no-bids · errors", noBidsErrors(x, w)),
	}...)
	if x.Refused > 0 {
		// Not errors (a full queue; on the wire a refused connection or a
		// 503), and else nowhere in the panel, while the wire's header
		// counts them too (as refused): nothing listening read "1,510
		// errors" there and "0 · 0" here.
		lines = append(lines, row("refused", format.Count(x.Refused)))
	}
	if c.Frame.Line != "" || h < len(lines) && h >= 7 {
		// Narrow: the virtual rate goes first. On the wire there is no
		// virtual time: the engine's clock is the wall clock, and a
		// "virtual/s" beside auctions/s read as a second clock.
		lines = append(lines[:2], lines[3:]...)
	}
	since := 4 // the section's lines past its first
	if instant {
		since = 3 // the whole of its three lines, not its title and one figure
	}
	if s := snap.SinceChange; sinceChange(snap) && h >= len(lines)+since {
		lines = append(lines,
			st.Title.Render("Since ")+st.Dim.Render(format.ShortClock(s.Start)+", the last change"),
			row("fill rate", format.Pct(s.FillRate())),
			row("revenue / auction", format.CPM(s.RevenuePerAuction())))
		if !instant {
			// What timeouts lost and late bids: 0.0% without latency.
			lines = append(lines,
				row("lost share", format.Pct(s.LostShare())),
				row("late bids", format.Pct(s.TimeoutRate())))
		}
	}
	lines = append(lines, peoplePanel(c, w, h-len(lines))...)
	return format.Block(lines, w, h)
}

// inFlightLabel names the panel's auctions in flight by their unit where
// the width w holds it beside value: the wire's header counts its calls
// in flight (an auction has one a bidder), and two "in flight" of
// different sizes read as a fault on a projector.
func inFlightLabel(w int, value string) string {
	if l := "auctions in flight"; len(l)+1+len(value) <= w {
		return l
	}
	return "in flight"
}

// bidRequestsLabel names the exchange's bid requests, counted as their
// auctions close, so that they are told from the wire header's "sent",
// counted as they leave: the two differ by the calls of the auctions in
// flight (6,910 sent beside 6,110 read as a fault). The longest label the
// panel's width w holds beside value.
func bidRequestsLabel(w int, value string) string {
	for _, l := range []string{"bid requests (closed auctions)", "bid requests (closed)"} {
		if len(l)+1+len(value) <= w {
			return l
		}
	}
	return "bid requests"
}

// peoplePanel is, in a world with people and room for it (h lines), the
// selected bidder's people by the impressions each has seen (the buckets
// of sim.FrequencyBuckets up to the last with anyone), a bar each of the
// share of the people it reached; nothing without people or room.
func peoplePanel(c *Context, w, h int) []string {
	b := c.Snap().Bidders[c.Selected]
	f := b.Frequency
	if f == nil || f.PeopleReached == 0 {
		return nil
	}
	last := 0
	for i, n := range f.Distribution {
		if n > 0 {
			last = i
		}
	}
	if h < last+2 || w < 20 {
		return nil
	}
	st := c.Theme
	lines := []string{st.Title.Render("People") + st.Dim.Render(" "+format.Fit("by impressions of "+b.Name, w-7))}
	for i, n := range f.Distribution[:last+1] {
		lines = append(lines, st.Label.Render(format.PadLeft(bucketLabel(i), 6)+" ")+
			barPlain(float64(n)/float64(f.PeopleReached), w-7, " "+format.PadLeft(format.Pct(float64(n)/float64(f.PeopleReached)), 6)))
	}
	return lines
}

// waitText is the recent auctions' wait p95, or a dash before any.
func waitText(l sim.LatencyStats) string {
	if l.Count == 0 {
		return format.Dash
	}
	return format.Latency(l.P95)
}

// noBidsErrors is the exchange's no-bids and errors in full, or with
// k/M suffixes where the full counts would not fit beside their label
// (and the space that parts them) in w cells.
func noBidsErrors(x sim.ExchangeStats, w int) string {
	return fitting("no-bids · errors ", w,
		format.Count(x.NoBids)+" · "+format.Count(x.Errors),
		format.SI(float64(x.NoBids))+" · "+format.SI(float64(x.Errors)))
}

// rateText is a rate for the exchange panel, or why there is none.
func rateText(c *Context, x float64) string {
	switch {
	case c.Frame.Ended && c.Shown.paused:
		return "ended" // as the header says: no rate, and no pause to lift
	case c.Shown.paused:
		return "paused"
	}
	return format.Rate(x)
}

// changeHint names a few keys that change the world, and the command
// line, from the registry (keys.go) by name rather than by place in its
// lists, so that the hint cannot name a key the dashboard does not have
// nor change when a list is reordered. On the wire (c's frame has a
// header line) it names, as the footer does, the keys that work there:
// a bidder on the wire refuses a change of its latency, budget or
// strategy ("change it on its server").
func changeHint(c *Context) string {
	k := c.Keys
	latency, budget, _ := k.bidderQuickKeys()
	try := []key.Binding{k.tmaxKeys(), k.floorKeys(), k.Auction, latency, budget, k.Toggle, k.Strategy}
	if c.Frame.Line != "" {
		try = []key.Binding{k.tmaxKeys(), k.floorKeys(), k.Auction, k.Toggle}
	}
	try = k.applying(c, try)
	var names []string
	for _, kb := range try {
		names = append(names, kb.Help().Key)
	}
	return strings.Join(names, ", ") + ", or " + k.Command.Help().Key + " to set any path"
}

// changesPanel lists the live changes, newest first, with their virtual
// times, under the script's next step if it has one to come.
func changesPanel(c *Context, w, h int) string { return changesPanelWith(c, w, h, "") }

// changesPanelWith is changesPanel saying legend (the exchange panel's
// mark on its wait, which is about the newest change) beside its title
// where it fits, else under it.
func changesPanelWith(c *Context, w, h int, legend string) string {
	if h == 1 {
		return changesLine(c, w, legend)
	}
	cs := c.Snap().Changes
	st := c.Theme
	lines := []string{st.Title.Render("Changes") + st.Dim.Render(fmt.Sprintf(" (%d, newest first)", len(cs)))}
	at, what, next := c.nextStep()
	if legend != "" {
		// Beside the title, in the longest wording that fits; else on a
		// line of its own where that leaves the line the script's next
		// step or the newest change needs (the change log shows what
		// changed first), else cut beside the title.
		forms := legendForms(legend)
		placed := false
		for _, f := range forms {
			if l := lines[0] + st.Dim.Render(" · "+f); ansi.StringWidth(l) <= w {
				lines[0], placed = l, true
				break
			}
		}
		need := 2 // the title and the legend
		if next {
			need++
		}
		if len(cs) > 0 {
			need++
		}
		switch {
		case placed:
		case need <= h:
			lines = append(lines, st.Dim.Render(format.Fit(legend, w)))
		default:
			lines[0] = format.Fit(lines[0]+st.Dim.Render(" · "+forms[len(forms)-1]), w)
		}
	}
	if next {
		// The script's next step, above the newest change: what comes.
		lines = append(lines, st.Dim.Render(format.PadLeft(format.ShortClock(at), 8)+"  next: "+what))
	}
	if len(cs) == 0 {
		lines = append(lines, st.Dim.Render("none yet: try "+changeHint(c)))
	}
	onlyB := forkOnlyB(c, cs)
	for i := len(cs) - 1; i >= 0 && len(lines) < h; i-- {
		ch := cs[i]
		// As typed: the assignment (exchange.tmax=80ms), the dialect of
		// the command line, --set and the export's set.
		what, tag := scenarios.ChangeText(ch.Change), ""
		switch {
		case ch.Scripted:
			tag = "script " // the scenario's, not a key's
		case onlyB[i]:
			tag = forkOnlyBTag // made after the fork: B's alone
		}
		// A change too long for the panel (a budget move names both
		// members) goes on under itself rather than losing its end; a
		// word longer than the line (bidders.NAME.frequency_cap={impressions:)
		// is broken between the parts of its path (after a '.', '=' or
		// ','), as format.Block would otherwise cut it with "…" and lose
		// the field it names, and a cut inside a part (disabled=tru, e)
		// reads as another value.
		for k, part := range strings.Split(format.WrapPath(tag+what, max(w-10, 8)), "\n") {
			if k == 0 {
				if rest, ok := strings.CutPrefix(part, "script"); ok && tag != "" {
					part = st.Dim.Render("script") + rest
				}
				lines = append(lines, format.PadLeft(format.ShortClock(ch.At), 8)+"  "+part)
			} else if len(lines) < h {
				lines = append(lines, strings.Repeat(" ", 10)+part)
			}
		}
	}
	return format.Block(lines, w, h)
}

// forkOnlyBTag marks a change made after the fork, which went to B
// alone: the same change made before it (in both) reads the same.
const forkOnlyBTag = "B: "

// forkOnlyB says, of cs (the change log the dashboard shows, B's while
// forked), which changes were made after the fork and so went to B
// alone: the hand changes past as many as A has, since A, frozen at the
// fork, takes none after it, while the script's changes apply to both.
// All false when not forked.
func forkOnlyB(c *Context, cs []sim.AppliedChange) []bool {
	only := make([]bool, len(cs))
	ff := c.Frame.Fork
	if ff == nil || ff.A == nil {
		return only
	}
	shared := 0
	for _, ch := range ff.A.Changes {
		if !ch.Scripted {
			shared++
		}
	}
	n := 0
	for i, ch := range cs {
		if !ch.Scripted {
			n++
			only[i] = n > shared
		}
	}
	return only
}

// changesLine is the change log in one line (at 80×24, where the table
// needs its row): its count, then what its second line would say (the
// script's next step, the newest change, or the keys to try), then
// legend, in the longest wording that fits beside it, else cut: what
// changed stays whole. (Before, where both did not fit, the legend took
// the change's place, and for the 8 to 16 s a change of tmax marks the
// wait the log did not say what changed.)
func changesLine(c *Context, w int, legend string) string {
	cs := c.Snap().Changes
	st := c.Theme
	sep := st.Dim.Render(" · ")
	title := st.Title.Render("Changes") + st.Dim.Render(fmt.Sprintf(" (%d)", len(cs)))
	var item string
	if at, what, ok := c.nextStep(); ok {
		item = st.Dim.Render(format.ShortClock(at) + " next: " + what)
	} else if len(cs) == 0 {
		item = st.Dim.Render("none yet: try " + changeHint(c))
	} else {
		ch, tag := cs[len(cs)-1], ""
		switch {
		case ch.Scripted:
			tag = st.Dim.Render("script ")
		case forkOnlyB(c, cs)[len(cs)-1]:
			tag = forkOnlyBTag
		}
		item = format.ShortClock(ch.At) + " " + tag + scenarios.ChangeText(ch.Change)
	}
	line := title + sep + item
	if legend == "" {
		return format.Fit(line, w)
	}
	forms := legendForms(legend)
	for _, f := range forms {
		if l := line + sep + st.Dim.Render(f); ansi.StringWidth(l) <= w {
			return format.Fit(l, w)
		}
	}
	return format.Fit(line+sep+st.Dim.Render(forms[len(forms)-1]), w)
}
