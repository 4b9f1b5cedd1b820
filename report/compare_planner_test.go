package report

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// exactOf is a metric the same in every replication of each side: base
// in the baseline, variant in the variant.
func exactOf(base, variant float64) experiment.ComparedMetric {
	d := variant - base
	rel := stats.Relative(d, base)
	return experiment.ComparedMetric{Baseline: stats.Stat{Mean: base, N: 5, Lo: base, Hi: base},
		Variant: stats.Stat{Mean: variant, N: 5, Lo: variant, Hi: variant},
		Diff:    stats.Stat{Mean: d, N: 5, Lo: d, Hi: d}, Relative: experiment.NumPtr(rel)}
}

// spreadOf is a metric that varies over the replications, its paired
// difference's interval excluding 0.
func spreadOf(base, variant float64) experiment.ComparedMetric {
	m := exactOf(base, variant)
	h := 0.01*(base+variant) + 1
	m.Baseline.SD, m.Variant.SD = 1, 1
	m.Diff.SD, m.Diff.Lo, m.Diff.Hi = 1, m.Diff.Mean-h, m.Diff.Mean+h
	return m
}

// TestCompareSaysTheBaselineSets: compare --set changes the baseline,
// and its table says so: "baseline: budget-split with …", the variant
// the baseline with its changes; neither the seed (said on the
// replications' line) nor the stop of --auctions (the run's length).
// Before, the first line named the scenario alone, as if its own budgets
// ran.
func TestCompareSaysTheBaselineSets(t *testing.T) {
	sets := []string{"bidders.acme-retarget.budget.total=100", "bidders.acme-prospect.budget.total=300", "seed=5", "stop={auctions: 3000}"}
	out := experiment.Comparison{
		Baseline: experiment.Side{Scenario: "budget-split", Set: sets},
		Variant: experiment.Side{Scenario: "budget-split", Set: sets,
			Changes: []string{"bidders.acme-retarget.budget.total=0", "bidders.acme-prospect.budget.total=400"}},
		Replications: 5, Seed: 5, Metric: "exchange.revenue",
		Metrics: map[string]experiment.ComparedMetric{"exchange.revenue": spreadOf(10, 12)},
	}
	table := CompareView{}.Table(out)
	want := "baseline: budget-split with bidders.acme-retarget.budget.total=100,\n" +
		"          bidders.acme-prospect.budget.total=300\n" +
		"variant:  the baseline with bidders.acme-retarget.budget.total=0,\n" +
		"          bidders.acme-prospect.budget.total=400\n"
	if !strings.HasPrefix(table, want) {
		t.Errorf("the sides are not said as\n%s\nin\n%s", want, table)
	}
	for _, line := range strings.Split(table, "\n") {
		if len([]rune(line)) > 80 {
			t.Errorf("a line past 80 columns: %q", line)
		}
	}

	// compare --variant: the baseline's line alike.
	out.Variants = []experiment.VariantComparison{{Name: "a", Changes: out.Variant.Changes, Metrics: out.Metrics}}
	if vt := (CompareView{}).Table(out); !strings.HasPrefix(vt, "baseline: budget-split with bidders.acme-retarget.budget.total=100,\n") {
		t.Errorf("compare --variant does not say the baseline's sets:\n%s", vt)
	}

	// Without --set (only the run's length and seed): the scenario with
	// the changes, wrapped within 80 columns.
	out.Variants = nil
	out.Baseline.Set, out.Variant.Set = sets[2:], sets[2:]
	want = "baseline: budget-split\nvariant:  budget-split with bidders.acme-retarget.budget.total=0,\n          bidders.acme-prospect.budget.total=400\n"
	if table := (CompareView{}).Table(out); !strings.HasPrefix(table, want) {
		t.Errorf("without --set, not\n%s\nin\n%s", want, table)
	}
}

// TestCompareFoldsAnEmptiedBudget: a member whose whole budget a move
// takes is one line, its spend and wins to 0, not its no-bid rows by
// +459076% at the top of the bidders' list; and no figure of compare's
// table is in e-notation. Before, the list opened with
// bidders.acme-retarget.no_bids 130.7 → 599914 and no_budget alike, and
// a count over a million read 1.167e+06.
func TestCompareFoldsAnEmptiedBudget(t *testing.T) {
	metrics := map[string]experiment.ComparedMetric{
		"groups.acme.eventual.incremental_value": spreadOf(1500, 1650),
		"exchange.no_bids":                       spreadOf(300.7, 1166912),
		"bidders.acme-retarget.enabled":          exactOf(1, 1),
		"bidders.acme-retarget.bid_requests":     spreadOf(599914, 599914),
		"bidders.acme-retarget.no_budget":        spreadOf(130.7, 599914),
		"bidders.acme-retarget.no_bids":          spreadOf(130.7, 599914),
		"bidders.acme-retarget.wins":             spreadOf(19000, 0),
		"bidders.acme-retarget.spend":            spreadOf(199.8, 0),
		"bidders.acme-retarget.value":            spreadOf(700, 0),
		"bidders.acme-prospect.bid_requests":     spreadOf(599914, 599914),
		"bidders.acme-prospect.no_budget":        spreadOf(2000, 1000),
		"bidders.acme-prospect.spend":            spreadOf(200, 399.9),
		"bidders.acme-prospect.wins":             spreadOf(20000, 41000),
	}
	// The bid_requests are the same each side: listed as differing only
	// by its SD here, which the list does not look at.
	out := experiment.Comparison{
		Baseline:     experiment.Side{Scenario: "budget-split"},
		Variant:      experiment.Side{Scenario: "budget-split", Changes: []string{"bidders.acme-retarget.budget.total=0", "bidders.acme-prospect.budget.total=400"}},
		Replications: 5, Seed: 3, Metric: "groups.acme.eventual.incremental_value", Metrics: metrics,
	}
	for _, table := range []string{(CompareView{}).Table(out), func() string {
		o := out
		o.Variants = []experiment.VariantComparison{{Name: "move", Changes: out.Variant.Changes, Metrics: metrics}}
		return CompareView{}.Table(o)
	}()} {
		if !strings.Contains(table, "  bidders.acme-retarget emptied: wins 19000 → 0, spend 199.8 → 0;") {
			t.Errorf("no line for the emptied member in\n%s", table)
		}
		if strings.Contains(table, "  bidders.acme-retarget.") {
			t.Errorf("the emptied member's rows are listed:\n%s", table)
		}
		if !strings.Contains(table, "bidders.acme-prospect.spend ") {
			t.Errorf("the other member's spend is not listed:\n%s", table)
		}
		if strings.Contains(table, "e+0") || strings.Contains(table, "e-0") {
			t.Errorf("e-notation in\n%s", table)
		}
		if !strings.Contains(table, " 1166912 ") {
			t.Errorf("a count over a million not written plainly:\n%s", table)
		}
	}

	// The reverse, a member with no budget in the baseline funded by
	// the change: one line too.
	metrics["bidders.acme-retarget.no_budget"], metrics["bidders.acme-retarget.no_bids"] = spreadOf(599914, 130.7), spreadOf(599914, 130.7)
	metrics["bidders.acme-retarget.wins"], metrics["bidders.acme-retarget.spend"] = spreadOf(0, 19000), spreadOf(0, 199.8)
	if table := (CompareView{}).Table(out); !strings.Contains(table, "  bidders.acme-retarget funded (it had no budget): wins 0 → 19000") {
		t.Errorf("no line for the funded member in\n%s", table)
	}
}

// TestPlainNum: compare's figures never in e-notation, four significant
// digits as FormatNum's otherwise.
func TestPlainNum(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{{1166912.4, "1166912"}, {-2.5e7, "-25000000"}, {599914, "599914"}, {0.0001234, "0.0001234"}, {3.1e-9, "0.000000003100"},
		{0.5, "0.5000"}, {0, "0"}} {
		if got := plainNum(c.x); got != c.want {
			t.Errorf("plainNum(%g) = %q, want %q", c.x, got, c.want)
		}
	}
	// 3 replications alike (stats.Stat.Alike) say so; 6, the sign
	// test's evidence, are a zero-wide interval.
	if got := plainPM(stats.Stat{Mean: 1.2e6, N: 3, Lo: 1.2e6, Hi: 1.2e6}); got != "1200000 (3 alike)" {
		t.Errorf("plainPM of a degenerate 1.2e6 = %q", got)
	}
	if got := plainPM(stats.Stat{Mean: 1.2e6, N: 6, Lo: 1.2e6, Hi: 1.2e6}); got != "1200000 ± 0" {
		t.Errorf("plainPM of 6 equal 1.2e6 = %q", got)
	}
}

// TestCompareVariantsSayEventual: compare --variant's headline of a
// group's eventual figure says, once, which conversions it counts, as
// compare --move's does. Before, the variants' headlines named the
// eventual figure without the line.
func TestCompareVariantsSayEventual(t *testing.T) {
	m := spreadOf(100, 110)
	metrics := map[string]experiment.ComparedMetric{"groups.acme.eventual.incremental_value": m, "groups.acme.incremental_value": m}
	out := experiment.Comparison{Baseline: experiment.Side{Scenario: "budget-split"}, Replications: 5, Seed: 3,
		Metric: "groups.acme.eventual.incremental_value", Metrics: metrics,
		Variants: []experiment.VariantComparison{{Name: "rec", Changes: []string{"x=1"}, Metrics: metrics}, {Name: "b", Changes: []string{"x=2"}, Metrics: metrics}}}
	table := CompareView{}.Table(out)
	note := "  (eventual: the conversions still pending at each run's stop counted, as split\n  decides; groups.acme.incremental_value counts those matured by then)\n"
	if strings.Count(table, note) != 1 {
		t.Fatalf("the eventual note not once in\n%s", table)
	}
	if i, j := strings.Index(table, note), strings.Index(table, "variant b:"); !(strings.Index(table, "variant rec:") < i && i < j) {
		t.Errorf("the eventual note not under the first variant's headline:\n%s", table)
	}
}

// TestCompareListKeepsTheHeadlinesSection: when the later sections'
// floors and the bidders' notes take more than the list's room, each
// section keeps a row, the headline's first among them. Before, the
// floors were kept whole and the first section (a move's group) got
// none.
func TestCompareListKeepsTheHeadlinesSection(t *testing.T) {
	metrics := map[string]experiment.ComparedMetric{}
	var names []string
	for i := range 10 {
		for _, n := range []string{fmt.Sprintf("groups.acme.m%d", i), fmt.Sprintf("bidders.ada.m%d", i), fmt.Sprintf("exchange.m%d", i)} {
			metrics[n] = spreadOf(10, 20)
			names = append(names, n)
		}
	}
	c := experiment.Comparison{Metric: "groups.acme.eventual.incremental_value", Metrics: metrics}
	notes := []string{"  bidders.eli emptied: wins 1 → 0, spend 1 → 0;\n    3 more not listed\n"}
	rows, shown := sectionedRows(&c, names, notes, 11, compareW{name: 24, diff: compareDiffW})
	if n := strings.Count(rows, "\n"); n > 11 {
		t.Errorf("%d lines in a room of 11:\n%s", n, rows)
	}
	for _, want := range []string{"  groups (", "  groups.acme.m", "  bidders (", "  bidders.ada.m", "  the exchange (", "  exchange.m"} {
		if !strings.Contains(rows, want) {
			t.Errorf("no %q in\n%s", want, rows)
		}
	}
	if len(shown) == 0 || !strings.HasPrefix(shown[0], "groups.") {
		t.Errorf("shown %v: the headline's section not first", shown)
	}
}

// TestCompareSpendNote: a split compared (compare --move, --variant) whose
// group spends more in the variant beyond chance says so under its value
// headline, with the difference net of that spend, the group's profit
// of the same kind, as split's table says of its recommendation. A move
// on myplan read "5.4 ± 5.0: higher in the variant" while the group spent
// 22.44 more and its incremental profit fell by 17. No note where the
// spend is the same, nor under a profit's headline, which weighs it.
func TestCompareSpendNote(t *testing.T) {
	metrics := map[string]experiment.ComparedMetric{
		"groups.kicks.eventual.incremental_value":  spreadOf(440, 446),
		"groups.kicks.spend":                       spreadOf(251, 273),
		"groups.kicks.eventual.incremental_profit": spreadOf(189, 172),
	}
	out := experiment.Comparison{Baseline: experiment.Side{Scenario: "myplan"}, Variant: experiment.Side{Scenario: "myplan", Changes: []string{"x=1"}},
		Replications: 20, Seed: 11, Metric: "groups.kicks.eventual.incremental_value", Metrics: metrics}
	table := CompareView{Width: 80}.Table(out)
	flat := strings.Join(strings.Fields(table), " ")
	for _, want := range []string{"note: the group spends 22.0 ± 6.2 more in the variant (+8.8%, groups.kicks.spend)",
		"net of it, groups.kicks.eventual.incremental_profit: -17.0 ± 4.6 (-9.0%): lower in the variant"} {
		if !strings.Contains(flat, want) {
			t.Errorf("no %q in\n%s", want, table)
		}
	}
	for _, l := range strings.Split(table, "\n") {
		if strings.Contains(l, "spends") && len([]rune(l)) > 80 {
			t.Errorf("the note's line is %d wide: %q", len([]rune(l)), l)
		}
	}
	out.Variants = []experiment.VariantComparison{{Name: "a", Changes: []string{"x=1"}, Metrics: metrics}, {Name: "b", Changes: []string{"x=2"}, Metrics: metrics}}
	if n := strings.Count(CompareView{Width: 80}.Table(out), "note: the group spends"); n != 2 {
		t.Errorf("the variants' table says the spend %d times, want once a variant", n)
	}
	out.Variants = nil
	same := maps.Clone(metrics)
	same["groups.kicks.spend"] = spreadOf(251, 251)
	out.Metrics = same
	if table := (CompareView{Width: 80}).Table(out); strings.Contains(table, "spends") {
		t.Errorf("a note where the spend is the same:\n%s", table)
	}
	out.Metrics, out.Metric = metrics, "groups.kicks.eventual.incremental_profit"
	if table := (CompareView{Width: 80}).Table(out); strings.Contains(table, "spends") {
		t.Errorf("a note under a profit's headline:\n%s", table)
	}
}
