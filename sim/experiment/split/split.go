// Package split searches the division of an advertiser group's total
// budget among its members that maximises an objective of the group,
// over paired replications (sim/experiment), and measures each member's
// response curve at the split it recommends.
package split

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// Objectives are the group metrics a split can maximise.
var Objectives = []string{"incremental_value", "attributed_value", "conversions", "incremental_conversions"}

// curveSteps divides the group's total into a response curve's budgets:
// k/6 of the total, k = 0..6 (seven points).
const curveSteps = 6

// maxRounds bounds the search; each kept move raises the objective on
// the search's replications, so it ends well before.
const maxRounds = 100

// Cents is an amount of budget in whole cents, so that moves keep the
// total exactly.
type Cents = int64

// ToCents rounds an amount to cents.
func ToCents(x float64) Cents { return Cents(math.Round(x * 100)) }

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

// Search holds what every evaluation of a split needs, and how far an
// interrupted search got.
type Search struct {
	Base    experiment.Point // the world, overrides applied
	Group   string
	Members []string // the group's budgeted members, in configuration order
	index   []int    // their positions in the config's bidders
	metric  string   // groups.G.OBJECTIVE
	Reps    int      // paired replications per split
	Workers int
	Seed    uint64
	// Progress, if set, is told the replications done and planned so far.
	Progress  func(done, total int)
	completed int
	// NoCurves: the search and its verdict only (tests).
	NoCurves bool
	// Rounds decided so far and the split they reached, for an
	// interrupted search.
	Rounds  int
	Reached []Cents
}

// New finds group's budgeted members in p; objective is one of
// Objectives. Reps, Workers and Progress are the caller's to set. Its
// errors begin "group G:".
func New(p experiment.Point, group, objective string) (*Search, error) {
	s := &Search{Base: p, Group: group, metric: "groups." + group + "." + objective, Seed: p.Config.Seed}
	var groups []string
	for i, b := range p.Config.Bidders {
		if b.Group != "" && !slices.Contains(groups, b.Group) {
			groups = append(groups, b.Group)
		}
		if b.Group == group && b.Budget != nil {
			s.Members = append(s.Members, b.Name)
			s.index = append(s.index, i)
		}
	}
	switch {
	case len(groups) == 0:
		return nil, fmt.Errorf("group %s: scenario %s has no groups (give bidders a group: in the scenario)", group, p.Name)
	case !slices.Contains(groups, group):
		return nil, fmt.Errorf("group %s: no such group in %s; its groups are %s", group, p.Name, strings.Join(groups, ", "))
	case len(s.Members) < 2:
		return nil, fmt.Errorf("group %s: %d member(s) with a budget; a split needs at least 2", group, len(s.Members))
	}
	return s, nil
}

// ParseStep reads a move's size: "5%" of total, or an amount; its errors
// begin with text.
func ParseStep(text string, total Cents) (Cents, error) {
	t := strings.TrimSpace(text)
	pct := strings.HasSuffix(t, "%")
	x, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
	if err != nil || !(x > 0) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%s: want a share of the group's total such as 5%%, or an amount > 0", text)
	}
	step := ToCents(x)
	if pct {
		if x >= 100 {
			return 0, fmt.Errorf("%s: want a share below 100%%", text)
		}
		step = Cents(math.Round(float64(total) * x / 100))
	}
	if step < 1 || step >= total {
		return 0, fmt.Errorf("%s is %.2f: want at least 0.01 and less than the group's total %.2f", text, Amount(step), Amount(total))
	}
	return step, nil
}

// Current is the scenario's own split.
func (s *Search) Current() []Cents {
	out := make([]Cents, len(s.index))
	for k, i := range s.index {
		out[k] = ToCents(s.Base.Config.Bidders[i].Budget.Total)
	}
	return out
}

// with is the world with the members' budgets set to split.
func (s *Search) with(split []Cents) experiment.Point {
	p := s.Base
	p.Config.Bidders = slices.Clone(s.Base.Config.Bidders)
	for k, i := range s.index {
		b := *p.Config.Bidders[i].Budget
		b.Total = Amount(split[k])
		p.Config.Bidders[i].Budget = &b
	}
	return p
}

// eval runs every split over the replications seeded from seed, paired
// against the first.
func (s *Search) eval(ctx context.Context, seed uint64, splits [][]Cents, paired bool) (*experiment.Agg, error) {
	pts := make([]experiment.Point, len(splits))
	for i, sp := range splits {
		pts[i] = s.with(sp)
	}
	done := s.completed
	e := &experiment.Experiment{
		Points:  len(splits),
		Seed:    seed,
		Workers: s.Workers,
		Paired:  paired,
		Run: func(ctx context.Context, point int, seed uint64) (experiment.Values, error) {
			return experiment.Measure(ctx, pts[point], seed)
		},
		Progress: func(d, total int) {
			if s.Progress != nil {
				s.Progress(done+d, done+total)
			}
		},
	}
	agg, err := e.Replicate(ctx, s.Reps)
	s.completed += len(splits) * s.Reps
	return agg, err
}

// Result is a split search's outcome, and its JSON output.
type Result struct {
	Group       string     `json:"group"`
	Total       float64    `json:"total"`
	Objective   string     `json:"objective"`
	Current     Side       `json:"current"`
	Recommended Side       `json:"recommended"`
	Diff        stats.Stat `json:"diff"` // recommended − current, paired, on fresh replications
	Curves      []Curve    `json:"curves"`

	Members []string `json:"-"` // in the scenario's order, for a table
}

// Side is one split with the group's objective there.
type Side struct {
	Budgets   map[string]float64 `json:"budgets"`
	Objective stats.Stat         `json:"objective"`
}

// Curve is a member's response curve: the group's objective against the
// member's budget, the others at the recommended split.
type Curve struct {
	Member string       `json:"member"`
	Points []CurvePoint `json:"points"`
}

// CurvePoint is one budget of a response curve.
type CurvePoint struct {
	Budget    float64    `json:"budget"`
	Objective stats.Stat `json:"objective"`
	// Marginal is the objective added per unit of budget since the
	// point before; null for the first point (budget 0).
	Marginal *float64 `json:"marginal"`
}

// Run searches from start in moves of step: each round runs the current
// split and every move (Moves) over Reps paired replications and keeps
// the move that helps most, only when its 95% interval lies above 0; it
// stops when no move does. It then measures the recommendation against
// start on fresh replications, so that the search's own choices do not
// bias the verdict, and draws each member's response curve there.
func (s *Search) Run(ctx context.Context, start []Cents, step Cents) (*Result, error) {
	cur := slices.Clone(start)
	s.Reached = cur
	for range maxRounds {
		cands := Moves(cur, step)
		agg, err := s.eval(ctx, s.Seed, append([][]Cents{cur}, cands...), true)
		if err != nil {
			return nil, err
		}
		s.Rounds++
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
		s.Reached = cur
	}
	// Fresh seeds for the verdict and the curves: the search chose its
	// moves on its own replications, which would flatter them.
	fresh := experiment.Seed(s.Seed, 1<<30)
	agg, err := s.eval(ctx, fresh, [][]Cents{start, cur}, true)
	if err != nil {
		return nil, err
	}
	out := &Result{Group: s.Group, Total: Amount(Sum(start)), Objective: strings.TrimPrefix(s.metric, "groups."+s.Group+"."), Members: s.Members}
	side := func(split []Cents, point int) Side {
		sd := Side{Budgets: map[string]float64{}}
		for k, m := range s.Members {
			sd.Budgets[m] = Amount(split[k])
		}
		sd.Objective, _ = agg.Stat(point, s.metric)
		return sd
	}
	out.Current, out.Recommended = side(start, 0), side(cur, 1)
	if p := agg.Pair(1, s.metric); p != nil {
		out.Diff = p.Diff.Stat()
	}
	if s.NoCurves {
		return out, nil
	}
	out.Curves, err = s.curves(ctx, fresh, cur)
	return out, err
}

// Moves are the splits one step away from cur: step moved from member i
// to member j, for every i with the budget to give.
func Moves(cur []Cents, step Cents) [][]Cents {
	var out [][]Cents
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
func (s *Search) curves(ctx context.Context, seed uint64, rec []Cents) ([]Curve, error) {
	total := Sum(rec)
	var splits [][]Cents
	var budgets []Cents
	for k := range s.Members {
		for p := 0; p <= curveSteps; p++ {
			sp := slices.Clone(rec)
			sp[k] = total * Cents(p) / curveSteps
			splits = append(splits, sp)
			budgets = append(budgets, sp[k])
		}
	}
	agg, err := s.eval(ctx, seed, splits, false)
	if err != nil {
		return nil, err
	}
	out := make([]Curve, len(s.Members))
	for k, m := range s.Members {
		out[k].Member = m
		prevB, prevY := 0.0, 0.0
		for p := 0; p <= curveSteps; p++ {
			i := k*(curveSteps+1) + p
			st, _ := agg.Stat(i, s.metric)
			b := Amount(budgets[i])
			pt := CurvePoint{Budget: b, Objective: st}
			// The first point, the member without budget, has none before
			// it.
			if p > 0 {
				pt.Marginal = experiment.NumPtr((st.Mean - prevY) / (b - prevB))
			}
			prevB, prevY = b, st.Mean
			out[k].Points = append(out[k].Points, pt)
		}
	}
	return out, nil
}

// Metric is the flat name of the objective, groups.GROUP.OBJECTIVE.
func (s *Search) Metric() string { return s.metric }
