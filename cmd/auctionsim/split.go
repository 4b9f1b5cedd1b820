package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
	"github.com/auctionsim/auctionsim/tui/format"
)

const splitAbout = `Searches the division of an advertiser group's total budget among its
members that maximises an objective of the group: incremental_value (what
the ads caused, the default), attributed_value (what last-touch attribution
credits them), conversions or incremental_conversions.

The search starts from the scenario's split and moves --step of budget at a
time from one member to another (every ordered pair is tried), the total
kept exactly. Each round runs the current split and every move over --reps
paired replications (common random numbers: replication i of every split
runs with the same seed) and keeps the move that helps most, only when its
95% interval says it helps (the interval of the paired differences lies
above 0); it stops when no move does.

It prints the current and the recommended split with the objective and the
difference recommended − current with its 95% interval (from fresh
replications, so the search's own choices do not bias it), and each
member's response curve: the group's objective against that member's
budget (0, 1/6, ... 6/6 of the total), the others at the recommended split,
with the marginal return (the objective added per unit of budget from the
point before). At the best
split the members' marginal returns are about equal.`

// splitObjectives are the group metrics split can maximise.
var splitObjectives = []string{"incremental_value", "attributed_value", "conversions", "incremental_conversions"}

// curveSteps divides the group's total into a response curve's budgets:
// k/6 of the total, k = 0..6 (seven points).
const curveSteps = 6

// maxRounds bounds the search; each kept move raises the objective on
// the search's replications, so it ends well before.
const maxRounds = 100

type splitOptions struct {
	sf        scenarioFlags
	exp       expFlags // --reps, --workers, --json, --plot, --auctions, --duration
	group     string
	objective string
	step      string
}

func newSplitCmd() *command {
	var o splitOptions
	c := newCommand("split", "-s NAME --group G [flags]", splitAbout)
	o.sf.define(c)
	c.fs.StringVar(&o.group, "group", "", "`G` the advertiser group whose budget is divided (required)")
	c.fs.StringVar(&o.objective, "objective", "incremental_value", "`M` what to maximise: "+strings.Join(splitObjectives, ", "))
	c.fs.StringVar(&o.step, "step", "5%", "`S` the budget one move shifts: a share of the group's total (5%) or an amount (30)")
	c.fs.IntVar(&o.exp.reps, "reps", 10, "`N` paired replications per split, at least 2")
	c.fs.IntVar(&o.exp.workers, "workers", 0, "`W` replications run at once (default: the number of CPUs); results do not depend on it")
	c.fs.BoolVar(&o.exp.json, "json", false, "print JSON instead of the table")
	c.fs.StringVar(&o.exp.plot, "plot", "", "`FILE` the response curves for slides: .png or .svg")
	c.fs.Uint64Var(&o.exp.auctions, "auctions", 0, "`N` stop each run after N auctions")
	c.fs.DurationVar(&o.exp.duration, "duration", 0, "`D` stop each run after D of virtual time")
	c.examples = []string{
		"auctionsim split -s budget-split --group acme",
		"auctionsim split -s budget-split --group acme --objective attributed_value --step 10% --reps 20 --json",
		"auctionsim split -s budget-split --group acme --plot curves.png",
	}
	c.exits = "Exit codes: 0 ok, 1 a run failed (or the plot could not be written), 2 bad usage or a bad scenario, 130 interrupted."
	c.run = func(st streams) int {
		if len(c.fs.Args()) > 0 {
			return usageError(st, "split", "unexpected argument %q", c.fs.Args()[0])
		}
		return splitMain(&o, c.given(), st)
	}
	return c
}

// splitter holds what every evaluation of a split needs.
type splitter struct {
	sc        *scenarios.Scenario // the scenario with --set applied
	group     string
	members   []string // the group's budgeted members, in order
	index     []int    // their positions in the config's bidders
	metric    string   // groups.G.OBJECTIVE
	reps      int
	workers   int
	seed      uint64
	progress  func(done, total int)
	completed int  // replications run so far, for the progress line
	noCurves  bool // tests: the search and its verdict only
	// rounds decided so far and the split they reached, for an
	// interrupted search.
	rounds  int
	reached []cents
}

// cents is an amount of budget in whole cents, so that moves keep the
// total exactly.
type cents = int64

func toCents(x float64) cents { return cents(math.Round(x * 100)) }
func ofCents(c cents) float64 { return float64(c) / 100 }

// sum is a split's total.
func sum(split []cents) cents {
	var t cents
	for _, b := range split {
		t += b
	}
	return t
}

func splitMain(o *splitOptions, given map[string]bool, st streams) int {
	x := &o.exp
	switch {
	case o.group == "":
		return usageError(st, "split", "--group G is required: the advertiser group whose budget is divided")
	case !slices.Contains(splitObjectives, o.objective):
		return usageError(st, "split", "--objective %s: want one of %s", o.objective, strings.Join(splitObjectives, ", "))
	}
	if err := x.checkRuns(given); err != nil {
		return usageError(st, "split", "%v", err)
	}
	if x.plot != "" {
		if err := checkPlot(x.plot, x.out); err != nil {
			return usageError(st, "split", "%v", err)
		}
	}
	_, sc, ok := resolvePoint(o.sf.name, x.baseSets(&o.sf), st)
	if !ok {
		return exitUsage
	}
	s, err := newSplitter(sc, o.group, o.objective)
	if err != nil {
		return usageError(st, "split", "%v", err)
	}
	s.reps, s.workers = x.reps, x.workers
	start := s.current()
	step, err := parseStep(o.step, sum(start))
	if err != nil {
		return usageError(st, "split", "%v", err)
	}
	ctx, stop := interruptible()
	defer stop()
	bar := expProgressFor(st)
	s.progress = bar.update
	res, err := s.run(ctx, start, step)
	bar.clear()
	if err != nil {
		if ctx.Err() != nil {
			// Keep what was done: the split the search had reached.
			msg := "interrupted before the first move was decided; no recommendation"
			if s.rounds > 0 {
				var parts []string
				for k, m := range s.members {
					parts = append(parts, fmt.Sprintf("%s %s", m, format.Money(ofCents(s.reached[k]))))
				}
				msg = fmt.Sprintf("interrupted after %d round(s); the split reached so far, not checked on fresh replications: %s",
					s.rounds, strings.Join(parts, ", "))
			}
			fmt.Fprintln(st.err, "auctionsim split: "+msg)
			return exitInterrupted
		}
		fmt.Fprintf(st.err, "auctionsim split: %v\n", err)
		return exitFailed
	}
	// split has no --out: x.out stays empty.
	return emitExp("split", false, x, st, res, nil,
		func(path string) error { return plotSplit(path, res) },
		func() string { return splitTable(res, s.reps, ofCents(step)) })
}

// parseStep reads --step: "5%" of total, or an amount.
func parseStep(text string, total cents) (cents, error) {
	t := strings.TrimSpace(text)
	pct := strings.HasSuffix(t, "%")
	x, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
	if err != nil || !(x > 0) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("--step %s: want a share of the group's total such as 5%%, or an amount > 0", text)
	}
	step := toCents(x)
	if pct {
		if x >= 100 {
			return 0, fmt.Errorf("--step %s: want a share below 100%%", text)
		}
		step = cents(math.Round(float64(total) * x / 100))
	}
	if step < 1 || step >= total {
		return 0, fmt.Errorf("--step %s is %.2f: want at least 0.01 and less than the group's total %.2f", text, ofCents(step), ofCents(total))
	}
	return step, nil
}

// newSplitter finds the group's budgeted members in sc.
func newSplitter(sc *scenarios.Scenario, group, objective string) (*splitter, error) {
	s := &splitter{sc: sc, group: group, metric: "groups." + group + "." + objective, seed: sc.Config.Seed}
	var groups []string
	for i, b := range sc.Config.Bidders {
		if b.Group != "" && !slices.Contains(groups, b.Group) {
			groups = append(groups, b.Group)
		}
		if b.Group == group && b.Budget != nil {
			s.members = append(s.members, b.Name)
			s.index = append(s.index, i)
		}
	}
	switch {
	case len(groups) == 0:
		return nil, fmt.Errorf("--group %s: scenario %s has no groups (give bidders a group: in the scenario)", group, sc.Name)
	case !slices.Contains(groups, group):
		return nil, fmt.Errorf("--group %s: no such group in %s; its groups are %s", group, sc.Name, strings.Join(groups, ", "))
	case len(s.members) < 2:
		return nil, fmt.Errorf("--group %s: %d member(s) with a budget; a split needs at least 2", group, len(s.members))
	}
	return s, nil
}

// current is the scenario's own split.
func (s *splitter) current() []cents {
	out := make([]cents, len(s.index))
	for k, i := range s.index {
		out[k] = toCents(s.sc.Config.Bidders[i].Budget.Total)
	}
	return out
}

// with is the scenario with the members' budgets set to split.
func (s *splitter) with(split []cents) *scenarios.Scenario {
	sc := *s.sc
	sc.Config.Bidders = slices.Clone(s.sc.Config.Bidders)
	for k, i := range s.index {
		b := *sc.Config.Bidders[i].Budget
		b.Total = ofCents(split[k])
		sc.Config.Bidders[i].Budget = &b
	}
	return &sc
}

// eval runs every split over the replications seeded from seed, paired
// against the first.
func (s *splitter) eval(ctx context.Context, seed uint64, splits [][]cents, paired bool) (*experiment.Agg, error) {
	scs := make([]*scenarios.Scenario, len(splits))
	for i, sp := range splits {
		scs[i] = s.with(sp)
	}
	done := s.completed
	e := &experiment.Experiment{
		Points:  len(splits),
		Seed:    seed,
		Workers: s.workers,
		Paired:  paired,
		Run: func(ctx context.Context, point int, seed uint64) (experiment.Values, error) {
			return replicate(ctx, scs[point], seed)
		},
		Progress: func(d, total int) {
			if s.progress != nil {
				s.progress(done+d, done+total)
			}
		},
	}
	agg, err := e.Replicate(ctx, s.reps)
	s.completed += len(splits) * s.reps
	return agg, err
}

// splitJSON is split's output.
type splitJSON struct {
	Group       string       `json:"group"`
	Total       float64      `json:"total"`
	Objective   string       `json:"objective"`
	Current     splitSide    `json:"current"`
	Recommended splitSide    `json:"recommended"`
	Diff        stats.Stat   `json:"diff"`
	Curves      []splitCurve `json:"curves"`

	members []string // in the scenario's order, for the table
}

type splitSide struct {
	Budgets   map[string]float64 `json:"budgets"`
	Objective stats.Stat         `json:"objective"`
}

type splitCurve struct {
	Member string       `json:"member"`
	Points []curvePoint `json:"points"`
}

type curvePoint struct {
	Budget    float64    `json:"budget"`
	Objective stats.Stat `json:"objective"`
	// Marginal is the objective added per unit of budget since the
	// point before; null for the first point (budget 0).
	Marginal *float64 `json:"marginal"`
}

// run searches from start in moves of step, then measures the
// recommendation against start on fresh replications and draws each
// member's response curve there.
func (s *splitter) run(ctx context.Context, start []cents, step cents) (*splitJSON, error) {
	cur := slices.Clone(start)
	s.reached = cur
	for range maxRounds {
		cands := moves(cur, step)
		agg, err := s.eval(ctx, s.seed, append([][]cents{cur}, cands...), true)
		if err != nil {
			return nil, err
		}
		s.rounds++
		best, bestMean := -1, 0.0
		for k := range cands {
			p := agg.Pair(k+1, s.metric)
			if p == nil {
				return nil, fmt.Errorf("no metric %s in the runs' summaries", s.metric)
			}
			if d := p.Diff.Stat(); d.Lo > 0 && d.Mean > bestMean {
				best, bestMean = k, d.Mean
			}
		}
		if best < 0 {
			break
		}
		cur = cands[best]
		s.reached = cur
	}
	// Fresh seeds for the verdict and the curves: the search chose its
	// moves on its own replications, which would flatter them.
	fresh := experiment.Seed(s.seed, 1<<30)
	agg, err := s.eval(ctx, fresh, [][]cents{start, cur}, true)
	if err != nil {
		return nil, err
	}
	out := &splitJSON{Group: s.group, Total: ofCents(sum(start)), Objective: strings.TrimPrefix(s.metric, "groups."+s.group+"."), members: s.members}
	side := func(split []cents, point int) splitSide {
		sd := splitSide{Budgets: map[string]float64{}}
		for k, m := range s.members {
			sd.Budgets[m] = ofCents(split[k])
		}
		sd.Objective, _ = agg.Stat(point, s.metric)
		return sd
	}
	out.Current, out.Recommended = side(start, 0), side(cur, 1)
	if p := agg.Pair(1, s.metric); p != nil {
		out.Diff = p.Diff.Stat()
	}
	if s.noCurves {
		return out, nil
	}
	out.Curves, err = s.curves(ctx, fresh, cur)
	return out, err
}

// moves are the splits one step away from cur: step moved from member i
// to member j, for every i with the budget to give.
func moves(cur []cents, step cents) [][]cents {
	var out [][]cents
	for i := range cur {
		if cur[i] < step {
			continue
		}
		for j := range cur {
			if i == j {
				continue
			}
			c := slices.Clone(cur)
			c[i] -= step
			c[j] += step
			out = append(out, c)
		}
	}
	return out
}

// curves runs each member's response curve: the group's objective with
// that member's budget at k/curveSteps of the total (0 included), the
// others at rec.
func (s *splitter) curves(ctx context.Context, seed uint64, rec []cents) ([]splitCurve, error) {
	total := sum(rec)
	var splits [][]cents
	var budgets []cents
	for k := range s.members {
		for p := 0; p <= curveSteps; p++ {
			sp := slices.Clone(rec)
			sp[k] = total * cents(p) / curveSteps
			splits = append(splits, sp)
			budgets = append(budgets, sp[k])
		}
	}
	agg, err := s.eval(ctx, seed, splits, false)
	if err != nil {
		return nil, err
	}
	out := make([]splitCurve, len(s.members))
	for k, m := range s.members {
		out[k].Member = m
		prevB, prevY := 0.0, 0.0
		for p := 0; p <= curveSteps; p++ {
			i := k*(curveSteps+1) + p
			st, _ := agg.Stat(i, s.metric)
			b := ofCents(budgets[i])
			pt := curvePoint{Budget: b, Objective: st}
			// The first point, the member without budget, has none before
			// it.
			if p > 0 {
				pt.Marginal = numPtr((st.Mean - prevY) / (b - prevB))
			}
			prevB, prevY = b, st.Mean
			out[k].Points = append(out[k].Points, pt)
		}
	}
	return out, nil
}

// splitTable is the output for people.
func splitTable(r *splitJSON, reps int, step float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "split: group %s, total %s, objective %s (groups.%s.%s)\n", r.Group, format.Money(r.Total), r.Objective, r.Group, r.Objective)
	fmt.Fprintf(&b, "moves of %s, %d paired replications per split\n\n", format.Money(step), reps)
	nameW := 12
	for _, m := range r.members {
		nameW = max(nameW, len(m))
	}
	row := func(label, a, c string) { fmt.Fprintf(&b, "  %-*s %18s %18s\n", nameW, label, a, c) }
	row("", "current", "recommended")
	for _, m := range r.members {
		row(m, format.Money(r.Current.Budgets[m]), format.Money(r.Recommended.Budgets[m]))
	}
	row(r.Objective, pm(r.Current.Objective), pm(r.Recommended.Objective))
	verdict := "not distinguishable from the current split"
	switch {
	case r.Diff.Lo > 0:
		verdict = "the recommended split is better"
	case r.Diff.Hi < 0:
		verdict = "the recommended split is worse (the search's moves did not hold on fresh replications)"
	}
	fmt.Fprintf(&b, "\n  recommended − current: %s (95%%, paired): %s\n", signedPM(r.Diff), verdict)
	fmt.Fprintf(&b, "\nResponse curves: the group's %s against each member's budget, the others at the recommended split;\nmarginal = %s added per unit of budget since the point before\n", r.Objective, r.Objective)
	for _, c := range r.Curves {
		fmt.Fprintf(&b, "\n  %s\n", c.Member)
		fmt.Fprintf(&b, "  %12s %22s %10s\n", "budget", r.Objective, "marginal")
		for _, p := range c.Points {
			m := format.Dash
			if p.Marginal != nil {
				m = strconv.FormatFloat(*p.Marginal, 'f', 3, 64)
			}
			fmt.Fprintf(&b, "  %12s %22s %10s\n", format.Money(p.Budget), pm(p.Objective), m)
		}
	}
	return b.String()
}

// pm is a statistic as mean ± half-width.
func pm(s stats.Stat) string {
	if !ok(s.Mean) {
		return format.Dash
	}
	if !ok(s.Lo) {
		return fmt.Sprintf("%.2f", s.Mean)
	}
	return fmt.Sprintf("%.2f ± %.2f", s.Mean, s.HalfWidth())
}

func signedPM(s stats.Stat) string {
	t := pm(s)
	if s.Mean > 0 {
		t = "+" + t
	}
	return t
}

// plotSplit draws each member's response curve with its 95% error bars,
// the recommended budget marked on each.
func plotSplit(path string, r *splitJSON) error {
	var curves []plot.Curve
	for _, c := range r.Curves {
		cv := plot.Curve{Name: c.Member, Mark: math.NaN()}
		for _, pt := range c.Points {
			cv.X, cv.Y = append(cv.X, pt.Budget), append(cv.Y, pt.Objective)
		}
		if b, okB := r.Recommended.Budgets[c.Member]; okB {
			cv.Mark = b
		}
		curves = append(curves, cv)
	}
	title := fmt.Sprintf("group %s: %s against each member's budget", r.Group, r.Objective)
	ch, err := plot.Curves(title, "member's budget (currency)", plot.Label(r.Objective)+", group", curves)
	return savePlot(ch, err, path)
}
