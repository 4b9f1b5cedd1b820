package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
	"github.com/auctionsim/auctionsim/sim/stats"
	"github.com/charmbracelet/x/ansi"
)

func TestFormatPM(t *testing.T) {
	for _, c := range []struct {
		s    stats.Stat
		want string
	}{
		{stats.Stat{Mean: 0.77216, SD: 0.0072, N: 3, Lo: 0.7543, Hi: 0.7900}, "0.772 ± 0.018"}, // half-width to 2 digits, mean alike
		{stats.Stat{Mean: 553.3, SD: 31.9, N: 3, Lo: 474.1, Hi: 632.5}, "553 ± 79"},
		// 3 replications all alike are no interval (stats.Stat.Alike);
		// 6, which the sign test counts, are.
		{stats.Stat{Mean: 1, N: 3, Lo: 1, Hi: 1}, "1.000 (3 alike)"},
		{stats.Stat{Mean: 1, N: 6, Lo: 1, Hi: 1}, "1.000 ± 0"},
		{stats.Stat{Mean: 0, N: 2, Lo: 0, Hi: 0}, "0 (2 alike)"},
		{stats.Stat{Mean: 2.5, N: 1, Lo: math.NaN(), Hi: math.NaN()}, "2.500"}, // no interval: the mean alone
		{stats.Stat{Mean: math.NaN(), N: 0}, "–"},
	} {
		if got := FormatPM(c.s); got != c.want {
			t.Errorf("%+v: %q, want %q", c.s, got, c.want)
		}
	}
	for x, want := range map[float64]string{0: "0", 1234.5: "1234", 0.0123456: "0.01235", 2.5e7: "2.5e+07", math.Inf(1): "–"} {
		if got := FormatNum(x); got != want {
			t.Errorf("FormatNum(%v) = %q, want %q", x, got, want)
		}
	}
}

// TestCompareTableFits: long metric names get a line of their own, the
// list of the rest wraps, and every line fits 80 columns.
func TestCompareTableFits(t *testing.T) {
	rel := 0.5
	out := experiment.Comparison{
		Baseline: experiment.Side{Scenario: "a"}, Variant: experiment.Side{Scenario: "a", Changes: []string{"exchange.floor=0.3"}},
		Replications: 5, Seed: 1, Metric: "exchange.revenue", Metrics: map[string]experiment.ComparedMetric{},
	}
	differ := experiment.ComparedMetric{Baseline: stats.Stat{Mean: 1, SD: 0.1, N: 5}, Variant: stats.Stat{Mean: 1.5, SD: 0.1, N: 5},
		Diff: stats.Stat{Mean: 0.5, SD: 0.01, N: 5, Lo: 0.49, Hi: 0.51}, Relative: &rel}
	same := experiment.ComparedMetric{Baseline: stats.Stat{Mean: 1, SD: 0.1, N: 5}, Variant: stats.Stat{Mean: 1, SD: 0.1, N: 5},
		Diff: stats.Stat{Mean: 0, SD: 0.1, N: 5, Lo: -0.1, Hi: 0.1}}
	out.Metrics["exchange.revenue"] = differ
	out.Metrics["bidders.a-very-long-bidder-name.incremental_value"] = differ
	for _, n := range []string{"alpha", "beta", "gamma", "delta", "epsilon"} {
		out.Metrics["bidders."+n+"-with-a-long-name.latency_ms.p95"] = same
	}
	table := CompareTable(out)
	for _, want := range []string{
		"variant:  a with exchange.floor=0.3",
		"exchange.revenue: 0.500 ± 0.010 (+50.0%): higher in the variant",
		"  bidders.a-very-long-bidder-name.incremental_value\n",
		"not distinguishable at 5 replications: 5 metrics",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("no %q in\n%s", want, table)
		}
	}
	for _, line := range strings.Split(table, "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("line of %d columns: %q", n, line)
		}
	}
}

// TestRepsTableValueAndHoldout: run --reps' table never cuts a name,
// has the value table with a group row, and sets the holdout's measured
// iROAS beside the model's, labelled; a bidder without a holdout has no
// such row.
func TestRepsTableValueAndHoldout(t *testing.T) {
	long := "a-campaign-with-a-long-name"
	agg := experiment.NewAgg(1, false)
	for rep, x := range []float64{1, 3} {
		v := experiment.Values{"exchange.revenue": 10 * x}
		for _, n := range []string{long, "rival"} {
			v["bidders."+n+".bid_requests"] = 100
			v["bidders."+n+".wins"] = 10 * x
		}
		p := "bidders." + long + "."
		v[p+"attributed_roas"], v[p+"incremental_roas"] = 4*x, 2*x
		v[p+"attributed_value"], v[p+"incremental_value"] = 40*x, 20*x
		v[p+"holdout.measured_incremental_roas.mean"] = 2.5 * x
		v[p+"holdout.measured_incremental_roas.lo"] = 1 * x
		v[p+"holdout.measured_incremental_roas.hi"] = 4 * x
		v["bidders.rival.attributed_roas"] = math.NaN()
		v["groups.g.budget"], v["groups.g.attributed_value"] = 100, 40*x
		agg.Add(experiment.Item{Index: rep, Rep: rep, Values: v})
	}
	res := &experiment.Result{Spec: &experiment.Spec{Scenario: "s", Seed: 1}, Agg: agg}
	table := RepsTable(res, []string{long, "rival"})
	// The holdout's table would pass 80 columns with the name whole: it
	// is cut in every table, and given whole below them.
	cut := "a-campaign-with-a-l…"
	for _, want := range []string{
		"\n" + cut + " ", // the bidders' table
		"bidders cut to fit, in full:\n  " + cut + "  " + long + "\n",
		"incremental ROAS: measured (holdout) beside true (model)",
		"measured (holdout)", "true (model)",
		"[2.00, 8.00]", // the mean of one run's interval
		"g (group)",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("no %q in\n%s", want, table)
		}
	}
	// The measured row: the mean of 2.5 and 7.5 beside the true 2 and 6.
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, cut) && strings.Contains(line, "[") {
			if !strings.Contains(line, FormatPM(stats.Of(5, math.Sqrt(12.5), 2))) || !strings.Contains(line, FormatPM(stats.Of(4, math.Sqrt(8), 2))) {
				t.Errorf("measured row %q", line)
			}
		}
		if strings.HasPrefix(line, "rival") && strings.Contains(line, "[") {
			t.Errorf("rival has no holdout: %q", line)
		}
	}
	if strings.Count(table, "\nrival ") != 1 {
		t.Errorf("rival, without an outcome model, is in the value table:\n%s", table)
	}
}

// TestRepsTableEventual: run --reps shows each bidder's and group's
// conversions pending at the stop and its eventual incremental value
// beside the matured one (the figure split's headline shows), within 80
// columns; and no such table when nothing is pending.
func TestRepsTableEventual(t *testing.T) {
	members := []string{"acme-retarget", "acme-prospect"}
	build := func(pending float64) string {
		agg := experiment.NewAgg(1, false)
		for rep, x := range []float64{1, 3} {
			v := experiment.Values{"exchange.revenue": 10 * x, "groups.acme.budget": 100}
			for _, n := range members {
				p := "bidders." + n + "."
				v[p+"bid_requests"], v[p+"wins"] = 100, 10*x
				v[p+"attributed_roas"], v[p+"incremental_roas"] = 4*x, 2*x
				v[p+"attributed_value"], v[p+"incremental_value"] = 40*x, 20*x
				v[p+"pending_conversions"], v[p+"eventual.incremental_value"] = pending*x, 20*x+pending*x
			}
			g := "groups.acme."
			v[g+"attributed_value"], v[g+"incremental_value"] = 80*x, 1361*x
			v[g+"pending_conversions"], v[g+"eventual.incremental_value"] = 2*pending*x, 1361*x+2*pending*x
			agg.Add(experiment.Item{Index: rep, Rep: rep, Values: v})
		}
		return RepsTable(&experiment.Result{Spec: &experiment.Spec{Scenario: "s", Seed: 1}, Agg: agg}, members)
	}
	table := build(7)
	row := ""
	for _, line := range strings.Split(table, "\n") {
		if n := ansi.StringWidth(line); n > 80 {
			t.Errorf("line of %d columns: %q", n, line)
		}
		if strings.HasPrefix(line, "acme (group)") {
			row = line // the last: the eventual table's
		}
	}
	// Each figure over the replications x and 3x: mean 2x, sd x√2.
	want := fmt.Sprintf("%-13s %12s %15s %15s", "acme (group)", FormatPM(stats.Of(28, 14*math.Sqrt2, 2)),
		FormatPM(stats.Of(2722, 1361*math.Sqrt2, 2)), FormatPM(stats.Of(2750, 1375*math.Sqrt2, 2)))
	if !strings.Contains(table, "\n                   pending     incr. value  incr. eventual\n") || row != want {
		t.Errorf("the group's eventual row %q, want %q, in\n%s", row, want, table)
	}
	if table := build(0); strings.Contains(table, "incr. eventual") {
		t.Errorf("an eventual table with nothing pending:\n%s", table)
	}
}

// TestRepsTableTruthIsIncremental: the true (model) column is the
// bidder's incremental ROAS, by person the test's own truth as well (the
// two are one figure since the bidder's is the truth with people), and
// no note explains two truths.
func TestRepsTableTruthIsIncremental(t *testing.T) {
	agg := experiment.NewAgg(1, false)
	for rep, x := range []float64{1, 3} {
		p := "bidders.shop."
		v := experiment.Values{"exchange.revenue": 10 * x, p + "bid_requests": 100, p + "wins": 10 * x,
			p + "attributed_roas": 4 * x, p + "incremental_roas": 2 * x, p + "attributed_value": 40 * x, p + "incremental_value": 20 * x,
			p + "holdout.measured_incremental_roas.mean": 2.5 * x, p + "holdout.measured_incremental_roas.lo": x,
			p + "holdout.measured_incremental_roas.hi": 4 * x, p + "holdout.true_incremental_roas": 2 * x}
		agg.Add(experiment.Item{Index: rep, Rep: rep, Values: v})
	}
	table := RepsTable(&experiment.Result{Spec: &experiment.Spec{Scenario: "s", Seed: 1}, Agg: agg}, []string{"shop"})
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, "shop") && strings.Contains(line, "[") && !strings.HasSuffix(line, FormatPM(stats.Of(4, math.Sqrt(8), 2))) {
			t.Errorf("the true column is not the incremental ROAS: %q", line)
		}
	}
	if strings.Contains(table, "by person, true (model)") {
		t.Errorf("a note on two truths:\n%s", table)
	}
}

// TestHeaders: a sweep's headers are whole paths when they all fit, else
// each the shortest suffix no other path shares that keeps a bidder's or
// group's name: never "total" for a budget.
func TestHeaders(t *testing.T) {
	got := headers([]string{"bidders.acme-retarget.budget.total", "bidders.acme-prospect.budget.total", "exchange.floor", "groups.acme.incremental_value"}, 12)
	want := []string{"acme-retarget.budget.total", "acme-prospect.budget.total", "floor", "acme.incremental_value"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("headers %q, want %q", got, want)
	}
	// Nor "total" for one budget alone: whose? Its owner stays, the
	// "bidders." before it goes.
	for _, c := range []struct{ paths, want []string }{
		{[]string{"bidders.acme-retarget.budget.total"}, []string{"acme-retarget.budget.total"}},
		{[]string{"bidders.acme-retarget.spend"}, []string{"acme-retarget.spend"}},
		{[]string{"groups.acme.spend", "bidders.acme-retarget.spend"}, []string{"acme.spend", "acme-retarget.spend"}},
	} {
		if got := headers(c.paths, 12); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("headers(%q) = %q, want %q", c.paths, got, c.want)
		}
	}
	// A statistic's name alone says nothing: the wait's mean is
	// wait_ms.mean, though "mean" is unique.
	got = headers([]string{"exchange.revenue_per_auction", "exchange.wait_ms.mean", "exchange.wait_ms.p95"}, 12)
	want = []string{"revenue_per_auction", "wait_ms.mean", "wait_ms.p95"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("headers %q, want %q", got, want)
	}
	// One shortened, every one is: not revenue_per_auction beside
	// exchange.fill_rate. Whole where all fit, and a theory column (no
	// shorter form) shortens none.
	for _, c := range []struct{ metrics, want []string }{
		{[]string{"exchange.revenue_per_auction", "exchange.fill_rate"}, []string{"revenue_per_auction", "fill_rate"}},
		{[]string{"exchange.fill_rate", "exchange.revenue_per_auction"}, []string{"fill_rate", "revenue_per_auction"}},
		{[]string{"exchange.revenue", "exchange.fill_rate"}, []string{"exchange.revenue", "exchange.fill_rate"}},
		{[]string{"exchange.fill_rate", "theory.revenue_per_auction"}, []string{"exchange.fill_rate", "theory rev/auction"}},
		{[]string{"since_change.revenue_per_auction", "exchange.revenue_per_auction"}, []string{"since change rev/auction", "revenue_per_auction"}},
	} {
		if got := metricHeaders(c.metrics, 20); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("metricHeaders(%q) = %q, want %q", c.metrics, got, c.want)
		}
	}
}

// Two replications with the same difference (sd 0) are no evidence: the
// verdict says it can't tell and how many replications would, not that
// the recommended split is better; with sd > 0 the interval decides.
func TestSplitVerdictDegenerate(t *testing.T) {
	r := &split.Result{Group: "acme", Objective: "incremental_value", Members: []string{"a", "b"},
		Current:     split.Side{Budgets: map[string]float64{"a": 50, "b": 50}, Objective: stats.Of(10, 1, 2)},
		Recommended: split.Side{Budgets: map[string]float64{"a": 60, "b": 40}, Objective: stats.Of(13, 1, 2)},
		Diff:        stats.Of(3, 0, 2)}
	out := SplitTable(r, 2, 10)
	if strings.Contains(out, "is better") || !strings.Contains(out, "can't tell") || !strings.Contains(out, "--reps 6") {
		t.Errorf("sd 0 over 2 replications:\n%s", out)
	}
	// A move the search could not tell for the same reason says so too.
	r.Undecided = &split.Undecided{From: "b", To: "a", Amount: 3, Diff: stats.Of(1, 0, 2), RepsNeeded: split.RepsNeeded(stats.Of(1, 0, 2))}
	if out := SplitTable(r, 2, 10); strings.Contains(out, "an interval holding 0") || !strings.Contains(out, "no evidence by itself") || !strings.Contains(out, "about 6 paired replications") {
		t.Errorf("an undecided move with sd 0 over 2 replications:\n%s", out)
	}
	r.Undecided = nil
	r.Diff = stats.Of(3, 0.01, 2)
	if out := SplitTable(r, 2, 10); !strings.Contains(out, "the recommended split is better") {
		t.Errorf("sd 0.01 over 2 replications around 3 should be better:\n%s", out)
	}
	m := experiment.ComparedMetric{Baseline: stats.Of(10, 1, 2), Variant: stats.Of(13, 1, 2), Diff: stats.Of(3, 0, 2)}
	if v := m.Verdict(2); !strings.Contains(v, "can't tell") || m.Differs() {
		t.Errorf("compare's verdict on sd 0 over 2 of varying sides: %q (differs %v)", v, m.Differs())
	}
	// Sides constant in every replication (a setting): the difference is exact.
	m.Baseline, m.Variant = stats.Of(10, 0, 2), stats.Of(13, 0, 2)
	if v := m.Verdict(2); v != "higher in the variant" || !m.Differs() {
		t.Errorf("compare's verdict on an exact difference: %q", v)
	}
}

// TestCompareNameColumnWidens: compare's default table widens the
// metric-name column to the longest name shown, so groups.* rows take one
// line each; within a known terminal width a longer name takes a line of
// its own, and piped (width 0) no name is cut or wrapped.
func TestCompareNameColumnWidens(t *testing.T) {
	rel := 0.5
	differ := experiment.ComparedMetric{Baseline: stats.Of(1, 0.1, 5), Variant: stats.Of(1.5, 0.1, 5),
		Diff: stats.Of(0.5, 0.01, 5), Relative: &rel}
	out := experiment.Comparison{Baseline: experiment.Side{Scenario: "a"}, Variant: experiment.Side{Scenario: "a"},
		Replications: 5, Seed: 1, Metric: "exchange.revenue", Metrics: map[string]experiment.ComparedMetric{
			"exchange.revenue": differ, "groups.acme.budget": differ,
			"groups.acme.incremental_value": differ, "groups.acme.attributed_roas": differ,
			"bidders.acme-lookalike.incremental_roas": differ,
		}}
	longest := len("bidders.acme-lookalike.incremental_roas")
	for _, width := range []int{0, 120} {
		table := CompareView{Width: width}.Table(out)
		for _, name := range []string{"groups.acme.incremental_value", "groups.acme.attributed_roas", "bidders.acme-lookalike.incremental_roas"} {
			// The name and its numbers on one line, the numbers aligned after the longest name.
			row := "  " + name + strings.Repeat(" ", longest-len(name)) + " "
			if !strings.Contains(table, row) || strings.Contains(table, "  "+name+"\n") {
				t.Errorf("width %d: %s not on one line in a column %d wide:\n%s", width, name, longest, table)
			}
		}
		for _, line := range strings.Split(table, "\n") {
			if width > 0 && len([]rune(line)) > width {
				t.Errorf("width %d: line of %d columns: %q", width, len([]rune(line)), line)
			}
		}
	}
	// At 80 columns the difference column is sized to its contents (21
	// cells for 13 wasted the room), so the groups' names keep their row;
	// the longest, past what is left, takes a line of its own.
	table := CompareView{Width: 80}.Table(out)
	if strings.Contains(table, "  groups.acme.incremental_value\n") || !strings.Contains(table, "  bidders.acme-lookalike.incremental_roas\n") {
		t.Errorf("80 columns:\n%s", table)
	}
	for _, line := range strings.Split(table, "\n") {
		if len([]rune(line)) > 80 {
			t.Errorf("80 columns: line of %d columns: %q", len([]rune(line)), line)
		}
		// The difference column right-aligned, two cells clear of the variant's.
		if strings.HasSuffix(line, "+50.0% *") && !strings.HasSuffix(line, "1.500  0.500 ± 0.012  +50.0% *") {
			t.Errorf("80 columns: row not sized to its difference: %q", line)
		}
	}
	// At 120, where every name fits beside it, the column keeps its 21.
	if table := (CompareView{Width: 120}).Table(out); !strings.Contains(table, strings.Repeat(" ", 9)+"difference") {
		t.Errorf("120 columns: the difference column narrowed:\n%s", table)
	}
}

// Split's comparison of the current and recommended splits keeps each
// metric on one line, its name whole, as compare's table does:
// groups.acme.attributed_value used to take a line of its own.
func TestSplitTableNamesOnTheirRow(t *testing.T) {
	m := experiment.ComparedMetric{Baseline: stats.Of(10, 1, 5), Variant: stats.Of(13, 1, 5), Diff: stats.Of(3, 0.5, 5)}
	names := []string{"groups.acme.spend", "groups.acme.attributed_value", "groups.a-long-advertiser-name.incremental_value"}
	r := &split.Result{Group: "acme", Objective: "incremental_value", Members: []string{"a", "b"},
		Current:     split.Side{Budgets: map[string]float64{"a": 50, "b": 50}, Objective: stats.Of(10, 1, 5)},
		Recommended: split.Side{Budgets: map[string]float64{"a": 60, "b": 40}, Objective: stats.Of(13, 1, 5)},
		Diff:        stats.Of(3, 0.5, 5), MetricOrder: names,
		Metrics: map[string]experiment.ComparedMetric{names[0]: m, names[1]: m, names[2]: m}}
	out := SplitTable(r, 5, 10)
	for _, name := range names {
		row := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, name) {
				row = l
			}
		}
		if !strings.Contains(row, " ± ") {
			t.Errorf("%s is not on its row:\n%s", name, out)
		}
	}
}

// TestSplitTableShortRuns: the table says how many of the runs were
// shortened, half the horizon or at twice the traffic scale, and says
// nothing when none were.
func TestSplitTableShortRuns(t *testing.T) {
	r := &split.Result{Group: "acme", Objective: "incremental_value", Members: []string{"a", "b"}, Runs: 42,
		Current:     split.Side{Budgets: map[string]float64{"a": 50, "b": 50}, Objective: stats.Of(10, 1, 3)},
		Recommended: split.Side{Budgets: map[string]float64{"a": 60, "b": 40}, Objective: stats.Of(13, 1, 3)},
		Diff:        stats.Of(3, 1, 3)}
	if out := SplitTable(r, 3, 10); strings.Contains(out, "of them") {
		t.Errorf("no short runs, the table says some:\n%s", out)
	}
	r.ThinnedRuns = 15
	if out := SplitTable(r, 3, 10); !strings.Contains(out, "42 runs,\n15 of them at twice the traffic scale") || strings.Contains(out, "half the horizon") {
		t.Errorf("15 thinned runs of 42:\n%s", out)
	}
	r.ThinnedRuns, r.HalfRuns = 0, 9
	if out := SplitTable(r, 3, 10); !strings.Contains(out, "42 runs,\n9 of them of half the horizon") || strings.Contains(out, "traffic scale") {
		t.Errorf("9 half runs of 42:\n%s", out)
	}
}

// TestSplitTableSaysSpendDiffers: on flight-week's globex, moving daily
// budget off a member whose total binds raises the group's spend by a
// sixth: the table says the verdict is not of one budget divided two
// ways, and says nothing when the spend is the same within chance or 1%.
func TestSplitTableSaysSpendDiffers(t *testing.T) {
	spend := experiment.ComparedMetric{Baseline: stats.Of(329.9, 0.5, 10), Variant: stats.Of(384.3, 0.5, 10), Diff: stats.Of(54.32, 0.18, 10)}
	r := &split.Result{Group: "globex", Objective: "incremental_value", Members: []string{"a", "b"}, Budget: split.Daily, Total: 55,
		Current:     split.Side{Budgets: map[string]float64{"a": 30, "b": 25}, Objective: stats.Of(650, 29, 10)},
		Recommended: split.Side{Budgets: map[string]float64{"a": 41, "b": 14}, Objective: stats.Of(736, 30, 10)},
		Diff:        stats.Of(86.5, 11, 10), MetricOrder: []string{"groups.globex.spend"},
		Metrics: map[string]experiment.ComparedMetric{"groups.globex.spend": spend}}
	r.Curves = []split.Curve{{Member: "a", Points: []split.CurvePoint{{Budget: 41, Objective: stats.Of(736, 30, 3), Recommended: true}}}}
	out := SplitTable(r, 10, 10)
	// The objective is the flight's, the budget a day's: the marginal's
	// unit says so.
	if !strings.Contains(out, "per unit of daily budget since") || !strings.Contains(out, "a unit of daily budget is one every day of the flight: the marginal is not per unit spent") {
		t.Errorf("a daily split's marginal, its unit unsaid:\n%s", out)
	}
	// The curve's column says which budget.
	if !strings.Contains(out, "  daily budget      incremental_value   marginal      − * (paired)\n") {
		t.Errorf("a daily split's curve header:\n%s", out)
	}
	if !strings.Contains(out, "note: the recommended split spends 54.32 ± 0.13 more (+16.5%) than the current (groups.globex.spend)") ||
		!strings.Contains(out, "not of one budget") {
		t.Errorf("spend +16.5%%, no note:\n%s", out)
	}
	// Within a width the note wraps as one paragraph: it broke after
	// "(groups.globex.spend):" and began its second sentence unindented.
	out = SplitTableWidth(r, 10, 10, 100)
	if !strings.Contains(out, "(groups.globex.spend): a member's total") && !strings.Contains(out, "(groups.globex.spend):\n    a member's total") ||
		strings.Contains(out, "\n  a member's total") || strings.Contains(out, "\n  divided two ways") {
		t.Errorf("the note within 100 columns:\n%s", out)
	}
	r.Objective = "incremental_profit"
	if out := SplitTable(r, 10, 10); strings.Contains(out, "--objective incremental_profit") || !strings.Contains(out, "the objective, a profit, weighs the spend") {
		t.Errorf("a profit objective told to use one:\n%s", out)
	}
	spend.Diff = stats.Of(-0.36, 0.1, 10) // beyond chance, but 0.1%
	r.Metrics["groups.globex.spend"] = spend
	if out := SplitTable(r, 10, 10); strings.Contains(out, "note: the recommended split spends") {
		t.Errorf("spend -0.1%%, a note:\n%s", out)
	}
	spend.Diff = stats.Of(20, 40, 10) // within chance
	r.Metrics["groups.globex.spend"] = spend
	if out := SplitTable(r, 10, 10); strings.Contains(out, "note: the recommended split spends") {
		t.Errorf("spend within chance, a note:\n%s", out)
	}
}

// TestSplitTableMeasuredObjective: the measured objective is split's own
// derivation, not a metric: the header does not name a
// groups.G.measured_incremental_value that compare --metric would
// refuse, and its long label keeps the columns aligned.
func TestSplitTableMeasuredObjective(t *testing.T) {
	r := &split.Result{Group: "globex", Objective: split.Measured, Members: []string{"globex-front", "globex-capped"},
		Current:     split.Side{Budgets: map[string]float64{"globex-front": 30, "globex-capped": 25}, Objective: stats.Of(703.71, 55, 10)},
		Recommended: split.Side{Budgets: map[string]float64{"globex-front": 41, "globex-capped": 14}, Objective: stats.Of(798.64, 55, 10)},
		Diff:        stats.Of(94.93, 39.6, 10)}
	r.Curves = []split.Curve{{Member: "globex-front", Points: []split.CurvePoint{{Budget: 41, Objective: stats.Of(798.64, 55, 3), Recommended: true}}}}
	out := SplitTable(r, 10, 10)
	if !strings.Contains(out, "        budget measured_incremental_value   marginal      − * (paired)\n") ||
		!strings.Contains(out, "         41.00            798.64 ± 136.63") {
		t.Errorf("the curve's columns with a long objective:\n%s", out)
	}
	if strings.Contains(out, "groups.globex.measured_incremental_value") || !strings.Contains(out, "derived per run from each member's holdout") {
		t.Errorf("the measured objective named as a metric:\n%s", out)
	}
	// Each row's recommended column ends where the header's does.
	var ends []int
	table, _, _ := strings.Cut(out, "recommended − current")
	for _, l := range strings.Split(table, "\n") {
		if strings.HasPrefix(l, "  ") && (strings.Contains(l, "recommended") && strings.Contains(l, "current") && !strings.Contains(l, ":") ||
			strings.HasPrefix(strings.TrimSpace(l), "globex-") || strings.HasPrefix(strings.TrimSpace(l), split.Measured)) {
			ends = append(ends, len([]rune(l)))
		}
	}
	if len(ends) != 4 {
		t.Fatalf("found %d rows of the splits' table, want 4:\n%s", len(ends), out)
	}
	for _, e := range ends[1:] {
		if e != ends[0] {
			t.Errorf("rows end at %v: not aligned:\n%s", ends, out)
			break
		}
	}
}

// TestSplitTableKeptCurrent: when the search makes no move the table says
// it kept the current split, not that the split is "not
// distinguishable" from itself at 0.00 ± 0.00.
func TestSplitTableKeptCurrent(t *testing.T) {
	same := map[string]float64{"a": 50, "b": 50}
	r := &split.Result{Group: "acme", Objective: "incremental_value", Members: []string{"a", "b"},
		Current:     split.Side{Budgets: same, Objective: stats.Of(10, 1, 4)},
		Recommended: split.Side{Budgets: maps.Clone(same), Objective: stats.Of(10, 1, 4), Set: []string{"bidders.a.budget.total=50"}},
		Diff:        stats.Of(0, 0, 4)}
	out := SplitTable(r, 4, 10)
	// Nor its flags, which would restate the scenario's own split
	// (rounded, where --duration scaled it: 200.4 for 200).
	if !strings.Contains(out, "the search kept the current split") || strings.Contains(out, "recommended − current: 0.00 ± 0.00") ||
		strings.Contains(out, "as --set flags") {
		t.Errorf("no move made:\n%s", out)
	}
	r.Recommended.Budgets = map[string]float64{"a": 60, "b": 40}
	if out := SplitTable(r, 4, 10); strings.Contains(out, "kept the current split") || !strings.Contains(out, "search's best − current:") ||
		!strings.Contains(out, "as --set flags") {
		t.Errorf("a move made:\n%s", out)
	}
}

// TestCompareTablePrecisionInterrupted: an interrupted compare
// --precision says whose replications its intervals are: the rule's own
// when it was cut short before the fresh ones, the fresh ones so far
// after, never "as many fresh ones" that were not run.
func TestCompareTablePrecisionInterrupted(t *testing.T) {
	rel, target, fresh := 0.5, 0.01, uint64(9)
	m := experiment.ComparedMetric{Baseline: stats.Stat{Mean: 1, SD: 0.1, N: 40}, Variant: stats.Stat{Mean: 1.5, SD: 0.1, N: 40},
		Diff: stats.Stat{Mean: 0.5, SD: 0.01, N: 40, Lo: 0.49, Hi: 0.51}, Relative: &rel}
	out := experiment.Comparison{
		Baseline: experiment.Side{Scenario: "a"}, Variant: experiment.Side{Scenario: "a", Changes: []string{"exchange.floor=0.3"}},
		Replications: 40, Seed: 1, Partial: true, Metric: "exchange.revenue", Precision: &target,
		Metrics: map[string]experiment.ComparedMetric{"exchange.revenue": m},
	}
	table := strings.Join(strings.Fields(CompareTable(out)), " ")
	if !strings.Contains(table, "interrupted while the rule ran: these intervals are its own replications'") ||
		strings.Contains(table, "as many fresh ones") {
		t.Errorf("interrupted in the rule:\n%s", CompareTable(out))
	}
	out.FreshSeed, out.Decided, out.Replications = &fresh, 60, 25
	table = strings.Join(strings.Fields(CompareTable(out)), " ")
	if !strings.Contains(table, "(60 replications decided by the rule, then 25 fresh ones for these intervals before the interrupt)") {
		t.Errorf("interrupted in the fresh runs:\n%s", CompareTable(out))
	}
	out.Partial, out.Decided, out.Replications = false, 60, 60
	table = strings.Join(strings.Fields(CompareTable(out)), " ")
	if !strings.Contains(table, "(60 replications decided by the rule, then as many fresh ones for these intervals)") {
		t.Errorf("whole:\n%s", CompareTable(out))
	}
}

// TestSplitMarginalAtABound: a member recommended at 0 or the whole sum
// has no point beyond: its marginal is one-sided and the table says so,
// not "central difference".
func TestSplitMarginalAtABound(t *testing.T) {
	m := 4.5
	curve := func(rec int) split.Curve {
		c := split.Curve{Member: "a", MarginalAtRecommended: &m}
		for i, b := range []float64{0, 20, 40} {
			c.Points = append(c.Points, split.CurvePoint{Budget: b, Objective: stats.Of(float64(i), 1, 3), Recommended: i == rec})
		}
		return c
	}
	r := &split.Result{Group: "acme", Objective: "incremental_value", Members: []string{"a", "b"}, Total: 40,
		Current:     split.Side{Budgets: map[string]float64{"a": 20, "b": 20}, Objective: stats.Of(10, 1, 3)},
		Recommended: split.Side{Budgets: map[string]float64{"a": 40, "b": 0}, Objective: stats.Of(13, 1, 3)},
		Diff:        stats.Of(3, 1, 3)}
	for rec, want := range map[int]string{0: "(one-sided, at a bound) 4.500", 1: "(central difference) 4.500", 2: "(one-sided, at a bound) 4.500"} {
		r.Curves = []split.Curve{curve(rec)}
		if out := SplitTable(r, 3, 10); !strings.Contains(out, "a: marginal at the recommendation "+want) {
			t.Errorf("recommended at point %d: want %q in\n%s", rec, want, out)
		}
	}
}

// TestSplitTableFitsTheTerminal: on an 80- or 60-column terminal no
// line of split's prose is wider than the terminal, by display width (a
// wide-character group or bidder name takes two columns a character):
// it wraps at spaces, and the comparison's long names take a line of
// their own, as compare's do. The tables' rows and the --set flags pass
// through whole, their columns kept, however narrow the terminal (it
// folds them; re-flowed at spaces they were scrambled). Piped (width 0)
// the table is as it was, SplitTable's.
func TestSplitTableFitsTheTerminal(t *testing.T) {
	m := experiment.ComparedMetric{Baseline: stats.Of(10, 1, 5), Variant: stats.Of(13, 1, 5), Diff: stats.Of(3, 0.5, 5)}
	marginal := 0.5
	for _, g := range []struct{ group, retarget, prospect string }{
		{"acme", "acme-retarget", "acme-prospect"},
		{"広告主", "広告主-リターゲティング", "広告主-見込み客"},
	} {
		names := []string{"groups." + g.group + ".spend", "groups." + g.group + ".attributed_value", "groups." + g.group + ".incremental_value"}
		set := []string{"bidders." + g.retarget + ".budget.total=180", "bidders." + g.prospect + ".budget.total=420"}
		r := &split.Result{Group: g.group, Objective: "incremental_value", Members: []string{g.retarget, g.prospect},
			Total: 120, Steps: []float64{48, 24}, Rounds: 2, Runs: 93, ThinnedRuns: 30, SetScale: 0.2, CurveReps: 3,
			Current: split.Side{Budgets: map[string]float64{g.retarget: 60, g.prospect: 60}, Objective: stats.Of(10, 1, 5)},
			Recommended: split.Side{Budgets: map[string]float64{g.retarget: 36, g.prospect: 84}, Objective: stats.Of(13, 1, 5),
				Set: set},
			Diff: stats.Of(3, 0.5, 5), MetricOrder: names,
			Metrics:   map[string]experiment.ComparedMetric{names[0]: m, names[1]: m, names[2]: m},
			Undecided: &split.Undecided{From: g.retarget, To: g.prospect, Amount: 24, Diff: stats.Of(20, 28, 4), RepsNeeded: 6},
			Curves: []split.Curve{{Member: g.retarget, MarginalAtRecommended: &marginal, FlatFrom: 0, FlatTo: 60,
				Points: []split.CurvePoint{{Budget: 0, Objective: stats.Of(9, 1, 3)}, {Budget: 36, Objective: stats.Of(13, 1, 3), Marginal: &marginal, Recommended: true}}}}}
		if got, want := SplitTableWidth(r, 4, 24, 0), SplitTable(r, 4, 24); got != want {
			t.Errorf("piped, the table changed:\n%s\nwant\n%s", got, want)
		}
		// The comparison's rows as compareRowW lays them out: the name
		// column compareNameW wide at 80 columns and below, the numbers
		// the same in each row (one m); its interval excludes 0: *.
		header := fmt.Sprintf("  %-*s %10s %10s %21s %7s\n", compareNameW, "metric", "baseline", "variant", "difference", "rel.")
		numbers := fmt.Sprintf(" %10s %10s %21s %7s *", FormatNum(m.Baseline.Mean), FormatNum(m.Variant.Mean), FormatPM(m.Diff), fmtRel(m))
		for _, width := range []int{80, 60} {
			out := SplitTableWidth(r, 4, 24, width)
			lines := strings.Split(out, "\n")
			// The members' table: its header, a row a member and the
			// objective's, each ending where the header does, whatever
			// the names' characters.
			members := -1
			for i, line := range lines {
				if slices.Equal(strings.Fields(line), []string{"current", "recommended"}) {
					members = i
				}
			}
			if members < 0 || members+4 > len(lines) {
				t.Fatalf("%s at %d columns, no members' table:\n%s", g.group, width, out)
			}
			for _, row := range lines[members+1 : members+4] {
				if ansi.StringWidth(row) != ansi.StringWidth(lines[members]) {
					t.Errorf("%s at %d columns, the members' rows misaligned:\n%s\n%s", g.group, width, lines[members], row)
				}
			}
			for i, line := range lines {
				row := i >= members && i < members+4 || line+"\n" == header || strings.HasSuffix(line, numbers) || strings.HasPrefix(line, "  --set ") || strings.HasPrefix(line, "    auctionsim compare ") // commands to copy pass whole
				if ansi.StringWidth(line) > width && !row {
					t.Errorf("%s, a line of %d columns at %d: %q", g.group, ansi.StringWidth(line), width, line)
				}
			}
			whole := []string{
				header,
				"  --set " + strings.Join(set, " --set ") + "\n",
				"  " + names[2] + "\n" + strings.Repeat(" ", 2+compareNameW) + numbers + "\n", // its own line, its numbers below
				"(" + names[2] + ")", // the objective's metric, not cut
			}
			if ansi.StringWidth(names[0]) <= compareNameW {
				whole = append(whole, "  "+format.Fit(names[0], compareNameW)+numbers+"\n")
			}
			for _, w := range whole {
				if !strings.Contains(out, w) {
					t.Errorf("%s at %d columns, no %q:\n%s", g.group, width, w, out)
				}
			}
		}
	}
}

// TestComparePairingNarrower: when pairing made the interval wider (the
// sides moved against each other), the pairing line says the unpaired
// one is narrower, not that it is "0.8× wider".
func TestComparePairingNarrower(t *testing.T) {
	unpaired := 19.61
	m := experiment.ComparedMetric{Baseline: stats.Of(156.7, 5, 3), Variant: stats.Of(170, 5, 3),
		Diff: stats.Of(13, 10.5, 3), UnpairedHalfWidth: &unpaired}
	out := experiment.Comparison{Baseline: experiment.Side{Scenario: "a"}, Variant: experiment.Side{Scenario: "a"},
		Replications: 3, Seed: 1, Metric: "groups.acme.incremental_value",
		Metrics: map[string]experiment.ComparedMetric{"groups.acme.incremental_value": m}}
	table := CompareView{}.Table(out)
	if strings.Contains(table, "0.8× wider") || !strings.Contains(table, "1.3× narrower: pairing did not help here") {
		t.Errorf("pairing that widened the interval:\n%s", table)
	}
	unpaired = 3 * m.Diff.HalfWidth()
	if table := (CompareView{}).Table(out); !strings.Contains(table, "(3.0× wider)") {
		t.Errorf("pairing that narrowed it 3×:\n%s", table)
	}
}

// TestSplitTableCurvesContradict: when a response curve's point is better
// than the recommendation beyond chance on the paired replications (the
// search stopped short, as a noisy measured objective makes it), the table
// says so once, naming the point, rather than print a recommendation its
// own curves contradict; each point's paired difference is in its row.
func TestSplitTableCurvesContradict(t *testing.T) {
	marginal := -20.879
	mi := stats.Of(marginal, 5.3, 3)
	rec := split.CurvePoint{Budget: 22.5, Objective: stats.Of(887.39, 88, 3), Marginal: &marginal, Recommended: true, VsRecommended: stats.Of(0, 0, 3)}
	r := &split.Result{Group: "north", Objective: split.Measured, Members: []string{"north-retarget", "north-prospect"}, Budget: split.Daily, Total: 50, CurveReps: 3,
		Current:     split.Side{Budgets: map[string]float64{"north-retarget": 25, "north-prospect": 25}, Objective: stats.Of(961.71, 152, 10)},
		Recommended: split.Side{Budgets: map[string]float64{"north-retarget": 22.5, "north-prospect": 27.5}, Objective: stats.Of(976.71, 141, 10)},
		Diff:        stats.Of(14.99, 65, 10),
		Curves: []split.Curve{{Member: "north-retarget", MarginalAtRecommended: &marginal, MarginalInterval: &mi, FlatFrom: 22.5, FlatTo: 25, Points: []split.CurvePoint{
			{Budget: 0, Objective: stats.Of(1169.15, 51, 3), VsRecommended: stats.Of(281.76, 42.6, 3)},
			{Budget: 20, Objective: stats.Of(958.24, 90, 3), VsRecommended: stats.Of(70.85, 2.7, 3)},
			rec,
			{Budget: 25, Objective: stats.Of(853.84, 117, 3), VsRecommended: stats.Of(-33.55, 29, 3)},
		}}}}
	// What split decided (its tests check the deciding): the table says it.
	r.AboveRecommendation = &split.CurvesAbove{Compared: 3, Points: []split.AbovePoint{
		{Member: "north-retarget", Budget: 0, Budgets: map[string]float64{"north-retarget": 0, "north-prospect": 50}, VsRecommended: r.Curves[0].Points[0].VsRecommended},
		{Member: "north-retarget", Budget: 20, Budgets: map[string]float64{"north-retarget": 20, "north-prospect": 30}, VsRecommended: r.Curves[0].Points[1].VsRecommended},
	}}
	out := SplitTable(r, 10, 2.5)
	for _, want := range []string{
		"marginal at the search's best (central difference) -20.879 ± 13.166;",
		"flat (the paired replications cannot tell it from *) from 22.50 to 25.00",
		// Not "above the recommendation": the verdict cannot tell the
		// search's split from the current one, so it is no recommendation.
		"  ! the curves put a split above the search's best: north-retarget at 0.00",
		"gives measured_incremental_value +281.76 ± 105.82 more (95%, paired, 3 replications;\n  one of 3 points compared, so it may be chance)",
		"          0.00           1169.15 ± 126.69          –  +281.76 ± 105.82\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if n := strings.Count(out, "! the curves put a split above"); n != 1 {
		t.Errorf("the note %d times:\n%s", n, out)
	}
	// No point better beyond chance: no note.
	r.Curves[0].Points[0].VsRecommended = stats.Of(281.76, 200, 3)
	r.Curves[0].Points[1].VsRecommended = stats.Of(70.85, 90, 3)
	r.AboveRecommendation.Points = nil
	if out := SplitTable(r, 10, 2.5); strings.Contains(out, "! the curves put") {
		t.Errorf("a note without a point better beyond chance:\n%s", out)
	}
}

// TestCompareTableFoldsTwins: compare's list of differences shows each
// effect once. A bidder's win_rate_per_auction the same in every
// statistic as its win_rate (a world that asks it in every auction), and
// its counterfactual.surplus as its surplus (no strategy change), are
// left out of it and said so; a pair that differs (another bidder, not
// asked in every auction) keeps both; --metrics shows a twin when asked.
// The list held both of each pair before.
func TestCompareTableFoldsTwins(t *testing.T) {
	rel := 0.5
	differ := func(mean float64) experiment.ComparedMetric {
		return experiment.ComparedMetric{Baseline: stats.Stat{Mean: mean, SD: 0.1, N: 5}, Variant: stats.Stat{Mean: 1.5 * mean, SD: 0.1, N: 5},
			Diff: stats.Stat{Mean: 0.5 * mean, SD: 0.01, N: 5, Lo: 0.49 * mean, Hi: 0.51 * mean}, Relative: &rel}
	}
	out := experiment.Comparison{
		Baseline: experiment.Side{Scenario: "a"}, Variant: experiment.Side{Scenario: "a"},
		Replications: 5, Seed: 1, Metric: "exchange.revenue", Metrics: map[string]experiment.ComparedMetric{
			"exchange.revenue":                   differ(10),
			"bidders.ada.win_rate":               differ(0.2),
			"bidders.ada.win_rate_per_auction":   differ(0.2),
			"bidders.ada.surplus":                differ(3),
			"bidders.ada.counterfactual.surplus": differ(3),
			"bidders.bo.win_rate":                differ(0.3),
			"bidders.bo.win_rate_per_auction":    differ(0.25),
			"bidders.bo.counterfactual.auctions": differ(100),
			"bidders.win_rate_per_auction.wins":  differ(7), // a bidder named as a metric is no twin
		},
	}
	table := CompareView{}.Table(out)
	for _, want := range []string{
		"differences whose interval excludes 0 (6):",
		"  bidders.ada.win_rate ", "  bidders.ada.surplus ",
		"  bidders.bo.win_rate ", "  bidders.bo.win_rate_per_auction ",
		// The pairs in the order of the rows they fold into.
		"  + 2 not listed, each the same in every statistic as the metric it repeats:\n    win_rate_per_auction = win_rate; counterfactual.surplus = surplus\n",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("no %q in\n%s", want, table)
		}
	}
	for _, not := range []string{"  bidders.ada.win_rate_per_auction ", "  bidders.ada.counterfactual.surplus "} {
		if strings.Contains(table, not) {
			t.Errorf("%q listed beside its twin:\n%s", not, table)
		}
	}
	asked := CompareView{Metrics: []string{"bidders.ada.win_rate_per_auction"}}.Table(out)
	if !strings.Contains(asked, "  bidders.ada.win_rate_per_auction ") {
		t.Errorf("--metrics bidders.ada.win_rate_per_auction does not show it:\n%s", asked)
	}
	// compare --variant: each variant's list folds them too, said in a
	// line, its share of the 40 lines short.
	out.Variants = []experiment.VariantComparison{{Name: "a", Changes: []string{"exchange.floor=0.3"}, Metrics: out.Metrics}}
	table = CompareView{}.Table(out)
	if !strings.Contains(table, "other differences whose interval excludes 0: 6;") ||
		!strings.Contains(table, "  + 2 not listed, each the same in every statistic as the metric it repeats\n") ||
		strings.Contains(table, "  bidders.ada.win_rate_per_auction ") {
		t.Errorf("compare --variant lists twins:\n%s", table)
	}
}

// TestSplitCurvesNameTheEventualFigure: the response curves' header and
// columns name the figure they plot, the objective's eventual one
// (split.Result.Metric), and say it counts the conversions pending at
// the stop; the measured objective stays as named.
func TestSplitCurvesNameTheEventualFigure(t *testing.T) {
	rec := split.CurvePoint{Budget: 30, Objective: stats.Of(500, 20, 3), Recommended: true, VsRecommended: stats.Of(0, 0, 3)}
	r := &split.Result{Group: "acme", Objective: "incremental_value", Metric: "groups.acme.eventual.incremental_value",
		Members: []string{"a", "b"}, Budget: split.Total, Total: 60, CurveReps: 3,
		Current:     split.Side{Budgets: map[string]float64{"a": 30, "b": 30}, Objective: stats.Of(500, 20, 10)},
		Recommended: split.Side{Budgets: map[string]float64{"a": 30, "b": 30}, Objective: stats.Of(500, 20, 10)},
		Diff:        stats.Of(0, 1, 10),
		Curves: []split.Curve{{Member: "a", FlatFrom: 0, FlatTo: 60, Points: []split.CurvePoint{
			{Budget: 0, Objective: stats.Of(400, 20, 3), VsRecommended: stats.Of(-100, 20, 3)}, rec}}}}
	out := SplitTable(r, 10, 15)
	for _, want := range []string{
		"the group's eventual.incremental_value against each member's budget\n(eventual: the conversions still pending at each run's stop counted),\n",
		"marginal = eventual.incremental_value added per unit",
		"        budget eventual.incremental_value   marginal",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	r.Objective, r.Metric = split.Measured, "groups.acme."+split.Measured
	if out := SplitTable(r, 10, 15); !strings.Contains(out, "the group's measured_incremental_value against") || strings.Contains(out, "(eventual:") {
		t.Errorf("measured:\n%s", out)
	}
}

// TestSplitHeadlineRowNamesItsFigure: the current/recommended table's
// headline row is labelled with the figure it shows, the objective's
// eventual one, not with the objective's name, which the metrics table
// below uses for the matured figure (two values under one name); so are
// the notes that say what a difference is of. The measured objective
// keeps its name.
func TestSplitHeadlineRowNamesItsFigure(t *testing.T) {
	r := &split.Result{Group: "acme", Objective: "incremental_value", Metric: "groups.acme.eventual.incremental_value",
		Members: []string{"a", "b"}, Budget: split.Total, Total: 60,
		Current:     split.Side{Budgets: map[string]float64{"a": 30, "b": 30}, Objective: stats.Of(1418.9, 20, 10)},
		Recommended: split.Side{Budgets: map[string]float64{"a": 20, "b": 40}, Objective: stats.Of(1732.1, 20, 10)},
		Diff:        stats.Of(313.2, 20, 10),
		Undecided:   &split.Undecided{From: "a", To: "b", Amount: 3, Diff: stats.Of(1, 5, 4), RepsNeeded: 30},
		AboveRecommendation: &split.CurvesAbove{Compared: 2, Points: []split.AbovePoint{
			{Member: "a", Budget: 25, VsRecommended: stats.Of(9, 2, 3)}}},
		CurveReps: 3, Curves: []split.Curve{{Member: "a", FlatFrom: 0, FlatTo: 60, Points: []split.CurvePoint{
			{Budget: 20, Objective: stats.Of(1732.1, 20, 3), Recommended: true, VsRecommended: stats.Of(0, 0, 3)}}}}}
	for _, width := range []int{0, 80} {
		out := SplitTableWidth(r, 10, 15, width)
		var row string
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "1,418.90 ±") || strings.Contains(l, "1418.90 ±") {
				row = l
			}
		}
		if !strings.HasPrefix(row, "  eventual.incremental_value ") {
			t.Errorf("width %d: the headline row %q is not labelled eventual.incremental_value:\n%s", width, row, out)
		}
		for _, want := range []string{"changes eventual.incremental_value by", "gives eventual.incremental_value +9"} {
			// Prose wraps on a terminal: compared word by word.
			if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
				t.Errorf("width %d: no %q in\n%s", width, want, out)
			}
		}
	}
	r.Objective, r.Metric = split.Measured, "groups.acme."+split.Measured
	if out := SplitTable(r, 10, 15); !strings.Contains(out, "\n  measured_incremental_value ") {
		t.Errorf("measured:\n%s", out)
	}
}

// TestCompareHeadlineSaysEventual: a headline on an eventual figure (a
// move's default) says which conversions it counts and names the matured
// figure beside it; another headline says nothing of it.
func TestCompareHeadlineSaysEventual(t *testing.T) {
	m := experiment.ComparedMetric{Baseline: stats.Of(100, 5, 3), Variant: stats.Of(110, 5, 3), Diff: stats.Of(10, 3, 3)}
	out := experiment.Comparison{Baseline: experiment.Side{Scenario: "a"}, Variant: experiment.Side{Scenario: "a"},
		Replications: 3, Seed: 1, Metric: "groups.acme.eventual.incremental_value",
		Metrics: map[string]experiment.ComparedMetric{"groups.acme.eventual.incremental_value": m, "groups.acme.incremental_value": m}}
	want := "  (eventual: the conversions still pending at each run's stop counted, as split\n  decides; groups.acme.incremental_value counts those matured by then)\n"
	if table := (CompareView{}).Table(out); !strings.Contains(table, want) {
		t.Errorf("no %q in\n%s", want, table)
	}
	out.Metric = "groups.acme.incremental_value"
	if table := (CompareView{}).Table(out); strings.Contains(table, "eventual:") {
		t.Errorf("a matured headline says eventual:\n%s", table)
	}
}

// TestCompareListsTheExchangeFirst: compare's list of differences reads
// from the market down. A bidder switched off is one line, not its
// −100% rows; the exchange's mean clearing price, the lesson, is listed
// before any bidder's larger relative difference; counterfactual figures
// come after the bidders'; and an exchange with more differences than
// the list holds leaves the bidders rows. Before, one list by relative
// size led with the switched-off bidder's rows and the counterfactuals
// and had no room for the exchange's.
func TestCompareListsTheExchangeFirst(t *testing.T) {
	differ := func(base, variant float64) experiment.ComparedMetric {
		d := variant - base
		h := math.Abs(d)/100 + 1e-9
		rel := d / base
		return experiment.ComparedMetric{Baseline: stats.Stat{Mean: base, SD: 0.1, N: 5}, Variant: stats.Stat{Mean: variant, SD: 0.1, N: 5},
			Diff: stats.Stat{Mean: d, SD: h, N: 5, Lo: d - h, Hi: d + h}, Relative: &rel}
	}
	exact := func(base, variant float64) experiment.ComparedMetric {
		d := variant - base
		rel := d / base
		return experiment.ComparedMetric{Baseline: stats.Stat{Mean: base, N: 5, Lo: base, Hi: base}, Variant: stats.Stat{Mean: variant, N: 5, Lo: variant, Hi: variant},
			Diff: stats.Stat{Mean: d, N: 5, Lo: d, Hi: d}, Relative: &rel}
	}
	metrics := map[string]experiment.ComparedMetric{
		"exchange.revenue":             differ(13.3, 12),
		"exchange.mean_clearing_price": differ(0.667, 0.600),
		"theory.mean_clearing_price":   exact(0.667, 0.600),
		"bidders.eli.enabled":          exact(1, 0),
		"bidders.eli.wins":             differ(19914, 0),
		"bidders.eli.spend":            differ(13.29, 0),
	}
	for _, f := range []string{"bids", "bid_requests", "on_time", "value", "surplus", "surplus_per_auction", "payment_per_auction",
		"win_rate", "counterfactual.auctions", "counterfactual.truthful_surplus", "counterfactual.equilibrium_surplus"} {
		metrics["bidders.eli."+f] = differ(3, 0)
	}
	for _, b := range []string{"ada", "bo", "cyd", "dana"} {
		metrics["bidders."+b+".surplus"] = differ(3.3, 5)
		metrics["bidders."+b+".wins"] = differ(20000, 25000)
		metrics["theory.bidders."+b+".surplus_per_auction"] = exact(0.0333, 0.05)
		metrics["bidders."+b+".counterfactual.equilibrium_surplus"] = differ(50, 106)
	}
	out := experiment.Comparison{
		Baseline: experiment.Side{Scenario: "classroom-vickrey"}, Variant: experiment.Side{Scenario: "classroom-vickrey", Changes: []string{"bidders.eli.disabled=true"}},
		Replications: 5, Seed: 1, Metric: "exchange.revenue", Metrics: metrics,
	}
	table := CompareView{}.Table(out)
	if !strings.Contains(table, "  bidders.eli switched off: wins 19914 → 0, spend 13.29 → 0; 13 more not listed\n") {
		t.Errorf("no line for the switched-off bidder in\n%s", table)
	}
	if strings.Contains(table, "  bidders.eli.") {
		t.Errorf("the switched-off bidder's rows are listed:\n%s", table)
	}
	at := func(s string) int {
		i := strings.Index(table, s)
		if i < 0 {
			t.Fatalf("no %q in\n%s", s, table)
		}
		return i
	}
	// The closed form's −10%, exact, before the simulation's, which its
	// noise vouches for a little less of (RelativeFloor).
	if !(at("  the exchange:\n") < at("  theory.mean_clearing_price ") &&
		at("  theory.mean_clearing_price ") < at("  exchange.mean_clearing_price ") &&
		at("  exchange.mean_clearing_price ") < at("  bidders:\n") &&
		at("  bidders:\n") < at("  bidders.eli switched off") &&
		at("  bidders.eli switched off") < at("  bidders.ada.surplus ") &&
		at("  bidders.dana.wins ") < at("  counterfactual: ") &&
		at("  counterfactual: ") < at("  bidders.ada.counterfactual.equilibrium_surplus ")) {
		t.Errorf("not in the order exchange, bidders, counterfactual:\n%s", table)
	}

	// compare --variant's list alike, without headings.
	out.Variants = []experiment.VariantComparison{{Name: "off", Changes: out.Variant.Changes, Metrics: metrics}}
	vt := CompareView{}.Table(out)
	if !strings.Contains(vt, "  bidders.eli switched off: wins 19914 → 0") || strings.Contains(vt, "  bidders.eli.") ||
		!(strings.Index(vt, "  exchange.mean_clearing_price ") < strings.Index(vt, "  bidders.ada.")) {
		t.Errorf("compare --variant lists the switched-off bidder's rows, or a bidder's before the exchange's:\n%s", vt)
	}

	// Forty exchange differences, larger than any bidder's: the list
	// still shows bidders, and says what it cut.
	out.Variants = nil
	for i := range 40 {
		metrics[fmt.Sprintf("exchange.m%02d", i)] = differ(1, 10)
	}
	table = CompareTable(out)
	if n := strings.Count(table, "\n"); n > 40 {
		t.Errorf("%d lines, more than 40:\n%s", n, table)
	}
	if !strings.Contains(table, "  bidders.ada.surplus ") || !strings.Contains(table, " of 42 shown):\n") {
		t.Errorf("the exchange's differences leave the bidders no row, or do not say they were cut:\n%s", table)
	}
}

// TestSplitRecommendationFollowsVerdict: a split the fresh replications
// cannot tell from the current one (or put below it) is not recommended:
// the table calls it the search's best and recommends keeping the current
// split, as the JSON's "advice" does; only a split shown better is
// "recommended". The table once recommended a split its own verdict read
// "not distinguishable from the current split".
func TestSplitRecommendationFollowsVerdict(t *testing.T) {
	r := &split.Result{Group: "north", Objective: "incremental_value", Members: []string{"a", "b"}, FreshSeed: 7,
		Current:     split.Side{Budgets: map[string]float64{"a": 25, "b": 25}, Objective: stats.Of(961.71, 152, 10), Set: []string{"bidders.a.budget.total=25", "bidders.b.budget.total=25"}},
		Recommended: split.Side{Budgets: map[string]float64{"a": 22.5, "b": 27.5}, Objective: stats.Of(976.71, 141, 10), Set: []string{"bidders.a.budget.total=22.5", "bidders.b.budget.total=27.5"}},
		Diff:        stats.Of(14.99, 65, 10)}
	for _, c := range []struct {
		diff            stats.Stat
		verdict, advice string
		want, wantNot   []string
	}{
		{stats.Of(14.99, 65, 10), split.VerdictAlike, split.AdviceKeepCurrent,
			[]string{"search's best − current: +14.99 ± 46.50 (95%, paired): not distinguishable from the current split",
				"recommendation: keep the current split", "10 fresh replications cannot tell it from the current split",
				// n with t(0.975, n−1)·65/√n < 14.99: (1.99·65/14.99)² ≈ 74.5.
				"about 75 replications would tell them apart", "the search's best split, as --set flags"},
			[]string{"recommended − current", "the recommended split, as --set flags"}},
		{stats.Of(-40, 20, 10), split.VerdictWorse, split.AdviceKeepCurrent,
			[]string{"recommendation: keep the current split", "10 fresh replications put it below the current split"},
			[]string{"recommended − current", "replications would tell them apart"}},
		{stats.Of(3, 0, 3), split.VerdictNoEvidence, split.AdviceKeepCurrent,
			// Three alike have no 95% interval to name.
			[]string{"can't tell", "recommendation: keep the current split", "search's best − current: +3.00 (3 alike, paired): can't tell"},
			[]string{"recommended − current", "alike) (95%"}},
		{stats.Of(40, 20, 10), split.VerdictBetter, split.AdviceChange,
			[]string{"recommended − current: +40.00 ± 14.31 (95%, paired): the recommended split is better", "the recommended split, as --set flags"},
			[]string{"search's best", "keep the current split"}},
	} {
		r.Diff = c.diff
		if v, a := r.Judge(); v != c.verdict || a != c.advice {
			t.Errorf("diff %+v: verdict %q advice %q, want %q %q", c.diff, v, a, c.verdict, c.advice)
		}
		out := SplitTable(r, 10, 2.5)
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("diff %+v: no %q in\n%s", c.diff, w, out)
			}
		}
		for _, w := range c.wantNot {
			if strings.Contains(out, w) {
				t.Errorf("diff %+v: %q in\n%s", c.diff, w, out)
			}
		}
	}
	// The advice for a difference within noise is the compare to run,
	// whole on a line of its own with split's own flags, not a recipe
	// ("compare, its --change the flags below, --reps 75").
	r.Diff = stats.Of(14.99, 65, 10)
	out := SplitTableAdvised(r, 10, 2.5, 100, SplitAdvice{Scenario: "north.yaml", Sets: "--set exchange.floor=0.2", Horizon: "--duration 1m0s"})
	if words := strings.Join(strings.Fields(out), " "); !strings.Contains(words, "about 75 replications would tell them apart, were the difference as measured (the compare below)") {
		t.Errorf("no pointer to the compare in\n%s", out)
	}
	for _, want := range []string{
		"\n    auctionsim compare north.yaml --set exchange.floor=0.2 --change bidders.a.budget.total=22.5 --change bidders.b.budget.total=27.5 --duration 1m0s --seed 7 --reps 10\n",
		"\n    auctionsim compare north.yaml --set exchange.floor=0.2 --change bidders.a.budget.total=22.5 --change bidders.b.budget.total=27.5 --duration 1m0s --reps 75\n",
		"\n  --set bidders.a.budget.total=22.5 --set bidders.b.budget.total=27.5\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "its --change the flags") || strings.Contains(out, "(add this split's") {
		t.Errorf("the old recipe, or a reminder of flags the commands carry:\n%s", out)
	}
}

// TestSplitCurvesProseOnATerminal: on a terminal the curves' lines join
// into one wrapped paragraph, and each sentence must still end where it
// did (it read "check a marginal that matters with compare --move
// marginal = …", the flag seeming to take an argument, and "budget,
// (eventual: …) the rest"); a search's best that is no recommendation is
// not called one in each curve's header either.
func TestSplitCurvesProseOnATerminal(t *testing.T) {
	rec := split.CurvePoint{Budget: 30, Objective: stats.Of(500, 20, 3), Recommended: true}
	r := &split.Result{Group: "acme", Objective: "incremental_value", Metric: "groups.acme.eventual.incremental_value",
		Members: []string{"a", "b"}, Total: 60, CurveReps: 3, FreshSeed: 7,
		Current:     split.Side{Budgets: map[string]float64{"a": 25, "b": 35}, Objective: stats.Of(490, 20, 10)},
		Recommended: split.Side{Budgets: map[string]float64{"a": 30, "b": 30}, Objective: stats.Of(500, 20, 10)},
		Diff:        stats.Of(10, 40, 10),
		Curves: []split.Curve{{Member: "a", FlatFrom: 0, FlatTo: 60, Points: []split.CurvePoint{
			{Budget: 0, Objective: stats.Of(400, 20, 3), VsRecommended: stats.Of(-100, 20, 3)}, rec}}}}
	if v, a := r.Judge(); v != split.VerdictAlike || a != split.AdviceKeepCurrent {
		t.Fatalf("the case needs a search's best kept from: %q %q", v, a)
	}
	out := strings.Join(strings.Fields(SplitTableWidth(r, 10, 15, 80)), " ")
	for _, want := range []string{
		"against each member's budget (eventual: the conversions still pending at each run's stop counted), the rest spread",
		"check a marginal that matters with compare --move. marginal =",
		"a: marginal at the search's best (one-sided, at a bound)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, SplitTableWidth(r, 10, 15, 80))
		}
	}
	if strings.Contains(out, "marginal at the recommendation") {
		t.Errorf("a search's best kept from is called the recommendation:\n%s", SplitTableWidth(r, 10, 15, 80))
	}
}

// TestSplitOptimaNamesOnTheirRow: split --both-objectives's tables of the
// optima keep each field on its row, as the comparison of the current
// and recommended splits does: eventual.incremental_profit (27 cells),
// past the column's least width, took a line of its own at any width.
func TestSplitOptimaNamesOnTheirRow(t *testing.T) {
	m := experiment.ComparedMetric{Baseline: stats.Of(10, 1, 5), Variant: stats.Of(13, 1, 5), Diff: stats.Of(3, 0.5, 5)}
	metrics := map[string]experiment.ComparedMetric{}
	for _, f := range split.OptimaFields {
		metrics["groups.acme."+f] = m
	}
	r := &split.Result{Group: "acme", Objective: "incremental_value", Members: []string{"a", "b"},
		Current:     split.Side{Budgets: map[string]float64{"a": 50, "b": 50}, Objective: stats.Of(10, 1, 5)},
		Recommended: split.Side{Budgets: map[string]float64{"a": 60, "b": 40}, Objective: stats.Of(13, 1, 5)},
		Diff:        stats.Of(3, 0.5, 5),
		Variants: []split.Variant{{Name: "optimum_incremental_value", Objective: "incremental_value",
			Budgets: map[string]float64{"a": 60, "b": 40}, Metrics: metrics}}}
	for _, width := range []int{0, 100, 120} {
		out := SplitTableWidth(r, 5, 10, width)
		_, optima, ok := strings.Cut(out, "optimum_incremental_value")
		if !ok {
			t.Fatalf("width %d: no optima table:\n%s", width, out)
		}
		for _, f := range split.OptimaFields {
			row := ""
			for _, l := range strings.Split(optima, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), f+" ") || strings.TrimSpace(l) == f {
					row = l
				}
			}
			if !strings.Contains(row, " ± ") {
				t.Errorf("width %d: %s is not on its row:\n%s", width, f, optima)
			}
			if w := ansi.StringWidth(row); width > 0 && w > width {
				t.Errorf("width %d: %s's row is %d wide", width, f, w)
			}
		}
	}
}

// TestSplitCurveNoFlatRegion: a curve whose neighbours the paired
// replications tell from the recommendation has no flat region; it said
// "flat (…) from 0.00 to 0.00" (budget-split's acme-retarget at 0), which
// reads as one. A region of more than the point keeps its wording.
func TestSplitCurveNoFlatRegion(t *testing.T) {
	rec := split.CurvePoint{Budget: 0, Objective: stats.Of(1719, 90, 3), Recommended: true, VsRecommended: stats.Of(0, 0, 3)}
	r := &split.Result{Group: "acme", Objective: "incremental_value", Metric: "groups.acme.eventual.incremental_value",
		Members: []string{"a", "b"}, Budget: split.Total, Total: 60, CurveReps: 3,
		Current:     split.Side{Budgets: map[string]float64{"a": 30, "b": 30}, Objective: stats.Of(1400, 20, 10)},
		Recommended: split.Side{Budgets: map[string]float64{"a": 0, "b": 60}, Objective: stats.Of(1719, 20, 10)},
		Diff:        stats.Of(319, 20, 10),
		Curves: []split.Curve{{Member: "a", FlatFrom: 0, FlatTo: 0, Points: []split.CurvePoint{
			rec, {Budget: 30, Objective: stats.Of(1669, 100, 3), VsRecommended: stats.Of(-49.67, 10, 3)}}}}}
	out := SplitTable(r, 10, 15)
	if strings.Contains(out, "from 0.00 to 0.00") || !strings.Contains(out, "no flat region (the paired replications tell its neighbours from *)") {
		t.Errorf("a flat region of one point:\n%s", out)
	}
	r.Curves[0].FlatTo = 30
	if out := SplitTable(r, 10, 15); !strings.Contains(out, "flat (the paired replications cannot tell it from *) from 0.00\n    to 30.00") &&
		!strings.Contains(out, "flat (the paired replications cannot tell it from *) from 0.00 to 30.00") {
		t.Errorf("a flat region 0 to 30:\n%s", out)
	}
}

// TestRepsTableLongNamesFit: line items' names of 60 cells would push
// run --reps' tables (and the theory's per-bidder table) past 80
// columns: they are cut alike in every table, two that cut alike kept
// apart, and listed whole below; a name that leaves the tables within
// 80 stays whole.
func TestRepsTableLongNamesFit(t *testing.T) {
	long := []string{"acme-even-line-item-for-the-spring-campaign-north-region-001", "acme-even-line-item-for-the-spring-campaign-north-region-002"}
	reps := func(names []string) *experiment.Agg {
		agg := experiment.NewAgg(1, false)
		for rep, x := range []float64{1, 3} {
			v := experiment.Values{"exchange.revenue": 10 * x}
			for _, n := range names {
				p := "bidders." + n + "."
				v[p+"bid_requests"], v[p+"wins"] = 100, 10*x
				v[p+"attributed_roas"], v[p+"incremental_roas"] = 4*x, 2*x
				v[p+"attributed_value"], v[p+"incremental_value"] = 40*x, 20*x
				v["theory.bidders."+n+".win_rate"], v[p+"win_rate_per_auction"] = 0.5, 0.5*x
			}
			agg.Add(experiment.Item{Index: rep, Rep: rep, Values: v})
		}
		return agg
	}
	names := append(slices.Clone(long), "rival")
	agg := reps(names)
	res := &experiment.Result{Spec: &experiment.Spec{Scenario: "s", Seed: 1}, Agg: agg}
	out := RepsTable(res, names) + repsBidderTheory(agg, names, "exchange.")
	if whole := repsBidderTables(agg, names, nil, 0); !strings.Contains(whole, long[0]+" ") {
		t.Fatalf("the tables with the names whole lack them: the test would test nothing:\n%s", whole)
	}
	for i, l := range strings.Split(out, "\n") {
		if w := format.Width(l); w > 80 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
	var cuts []string
	for i, n := range long {
		idx := strings.Index(out, "\n    "+n+"\n")
		if idx < 0 {
			t.Fatalf("%s not listed whole on a line of its own:\n%s", n, out)
		}
		// The cut form is on the line above the whole name.
		above := out[:idx]
		cut := strings.TrimSpace(above[strings.LastIndex(above, "\n")+1:])
		if format.Width(cut) != repsNameMax || !strings.HasSuffix(cut, "…"+strconv.Itoa(i+1)) {
			t.Errorf("%s cut to %q, want %d cells ending …%d", n, cut, repsNameMax, i+1)
		}
		cuts = append(cuts, cut)
		// In the bidders', the value and the theory's tables.
		if c := strings.Count(out, "\n"+cut+" ") + strings.Count(out, "\n  "+cut+" "); c != 3 {
			t.Errorf("%s's rows: %d, want 3 (bidders, value, theory):\n%s", cut, c, out)
		}
	}
	if cuts[0] == cuts[1] {
		t.Errorf("two names cut alike: %q", cuts)
	}
	// Short enough to fit: whole, no list.
	short := []string{"acme-even-spring-north", "rival"}
	res.Agg = reps(short)
	if out := RepsTable(res, short); !strings.Contains(out, "\n"+short[0]+" ") || strings.Contains(out, "cut to fit") {
		t.Errorf("a name that fits was cut:\n%s", out)
	}
}

// TestSplitTableLongMemberNames: a member's name of 60 cells pushed the
// current/recommended table to 100 columns at 80; it is cut to the width
// and listed whole below the table, the others left whole.
func TestSplitTableLongMemberNames(t *testing.T) {
	long := "acme-retarget-line-item-for-the-spring-campaign-north-region"
	r := &split.Result{Group: "acme", Objective: "incremental_value", Metric: "groups.acme.eventual.incremental_value",
		Members: []string{long, "acme-prospect"}, Budget: split.Total, Total: 60,
		Current:     split.Side{Budgets: map[string]float64{long: 30, "acme-prospect": 30}, Objective: stats.Of(1418.9, 20, 10)},
		Recommended: split.Side{Budgets: map[string]float64{long: 20, "acme-prospect": 40}, Objective: stats.Of(1732.1, 20, 10)},
		Diff:        stats.Of(313.2, 20, 10)}
	table := func(out string) []string {
		var rows []string
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "current") && strings.Contains(l, "recommended") && !strings.Contains(l, "−") {
				rows = append(rows, l)
				continue
			}
			if len(rows) > 0 && len(rows) < 4 {
				rows = append(rows, l)
			}
		}
		return rows
	}
	if rows := table(SplitTableWidth(r, 10, 5, 0)); len(rows) != 4 || format.Width(rows[1]) <= 80 {
		t.Fatalf("unlimited, the table fits 80 (the test would test nothing): %q", rows)
	}
	out := SplitTableWidth(r, 10, 5, 80)
	rows := table(out)
	if len(rows) != 4 {
		t.Fatalf("table rows %q in\n%s", rows, out)
	}
	for _, l := range rows {
		if w := format.Width(l); w > 80 {
			t.Errorf("a row %d wide: %q", w, l)
		}
	}
	cut := strings.Fields(rows[1])[0]
	if !strings.HasSuffix(cut, "…") || !strings.HasPrefix(long, strings.TrimSuffix(cut, "…")) || !strings.Contains(rows[2], "acme-prospect ") {
		t.Errorf("rows %q: want %s cut and acme-prospect whole", rows, long)
	}
	if !strings.Contains(out, "  members cut to fit, in full:\n    "+cut+"\n      "+long+"\n") {
		t.Errorf("%s not listed whole below the table:\n%s", long, out)
	}
}
