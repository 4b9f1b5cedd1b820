package experiment

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/sim/stats"
)

// MaxPoints bounds a sweep's grid: each point carries its scenario's
// text (a few kilobytes) in memory and in every shard; beyond this the
// grid is more likely a mistake than a plan.
const MaxPoints = 10_000

// VaryValues expands a sweep's values: a list (commas outside brackets
// separate values: 0,0.25,0.5 or {a: 1},{a: 2}) or a range LO..HI:STEP of
// numbers or durations (0..0.9:0.1, 60ms..200ms:20ms).
func VaryValues(text string) ([]string, error) {
	if lo, rest, isRange := strings.Cut(text, ".."); isRange && !strings.ContainsAny(text, ",{[") {
		hi, step, ok := strings.Cut(rest, ":")
		if !ok {
			return nil, errors.New("a range needs a step: LO..HI:STEP")
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
	seen := map[string]bool{}
	for _, v := range out {
		switch {
		case v == "":
			return nil, errors.New("an empty value in the list")
		case seen[v]:
			// The same point twice: its rows would repeat, paired on
			// the same seeds, for nothing.
			return nil, fmt.Errorf("the value %s twice in the list", v)
		}
		seen[v] = true
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
			if i > 0 && out[i] == out[i-1] {
				// Never two points of one value, run and shown as
				// two: refused as a list's repeat is.
				return nil, fmt.Errorf("the range gives the value %s twice: its step is too fine for its numbers", out[i])
			}
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
	if !(step > 0) || !finite(lo) || !finite(hi) || hi < lo {
		return 0, errors.New("a range needs LO ≤ HI and a STEP > 0")
	}
	n := math.Floor((hi-lo)/step+1e-9) + 1
	if n > MaxPoints {
		count := fmt.Sprintf("%.0f", n)
		if n >= 1e15 {
			// Not a 300-digit number (0..1:1e-300), nor +Inf.
			count = "more than 10¹⁵"
		}
		return 0, fmt.Errorf("the range has %s values, more than %d", count, MaxPoints)
	}
	return int(n), nil
}

// decimals is how many digits after the point s, a number as written,
// has: those of its mantissa less its exponent, so that 2.5e-1 has two
// and 1e-9 nine. A number in exponent form counted none, and a range
// 0..1:2.5e-1 ran the floors 0, 0, 0, 1, 1 as its points.
func decimals(s string) int {
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		exp, _ = strconv.Atoi(s[i+1:]) // parsed already as part of a float
	}
	d := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		d = len(mant) - i - 1
	}
	return max(0, d-exp)
}

// Grid is every combination of the varied values, in row-major order (the
// first Vary changes slowest), each in Vary's order; an error when the
// grid has more than MaxPoints points.
func Grid(vary []Vary) ([][]string, error) {
	points := 1
	for _, v := range vary {
		points *= len(v.Values)
		if points > MaxPoints {
			return nil, fmt.Errorf("the grid has more than %d points", MaxPoints)
		}
	}
	out := make([][]string, points)
	for p := range points {
		rem := p
		values := make([]string, len(vary))
		for j := len(vary) - 1; j >= 0; j-- {
			values[j] = vary[j].Values[rem%len(vary[j].Values)]
			rem /= len(vary[j].Values)
		}
		out[p] = values
	}
	return out, nil
}

// SweepResult is a sweep's result as its JSON output: every point's
// values and metrics.
type SweepResult struct {
	Scenario     string       `json:"scenario"`
	Seed         uint64       `json:"seed"`
	Replications int          `json:"replications"`
	Partial      bool         `json:"partial"`
	Set          []string     `json:"set,omitempty"`
	Vary         []VaryResult `json:"vary"`
	Points       []SweepPoint `json:"points"`
	WallSeconds  float64      `json:"wall_seconds"`
	// Saturated names the money totals that saturated in any replication
	// of any point (Agg.SaturatedNames), as a run's "saturated" does;
	// absent when none did. Each point names its own.
	Saturated []string `json:"saturated,omitempty"`
	// Highest is the point where the first metric's mean is highest, set
	// against the next highest, paired; absent with fewer than two points
	// or replications.
	Highest *SweepHighest `json:"highest,omitempty"`
	// Notes say what the figures cannot: each step of the scenario's
	// script that sets again, late in the runs (their last tenth), a
	// field the experiment varies, as the table says it first (and
	// stderr); absent when none.
	Notes []string `json:"notes,omitempty"`
}

// SweepHighest answers a sweep's "which point wins, and can the
// replications tell?" for its first metric: every point runs with the
// same replication seeds (common random numbers), so two points are
// compared on their paired differences, far narrower than the overlap of
// their own intervals suggests.
type SweepHighest struct {
	Metric string         `json:"metric"`
	Point  int            `json:"point"` // index into points
	Values map[string]any `json:"values"`
	// RunnerUp is the point with the next highest mean, and Diff the
	// highest's value less the runner-up's, paired: its 95% interval
	// above 0 says the highest is higher beyond chance.
	RunnerUp       int            `json:"runner_up"`
	RunnerUpValues map[string]any `json:"runner_up_values"`
	Diff           stats.Stat     `json:"diff"`
}

// highest finds the sweep's highest point for metric and sets every
// point's paired difference from it (SweepPoint.VsHighest); nil without
// two points with a mean, or without kept values (Agg.KeepValues).
func (r *SweepResult) highest(res *Result, metric string) *SweepHighest {
	all := make([]int, len(r.Points))
	for p := range all {
		all[p] = p
	}
	best, next, d, ok := Highest(res.Agg, metric, all)
	if !ok {
		return nil
	}
	for p := range r.Points {
		if v, ok := res.Agg.PairedDiff(best, p, metric); ok {
			r.Points[p].VsHighest = &v
		}
	}
	return &SweepHighest{Metric: metric, Point: best, Values: r.Points[best].Values,
		RunnerUp: next, RunnerUpValues: r.Points[next].Values, Diff: d}
}

// Highest finds, among points (of agg), the one where metric's mean is
// highest and the next highest, and the highest's value less the next's,
// paired replication by replication (the points share their seeds:
// common random numbers); ok is false without two points with a mean, or
// without two replications paired (Agg.PairedDiff). Ties go to the
// earlier point.
func Highest(agg *Agg, metric string, points []int) (best, next int, diff stats.Stat, ok bool) {
	mean := func(p int) float64 {
		if s, ok := agg.Stat(p, metric); ok {
			return s.Mean
		}
		return math.NaN()
	}
	best, next = -1, -1
	for _, p := range points {
		m := mean(p)
		if math.IsNaN(m) {
			continue
		}
		switch {
		case best < 0 || m > mean(best):
			best, next = p, best
		case next < 0 || m > mean(next):
			next = p
		}
	}
	if best < 0 || next < 0 {
		return best, next, stats.Stat{}, false
	}
	d, found := agg.PairedDiff(next, best, metric)
	if !found || d.N < 2 {
		return best, next, stats.Stat{}, false
	}
	return best, next, d, true
}

// VaryResult is a varied parameter, its values typed.
type VaryResult struct {
	Path   string `json:"path"`
	Values []any  `json:"values"`
}

// SweepPoint is one point of a sweep.
type SweepPoint struct {
	Values  map[string]any        `json:"values"`
	Metrics map[string]stats.Stat `json:"metrics"`
	// Saturated names the point's money totals that saturated in any of
	// its replications; absent when none did.
	Saturated []string `json:"saturated,omitempty"`
	// VsHighest is the first metric here less at the highest point
	// (SweepResult.Highest), paired on the same replications; absent
	// where there is none.
	VsHighest *stats.Stat `json:"vs_highest,omitempty"`
}

// Typed is a value as JSON: a number when it reads as one.
func Typed(v string) any {
	if x, err := strconv.ParseFloat(v, 64); err == nil && finite(x) {
		return x
	}
	return v
}

// NewSweepResult reads a sweep's result.
func NewSweepResult(res *Result) SweepResult {
	sp := res.Spec
	out := SweepResult{Scenario: sp.Scenario, Seed: sp.Seed, Replications: res.Agg.Reps(), Partial: res.Partial,
		Set: sp.Sets, WallSeconds: res.Wall.Seconds(), Saturated: res.Agg.SaturatedNames()}
	for _, v := range sp.Vary {
		vj := VaryResult{Path: v.Path}
		for _, x := range v.Values {
			vj.Values = append(vj.Values, Typed(x))
		}
		out.Vary = append(out.Vary, vj)
	}
	for p, pt := range sp.Points {
		spt := SweepPoint{Values: map[string]any{}, Metrics: map[string]stats.Stat{}, Saturated: res.Agg.SaturatedAt(p)}
		for j, v := range sp.Vary {
			spt.Values[v.Path] = Typed(pt.Values[j])
		}
		for _, m := range sp.Metrics {
			s, ok := res.Agg.Stat(p, m)
			if !ok {
				s = stats.Of(math.NaN(), math.NaN(), 0)
			}
			spt.Metrics[m] = s
		}
		out.Points = append(out.Points, spt)
	}
	if len(sp.Metrics) > 0 {
		out.Highest = out.highest(res, sp.Metrics[0])
	}
	return out
}

// FirstSeries is a sweep's first metric against its first varied
// parameter (durations in milliseconds), the other parameters at their
// first values; ok is false when the parameter's values are not numbers
// or durations.
func FirstSeries(res *Result) (xs []float64, ss []stats.Stat, ok bool) {
	sp := res.Spec
	stride := 1
	for _, v := range sp.Vary[1:] {
		stride *= len(v.Values)
	}
	for i, v := range sp.Vary[0].Values {
		x, ok := axisValue(v)
		if !ok {
			return nil, nil, false
		}
		s, _ := res.Agg.Stat(i*stride, sp.Metrics[0])
		xs = append(xs, x)
		ss = append(ss, s)
	}
	return xs, ss, true
}

// Plottable reports whether v's values are numbers or durations, which
// FirstSeries can put on an axis: a sweep's --plot is checked before
// its runs, rather than refused once they have all run.
func Plottable(v Vary) bool {
	for _, x := range v.Values {
		if _, ok := axisValue(x); !ok {
			return false
		}
	}
	return true
}

// axisValue is a varied value as a number on an axis: a number, or a
// duration in milliseconds; ok is false for anything else.
func axisValue(v string) (float64, bool) {
	if x, err := strconv.ParseFloat(v, 64); err == nil {
		return x, true
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, false
	}
	return float64(d) / float64(time.Millisecond), true
}

// ParseVary reads a sweep's field and its values (--vary), PATH=V1,V2,...
// or PATH=LO..HI:STEP (VaryValues); errors name the flag and the text.
func ParseVary(text string) (Vary, error) {
	path, list, okc := strings.Cut(text, "=")
	path = strings.TrimSpace(path)
	if !okc || path == "" || strings.TrimSpace(list) == "" {
		return Vary{}, fmt.Errorf("--vary %s: want PATH=V1,V2,... or PATH=LO..HI:STEP", text)
	}
	values, err := VaryValues(list)
	if err != nil {
		return Vary{}, fmt.Errorf("--vary %s: %v", text, err)
	}
	return Vary{Path: path, Values: values}, nil
}
