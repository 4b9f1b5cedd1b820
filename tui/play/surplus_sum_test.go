package play

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// TestSurplusSumAddsUp: a student won slot 2 of sponsored-search (α 0.6)
// with a value per click of 0.9745 at 0.4834 for the impression, and read
// "0.6 × value - price = 0.585 - 0.483 = +0.101": each figure rounded on
// its own, the sum did not add up. The terms now carry the decimals it
// takes (0.5847 - 0.4834 = +0.1013); where three add up, three.
func TestSurplusSumAddsUp(t *testing.T) {
	st := NewStyles(ascii())
	res := &seat.Result{Winner: 1, Price: sim.PriceOf(0.4834), Reason: sim.SecondBid}
	slot := seat.Standing{Rank: 2, Won: true, Price: sim.PriceOf(0.4834), Surplus: sim.PriceOf(0.5847) - sim.PriceOf(0.4834),
		Slot: 2, Weight: 0.6, Click: sim.PriceOf(0.8057), Reason: sim.SecondBid}
	lines := strings.Join(st.Standing(res, slot, sim.PriceOf(0.9745), 4), "\n")
	if !strings.Contains(lines, "0.6 × value - price = 0.5847 - 0.4834 = +0.1013") {
		t.Errorf("the slot's sum:\n%s", lines)
	}
	one := seat.Standing{Rank: 1, Won: true, Price: sim.PriceOf(0.809), Surplus: sim.PriceOf(0.219) - sim.PriceOf(0.809), Reason: sim.SecondBid}
	if l := strings.Join(st.Standing(res, one, sim.PriceOf(0.219), 4), "\n"); !strings.Contains(l, "value - price = 0.219 - 0.809 = -0.590") {
		t.Errorf("three decimals that add up:\n%s", l)
	}
	// Any two prices: the figures as written add up exactly, and the
	// result is the exact difference to its decimals.
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a, b := sim.Price(r.Int64N(2_000_000)), sim.Price(r.Int64N(2_000_000))
		as, bs, rs := difference(a, b)
		x, y, z := dec(t, as), dec(t, bs), dec(t, rs)
		if new(big.Rat).Sub(x, y).Cmp(z) != 0 {
			t.Fatalf("%d, %d: %s - %s = %s does not add up", a, b, as, bs, rs)
		}
		if d := len(rs) - strings.Index(rs, ".") - 1; d < 3 || d > 6 {
			t.Fatalf("%d, %d: %s has %d decimals", a, b, rs, d)
		}
		// Signed's rule: a difference that reads 0 has no sign.
		if z.Sign() == 0 && rs[0] != '0' || z.Sign() > 0 && rs[0] != '+' || z.Sign() < 0 && rs[0] != '-' || z.Sign() != 0 && z.Sign() != new(big.Rat).SetInt64(int64(a-b)).Sign() {
			t.Fatalf("%d, %d: %s signed wrong", a, b, rs)
		}
	}
}

func dec(t *testing.T, s string) *big.Rat {
	t.Helper()
	x, ok := new(big.Rat).SetString(strings.TrimPrefix(s, "+"))
	if !ok {
		t.Fatalf("not a number: %q", s)
	}
	return x
}
