package format

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

func TestNumbers(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct{ got, want string }{
		{Count(0), "0"}, {Count(999), "999"}, {Count(1000), "1,000"}, {Count(1234567), "1,234,567"},
		{Money(1234.567), "1,234.57"}, {Money(-2), "-2.00"}, {Money(nan), Dash},
		{Money(-0.003), "0.00"}, {Money(-0.005), "-0.01"}, {CompactMoney(-0.004), "0.00"}, {CompactMoney(-0.006), "-0.01"},
		{CompactMoney(12.345), "12.35"}, {CompactMoney(1234), "1.2k"}, {CompactMoney(3.4e6), "3.4M"},
		{Pct(0.1234), "12.3%"}, {Pct(0.0004), "<0.1%"}, {Pct(0), "0.0%"}, {Pct(nan), Dash},
		{ROAS(2.456), "2.46"}, {ROAS(nan), Dash}, {CPM(nan), Dash}, {Fixed(math.Inf(1), 1), Dash},
		{Rate(-1), Dash}, {Rate(4.25), "4.2"}, {Rate(1234.4), "1,234"},
		{SI(980), "980"}, {SI(12345), "12.3k"}, {SI(4.56e6), "4.56M"}, {SI(7e9), "7.00G"},
		{Clock(3723*sim.Second + 45*sim.Millisecond), "1:02:03.045"},
		{ShortClock(950 * sim.Millisecond), "950ms"}, {ShortClock(1250 * sim.Millisecond), "1.25s"},
		{ShortClock(245 * sim.Second), "4m05s"}, {ShortClock(62 * sim.Minute), "1h02m"},
		{Latency(400 * sim.Microsecond), "0.4ms"}, {Latency(120 * sim.Millisecond), "120ms"}, {Latency(1250 * sim.Millisecond), "1.25s"},
		{Duration(10 * sim.Minute), "10m0s"},
		{Fit("abcdef", 4), "abc…"}, {Fit("ab", 4), "ab  "}, {PadLeft("ab", 4), "  ab"},
		{Block([]string{"a"}, 2, 2), "a \n  "}, {SideBySide(1, "a\nb", "c\nd"), "a c\nb d"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestWrap checks that lines break at spaces within the width, a word
// longer than the width stands alone, and paragraph breaks are kept.
func TestWrap(t *testing.T) {
	got := Wrap("aa bb cc dddddddd e\n\nff  gg", 5)
	want := []string{"aa bb", "cc", "dddddddd", "e", "", "ff gg"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Wrap: %q, want %q", got, want)
	}
	if got := Wrap("é é é", 3); len(got) != 2 || got[0] != "é é" {
		t.Errorf("Wrap counts runes: %q", got)
	}
}

// A window reads as a scenario writes it: no zero tails.
func TestWindow(t *testing.T) {
	for d, want := range map[sim.Time]string{24 * sim.Hour: "24h", sim.Minute: "1m", 90 * sim.Second: "1m30s",
		90 * sim.Minute: "1h30m", 30 * sim.Second: "30s", 1500 * sim.Millisecond: "1.5s", 7 * 24 * sim.Hour: "168h", 0: "0s"} {
		if got := Window(d); got != want {
			t.Errorf("Window(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestWrapCountsCells: Wrap measures lines in terminal cells, so that a
// message naming a bidder in 中文 (two cells a character) fits the
// width it is wrapped to.
func TestWrapCountsCells(t *testing.T) {
	text := "bidder 中文竞价者 paces its budget 中文竞价者 中文竞价者"
	for _, w := range []int{12, 20, 30} {
		for _, l := range Wrap(text, w) {
			if ansi.StringWidth(l) > w && strings.Contains(l, " ") {
				t.Errorf("width %d: %q is %d cells", w, l, ansi.StringWidth(l))
			}
		}
	}
}
