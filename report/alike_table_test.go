package report

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
	"github.com/charmbracelet/x/ansi"
)

// repsAlike is a run --reps result of reps replications in which the
// bidder shop's value figures, wins and the exchange's fill rate are the
// same in every replication, and revenue and spend vary.
func repsAlike(reps int) *experiment.Result {
	agg := experiment.NewAgg(1, false)
	for rep := range reps {
		x := float64(rep + 1)
		p := "bidders.shop-prospect."
		v := experiment.Values{"exchange.revenue": 10 * x, "exchange.fill_rate": 1,
			p + "bid_requests": 100, p + "wins": 1234.5, p + "spend": x, p + "win_rate": 0.5, p + "incremental_roas": 1.2345,
			p + "attributed_roas": 12.345, p + "incremental_value": 123.45, p + "attributed_value": 1234.5}
		agg.Add(experiment.Item{Index: rep, Rep: rep, Values: v})
	}
	return &experiment.Result{Spec: &experiment.Spec{Scenario: "s", Seed: 1}, Agg: agg}
}

// TestRepsTableAlike: run --reps' table writes a figure whose 2 to 5
// replications all agreed as split does, "(N alike)", not "± 0" (the
// JSON's "alike": true), in every table, its columns aligned and within
// 80 columns; from 6 replications, which the sign test counts, "± 0".
func TestRepsTableAlike(t *testing.T) {
	table := RepsTable(repsAlike(3), []string{"shop-prospect"})
	for _, want := range []string{"fill_rate                  1.000 (3 alike)", "2.0 ± 2.5", "1234 (3 alike)", "12.35 (3 alike)"} {
		if !strings.Contains(table, want) {
			t.Errorf("no %q in\n%s", want, table)
		}
	}
	if strings.Contains(table, "± 0\n") || strings.Contains(table, "± 0 ") {
		t.Errorf("a ± 0 for alike replications:\n%s", table)
	}
	lines := strings.Split(table, "\n")
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line of %d columns: %q", w, l)
		}
		// Each row as wide as its header: the columns aligned.
		if strings.HasPrefix(l, "shop-prospect") && i > 0 && ansi.StringWidth(l) != ansi.StringWidth(lines[i-1]) {
			t.Errorf("row %q not as wide as its header %q", l, lines[i-1])
		}
	}
	if table := RepsTable(repsAlike(6), []string{"shop-prospect"}); strings.Contains(table, "alike") ||
		!strings.Contains(table, "1.000 ± 0") {
		t.Errorf("6 equal replications, evidence by the sign test, not ± 0:\n%s", table)
	}
}

// TestCompareTableAlike: compare writes a difference whose 2 to 5
// replications all agreed "(N alike)" in its headline and its rows,
// within 80 columns; 6 keep their "± 0".
func TestCompareTableAlike(t *testing.T) {
	for _, n := range []int{4, 6} {
		rel := -1.0 / 3
		m := experiment.ComparedMetric{Baseline: stats.Stat{Mean: 120, N: n, Lo: 120, Hi: 120},
			Variant: stats.Stat{Mean: 80, N: n, Lo: 80, Hi: 80},
			Diff:    stats.Stat{Mean: -40, N: n, Lo: -40, Hi: -40}, Relative: &rel}
		out := experiment.Comparison{
			Baseline: experiment.Side{Scenario: "a"}, Variant: experiment.Side{Scenario: "a", Changes: []string{"exchange.tmax=80ms"}},
			Replications: n, Seed: 1, Metric: "exchange.wait_ms.max",
			Metrics: map[string]experiment.ComparedMetric{"exchange.wait_ms.max": m, "settings.bidder_tmax_ms": m},
		}
		table := CompareTable(out)
		want, not := "-40.00 (4 alike)", "± 0"
		if n == 6 {
			want, not = "-40.00 ± 0", "alike"
		}
		if strings.Count(table, want) < 2 || strings.Contains(table, not) {
			t.Errorf("%d replications: want %q in the headline and rows, no %q:\n%s", n, want, not, table)
		}
		for _, l := range strings.Split(table, "\n") {
			if w := ansi.StringWidth(l); w > 80 {
				t.Errorf("line of %d columns: %q", w, l)
			}
		}
	}
}
