package cli

// Flag values whose messages say what to write: the flag package's own
// say only "parse error".

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// countFlag is a count: a whole number, also written as a scenario file
// may write it, 1e9 or 1_000_000, as long as it is whole.
type countFlag[T int | uint64] struct {
	p        *T
	lo, hi   *big.Int // the counts T holds
	positive bool     // the command refuses 0: a negative count is told "must be > 0" too
}

func (f countFlag[T]) String() string {
	if f.p == nil {
		return "0"
	}
	return fmt.Sprint(*f.p)
}

func (f countFlag[T]) Set(s string) error {
	below := func() error { return fmt.Errorf("%q is below %d", s, f.lo) }
	if f.positive {
		// Not "below 0", which would suggest 0 will do.
		below = func() error { return errors.New("must be > 0") } // the flag's error names the value

	}
	n, err := parseCount(s, f.lo, f.hi, below)
	if err != nil {
		return err
	}
	switch p := any(f.p).(type) {
	case *int:
		*p = int(n.Int64())
	case *uint64:
		*p = n.Uint64()
	}
	return nil
}

// parseCount reads s as a whole number from lo to hi, exactly: digits as
// they are (never through a float64, which rounds past 2⁵³), and the
// float forms (1e6, 1.5e3) only when the number they write is whole;
// below is its refusal of one below lo.
func parseCount(s string, lo, hi *big.Int, below func() error) (*big.Int, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), "_", "")
	notCount := fmt.Errorf("%q is not a count: want a whole number, like 1000000 or 1e6", s)
	n, ok := new(big.Int).SetString(t, 10)
	if !ok {
		x, err := strconv.ParseFloat(t, 64)
		switch {
		case err != nil && !isRange(err) || math.IsNaN(x):
			return nil, notCount
		case math.IsInf(x, 1):
			return nil, above(s, hi)
		case math.IsInf(x, -1):
			return nil, below()
		case !smallExponent(t):
			return nil, notCount
		}
		r, ok := new(big.Rat).SetString(t)
		switch {
		case !ok:
			return nil, notCount
		case !r.IsInt():
			return nil, fmt.Errorf("%q is not a whole number", s)
		}
		n = r.Num()
	}
	switch {
	case n.Cmp(lo) < 0:
		return nil, below()
	case n.Cmp(hi) > 0:
		return nil, above(s, hi)
	}
	return n, nil
}

// above refuses s past hi, which it writes in full (18446744073709551615,
// not 1.845e+19).
func above(s string, hi *big.Int) error {
	return fmt.Errorf("%q is above %s, the most this count can be", s, hi)
}

// smallExponent reports that the exponent of a float form t is small
// enough to compute the number it writes in full (big.Rat would build
// 10^exponent): a count's exponent has at most three digits.
func smallExponent(t string) bool {
	l := strings.ToLower(strings.TrimLeft(t, "+-"))
	i := strings.LastIndexByte(l, 'e')
	if strings.HasPrefix(l, "0x") {
		i = strings.LastIndexByte(l, 'p')
	}
	if i < 0 {
		return true
	}
	e, err := strconv.Atoi(l[i+1:])
	return err == nil && e >= -999 && e <= 999
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// CountVar defines a count flag on fs, as fs.IntVar or fs.Uint64Var do:
// a whole number, also written as a scenario file may write it (1e6,
// 1_000_000).
func CountVar[T int | uint64](fs *flag.FlagSet, p *T, name string, value T, usage string) {
	*p = value
	f := countFlag[T]{p: p, lo: new(big.Int), hi: new(big.Int).SetUint64(math.MaxUint64)}
	if _, signed := any(p).(*int); signed {
		f.lo, f.hi = big.NewInt(math.MinInt), big.NewInt(math.MaxInt)
	}
	fs.Var(f, name, usage)
}

// PositiveCountVar is CountVar for a count the command refuses to be 0
// when given (its default, 0, says it was not given): a negative one is
// refused as "must be > 0", as the command refuses 0, not as "below 0".
func PositiveCountVar(fs *flag.FlagSet, p *uint64, name string, value uint64, usage string) {
	*p = value
	fs.Var(countFlag[uint64]{p: p, lo: new(big.Int), hi: new(big.Int).SetUint64(math.MaxUint64), positive: true}, name, usage)
}

// numberFlag is a number whose message says what to write: the flag
// package's says only "parse error" or "value out of range".
type numberFlag struct{ p *float64 }

func (f numberFlag) String() string {
	if f.p == nil {
		return "0"
	}
	return strconv.FormatFloat(*f.p, 'g', -1, 64)
}

func (f numberFlag) Set(s string) error {
	x, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), "_", ""), 64)
	if err != nil && !isRange(err) {
		return fmt.Errorf("%q is not a number: want one like 3000, 2.5 or 1e3", s)
	}
	// A number past what a float64 holds reads as ±Inf (or 0 below it),
	// which the command's own range check refuses in its words ("--rate
	// must be > 0 and at most 1000000"), as it does 1e300.
	*f.p = x
	return nil
}

// NumberVar defines a number flag on fs, as fs.Float64Var does, whose
// message says what to write; a number too large for a float64 (1e309)
// is left for the command's range check to refuse, as an accepted one
// past its range is.
func NumberVar(fs *flag.FlagSet, p *float64, name string, value float64, usage string) {
	*p = value
	fs.Var(numberFlag{p}, name, usage)
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

// DurationVar defines a duration flag on fs, as fs.DurationVar does,
// whose message says that a number needs a unit.
func DurationVar(fs *flag.FlagSet, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var(durationFlag{p}, name, usage)
}

// Seed is a --seed value that remembers whether it was given, since 0
// is a valid seed.
type Seed struct {
	Given bool
	Value uint64
}

func (f *Seed) String() string {
	if !f.Given {
		return ""
	}
	return fmt.Sprint(f.Value)
}

// Set reads a seed, a whole number from 0 to 2⁶⁴−1.
func (f *Seed) Set(s string) error {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a seed: want a whole number from 0 to %d", s, uint64(math.MaxUint64))
	}
	f.Given, f.Value = true, n
	return nil
}

// List collects a repeatable flag's values.
type List []string

func (l *List) String() string { return strings.Join(*l, " ") }

// Set adds a value.
func (l *List) Set(text string) error {
	*l = append(*l, text)
	return nil
}

// Repeatable marks List as a flag that collects every value given.
func (*List) Repeatable() {}

// Theme is --theme light|dark|auto, for slides and demos: the
// dashboard's and run's table's colours.
type Theme struct{ Mode theme.Mode }

func (f *Theme) String() string { return f.Mode.String() }

// Set reads a theme's name.
func (f *Theme) Set(s string) error {
	m, err := theme.ParseMode(s)
	if err != nil {
		return err
	}
	f.Mode = m
	return nil
}

// ThemeHelp is --theme's help line.
const ThemeHelp = "`THEME` the table's and the dashboard's colours (plots are always drawn on white): light (a white background, a projector), dark, or auto (light when COLORFGBG says the background is; default)"

// Speed is --speed: a factor against the wall clock, or "max".
type Speed struct{ Speed float64 }

func (f *Speed) String() string {
	if f.Speed == 0 {
		return ""
	}
	return runner.SpeedLabel(f.Speed)
}

// Set reads a speed (runner.ParseSpeed).
func (f *Speed) Set(s string) error {
	v, err := runner.ParseSpeed(s)
	if err != nil {
		return fmt.Errorf("%q is not a speed: want a factor from %g to %g, or max", s, float64(runner.MinSpeed), float64(runner.MaxSpeed))
	}
	f.Speed = v
	return nil
}
