package report

import (
	"bytes"
	"math"
	"strconv"
)

// Num is a number that may not apply: a ratio whose denominator is zero
// (ROAS with no spend, the mean price with no wins), which sim gives as
// NaN. In JSON it is null; everywhere else a Num is a float64, NaN when it
// does not apply (infinities too are written as null, since JSON has no
// way to say them).
type Num float64

// num converts a sim ratio.
func num(x float64) Num { return Num(x) }

// Valid reports whether n applies: it is a finite number.
func (n Num) Valid() bool { return !math.IsNaN(float64(n)) && !math.IsInf(float64(n), 0) }

// Float is n as a float64: NaN when it does not apply.
func (n Num) Float() float64 {
	if !n.Valid() {
		return math.NaN()
	}
	return float64(n)
}

// MarshalJSON writes n as encoding/json writes a float64, or null.
func (n Num) MarshalJSON() ([]byte, error) {
	if !n.Valid() {
		return []byte("null"), nil
	}
	return appendFloat(nil, float64(n)), nil
}

// UnmarshalJSON reads a number, or null as NaN.
func (n *Num) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*n = Num(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*n = Num(f)
	return nil
}

// appendFloat formats f exactly as encoding/json does (ES6 number
// formatting), so a Num reads the same as a float64 field beside it.
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
