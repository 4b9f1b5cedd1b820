package format

import (
	"fmt"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
)

// SumDecimals is the fewest decimals, from least up to the micro-CPM's
// six, at which a, b and a − b, each rounded as written, read as a sum
// that adds up: rounded one by one, 0.5847 − 0.4834 = 0.1013 reads
// 0.585 − 0.483 = 0.101, a sum a student checks and finds off by one.
// The dashboard's inspector starts from two, the students' screens from
// three.
func SumDecimals(a, b sim.Price, least int) int {
	d := min(max(least, 0), 6)
	for ; d < 6; d++ {
		unit := unitOf(d)
		if roundTo(a, unit)-roundTo(b, unit) == roundTo(a-b, unit) {
			break
		}
	}
	return d
}

// FixedCPM is p with d decimals (0 to 6), rounded half away from zero
// from the integer micro-CPM: no float rounding between, so that figures
// SumDecimals chose add up as written.
func FixedCPM(p sim.Price, d int) string {
	d = min(max(d, 0), 6)
	q, sign := roundTo(p, unitOf(d)), ""
	if q < 0 {
		q, sign = -q, "-"
	}
	if d == 0 {
		return fmt.Sprintf("%s%d", sign, q)
	}
	pow := int64(1)
	for range d {
		pow *= 10
	}
	return fmt.Sprintf("%s%d.%0*d", sign, q/pow, d, q%pow)
}

// SignedCPM is FixedCPM signed as a surplus is: + above zero, no sign at
// zero (a -0.000 reads as a loss).
func SignedCPM(p sim.Price, d int) string {
	r, q := FixedCPM(p, d), roundTo(p, unitOf(min(max(d, 0), 6)))
	switch {
	case q > 0:
		return "+" + r
	case q == 0:
		return strings.TrimPrefix(r, "-")
	}
	return r
}

// unitOf is the micro-CPM of a last digit at d decimals.
func unitOf(d int) int64 {
	unit := int64(1)
	for range 6 - d {
		unit *= 10
	}
	return unit
}

// roundTo is p in units of unit micro-CPM, rounded half away from zero.
func roundTo(p sim.Price, unit int64) int64 {
	q, r := int64(p)/unit, int64(p)%unit
	switch {
	case 2*r >= unit:
		q++
	case -2*r >= unit:
		q--
	}
	return q
}
