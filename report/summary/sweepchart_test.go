package summary

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/charmbracelet/x/ansi"
)

// sweepOf is a sweep result over values of exchange.floor, two
// replications a point, the metric at each point from ys (NaN: undefined).
func sweepOf(values []string, ys []float64) *experiment.Result {
	agg := experiment.NewAgg(len(values), false)
	for rep := range 2 {
		for p, y := range ys {
			agg.Add(experiment.Item{Index: rep*len(ys) + p, Point: p, Rep: rep,
				Values: experiment.Values{"exchange.revenue": y + float64(rep)}})
		}
	}
	spec := &experiment.Spec{Metrics: []string{"exchange.revenue"},
		Vary: []experiment.Vary{{Path: "exchange.floor", Values: values}}}
	return &experiment.Result{Spec: spec, Agg: agg}
}

// TestSweepChart checks that the chart is titled by the metric and the
// field and drawn in braille, and that it is left out with fewer than two
// points that have a mean and an interval.
func TestSweepChart(t *testing.T) {
	s := SweepChart(sweepOf([]string{"0", "0.5", "1"}, []float64{1, 4, 2}), false, 0)
	if !strings.Contains(s, "exchange.revenue against exchange.floor in CPM (the mean, and its 95% band)") ||
		strings.Count(s, "\n") < 16 || !strings.ContainsAny(s, "⠁⠂⠄⡀⠈⠐⠠⢀") {
		t.Errorf("chart:\n%s", s)
	}
	if s := SweepChart(sweepOf([]string{"0", "0.5"}, []float64{1, math.NaN()}), false, 0); s != "" {
		t.Errorf("a chart of one defined point:\n%s", s)
	}
	if s := SweepChart(sweepOf([]string{"a", "b"}, []float64{1, 2}), false, 0); s != "" {
		t.Errorf("a chart over values that are not numbers:\n%s", s)
	}
}

// TestSweepChartTitleWidth: a long metric's title wraps at a space within
// 80 columns, not past an 80-column terminal, where it folded mid-word.
func TestSweepChartTitleWidth(t *testing.T) {
	res := sweepOf([]string{"0", "0.5", "1"}, []float64{1, 4, 2})
	res.Spec.Metrics = []string{"exchange.revenue_per_auction"}
	agg := experiment.NewAgg(3, false)
	for rep := range 2 {
		for p, y := range []float64{1, 4, 2} {
			agg.Add(experiment.Item{Index: rep*3 + p, Point: p, Rep: rep,
				Values: experiment.Values{"exchange.revenue_per_auction": y + float64(rep)}})
		}
	}
	res.Agg = agg
	s := SweepChart(res, false, 0)
	for _, l := range strings.Split(s, "\n") {
		if w := ansi.StringWidth(l); w > titleWidth {
			t.Errorf("a line of %d cells: %q", w, l)
		}
	}
	if !strings.Contains(s, "exchange.revenue_per_auction against exchange.floor in CPM (the mean, and its\n95% band)") {
		t.Errorf("chart:\n%s", s)
	}
}

// TestSweepChartTicks: the x axis is labelled at round values (the
// grid's own when few, else 1, 2 or 5 × 10^k apart), each marked on the
// axis, with the unit of the swept path (ms for a duration, CPM for a
// floor) in the title (and on the axis when there is room).
func TestSweepChartTicks(t *testing.T) {
	axis := func(s string) (marks, labels string) {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			if strings.Contains(l, "└") && i+1 < len(lines) {
				return l, lines[i+1]
			}
		}
		t.Fatalf("no x axis:\n%s", s)
		return "", ""
	}
	var ms []string
	for v := 60; v <= 100; v += 5 {
		ms = append(ms, strconv.Itoa(v)+"ms")
	}
	for _, c := range []struct {
		path   string
		values []string
		want   []string // the labels, in order
		unit   string
	}{
		{"exchange.tmax", ms, []string{"60", "70", "80", "90", "100"}, "ms"},
		{"exchange.tmax", []string{"60ms", "80ms", "100ms"}, []string{"60", "80", "100"}, "ms"},
		{"exchange.floor", []string{"0", "0.3", "0.6"}, []string{"0", "0.3", "0.6"}, "CPM"},
		{"exchange.floor", []string{"0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.35"}, []string{"0", "0.1", "0.2", "0.3"}, "CPM"},
		{"bidders.a.budget.total", []string{"100", "130", "170", "210", "250", "290", "330", "370"}, []string{"100", "150", "200", "250", "300", "350"}, "currency"},
	} {
		ys := make([]float64, len(c.values))
		for i := range ys {
			ys[i] = float64(i % 3)
		}
		r := sweepOf(c.values, ys)
		r.Spec.Vary[0].Path = c.path
		s := SweepChart(r, false, 0)
		if !strings.Contains(s, "against "+c.path+" in "+c.unit+" (the mean") {
			t.Errorf("%s: the title has no unit %s:\n%s", c.path, c.unit, s)
		}
		marks, labels := axis(s)
		fields := strings.Fields(labels)
		var nums []string
		for _, f := range fields {
			if f != c.unit { // the unit, when there is room for it
				nums = append(nums, f)
			}
		}
		if strings.Join(nums, " ") != strings.Join(c.want, " ") || strings.Count(marks, "┬") != len(c.want) {
			t.Errorf("%s over %v: axis\n%s\n%s\nwant the labels %v and %s", c.path, c.values, marks, labels, c.want, c.unit)
		}
	}
}

// TestSweepChartDescending: a grid given high to low (a range with a
// negative step, or a list) is drawn on the same ascending axis, labelled,
// with each point at its own x: the chart is the one of the same points
// given low to high.
func TestSweepChartDescending(t *testing.T) {
	for _, c := range []struct{ up, down []string }{
		{[]string{"60ms", "80ms", "100ms"}, []string{"100ms", "80ms", "60ms"}},
		{[]string{"60ms", "65ms", "70ms", "75ms", "80ms", "85ms", "90ms", "95ms", "100ms"},
			[]string{"100ms", "95ms", "90ms", "85ms", "80ms", "75ms", "70ms", "65ms", "60ms"}},
	} {
		ys := make([]float64, len(c.up))
		rev := make([]float64, len(c.up))
		for i := range ys {
			ys[i] = float64(i*i%5) + 0.5*float64(i)
			rev[len(ys)-1-i] = ys[i]
		}
		up, down := sweepOf(c.up, ys), sweepOf(c.down, rev)
		up.Spec.Vary[0].Path, down.Spec.Vary[0].Path = "exchange.tmax", "exchange.tmax"
		a, b := SweepChart(up, false, 0), SweepChart(down, false, 0)
		if !strings.Contains(b, "┬") || !strings.Contains(b, " 60 ") {
			t.Errorf("%v: no x labels:\n%s", c.down, b)
		}
		if a != b {
			t.Errorf("%v is not drawn as %v:\n%s\nwant\n%s", c.down, c.up, b, a)
		}
	}
}

// TestSweepChartNarrow: on a terminal narrower than the chart's 72
// columns (50: the terminal folded every line) the chart is drawn as wide
// as the terminal, its axis labelled and every line within it; narrower
// than minChartWidth it is left out and a line says what it needs.
func TestSweepChartNarrow(t *testing.T) {
	res := sweepOf([]string{"0", "0.3", "0.6", "0.9"}, []float64{1.7, 1.9, 2.0, 0.9})
	for width := 20; width <= 100; width++ {
		s := SweepChart(res, false, width)
		for _, l := range strings.Split(s, "\n") {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("%d columns: a line of %d cells: %q", width, w, l)
			}
		}
		braille := strings.ContainsFunc(s, func(r rune) bool { return r > 0x2800 && r <= 0x28FF })
		drawn := braille && strings.Contains(s, "┬") && strings.Contains(s, "0.9")
		if drawn != (width >= minChartWidth) {
			t.Errorf("%d columns: chart drawn %v:\n%s", width, drawn, s)
		}
		if !drawn && !strings.Contains(strings.Join(strings.Fields(s), " "), "needs 32 columns") {
			t.Errorf("%d columns: no chart and no word on the width it needs:\n%s", width, s)
		}
	}
}
