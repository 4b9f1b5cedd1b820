package format

import (
	"fmt"
	"math"
	"strconv"
	"testing"
)

// RoundAxis on examples whose axis is worked out by hand.
func TestRoundAxisExamples(t *testing.T) {
	for _, c := range []struct {
		low, high float64
		rows      int
		most      float64
		want      Axis
		ok        bool
	}{
		// The what-if's wait at 120×40 (labels read 1038, 1154, 1269):
		// 100 ms a label every second row holds 1250 in 1300.
		{0, 1250, 26, 0, Axis{Low: 0, High: 1300, Step: 100, Every: 2, Decimals: 0}, true},
		// A price between 0.51 and 0.83 on 12 rows: 0.05 every second
		// row from 0.50 (0.50, 0.55 … 0.80) reaches 0.80 only; 0.1
		// every third row from 0.5 to 0.9 holds it, 80% of the height.
		{0.51, 0.83, 12, 0, Axis{Low: 0.5, High: 0.9, Step: 0.1, Every: 3, Decimals: 1}, true},
		// A share up to 0.97 with 100% as its most: 0.1 every second row
		// of 20 is exactly 0 to 1.
		{0, 0.97, 20, 1, Axis{Low: 0, High: 1, Step: 0.1, Every: 2, Decimals: 1}, true},
		{0, 21, 3, 0, Axis{}, false},     // too few rows
		{0.5, 0.5, 20, 0, Axis{}, false}, // no span
		// 2 rows' worth of labels can't fit 0 to 1.01 under most=1.
		{0, 1.01, 20, 1, Axis{}, false},
	} {
		got, ok := RoundAxis(c.low, c.high, c.rows, c.most, 0)
		if ok != c.ok || math.Abs(got.Low-c.want.Low) > 1e-9 || math.Abs(got.High-c.want.High) > 1e-9 ||
			math.Abs(got.Step-c.want.Step) > 1e-12 || got.Every != c.want.Every || got.Decimals != c.want.Decimals {
			t.Errorf("RoundAxis(%v, %v, %d, %v) = %+v, %v; want %+v, %v", c.low, c.high, c.rows, c.most, got, ok, c.want, c.ok)
		}
	}
}

// Over a spread of ranges and heights, an axis RoundAxis gives holds the
// data in at least two thirds of its range, never goes under 0 for data
// that doesn't, keeps under most, and labels every Every-th row with a
// multiple of a 1, 2 or 5 × 10^k step written exactly with Decimals.
func TestRoundAxisProperties(t *testing.T) {
	found := 0
	for _, scale := range []float64{0.001, 0.07, 1, 3, 45, 1000, 2e6} {
		for _, lowF := range []float64{0, 0.2, 0.55, 0.9, 0.98} {
			for _, spanF := range []float64{0.01, 0.1, 0.37, 1, 2.5} {
				for rows := 2; rows <= 40; rows++ {
					low, high := lowF*scale, (lowF+spanF)*scale
					for _, most := range []float64{0, high * 1.02} {
						a, ok := RoundAxis(low, high, rows, most, 0)
						if !ok {
							continue
						}
						found++
						where := func() string { return fmt.Sprintf("RoundAxis(%v, %v, %d, %v) = %+v", low, high, rows, most, a) }
						if a.Low > low*(1+1e-9) || a.High < high*(1-1e-9) {
							t.Errorf("%s: does not hold the data", where())
						}
						if (high-low)/(a.High-a.Low) < 2.0/3-1e-9 {
							t.Errorf("%s: data in less than 2/3 of the height", where())
						}
						if a.Low < 0 {
							t.Errorf("%s: under 0", where())
						}
						if most > 0 && (a.At(rows/a.Every*a.Every) > most*(1+1e-9) || a.High >= most+a.Step) {
							t.Errorf("%s: labels over most", where())
						}
						if a.Every < 2 || a.Every > 6 || a.Every > max(2, rows/2) {
							t.Errorf("%s: a label every %d rows", where(), a.Every)
						}
						p := math.Pow(10, math.Floor(math.Log10(a.Step)+1e-9))
						if m := a.Step / p; math.Abs(m-1) > 1e-9 && math.Abs(m-2) > 1e-9 && math.Abs(m-5) > 1e-9 {
							t.Errorf("%s: step %v", where(), a.Step)
						}
						for i := 0; i <= rows; i += a.Every {
							v := a.At(i)
							k := math.Round(v / a.Step)
							if math.Abs(v-k*a.Step) > 1e-9*a.Step {
								t.Errorf("%s: row %d reads %v, no multiple of %v", where(), i, v, a.Step)
							}
							l := strconv.FormatFloat(v, 'f', a.Decimals, 64)
							if back, _ := strconv.ParseFloat(l, 64); math.Abs(back-v) > 1e-9*a.Step {
								t.Errorf("%s: row %d labelled %s for %v", where(), i, l, v)
							}
						}
					}
				}
			}
		}
	}
	if found < 1000 {
		t.Errorf("only %d axes found: the test tries too little", found)
	}
}

// LabelDecimals on examples worked out by hand, and over a spread of
// ranges: with its decimals every label reads a value within half a row
// of its own (nearer its row than any other), and with one fewer (where
// it gave more than least) some label does not.
func TestLabelDecimals(t *testing.T) {
	for _, c := range []struct {
		low, high          float64
		rows, every, least int
		want               int
	}{
		// 0, 0.015, 0.030: two decimals read 0.00, 0.01, 0.03, the
		// middle label half a row (0.00375) and more from its value.
		{0, 0.03, 4, 2, 2, 3},
		{0, 0.04, 5, 2, 2, 3}, // 0, 0.016, 0.032 (0.02, 0.03 with two)
		{0, 2, 4, 2, 2, 2},    // 0.00, 1.00, 2.00
		{0, 250, 4, 2, 0, 0},  // 0, 125, 250
		{0, 25, 3, 2, 0, 0},   // 0, 17 for 16.7: a third of a row off
		{0, 2.5, 3, 2, 2, 2},  // 0.00, 1.67
		{1, 1, 4, 2, 2, 2},    // no range: least
	} {
		if got := LabelDecimals(c.low, c.high, c.rows, c.every, c.least); got != c.want {
			t.Errorf("LabelDecimals(%v, %v, %d, %d, %d) = %d, want %d", c.low, c.high, c.rows, c.every, c.least, got, c.want)
		}
	}
	within := func(low, high float64, rows, every, d int) bool {
		for i := 0; i <= rows; i += every {
			v := low + (high-low)/float64(rows)*float64(i)
			l, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', d, 64), 64)
			if math.Abs(l-v) >= (high-low)/float64(rows)/2*(1-1e-9) { // a tie is off: as near another row
				return false
			}
		}
		return true
	}
	for _, scale := range []float64{0.001, 0.03, 1, 45, 1000} {
		for _, lowF := range []float64{0, 0.37, 0.9} {
			for _, spanF := range []float64{0.01, 0.1, 0.37, 1, 2.5} {
				for rows := 3; rows <= 20; rows++ {
					for every := 2; every <= 3; every++ {
						low, high := lowF*scale, (lowF+spanF)*scale
						d := LabelDecimals(low, high, rows, every, 2)
						if d < 2 || !within(low, high, rows, every, d) {
							t.Errorf("LabelDecimals(%v, %v, %d, %d, 2) = %d: a label off its row", low, high, rows, every, d)
						}
						if d > 2 && within(low, high, rows, every, d-1) {
							t.Errorf("LabelDecimals(%v, %v, %d, %d, 2) = %d: %d would do", low, high, rows, every, d, d-1)
						}
					}
				}
			}
		}
	}
}
