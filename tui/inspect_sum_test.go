package tui

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestInspectorSurplusAddsUp: the inspector on classroom-vickrey read
// "bo keeps 0.06 CPM (value 0.98 − price 0.91)", which a student checks
// and makes 0.07 (0.975 − 0.911 = 0.064). Its figures now carry the
// decimals it takes for the sum to add up as written, two where two do,
// each its true value rounded.
func TestInspectorSurplusAddsUp(t *testing.T) {
	if a, b, d := sumFigures(sim.PriceOf(0.975), sim.PriceOf(0.911)); a+" "+b+" "+d != "0.975 0.911 0.064" {
		t.Errorf("0.975 − 0.911: %s − %s = %s", a, b, d)
	}
	if a, b, d := sumFigures(sim.PriceOf(0.73), sim.PriceOf(0.6)); a+" "+b+" "+d != "0.73 0.60 0.13" {
		t.Errorf("two decimals that add up: %s − %s = %s", a, b, d)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		a, b := sim.Price(r.Int64N(3_000_000)), sim.Price(r.Int64N(3_000_000))
		as, bs, ds := sumFigures(a, b)
		x, y, z := ratText(t, as), ratText(t, bs), ratText(t, ds)
		if new(big.Rat).Sub(x, y).Cmp(z) != 0 {
			t.Fatalf("%d − %d: %s − %s = %s does not add up", a, b, as, bs, ds)
		}
		for _, c := range []struct {
			text string
			p    sim.Price
		}{{as, a}, {bs, b}, {ds, a - b}} {
			dec := len(c.text) - strings.Index(c.text, ".") - 1
			unit := int64(1)
			for range 6 - dec {
				unit *= 10
			}
			diff := new(big.Rat).Sub(ratText(t, c.text), big.NewRat(int64(c.p), 1_000_000))
			if diff.Abs(diff).Cmp(big.NewRat(unit, 2_000_000)) > 0 || dec < 2 {
				t.Fatalf("%s for %d", c.text, c.p)
			}
		}
	}
}

func ratText(t *testing.T, s string) *big.Rat {
	t.Helper()
	x, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("not a number: %q", s)
	}
	return x
}
