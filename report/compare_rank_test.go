package report

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// paired is a compared metric from each replication's baseline and
// variant values, as a comparison makes it.
func paired(base, variant []float64) experiment.ComparedMetric {
	var p stats.Pair
	for i := range base {
		p.Add(base[i], variant[i])
	}
	return experiment.ComparedOf(&p)
}

// rowsOf are the metric names of compare's list rows in table, in order.
func rowsOf(table string) []string {
	var out []string
	for _, line := range strings.Split(table, "\n") {
		f := strings.Fields(line)
		if len(f) > 1 && strings.HasSuffix(line, " *") && strings.Contains(f[0], ".") {
			out = append(out, f[0])
		}
	}
	return out
}

// TestCompareListOpensWithWhatMatters: a part of compare's list opens
// with the changes the replications vouch for, weighed by what the
// metric is to a planner, not with a ratio of tiny counts. A bidder's
// bids below the floor 0.17 → 5.5 a run (+3100%, its difference beyond
// chance) led the bidders before, above its spend −50% and its timeouts
// ×20; now it comes last, and the spend, an outcome, leads.
func TestCompareListOpensWithWhatMatters(t *testing.T) {
	metrics := map[string]experiment.ComparedMetric{
		"exchange.revenue":                   paired([]float64{100, 102, 98, 101, 99, 100}, []float64{90, 91, 88, 92, 89, 90}),
		"bidders.ada.below_floor":            paired([]float64{0, 0, 1, 0, 0, 0}, []float64{5, 6, 4, 7, 5, 6}),
		"bidders.ada.spend":                  paired([]float64{10, 10.2, 9.9, 10.1, 10, 9.8}, []float64{5, 5.1, 4.9, 5.1, 5, 4.9}),
		"bidders.ada.late":                   paired([]float64{5, 6, 5, 6, 5, 6}, []float64{110, 118, 112, 116, 114, 115}),
		"bidders.ada.throttled":              paired([]float64{100, 104, 98, 101, 99, 100}, []float64{130, 133, 128, 131, 129, 130}),
		"exchange.fill_rate":                 paired([]float64{1, 1, 1, 1, 1, 1}, []float64{0.999, 0.998, 0.999, 0.999, 0.998, 0.999}),
		"exchange.timeout_rate":              paired([]float64{0.2, 0.21, 0.2, 0.2, 0.21, 0.2}, []float64{0.5, 0.52, 0.5, 0.51, 0.51, 0.5}),
		"exchange.mean_clearing_price":       paired([]float64{2.4, 2.41, 2.4, 2.4, 2.42, 2.4}, []float64{1.6, 1.62, 1.61, 1.6, 1.62, 1.6}),
		"settings.tmax_ms":                   exactCompared(120, 80, 6),
		"bidders.ada.latency_ms.p50":         exactCompared(20, 30, 6),
		"exchange.revenue_per_auction":       paired([]float64{2.4, 2.41, 2.4, 2.4, 2.42, 2.4}, []float64{1.6, 1.62, 1.6, 1.61, 1.62, 1.6}),
		"bidders.ada.counterfactual.surplus": paired([]float64{1, 1.1, 1, 1, 1.1, 1}, []float64{2, 2.1, 2, 2, 2.1, 2}),
	}
	out := experiment.Comparison{Baseline: experiment.Side{Scenario: "a"}, Variant: experiment.Side{Scenario: "a"},
		Replications: 6, Seed: 1, Metric: "exchange.revenue", Metrics: metrics}
	if m := metrics["bidders.ada.below_floor"]; !m.Higher() {
		t.Fatalf("the case's tiny count does not differ beyond chance: %+v", m.Diff)
	}
	table := CompareView{}.Table(out)
	rows := rowsOf(table)
	want := []string{
		// The exchange: the timeouts +150% (a third's weight) before
		// the prices −33%, the setting −33% (a tenth) and last the fill
		// rate's −0.1%, an outcome but a trifle.
		"exchange.timeout_rate", "exchange.mean_clearing_price", "exchange.revenue_per_auction",
		"settings.tmax_ms", "exchange.fill_rate",
		// Bidders: timeouts ×20 (a third: about +600%), the spend −50%,
		// throttling +30% and latency +50% (a tenth), the tiny count
		// last.
		"bidders.ada.late", "bidders.ada.spend", "bidders.ada.latency_ms.p50", "bidders.ada.throttled", "bidders.ada.below_floor",
		"bidders.ada.counterfactual.surplus",
	}
	if strings.Join(rows, " ") != strings.Join(want, " ") {
		t.Errorf("rows\n%s\nwant\n%s\nin\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"), table)
	}
}

// exactCompared is a metric that was a on the baseline and b on the
// variant in each of n replications.
func exactCompared(a, b float64, n int) experiment.ComparedMetric {
	d := b - a
	return experiment.ComparedMetric{Baseline: stats.Stat{Mean: a, N: n, Lo: a, Hi: a}, Variant: stats.Stat{Mean: b, N: n, Lo: b, Hi: b},
		Diff: stats.Stat{Mean: d, N: n, Lo: d, Hi: d}, Relative: experiment.NumPtr(stats.Relative(d, a))}
}

// TestFmtRelFits: every relative change fits compare's rel. column,
// however large, whatever the baseline's sign; a change past +99999%
// from a positive baseline reads as a multiple. "+102154.5%" took ten
// cells of seven, and at 80 columns any change past +999.9% pushed the
// row's * onto a line of its own.
func TestFmtRelFits(t *testing.T) {
	rel := func(base, r float64) experiment.ComparedMetric {
		return experiment.ComparedMetric{Baseline: stats.Stat{Mean: base}, Relative: &r}
	}
	for _, c := range []struct {
		base, r float64
		want    string
	}{
		{1, 0.004, "+0.40%"},
		{1, -0.338, "-33.8%"},
		{1, -1, "-100.0%"},
		{1, 9.999, "+999.9%"},
		{1, 9.9996, "+1000%"}, // +999.96% rounds to a fifth digit
		{5.5, 19.773, "+1977%"},
		{1, 999.99, "+99999%"},
		{0.55, 1021.545, "×1,023"}, // 0.55 → 562 a run
		{1, 12345.6, "×12k"},
		{1, 2.5e6, "×2.5M"},
		{-0.1, 1001, "+100k%"}, // from a negative baseline no multiple says it
		{0.1, -1500, "-150k%"}, // a variant of the other sign
	} {
		if got := fmtRel(rel(c.base, c.r)); got != c.want {
			t.Errorf("relative %v from %v: %q, want %q", c.r, c.base, got, c.want)
		}
	}
	if got := fmtRel(experiment.ComparedMetric{}); got != "–" {
		t.Errorf("undefined: %q", got)
	}
	for _, base := range []float64{1, -1} {
		for e := -3.0; e <= 13; e += 0.01 {
			for _, sign := range []float64{1, -1} {
				r := sign * math.Pow(10, e)
				if got := fmtRel(rel(base, r)); ansi.StringWidth(got) > relW {
					t.Errorf("relative %v from %v: %q, %d cells", r, base, got, ansi.StringWidth(got))
				}
			}
		}
	}
	// A row at 80 columns, name column compareNameW wide, holds it.
	var b strings.Builder
	m := paired([]float64{0.5, 0.6, 0.55, 0.55}, []float64{560, 565, 561, 562})
	compareRowW(&b, "exchange.unfilled", m, capNameW(compareNameW, 80))
	if row := strings.TrimSuffix(b.String(), "\n"); ansi.StringWidth(row) != 80 || strings.Contains(row, "\n") || !strings.HasSuffix(row, " ×1,022 *") {
		t.Errorf("row %q: %d cells, want 80 ending in ×1,022 *", row, ansi.StringWidth(row))
	}
}

// TestCompareTwinsNoteShownOnly: the note under compare's list names the
// pairs folded into a row it shows, not those whose rows the list had no
// room for: a counterfactual pair under a list without a counterfactual
// or a surplus row explained nothing.
func TestCompareTwinsNoteShownOnly(t *testing.T) {
	metrics := map[string]experiment.ComparedMetric{
		"exchange.revenue":                               paired([]float64{100, 102, 98, 101}, []float64{90, 91, 88, 92}),
		"bidders.ada.win_rate":                           paired([]float64{0.2, 0.21, 0.2, 0.2}, []float64{0.3, 0.31, 0.3, 0.3}),
		"bidders.ada.win_rate_per_auction":               paired([]float64{0.2, 0.21, 0.2, 0.2}, []float64{0.3, 0.31, 0.3, 0.3}),
		"bidders.ada.counterfactual.truthful_surplus":    paired([]float64{1, 1.1, 1, 1.05}, []float64{1.5, 1.62, 1.49, 1.56}),
		"bidders.ada.counterfactual.equilibrium_surplus": paired([]float64{1, 1.1, 1, 1.05}, []float64{1.5, 1.62, 1.49, 1.56}),
	}
	// Forty exchange differences, larger than any other: the list has no
	// room for the counterfactuals.
	for i := range 40 {
		metrics[fmt.Sprintf("exchange.m%02d", i)] = paired([]float64{10, 10.1, 10, 10.2}, []float64{20, 20.1, 20, 20.2})
	}
	out := experiment.Comparison{Baseline: experiment.Side{Scenario: "a"}, Variant: experiment.Side{Scenario: "a"},
		Replications: 4, Seed: 1, Metric: "exchange.revenue", Metrics: metrics}
	table := CompareView{}.Table(out)
	if !strings.Contains(table, "  bidders.ada.win_rate ") || strings.Contains(table, "counterfactual.truthful_surplus ") {
		t.Fatalf("the case does not show win_rate alone of the bidders':\n%s", table)
	}
	if !strings.Contains(table, "  + 1 not listed, each the same in every statistic as the metric it repeats:\n    win_rate_per_auction = win_rate\n") ||
		strings.Contains(table, "equilibrium_surplus =") {
		t.Errorf("the twins' note names a pair whose row is not shown, or not the one shown:\n%s", table)
	}
	if n := strings.Count(table, "\n"); n > compareLines {
		t.Errorf("%d lines, more than %d:\n%s", n, compareLines, table)
	}
}

// TestCompareVariantLineWraps: compare --variant's "variant NAME:" line
// wraps within 80 columns after a comma, its continuation under the
// changes, as the baseline's and variant's lines of compare do; it ran
// on whole before.
func TestCompareVariantLineWraps(t *testing.T) {
	metrics := map[string]experiment.ComparedMetric{
		"exchange.revenue": paired([]float64{100, 102, 98, 101}, []float64{90, 91, 88, 92}),
	}
	changes := []string{"bidders.acme-retarget.budget.total=0", "bidders.acme-prospect.budget.total=400", "bidders.acme-lookalike.budget.total=200"}
	out := experiment.Comparison{Baseline: experiment.Side{Scenario: "budget-split"}, Replications: 4, Seed: 3, Metric: "exchange.revenue",
		Metrics: metrics, Variants: []experiment.VariantComparison{{Name: "b", Changes: changes, Metrics: metrics}}}
	table := CompareView{}.Table(out)
	want := "variant b: bidders.acme-retarget.budget.total=0,\n" +
		"           bidders.acme-prospect.budget.total=400,\n" +
		"           bidders.acme-lookalike.budget.total=200\n"
	if !strings.Contains(table, want) {
		t.Errorf("no\n%s\nin\n%s", want, table)
	}
}

// TestCompareVariantsProseFits: compare --variant's title and each
// variant's count of its other differences wrap within 80 columns, as
// the rest of its prose does; they ran to 124 and 100 before.
func TestCompareVariantsProseFits(t *testing.T) {
	metrics := map[string]experiment.ComparedMetric{
		"exchange.revenue": paired([]float64{100, 102, 98, 101}, []float64{90, 91, 88, 92}),
	}
	for i := range 30 {
		metrics[fmt.Sprintf("bidders.b%d.spend", i)] = paired([]float64{10, 11, 10, 11}, []float64{20, 21, 20, 22})
	}
	v := func(name string) experiment.VariantComparison {
		return experiment.VariantComparison{Name: name, Changes: []string{"exchange.tmax=80ms"}, Metrics: metrics}
	}
	out := experiment.Comparison{Baseline: experiment.Side{Scenario: "timeout-demo"}, Replications: 4, Seed: 42, Metric: "exchange.revenue",
		Metrics: metrics, Variants: []experiment.VariantComparison{v("fast"), v("slow")}}
	table := CompareView{Width: 80}.Table(out)
	flat := strings.Join(strings.Fields(table), " ")
	for _, want := range []string{
		"2 variants, each paired against the baseline over 4 replications (seed 42); difference = variant − baseline, 95% intervals",
		"other differences whose interval excludes 0: 30; ",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("no %q in\n%s", want, table)
		}
	}
	for _, line := range strings.Split(table, "\n") {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("%d cells: %q", w, line)
		}
	}
	if n := strings.Count(table, "\n"); n > compareLines {
		t.Errorf("%d lines, more than %d:\n%s", n, compareLines, table)
	}
}
