package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// mixedGroupYAML is a world with a group of a member with a budget and
// one with a daily budget alone, so that the group's total row shows its
// spend against both ("12.34 · 120.00 + 30.00/day" where it fits).
const mixedGroupYAML = "name: mixed-group\nseed: 3\n" + demoRules + `bidders:
  - name: acme-retarget
    group: acme
    latency: {dist: lognormal, median: 25ms, p99: 70ms}
    value: {dist: lognormal, median: 2.5, p99: 8}
    budget: {total: 120.5, pacing: multiplier}
    outcome: {ctr: 0.05, cvr: 0.4, order_value: 1, baseline_cvr: 0.012, delay: {dist: exponential, mean: 1s}}
  - name: acme-prospect
    group: acme
    latency: {dist: lognormal, median: 25ms, p99: 70ms}
    value: {dist: lognormal, median: 2.0, p99: 9}
    budget: {daily: 30, pacing: multiplier}
    outcome: {ctr: 0.05, cvr: 0.4, order_value: 1, baseline_cvr: 0.0005, delay: {dist: exponential, mean: 1s}}
  - name: rival
    latency: {dist: lognormal, median: 40ms, p99: 100ms}
    value: {dist: uniform, min: 0.5, max: 4}
`

// TestGroupBudgetsCellFits: at every width from 80 columns to the wide
// layout, the total row of a group with budgets and daily budgets is
// whole: no cell is cut, the group's spend is on it whole, and so is its
// iROAS; at the widest, so are the budgets ("/day").
func TestGroupBudgetsCellFits(t *testing.T) {
	sc, eng := worldAt(t, "mixed-group.yaml", mixedGroupYAML, 5*sim.Second)
	snap := eng.Snapshot()
	g := snap.Groups[0]
	if g.Budget == 0 || g.Daily == 0 || format.GroupUncapped(g) {
		t.Fatalf("group %s: budget %v, daily %v: the world has changed", g.Name, g.Budget, g.Daily)
	}
	for w := minWidth; w < wideWidth; w++ {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			m, _ := modelOn(t, sc, eng, w, 40)
			v := m.View()
			checkScreen(t, v, w, 40)
			lines := strings.Split(ansi.Strip(v), "\n")
			i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, " Σ "+g.Name+" ") })
			if i < 0 {
				t.Fatalf("no row of group %s on the screen:\n%s", g.Name, v)
			}
			row := strings.TrimRight(lines[i], " ")
			if strings.Contains(row, "…") {
				t.Errorf("a cell is cut: %q", row)
			}
			spend := " " + format.CompactMoney(g.Spend.Float())
			if !strings.Contains(row, spend+" ") && !strings.Contains(row, spend+"/") {
				t.Errorf("the row %q lacks the group's spend %q whole", row, spend)
			}
			if roas := " " + format.ROAS(g.IncrementalROAS()); !strings.HasSuffix(row, roas) {
				t.Errorf("the row %q does not end with the group's iROAS %q", row, roas)
			}
			if w == wideWidth-1 && !strings.Contains(row, "/day") {
				t.Errorf("at %d columns the row %q lacks the budgets", w, row)
			}
		})
	}
}

// TestBudgetsCell: the group's spend against its budgets shortens form
// by form as the cell narrows, the spend always whole.
func TestBudgetsCell(t *testing.T) {
	g := sim.GroupStats{Name: "acme", Budget: sim.MoneyOf(120), Daily: sim.MoneyOf(30), Unlimited: 1, Spend: sim.MoneyOf(12.34)}
	for _, c := range []struct {
		w    int
		want string
	}{
		{30, "12.34 · 120.00 + 30.00/day"},
		{26, "12.34 · 120.00 + 30.00/day"},
		{25, "12.34/120.00+30.00/day"},
		{22, "12.34/120.00+30.00/day"},
		{21, "12.34/120+30/day"},
		{16, "12.34/120+30/day"},
		{15, "12.34"},
		{9, "12.34"},
	} {
		if got := budgetsCell(g, c.w); strings.TrimRight(got, " ") != c.want || ansi.StringWidth(got) != c.w {
			t.Errorf("in %d cells: %q, want %q", c.w, got, c.want)
		}
	}
}
