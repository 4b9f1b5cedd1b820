package main

// Flags for counts and durations whose messages say what to write: the
// flag package's own say only "parse error".

import (
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// countFlag is a count: a whole number, also written as a scenario file
// may write it, 1e9 or 1_000_000, as long as it is whole.
type countFlag[T int | uint64] struct {
	p  *T
	hi float64
	lo int64
}

func (f countFlag[T]) String() string {
	if f.p == nil {
		return "0"
	}
	return fmt.Sprint(*f.p)
}

func (f countFlag[T]) Set(s string) error {
	n, err := parseCount(s, f.hi, f.lo)
	if err != nil {
		return err
	}
	*f.p = T(n)
	return nil
}

// parseCount reads s as a whole number from lo to hi.
func parseCount(s string, hi float64, lo int64) (float64, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), "_", "")
	if n, err := strconv.ParseInt(t, 10, 64); err == nil && n >= lo && float64(n) <= hi {
		return float64(n), nil
	}
	if n, err := strconv.ParseUint(t, 10, 64); err == nil && float64(n) <= hi {
		return float64(n), nil
	}
	x, err := strconv.ParseFloat(t, 64)
	switch {
	case err != nil && !isRange(err) || math.IsNaN(x):
		return 0, fmt.Errorf("%q is not a count: want a whole number, like 1000000 or 1e6", s)
	case x != math.Trunc(x):
		return 0, fmt.Errorf("%q is not a whole number", s)
	case x < float64(lo):
		return 0, fmt.Errorf("%q is below %d", s, lo)
	case x > hi || math.IsInf(x, 0):
		return 0, fmt.Errorf("%q is above %.4g, the most this count can be", s, hi)
	}
	return x, nil
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// countVar defines a count flag on fs, as fs.IntVar or fs.Uint64Var do.
func countVar[T int | uint64](fs *flag.FlagSet, p *T, name string, value T, usage string) {
	*p = value
	f := countFlag[T]{p: p, hi: math.MaxUint64}
	if _, signed := any(p).(*int); signed {
		f.hi, f.lo = math.MaxInt, math.MinInt
	}
	fs.Var(f, name, usage)
}

// durationFlag is a Go duration whose message says that a number needs a
// unit.
type durationFlag struct{ p *time.Duration }

func (f durationFlag) String() string {
	if f.p == nil {
		return "0s"
	}
	return f.p.String()
}

func (f durationFlag) Set(s string) error {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err == nil {
		*f.p = d
		return nil
	}
	if _, nerr := strconv.ParseFloat(strings.TrimSpace(s), 64); nerr == nil {
		return fmt.Errorf("%q has no unit: a duration needs one, like %ss, %sms or %sm", s, s, s, s)
	}
	return fmt.Errorf("%q is not a duration: want a number and a unit, like 90s, 250ms, 10m or 1h30m", s)
}

// durationVar defines a duration flag on fs, as fs.DurationVar does.
func durationVar(fs *flag.FlagSet, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var(durationFlag{p}, name, usage)
}
