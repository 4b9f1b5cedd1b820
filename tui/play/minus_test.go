package play

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// The surplus line has one minus: its operators are '-' as the
// result's sign is (Signed, the project's '-' for signed amounts, which
// copies as a number), never U+2212 beside a hyphen.
func TestSurplusLineOneMinus(t *testing.T) {
	st := NewStyles(ascii())
	res := &seat.Result{}
	for _, lines := range [][]string{
		st.Standing(res, seat.Standing{Rank: 1, Won: true, Price: sim.PriceOf(0.809), Surplus: sim.PriceOf(0.219) - sim.PriceOf(0.809)}, sim.PriceOf(0.219), 2),
		st.Standing(res, seat.Standing{Rank: 1, Won: true, Slot: 1, Weight: 1, Click: sim.PriceOf(0.809), Price: sim.PriceOf(0.809),
			Surplus: sim.PriceOf(0.219) - sim.PriceOf(0.809)}, sim.PriceOf(0.219), 2),
	} {
		line := lines[len(lines)-1]
		if strings.Contains(line, "−") || !strings.Contains(line, "value - price = 0.219 - 0.809 = -0.590") {
			t.Errorf("surplus line %q, want value - price = 0.219 - 0.809 = -0.590", line)
		}
	}
}

// Wrapped at any width, a subtraction stays whole: no line ends in its
// '-' with the figure it takes away on the next, which would read as a
// minus split from its figure.
func TestWrapKeepsSubtractionWhole(t *testing.T) {
	s := "  Surplus: value - price = 0.219 - 0.809 = -0.590 in round 12, -1.5 so far"
	for w := 14; w <= len(s); w++ {
		out := wrap(s, w)
		if strings.Join(strings.Fields(out), " ") != strings.Join(strings.Fields(s), " ") {
			t.Errorf("width %d changed the text: %q", w, out)
		}
		lines := strings.Split(out, "\n")
		for i, line := range lines {
			if len([]rune(line)) > w {
				t.Errorf("width %d: %q is wider", w, line)
			}
			if i+1 < len(lines) && strings.HasSuffix(strings.TrimRight(line, " "), "-") {
				t.Errorf("width %d: %q then %q", w, line, lines[i+1])
			}
		}
	}
}
