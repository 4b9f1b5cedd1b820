package plot

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// SaveFor writes the chart c (drawn with err) to path, atomically, for
// --plot: errors name the flag and the file.
func SaveFor(c *Chart, err error, path string) error {
	if err == nil {
		err = c.Save(path)
	}
	if err != nil {
		return fmt.Errorf("--plot %s: %w", path, err)
	}
	return nil
}

// SaveRun draws a single run (run --plot without --reps), its tmax curve
// and its time series with the changes marked, to path.
func SaveRun(path string, full *report.Full) error {
	c, err := RunChart(FromReport(full))
	return SaveFor(c, err, path)
}

// SaveReps draws run --reps' main metrics, each of bidders' spend with
// its interval, to path.
func SaveReps(path string, res *experiment.Result, bidders []string) error {
	var ss []stats.Stat
	for _, b := range bidders {
		s, _ := res.Agg.Stat(0, "bidders."+b+".spend")
		ss = append(ss, s)
	}
	title := fmt.Sprintf("%s: spend per bidder, %d replications, 95%% intervals", res.Spec.Scenario, res.Agg.Reps())
	c, err := Intervals(title, "spend (currency)", bidders, ss, false)
	return SaveFor(c, err, path)
}

// SaveRepsMetrics draws run --reps --metrics: each of metrics with its
// 95% interval (RepsMetricsChart), to path.
func SaveRepsMetrics(path string, res *experiment.Result, metrics []string) error {
	c, err := RepsMetricsChart(res, metrics)
	return SaveFor(c, err, path)
}

// RepsMetricsChart is run --reps --metrics' figure: each metric's mean
// with its 95% interval, the metrics of one unit and size sharing a panel
// (Scales), each panel's y axis fitted to its own metrics, so a revenue
// in the thousands and a fill rate near 1 are both readable.
func RepsMetricsChart(res *experiment.Result, metrics []string) (*Chart, error) {
	ss := make([]stats.Stat, len(metrics))
	for i, m := range metrics {
		ss[i], _ = res.Agg.Stat(0, m)
	}
	title := fmt.Sprintf("%s: %d replications, 95%% intervals", res.Spec.Scenario, res.Agg.Reps())
	c := &Chart{}
	for _, group := range Scales(metrics, ss) {
		names := make([]string, len(group))
		gs := make([]stats.Stat, len(group))
		for i, k := range group {
			names[i], gs[i] = metrics[k], ss[k]
		}
		ylabel := "value"
		if u := Unit(names[0]); u != "" {
			ylabel = u
		}
		if len(names) == 1 {
			ylabel = Label(names[0])
		}
		pn, err := intervalsPanel(title, ylabel, names, gs, false)
		if err != nil {
			continue // a panel of metrics without an interval: the others still draw
		}
		fitY(pn, gs)
		c.panels = append(c.panels, pn)
		title = ""
	}
	if len(c.panels) == 0 {
		return nil, errors.New("no metric has an interval to draw")
	}
	return c, nil
}

// scaleRatio is how far apart (as a ratio of their largest magnitudes)
// two metrics of one unit may be and still share a panel.
const scaleRatio = 10

// Scales groups metrics (indices into names, in their order) for panels:
// one unit (Unit) and magnitudes (the interval's largest absolute end)
// within scaleRatio of each other; a metric of magnitude 0 joins any
// group of its unit, one without an interval is left out.
func Scales(names []string, ss []stats.Stat) [][]int {
	type group struct {
		unit   string
		lo, hi float64 // the magnitudes, 0 for none yet
		idx    []int
	}
	var gs []*group
	for i, n := range names {
		s := ss[i]
		if !finite(s.Mean) || !finite(s.Lo) || !finite(s.Hi) {
			continue
		}
		mag := max(math.Abs(s.Lo), math.Abs(s.Hi))
		u := Unit(n)
		var into *group
		for _, g := range gs {
			if g.unit != u {
				continue
			}
			if mag == 0 || g.hi == 0 || (max(g.hi, mag) <= scaleRatio*min(g.lo, mag)) {
				into = g
				break
			}
		}
		if into == nil {
			into = &group{unit: u}
			gs = append(gs, into)
		}
		into.idx = append(into.idx, i)
		if mag > 0 {
			if into.hi == 0 {
				into.lo, into.hi = mag, mag
			}
			into.lo, into.hi = min(into.lo, mag), max(into.hi, mag)
		}
	}
	out := make([][]int, len(gs))
	for i, g := range gs {
		out[i] = g.idx
	}
	return out
}

// fitY sets the panel's y axis to its intervals with a margin of a fifth
// of their span each side (of a twentieth of the value, or 1, when they
// have none), so no mean or bar end lies on the frame.
func fitY(pn *panel, ss []stats.Stat) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		if finite(s.Mean) && finite(s.Lo) && finite(s.Hi) {
			lo, hi = min(lo, s.Lo, s.Mean), max(hi, s.Hi, s.Mean)
		}
	}
	if lo > hi {
		return
	}
	pad := (hi - lo) / 5
	if pad == 0 {
		pad = math.Abs(hi) / 20
	}
	if pad == 0 {
		pad = 1
	}
	pn.p.Y.Min, pn.p.Y.Max = lo-pad, hi+pad
	pn.p.Y.Tick.Marker = exactTicks{}
}

// exactTicks are gonum's default ticks, each major one labelled with the
// digits its value needs: on a narrow range the default labels can round
// 2.35 to "2.4" beside a "2.3" at 2.30.
type exactTicks struct{}

// Ticks implements gplot.Ticker.
func (exactTicks) Ticks(lo, hi float64) []gplot.Tick {
	ts := gplot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ts {
		if t.Label == "" {
			continue // a minor tick
		}
		ts[i].Label = exactLabel(t.Value)
	}
	return ts
}

// CheckRunPlot refuses, before a single run of cfg to stop, a --plot
// (path; "" passes) that could not be written beside --out (CheckPath)
// or would draw nothing (CheckRun); the output guard checks the rest.
func CheckRunPlot(path, out string, cfg sim.Config, stop sim.Stop) error {
	if path == "" {
		return nil
	}
	if err := CheckPath(path, out); err != nil {
		return err
	}
	return CheckRun(cfg, stop)
}

// CheckRun refuses, before the run, a plot of a run of cfg to stop that
// would draw nothing: its tmax curve is off and the stop leaves fewer
// than two intervals of time series.
func CheckRun(cfg sim.Config, stop sim.Stop) error {
	interval := cfg.Interval
	if interval == 0 {
		interval = sim.Second // sim's default series interval
	}
	if cfg.Exchange.TmaxCurve.Off() && stop.Duration > 0 && stop.Duration < 2*interval {
		return fmt.Errorf("--plot: nothing to draw: the tmax curve is off (exchange.tmax_curve: false) and a run of %v has fewer than 2 intervals of %v in its time series", stop.Duration, interval)
	}
	return nil
}

// niceTicks label an axis at multiples of 1, 2 or 5 times a power of
// ten, at most five of them, each with the digits its value needs:
// gonum's default also steps by 2.5 and then labels every tick with two
// decimals ("0.00", "250.00" on a wait of up to 270 ms; "0.00", "2.50" on
// a price), where whole ms, or 0, 1, 2, 3 CPM, read best. Every panel's
// axes have them (newPanel); minor ticks fall halfway.
type niceTicks struct{}

// Ticks implements gplot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []gplot.Tick {
	span := hi - lo
	if !finite(span) || span <= 0 {
		return exactTicks{}.Ticks(lo, hi)
	}
	var step float64
	for e := math.Floor(math.Log10(span)) - 1; step == 0; e++ {
		for _, m := range []float64{1, 2, 5} {
			s := m * math.Pow(10, e)
			if math.Floor(hi/s)-math.Ceil(lo/s)+1 <= 5 {
				step = s
				break
			}
		}
	}
	// at is k steps, as its label writes it: 3 × 0.1 is 0.3, not
	// 0.30000000000000004, which would fall past a range ending at 0.3.
	at := func(k float64) float64 {
		v, err := strconv.ParseFloat(exactLabel(k*step), 64)
		if err != nil {
			return k * step
		}
		return v
	}
	var ts []gplot.Tick
	// n bounds the loop: k + 1 == k for a k past 2⁵³ (a range far
	// narrower than its distance from 0), which no axis in ms has.
	for k, n := math.Ceil(lo/step-0.5), 0; k*step <= hi+step/2 && n < 16; k, n = k+1, n+1 {
		if v := at(k - 0.5); v >= lo && v <= hi {
			ts = append(ts, gplot.Tick{Value: v})
		}
		if v := at(k); v >= lo && v <= hi {
			ts = append(ts, gplot.Tick{Value: v, Label: exactLabel(v)})
		}
	}
	return ts
}

// exactLabel is v with the digits it needs, at most 12 decimals: a
// multiple of 0.1 computed as 3 × 0.1 is "0.3", not 0.30000000000000004.
func exactLabel(v float64) string {
	for prec := 0; prec <= 12; prec++ {
		l := strconv.FormatFloat(v, 'f', prec, 64)
		if x, err := strconv.ParseFloat(l, 64); err == nil && math.Abs(x-v) <= 1e-9*max(1, math.Abs(v)) {
			if l == "-0" {
				return "0"
			}
			return l
		}
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
