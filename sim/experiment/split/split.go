// Package split searches the division of an advertiser group's budget
// among its members that maximises an objective of the group, over paired
// replications (sim/experiment), and measures each member's response
// curve at the split it recommends. The budget divided is the members'
// totals, or in a flight whose members have daily budgets, their daily
// budgets (the group's daily sum kept).
package split

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// Objectives are the group metrics a split can maximise. Every one but
// Measured is read on the group's eventual figures (ObjectiveMetric).
var Objectives = []string{"incremental_value", "attributed_value", "conversions", "incremental_conversions", Measured, "incremental_profit", "attributed_profit"}

// Measured is the objective a holdout test would report: the group's
// incremental value as its members' holdouts measure it, noise and all.
// The catalogue has no group-level measured figure; it is derived here,
// per replication, from each member's own holdout: lift per impression
// (treated − control conversion rate, the holdout's measured mean; by
// person the lift per person × the treated people, per impression) ×
// order value × treated impressions, added up over the group's members.
// It needs a holdout test on every member of the group.
const Measured = "measured_incremental_value"

// ObjectiveMetric is the flat name of the figure a split of group
// maximises for objective: groups.GROUP.eventual.OBJECTIVE, the
// conversions its impressions lead to counted whether or not they have
// matured by the run's stop (sim.BidderStats.Eventual). A split that
// buys more of the conversions still pending at the stop (more spend
// where they come late) would read low on the matured figures alone,
// and the search would favour the split with fewer pending. Measured is
// what holdout tests report by the stop, and stays as they see it:
// groups.GROUP.measured_incremental_value.
func ObjectiveMetric(group, objective string) string {
	if objective == Measured {
		return "groups." + group + "." + Measured
	}
	return "groups." + group + ".eventual." + objective
}

// objectiveOf is the objective whose figure metric is (ObjectiveMetric
// of the search's group).
func (s *Search) objectiveOf(metric string) string {
	o := strings.TrimPrefix(metric, "groups."+s.Group+".")
	return strings.TrimPrefix(o, "eventual.")
}

// maxRounds bounds the search; each kept move raises the objective on
// the search's replications, so it ends well before.
const maxRounds = 100

// Cents is an amount of budget in whole cents, so that moves keep the
// total exactly: the search's grid. A split becomes budgets (sim.Money)
// exactly, with MoneyOfCents, and budgets become cents with CentsOf.
type Cents = int64

// centUnit is one cent in sim.Money units.
const centUnit = sim.MoneyUnit / 100

// MoneyOfCents is c as sim.Money, exactly.
func MoneyOfCents(c Cents) sim.Money { return sim.Money(c) * centUnit }

// CentsOf rounds an amount of money ≥ 0 to the nearest cent, half a
// cent up, in integers (a budget is at most sim.MaxAmount, so the sum
// cannot overflow).
func CentsOf(m sim.Money) Cents { return Cents((m + centUnit/2) / centUnit) }

// ToCents rounds an amount to cents, saturating rather than wrapping
// past what cents hold (about 9.2 × 10¹⁶).
func ToCents(x float64) Cents {
	c := math.Round(x * 100)
	switch {
	case c >= math.MaxInt64:
		return math.MaxInt64
	case c <= math.MinInt64:
		return math.MinInt64
	}
	return Cents(c)
}

// Amount is c in currency units.
func Amount(c Cents) float64 { return float64(c) / 100 }

// Sum is a split's total.
func Sum(split []Cents) Cents {
	var t Cents
	for _, b := range split {
		t += b
	}
	return t
}

// Search holds what every evaluation of a split needs, the runs made so
// far (reused across rounds and steps), and how far an interrupted search
// got.
type Search struct {
	Base  experiment.Point // the world, overrides applied
	Group string
	// Budget is the members' budget the search divides: Total
	// (budget.total) or Daily (budget.daily, each member's total, if it
	// has one, kept as it is).
	Budget  string
	Members []string // the group's budgeted members, in configuration order
	index   []int    // their positions in the config's bidders
	metric  string   // groups.G.OBJECTIVE
	Reps    int      // paired replications at most per split and round
	Workers int
	Seed    uint64
	// Progress, if set, is told the runs done and the whole search's
	// estimated runs (done plus an estimate of what is left).
	Progress func(done, total int)
	// Work, if set, is told before each Progress the same runs weighed by
	// their cost, in whole runs: a halved or thinned run (the coarse
	// moves') costs about half a whole one, so the time left is
	// estimated from the work, not the runs, whose first are cheaper.
	Work func(done, total float64)
	// NoCurves: the search and its verdict only (tests).
	NoCurves bool
	// SetScale is the share of the scenario's horizon the runs keep
	// (--duration, --auctions), by which Base's totals were scaled; 0 or
	// 1: none. Sets gives totals in the scenario's own amounts, divided
	// by it: pasted as --set under the same --duration they are scaled
	// back to the split run, without it they are the whole run's.
	SetScale float64
	// Optima: also search the other objective (attributed against
	// incremental value) and set both optima beside the current split
	// (Result.Variants).
	Optima bool
	// Metrics are the metrics the result compares between the current
	// and the recommended split, besides the objective; nil: the group's
	// spend, attributed and incremental value, and ROAS both ways.
	Metrics []string
	// Rounds decided so far and the split they reached, for an
	// interrupted search; LargerRounds of the Rounds raced a move made
	// larger where a round's best was within noise (larger).
	Rounds       int
	LargerRounds int
	Reached      []Cents

	// runs holds every run made, by seed base and split, replication r
	// at index r: common random numbers across every candidate, and a
	// split met again (the current one each round, a move undone) is
	// not run again.
	runs      map[string][]experiment.Values
	measured  []measuredMember // with the Measured objective: the group's members
	completed int
	left      int // the estimate of the runs still to come, for Progress
	// The same weighed by cost, in whole runs, and the work done: for
	// Work.
	leftWork, doneWork float64
	// mode is how the runs being made are cut down (the coarse moves'
	// races), kept apart from the whole runs; modeRuns counts the runs
	// made in each.
	mode     runMode
	modeRuns [modes]int
}

// runMode is how a run of the search is cut down: whole, or, for a coarse
// move's race, halved (Halvable) or else thinned (Thinnable).
type runMode int

const (
	whole   runMode = iota
	halved          // half the horizon, every budget halved
	thinned         // traffic.scale doubled
	modes           // the number of kinds
)

// The budgets a search can divide (Search.Budget, Result.Budget).
const (
	Total = "total" // the members' budget.total
	Daily = "daily" // the members' budget.daily, their totals kept
)

// Budgets are the budgets a search can divide, for a flag's words.
var Budgets = []string{Total, Daily}

// New finds group's budgeted members in p and the budget to divide (see
// NewFor, with budget ""); objective is one of Objectives.
func New(p experiment.Point, group, objective string) (*Search, error) {
	return NewFor(p, group, objective, "")
}

// NewFor finds group's budgeted members in p; objective is one of
// Objectives, budget is Total, Daily or "" for the one the members have:
// their daily budgets when some member has a daily budget alone (no
// total cap) and every member a daily budget, else their totals. A
// member with a daily budget beside its total keeps its total when the
// daily budgets are divided (it may cap the member, as it would in the
// flight), and keeps its daily budget when the totals are. A group mixing
// members with a daily budget alone and members without one is refused:
// there is no one budget to divide. Reps, Workers and Progress are the
// caller's to set. Its errors begin "group G:".
func NewFor(p experiment.Point, group, objective, budget string) (*Search, error) {
	s := &Search{Base: p, Group: group, metric: ObjectiveMetric(group, objective), Seed: p.Config.Seed}
	var groups, alone, noDaily []string
	for i, b := range p.Config.Bidders {
		if b.Group != "" && !slices.Contains(groups, b.Group) {
			groups = append(groups, b.Group)
		}
		if b.Group == group && b.Budget != nil {
			s.Members = append(s.Members, b.Name)
			s.index = append(s.index, i)
			switch {
			case b.Budget.DailyAlone():
				// No total to split or move (Total 0 is no total cap),
				// and setting one would cap the bidder.
				alone = append(alone, b.Name)
			case b.Budget.Daily == 0:
				noDaily = append(noDaily, b.Name)
			}
		}
	}
	switch {
	case len(groups) == 0:
		return nil, fmt.Errorf("group %s: scenario %s has no groups (give bidders a group: in the scenario)", group, p.Name)
	case !slices.Contains(groups, group):
		return nil, fmt.Errorf("group %s: no such group in %s; its groups are %s", group, p.Name, strings.Join(groups, ", "))
	}
	switch budget {
	case "":
		budget = Total
		if len(alone) > 0 {
			budget = Daily
		}
		if len(alone) > 0 && len(noDaily) > 0 {
			return nil, fmt.Errorf("group %s mixes daily budgets alone (%s: budget.daily, no budget.total) with totals alone (%s: budget.total, no budget.daily), and a split divides one kind; give every member a budget.daily to split the daily budgets (each total kept), or every member a budget.total to split the totals, with --set bidders.NAME.budget.daily=AMOUNT or bidders.NAME.budget.total=AMOUNT",
				group, strings.Join(alone, ", "), strings.Join(noDaily, ", "))
		}
	case Total:
		if len(alone) > 0 {
			return nil, fmt.Errorf("group %s: --budget total, and %s %s a daily budget alone (no budget.total): no total to divide; split their daily budgets (--budget daily) or give each a total with --set bidders.NAME.budget.total=AMOUNT",
				group, strings.Join(alone, ", "), hasHave(len(alone)))
		}
	case Daily:
		if len(noDaily) > 0 {
			return nil, fmt.Errorf("group %s: --budget daily, and %s %s no daily budget to divide; split their totals (--budget total) or give each a daily budget with --set bidders.NAME.budget.daily=AMOUNT",
				group, strings.Join(noDaily, ", "), hasHave(len(noDaily)))
		}
	default:
		return nil, fmt.Errorf("group %s: budget %q: want %s", group, budget, strings.Join(Budgets, " or "))
	}
	s.Budget = budget
	if len(s.Members) < 2 {
		return nil, fmt.Errorf("group %s: %d member(s) with a budget; a split needs at least 2", group, len(s.Members))
	}
	if objective == Measured {
		for _, b := range p.Config.Bidders {
			if b.Group != group {
				continue
			}
			if b.Outcome == nil || !(b.Outcome.Holdout > 0) {
				return nil, fmt.Errorf("group %s: objective %s is what holdout tests measure, and member %s has none (give every member a holdout beside its outcome model: outcome: {ctr: …, cvr: …, holdout: 0.1})", group, Measured, b.Name)
			}
			s.measured = append(s.measured, measuredMember{b.Name, b.Outcome.OrderValue.Float()})
		}
	}
	return s, nil
}

// hasHave is "has" for one, "have" for more.
func hasHave(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

// measuredMember is a member of the group whose holdout the Measured
// objective reads.
type measuredMember struct {
	name       string
	orderValue float64
}

// addMeasured adds the Measured objective, s.metric, to v, a run's
// metrics: Σ lift per impression × order value × treated impressions
// over the group's members. A member that bought no impression adds 0
// (whatever its lift, on no impressions); one that bought some while its
// control arm has none makes the run's figure undefined: an error saying
// to run longer, rather than a number no holdout gave.
func (s *Search) addMeasured(v experiment.Values) error {
	total := 0.0
	for _, m := range s.measured {
		prefix := "bidders." + m.name + ".holdout."
		lift, wins := v[prefix+"lift_per_impression.mean"], v[prefix+"treated_wins"]
		if wins == 0 {
			continue
		}
		if math.IsNaN(lift) || math.IsNaN(wins) {
			return fmt.Errorf("group %s: member %s's holdout measured nothing in a run (an arm without impressions); run longer or raise its outcome.holdout", s.Group, m.name)
		}
		total += lift * m.orderValue * wins
	}
	v[s.metric] = total
	return nil
}

// ParseStep reads a move's size: "5%" of total (the group's total, or
// with budget Daily its daily sum, as its errors say), or an amount; its
// errors begin with text.
func ParseStep(text string, total Cents, budget string) (Cents, error) {
	of := "the group's total"
	if budget == Daily {
		of = "the group's daily sum"
	}
	t := strings.TrimSpace(text)
	pct := strings.HasSuffix(t, "%")
	x, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
	if err != nil || !(x > 0) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%s: want a share of %s such as 5%%, or an amount > 0", text, of)
	}
	if !pct && x*100 >= 1<<62 {
		// Said before converting: an amount past what cents hold
		// would wrap.
		return 0, fmt.Errorf("%s: want at least 0.01 and less than %s %.2f", text, of, Amount(total))
	}
	step := ToCents(x)
	if pct {
		if x >= 100 {
			return 0, fmt.Errorf("%s: want a share below 100%%", text)
		}
		step = Cents(math.Round(float64(total) * x / 100))
	}
	if step < 1 || step >= total {
		return 0, fmt.Errorf("%s is %.2f: want at least 0.01 and less than %s %.2f", text, Amount(step), of, Amount(total))
	}
	return step, nil
}

// Current is the scenario's own split.
func (s *Search) Current() []Cents {
	out := make([]Cents, len(s.index))
	for k, i := range s.index {
		out[k] = centsOf(s.Base.Config.Bidders[i].Budget, s.Budget)
	}
	return out
}

// centsOf is b's budget of kind (Total or Daily) in cents.
func centsOf(b *sim.Budget, kind string) Cents {
	if kind == Daily {
		return CentsOf(b.Daily)
	}
	return CentsOf(b.Total)
}

// Sets are the path assignments that give the members split, in their
// order, as --set and --change take them: bidders.NAME.budget.total=X,
// or with Daily bidders.NAME.budget.daily=X; a member given nothing gets
// bidders.NAME.budget={total: 0} where a 0 alone would lift its cap (a
// total of 0 beside a daily budget, or a daily budget of 0).
func (s *Search) Sets(split []Cents) []string {
	out := make([]string, len(s.Members))
	for k, m := range s.Members {
		b := s.Base.Config.Bidders[s.index[k]].Budget
		amount := split[k]
		if s.Budget == Total && s.scaled() {
			// A --set total is scaled with the horizon as the scenario's
			// was: the unscaled amount, else it is scaled twice.
			amount = Cents(math.Round(float64(amount) / s.SetScale))
		}
		out[k] = "bidders." + m + ".budget." + s.Budget + "=" + decimal(amount)
		if split[k] == 0 && (s.Budget == Daily || b.Daily > 0) {
			out[k] = "bidders." + m + ".budget={total: 0}"
		}
	}
	return out
}

// scaled reports whether the runs' totals were scaled (SetScale).
func (s *Search) scaled() bool { return s.SetScale > 0 && s.SetScale != 1 }

// SetsScale is the scale Sets divides the runs' totals by (SetScale),
// or 0 when its amounts are the runs' own: the JSON's "set_scale".
func (s *Search) SetsScale() float64 {
	if s.Budget == Total && s.scaled() {
		return s.SetScale
	}
	return 0
}

// with is the world with the members' budgets set to split, and without
// its tmax curve unless a metric read needs it (readsTmaxCurve).
func (s *Search) with(split []Cents) experiment.Point {
	p := s.Base
	if !s.readsTmaxCurve() {
		p.Config.Exchange.TmaxCurve = sim.TmaxGrid{}
	}
	p.Config.Bidders = slices.Clone(s.Base.Config.Bidders)
	if s.mode == halved {
		// Half the horizon (Halvable: an even one), every budget halved
		// with it, so that budgets bind as in the whole run.
		p.Stop.Duration /= 2
		p.Config.Horizon = p.Stop.Duration
		for i, b := range p.Config.Bidders {
			if b.Budget != nil {
				nb := *b.Budget
				nb.Total /= 2
				p.Config.Bidders[i].Budget = &nb
			}
		}
	}
	if s.mode == thinned {
		// Every simulated request stands for twice as many (the engine
		// divides budgets and people by the scale, and reports at full
		// scale): the same days, budgets and caps, at half the cost.
		p.Config.Traffic.Scale = max(p.Config.Traffic.Scale, 1) * thinFactor
	}
	for k, i := range s.index {
		b := *p.Config.Bidders[i].Budget
		if s.Budget == Daily {
			// Each member's total, if any, stays (halved with the run:
			// Halvable refuses daily budgets, so it is not).
			b.Daily = MoneyOfCents(split[k])
			if b.Daily == 0 {
				// A budget of 0: a daily budget of 0 is none, which
				// would leave the member its total, or no cap at all.
				b.Total, b.Delivery = 0, sim.DeliveryDefault
			}
		} else {
			b.Total = MoneyOfCents(split[k])
			if s.mode == halved {
				b.Total /= 2
			}
			if b.Total == 0 {
				// A budget of 0: beside a daily budget sim would read a
				// Total of 0 as no total cap at all.
				b.Daily, b.Delivery = 0, sim.DeliveryDefault
			}
		}
		p.Config.Bidders[i].Budget = &b
	}
	return p
}

// minHalfDelays is how many of its members' longest mean conversion delay
// a half-length run must last for Halvable: conversions still to come at
// the stop are lost, more of them the shorter the run. budget-split
// (delays of 30 s on average) picks about the same split at half its 10
// minutes (20/440/140 against 20/470/110), a very different one at a
// quarter (20/230/350).
const minHalfDelays = 10

// Halvable reports whether the coarse moves of a search of p may race on
// runs of half its horizon, every budget halved: what the horizon scaling
// of --duration does, where it keeps the problem. The run must stop at
// its horizon by time alone, the same world throughout (no script,
// replay, daily traffic shape, learning bidder or pacing interval of a
// fixed length), each conversion delay short beside the half run
// (minHalfDelays), and with people each frequency cap's window and
// conversion period short beside it too (experiment.PeopleUnkept): a
// person makes half the requests in half the run, so a cap over the run
// would bind on half as much of a halved budget, and a member its cap
// holds to a third of its budget would race as if it could spend two
// thirds. Only coarse moves: the finest, the verdict and the curves run
// whole, so the recommendation is the whole run's.
func Halvable(p experiment.Point) bool {
	c := p.Config
	half := p.Stop.Duration / 2
	if p.Stop.Auctions != 0 || p.Stop.Duration <= 0 || c.Horizon != p.Stop.Duration || p.Stop.Duration%2 != 0 ||
		len(c.Script) > 0 || len(c.Replay) > 0 || len(c.Traffic.Shape) > 0 || c.Pacing.Interval != 0 ||
		experiment.PeopleUnkept(c, half) != "" {
		return false
	}
	for _, b := range c.Bidders {
		if b.Strategy.Kind == sim.Learn || b.Budget != nil && b.Budget.Daily > 0 {
			return false
		}
		if b.Outcome != nil && b.Outcome.Delay.Mean()*minHalfDelays > float64(half) {
			return false
		}
	}
	return true
}

// coarseMode is how the coarse moves of a search of p race: on half
// runs where Halvable, else thinned where Thinnable, else whole.
func coarseMode(p experiment.Point) runMode {
	switch {
	case Halvable(p):
		return halved
	case Thinnable(p):
		return thinned
	}
	return whole
}

// thinFactor is how much Thinnable runs raise traffic.scale.
const thinFactor = 2

// minThinAuctions is the fewest auctions (by the mean rate, as simulated)
// a thinned run must keep, and minThinPeople the fewest people, so that
// its budgets, caps and conversions still act on a crowd.
const (
	minThinAuctions = 100_000
	minThinPeople   = 1_000
)

// Thinnable reports whether the coarse moves of a search of p may race on
// runs of twice its traffic.scale, when it is not Halvable: a flight of
// days (daily budgets, a daily shape, pacing intervals, hours-long
// conversion delays) keeps its horizon, days, budgets (the engine divides
// them by the scale), caps and delays, every simulated person making as
// many requests as a real one; only fewer requests are simulated, so its
// figures are noisier. The engine refuses a scale beside a holdout or a
// capacity, and with a stop by auctions; a script, replay or learning
// bidder (which learns by the auction) is refused here, and so are runs
// that would keep fewer than minThinAuctions auctions or minThinPeople
// people. As with Halvable, only coarse moves: the finest, the verdict
// and the curves run whole.
func Thinnable(p experiment.Point) bool {
	c := p.Config
	if Halvable(p) || p.Stop.Auctions != 0 || p.Stop.Duration <= 0 || len(c.Script) > 0 || len(c.Replay) > 0 {
		return false
	}
	scale := max(c.Traffic.Scale, 1) * thinFactor
	if scale > sim.MaxScale || c.Traffic.QPS/scale*p.Stop.Duration.Seconds() < minThinAuctions ||
		c.Traffic.Users != nil && float64(c.Traffic.Users.Count)/scale < minThinPeople {
		return false
	}
	for _, b := range c.Bidders {
		if b.Strategy.Kind == sim.Learn || b.Capacity != nil || b.Outcome != nil && b.Outcome.Holdout > 0 {
			return false
		}
	}
	return true
}

// readsTmaxCurve reports whether a metric the search reads or compares
// comes from the tmax curve. The curve settles every auction again at
// each candidate deadline (about an eighth of a run of budget-split) and
// feeds nothing back into the run, so a search that reads none of it runs
// without: every other metric is the same to the bit
// (TestNoTmaxCurveSameMetrics).
func (s *Search) readsTmaxCurve() bool {
	for _, m := range append([]string{s.metric}, s.Metrics...) {
		if strings.HasPrefix(m, "tmax_") {
			return true
		}
	}
	return false
}

// cost is what a run of mode costs, in whole runs: half for a halved
// run (half the horizon) or a thinned one (half the requests).
func (m runMode) cost() float64 {
	if m == whole {
		return 1
	}
	return 0.5
}

// key names the runs of split seeded from base in the mode being run.
func (s *Search) key(base uint64, split []Cents) string { return keyIn(s.mode, base, split) }

// keyIn names the runs of split seeded from base in mode m; cut-down runs
// apart from whole ones.
func keyIn(m runMode, base uint64, split []Cents) string {
	switch m {
	case halved:
		return fmt.Sprint("half ", base, split)
	case thinned:
		return fmt.Sprint("thin ", base, split)
	}
	return fmt.Sprint(base, split)
}

// missing is how many of replications 0 … reps−1 (seeded from base) of
// the splits, each counted once, the runs in mode m do not hold yet, nor
// will the batch in progress (pending: its replications by key).
func (s *Search) missing(m runMode, base uint64, splits [][]Cents, reps int, pending map[string]int) int {
	n := 0
	seen := map[string]bool{}
	for _, sp := range splits {
		k := keyIn(m, base, sp)
		if !seen[k] {
			seen[k] = true
			n += max(reps-max(len(s.runs[k]), pending[k]), 0)
		}
	}
	return n
}

// ensure runs replications 0 … reps−1 (seeded from base) of every split
// that the runs do not hold yet, on the workers.
func (s *Search) ensure(ctx context.Context, base uint64, splits [][]Cents, reps int) error {
	if s.runs == nil {
		s.runs = map[string][]experiment.Values{}
	}
	type item struct {
		split []Cents
		key   string
		rep   int
	}
	var todo []item
	seen := map[string]bool{}
	for _, sp := range splits {
		k := s.key(base, sp)
		if seen[k] {
			continue
		}
		seen[k] = true
		for r := len(s.runs[k]); r < reps; r++ {
			todo = append(todo, item{sp, k, r})
		}
	}
	if len(todo) == 0 {
		return nil
	}
	done, work, weight := s.completed, s.doneWork, s.mode.cost()
	e := &experiment.Experiment{
		Points:  len(todo),
		Seed:    base,
		Workers: s.Workers,
		// Each item is one (split, replication): its seed is the
		// replication's, whatever the item's place in this batch.
		Run: func(ctx context.Context, point int, _ uint64) (experiment.Values, error) {
			it := todo[point]
			v, err := experiment.Measure(ctx, s.with(it.split), experiment.Seed(base, it.rep))
			if err == nil && s.measured != nil {
				err = s.addMeasured(v)
			}
			return v, err
		},
		Progress: func(d, total int) {
			if s.Work != nil {
				s.Work(work+float64(d)*weight, work+float64(total)*weight+s.leftWork)
			}
			if s.Progress != nil {
				s.Progress(done+d, done+total+s.left)
			}
		},
	}
	// Items come in order, so each split's replications append in order.
	return e.RunShard(ctx, 1, experiment.Shard{}, func(it experiment.Item) error {
		t := todo[it.Point]
		s.runs[t.key] = append(s.runs[t.key], it.Values)
		s.completed++
		s.doneWork += weight
		s.modeRuns[s.mode]++
		return nil
	})
}

// values is split's objective in its first n replications from base.
func (s *Search) values(base uint64, split []Cents, n int) ([]float64, error) {
	runs := s.runs[s.key(base, split)]
	if len(runs) < n {
		return nil, fmt.Errorf("split %v: %d replications, want %d", split, len(runs), n)
	}
	out := make([]float64, n)
	for r := range n {
		v, ok := runs[r][s.metric]
		if !ok {
			return nil, fmt.Errorf("no metric %s in the runs' summaries", s.metric)
		}
		out[r] = v
	}
	return out, nil
}

// stat is split's objective over its first n replications from base.
func (s *Search) stat(base uint64, split []Cents, n int) (stats.Stat, error) {
	v, err := s.values(base, split, n)
	if err != nil {
		return stats.Stat{}, err
	}
	var a stats.Acc
	for _, x := range v {
		a.Add(x)
	}
	return a.Stat(), nil
}

// diff is the paired difference b − a of the objective over the first n
// replications from base.
func (s *Search) diff(base uint64, a, b []Cents, n int) (stats.Stat, error) {
	va, err := s.values(base, a, n)
	if err != nil {
		return stats.Stat{}, err
	}
	vb, err := s.values(base, b, n)
	if err != nil {
		return stats.Stat{}, err
	}
	var p stats.Pair
	for r := range n {
		p.Add(va[r], vb[r])
	}
	return p.Diff.Stat(), nil
}

// Result is a split search's outcome, and its JSON output.
type Result struct {
	Group string  `json:"group"`
	Total float64 `json:"total"` // the group's total, or with Budget daily its daily sum
	// Budget is the members' budget divided: "total" or "daily" (their
	// daily budgets, each total kept).
	Budget    string `json:"budget"`
	Objective string `json:"objective"`
	// Metric is the figure the search maximised for Objective
	// (ObjectiveMetric): groups.GROUP.eventual.OBJECTIVE, counting the
	// conversions still pending at each run's stop, or for
	// measured_incremental_value what the holdouts measured by the stop.
	Metric      string     `json:"metric"`
	Current     Side       `json:"current"`
	Recommended Side       `json:"recommended"`
	Diff        stats.Stat `json:"diff"` // recommended − current, paired, on fresh replications
	// FreshSeed seeds the fresh replications of the verdict and the
	// curves: replication i runs with experiment.Seed(FreshSeed, i), as
	// compare's replication i does at --seed FreshSeed, so that compare
	// --seed FreshSeed --reps N of the recommended split against the
	// current gives Diff exactly.
	FreshSeed uint64  `json:"fresh_seed"`
	Curves    []Curve `json:"curves"`
	// AboveRecommendation is what the curves' paired replications say of
	// the recommendation: the splits they put above it beyond chance and
	// how many they compared. Null without curves.
	AboveRecommendation *CurvesAbove `json:"above_recommendation"`
	// Steps are the move sizes the search went through, coarse to fine.
	Steps []float64 `json:"steps"`
	// Rounds and Runs are what the search took (Runs counts the verdict's
	// and the curves').
	Rounds int `json:"rounds"`
	Runs   int `json:"runs"`
	// LargerRounds of the Rounds raced a move made larger (twice, four
	// times, … a round's leading move) where that move's gain was within
	// noise; absent when none did.
	LargerRounds int `json:"larger_rounds,omitempty"`
	// HalfRuns of the Runs were of half the horizon, every budget halved:
	// the coarse moves' races when the world allows (Halvable).
	HalfRuns int `json:"half_runs"`
	// ThinnedRuns of the Runs were at twice the traffic scale (fewer
	// requests simulated, each standing for more; Thinnable): the coarse
	// moves' races in a world that cannot halve; absent when none.
	ThinnedRuns int `json:"thinned_runs,omitempty"`
	// SetScale, when the runs' totals were scaled with a shortened
	// horizon (--duration), is that share: each "set" is then in the
	// scenario's own amounts, its "budgets" ÷ SetScale (to the cent), as
	// --set scales them again. Absent when not scaled.
	SetScale float64 `json:"set_scale,omitempty"`
	// CurveReps is the replications of each curve point.
	CurveReps int `json:"curve_reps"`
	// Undecided, when set, is the best move the search's replications
	// could not tell from the recommendation.
	Undecided *Undecided `json:"undecided"`
	// Verdict is what Diff, on the fresh replications, says of the
	// recommended split against the current one (VerdictBetter, …;
	// Result.Judge), and Advice what to do about it: AdviceChange only
	// when the recommended split is better beyond chance, else
	// AdviceKeepCurrent, so that a split the verdict cannot tell from the
	// current one is never what the result tells a planner to adopt.
	Verdict string `json:"verdict"`
	Advice  string `json:"advice"`
	// Metrics compares the current (baseline) and the recommended
	// (variant) split on the verdict's replications, paired.
	Metrics map[string]experiment.ComparedMetric `json:"metrics"`
	// MetricOrder is Metrics' names in the order asked, for a table.
	MetricOrder []string `json:"-"`

	Members []string `json:"-"` // in the scenario's order, for a table

	// Variants, with Optima, are the optima of both objectives (this
	// search's and the other: attributed against incremental value), each
	// paired against the current split on the verdict's replications.
	Variants []Variant `json:"variants,omitempty"`
	// Saturated names, sorted, the money totals that saturated in any of
	// the search's runs (experiment.SaturatedPrefix): their figures, and
	// the search's choices made from them, are too low. The shape of a
	// run's and the other experiments' "saturated"; absent when none did.
	Saturated []string `json:"saturated,omitempty"`
	// Notes say what the figures cannot: each step of the scenario's
	// script that sets again, late in the runs (their last tenth), a
	// member's budget the search divides, as the table says it first
	// (and stderr); absent when none.
	Notes []string `json:"notes,omitempty"`
}

// Result.Verdict's values.
const (
	VerdictKept       = "kept"                // the search made no move: the same split
	VerdictBetter     = "better"              // the recommended split is above the current beyond chance
	VerdictWorse      = "worse"               // below it: the search's moves did not hold on fresh replications
	VerdictAlike      = "not_distinguishable" // the interval holds 0
	VerdictNoEvidence = "cant_tell"           // the same nonzero difference in each of too few replications
)

// Result.Advice's values.
const (
	AdviceChange      = "change"       // adopt the recommended split
	AdviceKeepCurrent = "keep_current" // keep the current split: nothing shown to gain
)

// Judge is the verdict on r's recommended split against the current one,
// from Diff and the sides (as compare reads a metric: a zero-wide
// interval over few replications is no evidence), and the advice it
// gives: change only to a split shown better.
func (r *Result) Judge() (verdict, advice string) {
	if maps.Equal(r.Current.Budgets, r.Recommended.Budgets) {
		return VerdictKept, AdviceKeepCurrent
	}
	cmp := experiment.ComparedMetric{Baseline: r.Current.Objective, Variant: r.Recommended.Objective, Diff: r.Diff}
	switch {
	case cmp.Higher():
		return VerdictBetter, AdviceChange
	case cmp.Lower():
		return VerdictWorse, AdviceKeepCurrent
	case r.Diff.Degenerate() && r.Diff.Mean != 0:
		return VerdictNoEvidence, AdviceKeepCurrent
	}
	return VerdictAlike, AdviceKeepCurrent
}

// saturated names, sorted, the money totals that saturated in any of the
// search's runs; nil when none did.
func (s *Search) saturated() []string {
	names := map[string]bool{}
	for _, runs := range s.runs {
		for _, v := range runs {
			for name := range v {
				if m, ok := strings.CutPrefix(name, experiment.SaturatedPrefix); ok {
					names[m] = true
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(names))
}

// Variant is an optimum set beside the current split.
type Variant struct {
	Name      string             `json:"name"`      // optimum_OBJECTIVE
	Objective string             `json:"objective"` // what it maximises
	Budgets   map[string]float64 `json:"budgets"`
	// Set is the optimum as path assignments (Search.Sets).
	Set []string `json:"set"`
	// Metrics: the group's spend, attributed and incremental value,
	// incremental ROAS and incremental profit (incremental value −
	// spend), and the eventual ones (OptimaFields), current (baseline)
	// against this optimum (variant).
	Metrics map[string]experiment.ComparedMetric `json:"metrics"`
}

// optimaMetrics are the metrics of Variant (OptimaFields of the group).
func (s *Search) optimaMetrics() []string {
	var out []string
	for _, f := range OptimaFields {
		out = append(out, "groups."+s.Group+"."+f)
	}
	return out
}

// OptimaFields are the group metrics a Variant reports, in order: the
// matured figures, then the eventual ones the search decides on.
var OptimaFields = []string{"spend", "attributed_value", "incremental_value", "incremental_roas", "incremental_profit",
	"eventual.attributed_value", "eventual.incremental_value", "eventual.incremental_roas", "eventual.incremental_profit"}

// DefaultMetrics are the group metrics a Result compares without
// Search.Metrics, in order: spend, value and ROAS both ways as matured
// by the stop, then the eventual values and ROAS the objective reads.
var DefaultMetrics = []string{"spend", "attributed_value", "incremental_value", "attributed_roas", "incremental_roas",
	"eventual.attributed_value", "eventual.incremental_value", "eventual.incremental_roas"}

// compared is each of names paired between splits a and b over the
// first Reps replications from base; a metric the runs lack is left out.
func (s *Search) compared(base uint64, a, b []Cents, names []string) map[string]experiment.ComparedMetric {
	ra, rb := s.runs[s.key(base, a)], s.runs[s.key(base, b)]
	out := map[string]experiment.ComparedMetric{}
	for _, name := range names {
		var p stats.Pair
		for r := range min(len(ra), len(rb), s.Reps) {
			x, okA := ra[r][name]
			y, okB := rb[r][name]
			if okA && okB {
				p.Add(x, y)
			}
		}
		if p.Diff.N() == 0 && p.Diff.Skipped() == 0 {
			continue
		}
		d := p.Diff.Stat()
		out[name] = experiment.ComparedMetric{Baseline: p.A.Stat(), Variant: p.B.Stat(), Diff: d,
			Relative: experiment.NumPtr(stats.Relative(d.Mean, p.A.Mean())), UnpairedHalfWidth: experiment.NumPtr(p.UnpairedHalfWidth())}
	}
	return out
}

// Undecided is a move the replications cannot tell apart from the
// recommendation: its paired difference's interval holds 0 while its
// mean is above it.
type Undecided struct {
	From   string     `json:"from"`
	To     string     `json:"to"`
	Amount float64    `json:"amount"`
	Diff   stats.Stat `json:"diff"`
	// RepsNeeded is about how many paired replications would put the
	// interval above 0, were the mean and sd what they are.
	RepsNeeded int `json:"reps_needed"`
}

// Side is one split with the group's objective there.
type Side struct {
	Budgets   map[string]float64 `json:"budgets"`
	Objective stats.Stat         `json:"objective"`
	// Set is the split as path assignments, in the members' order, for
	// --set or --change (Search.Sets).
	Set []string `json:"set"`
}

// Curve is a member's response curve: the group's objective against the
// member's budget at the group's fixed total, the rest spread over the
// other members in their recommended proportions; it passes through the
// recommended split.
type Curve struct {
	Member string       `json:"member"`
	Points []CurvePoint `json:"points"`
	// MarginalAtRecommended is the objective added per unit of the
	// member's budget at the recommended split (the others giving it up
	// in proportion): the central difference between the points a step
	// either side (one-sided at 0 or the total), the better estimate at
	// the recommendation than the slope from the point before. The
	// recommended point's Marginal is the same number.
	MarginalAtRecommended *float64 `json:"marginal_at_recommended"`
	// MarginalInterval is MarginalAtRecommended as a statistic over the
	// curve's replications, each replication's own central difference
	// (the two points run with the same seeds): its 95% interval says
	// whether the marginal is distinguishable from 0. Null where
	// MarginalAtRecommended is.
	MarginalInterval *stats.Stat `json:"marginal_interval"`
	// FlatFrom and FlatTo bound the member's budgets, around the
	// recommended one, whose objective the curve's paired replications
	// cannot tell from the recommendation's (each point's VsRecommended
	// interval holds 0): the flat region. (It once took the points whose
	// mean lay within the recommendation's own 95% interval, which
	// ignores the pairing and called budgets alike that the same
	// replications tell apart.)
	FlatFrom float64 `json:"flat_from"`
	FlatTo   float64 `json:"flat_to"`
}

// CurvePoint is one budget of a response curve.
type CurvePoint struct {
	Budget    float64    `json:"budget"`
	Objective stats.Stat `json:"objective"`
	// Marginal is the objective added per unit of budget since the
	// point before; null for the first point (budget 0), which has none
	// before it, unless it is the recommended one. At the recommended
	// point it is the Curve's MarginalAtRecommended (the central
	// difference, one-sided at a bound), so that one number is the
	// marginal there.
	Marginal *float64 `json:"marginal"`
	// Recommended marks the recommended split's point.
	Recommended bool `json:"recommended"`
	// VsRecommended is the objective here less at the recommended split,
	// paired over the curve's replications (the same seeds): above 0, the
	// curve found a split the replications tell is better than the
	// recommendation (Curve.Better). At the recommended point, 0.
	VsRecommended stats.Stat `json:"vs_recommended"`
}

// Better is the curve's point whose objective the paired replications
// tell is above the recommendation's by the most, or nil: evidence that
// the search stopped short of the best split (too few replications to
// tell its moves apart, or a step too coarse or too fine).
func (c Curve) Better() *CurvePoint {
	var best *CurvePoint
	for i := range c.Points {
		p := &c.Points[i]
		if p.VsRecommended.Above(0) && (best == nil || p.VsRecommended.Mean > best.VsRecommended.Mean) {
			best = p
		}
	}
	return best
}

// CurvesAbove is the response curves' verdict on the recommendation: a
// point above it beyond chance says the search stopped short (its races
// could not tell its moves apart). Each point is judged at 95%, so among
// Compared of them one may pass by chance: Compared says how many.
type CurvesAbove struct {
	// Compared counts the splits the curves compared with the
	// recommendation (the recommended point left out), each once: two
	// members' curves pass through the same splits (with two members,
	// every point of one is a point of the other), on the same runs.
	Compared int `json:"compared"`
	// Points are the splits whose paired difference from the
	// recommendation (VsRecommended) lies above 0 at 95%, each once (as
	// the first member's curve in the scenario's order draws it), the
	// largest difference first; empty when none is.
	Points []AbovePoint `json:"points"`
}

// AbovePoint is a response curve's point above the recommendation beyond
// chance.
type AbovePoint struct {
	// Member is the curve's member and Budget its budget there, the rest
	// spread over the others in their recommended proportions; Budgets is
	// that whole split.
	Member  string             `json:"member"`
	Budget  float64            `json:"budget"`
	Budgets map[string]float64 `json:"budgets"`
	// VsRecommended is the point's objective less the recommendation's,
	// paired (the curve point's).
	VsRecommended stats.Stat `json:"vs_recommended"`
}

// curvesAbove is the curves' verdict on rec (CurvesAbove), members' curves
// in the order of members. A point's split is rebuilt from its budget
// (CurveSplit), so that a split two curves share is counted once by the
// split itself: distinct splits whose figures happen to match (a member
// whose budget does not bind) are still two.
func curvesAbove(members []string, rec []Cents, curves []Curve) *CurvesAbove {
	if len(curves) == 0 {
		return nil
	}
	out := &CurvesAbove{Points: []AbovePoint{}}
	seen := map[string]bool{}
	for _, c := range curves {
		k := slices.Index(members, c.Member)
		if k < 0 {
			continue
		}
		for _, p := range c.Points {
			if p.Recommended {
				continue
			}
			sp := CurveSplit(rec, k, ToCents(p.Budget))
			key := fmt.Sprint(sp)
			if seen[key] {
				continue
			}
			seen[key] = true
			out.Compared++
			if !p.VsRecommended.Above(0) {
				continue
			}
			ap := AbovePoint{Member: c.Member, Budget: p.Budget, Budgets: map[string]float64{}, VsRecommended: p.VsRecommended}
			for j, m := range members {
				ap.Budgets[m] = Amount(sp[j])
			}
			out.Points = append(out.Points, ap)
		}
	}
	// Stable: of equal differences the first drawn stays first.
	slices.SortStableFunc(out.Points, func(a, b AbovePoint) int {
		return cmp.Compare(b.VsRecommended.Mean, a.VsRecommended.Mean)
	})
	return out
}

// firstReps is a race's first batch of replications, and each later one.
const firstReps = 3

// CurveReps are the replications of each response curve point for a
// search of reps: a third of them, at least firstReps (or reps, if
// fewer). The curves are about half of a search's runs at the default 10;
// at 3 replications a point their intervals are about twice as wide as
// at 5, and say so (Result.CurveReps), while a point's difference from
// its neighbours, on the same replications, stays paired.
func CurveReps(reps int) int { return max(min(firstReps, reps), reps/3) }

// Steps are the move sizes a search from step goes through: 4, 2 and 1
// times step, those that leave a move possible (below total).
func Steps(step, total Cents) []Cents {
	var out []Cents
	for _, m := range []Cents{4, 2, 1} {
		if st := step * m; st < total && (m == 1 || st <= total/2) {
			out = append(out, st)
		}
	}
	return out
}

// Run searches from start, coarse to fine: with each move size of
// Steps(step), rounds race the current split against every move (Moves)
// over the same replications (common random numbers), in batches of
// firstReps up to Reps: a move drops out once its paired difference from
// the current split, or from the leading move, has its 95% interval below
// 0; the leading move is kept as soon as its interval lies above 0. When
// the leading move's gain is within noise, the same move made larger is
// raced (larger). When no move is kept the next, finer size starts; after
// the finest the search stops. Runs are reused across rounds and sizes. Coarser sizes race up to
// half of Reps, as the finer ones correct them, and on runs of half the
// horizon with every budget halved where the world allows (Halvable), else
// on runs at twice the traffic scale where it allows that (Thinnable). It
// then measures the recommendation against start on fresh replications,
// so that the search's own choices do not bias the verdict, and draws
// each member's response curve there over CurveReps(Reps) of them. Runs leave out the
// tmax curve unless a metric read needs it (readsTmaxCurve).
func (s *Search) Run(ctx context.Context, start []Cents, step Cents) (*Result, error) {
	total := Sum(start)
	curveReps := CurveReps(s.Reps)
	// Fresh seeds for the verdict and the curves: the search chose its
	// moves on its own replications, which would flatter them.
	fresh := experiment.FreshSeed(s.Seed)
	// final plans the runs after the search, were rec the split it
	// reaches: the verdict's, start and rec (and the other objective's
	// optimum) on fresh replications, then the curves' points those do
	// not hold.
	final := func(rec []Cents) int {
		n := 2 * s.Reps
		if s.Optima {
			n += s.Reps
		}
		return n + s.curveRuns(fresh, [][]Cents{start, rec}, rec, step, curveReps)
	}
	other := s.otherObjective()
	cur, und, err := s.climb(ctx, start, step, final)
	if err != nil {
		return nil, err
	}
	// The other objective's optimum, by the same search (its runs reused:
	// every run holds every metric), to set beside this one.
	var otherCur []Cents
	if s.Optima {
		// Rounds and Reached stay this objective's: an interruption now
		// reports this search's split, and "rounds" counts its rounds.
		mine, rounds, larger := s.metric, s.Rounds, s.LargerRounds
		s.metric = ObjectiveMetric(s.Group, other)
		otherCur, _, err = s.climb(ctx, start, step, final)
		s.metric, s.Rounds, s.LargerRounds, s.Reached = mine, rounds, larger, cur
		if err != nil {
			return nil, err
		}
	}
	verdict := [][]Cents{start, cur}
	if otherCur != nil {
		verdict = append(verdict, otherCur)
	}
	// The verdict's runs are its batch's; what is left is the curves'.
	s.left = s.curveRuns(fresh, verdict, cur, step, curveReps)
	s.leftWork = float64(s.left)
	if err := s.ensure(ctx, fresh, verdict, s.Reps); err != nil {
		return nil, err
	}
	out := &Result{Group: s.Group, Total: Amount(total), Budget: s.Budget, Objective: s.objectiveOf(s.metric), Metric: s.metric,
		Members: s.Members, Undecided: und, CurveReps: curveReps, FreshSeed: fresh}
	out.SetScale = s.SetsScale()
	for _, st := range Steps(step, total) {
		out.Steps = append(out.Steps, Amount(st))
	}
	side := func(split []Cents) (Side, error) {
		sd := Side{Budgets: map[string]float64{}, Set: s.Sets(split)}
		for k, m := range s.Members {
			sd.Budgets[m] = Amount(split[k])
		}
		var err error
		sd.Objective, err = s.stat(fresh, split, s.Reps)
		return sd, err
	}
	if out.Current, err = side(start); err != nil {
		return nil, err
	}
	if out.Recommended, err = side(cur); err != nil {
		return nil, err
	}
	if out.Diff, err = s.diff(fresh, start, cur, s.Reps); err != nil {
		return nil, err
	}
	out.MetricOrder = s.Metrics
	if out.MetricOrder == nil {
		for _, f := range DefaultMetrics {
			out.MetricOrder = append(out.MetricOrder, "groups."+s.Group+"."+f)
		}
	}
	out.Metrics = s.compared(fresh, start, cur, out.MetricOrder)
	out.Verdict, out.Advice = out.Judge()
	if otherCur != nil {
		for _, o := range []struct {
			objective string
			split     []Cents
		}{{out.Objective, cur}, {other, otherCur}} {
			v := Variant{Name: "optimum_" + o.objective, Objective: o.objective, Budgets: map[string]float64{}, Set: s.Sets(o.split)}
			for k, m := range s.Members {
				v.Budgets[m] = Amount(o.split[k])
			}
			v.Metrics = s.compared(fresh, start, o.split, s.optimaMetrics())
			out.Variants = append(out.Variants, v)
		}
	}
	if !s.NoCurves {
		s.left, s.leftWork = 0, 0
		if out.Curves, err = s.curves(ctx, fresh, cur, step, curveReps); err != nil {
			return nil, err
		}
		out.AboveRecommendation = curvesAbove(s.Members, cur, out.Curves)
	}
	out.Rounds, out.Runs, out.HalfRuns, out.ThinnedRuns = s.Rounds, s.completed, s.modeRuns[halved], s.modeRuns[thinned]
	out.LargerRounds = s.LargerRounds
	out.Saturated = s.saturated()
	return out, nil
}

// climb is Run's search for the objective s.metric from start: the split
// reached and, when the last round could not tell its leading move from
// staying, that move. final plans the runs to come after it were the
// split it reaches its argument, for Progress.
func (s *Search) climb(ctx context.Context, start []Cents, step Cents, final func(rec []Cents) int) ([]Cents, *Undecided, error) {
	cur := slices.Clone(start)
	s.Reached = cur
	steps := Steps(step, Sum(start))
	var und *Undecided
	coarse := coarseMode(s.Base)
	defer func() { s.mode = whole }()
	for li, st := range steps {
		capReps, mode := s.sizeRace(li, len(steps), coarse)
		s.mode = mode
		for range maxRounds {
			// What is left after the batch in progress (which Progress
			// counts as it runs): the search's rounds to come, then the
			// verdict and the curves, were this split the one reached.
			fin := final(cur)
			s.left, s.leftWork = s.roundsLeft(cur, steps, li, coarse)
			s.left += fin
			s.leftWork += float64(fin)
			cands := Moves(cur, st)
			best, u, err := s.race(ctx, cur, cands, capReps)
			if err != nil {
				return nil, nil, err
			}
			s.Rounds++
			if best < 0 && u != nil {
				// The leading move's gain is within noise: the same move
				// made larger may tell, where no finer one would.
				next, err := s.larger(ctx, cur, u, capReps)
				if err != nil {
					return nil, nil, err
				}
				if next != nil {
					cur = next
					s.Reached = cur
					continue
				}
			}
			if best < 0 {
				if li == len(steps)-1 {
					und = u
				}
				break
			}
			cur = cands[best]
			s.Reached = cur
		}
	}
	return cur, und, nil
}

// larger races, when a round's leading move (u: its giver, taker and
// amount) could not be told from staying, the same move made larger
// against cur: twice its amount, then four times, …, up to all the giver
// has, each in batches of firstReps up to capReps replications, as long
// as its mean gain beats the smaller move's on the same replications and
// the replications cannot tell it from staying. It returns the first
// the replications put above staying, or nil.
//
// Without it a noisy objective stopped the search near its start: a
// round that cannot tell its best move from staying hands over to a
// finer size, whose moves gain less against the same noise, so that a
// gain linear in the budget moved, which a move of 8 told at 6
// replications, was never told by the moves of 4, 2 and 1 raced
// (TestSplitNoisyLargerMove). A larger move gains more, while its
// paired difference's noise is only what the move changes. A larger
// move that gains no more than the smaller one (past a concave
// response's peak, or on its flat) ends it after a batch; one taken past
// the best is brought back by the rounds after it.
func (s *Search) larger(ctx context.Context, cur []Cents, u *Undecided, capReps int) ([]Cents, error) {
	from, to := slices.Index(s.Members, u.From), slices.Index(s.Members, u.To)
	if from < 0 || to < 0 {
		return nil, fmt.Errorf("split: undecided move between %q and %q, not members", u.From, u.To)
	}
	amount := ToCents(u.Amount)
	smaller := slices.Clone(cur)
	smaller[from] -= amount
	smaller[to] += amount
	for amount < cur[from] {
		amount = min(2*amount, cur[from])
		next := slices.Clone(cur)
		next[from] -= amount
		next[to] += amount
		s.Rounds++
		s.LargerRounds++
		for n := min(firstReps, capReps); ; n = min(capReps, n+firstReps) {
			// The smaller move's runs are there: it was raced to capReps.
			if err := s.ensure(ctx, s.Seed, [][]Cents{cur, smaller, next}, n); err != nil {
				return nil, err
			}
			d, err := s.diff(s.Seed, cur, next, n)
			if err != nil {
				return nil, err
			}
			if d.Above(0) {
				return next, nil
			}
			was, err := s.diff(s.Seed, cur, smaller, n)
			if err != nil {
				return nil, err
			}
			if d.Below(0) || !(d.Mean > was.Mean) {
				return nil, nil // worse than staying, or no more to gain
			}
			if n >= capReps {
				break // within noise still, and gaining more: larger again
			}
		}
		smaller = next
	}
	return nil, nil
}

// sizeRace is how the races of move size li of n go: up to capReps
// replications, on runs cut down to coarse (whole for the finest size).
// Coarser sizes race up to half of Reps, as the finer ones correct them.
func (s *Search) sizeRace(li, n int, coarse runMode) (capReps int, mode runMode) {
	if li < n-1 {
		return max(min(s.Reps, firstReps), s.Reps/2), coarse
	}
	return s.Reps, whole
}

// roundsLeft plans the search's runs still to come after the batch in
// progress (the round at size steps[li] from cur), and weighs them by
// their cost in whole runs: one more round at this size, the one that
// finds no move, racing cur's moves but the one back (its runs are the
// split left); and two at each size to come, one that moves and one that
// does not, the first racing cur and its moves where they have no runs
// yet. Each race is counted to its first batch: later batches come when
// it is close, and the plan is revised each round. Counting every
// round's moves as new, and this size's rounds again beside the batch in
// progress, planned twice the runs of a search that ends at an edge,
// where few moves are left.
func (s *Search) roundsLeft(cur, steps []Cents, li int, coarse runMode) (runs int, work float64) {
	add := func(n int, m runMode) {
		runs += n
		work += float64(n) * m.cost()
	}
	capReps, mode := s.sizeRace(li, len(steps), coarse)
	batch := min(firstReps, capReps)
	moves := Moves(cur, steps[li])
	add(max(len(moves)-1, 0)*batch, mode)
	// The batch in progress runs the current split and its moves.
	pending := map[string]int{}
	for _, sp := range append([][]Cents{cur}, moves...) {
		pending[keyIn(mode, s.Seed, sp)] = batch
	}
	for j := li + 1; j < len(steps); j++ {
		capReps, mode := s.sizeRace(j, len(steps), coarse)
		batch := min(firstReps, capReps)
		moves := Moves(cur, steps[j])
		add(s.missing(mode, s.Seed, append([][]Cents{cur}, moves...), batch, pending)+max(len(moves)-1, 0)*batch, mode)
	}
	return runs, work
}

// curveRuns is how many runs the response curves at rec take over reps
// replications from seed (see curves) beyond those of the splits have,
// which the verdict runs over more replications first.
func (s *Search) curveRuns(seed uint64, have [][]Cents, rec []Cents, step Cents, reps int) int {
	if s.NoCurves {
		return 0
	}
	pending := map[string]int{}
	for _, sp := range have {
		pending[keyIn(whole, seed, sp)] = reps
	}
	// Two members' curves are the same splits, and the recommendation is
	// every member's point: missing counts each once.
	return s.missing(whole, seed, s.curveSplits(rec, step), reps, pending)
}

// curveSplits are the splits of the response curves at rec: each
// member's curve budgets, the others' moved with it (CurveSplit).
func (s *Search) curveSplits(rec []Cents, step Cents) [][]Cents {
	total := Sum(rec)
	var splits [][]Cents
	for k := range s.Members {
		for _, b := range curveBudgets(rec[k], step, total) {
			splits = append(splits, CurveSplit(rec, k, b))
		}
	}
	return splits
}

// otherObjective is the objective set beside this one with Optima: the
// attributed value for the incremental (true or measured), else the
// incremental value.
func (s *Search) otherObjective() string {
	switch s.objectiveOf(s.metric) {
	case "incremental_value", Measured, "incremental_conversions":
		return "attributed_value"
	case "incremental_profit":
		return "attributed_profit"
	case "attributed_profit":
		return "incremental_profit"
	}
	return "incremental_value"
}

// race runs cur and cands over growing batches of replications and
// returns the move kept, or −1 and, when the replications could not tell
// the leading move from cur, what it is.
func (s *Search) race(ctx context.Context, cur []Cents, cands [][]Cents, capReps int) (int, *Undecided, error) {
	alive := make([]int, len(cands))
	for k := range cands {
		alive[k] = k
	}
	n := min(firstReps, capReps)
	for {
		splits := [][]Cents{cur}
		for _, k := range alive {
			splits = append(splits, cands[k])
		}
		if err := s.ensure(ctx, s.Seed, splits, n); err != nil {
			return -1, nil, err
		}
		diffs := map[int]stats.Stat{}
		leader := -1
		for _, k := range alive {
			d, err := s.diff(s.Seed, cur, cands[k], n)
			if err != nil {
				return -1, nil, err
			}
			diffs[k] = d
			if leader < 0 || d.Mean > diffs[leader].Mean {
				leader = k
			}
		}

		if leader >= 0 && diffs[leader].Above(0) {
			return leader, nil, nil
		}
		var keep []int
		for _, k := range alive {
			if diffs[k].Below(0) {
				continue // worse than staying
			}
			if k != leader {
				d, err := s.diff(s.Seed, cands[leader], cands[k], n)
				if err != nil {
					return -1, nil, err
				}
				if d.Below(0) {
					continue // worse than the leader
				}
			}
			keep = append(keep, k)
		}
		alive = keep
		if len(alive) == 0 {
			return -1, nil, nil
		}
		if n >= capReps {
			d := diffs[leader]
			if !(d.Mean > 0) || !slices.Contains(alive, leader) {
				return -1, nil, nil
			}
			from, to := moved(cur, cands[leader])
			return -1, &Undecided{From: s.Members[from], To: s.Members[to], Amount: Amount(cur[from] - cands[leader][from]),
				Diff: d, RepsNeeded: RepsNeeded(d)}, nil
		}
		n = min(capReps, n+firstReps)
	}
}

// moved is the member a move takes budget from and the one it gives it to.
func moved(cur, next []Cents) (from, to int) {
	for k := range cur {
		switch {
		case next[k] < cur[k]:
			from = k
		case next[k] > cur[k]:
			to = k
		}
	}
	return from, to
}

// RepsNeeded is about how many replications would put a mean's 95%
// interval above 0 were its mean and sd those of d: the least n with
// t(0.975, n−1)·sd/√n < mean; 0 when d's mean is not above 0. With
// sd = 0 (a Degenerate interval) it is the sign test's stats.SignTestN.
func RepsNeeded(d stats.Stat) int {
	if d.Mean > 0 && d.SD == 0 {
		return stats.SignTestN
	}
	if !(d.Mean > 0) || !(d.SD > 0) {
		return 0
	}
	for n := 2; n < 1_000_000; n++ {
		if stats.TQuantile(0.975, float64(n-1))*d.SD/math.Sqrt(float64(n)) < d.Mean {
			return n
		}
	}
	return 1_000_000
}

// Moves are the splits one step away from cur: step moved from member i
// to member j, for every i with a budget to give; a member with less than
// a step gives all it has, so that a member can reach 0 (else one left
// with less than the finest step could never be emptied, and a split
// that drops it could never be recommended).
func Moves(cur []Cents, step Cents) [][]Cents {
	var out [][]Cents
	for i := range cur {
		if cur[i] <= 0 {
			continue
		}
		m := min(step, cur[i])
		for j := range cur {
			if i == j {
				continue
			}
			c := slices.Clone(cur)
			c[i] -= m
			c[j] += m
			out = append(out, c)
		}
	}
	return out
}

// CurveSplit is the split with member k at budget b of rec's total, the
// rest spread over the others in their proportions in rec (equally when
// they have none), to the cent by largest remainder: at b = rec[k] it is
// rec.
func CurveSplit(rec []Cents, k int, b Cents) []Cents {
	total := Sum(rec)
	rest := total - b
	others := total - rec[k]
	out := make([]Cents, len(rec))
	out[k] = b
	type rem struct {
		j int
		r int64
	}
	var rems []rem
	given := Cents(0)
	for j := range rec {
		if j == k {
			continue
		}
		w, of := rec[j], others
		if others == 0 {
			w, of = 1, Cents(len(rec)-1)
		}
		// rest·w in 128 bits: it overflows int64 from budgets of about
		// 10⁷ currency units on, and scenarios accept up to 10⁹ a member
		// (sim.MaxCurrency). The quotient fits, as w ≤ of.
		hi, lo := bits.Mul64(uint64(rest), uint64(w))
		q, r := bits.Div64(hi, lo, uint64(of))
		out[j] = Cents(q)
		given += out[j]
		rems = append(rems, rem{j, int64(r)})
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.r, a.r) })
	for i := 0; given < rest; i++ {
		out[rems[i%len(rems)].j]++
		given++
	}
	return out
}

// curveBudgets are a member's curve budgets: 0, half and all of total,
// and its recommended budget r and a step either side, where the marginal
// and the flat region are read. (Thirds as well cost 3 points more a
// member, a sixth of a default search's runs.)
func curveBudgets(r, step, total Cents) []Cents {
	bs := []Cents{0, total / 2, total, r}
	if r-step >= 0 {
		bs = append(bs, r-step)
	}
	if r+step <= total {
		bs = append(bs, r+step)
	}
	slices.Sort(bs)
	return slices.Compact(bs)
}

// curves runs each member's response curve at the group's total (see
// CurveSplit) over reps replications from seed, paired through them.
func (s *Search) curves(ctx context.Context, seed uint64, rec []Cents, step Cents, reps int) ([]Curve, error) {
	total := Sum(rec)
	if err := s.ensure(ctx, seed, s.curveSplits(rec, step), reps); err != nil {
		return nil, err
	}
	out := make([]Curve, len(s.Members))
	for k, m := range s.Members {
		c := Curve{Member: m}
		bs := curveBudgets(rec[k], step, total)
		means := map[Cents]float64{}
		at := 0
		for i, b := range bs {
			sp := CurveSplit(rec, k, b)
			st, err := s.stat(seed, sp, reps)
			if err != nil {
				return nil, err
			}
			// Paired with the recommendation: the same seeds, so most of
			// the noise the two points share cancels.
			vs, err := s.diff(seed, rec, sp, reps)
			if err != nil {
				return nil, err
			}
			means[b] = st.Mean
			pt := CurvePoint{Budget: Amount(b), Objective: st, Recommended: b == rec[k], VsRecommended: vs}
			if pt.Recommended {
				at = i
			}
			// The first point, the member without budget, has none before
			// it.
			if i > 0 {
				pt.Marginal = experiment.NumPtr((st.Mean - means[bs[i-1]]) / Amount(b-bs[i-1]))
			}
			c.Points = append(c.Points, pt)
		}
		lo, hi := max(rec[k]-step, 0), min(rec[k]+step, total)
		if hi > lo {
			c.MarginalAtRecommended = experiment.NumPtr((means[hi] - means[lo]) / Amount(hi-lo))
			c.Points[at].Marginal = c.MarginalAtRecommended
			d, err := s.diff(seed, CurveSplit(rec, k, lo), CurveSplit(rec, k, hi), reps)
			if err != nil {
				return nil, err
			}
			w := Amount(hi - lo)
			mi := stats.Of(d.Mean/w, d.SD/w, d.N)
			c.MarginalInterval = &mi
		}
		// The flat region: outward from the recommendation while the
		// paired replications cannot tell a point from it.
		within := func(i int) bool { return !c.Points[i].VsRecommended.Excludes(0) }
		from, to := at, at
		for from > 0 && within(from-1) {
			from--
		}
		for to < len(c.Points)-1 && within(to+1) {
			to++
		}
		c.FlatFrom, c.FlatTo = c.Points[from].Budget, c.Points[to].Budget
		out[k] = c
	}
	return out, nil
}

// Metric is the flat name of the objective, groups.GROUP.OBJECTIVE.
func (s *Search) Metric() string { return s.metric }

// Move is a budget move: Amount of From's budget given to To, their sum
// kept.
type Move struct {
	From, To string
	Amount   Cents
}

// ParseMove reads FROM:TO=AMOUNT; its errors begin with text.
func ParseMove(text string) (Move, error) {
	pair, amount, ok := strings.Cut(text, "=")
	from, to, ok2 := strings.Cut(pair, ":")
	x, err := strconv.ParseFloat(strings.TrimSpace(amount), 64)
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if !ok || !ok2 || from == "" || to == "" || err != nil || !(x > 0) || math.IsInf(x, 0) || ToCents(x) < 1 {
		return Move{}, fmt.Errorf("%s: want FROM:TO=AMOUNT, such as acme-retarget:acme-prospect=100, the amount at least 0.01", text)
	}
	if x > sim.MaxCurrency {
		// No budget holds more; and past what cents hold the amount
		// would wrap.
		return Move{}, fmt.Errorf("%s: the amount %s is more than %.0f, the largest budget", text, strings.TrimSpace(amount), sim.MaxCurrency)
	}
	if cents, ok := new(big.Rat).SetString(strings.TrimSpace(amount)); !ok || !cents.Mul(cents, big.NewRat(100, 1)).IsInt() {
		// Rounded, 0.005 would move 0.01 and 100.005 100.01: not what
		// was asked, and said nowhere. Read exactly as written: a float
		// times 100 is off the whole number for large amounts
		// (1234567890.12).
		return Move{}, fmt.Errorf("%s: the amount %s is not a whole number of cents; moves are to the cent (such as %s)",
			text, strings.TrimSpace(amount), strconv.FormatFloat(Amount(ToCents(x)), 'f', 2, 64))
	}
	if from == to {
		return Move{}, fmt.Errorf("%s: FROM and TO are the same bidder", text)
	}
	return Move{From: from, To: to, Amount: ToCents(x)}, nil
}

// MoveChanges are the budget changes (path, value) that make moves, one
// after the other, on cfg's budgets, as sim.MovesDaily rules for each
// pair: bidders.NAME.budget.total of each bidder moved, to the cent
// (bidders.NAME.budget={total: 0} for one with a daily budget left with
// nothing); between a bidder with a daily budget alone (no total) and one
// with a daily budget (alone or beside a total), bidders.NAME.budget.daily,
// the daily sum kept and any total kept as it is (budget={total: 0} for one
// left with nothing: a daily budget of 0 is none), as a split divides
// them. It refuses a bidder that is not in cfg or has no budget, a move
// between a daily budget alone and a total alone, and a move of more than
// From has then.
func MoveChanges(cfg sim.Config, moves []Move) ([][2]string, error) {
	// A move's pair decides which budget moves, so a bidder may have
	// its total moved by one and its daily budget by another.
	type key struct{ name, kind string }
	budget := map[key]Cents{}
	given := map[string]sim.Budget{}
	var order []key
	find := func(name string) error {
		if _, ok := given[name]; ok {
			return nil
		}
		var names []string
		for _, b := range cfg.Bidders {
			if b.Name == name {
				if b.Budget == nil {
					return fmt.Errorf("bidder %s has no budget (unlimited) to move", name)
				}
				given[name] = *b.Budget
				return nil
			}
			names = append(names, b.Name)
		}
		return sim.NoBidder(name, names)
	}
	of := func(name, kind string) Cents {
		k := key{name, kind}
		if c, ok := budget[k]; ok {
			return c
		}
		b := given[name]
		budget[k] = centsOf(&b, kind)
		order = append(order, k)
		return budget[k]
	}
	for _, m := range moves {
		move := fmt.Sprintf("%s:%s=%s", m.From, m.To, decimal(m.Amount))
		if err := find(m.From); err != nil {
			return nil, fmt.Errorf("%s: %w", move, err)
		}
		if err := find(m.To); err != nil {
			return nil, fmt.Errorf("%s: %w", move, err)
		}
		// The rule is sim's, the dashboard's m follows it too.
		daily, err := sim.MovesDaily(m.From, given[m.From], m.To, given[m.To])
		var mixed *sim.MixedMoveError
		if errors.As(err, &mixed) {
			return nil, fmt.Errorf("%s: %w; give %s a total with --change bidders.%s.budget.total=AMOUNT, or %s a daily budget with --change bidders.%s.budget.daily=AMOUNT",
				move, err, mixed.Daily, mixed.Daily, mixed.Total, mixed.Total)
		}
		kind := Total
		if daily {
			kind = Daily
		}
		if from := of(m.From, kind); from < m.Amount {
			what := "budget"
			if daily {
				what = "daily budget"
			}
			return nil, fmt.Errorf("%s: %s has %s of %s, less than the move", move, m.From, decimal(from), what)
		}
		of(m.To, kind)
		budget[key{m.From, kind}] -= m.Amount
		budget[key{m.To, kind}] += m.Amount
	}
	out := make([][2]string, len(order))
	for i, k := range order {
		out[i] = [2]string{"bidders." + k.name + ".budget." + k.kind, decimal(budget[k])}
		if budget[k] == 0 && given[k.name].Daily > 0 {
			// Beside a daily budget a total of 0 would read as no total
			// cap, and a daily budget of 0 is none: all of it moved is a
			// budget of 0.
			out[i] = [2]string{"bidders." + k.name + ".budget", "{total: 0}"}
		}
	}
	return out, nil
}

// decimal is c as an exact decimal: 100, 12.5, 0.01.
func decimal(c Cents) string {
	s := strconv.FormatInt(c/100, 10)
	if r := c % 100; r != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%02d", r), "0")
	}
	return s
}
