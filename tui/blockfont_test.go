package tui

import (
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
)

// TestBlockFontHasTheFiguresRunes: every rune presentation mode's
// figures can hold (format.Fixed and format.Pct of any value) is in the
// block font, which leaves out a rune it lacks: a fill rate of 0.04%,
// "<0.1%", was drawn as "0.1%", a wrong number.
func TestBlockFontHasTheFiguresRunes(t *testing.T) {
	var values []string
	for _, x := range []float64{0, 0.0004, 0.004, 0.5, 1, -0.25, 12345.678, -1e9, math.NaN(), math.Inf(1)} {
		values = append(values, format.Pct(x))
		for _, d := range []int{0, 2, 3} {
			values = append(values, format.Fixed(x, d))
		}
	}
	for _, v := range values {
		for _, r := range v {
			if _, ok := blockFont[r]; !ok {
				t.Errorf("%q: the block font has no %q", v, r)
			}
		}
	}
	if a, b := bigText("<0.1%", 1), bigText("0.1%", 1); a[0] == b[0] {
		t.Errorf("<0.1%% drawn as 0.1%%:\n%v", a)
	}
}
