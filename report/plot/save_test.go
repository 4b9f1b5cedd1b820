package plot

import (
	"bytes"
	"context"
	"errors"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// TestSaveRun draws a short run to an SVG file, and checks the errors of
// a plot that cannot be saved name the flag and the file.
func TestSaveRun(t *testing.T) {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	sc, err = sc.WithStop(scenarios.Stop{Auctions: 2000})
	if err != nil {
		t.Fatal(err)
	}
	run, err := report.Execute(context.Background(), sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	full := report.NewFull(run.Snap, run.Meta())
	path := filepath.Join(t.TempDir(), "run.svg")
	if err := SaveRun(path, &full); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(path); err != nil || !strings.Contains(string(data), "<svg") {
		t.Errorf("not an SVG file: %v", err)
	}
	if err := SaveFor(nil, errors.New("boom"), "x.png"); err == nil || err.Error() != "--plot x.png: boom" {
		t.Errorf("SaveFor: %v", err)
	}
}

// TestCheckRun checks that a run with nothing to draw is refused and the
// others pass.
func TestCheckRun(t *testing.T) {
	cfg := sim.Config{Interval: 10 * sim.Second} // the zero grid: the curve off
	if err := CheckRun(cfg, sim.Stop{Duration: 15 * sim.Second}); err == nil || !strings.Contains(err.Error(), "fewer than 2 intervals of 10s") {
		t.Errorf("a curve off and 1.5 intervals: %v", err)
	}
	for _, stop := range []sim.Stop{{Duration: 20 * sim.Second}, {Auctions: 10}} {
		if err := CheckRun(cfg, stop); err != nil {
			t.Errorf("%+v: %v", stop, err)
		}
	}
	on := sim.Config{}
	on.Exchange.TmaxCurve = sim.TmaxGrid{Follow: true}
	if err := CheckRun(on, sim.Stop{Duration: sim.Second}); err != nil {
		t.Errorf("with the tmax curve on: %v", err)
	}
}

// TestCheckRunPlot checks a single run's --plot: none passes, a format
// unknown or a run with nothing to draw is refused.
func TestCheckRunPlot(t *testing.T) {
	cfg := sim.Config{Interval: 10 * sim.Second}
	short := sim.Stop{Duration: 15 * sim.Second}
	if err := CheckRunPlot("", "", cfg, short); err != nil {
		t.Errorf("no --plot: %v", err)
	}
	if err := CheckRunPlot("x.gif", "", cfg, sim.Stop{Auctions: 10}); err == nil || !strings.HasPrefix(err.Error(), "--plot ") {
		t.Errorf("x.gif: %v", err)
	}
	if err := CheckRunPlot("x.svg", "", cfg, short); err == nil || !strings.Contains(err.Error(), "nothing to draw") {
		t.Errorf("nothing to draw: %v", err)
	}
	if err := CheckRunPlot("x.svg", "", cfg, sim.Stop{Auctions: 10}); err != nil {
		t.Errorf("x.svg: %v", err)
	}
}

// TestDefined checks that points with a mean or interval that is not a
// number are dropped, and only they.
func TestDefined(t *testing.T) {
	nan := math.NaN()
	xs, ss := Defined([]float64{1, 2, math.Inf(1), 4}, []stats.Stat{
		{Mean: 1, Lo: 0, Hi: 2}, {Mean: nan}, {Mean: 3, Lo: 2, Hi: 4}, {Mean: 4, Lo: 3, Hi: 5},
	})
	if len(xs) != 2 || xs[0] != 1 || xs[1] != 4 || ss[1].Mean != 4 {
		t.Errorf("Defined: %v %v", xs, ss)
	}
}

// repsOf is a run --reps result of one point, the metrics' values in each
// replication from vals.
func repsOf(vals map[string][]float64) *experiment.Result {
	var names []string
	n := 0
	for k, v := range vals {
		names = append(names, k)
		n = len(v)
	}
	agg := experiment.NewAgg(1, false)
	for rep := range n {
		v := experiment.Values{}
		for k, xs := range vals {
			v[k] = xs[rep]
		}
		agg.Add(experiment.Item{Index: rep, Rep: rep, Values: v})
	}
	return &experiment.Result{Spec: &experiment.Spec{Scenario: "s", Metrics: names}, Agg: agg}
}

// TestRepsMetricsChart: run --reps --metrics with a revenue in the
// thousands and a fill rate near 1 draws each in a panel of its own, each
// y axis fitted to its metric's interval with room each side (no mean or
// bar end on the frame), the means off the left and right edges; metrics
// of one unit and size share a panel.
func TestRepsMetricsChart(t *testing.T) {
	res := repsOf(map[string][]float64{
		"exchange.revenue":   {1480, 1520, 1500, 1510},
		"exchange.fill_rate": {0.93, 0.95, 0.94, 0.96},
		"exchange.spend":     {700, 720, 710, 690}, // currency, within ×10 of revenue
	})
	metrics := []string{"exchange.revenue", "exchange.fill_rate", "exchange.spend"}
	c, err := RepsMetricsChart(res, metrics)
	if err != nil {
		t.Fatal(err)
	}
	if c.Panels() != 2 {
		t.Fatalf("%d panels, want 2 (currency, share)", c.Panels())
	}
	want := [][]string{{"exchange.revenue", "exchange.spend"}, {"exchange.fill_rate"}}
	for i, pn := range c.panels {
		var lo, hi = math.Inf(1), math.Inf(-1)
		for _, m := range want[i] {
			s, _ := res.Agg.Stat(0, m)
			lo, hi = min(lo, s.Lo), max(hi, s.Hi)
		}
		y := pn.p.Y
		if !(y.Min < lo && y.Max > hi) {
			t.Errorf("panel %d %v: y %v..%v does not hold %v..%v inside", i, want[i], y.Min, y.Max, lo, hi)
		}
		if y.Max-y.Min > 2*(hi-lo) {
			t.Errorf("panel %d %v: y %v..%v is too wide for %v..%v to read", i, want[i], y.Min, y.Max, lo, hi)
		}
		if x := pn.p.X; x.Min >= 0 || x.Max <= float64(len(want[i])-1) {
			t.Errorf("panel %d: x %v..%v puts a mean on the frame", i, x.Min, x.Max)
		}
		if !strings.Contains(pn.p.Y.Label.Text, map[int]string{0: "currency", 1: "fill rate"}[i]) {
			t.Errorf("panel %d: y label %q", i, pn.p.Y.Label.Text)
		}
	}
	var buf bytes.Buffer
	if err := c.WriteTo(&buf, "svg"); err != nil || buf.Len() == 0 {
		t.Errorf("svg: %v", err)
	}
}

// TestExactTicks: on a narrow range every major tick's label is its value
// (gonum's default labels 2.30 and 2.35 "2.3" and "2.4"), and no two
// labels are the same.
func TestExactTicks(t *testing.T) {
	for _, r := range [][2]float64{{2.283, 2.357}, {4.56, 4.72}, {0.95, 1.05}, {990, 1010}} {
		seen := map[string]bool{}
		n := 0
		for _, tk := range (exactTicks{}).Ticks(r[0], r[1]) {
			if tk.Label == "" {
				continue
			}
			n++
			x, err := strconv.ParseFloat(tk.Label, 64)
			if err != nil || math.Abs(x-tk.Value) > 1e-9*max(1, math.Abs(tk.Value)) || seen[tk.Label] {
				t.Errorf("%v: tick %v labelled %q", r, tk.Value, tk.Label)
			}
			seen[tk.Label] = true
		}
		if n < 2 {
			t.Errorf("%v: %d labelled ticks", r, n)
		}
	}
}

// TestSaveRunCensoredNotes: a run whose curve the skip rule of
// tmax_adjustments cut (prebid-server with tmax 200 ms: bidders told
// 90 ms, under bidder_response_min) draws its curve up to the cut and
// says under the figure why the points above it are missing, and why
// the advice is, in the run table's words (report.CurveStopsWhy and
// report.AdviceWhy), inside the figure and clear of the panels. A run
// not censored has no notes.
func TestSaveRunCensoredNotes(t *testing.T) {
	execute := func(set string) (*report.Full, *sim.Snapshot) {
		var sets []scenarios.Set
		if set != "" {
			s, err := scenarios.ParseSet("--set", set)
			if err != nil {
				t.Fatal(err)
			}
			sets = append(sets, s)
		}
		sc, _, err := scenarios.ResolveWith("prebid-server", sets)
		if err != nil {
			t.Fatal(err)
		}
		if sc, err = sc.WithStop(scenarios.Stop{Auctions: 3000}); err != nil {
			t.Fatal(err)
		}
		run, err := report.Execute(context.Background(), sc, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		full := report.NewFull(run.Snap, run.Meta())
		return &full, run.Snap
	}
	full, snap := execute("exchange.tmax=200ms")
	curveWhy, adviceWhy := report.CurveStopsWhy(snap), report.AdviceWhy(snap)
	if snap.TmaxCurveCensoredBy&sim.CensoredBySkipRule == 0 || curveWhy == "" || adviceWhy == "" {
		t.Fatalf("censored by %v, why %q, advice's why %q: the skip rule did not cut the curve", snap.TmaxCurveCensoredBy, curveWhy, adviceWhy)
	}
	c, err := RunChart(FromReport(full))
	if err != nil {
		t.Fatal(err)
	}
	text := svgWords(t, c)
	for _, want := range []string{"tmax curve: " + curveWhy, "advice: " + adviceWhy} {
		if want = strings.Join(strings.Fields(want), " "); !strings.Contains(text, want) {
			t.Errorf("the figure lacks %q:\n%s", want, text)
		}
	}
	w, h := c.size()
	lay := c.draw(draw.New(vgsvg.New(w, h)))
	if n := lay.notes; n.Min.X < 0 || n.Min.Y < 0 || n.Max.X > w || n.Max.Y > h || n.Max.Y <= n.Min.Y {
		t.Errorf("the notes %v leave the figure %v×%v", n, w, h)
	}
	for i, d := range lay.data {
		if lay.notes.Max.Y > d.Min.Y {
			t.Errorf("the notes (up to %v) reach panel %d's data (from %v)", lay.notes.Max.Y, i, d.Min.Y)
		}
	}
	// The same through SaveRun, as run --plot writes it.
	path := filepath.Join(t.TempDir(), "run.svg")
	if err := SaveRun(path, full); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(path); err != nil || !strings.Contains(string(data), "bidder_response_min") {
		t.Errorf("the saved figure lacks the why: %v", err)
	}

	full, _ = execute("")
	if r := FromReport(full); len(r.Notes) != 0 {
		t.Errorf("a curve not censored has notes: %q", r.Notes)
	}
}

// svgWords is the text an SVG chart writes, its elements' words joined by
// single spaces.
func svgWords(t *testing.T, c *Chart) string {
	t.Helper()
	var words []string
	for _, m := range regexp.MustCompile(`>([^<]*)</text>`).FindAllStringSubmatch(svgText(t, c), -1) {
		words = append(words, strings.Fields(html.UnescapeString(m[1]))...)
	}
	return strings.Join(words, " ")
}
