package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/canvas/runes"
	"github.com/NimbleMarkets/ntcharts/linechart/timeserieslinechart"
	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// The learner's chart: # cycles the chart past its metrics to a learning
// bidder's shade factor over time, when a bidder learns: the selected
// bidder if it learns, else the first that does. The factor is sim's,
// per series interval (sim.BidderPoint.LearnFactor).

// chartedLearner is the bidder whose factor the chart plots: the
// selected bidder if it learns, else the first learner; -1 if none
// learns.
func chartedLearner(s *sim.Snapshot, selected int) int {
	if selected >= 0 && selected < len(s.Bidders) && s.Bidders[selected].Strategy.Kind == sim.Learn {
		return selected
	}
	for i, b := range s.Bidders {
		if b.Strategy.Kind == sim.Learn {
			return i
		}
	}
	return -1
}

// learnChartOn reports which learner's chart the dashboard shows: the
// learner, or -1 for the metric's chart.
func learnChartOn(c *Context) int {
	if !c.LearnChart {
		return -1
	}
	return chartedLearner(c.Snap(), c.Selected)
}

// nextChart moves the chart on: through the metrics, then, when a bidder
// learns, to its factor, then back to the first metric.
func nextChart(c *Context) string {
	switch {
	case c.LearnChart:
		c.LearnChart = false
		c.Metric = sim.TheoryMetric(0)
	case c.Metric.Next() == 0 && chartedLearner(c.Snap(), c.Selected) >= 0:
		c.LearnChart = true
		b := c.Snap().Bidders[chartedLearner(c.Snap(), c.Selected)]
		return "chart: " + b.Name + "'s shade factor, as it learns (the arm with the highest mean surplus so far)"
	default:
		c.Metric = c.Metric.Next()
	}
	return "chart: " + c.Metric.String() + metricHint(c.Metric)
}

// learnPoints are learner i's factor per series interval, at each
// interval's middle; intervals where it learned nothing are left out.
func learnPoints(s *sim.Snapshot, i int) []pricePoint {
	var pts []pricePoint
	for _, p := range s.Series.Points {
		if i < len(p.Bidders) && p.Bidders[i].LearnFactor > 0 {
			pts = append(pts, pricePoint{at: p.Start + s.Series.Width/2, price: p.Bidders[i].LearnFactor})
		}
	}
	return pts
}

// equilibriumShade is the factor a learner should settle on where theory
// says so: in first price with values uniform on [0, b] for every bidder
// and every rival bidding the equilibrium (no floor), the best response
// is the equilibrium's shading (n−1)/n; false elsewhere. A rival shading
// by (n−1)/n bids the equilibrium there, as first-vs-second's do.
func equilibriumShade(s *sim.Snapshot, learner int) (float64, bool) {
	if s.Settings.Auction != sim.FirstPrice || s.Settings.Floor != 0 {
		return 0, false
	}
	d0, ok := s.ValueDist(s.Bidders[learner].Name)
	if !ok || d0.Kind != sim.DistUniform || d0.A != 0 {
		return 0, false
	}
	n := 0
	for _, b := range s.Bidders {
		if b.Enabled {
			n++
		}
	}
	if n < 2 {
		return 0, false
	}
	for i, b := range s.Bidders {
		if !b.Enabled {
			continue
		}
		d, ok := s.ValueDist(b.Name)
		if !ok || d.Kind != d0.Kind || d.A != d0.A || d.B != d0.B {
			return 0, false
		}
		eq := b.Strategy.Kind == sim.Equilibrium || b.Strategy.Kind == sim.Shade && sim.EquilibriumShade(b.Strategy.Factor, n)
		if i != learner && !eq {
			return 0, false
		}
	}
	return float64(n-1) / float64(n), true
}

// renderLearnChart draws learner i's factor over virtual time in a w×h
// block, on a 0–1 scale (a little past 1 where round labels need it), with (n−1)/n where theory gives it.
func renderLearnChart(c *Context, i, w, h int) string {
	st, snap := c.Theme, c.Snap()
	pts := learnPoints(snap, i)
	if len(pts) < 2 || w < 20 || h < 4 {
		return format.Block([]string{"", st.Dim.Render(snap.Bidders[i].Name + " has not learned over two intervals yet…")}, w, h)
	}
	ms := func(t sim.Time) time.Time { return time.Unix(int64(t/sim.Millisecond), 0) }
	minX, maxX := pts[0].at, pts[len(pts)-1].at
	if maxX-minX < 2*sim.Millisecond {
		maxX = minX + 2*sim.Millisecond
	}
	// 0 to 1, labelled at round values (0.2, 0.4 …, not 0.12, 0.25 …)
	// where the rows allow: the axis may then pass 1 by less than a
	// step, or, where no such axis fits the rows (19 of them), by a third
	// at most: a label of 1.2 reads better than 0.11, 0.21 ….
	top, yStep, yFormat := 1.0, 2, "%.2f"
	ax, ok := format.RoundAxis(0, 1, h-2, 1, 0)
	if !ok {
		ax, ok = format.RoundAxis(0, 1, h-2, 0, 0.75)
	}
	if ok {
		top, yStep, yFormat = ax.High, ax.Every, fmt.Sprintf("%%.%df", ax.Decimals)
	}
	gutter := len(levelLabel(0)) // room for the best response's value
	chart := timeserieslinechart.New(w, h,
		timeserieslinechart.WithTimeRange(ms(minX), ms(maxX)),
		timeserieslinechart.WithYRange(0, top),
		timeserieslinechart.WithXYSteps(max(w/16, 2), yStep),
		timeserieslinechart.WithAxesStyles(st.Axis, st.AxisLabel),
		timeserieslinechart.WithStyle(st.PriceLine),
		timeserieslinechart.WithLineStyle(runes.ArcLineStyle),
		timeserieslinechart.WithXLabelFormatter(func(_ int, v float64) string {
			return format.ShortClock(sim.Time(v) * sim.Millisecond)
		}),
		timeserieslinechart.WithYLabelFormatter(func(_ int, v float64) string {
			return fmt.Sprintf("%*s", gutter, fmt.Sprintf(yFormat, v))
		}),
	)
	for _, p := range pts {
		chart.Push(timeserieslinechart.TimePoint{Time: ms(p.at), Value: p.price})
	}
	chart.DrawAll()
	if eq, ok := equilibriumShade(snap, i); ok {
		drawLevel(&chart, minX, maxX, 0, top, theoryRune, st.Good, func(sim.Time) (float64, bool) { return eq, true })
		markLevel(&chart, 0, top, eq, st.Good)
	}
	return canvasView(&chart.Canvas)
}

// learnChartTitle is the learner's chart's title line.
func learnChartTitle(c *Context, i, w int) string {
	st, snap := c.Theme, c.Snap()
	b := snap.Bidders[i]
	parts := []string{st.Title.Render(b.Name + "'s shade factor")}
	if b.Learn != nil {
		parts = append(parts, st.Label.Render("now ")+st.Value.Render(fmtFactor(b.Learn.Factor)))
	}
	eqAt := -1 // the theory's legend, shortened before it goes (80 columns)
	if eq, ok := equilibriumShade(snap, i); ok {
		eqAt = len(parts)
		parts = append(parts, st.Good.Render(string(theoryRune))+st.Label.Render(" best response (n−1)/n ")+st.Value.Render(fmt.Sprintf("%.2f", eq)))
	}
	if b.Learn != nil {
		parts = append(parts, st.Dim.Render(format.Count(b.Learn.Updates)+" bids learned from"))
	}
	parts = append(parts, st.Dim.Render(fmt.Sprintf("factor per %v", snap.Series.Width)))
	for n := len(parts); n >= 1; n-- {
		if t := strings.Join(parts[:n], "  "); lipgloss.Width(t) <= w {
			return t
		}
		if n == eqAt+1 {
			// The line drawn keeps its legend: "═ (n−1)/n 0.75".
			eq, _ := equilibriumShade(snap, i)
			short := append(append([]string{}, parts[:eqAt]...), st.Good.Render(string(theoryRune))+st.Label.Render(" (n−1)/n ")+st.Value.Render(fmt.Sprintf("%.2f", eq)))
			if t := strings.Join(short, "  "); lipgloss.Width(t) <= w {
				return t
			}
		}
	}
	return parts[0]
}

// fmtFactor formats a shade factor as the chart's title does.
func fmtFactor(f float64) string { return fmt.Sprintf("%.2f", f) }
