package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/linechart"
	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/stats"
)

const sweepAbout = `Runs a scenario over a grid of values of one or more fields (every combination
of the --vary values), with the same replication seeds at every point, so
neighbouring points are paired too. Prints one row a point with each metric
as mean ± 95% half-width, and, when stdout is a terminal, a chart of the
first metric against the first varied field with its band.

--vary takes a list, exchange.floor=0,0.25,0.5 (commas inside {} or [] do not
split), or a range LO..HI:STEP of numbers or durations,
exchange.floor=0..0.9:0.1, exchange.tmax=60ms..200ms:20ms.`

const defaultSweepMetrics = "exchange.revenue,exchange.fill_rate,exchange.mean_clearing_price"

// maxPoints bounds a sweep's grid: each point carries its scenario's
// text (a few kilobytes) in memory and in every shard; beyond this the
// grid is more likely a mistake than a plan.
const maxPoints = 10_000

// varyFlags collects --vary.
type varyFlags []varySpec

func (v *varyFlags) String() string { return "" }

func (v *varyFlags) Set(text string) error {
	path, list, okc := strings.Cut(text, "=")
	path = strings.TrimSpace(path)
	if !okc || path == "" || strings.TrimSpace(list) == "" {
		return fmt.Errorf("--vary %s: want PATH=V1,V2,... or PATH=LO..HI:STEP", text)
	}
	values, err := varyValues(list)
	if err != nil {
		return fmt.Errorf("--vary %s: %v", text, err)
	}
	*v = append(*v, varySpec{Path: path, Values: values})
	return nil
}

// varyValues expands a list (commas outside brackets separate values) or
// a range LO..HI:STEP of numbers or durations.
func varyValues(text string) ([]string, error) {
	if lo, rest, isRange := strings.Cut(text, ".."); isRange && !strings.ContainsAny(text, ",{[") {
		hi, step, okc := strings.Cut(rest, ":")
		if !okc {
			return nil, fmt.Errorf("a range needs a step: LO..HI:STEP")
		}
		return expandRange(strings.TrimSpace(lo), strings.TrimSpace(hi), strings.TrimSpace(step))
	}
	var out []string
	depth, start := 0, 0
	for i, c := range text {
		switch c {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(text[start:i]))
				start = i + 1
			}
		}
	}
	out = append(out, strings.TrimSpace(text[start:]))
	for _, v := range out {
		if v == "" {
			return nil, fmt.Errorf("an empty value in the list")
		}
	}
	return out, nil
}

func expandRange(lo, hi, step string) ([]string, error) {
	a, e1 := strconv.ParseFloat(lo, 64)
	b, e2 := strconv.ParseFloat(hi, 64)
	s, e3 := strconv.ParseFloat(step, 64)
	if e1 == nil && e2 == nil && e3 == nil {
		n, err := rangeCount(a, b, s)
		if err != nil {
			return nil, err
		}
		dec := max(decimals(lo), decimals(hi), decimals(step))
		out := make([]string, n)
		for i := range n {
			out[i] = strconv.FormatFloat(a+float64(i)*s, 'f', dec, 64)
		}
		return out, nil
	}
	da, e1 := time.ParseDuration(lo)
	db, e2 := time.ParseDuration(hi)
	ds, e3 := time.ParseDuration(step)
	if e1 != nil || e2 != nil || e3 != nil {
		return nil, fmt.Errorf("a range's LO, HI and STEP must all be numbers or all durations, got %s..%s:%s", lo, hi, step)
	}
	n, err := rangeCount(float64(da), float64(db), float64(ds))
	if err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i := range n {
		out[i] = (da + time.Duration(i)*ds).String()
	}
	return out, nil
}

// rangeCount is how many values lo, lo+step, … ≤ hi there are, with a
// tolerance for decimal steps (0.1 is not exact in binary).
func rangeCount(lo, hi, step float64) (int, error) {
	if !(step > 0) || !ok(lo) || !ok(hi) || hi < lo {
		return 0, fmt.Errorf("a range needs LO ≤ HI and a STEP > 0")
	}
	n := math.Floor((hi-lo)/step+1e-9) + 1
	if n > maxPoints {
		return 0, fmt.Errorf("the range has %.0f values, more than %d", n, maxPoints)
	}
	return int(n), nil
}

func decimals(s string) int {
	if i := strings.IndexByte(s, '.'); i >= 0 && !strings.ContainsAny(s, "eE") {
		return len(s) - i - 1
	}
	return 0
}

func newSweepCmd() *command {
	var (
		sf      scenarioFlags
		f       expFlags
		vary    varyFlags
		metrics string
	)
	c := newCommand("sweep", "[-s NAME|FILE] --vary PATH=V1,V2,...|PATH=LO..HI:STEP [--vary ...] [flags]", sweepAbout)
	sf.define(c)
	f.defineExp(c, 20)
	f.defineOutput(c, ".json or .csv (one row a point)")
	c.fs.Var(&vary, "vary", "`PATH=VALUES` a field and its values (repeatable): V1,V2,... or LO..HI:STEP")
	c.fs.StringVar(&metrics, "metrics", defaultSweepMetrics, "`M1,M2,...` the metrics: flat paths of the run's JSON summary")
	c.examples = []string{
		"auctionsim sweep -s reserve-price --vary exchange.floor=0..0.9:0.1 --reps 20",
		"auctionsim sweep -s timeout-demo --vary exchange.tmax=60ms..200ms:20ms --plot tmax.png",
		"auctionsim sweep -s budget-split --vary bidders.acme-retarget.budget.total=100,200,300 --json",
	}
	c.exits = "Exit codes: 0 ok, 1 a run failed (or an output could not be written), 2 bad usage or a bad scenario, 130 interrupted."
	c.noArgs = true
	c.run = func(st streams) int {
		return sweepMain(&sf, &f, vary, metrics, c.given(), st)
	}
	return c
}

func sweepMain(sf *scenarioFlags, f *expFlags, vary varyFlags, metrics string, given map[string]bool, st streams) int {
	if err := f.check(given, ".json", ".csv"); err != nil {
		return usageError(st, "sweep", "%v", err)
	}
	if len(vary) == 0 {
		return usageError(st, "sweep", "give at least one --vary PATH=V1,V2,... or PATH=LO..HI:STEP")
	}
	points := 1
	for _, v := range vary {
		if v.Path == "seed" {
			return usageError(st, "sweep", "--vary seed=...: every point runs with the same replication seeds by design; give --seed or more --reps")
		}
		points *= len(v.Values)
		if points > maxPoints {
			return usageError(st, "sweep", "the grid has more than %d points", maxPoints)
		}
	}
	var names []string
	for _, m := range strings.Split(metrics, ",") {
		if m = strings.TrimSpace(m); m != "" {
			names = append(names, m)
		}
	}
	if len(names) == 0 {
		return usageError(st, "sweep", "--metrics: give at least one metric")
	}

	sets := f.baseSets(sf)
	spec := &expSpec{Command: "sweep", Seed: 0, Reps: f.reps, Sets: setStrings(sets), Vary: vary, Metrics: names}
	// Points in row-major order: the first --vary changes slowest.
	idx := make([]int, len(vary))
	for p := range points {
		rem := p
		for j := len(vary) - 1; j >= 0; j-- {
			idx[j] = rem % len(vary[j].Values)
			rem /= len(vary[j].Values)
		}
		ps := append([]scenarios.Set(nil), sets...)
		values := make([]string, len(vary))
		for j, v := range vary {
			values[j] = v.Values[idx[j]]
			ps = append(ps, scenarios.Set{Path: v.Path, Value: values[j], Flag: "--vary"})
		}
		pt, sc, okp := resolvePoint(sf.name, ps, st)
		if !okp {
			return exitUsage
		}
		if p == 0 {
			spec.Scenario, spec.Seed = sc.Name, sc.Config.Seed
			spec.inputs = fileInput(sc)
			if err := checkMetrics(sc, names...); err != nil {
				return usageError(st, "sweep", "--metrics: %v", err)
			}
		}
		pt.Values = values
		spec.Points = append(spec.Points, pt)
	}
	res, code := runExperiment("sweep", spec, f, false, 0, nil, st)
	if res == nil {
		return code
	}
	return emitSweep(res, f, st)
}

// sweepPoint is one point of sweep's JSON.
type sweepPoint struct {
	Values  map[string]any        `json:"values"`
	Metrics map[string]stats.Stat `json:"metrics"`
}

// sweepJSON is sweep's JSON output.
type sweepJSON struct {
	Scenario     string       `json:"scenario"`
	Seed         uint64       `json:"seed"`
	Replications int          `json:"replications"`
	Partial      bool         `json:"partial"`
	Set          []string     `json:"set,omitempty"`
	Vary         []varyJSON   `json:"vary"`
	Points       []sweepPoint `json:"points"`
	WallSeconds  float64      `json:"wall_seconds"`
}

type varyJSON struct {
	Path   string `json:"path"`
	Values []any  `json:"values"`
}

// typed is a value as JSON: a number when it reads as one.
func typed(v string) any {
	if x, err := strconv.ParseFloat(v, 64); err == nil && ok(x) {
		return x
	}
	return v
}

func sweepOutput(res *expResult) sweepJSON {
	sp := res.spec
	out := sweepJSON{Scenario: sp.Scenario, Seed: sp.Seed, Replications: res.agg.Reps(), Partial: res.partial,
		Set: sp.Sets, WallSeconds: res.wall.Seconds()}
	for _, v := range sp.Vary {
		vj := varyJSON{Path: v.Path}
		for _, x := range v.Values {
			vj.Values = append(vj.Values, typed(x))
		}
		out.Vary = append(out.Vary, vj)
	}
	for p, pt := range sp.Points {
		sp := sweepPoint{Values: map[string]any{}, Metrics: map[string]stats.Stat{}}
		for j, v := range res.spec.Vary {
			sp.Values[v.Path] = typed(pt.Values[j])
		}
		for _, m := range res.spec.Metrics {
			s, okm := res.agg.Stat(p, m)
			if !okm {
				s = stats.Of(math.NaN(), math.NaN(), 0)
			}
			sp.Metrics[m] = s
		}
		out.Points = append(out.Points, sp)
	}
	return out
}

func emitSweep(res *expResult, f *expFlags, st streams) int {
	return emitExp("sweep", res.partial, f, st, sweepOutput(res),
		func(w io.Writer) error { return writeSweepCSV(w, res) },
		func(path string) error { return plotSweep(path, res) },
		func() string {
			text := sweepTable(res)
			if st.outTTY {
				text += sweepChart(res, !noColor(f.noColor, st))
			}
			return text
		})
}

func writeSweepCSV(w io.Writer, res *expResult) error {
	cw := csv.NewWriter(w)
	var head []string
	for _, v := range res.spec.Vary {
		head = append(head, v.Path)
	}
	for _, m := range res.spec.Metrics {
		head = append(head, m+".mean", m+".sd", m+".n", m+".lo", m+".hi")
	}
	cw.Write(head)
	for p, pt := range res.spec.Points {
		row := append([]string(nil), pt.Values...)
		for _, m := range res.spec.Metrics {
			s, _ := res.agg.Stat(p, m)
			row = append(row, csvNum(s.Mean), csvNum(s.SD), strconv.Itoa(s.N), csvNum(s.Lo), csvNum(s.Hi))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// short is a path for a column header: whole if it fits, else its last
// part.
func short(path string, width int) string {
	if len(path) <= width {
		return path
	}
	parts := strings.Split(path, ".")
	s := parts[len(parts)-1]
	return truncate(s, width)
}

func sweepTable(res *expResult) string {
	var b strings.Builder
	sp := res.spec
	var fields []string
	for _, v := range sp.Vary {
		fields = append(fields, v.Path)
	}
	fmt.Fprintf(&b, "%s: sweep of %s, %d replications a point (seed %d), mean ± 95%% half-width",
		sp.Scenario, strings.Join(fields, " × "), res.agg.Reps(), sp.Seed)
	if res.partial {
		b.WriteString(" (partial)")
	}
	b.WriteString("\n\n")
	const vw, mw = 12, 20
	for _, v := range sp.Vary {
		fmt.Fprintf(&b, "%-*s ", vw, short(v.Path, vw))
	}
	for _, m := range sp.Metrics {
		fmt.Fprintf(&b, "%*s ", mw, short(m, mw))
	}
	b.WriteString("\n")
	for p, pt := range sp.Points {
		for _, v := range pt.Values {
			fmt.Fprintf(&b, "%-*s ", vw, truncate(v, vw))
		}
		for _, m := range sp.Metrics {
			s, _ := res.agg.Stat(p, m)
			fmt.Fprintf(&b, "%*s ", mw, fmtPM(s))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// firstSeries is the first metric against the first varied field, at the
// other fields' first values; ok is false when the field is not numeric.
func firstSeries(res *expResult) (xs []float64, ss []stats.Stat, okx bool) {
	sp := res.spec
	stride := 1
	for _, v := range sp.Vary[1:] {
		stride *= len(v.Values)
	}
	for i, v := range sp.Vary[0].Values {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			d, derr := time.ParseDuration(v)
			if derr != nil {
				return nil, nil, false
			}
			x = float64(d) / float64(time.Millisecond)
		}
		s, _ := res.agg.Stat(i*stride, sp.Metrics[0])
		xs = append(xs, x)
		ss = append(ss, s)
	}
	return xs, ss, true
}

// sweepChart draws the first metric against the first field with its
// band, for a terminal.
func sweepChart(res *expResult, color bool) string {
	xs, ss, okx := firstSeries(res)
	if !okx || len(xs) < 2 {
		return ""
	}
	pts := defined(xs, ss)
	if pts.Len() < 2 {
		return ""
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range pts.stats {
		lo, hi = min(lo, s.Lo), max(hi, s.Hi)
	}
	if hi <= lo {
		hi = lo + 1
	}
	pad := (hi - lo) * 0.05
	chart := linechart.New(72, 16, pts.xs[0], pts.xs[pts.Len()-1], lo-pad, hi+pad,
		linechart.WithXYSteps(4, 2),
		linechart.WithXLabelFormatter(func(_ int, x float64) string { return fmtNum(x) }),
		linechart.WithYLabelFormatter(func(_ int, y float64) string { return fmtNum(y) }),
	)
	chart.DrawXYAxisAndLabel()
	band := lipgloss.NewStyle()
	if color {
		band = band.Foreground(lipgloss.Color("8"))
	}
	for i := 1; i < pts.Len(); i++ {
		a, b := pts.stats[i-1], pts.stats[i]
		x0, x1 := pts.xs[i-1], pts.xs[i]
		chart.DrawBrailleLineWithStyle(canvas.Float64Point{X: x0, Y: a.Lo}, canvas.Float64Point{X: x1, Y: b.Lo}, band)
		chart.DrawBrailleLineWithStyle(canvas.Float64Point{X: x0, Y: a.Hi}, canvas.Float64Point{X: x1, Y: b.Hi}, band)
		chart.DrawBrailleLine(canvas.Float64Point{X: x0, Y: a.Mean}, canvas.Float64Point{X: x1, Y: b.Mean})
	}
	return fmt.Sprintf("\n%s against %s (the mean, and its 95%% band)\n%s\n", res.spec.Metrics[0], res.spec.Vary[0].Path, chart.View())
}

func plotSweep(path string, res *expResult) error {
	xs, ss, okx := firstSeries(res)
	if !okx {
		return fmt.Errorf("--plot %s: %s's values are not numbers", path, res.spec.Vary[0].Path)
	}
	title := fmt.Sprintf("%s: %s, %d replications a point", res.spec.Scenario, res.spec.Metrics[0], res.agg.Reps())
	c, err := plot.BandChart(plot.Band{Title: title, XLabel: plot.Label(res.spec.Vary[0].Path), YLabel: plot.Label(res.spec.Metrics[0]),
		X: xs, Y: ss, Theory: theorySeries(res, xs)})
	return savePlot(c, err, path)
}

// theoryOf maps the metrics that have a closed form to it.
var theoryOf = map[string]func(sim.Theory) float64{
	"exchange.revenue_per_auction": func(t sim.Theory) float64 { return t.RevenuePerAuction },
	"exchange.mean_clearing_price": func(t sim.Theory) float64 { return t.MeanClearingPrice },
	"exchange.fill_rate":           func(t sim.Theory) float64 { return t.FillRate },
}

// theorySeries is the closed form of the first metric at the points of the
// first varied parameter (the other parameters at their first value), or
// nil where the metric or any point has none.
func theorySeries(res *expResult, xs []float64) []plot.XY {
	of := theoryOf[res.spec.Metrics[0]]
	if of == nil {
		return nil
	}
	scs, err := res.spec.scenarios()
	if err != nil {
		return nil
	}
	stride := len(scs) / max(len(xs), 1)
	out := make([]plot.XY, len(xs))
	for i, x := range xs {
		t := sim.TheoryOf(scs[i*stride].Config)
		y := of(t)
		if !t.Applies || math.IsNaN(y) {
			return nil
		}
		out[i] = plot.XY{X: x, Y: y}
	}
	return out
}
