package report

import "testing"

// TestFormatMeanHalf: an interval is written to its half-width's two
// significant digits; one zero wide, or wide only by a float sum's
// rounding, is "± 0" with the mean to four significant digits (a sweep
// printed -0.249000000000 ± 0.000000000000).
func TestFormatMeanHalf(t *testing.T) {
	for _, c := range []struct {
		mean, h float64
		want    string
	}{
		{2.4234, 0.0052, "2.4234 ± 0.0052"},
		{23.72, 0.49, "23.72 ± 0.49"},
		{18310, 277, "18310 ± 277"},
		{0.5, 0, "0.5000 ± 0"},
		{-0.249, 1.3e-13, "-0.2490 ± 0"},
		{-0.249, 3e-9, "-0.2490000000 ± 0.0000000030"},
		{0, 1e-13, "0 ± 0"},
		{0, 2e-12, "0.000000000000 ± 0.000000000002"},
	} {
		if got := FormatMeanHalf(c.mean, c.h); got != c.want {
			t.Errorf("FormatMeanHalf(%v, %v) = %q, want %q", c.mean, c.h, got, c.want)
		}
	}
}
