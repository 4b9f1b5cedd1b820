package play

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// TestEquilibriumBidShown: in first price each round's outcome names the
// equilibrium bid β(v) the totals compare with, as a number, and what it
// would have got. With n bidders of values U[0, 1] and no floor β(v) is
// (n−1)/n·v (the textbook closed form, computed here independently of
// the engine), and it wins exactly when it beats every other bid. Second
// price has no such line: there the benchmark is bidding one's value.
var wonLine = regexp.MustCompile(`Had you bid the equilibrium β\(([0-9.]+)\) = ([0-9.]+): won, paid ([0-9.]+), surplus \+([0-9.]+)\.`)

func TestEquilibriumBidShown(t *testing.T) {
	const n = 4
	cfg := sim.Config{
		Name: "t", Seed: 7, Traffic: sim.Traffic{QPS: 1},
		Exchange: sim.ExchangeConfig{Auction: sim.FirstPrice, Tmax: 100 * sim.Millisecond},
	}
	for i := range n {
		cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{
			Name: string(rune('a' + i)), Value: sim.Uniform(0, 1),
			Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.75},
		})
	}
	tab, err := seat.New(cfg, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	st := NewStyles(ascii())
	wins, losses := 0, 0
	for range 200 {
		r := tab.Deal()
		v := r.Value(tab, 0)
		res, err := tab.Close(r, []seat.Bid{{Amount: v / 2}})
		if err != nil {
			t.Fatal(err)
		}
		beta := float64(n-1) / n * v.CPM()
		others := 0.0
		for i, resp := range res.Responses {
			if i != 0 && resp.Status == sim.OnTime {
				others = max(others, resp.Bid.CPM())
			}
		}
		out := strings.Join(st.Outcome(res, res.Seats[0]), "\n")
		if beta <= others {
			losses++
			want := fmt.Sprintf("Had you bid the equilibrium β(%.3f) = %.3f: lost.", v.CPM(), beta)
			if !strings.Contains(out, want) {
				t.Fatalf("round %d, others' best bid %.6f:\n%s\nlacks %q", res.Number, others, out, want)
			}
			continue
		}
		wins++
		// Won: β is the price, and value − β = surplus as written (with
		// the decimals that takes, 3 to 6), each figure its true value
		// rounded (TestHadAddsUp).
		m := wonLine.FindStringSubmatch(out)
		if m == nil || m[2] != m[3] {
			t.Fatalf("round %d, others' best bid %.6f:\n%s\nno equilibrium line won at β", res.Number, others, out)
		}
		vs, bs, ss := dec(t, m[1]), dec(t, m[2]), dec(t, m[4])
		if new(big.Rat).Sub(vs, bs).Cmp(ss) != 0 || ss.Sign() <= 0 {
			t.Fatalf("round %d: %s − %s = %s does not add up", res.Number, m[1], m[2], m[4])
		}
		half := 0.5 * math.Pow(10, -float64(len(m[1])-strings.Index(m[1], ".")-1))
		if f, _ := vs.Float64(); math.Abs(f-v.CPM()) > half+1e-9 {
			t.Fatalf("round %d: value %s for %.6f", res.Number, m[1], v.CPM())
		}
		if f, _ := bs.Float64(); math.Abs(f-beta) > half+1e-6 { // β in whole micro-CPM
			t.Fatalf("round %d: β %s for %.6f", res.Number, m[2], beta)
		}
	}
	if wins == 0 || losses == 0 {
		t.Fatalf("β won %d and lost %d rounds: both cases should occur", wins, losses)
	}

	cfg.Exchange.Auction = sim.SecondPrice
	tab, err = seat.New(cfg, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	r := tab.Deal()
	res, err := tab.Close(r, []seat.Bid{{Amount: r.Value(tab, 0)}})
	if err != nil {
		t.Fatal(err)
	}
	if out := strings.Join(st.Outcome(res, res.Seats[0]), "\n"); strings.Contains(out, "β") {
		t.Errorf("second price shows an equilibrium bid:\n%s", out)
	}
}
