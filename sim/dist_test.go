package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func sample(d Dist, n int) []float64 {
	r := rand.New(rand.NewPCG(7, 11))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = d.Sample(r)
	}
	return xs
}

func TestDistMeans(t *testing.T) {
	for _, d := range []Dist{
		Constant(3),
		Uniform(0.5, 4),
		Normal(2, 1),
		Normal(0.5, 1), // heavily truncated
		LogNormal(0, 0.5),
		LogNormalMedianP99(30, 80),
		Exponential(1.2),
		Mixture(Part{0.9, LogNormalMedianP99(80, 200)}, Part{0.1, Constant(400)}),
	} {
		t.Run(d.String(), func(t *testing.T) {
			xs := sample(d, 200_000)
			if slices.Min(xs) < 0 {
				t.Fatalf("negative sample %g", slices.Min(xs))
			}
			within3SE(t, "mean", xs, d.Mean())
		})
	}
}

func TestLogNormalMedianP99(t *testing.T) {
	xs := sample(LogNormalMedianP99(30, 80), 400_000)
	slices.Sort(xs)
	// Quantile estimates: the order statistic's standard error is
	// sqrt(q(1−q)/n)/f(x); 2% is several of those here.
	for _, c := range []struct{ q, want float64 }{{0.5, 30}, {0.99, 80}} {
		got := xs[int(c.q*float64(len(xs)))]
		if math.Abs(got/c.want-1) > 0.02 {
			t.Errorf("quantile %g = %g, want %g", c.q, got, c.want)
		}
	}
}

func TestMixtureWeights(t *testing.T) {
	xs := sample(Mixture(Part{3, Constant(1)}, Part{1, Constant(2)}), 100_000)
	ones := make([]float64, len(xs))
	for i, x := range xs {
		if x == 1 {
			ones[i] = 1
		}
	}
	within3SE(t, "share of part 1", ones, 0.75)
}

func TestDistScale(t *testing.T) {
	for _, d := range []Dist{Constant(2), Uniform(1, 3), Normal(2, 0.5), LogNormal(0.3, 0.4), Exponential(2),
		Mixture(Part{1, Constant(1)}, Part{1, Exponential(3)})} {
		if got, want := d.Scale(2.5).Mean(), 2.5*d.Mean(); math.Abs(got-want) > 1e-9*want {
			t.Errorf("%v scaled by 2.5: mean %g, want %g", d, got, want)
		}
	}
}

func TestDistValidate(t *testing.T) {
	bad := []Dist{
		Constant(-1), Constant(math.NaN()), Uniform(2, 1), Uniform(-1, 1), Normal(1, -1), Normal(-5, 1),
		Exponential(0), Mixture(), Mixture(Part{-1, Constant(1)}), Mixture(Part{0, Constant(1)}),
		Mixture(Part{1, Exponential(-1)}), {Kind: DistMixture, Parts: []Part{{1, Constant(1)}}}, {Kind: 99},
	}
	for _, d := range bad {
		if d.Validate() == nil {
			t.Errorf("%v validated", d)
		}
	}
	good := []Dist{{}, Constant(0), Uniform(1, 1), Normal(0, 1), LogNormal(-3, 0), Exponential(1), Mixture(Part{1, Constant(1)})}
	for _, d := range good {
		if err := d.Validate(); err != nil {
			t.Errorf("%v: %v", d, err)
		}
	}
}

// Batching changes nothing about the values: the stream's draws, in order.
func TestSamplerMatchesDirectDraws(t *testing.T) {
	d := Mixture(Part{0.9, LogNormalMedianP99(30, 80)}, Part{0.1, Constant(400)})
	s := newSampler(d, newStream(3, "net"))
	direct := newStream(3, "net")
	for i := range 3*samplerBatch + 5 {
		if got, want := s.draw(), d.Sample(direct); got != want {
			t.Fatalf("draw %d: %g, want %g", i, got, want)
		}
	}
	s.set(Constant(7))
	for range samplerBatch + 1 {
		if got := s.draw(); got != 7 {
			t.Fatalf("after set: %g, want 7", got)
		}
	}
}

// TestMedianP99 checks that MedianP99 gives back the quantiles a
// lognormal was built from, and that z99 is the normal's 99th percentile.
func TestMedianP99(t *testing.T) {
	if p := 0.5 * (1 + math.Erf(z99/math.Sqrt2)); math.Abs(p-0.99) > 1e-15 {
		t.Errorf("Φ(z99) = %.17g, want 0.99", p)
	}
	for _, q := range [][2]float64{{160e6, 300e6}, {1, 1}, {0.5, 40}, {3e3, 9.5e9}} {
		m, p := LogNormalMedianP99(q[0], q[1]).MedianP99()
		if math.Abs(m-q[0]) > 1e-12*q[0] || math.Abs(p-q[1]) > 1e-12*q[1] {
			t.Errorf("LogNormalMedianP99(%g, %g).MedianP99() = %g, %g", q[0], q[1], m, p)
		}
	}
}
