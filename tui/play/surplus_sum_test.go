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

// TestHadAddsUp: a student who passed with a value of 0.8044, where
// bidding it would have won at 0.6076, read "Had you bid your value
// 0.804: won, paid 0.608, surplus +0.197": 0.804 − 0.608 is 0.196. The
// counterfactual lines now write value, price and surplus as the round's
// own sum does (difference), and the first-price equilibrium's β, its
// price, so too; where three decimals add up, three.
func TestHadAddsUp(t *testing.T) {
	st := NewStyles(ascii())
	won := func(value, price float64) seat.Standing {
		return seat.Standing{Rank: 1, Won: true, Price: sim.PriceOf(price), Surplus: sim.PriceOf(value) - sim.PriceOf(price), Reason: sim.SecondBid}
	}
	res := &seat.Result{Number: 3, Winner: 1, Price: sim.PriceOf(0.4164), Reason: sim.SecondBid}
	o := seat.Outcome{Value: sim.PriceOf(0.8044), Bid: seat.Bid{Pass: true}, Truthful: won(0.8044, 0.6076)}
	out := strings.Join(st.Outcome(res, o), "\n")
	if !strings.Contains(out, "Had you bid your value 0.8044: won, paid 0.6076, surplus +0.1968.") {
		t.Errorf("bidding one's value, as a sum that adds up:\n%s", out)
	}
	o.Truthful = won(0.8044, 0.6074)
	if out := strings.Join(st.Outcome(res, o), "\n"); !strings.Contains(out, "Had you bid your value 0.804: won, paid 0.607, surplus +0.197.") {
		t.Errorf("three decimals that add up:\n%s", out)
	}
	// First price: β(0.7325) = 0.549375 (3/4 of it) wins and is the
	// price; 0.733 − 0.549 would read 0.184 for 0.183125.
	fp := &seat.Result{Number: 1, Winner: 0, Price: sim.PriceOf(0.549375), Reason: sim.FirstPriceBid, FirstPrice: true}
	o = seat.Outcome{Value: sim.PriceOf(0.7325), Bid: seat.Bid{Pass: true}, Truthful: won(0.7325, 0.7325),
		Equilibrium: won(0.7325, 0.549375), EquilibriumBid: sim.PriceOf(0.549375)}
	out = strings.Join(st.Outcome(fp, o), "\n")
	if !strings.Contains(out, "Had you bid the equilibrium β(0.7325) = 0.5494: won, paid 0.5494, surplus +0.1831.") {
		t.Errorf("the equilibrium's sum:\n%s", out)
	}
}
