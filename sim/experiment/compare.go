package experiment

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// Comparison is compare's result: every metric of two points over paired
// replications, and its JSON output.
type Comparison struct {
	Baseline     Side     `json:"baseline"`
	Variant      Side     `json:"variant"`
	Replications int      `json:"replications"`
	Seed         uint64   `json:"seed"`
	Partial      bool     `json:"partial"`
	Metric       string   `json:"metric"`
	Precision    *float64 `json:"precision,omitempty"` // the target, a fraction
	// FreshSeed is, with --precision, the base seed of the reported
	// replications: fresh ones, as many as the stopping rule ran on Seed's.
	FreshSeed *uint64 `json:"fresh_seed,omitempty"`
	// Decided is, with FreshSeed, the replications the rule decided on:
	// those reported are as many fresh ones, fewer when interrupted.
	Decided     int                       `json:"decided,omitempty"`
	WallSeconds float64                   `json:"wall_seconds"`
	Metrics     map[string]ComparedMetric `json:"metrics"` // the (first) variant's
	// GroupTotals says each group whose total budget the (first)
	// variant's changes alter.
	GroupTotals []string `json:"group_totals,omitempty"`
	// Variants are compare --variant's variants, each paired against the
	// baseline (Metrics is the first's again).
	Variants []VariantComparison `json:"variants,omitempty"`
	// VariantPairs are, with two or more variants, each pair of them
	// against each other on the same replications (common random
	// numbers), Metric's only: the later variant (B) less the earlier (A),
	// in the order given.
	VariantPairs []VariantPair `json:"variant_pairs,omitempty"`
	// HighestVariant is, with two or more variants, the one where
	// Metric's mean is highest, set against the next highest, paired;
	// absent without two replications paired.
	HighestVariant *HighestVariant `json:"highest_variant,omitempty"`
	// Notes say what the figures cannot: each step of the scenario's
	// script that sets again, late in the runs (their last tenth), a
	// field the experiment varies, as the table says it first (and
	// stderr); absent when none.
	Notes []string `json:"notes,omitempty"`
	// Saturated names the money totals that saturated in any replication
	// of either side (Agg.SaturatedNames): their statistics are too low.
	// The shape of a run's "saturated"; absent when none did.
	Saturated []string `json:"saturated,omitempty"`
}

// VariantComparison is one named variant of a compare, paired against
// the baseline.
type VariantComparison struct {
	Name        string                    `json:"name"`
	Changes     []string                  `json:"changes"`
	Metrics     map[string]ComparedMetric `json:"metrics"`
	GroupTotals []string                  `json:"group_totals,omitempty"`
}

// VariantPair is two of compare --variant's variants paired against each
// other: the earlier, A, as the baseline, the later, B, as the variant,
// with the keys of a compared metric (baseline, variant, diff = B − A,
// relative, unpaired_halfwidth).
type VariantPair struct {
	A      string `json:"a"`
	B      string `json:"b"`
	Metric string `json:"metric"`
	ComparedMetric
	// Says is ComparedMetric.Verdict's words, B being the variant.
	Says string `json:"verdict"`
}

// HighestVariant answers compare --variant's "which variant wins, and
// can the replications tell?" for the headline metric, as a sweep's
// SweepHighest does for its points.
type HighestVariant struct {
	Metric   string `json:"metric"`
	Variant  string `json:"variant"`
	RunnerUp string `json:"runner_up"`
	// Diff is the highest's value less the runner-up's, paired: its 95%
	// interval above 0 says the highest is higher beyond chance.
	Diff stats.Stat `json:"diff"`
}

// Side is one side of a comparison: the scenario and its overrides.
type Side struct {
	Scenario string   `json:"scenario"`
	Set      []string `json:"set,omitempty"`
	Changes  []string `json:"changes,omitempty"`
}

// ComparedMetric is one metric of a comparison.
type ComparedMetric struct {
	Baseline          stats.Stat `json:"baseline"`
	Variant           stats.Stat `json:"variant"`
	Diff              stats.Stat `json:"diff"` // variant − baseline, paired
	Relative          *float64   `json:"relative"`
	UnpairedHalfWidth *float64   `json:"unpaired_halfwidth"`
}

// finite reports whether x is a number (not NaN, not infinite).
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// NumPtr is x, or nil (JSON null) when x is not finite.
func NumPtr(x float64) *float64 {
	if !finite(x) {
		return nil
	}
	return &x
}

// NewComparison reads a compare's result (two points, paired); target is
// the --precision target, 0 for none.
func NewComparison(res *Result, target float64) Comparison {
	sp := res.Spec
	out := Comparison{
		Baseline:     Side{Scenario: sp.Points[0].Name, Set: sp.Sets},
		Variant:      Side{Scenario: sp.Points[1].Name, Set: sp.Sets, Changes: sp.Changes},
		Replications: res.Agg.Reps(),
		Seed:         sp.Seed,
		Partial:      res.Partial,
		Metric:       sp.Metrics[0],
		WallSeconds:  res.Wall.Seconds(),
		Metrics:      map[string]ComparedMetric{},
	}
	if target > 0 {
		out.Precision = &target
		if res.Decided > 0 {
			fresh := FreshSeed(sp.Seed)
			out.FreshSeed, out.Decided = &fresh, res.Decided
		}
	}
	out.Saturated = res.Agg.SaturatedNames()
	out.Metrics = compared(res.Agg, 1)
	out.GroupTotals = GroupTotals(out.Metrics)
	if len(sp.Points) > 1 && sp.Points[1].Variant != "" {
		out.Variant.Changes = sp.Points[1].Changes
		for p := 1; p < len(sp.Points); p++ {
			m := compared(res.Agg, p)
			out.Variants = append(out.Variants, VariantComparison{Name: sp.Points[p].Variant, Changes: sp.Points[p].Changes,
				Metrics: m, GroupTotals: GroupTotals(m)})
		}
		out.variantPairs(res)
	}
	return out
}

// variantPairs sets, with two or more variants (points 1 on), each pair's
// paired difference of the headline metric and the highest variant.
func (out *Comparison) variantPairs(res *Result) {
	sp := res.Spec
	var points []int
	for p := 1; p < len(sp.Points); p++ {
		points = append(points, p)
		for q := 1; q < p; q++ {
			if pr, ok := res.Agg.PairOf(q, p, out.Metric); ok {
				m := ComparedOf(pr)
				out.VariantPairs = append(out.VariantPairs, VariantPair{A: sp.Points[q].Variant, B: sp.Points[p].Variant,
					Metric: out.Metric, ComparedMetric: m, Says: m.Verdict(out.Replications)})
			}
		}
	}
	if best, next, d, ok := Highest(res.Agg, out.Metric, points); ok {
		out.HighestVariant = &HighestVariant{Metric: out.Metric, Variant: sp.Points[best].Variant,
			RunnerUp: sp.Points[next].Variant, Diff: d}
	}
}

// compared is every metric of point p paired against point 0.
func compared(agg *Agg, p int) map[string]ComparedMetric {
	out := map[string]ComparedMetric{}
	for _, name := range agg.Metrics(p) {
		if pr := agg.Pair(p, name); pr != nil {
			out[name] = ComparedOf(pr)
		}
	}
	return out
}

// ComparedOf is a metric's comparison from its pair (A the baseline),
// as compare makes it.
func ComparedOf(pr *stats.Pair) ComparedMetric {
	d := pr.Diff.Stat()
	return ComparedMetric{
		Baseline:          pr.A.Stat(),
		Variant:           pr.B.Stat(),
		Diff:              d,
		Relative:          NumPtr(stats.Relative(d.Mean, pr.A.Mean())),
		UnpairedHalfWidth: NumPtr(pr.UnpairedHalfWidth()),
	}
}

// GroupTotals says, for each group whose total budget (groups.G.budget)
// differs between the sides, "group G's total budget changes from A to
// B", and whose daily sum (groups.G.daily_budget) does, "group G's daily
// budget changes from A/day to B/day", sorted; a side where members have no total (unlimited, or a daily
// budget alone) says how many, as its sum leaves them out: "from 0.00 (2
// members without a total)" is not a group that had nothing to spend.
func GroupTotals(metrics map[string]ComparedMetric) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(metrics)) {
		g, ok := strings.CutPrefix(name, "groups.")
		if !ok {
			continue
		}
		m := metrics[name]
		if group, ok := strings.CutSuffix(g, ".daily_budget"); ok {
			// A flight's daily sum (members with a daily budget alone)
			// is the group's budget as much as a total is.
			if a, b := m.Baseline.Mean, m.Variant.Mean; finite(a) && finite(b) && math.Abs(a-b) >= 0.005 {
				// The sum leaves out a daily budget beside a total: a
				// move to such a member keeps the members' daily budgets
				// but not this sum, which the note must not hide.
				scope := ""
				if t := metrics["groups."+group+".budget"]; t.Baseline.Mean != 0 || t.Variant.Mean != 0 {
					scope = " (members without a total; daily budgets beside a total are not in it)"
				}
				if sum, ok := metrics["groups."+group+".daily_sum"]; ok && scope != "" && math.Abs(sum.Baseline.Mean-sum.Variant.Mean) < 0.005 {
					// Every member's daily budgets keep their sum, which
					// split divides: say that first, then where it went.
					way := "to members with a total beside it"
					if b > a {
						way = "from members with a total beside it"
					}
					out = append(out, fmt.Sprintf("group %s's daily budgets keep their sum, %.2f/day; %.2f/day moves %s (those without one: from %.2f/day to %.2f/day)",
						group, sum.Baseline.Mean, math.Abs(a-b), way, a, b))
					continue
				}
				out = append(out, fmt.Sprintf("group %s's daily budget changes from %.2f/day to %.2f/day%s", group, a, b, scope))
			}
			continue
		}
		if !strings.HasSuffix(g, ".budget") {
			continue
		}
		if a, b := m.Baseline.Mean, m.Variant.Mean; finite(a) && finite(b) && math.Abs(a-b) >= 0.005 {
			group := strings.TrimSuffix(g, ".budget")
			free := metrics["groups."+group+".unlimited_members"]
			out = append(out, fmt.Sprintf("group %s's total budget changes from %.2f%s to %.2f%s", group,
				a, withoutTotal(free.Baseline.Mean), b, withoutTotal(free.Variant.Mean)))
		}
	}
	return out
}

// withoutTotal is " (N members without a total)" for n > 0, else "".
func withoutTotal(n float64) string {
	switch {
	case !(n > 0):
		return ""
	case n == 1:
		return " (1 member without a total)"
	}
	return fmt.Sprintf(" (%g members without a total)", n)
}

// RelativeFloor is the least relative change (|Relative|) that the
// replications vouch for: the near end of its 95% interval, which counts
// the baseline mean's own noise beside the difference's (the delta
// method for d/b, with their covariance from the paired sides' SDs), 0
// where that interval reaches 0 or the change is undefined. A ratio of
// tiny counts vouches for little: below_floor 0.17 → 5.5 a run reads
// +3100%, but a baseline of 0.17 is barely measured, and the ratio's
// interval reaches 0; a revenue −33.8% known to ±0.05% vouches for
// about 33.7%.
func (m ComparedMetric) RelativeFloor() float64 {
	b, d, n := m.Baseline.Mean, m.Diff.Mean, float64(m.Diff.N)
	if m.Relative == nil || b == 0 || m.Diff.N < 2 {
		return 0
	}
	rho := d / b
	sb, sv, sd := m.Baseline.SD, m.Variant.SD, m.Diff.SD
	// Per replication: cov(d, b) = cov(v, b) − var(b), and
	// var(d) = var(v) + var(b) − 2 cov(v, b).
	cov := (sv*sv - sb*sb - sd*sd) / 2
	v := max(0, (sd*sd-2*rho*cov+rho*rho*sb*sb)/n)
	floor := math.Abs(rho) - stats.TQuantile(0.5+stats.Level/2, n-1)*math.Sqrt(v)/math.Abs(b)
	if !(floor > 0) { // NaN too: an SD undefined vouches for nothing
		return 0
	}
	return floor
}

// Rows sorts the metrics into those that differ (interval excludes 0,
// the largest relative change the replications vouch for first:
// RelativeFloor, then |Relative|), those not distinguishable, and those
// that did not vary at all (nor differ but for rounding). A list by
// |Relative| alone led with ratios of tiny counts (+3200% of bids below
// the floor, 0.17 → 5.5 a run), which say little.
func (c *Comparison) Rows() (differ, same, constant []string) {
	for name, m := range c.Metrics {
		switch {
		case m.Baseline.SD == 0 && m.Variant.SD == 0 && m.Diff.SD == 0 && m.Diff.Mean == 0, m.rounding():
			constant = append(constant, name)
		case m.Diff.N >= 2 && m.Differs():
			differ = append(differ, name)
		default:
			same = append(same, name)
		}
	}
	rel := func(n string) float64 {
		if r := c.Metrics[n].Relative; r != nil {
			return math.Abs(*r)
		}
		return 0
	}
	floors := make(map[string]float64, len(differ))
	for _, n := range differ {
		floors[n] = c.Metrics[n].RelativeFloor()
	}
	slices.SortFunc(differ, func(a, b string) int {
		if fa, fb := floors[a], floors[b]; fa != fb {
			return cmp.Compare(fb, fa)
		}
		if ra, rb := rel(a), rel(b); ra != rb {
			return cmp.Compare(rb, ra)
		}
		return strings.Compare(a, b)
	})
	slices.Sort(same)
	slices.Sort(constant)
	return differ, same, constant
}

// Twin reports the metric that name repeats in c, whose statistics,
// each side's and the difference's, are name's own exactly: a twin by
// definition (sim.TwinOf), here equal by construction, as a bidder's
// win_rate_per_auction and win_rate where it is asked in every auction.
// A list of differences shows the effect once; --metrics asks for either.
// A twin's own twin is followed, so that a chain folds into its last.
func (c *Comparison) Twin(name string) (string, bool) {
	m, ok := c.Metrics[name]
	twin, found := "", false
	for range 4 { // the twins' chains are short
		t, ok := sim.TwinOf(name)
		if !ok {
			break
		}
		tm, ok := c.Metrics[t]
		if !ok || tm.Baseline != m.Baseline || tm.Variant != m.Variant || tm.Diff != m.Diff {
			break
		}
		twin, found, name = t, true, t
	}
	return twin, found && ok
}

// PrecisionMet reports whether m's difference is known within the
// comparison's precision target.
func (c *Comparison) PrecisionMet(m ComparedMetric) bool {
	return c.Precision != nil && m.Diff.HalfWidth() <= *c.Precision*math.Abs(m.Baseline.Mean)
}

// PrecisionUnreachable reports whether m's baseline was 0 in every
// replication, so that no precision target, a share of it, can be met.
func (c *Comparison) PrecisionUnreachable(m ComparedMetric) bool {
	return c.Precision != nil && BaselineZero(m.Baseline)
}

// exact reports whether both sides were the same in every replication (a
// setting, say): their difference is then exact, not a sample, and its
// zero-wide interval is no degenerate sample.
func (m ComparedMetric) exact() bool { return m.Baseline.SD == 0 && m.Variant.SD == 0 }

// roundingShare bounds a difference that is floating-point rounding, as
// a share of the larger side: 2⁻⁴⁸, 16 times float64's epsilon, about
// 3.6e-15. The same quantity computed along two paths of a few float
// operations each (a closed form against another, a theory's revenue
// equivalence) differs by a few units in the last place, 2⁻⁵² of it each;
// a real difference from an input is far above that, as inputs are given
// to nano-units of money and time or to a decimal's digits: a nano-unit
// of money is 1e-11 of a total of 100, and falls under the bound only
// against totals above 280,000 units.
const roundingShare = 0x1p-48

// rounding reports whether the difference is floating-point rounding of
// 0: both sides the same in every replication (so the difference is
// exact, not a sample) and it is at most roundingShare of the larger
// side. Such a metric is the same on both sides: 0.6 against
// 0.6000000000000001, first- and second-price auctions' revenue in
// theory, is no evidence that revenue equivalence fails.
func (m ComparedMetric) rounding() bool {
	return m.exact() && m.Diff.SD == 0 &&
		math.Abs(m.Diff.Mean) <= roundingShare*max(math.Abs(m.Baseline.Mean), math.Abs(m.Variant.Mean))
}

// Higher reports whether the variant is higher beyond chance: the
// difference's interval lies above 0 and is not a degenerate sample
// (stats.Stat.Degenerate) of sides that vary, nor rounding of a
// difference of 0.
func (m ComparedMetric) Higher() bool {
	return (m.Diff.Above(0) || m.exact() && m.Diff.Lo > 0) && !m.rounding()
}

// Lower is Higher's mirror.
func (m ComparedMetric) Lower() bool {
	return (m.Diff.Below(0) || m.exact() && m.Diff.Hi < 0) && !m.rounding()
}

// Differs is Higher or Lower.
func (m ComparedMetric) Differs() bool { return m.Higher() || m.Lower() }

// Verdict says in words what the difference of one metric shows, at n
// replications.
func (m ComparedMetric) Verdict(n int) string {
	d := m.Diff
	switch {
	case d.N < 2 || !finite(d.Lo):
		return "no interval (fewer than 2 replications with a value)"
	case m.Higher():
		return "higher in the variant"
	case m.Lower():
		return "lower in the variant"
	case d.SD == 0 && d.Mean == 0:
		return "the same in every replication"
	case m.rounding():
		return "the same in every replication, but for floating-point rounding"
	case d.Degenerate():
		return fmt.Sprintf("can't tell: the same difference in each of %d replications, no evidence by itself; about %d replications would tell", d.N, stats.SignTestN)
	}
	return fmt.Sprintf("not distinguishable at %d replications", n)
}
