package format

import (
	"math"
	"strconv"
)

// Axis is a value axis over a chart's rows labelled at round values: row
// 0 (the bottom) reads Low, row rows High, and every Every-th row from
// the bottom a multiple of Step, written with Decimals decimals.
type Axis struct {
	Low, High float64
	Step      float64 // between labels: 1, 2 or 5 × 10^k
	Every     int     // rows from one label to the next
	Decimals  int     // the digits Step needs
}

// At is the value of row i (0 at the bottom).
func (a Axis) At(i int) float64 { return a.Low + float64(i)*a.Step/float64(a.Every) }

// MinAxisFill is the least share of an axis' range the data takes by
// default: below it the round labels would squash the data into less
// than two thirds of the chart's height.
const MinAxisFill = 2.0 / 3

// RoundAxis chooses an axis of rows rows that holds [low, high],
// labelled every 2 to 6 rows at multiples of a step of 1, 2 or 5 ×
// 10^k: 4 labels at least where that leaves the data its share of the
// height, else 3. Low is the multiple of Step at or under low (or as
// many steps lower as most needs), so an axis of data that never goes
// under 0 never does either. Of those axes, the one that leaves the data
// the most of the height, then the one with the most labels. most (0:
// none) bounds the labels, a share's 100%: High may pass it by less than
// a step, unlabelled, where the rows fall so. false where no axis leaves
// the data least of the height (0: MinAxisFill), or under 4 rows (a
// chart a few rows high keeps its own range).
func RoundAxis(low, high float64, rows int, most, least float64) (Axis, bool) {
	span := high - low
	if rows < 4 || !(span > 0) || math.IsInf(span, 0) || math.IsNaN(span) {
		return Axis{}, false
	}
	if least <= 0 {
		least = MinAxisFill
	}
	// 4 labels at least where the rows allow it, else 3.
	if ax, fill := roundAxisEvery(low, high, rows, most, 2, max(2, rows/3)); fill >= least*(1-1e-9) {
		return ax, true
	}
	if ax, fill := roundAxisEvery(low, high, rows, most, max(2, rows/3)+1, rows/2); fill >= least*(1-1e-9) {
		return ax, true
	}
	return Axis{}, false
}

// roundAxisEvery is RoundAxis' best axis with a label every from to to
// rows (6 at most), and the share of its range the data takes (0: none).
func roundAxisEvery(low, high float64, rows int, most float64, from, to int) (Axis, float64) {
	span := high - low
	var best Axis
	bestFill := 0.0
	for every := from; every <= 6 && every <= to; every++ {
		step := NiceStep(span * float64(every) / float64(rows))
		// The least step may not hold the data once Low is moved down
		// to a multiple of it; the next two up are tried too.
		for range 3 {
			lo := math.Floor(low/step+1e-9) * step
			hi := lo + step*float64(rows)/float64(every)
			// The top label, which most bounds: the rows above it, less
			// than a step, go unlabelled.
			last := lo + step*float64(rows/every)
			if most > 0 && last > most*(1+1e-9) {
				// Down as many steps as most needs: a fill rate near
				// 100% has its top label at 1, and room below.
				k := math.Ceil((last-most)/step - 1e-9)
				lo, hi = lo-k*step, hi-k*step
				if low >= 0 && lo < -1e-9*step {
					break
				}
			}
			if hi >= high*(1-1e-12)-1e-12 {
				if fill := span / (hi - lo); fill > bestFill*(1+1e-9) {
					best, bestFill = Axis{Low: lo + 0, High: hi, Step: step, Every: every, Decimals: stepDecimals(step)}, fill
				}
				break
			}
			step = NiceStep(step * 1.5)
		}
	}
	return best, bestFill
}

// NiceStep is the least of 1, 2 or 5 × 10^k at least d (d > 0).
func NiceStep(d float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(d)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= d*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// stepDecimals is how many decimals a multiple of step (1, 2 or 5 ×
// 10^k) needs: none from 1 up, one for 0.1 to 0.5, and so on.
func stepDecimals(step float64) int {
	return max(0, -int(math.Floor(math.Log10(step)+1e-9)))
}

// LabelDecimals is how many decimals, least at the fewest, the labels of
// an axis that is not round need (rows rows from low to high, labelled
// every every-th row from the bottom, as the charts' library labels
// them): the fewest with which every label reads a value nearer its own
// row than any other. With too few a label is a rounding step away from
// its row: a revenue per auction of 0 to 0.03 CPM on 4 rows read 0.00,
// 0.01, 0.03, its middle label on the row of 0.015. At most least+6.
func LabelDecimals(low, high float64, rows, every, least int) int {
	if rows <= 0 || every <= 0 || !(high > low) || math.IsInf(high-low, 0) {
		return least
	}
	half := (high - low) / float64(rows) / 2
	d := least
	for ; d < least+6; d++ {
		ok := true
		for i := 0; i <= rows && ok; i += every {
			v := low + (high-low)/float64(rows)*float64(i) // as the library computes it
			l, err := strconv.ParseFloat(strconv.FormatFloat(v, 'f', d, 64), 64)
			ok = err == nil && math.Abs(l-v) < half*(1-1e-9)
		}
		if ok {
			break
		}
	}
	return d
}
