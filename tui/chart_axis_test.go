package tui

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// yLabels are a chart's Y axis labels, bottom up, with the row each is
// on: the text left of the axis where it reads as a number. The theory's
// tick (╞) is left out: it reads the theory's value, not the axis'.
func yLabels(t *testing.T, chart string) (vals []float64, texts []string, rows []int) {
	t.Helper()
	lines := strings.Split(ansi.Strip(chart), "\n")
	for y := len(lines) - 1; y >= 0; y-- {
		l := []rune(lines[y])
		for x, r := range l {
			if !strings.ContainsRune("│├└┤┼╞", r) {
				continue
			}
			text := strings.TrimSpace(string(l[:x]))
			if v, err := strconv.ParseFloat(text, 64); err == nil && r != theoryTick {
				vals, texts, rows = append(vals, v), append(texts, text), append(rows, y)
			}
			break
		}
	}
	return vals, texts, rows
}

// The main chart labels its Y axis at round values where it has the
// rows: evenly spaced by 1, 2 or 5 × 10^k, each label a multiple of that
// step written with the decimals it needs (not 0.74, 0.69, 0.64).
func TestChartYAxisRound(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	for _, metric := range sim.TheoryMetrics {
		m.ctx.Metric = metric
		for h := 6; h <= 40; h++ {
			chart := renderChart(m.ctx, 80, h)
			vals, texts, rows := yLabels(t, chart)
			if len(vals) < 3 {
				t.Errorf("%s, %d rows: labels %q:\n%s", metric, h, texts, ansi.Strip(chart))
				continue
			}
			step := vals[1] - vals[0]
			p := math.Pow(10, math.Floor(math.Log10(step)+1e-9))
			if mm := step / p; math.Abs(mm-1) > 1e-6 && math.Abs(mm-2) > 1e-6 && math.Abs(mm-5) > 1e-6 {
				t.Errorf("%s, %d rows: labels %q %v apart:\n%s", metric, h, texts, step, ansi.Strip(chart))
				continue
			}
			dec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
			for i, v := range vals {
				if math.Abs(v/step-math.Round(v/step)) > 1e-6 {
					t.Errorf("%s, %d rows: label %s no multiple of %v", metric, h, texts[i], step)
				}
				if i > 0 && (math.Abs(v-vals[i-1]-step) > step*1e-6 || rows[i-1]-rows[i] != rows[0]-rows[1]) {
					// The theory's tick may take a label's row: the
					// next label is then two steps on.
					if math.Abs(v-vals[i-1]-2*step) > step*1e-6 || rows[i-1]-rows[i] != 2*(rows[0]-rows[1]) {
						t.Errorf("%s, %d rows: labels %q on rows %v not evenly spaced", metric, h, texts, rows)
					}
				}
				if got := len(texts[i]) - strings.IndexByte(texts[i]+".", '.') - 1; max(got, 0) != dec {
					t.Errorf("%s, %d rows: label %s for a step of %v", metric, h, texts[i], step)
				}
			}
		}
	}
}

// The learner's shade factor is labelled at round values too where the
// chart has the rows (0.2, 0.4 … 1.0, not 0.12, 0.25 …), with the best
// response's tick reading its value, 0.75.
func TestLearnChartYAxisRound(t *testing.T) {
	sc, _, err := scenarios.ResolveWith("first-vs-second", []scenarios.Set{
		{Path: "bidders.*.strategy", Value: "{kind: equilibrium}"},
		{Path: "bidders.dana.strategy", Value: "{kind: learn, arms: 10}"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := modelOn(t, sc, engineAt(t, sc, 20*sim.Second), 120, 40)
	for h := 8; h <= 40; h++ {
		chart := renderLearnChart(m.ctx, 3, 80, h)
		vals, texts, _ := yLabels(t, chart)
		if !strings.Contains(ansi.Strip(chart), "0.75"+string(theoryTick)) {
			t.Errorf("%d rows: no tick 0.75%c:\n%s", h, theoryTick, ansi.Strip(chart))
		}
		if len(vals) < 3 || vals[0] != 0 || !slices.Contains(vals, 1) || vals[len(vals)-1] > 1.2 {
			t.Errorf("%d rows: labels %q, want 0 to 1 (1.2 at most):\n%s", h, texts, ansi.Strip(chart))
			continue
		}
		step := vals[1] - vals[0]
		if math.Abs(step-0.1) > 1e-9 && math.Abs(step-0.2) > 1e-9 && math.Abs(step-0.5) > 1e-9 {
			t.Errorf("%d rows: labels %q", h, texts)
			continue
		}
		for i := 1; i < len(vals); i++ {
			// One step, or two where the tick took a label's row.
			if d := vals[i] - vals[i-1]; math.Abs(d-step) > 1e-9 && math.Abs(d-2*step) > 1e-9 {
				t.Errorf("%d rows: labels %q", h, texts)
				break
			}
		}
	}
}
