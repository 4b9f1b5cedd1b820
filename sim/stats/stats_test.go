package stats

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	xstats "golang.org/x/exp/stats"
)

func TestAccMatchesExpStats(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{2, 3, 10, 100, 10000} {
		for _, offset := range []float64{0, 1e6, -3e9} {
			xs := make([]float64, n)
			var a Acc
			for i := range xs {
				xs[i] = offset + r.NormFloat64()*5
				a.Add(xs[i])
			}
			mean, sd := xstats.MeanAndStdDev(xs)
			if a.N() != n || !close(a.Mean(), mean, 1e-12) || math.Abs(a.SD()-sd) > 1e-9*sd+1e-15*math.Abs(offset)*math.Sqrt(float64(n)) {
				t.Errorf("n=%d offset=%g: Acc mean %v sd %v, exp/stats %v %v", n, offset, a.Mean(), a.SD(), mean, sd)
			}
		}
	}
}

func close(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func TestAccSmallAndNonFinite(t *testing.T) {
	var a Acc
	if s := a.Stat(); s.N != 0 || !math.IsNaN(s.Mean) || !math.IsNaN(s.Lo) {
		t.Errorf("empty: %+v", s)
	}
	a.Add(3)
	if s := a.Stat(); s.N != 1 || s.Mean != 3 || !math.IsNaN(s.SD) || !math.IsNaN(s.Hi) {
		t.Errorf("one value: %+v", s)
	}
	a.Add(math.NaN())
	a.Add(math.Inf(1))
	a.Add(5)
	s := a.Stat()
	if s.N != 2 || s.Mean != 4 || a.Skipped() != 2 {
		t.Errorf("with NaN and Inf: %+v skipped %d", s, a.Skipped())
	}
	// n=2, sd=√2: half-width 12.706·√2/√2.
	if !close(s.HalfWidth(), 12.7062047, 1e-6) {
		t.Errorf("half-width %v, want 12.706", s.HalfWidth())
	}
}

func TestStatJSON(t *testing.T) {
	s := Stat{Mean: 1.5, SD: math.NaN(), N: 1, Lo: math.NaN(), Hi: math.Inf(1)}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"mean":1.5,"sd":null,"n":1,"lo":null,"hi":null}`; got != want {
		t.Errorf("JSON %s, want %s", got, want)
	}
	var back Stat
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Mean != 1.5 || back.N != 1 || !math.IsNaN(back.SD) || !math.IsNaN(back.Hi) {
		t.Errorf("round trip: %+v", back)
	}
	var a Acc
	for _, x := range []float64{0.1, 0.7, 1e-17, 3.3333333333333335} {
		a.Add(x)
	}
	b, _ = json.Marshal(a.Stat())
	var again Stat
	_ = json.Unmarshal(b, &again)
	if again != a.Stat() {
		t.Errorf("JSON does not round-trip exactly: %+v vs %+v", again, a.Stat())
	}
}

// TestStatJSONAlike: a statistic whose few replications all agreed says
// so ("alike": true beside lo = hi, which is no interval), the shape
// otherwise kept; one with spread, one value, or enough agreeing
// replications to be evidence (SignTestN) has no "alike".
func TestStatJSONAlike(t *testing.T) {
	for _, c := range []struct {
		values []float64
		want   string
	}{
		{[]float64{421, 421, 421}, `{"mean":421,"sd":0,"n":3,"lo":421,"hi":421,"alike":true}`},
		{[]float64{421, 422, 421}, ``},
		{[]float64{421}, `{"mean":421,"sd":null,"n":1,"lo":null,"hi":null}`},
		{[]float64{5, 5, 5, 5, 5, 5}, `{"mean":5,"sd":0,"n":6,"lo":5,"hi":5}`},
	} {
		var a Acc
		for _, x := range c.values {
			a.Add(x)
		}
		s := a.Stat()
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if c.want == "" {
			if strings.Contains(string(b), "alike") {
				t.Errorf("%v: %s, want no alike", c.values, b)
			}
		} else if string(b) != c.want {
			t.Errorf("%v: %s, want %s", c.values, b, c.want)
		}
		var back Stat
		if err := json.Unmarshal(b, &back); err != nil || back.Alike() != s.Alike() || back.N != s.N {
			t.Errorf("%v: round trip %+v (%v), alike %v", c.values, back, err, s.Alike())
		}
	}
}

// TestTQuantileTable checks t(p, df) against published tables (three
// decimals, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
func TestTQuantileTable(t *testing.T) {
	cases := []struct{ p, df, want float64 }{
		{0.975, 1, 12.706}, {0.975, 2, 4.303}, {0.975, 3, 3.182}, {0.975, 4, 2.776},
		{0.975, 5, 2.571}, {0.975, 6, 2.447}, {0.975, 7, 2.365}, {0.975, 8, 2.306},
		{0.975, 9, 2.262}, {0.975, 10, 2.228}, {0.975, 15, 2.131}, {0.975, 19, 2.093},
		{0.975, 20, 2.086}, {0.975, 29, 2.045}, {0.975, 30, 2.042}, {0.975, 40, 2.021},
		{0.975, 60, 2.000}, {0.975, 99, 1.984}, {0.975, 100, 1.984}, {0.975, 120, 1.980},
		{0.975, math.Inf(1), 1.960},
		{0.95, 1, 6.314}, {0.95, 5, 2.015}, {0.95, 10, 1.812}, {0.95, 30, 1.697},
		{0.995, 1, 63.657}, {0.995, 5, 4.032}, {0.995, 10, 3.169}, {0.995, 30, 2.750},
		{0.9995, 10, 4.587}, {0.90, 3, 1.638}, {0.75, 2, 0.816},
	}
	for _, c := range cases {
		got := TQuantile(c.p, c.df)
		if math.Abs(got-c.want) > 0.0005+1e-9 {
			t.Errorf("t(%g, %g) = %.5f, table %.3f", c.p, c.df, got, c.want)
		}
		if lower := TQuantile(1-c.p, c.df); lower != -got {
			t.Errorf("t(%g, %g) = %v is not −t(%g)", 1-c.p, c.df, lower, c.p)
		}
	}
}

// TestTCDFClosedForms checks the CDF, and the quantile as its inverse,
// against the closed forms for 1, 2 and 4 degrees of freedom at many
// points.
func TestTCDFClosedForms(t *testing.T) {
	forms := map[float64]func(x float64) float64{
		1: func(x float64) float64 { return 0.5 + math.Atan(x)/math.Pi },
		2: func(x float64) float64 { return 0.5 + x/(2*math.Sqrt(2+x*x)) },
		4: func(x float64) float64 {
			u := x * x / (4 + x*x)
			return 0.5 + 0.375*(x/math.Sqrt(4+x*x))*2*(1-u/3)
		},
	}
	for df, f := range forms {
		for x := -30.0; x <= 30; x += 0.173 {
			if got, want := TCDF(x, df), f(x); math.Abs(got-want) > 1e-12 {
				t.Errorf("TCDF(%g, %g) = %.15f, closed form %.15f", x, df, got, want)
			}
		}
		for _, p := range []float64{0.001, 0.01, 0.1, 0.3, 0.6, 0.9, 0.975, 0.999} {
			q := TQuantile(p, df)
			if got := f(q); math.Abs(got-p) > 1e-12 {
				t.Errorf("df %g: CDF(TQuantile(%g)) = %.15f", df, p, got)
			}
		}
	}
	// Large df tends to the normal.
	if got, want := TQuantile(0.975, 1e7), TQuantile(0.975, math.Inf(1)); math.Abs(got-want) > 1e-6 {
		t.Errorf("t(0.975, 1e7) = %v, normal %v", got, want)
	}
	// Monotone in df.
	prev := math.Inf(1)
	for df := 1.0; df <= 1000; df++ {
		q := TQuantile(0.975, df)
		if !(q < prev) {
			t.Fatalf("t(0.975, %g) = %v not below t(0.975, %g) = %v", df, q, df-1, prev)
		}
		prev = q
	}
}

func TestPairAndUnpaired(t *testing.T) {
	var p Pair
	r := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		common := r.NormFloat64() * 10
		a := 100 + common + r.NormFloat64()
		b := 102 + common + r.NormFloat64()
		p.Add(a, b)
	}
	p.Add(math.NaN(), 1)
	d := p.Diff.Stat()
	if d.N != 50 || p.A.N() != 50 || p.B.N() != 50 {
		t.Fatalf("n: diff %d a %d b %d", d.N, p.A.N(), p.B.N())
	}
	if !(d.Lo < 2 && 2 < d.Hi) {
		t.Errorf("paired interval [%v, %v] misses the true difference 2", d.Lo, d.Hi)
	}
	if un := p.UnpairedHalfWidth(); !(un > 3*d.HalfWidth()) {
		t.Errorf("unpaired half-width %v not ≫ paired %v with a large common part", un, d.HalfWidth())
	}
	want := TQuantile(0.975, 49) * math.Sqrt((p.A.SD()*p.A.SD()+p.B.SD()*p.B.SD())/50)
	if got := p.UnpairedHalfWidth(); got != want {
		t.Errorf("unpaired half-width %v, want %v", got, want)
	}
	if !math.IsNaN(Relative(1, 0)) || Relative(-1, -4) != -0.25 {
		t.Error("Relative")
	}
}

// A zero sd over fewer than SignTestN values is a degenerate sample: its
// zero-wide interval excludes nothing; from SignTestN on, and whenever
// sd > 0, the interval decides as before.
func TestDegenerateIntervalDecidesNothing(t *testing.T) {
	few := Of(3, 0, 2)
	if !few.Degenerate() || few.Excludes(0) || few.Above(0) || few.Below(0) {
		t.Errorf("sd 0 over 2: Degenerate %v Excludes(0) %v Above %v Below %v, want true false false false",
			few.Degenerate(), few.Excludes(0), few.Above(0), few.Below(0))
	}
	if neg := Of(-3, 0, SignTestN-1); neg.Below(0) || neg.Excludes(0) {
		t.Errorf("sd 0 over %d below 0: Below %v, want false", SignTestN-1, neg.Below(0))
	}
	if many := Of(3, 0, SignTestN); many.Degenerate() || !many.Above(0) || !many.Excludes(0) {
		t.Errorf("sd 0 over %d: Above %v, want true (sign test 2·2⁻⁶ < 5%%)", SignTestN, many.Above(0))
	}
	if 2*math.Pow(0.5, SignTestN) >= 1-Level || 2*math.Pow(0.5, SignTestN-1) < 1-Level {
		t.Errorf("SignTestN %d is not the least n with 2·2⁻ⁿ < %v", SignTestN, 1-Level)
	}
	// sd > 0 at 2 replications decides as before.
	if s := Of(10, 0.1, 2); s.Degenerate() || !s.Above(0) || !s.Excludes(0) {
		t.Errorf("sd 0.1 over 2 around 10: interval [%v, %v] should exclude 0", s.Lo, s.Hi)
	}
}
