package tui

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// planKey handles the planner's keys: m (move budget), = (set budget) and
// c (fork, or end the fork); true if k was one of them.
func planKey(c *Context, k tea.KeyMsg) bool {
	keys := c.Keys
	switch {
	case key.Matches(k, keys.MoveBudget):
		openMoveForm(c)
	case key.Matches(k, keys.SetBudget):
		openSetForm(c)
	case key.Matches(k, keys.Fork):
		if c.Frame.Fork == nil {
			if c.Send(runner.Fork{}) {
				c.Info("forking: A keeps the world so far, changes now go to B…")
			}
			break
		}
		c.Open(&unforkConfirm{ctx: c})
		c.Info("")
	default:
		return false
	}
	return true
}

// unforkConfirm asks before the fork ends and A is dropped.
type unforkConfirm struct{ ctx *Context }

func (u *unforkConfirm) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	c := u.ctx
	switch {
	case key.Matches(k, c.Keys.Yes):
		c.Close()
		if c.Send(runner.Unfork{}) {
			c.Info("ending the fork: B runs on, A is dropped…")
		}
	case key.Matches(k, c.Keys.No):
		c.Close()
		c.Info("still forked")
	}
	return nil
}

func (u *unforkConfirm) View(w, h int) string {
	st := u.ctx.Theme
	q := st.Warn.Render("End the fork and keep B? A, the baseline, is dropped.") +
		st.Dim.Render("  y/n")
	return viewAbove(u.ctx, w, h, 1) + "\n" + format.Fit(q, w)
}

// Refresh lays the dashboard out above the question's line.
func (u *unforkConfirm) Refresh() { refreshAbove(u.ctx, 1) }

// ShortHelp is the question's answers.
func (u *unforkConfirm) ShortHelp() []key.Binding {
	k := u.ctx.Keys
	return []key.Binding{relabel(k.Yes, "end the fork, keep B"), relabel(k.No, "stay forked"), k.Quit}
}
func (u *unforkConfirm) FullHelp() [][]key.Binding { return [][]key.Binding{u.ShortHelp()} }

// forkRowMetric is the metric the fork panel compares for a row: what
// the ads added (incremental value, the model's truth) for a group or a
// bidder with an outcome model, its wins for a bidder without one. The
// value is the eventual one, the conversions still pending counted: the
// matured one lags the impressions by the conversions' delay, so B − A
// on it reads low where B buys more (or later) conversions than A.
func forkRowMetric(hasOutcome bool) string {
	if hasOutcome {
		return "eventual.incremental_value"
	}
	return "wins"
}

// forkWidths are the fork panel's column widths: name, metric, A, B,
// B − A; the verdict takes the rest.
type forkWidths struct{ name, metric, num, diff int }

// forkWidthsFor fits the columns to w: at 80 columns the verdict "not
// distinguishable yet" still fits whole.
func forkWidthsFor(w int) forkWidths {
	if w < 100 {
		return forkWidths{15, 10, 7, 15}
	}
	return forkWidths{16, 18, 10, 20}
}

// metricLabel names a metric (a member's: "spend",
// "eventual.incremental_value") in the panel's metric column: the
// incremental value is "incr eventual" (where narrow "incr+pend": the
// matured value and the conversions pending) beside "incr matured"
// ("incr value").
func metricLabel(m string, fw forkWidths) string {
	narrow := fw.metric < 12
	switch {
	case m == "eventual.incremental_value" && narrow:
		return "incr+pend"
	case m == "eventual.incremental_value":
		return "incr eventual"
	case m == "incremental_value" && narrow:
		return "incr value"
	case m == "incremental_value":
		return "incr matured"
	}
	return m
}

// memberPart is the metric of a member's flat name: "spend" of
// "groups.acme.spend", "eventual.incremental_value" of
// "groups.acme.eventual.incremental_value" (names hold no dot).
func memberPart(name string) string {
	_, rest, _ := strings.Cut(name, ".")
	_, m, _ := strings.Cut(rest, ".")
	return m
}

// renderFork draws the A/B panel in w×h: for each group, then each
// bidder, what A and B added since the fork and B − A with its 95%
// interval from the paired per-interval differences, and the verdict
// ("not distinguishable yet" while the interval spans 0, "not
// distinguishable" once the run has ended). The groups stay
// at the top and the selected bidder in view; each group also shows its
// spend and its matured incremental value when there is room.
func renderFork(c *Context, w, h int) string {
	ff, st, snap := c.Frame.Fork, c.Theme, c.Snap()
	fw := forkWidthsFor(w)
	diffs := map[string]sim.Difference{}
	for _, d := range ff.Differences {
		diffs[d.Name] = d
	}
	n := forkIntervals(ff)
	stop, learner := forkStopAt(c.Frame), forkLearner(ff.A, snap)
	level, short := forkLevel(ff, n, stop, learner)
	// No interval will come (the title says why): a row without one
	// must not promise one ("not distinguishable yet").
	never := forkNoInterval(ff, n, stop, learner)
	sub := func(level string) string {
		return fmt.Sprintf(" since %s · B − A over %d intervals of %v, %s · changes go to B", format.ShortClock(ff.At), n, ff.Every, level)
	}
	title := st.Title.Render("A/B fork") + st.Dim.Render(fitting("A/B fork", w, sub(level), sub(short)))
	head := format.Fit("", fw.name) + " " + format.Fit("", fw.metric) + format.PadLeft("A", fw.num) +
		format.PadLeft("B", fw.num) + format.PadLeft("B − A ± 95%", fw.diff)
	lines := []string{format.Fit(title, w), st.Label.Render(format.Fit(head, w))}
	line := func(name, metric string) string {
		m := memberPart(metric)
		return name + " " + format.Fit(metricLabel(m, fw), fw.metric) + forkCell(c, diffs[metric], m, fw, w-fw.verdictAt(), never)
	}
	// Each group's eventual incremental value; where there is room, its
	// spend, then the matured value beside the eventual one (what of B −
	// A is still pending).
	extras := []string{"spend", "incremental_value"}
	k, room := 0, h-len(lines)-len(snap.Groups)-len(snap.Bidders)
	for k < len(extras) && room >= (k+1)*len(snap.Groups) {
		k++
	}
	extras = extras[:k]
	// Cut as the bidders table cuts them, so that names alike for longer
	// than the column still read apart.
	names := tableNames(snap)
	for _, g := range snap.Groups {
		if len(lines) < h {
			lines = append(lines, line(format.Fit("Σ "+shortName(g.Name, names, fw.name-2), fw.name), "groups."+g.Name+"."+forkRowMetric(true)))
		}
		for _, m := range extras {
			lines = append(lines, line(format.Fit("", fw.name), "groups."+g.Name+"."+m))
		}
	}
	// The bidders, scrolled so that the selected one is in view.
	room = h - len(lines)
	start := min(max(c.Selected-room+1, 0), max(len(snap.Bidders)-room, 0))
	for i := start; i < len(snap.Bidders) && len(lines) < h; i++ {
		b := snap.Bidders[i]
		short := shortName(b.Name, names, fw.name-2)
		name := format.Fit("  "+short, fw.name)
		if i == c.Selected {
			name = st.Selected.Render(format.Fit("▸ "+short, fw.name))
		}
		lines = append(lines, line(name, "bidders."+b.Name+"."+forkRowMetric(b.HasOutcome)))
	}
	return format.Block(lines, w, h)
}

// forkLevel says what the ± is: "95%", and where the batches are held
// to the world's memory (sim.Engine.Memory), how long they are at least
// and, before two of them have passed, when the first interval comes:
// "95% from 4h00m (batches ≥ 2h)", or that it comes after the world's
// stop (0: none), as with a goal bidder whose calibration remembers days
// in a week's flight: "no 95% before the stop (batches ≥ 128h)". A
// learner (learner its name, "" for none) remembers everything since it
// began, so its memory grows as fast as the fork runs and two memories
// never pass: "no 95% while ada learns", rather than a time that moves
// on as the run reaches it. While a goal bidder's memory waits for its
// first conversions (runner.ForkFrame.Waits) the batches' length is a
// floor that may grow many times over, so no instant is promised: "95%
// waits for initech-cpa's first conversions (batches ≥ 26h so far)",
// unless the floor already ends after the stop. short says it where that
// does not fit: "95%", or when the first interval comes ("95% from
// 4h00m", "no 95% before the stop", "95% waits for conversions").
func forkLevel(ff *runner.ForkFrame, n int, stop sim.Time, learner string) (level, short string) {
	// forkNoInterval's cases first, in its order.
	if learner != "" {
		short = "no 95% while " + learner + " learns"
		if ff.Batch <= ff.Every {
			return short, short
		}
		return short + " (batches ≥ " + format.Window(ff.Batch) + ")", short
	}
	if ff.Batch <= ff.Every {
		return "95%", "95%"
	}
	batches := fmt.Sprintf("batches ≥ %s", format.Window(ff.Batch))
	if sim.Time(n)*ff.Every < 2*ff.Batch {
		switch {
		case forkNoInterval(ff, n, stop, learner):
			// Batch only grows while a goal waits: ruled out for good.
			short = "no 95% before the stop"
		case ff.Waits != "":
			// Batch is a floor that the goal's first conversions may
			// multiply: an instant told now would be withdrawn.
			short = "95% waits for conversions"
			return "95% waits for " + ff.Waits + "'s first conversions (" + batches + " so far)", short
		default:
			short = fmt.Sprintf("95%% from %s", format.ShortClock(ff.At+2*ff.Batch))
		}
		return short + " (" + batches + ")", short
	}
	return "95%, " + batches, "95%"
}

// forkNoInterval reports whether no 95% interval of the fork will come
// (forkLevel's "no 95% while ada learns", "no 95% before the stop"): a
// learner's memory grows with the run, and batches as long as the
// world's memory that have not passed twice before the stop never will.
func forkNoInterval(ff *runner.ForkFrame, n int, stop sim.Time, learner string) bool {
	if learner != "" {
		return true
	}
	return ff.Batch > ff.Every && sim.Time(n)*ff.Every < 2*ff.Batch && stop > 0 && ff.At+2*ff.Batch > stop
}

// forkIntervals is the intervals the fork's differences are over: the
// most any of them has.
func forkIntervals(ff *runner.ForkFrame) int {
	n := 0
	for _, d := range ff.Differences {
		n = max(n, d.N)
	}
	return n
}

// forkStopAt is the virtual instant the world stops at, 0 for none: its
// duration, or for a stop after a number of auctions (first-vs-second's
// million) the instant the auctions still to come reach it at the
// traffic's rate, whichever comes first.
func forkStopAt(f runner.Frame) sim.Time {
	stop := f.Stop.Duration
	snap := f.Snap
	if f.Stop.Auctions == 0 || snap == nil {
		return stop
	}
	// QPS, not the daily shape's rate of the moment: the stop is the
	// mean rate's business over the hours to come.
	rate := snap.Settings.QPS
	if rate <= 0 {
		return stop
	}
	left := 0.0
	if f.Stop.Auctions > snap.Exchange.Auctions {
		left = float64(f.Stop.Auctions - snap.Exchange.Auctions)
	}
	at := snap.Now + sim.Time(math.Round(left/rate*float64(sim.Second)))
	if stop > 0 {
		return min(stop, at)
	}
	return at
}

// forkLearner is the first bidder that learns (strategy learn) in A or
// B, whose memory (sim.Engine.Memory) grows with the run; "" for none.
func forkLearner(a, b *sim.Snapshot) string {
	for _, s := range []*sim.Snapshot{b, a} {
		if s == nil {
			continue
		}
		for _, bd := range s.Bidders {
			if bd.Learn != nil {
				return bd.Name
			}
		}
	}
	return ""
}

// forkEnded says the run has ended as the header shows it ("■ ended"):
// no interval of the fork is still to come.
func forkEnded(c *Context) bool { return c.Frame.Ended && c.Shown.paused }

// verdictAt is the column the verdict starts at.
func (fw forkWidths) verdictAt() int { return fw.name + 1 + fw.metric + 2*fw.num + fw.diff + 2 }

// fitVerdict says d's verdict, as the export does (report.ForkVerdict),
// in at most room cells, in words still whole: "not distinguishable yet"
// becomes "not distinguishable", then "can't tell yet", "can't tell"; an
// ended run has no "yet" to give ("not distinguishable", then "can't
// tell"); "identical so far" becomes "identical". Where no interval will
// come (never: a learner, or batches longer than the run has left) and d
// has none, it is "no interval", not a "yet" that would never be kept.
func fitVerdict(d sim.Difference, ended, never bool, room int) string {
	v, undecided := forkVerdict(d, ended, never), !d.Distinguishable()
	if len([]rune(v)) <= room {
		return v
	}
	if d.Identical && len("identical") <= room {
		return "identical"
	}
	if undecided && !d.Identical {
		for _, short := range []string{"not distinguishable", "can't tell yet", "can't tell"} {
			if ended && strings.HasSuffix(short, " yet") {
				continue
			}
			if len(short) <= room {
				return short
			}
		}
	}
	return format.Fit(v, room)
}

// forkUnits are the units a fork's B − A is written in, each tried in
// turn until the figure fits: ones, thousands, millions, billions.
var forkUnits = []struct {
	div    float64
	suffix string
}{{1, ""}, {1e3, "k"}, {1e6, "M"}, {1e9, "G"}}

// forkDiff is B − A ± its 95% half-width with its sign, both to the same
// decimals as compare prints them (report.FormatMeanHalf), their
// thousands separated as the dashboard's counts and money are when that
// fits, in thousands, millions or billions when it would not fit in
// width−1 cells (a space keeps it off B's column).
func forkDiff(mean, half float64, width int) string {
	if math.IsNaN(mean) {
		return format.Dash
	}
	var s string
	for _, u := range forkUnits {
		if u.suffix == "" {
			s = report.FormatMeanHalf(mean, half)
			if mean > 0 {
				s = "+" + s
			}
		} else {
			// In a larger unit, compare's decimals (from the half-width)
			// would only grow: as few as fit, down to none.
			s = scaledDiff(mean/u.div, half/u.div, u.suffix, width)
		}
		// Separated where that fits; where only the separators do not,
		// as compare prints it rather than in a larger unit.
		if sep := separated(s); utf8.RuneCountInString(sep) < width {
			return sep
		}
		if utf8.RuneCountInString(s) < width {
			break
		}
	}
	return s
}

// scaledDiff is mean ± half, both already in a unit of suffix ("k"), with
// its sign, to the decimals compare would print (from the half-width) or
// fewer, down to none, as many as fit in width−1 cells.
func scaledDiff(mean, half float64, suffix string, width int) string {
	dec := 0
	if half > 0 && !math.IsInf(half, 0) {
		dec = report.HalfDecimals(half)
	}
	var s string
	for ; dec >= 0; dec-- {
		s = strconv.FormatFloat(mean, 'f', dec, 64) + suffix
		if !math.IsNaN(half) {
			// No interval (or a zero-wide one): the difference alone.
			s += " ± " + strconv.FormatFloat(half, 'f', dec, 64) + suffix
		}
		if mean > 0 {
			s = "+" + s
		}
		if utf8.RuneCountInString(s) < width {
			break
		}
	}
	return s
}

// separated writes each number of s with its thousands separated, as
// format.Count does: "38590 ± 562" becomes "38,590 ± 562". Only a
// number's integer digits are grouped, not its decimals nor an exponent.
func separated(s string) string {
	fields := strings.Split(s, " ")
	for i, f := range fields {
		sign := strings.TrimLeft(f, "+-")
		n := 0
		for n < len(sign) && sign[n] >= '0' && sign[n] <= '9' {
			n++
		}
		if n <= 3 {
			continue
		}
		whole, err := strconv.ParseUint(sign[:n], 10, 64)
		if err != nil {
			continue
		}
		fields[i] = f[:len(f)-len(sign)] + format.Count(whole) + sign[n:]
	}
	return strings.Join(fields, " ")
}

// forkCell is one metric's (short: a member's metric, memberPart: "wins",
// "eventual.incremental_value") A, B and B − A ± half-width, with its
// verdict fitted to room cells.
func forkCell(c *Context, d sim.Difference, short string, fw forkWidths, room int, never bool) string {
	st := c.Theme
	if d.Name == "" {
		return ""
	}
	tot := d.Total()
	half := (tot.Hi - tot.Lo) / 2
	if d.SD == 0 {
		// A zero-wide interval: batches all alike (every difference 0, when
		// Identical) say nothing of the noise, and "± 0" would claim it
		// measured none. The difference alone, and the verdict says why.
		half = math.NaN()
	}
	diff := forkDiff(tot.Mean, half, fw.diff)
	if short == "wins" && math.IsNaN(half) {
		// A count with no interval to set decimals by: whole.
		diff = forkCount(tot.Mean, fw.diff)
	}
	verdict := fitVerdict(d, forkEnded(c), never, room)
	// A space keeps each figure off the column before it.
	a, b := forkFigures(short, d.A, d.B, fw.num-1, diff)
	s := format.PadLeft(a, fw.num) + format.PadLeft(b, fw.num) + format.PadLeft(diff, fw.diff) + "  "
	switch {
	case d.Distinguishable() && d.Lo > 0:
		return s + st.Running.Render(verdict)
	case d.Distinguishable() && d.Hi < 0:
		return s + st.Warn.Render(verdict)
	}
	return s + st.Dim.Render(verdict)
}

// forkVerdict is d's verdict as the panel and the export say it,
// unshortened: report.ForkVerdict's, but "no interval" where none will
// come (never) and d has none.
func forkVerdict(d sim.Difference, ended, never bool) string {
	if never && !d.Distinguishable() && !d.Identical && !hasInterval(d) {
		return "no interval"
	}
	return report.ForkVerdict(d, ended)
}

// hasInterval reports whether d has a 95% interval: two batches or more.
func hasInterval(d sim.Difference) bool {
	return d.Batches >= 2 && !math.IsNaN(d.Lo) && !math.IsNaN(d.Hi)
}

// forkCount is a count's B − A without an interval, whole, with its sign
// and its thousands separated ("+967", "-1,454"), in width−1 cells, in
// thousands, millions or billions where it would not fit ("+1,234,568k").
func forkCount(mean float64, width int) string {
	if math.IsNaN(mean) {
		return format.Dash
	}
	var s string
	for _, u := range forkUnits {
		r := math.Round(mean / u.div)
		if r == 0 {
			r = 0 // not "-0"
		}
		s = strconv.FormatFloat(r, 'f', 0, 64)
		if r > 0 {
			s = "+" + s
		}
		s = separated(s) + u.suffix
		if utf8.RuneCountInString(s) < width {
			break
		}
	}
	return s
}

// forkFigures are what A and B added of a metric (short: a member's,
// memberPart) in w cells each: an amount of money to the decimals and in the
// unit of B − A as diff writes it ("1,632  1,730  +98 ± 80"), so that
// the difference can be checked from them, with fewer decimals, down to
// none, where both do not fit (both alike); as forkFigure writes it
// where even that does not fit or diff has no precision to share (a
// dash, an exponent). A count is forkFigure's, whole.
func forkFigures(short string, a, b float64, w int, diff string) (string, string) {
	dec, div, suffix, ok := diffPrecision(diff)
	if short == "wins" || !ok || math.IsNaN(a) || math.IsNaN(b) {
		return forkFigure(short, a, w), forkFigure(short, b, w)
	}
	figure := func(x float64, dec int) string {
		s := strconv.FormatFloat(x/div, 'f', dec, 64)
		if strings.Trim(s, "-0.") == "" {
			s = strings.TrimPrefix(s, "-") // not "-0" for a tiny negative amount
		}
		return separated(s) + suffix
	}
	for ; dec >= 0; dec-- {
		sa, sb := figure(a, dec), figure(b, dec)
		if utf8.RuneCountInString(sa) <= w && utf8.RuneCountInString(sb) <= w {
			return sa, sb
		}
	}
	return forkFigure(short, a, w), forkFigure(short, b, w)
}

// diffPrecision is the decimals and the unit (its divisor and suffix)
// of a B − A as forkDiff or forkCount wrote it: "+98 ± 80" has 0 and
// none, "+0.1 ± 1.4" 1, "-1.2k ± 0.3k" 1 in thousands; ok false for a
// dash or a figure in exponent form.
func diffPrecision(diff string) (dec int, div float64, suffix string, ok bool) {
	mean, _, _ := strings.Cut(diff, " ")
	mean = strings.TrimLeft(mean, "+-")
	div = 1
	for _, u := range forkUnits[1:] {
		if m, found := strings.CutSuffix(mean, u.suffix); found {
			mean, div, suffix = m, u.div, u.suffix
			break
		}
	}
	whole, frac, _ := strings.Cut(strings.ReplaceAll(mean, ",", ""), ".")
	if whole == "" || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, 0, "", false
	}
	return len(frac), div, suffix, true
}

// forkFigure is what A or B added of a metric (short: a member's,
// memberPart) in w cells, as the rest of the dashboard writes it: a count (wins) as the
// bidders table does (countCell: "3,966", or "117.3k" when too wide), an
// amount of money (spend, incremental value) as the groups and budgets do
// (format.CompactMoney: "21.85", "11.7k"). One format a metric, whatever
// its size, so that A and B read alike side by side.
func forkFigure(short string, x float64, w int) string {
	switch {
	case math.IsNaN(x):
		return format.Dash
	case short == "wins":
		// A count added since the fork: never negative.
		return countCell(uint64(math.Round(max(x, 0))), w)
	}
	return format.CompactMoney(x)
}

// exportFork writes both sides of a forked run and their differences to a
// file of its own, auctionsim-NAME-SEED-fork-N.json.
func exportFork(c *Context) tea.Cmd {
	f := c.Frame
	ff := f.Fork
	meta := report.Meta{Scenario: f.World, Partial: !f.Reached(), WallSeconds: f.WallRun.Seconds()}
	// The verdicts as the panel shows them: no "yet" once the run has
	// ended, "no interval" where none will come.
	out := report.NewFork(ff.A, f.Snap, ff.At, ff.Every, ff.Differences, forkEnded(c), meta)
	never := forkNoInterval(ff, forkIntervals(ff), forkStopAt(f), forkLearner(ff.A, f.Snap))
	for _, d := range ff.Differences {
		if m, ok := out.Metrics[d.Name]; ok {
			m.Verdict = forkVerdict(d, forkEnded(c), never)
			out.Metrics[d.Name] = m
		}
	}
	out.BatchSeconds = ff.Batch.Seconds()
	dir := c.exportDir
	base := fmt.Sprintf("auctionsim-%s-%d-fork", safeName(f.World), f.Snap.Seed)
	c.Info("exporting A, B and B − A…")
	return func() tea.Msg {
		path, err := reserve(dir, base)
		if err == nil {
			err = report.WriteFileAtomic(path, func(w io.Writer) error { return report.WriteFork(w, out) })
		}
		return exportedMsg{path: path, err: err}
	}
}
