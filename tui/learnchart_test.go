package tui

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestLearnChart: in a world with a learning bidder, # cycles the chart
// past its metrics to the learner's factor over time, with the best
// response (n−1)/n where theory gives it, then back to the first metric;
// in a world without one, # never shows it.
func TestLearnChart(t *testing.T) {
	sc, _, err := scenarios.ResolveWith("first-vs-second", []scenarios.Set{
		{Path: "bidders.*.strategy", Value: "{kind: equilibrium}"},
		{Path: "bidders.dana.strategy", Value: "{kind: learn, arms: 10}"},
	})
	if err != nil {
		t.Fatal(err)
	}
	eng := engineAt(t, sc, 60*sim.Second)
	m, _ := modelOn(t, sc, eng, 120, 40)
	n := len(sim.TheoryMetrics)
	for range n - 1 {
		press(m, "#")
	}
	if v := m.View(); strings.Contains(v, "dana's shade factor") {
		t.Fatalf("the learner's chart came before the metrics' end:\n%s", v)
	}
	press(m, "#")
	v := m.View()
	checkScreen(t, v, 120, 40)
	dana := m.ctx.Snap().Bidders[3]
	for _, want := range []string{"dana's shade factor", "now " + strings.TrimSpace(fmtFactor(dana.Learn.Factor)), "best response (n−1)/n 0.75", string(theoryRune)} {
		if !strings.Contains(v, want) {
			t.Errorf("the learner's chart lacks %q:\n%s", want, v)
		}
	}
	if !strings.Contains(m.ctx.status, "dana's shade factor") {
		t.Errorf("status %q", m.ctx.status)
	}
	press(m, "#")
	if m.ctx.LearnChart || m.ctx.Metric != 0 || strings.Contains(m.View(), "dana's shade factor") {
		t.Errorf("# after the learner's chart: learn %v, metric %v", m.ctx.LearnChart, m.ctx.Metric)
	}

	// No learner: # cycles the metrics only.
	m2, _, _ := testModel(t, 120, 40)
	for range 2 * n {
		press(m2, "#")
		if m2.ctx.LearnChart {
			t.Fatal("a world without a learner shows the learner's chart")
		}
	}
}

// TestLearnChartShadingRivals: first-vs-second's rivals shade by 0.75,
// which is the equilibrium there (n = 4, values U[0, 1], no floor), and
// the learner's chart left out the best response the README promises a
// student who makes one bidder learn; rivals shading by 0.6 get none.
func TestLearnChartShadingRivals(t *testing.T) {
	for _, c := range []struct {
		factor string
		want   bool
	}{{"0.75", true}, {"0.6", false}} {
		sets := []scenarios.Set{{Path: "bidders.dana.strategy", Value: "{kind: learn, arms: 10}"}}
		for _, name := range []string{"ada", "bo", "cyd"} {
			sets = append(sets, scenarios.Set{Path: "bidders." + name + ".strategy", Value: "{kind: shade, factor: " + c.factor + "}"})
		}
		sc, _, err := scenarios.ResolveWith("first-vs-second", sets)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := modelOn(t, sc, engineAt(t, sc, 20*sim.Second), 120, 40)
		for range len(sim.TheoryMetrics) {
			press(m, "#")
		}
		v := m.View()
		if !strings.Contains(v, "dana's shade factor") {
			t.Fatalf("rivals shading by %s: no learner's chart:\n%s", c.factor, v)
		}
		if got := strings.Contains(v, "best response (n−1)/n 0.75"); got != c.want {
			t.Errorf("rivals shading by %s: best response shown %v, want %v:\n%s", c.factor, got, c.want, v)
		}
	}
}

// TestLearnChartAt80Columns: at 80×24 the learner's chart keeps the
// legend of its ═ line, shortened ("═ (n−1)/n 0.75"; it went whole, and
// the line was left unexplained), and the axis marks its level.
func TestLearnChartAt80Columns(t *testing.T) {
	sc, _, err := scenarios.ResolveWith("first-vs-second", []scenarios.Set{
		{Path: "bidders.*.strategy", Value: "{kind: equilibrium}"},
		{Path: "bidders.dana.strategy", Value: "{kind: learn, arms: 10}"},
	})
	if err != nil {
		t.Fatal(err)
	}
	eng := engineAt(t, sc, 60*sim.Second)
	m, _ := modelOn(t, sc, eng, 80, 24)
	for range len(sim.TheoryMetrics) {
		press(m, "#")
	}
	v := m.View()
	checkScreen(t, v, 80, 24)
	for _, want := range []string{"dana's shade factor", "═ (n−1)/n 0.75", "0.75╞"} {
		if !strings.Contains(v, want) {
			t.Errorf("the learner's chart at 80×24 lacks %q:\n%s", want, v)
		}
	}
}
