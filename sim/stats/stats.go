// Package stats holds the statistics of experiments: a streaming mean and
// standard deviation (Welford), the 95% confidence interval of a mean from
// Student's t distribution, and paired and unpaired comparisons.
//
// A replication is one independent run; N replications of a metric give a
// Stat whose interval [Lo, Hi] is mean ± t(0.975, N−1)·sd/√N.
package stats

import (
	"encoding/json"
	"math"
)

// Level is the confidence level of every interval in this package.
const Level = 0.95

// Stat is a metric over N replications: the mean, the sample standard
// deviation (N−1 in the denominator) and the 95% confidence interval of the
// mean, [Lo, Hi]. With N < 2 the interval is unknown (NaN); with N = 0 so
// is the mean.
type Stat struct {
	Mean float64
	SD   float64
	N    int
	Lo   float64
	Hi   float64
}

// HalfWidth is half the interval's width, (Hi − Lo)/2: the ± of the table.
func (s Stat) HalfWidth() float64 { return (s.Hi - s.Lo) / 2 }

// SignTestN is the fewest values that, all equal (sd = 0), show their
// sign beyond chance. A zero sd makes Student's interval zero-wide, but
// that is a degenerate sample, not evidence of no variance (with common
// random numbers a change can move every replication alike by luck of
// few draws). The distribution-free sign test is what is left: n values
// all of one sign have probability 2·2⁻ⁿ under a median of 0, below 5%
// from n = 6 on.
const SignTestN = 6

// Degenerate reports whether the interval is zero-wide (sd = 0) over too
// few values (fewer than SignTestN) to tell anything by itself.
func (s Stat) Degenerate() bool { return s.SD == 0 && s.N < SignTestN }

// Alike reports whether every one of the replications, at least 2 and
// too few to tell anything by that alone (Degenerate), gave the same
// value: Lo = Hi is then no 95% interval but the lack of spread in so
// few draws. The tables print such a Stat "(N alike)", its JSON says
// "alike": true, and a plot marks it rather than draw a zero-wide bar.
func (s Stat) Alike() bool { return s.N >= 2 && s.Degenerate() }

// Excludes reports whether x lies outside the interval (false when the
// interval is unknown or Degenerate).
func (s Stat) Excludes(x float64) bool { return s.Above(x) || s.Below(x) }

// Above reports whether the whole interval lies above x (false when the
// interval is unknown or Degenerate).
func (s Stat) Above(x float64) bool { return s.Lo > x && !s.Degenerate() }

// Below reports whether the whole interval lies below x (false when the
// interval is unknown or Degenerate).
func (s Stat) Below(x float64) bool { return s.Hi < x && !s.Degenerate() }

// statJSON is a Stat as JSON; pointers so that NaN and ±Inf, which JSON
// cannot carry, are written as null.
type statJSON struct {
	Mean *float64 `json:"mean"`
	SD   *float64 `json:"sd"`
	N    int      `json:"n"`
	Lo   *float64 `json:"lo"`
	Hi   *float64 `json:"hi"`
	// Alike is added, never false: lo = hi is not an interval (Alike).
	Alike bool `json:"alike,omitempty"`
}

func finitePtr(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON writes {"mean","sd","n","lo","hi"}, with null for a number
// that is not finite, and "alike": true when the replications all agreed
// (Alike), absent otherwise.
func (s Stat) MarshalJSON() ([]byte, error) {
	return json.Marshal(statJSON{finitePtr(s.Mean), finitePtr(s.SD), s.N, finitePtr(s.Lo), finitePtr(s.Hi), s.Alike()})
}

// UnmarshalJSON reads what MarshalJSON writes; null reads as NaN.
func (s *Stat) UnmarshalJSON(data []byte) error {
	var j statJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*s = Stat{Mean: orNaN(j.Mean), SD: orNaN(j.SD), N: j.N, Lo: orNaN(j.Lo), Hi: orNaN(j.Hi)}
	return nil
}

// Acc accumulates values one at a time in constant memory (Welford's
// algorithm: numerically stable, no sum of squares). The zero Acc is
// empty and ready to use. Values that are not finite (an undefined ratio
// such as ROAS with no spend) are counted apart and left out of the
// statistic.
type Acc struct {
	n       int
	mean    float64
	m2      float64 // Σ (x − mean)²
	skipped int
}

// Add adds one value.
func (a *Acc) Add(x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		a.skipped++
		return
	}
	a.n++
	d := x - a.mean
	a.mean += d / float64(a.n)
	a.m2 += d * (x - a.mean)
}

// N is the number of finite values added.
func (a *Acc) N() int { return a.n }

// Skipped is the number of values left out because they were not finite.
func (a *Acc) Skipped() int { return a.skipped }

// Mean is the mean of the values (NaN when there are none).
func (a *Acc) Mean() float64 {
	if a.n == 0 {
		return math.NaN()
	}
	return a.mean
}

// SD is the sample standard deviation (NaN with fewer than two values).
func (a *Acc) SD() float64 {
	if a.n < 2 {
		return math.NaN()
	}
	return math.Sqrt(max(a.m2, 0) / float64(a.n-1))
}

// Stat returns the statistic of the values added so far.
func (a *Acc) Stat() Stat { return Of(a.Mean(), a.SD(), a.n) }

// Of builds the Stat of a mean and sample standard deviation over n values.
func Of(mean, sd float64, n int) Stat {
	s := Stat{Mean: mean, SD: sd, N: n, Lo: math.NaN(), Hi: math.NaN()}
	if n >= 2 && !math.IsNaN(sd) {
		h := TQuantile(0.5+Level/2, float64(n-1)) * sd / math.Sqrt(float64(n))
		s.Lo, s.Hi = mean-h, mean+h
	}
	return s
}

// Pair accumulates paired observations (a_i, b_i), such as the baseline
// and the variant of one replication run with the same seed: the
// statistic of the differences b − a, and each side's own.
type Pair struct {
	A, B, Diff Acc
}

// Add adds one pair. A pair where either side is not finite is left out
// of all three statistics, so they describe the same replications.
func (p *Pair) Add(a, b float64) {
	if math.IsNaN(a) || math.IsInf(a, 0) || math.IsNaN(b) || math.IsInf(b, 0) {
		p.A.skipped++
		p.B.skipped++
		p.Diff.skipped++
		return
	}
	p.A.Add(a)
	p.B.Add(b)
	p.Diff.Add(b - a)
}

// UnpairedHalfWidth is the half-width an unpaired comparison of the two
// sides would have had: t(0.975, N−1)·√(sd_A²/N + sd_B²/N). Comparing it
// with the paired half-width shows what common random numbers bought.
func (p *Pair) UnpairedHalfWidth() float64 {
	return UnpairedHalfWidth(p.A.SD(), p.B.SD(), p.A.N())
}

// UnpairedHalfWidth is t(0.975, n−1)·√(sdA²/n + sdB²/n), NaN for n < 2.
func UnpairedHalfWidth(sdA, sdB float64, n int) float64 {
	if n < 2 {
		return math.NaN()
	}
	return TQuantile(0.5+Level/2, float64(n-1)) * math.Sqrt((sdA*sdA+sdB*sdB)/float64(n))
}

// Relative is the relative difference d/|base| (NaN when base is 0).
func Relative(d, base float64) float64 {
	if base == 0 {
		return math.NaN()
	}
	return d / math.Abs(base)
}
