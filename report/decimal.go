package report

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
)

// Durations in the change log are written in milliseconds, the file's
// unit, yet must read back to the engine's nanoseconds exactly, bit for
// bit: a replay must not drift by one rounding. A float's shortest decimal
// form divided by 10⁶ is still a finite decimal, so it is written as that
// decimal, shifted six places by text, and read back by shifting again
// before the one rounding of parsing.

// msNumber writes ns nanoseconds as milliseconds, exactly.
func msNumber(ns float64) json.Number {
	if math.IsNaN(ns) || math.IsInf(ns, 0) {
		return "0" // changes are validated finite; never reached
	}
	s := strconv.FormatFloat(ns, 'e', -1, 64) // -d.ddde±XX
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	digits := strings.Replace(mant, ".", "", 1)
	e -= 6 // the first digit's power of ten, in milliseconds
	var out string
	switch n := len(digits); {
	case digits == "0":
		out = "0"
	case e >= n-1:
		out = digits + strings.Repeat("0", e-(n-1))
	case e >= 0:
		out = digits[:e+1] + "." + digits[e+1:]
	default:
		out = "0." + strings.Repeat("0", -e-1) + digits
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return json.Number(out)
}

// nsOf reads milliseconds written by msNumber (or any JSON number) back to
// nanoseconds, with one rounding.
func nsOf(ms json.Number) (float64, error) {
	s := string(ms)
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	e := 0
	if hasExp {
		var err error
		if e, err = strconv.Atoi(strings.TrimPrefix(exp, "+")); err != nil {
			return 0, fmt.Errorf("%q is not a number", s)
		}
	}
	f, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e+6), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a number of milliseconds", s)
	}
	return f, nil
}

// msOfTime writes a virtual time as milliseconds, exactly.
func msOfTime(t sim.Time) json.Number {
	s := strconv.FormatInt(int64(t), 10)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	if len(s) < 7 {
		s = strings.Repeat("0", 7-len(s)) + s
	}
	whole, frac := s[:len(s)-6], strings.TrimRight(s[len(s)-6:], "0")
	if frac == "" {
		return json.Number(sign + whole)
	}
	return json.Number(sign + whole + "." + frac)
}

// timeOf reads milliseconds back to a virtual time; it must be a whole
// number of nanoseconds within Time's range.
func timeOf(ms json.Number) (sim.Time, error) {
	r, ok := new(big.Rat).SetString(string(ms))
	if !ok {
		return 0, fmt.Errorf("%q is not a number of milliseconds", string(ms))
	}
	r.Mul(r, big.NewRat(int64(sim.Millisecond), 1))
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("%s ms is not a whole number of nanoseconds within range", ms)
	}
	return sim.Time(r.Num().Int64()), nil
}
