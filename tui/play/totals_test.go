package play

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// TestTotalsColumnsFitContent: the totals table with many rounds and
// sums of the largest bids (a student who bid the most a bid may be, in
// first price) has every figure whole, each ending where its column's
// heading ends, the columns a gap apart; small totals line up the same
// way.
func TestTotalsColumnsFitContent(t *testing.T) {
	st := NewStyles(nil)
	big := seat.Totals{Rounds: 123_456_789, Wins: 123_456_789,
		Spend: sim.PriceOf(maxBid) * 1_000_000, Surplus: -sim.PriceOf(maxBid)*1_000_000 + sim.PriceOf(0.842)}
	big.Truthful.Wins, big.Truthful.Spend, big.Truthful.Surplus = 3, sim.PriceOf(1.5), sim.PriceOf(0.25)
	small := seat.Totals{Rounds: 1}
	for name, tt := range map[string]seat.Totals{"large": big, "small": small} {
		t.Run(name, func(t *testing.T) {
			lines := st.Totals(tt, sim.SecondPrice)
			for i := range lines {
				lines[i] = ansi.Strip(lines[i])
			}
			head := lines[0]
			if !strings.HasPrefix(head, fmt.Sprintf("Totals, %d round", tt.Rounds)) {
				t.Fatalf("heading %q", head)
			}
			// Where each heading label ends: "your bids" and "bidding your
			// value".
			var ends []int
			for _, label := range []string{"your bids", "bidding your value"} {
				at := strings.Index(head, label)
				if at < 0 {
					t.Fatalf("%q lacks %q", head, label)
				}
				ends = append(ends, ansi.StringWidth(head[:at+len(label)]))
			}
			figures := [][2]string{
				{fmt.Sprint(tt.Wins), fmt.Sprint(tt.Truthful.Wins)},
				{cpm(tt.Spend), cpm(tt.Truthful.Spend)},
				{Signed(tt.Surplus), Signed(tt.Truthful.Surplus)},
			}
			cells := regexp.MustCompile(`\S+`)
			for r, want := range figures {
				line := lines[1+r]
				got := cells.FindAllStringIndex(line, -1)
				if len(got) != 3 {
					t.Errorf("row %q: want a name and two figures", line)
					continue
				}
				for k := range 2 {
					m := got[1+k]
					if cell := line[m[0]:m[1]]; cell != want[k] {
						t.Errorf("row %q: figure %q, want %q whole", line, cell, want[k])
					}
					if end := ansi.StringWidth(line[:m[1]]); end != ends[k] {
						t.Errorf("row %q: %q ends at %d, its heading at %d:\n%s", line, want[k], end, ends[k], strings.Join(lines, "\n"))
					}
					if prev := got[k]; m[0]-prev[1] < 2 {
						t.Errorf("row %q: %q is less than two cells from what is before it", line, want[k])
					}
				}
			}
		})
	}
}

// TestTotalsFirstPriceEquilibrium: in first price, where bidding one's
// value always earns 0, the totals set the equilibrium β(v) beside the
// student's bids, as the leaderboard does, and say how far the student
// is from it; in second price they do not.
func TestTotalsFirstPriceEquilibrium(t *testing.T) {
	st := NewStyles(nil)
	tt := seat.Totals{Rounds: 4, Wins: 2, Spend: sim.PriceOf(0.9), Surplus: sim.PriceOf(0.3)}
	tt.Truthful.Wins, tt.Truthful.Spend = 3, sim.PriceOf(1.8)
	tt.Equilibrium.Wins, tt.Equilibrium.Spend, tt.Equilibrium.Surplus = 2, sim.PriceOf(0.7), sim.PriceOf(0.5)
	fp := ansi.Strip(strings.Join(st.Totals(tt, sim.FirstPrice), "\n"))
	for _, want := range []string{"equilibrium β(v)", "0.300 more than bidding your value, and 0.200 less than the equilibrium β(v)", "+0.500"} {
		if !strings.Contains(fp, want) {
			t.Errorf("first price totals lack %q:\n%s", want, fp)
		}
	}
	if sp := strings.Join(st.Totals(tt, sim.SecondPrice), "\n"); strings.Contains(sp, "equilibrium") {
		t.Errorf("second price totals name the equilibrium:\n%s", sp)
	}
}
