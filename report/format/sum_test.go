package format

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// micro reads a FixedCPM figure back to micro-CPM, exactly (it has at
// most six decimals).
func micro(t *testing.T, s string) int64 {
	t.Helper()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	whole, frac, _ := strings.Cut(s, ".")
	frac += strings.Repeat("0", 6-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	if neg {
		n = -n
	}
	return n
}

// TestSumDecimalsAddsUp: a, b and a − b written with SumDecimals'
// decimals add up as written, and no fewer decimals from least do; the
// figures are a, b and a − b rounded half away from zero.
func TestSumDecimalsAddsUp(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		a, b := sim.Price(r.Int64N(5_000_000)), sim.Price(r.Int64N(5_000_000))
		if i%3 == 0 {
			b = a - sim.Price(r.Int64N(2000)) // small surpluses, where rounding apart goes wrong
		}
		least := 2 + i%2
		d := SumDecimals(a, b, least)
		if d < least || d > 6 {
			t.Fatalf("%d − %d: %d decimals", a, b, d)
		}
		fa, fb, fd := FixedCPM(a, d), FixedCPM(b, d), SignedCPM(a-b, d)
		if micro(t, fa)-micro(t, fb) != micro(t, fd) {
			t.Fatalf("%d − %d at %d decimals: %s − %s = %s does not add up", a, b, d, fa, fb, fd)
		}
		for _, f := range []string{fa, fb} {
			if _, frac, _ := strings.Cut(f, "."); len(frac) != d {
				t.Fatalf("%s: want %d decimals", f, d)
			}
		}
		if d > least {
			e := d - 1
			if micro(t, FixedCPM(a, e))-micro(t, FixedCPM(b, e)) == micro(t, FixedCPM(a-b, e)) {
				t.Fatalf("%d − %d: adds up at %d decimals already, chose %d", a, b, e, d)
			}
		}
		// Each figure is its price rounded half away from zero.
		unit := int64(1)
		for range 6 - d {
			unit *= 10
		}
		if got, exact := micro(t, fa), int64(a); got-exact > unit/2 || exact-got > unit/2 || (exact-got == unit/2 && unit > 1) {
			t.Fatalf("%d at %d decimals: %s", a, d, fa)
		}
	}
}

func TestFixedAndSignedCPM(t *testing.T) {
	for _, c := range []struct {
		p      sim.Price
		d      int
		fixed  string
		signed string
	}{
		{sim.Price(584_700), 3, "0.585", "+0.585"},
		{sim.Price(-101_300), 3, "-0.101", "-0.101"},
		{sim.Price(-400), 3, "0.000", "0.000"},
		{sim.Price(1_234_567), 6, "1.234567", "+1.234567"},
		{sim.Price(2_500_000), 0, "3", "+3"},
		{sim.Price(64_000), 2, "0.06", "+0.06"},
	} {
		if got := FixedCPM(c.p, c.d); got != c.fixed {
			t.Errorf("FixedCPM(%d, %d) = %q, want %q", c.p, c.d, got, c.fixed)
		}
		if got := SignedCPM(c.p, c.d); got != c.signed {
			t.Errorf("SignedCPM(%d, %d) = %q, want %q", c.p, c.d, got, c.signed)
		}
	}
}
