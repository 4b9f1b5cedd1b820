package summary

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
)

// sweepAround is a sweep over exchange.floor whose two replications at
// point p give ys[p] ± d.
func sweepAround(values []string, ys []float64, d float64) *experiment.Result {
	agg := experiment.NewAgg(len(values), false)
	for rep := range 2 {
		for p, y := range ys {
			agg.Add(experiment.Item{Index: rep*len(ys) + p, Point: p, Rep: rep,
				Values: experiment.Values{"exchange.revenue": y + d*float64(2*rep-1)}})
		}
	}
	spec := &experiment.Spec{Metrics: []string{"exchange.revenue"},
		Vary: []experiment.Vary{{Path: "exchange.floor", Values: values}}}
	return &experiment.Result{Spec: spec, Agg: agg}
}

// The sweep's chart labels its y axis at round values (1, 2 or 5 × 10^k
// apart, each a multiple of the step, with the decimals the step needs:
// not 1.877, 1.826), at least 3 of them, and its data (the band and the
// mean, in braille) spans at least 60% of the plotted rows: the axis'
// range is the round labels around the data, not a round range that
// squashes it to half the height.
func TestSweepChartYAxisRound(t *testing.T) {
	vals := []string{"0", "0.3", "0.6", "0.9"}
	for _, c := range []struct {
		ys []float64
		d  float64
	}{
		{[]float64{1.69, 1.94, 2.01, 0.86}, 0.01}, // reserve-price's revenue
		{[]float64{1.83, 1.86, 1.85, 1.84}, 0.005},
		{[]float64{20, 400, 600, 1000}, 0.001}, // prebid-server's wait p95, ms
		{[]float64{0.9020, 0.905, 0.903, 0.91}, 0.0004},
		{[]float64{-3.2, -1.1, 0.4, 2.7}, 0.1},
		{[]float64{12345, 12890, 13020, 12500}, 20},
	} {
		s := SweepChart(sweepAround(vals, c.ys, c.d), false, 0)
		lines := strings.Split(s, "\n")
		var labels []float64
		var texts []string
		var rows []int
		top, bottom, axisRow := -1, -1, -1
		for y, l := range lines {
			r := []rune(l)
			for x, ch := range r {
				if ch != '│' && ch != '└' {
					continue
				}
				if ch == '└' {
					axisRow = y
				}
				if text := strings.TrimSpace(string(r[:x])); text != "" {
					v, err := strconv.ParseFloat(text, 64)
					if err != nil {
						t.Errorf("%v: label %q", c.ys, text)
						break
					}
					labels, texts, rows = append(labels, v), append(texts, text), append(rows, y)
				}
				if strings.ContainsFunc(string(r[x+1:]), func(b rune) bool { return b >= 0x2801 && b <= 0x28FF || b == alikeRing }) {
					if top < 0 {
						top = y
					}
					bottom = y
				}
				break
			}
		}
		if len(labels) < 3 || axisRow < 0 {
			t.Errorf("%v: labels %q:\n%s", c.ys, texts, s)
			continue
		}
		step := labels[0] - labels[1]
		p := math.Pow(10, math.Floor(math.Log10(step)+1e-9))
		if m := step / p; math.Abs(m-1) > 1e-6 && math.Abs(m-2) > 1e-6 && math.Abs(m-5) > 1e-6 {
			t.Errorf("%v: labels %q, %v apart:\n%s", c.ys, texts, step, s)
		}
		dec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
		for i, v := range labels {
			if math.Abs(v/step-math.Round(v/step)) > 1e-6 || (i > 0 && (math.Abs(labels[i-1]-v-step) > 1e-6*step || rows[i]-rows[i-1] != rows[1]-rows[0])) {
				t.Errorf("%v: labels %q on rows %v not a step %v apart", c.ys, texts, rows, step)
			}
			if got := len(texts[i]) - strings.IndexByte(texts[i]+".", '.') - 1; max(got, 0) != dec {
				t.Errorf("%v: label %s for a step of %v", c.ys, texts[i], step)
			}
		}
		first := axisRow // the chart's first line
		for y := axisRow; y >= 0 && (strings.ContainsRune(lines[y], '│') || y == axisRow); y-- {
			first = y
		}
		plotted := axisRow - first
		if span := bottom - top + 1; float64(span) < 0.6*float64(plotted) {
			t.Errorf("%v: the data spans %d of %d rows:\n%s", c.ys, span, plotted, s)
		}
	}
}
