package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"strings"
	"syscall"
	"testing"
	"time"
)

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// TestCheckedWriter checks that the stdout wrapper remembers the first
// write error and passes good writes through.
func TestCheckedWriter(t *testing.T) {
	w := &CheckedWriter{W: failingWriter{}}
	if _, err := w.Write([]byte("x")); !errors.Is(err, syscall.ENOSPC) || !errors.Is(w.Err, syscall.ENOSPC) {
		t.Errorf("err %v, remembered %v", err, w.Err)
	}
	if _, err := w.Write([]byte("y")); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("a write after a failure: %v", err)
	}
	var buf bytes.Buffer
	ok := &CheckedWriter{W: &buf}
	if _, err := ok.Write([]byte("x")); err != nil || ok.Err != nil || buf.String() != "x" {
		t.Errorf("a good write: %v", err)
	}
}

// TestDashes checks that flag errors spell flags as the help does.
func TestDashes(t *testing.T) {
	for in, want := range map[string]string{
		"flag provided but not defined: -x":            "flag provided but not defined: -x",
		"flag provided but not defined: -foo":          "flag provided but not defined: --foo",
		`invalid value "-1" for flag -auctions: parse`: `invalid value "-1" for flag --auctions: parse`,
		"invalid boolean value \"q\" for -json: x":     "invalid boolean value \"q\" for --json: x",
		"flag needs an argument: -out":                 "flag needs an argument: --out",
		"bad flag syntax: ---x":                        "bad flag syntax: ---x",
	} {
		if got := dashes(in); got != want {
			t.Errorf("dashes(%q) = %q, want %q", in, got, want)
		}
	}
}

// testCommand is a command with a flag of each kind.
func testCommand() (*Command, *int, *time.Duration, *Seed) {
	c := New(Spec{
		Name:     "demo",
		Usage:    "[-s NAME] [flags]",
		About:    "Does a demo.\n\nA second paragraph.",
		Examples: []string{"auctionsim demo -s x"},
	})
	var (
		reps  int
		d     time.Duration
		seed  Seed
		name  string
		quiet bool
	)
	c.Flags.StringVar(&name, "scenario", "timeout-demo", "`NAME` a scenario")
	c.Alias("s", "scenario")
	CountVar(c.Flags, &reps, "reps", 20, "`N` replications")
	DurationVar(c.Flags, &d, "duration", 0, "`D` stop after D")
	c.Flags.Var(&seed, "seed", "`N` the seed")
	c.Flags.BoolVar(&quiet, "quiet", false, "say less")
	return c, &reps, &d, &seed
}

// TestHelp checks the generated help: usage, paragraphs, one row a flag
// sorted by long name (the alias on its flag's row, the placeholder
// once, defaults other than zero), examples and exit codes.
func TestHelp(t *testing.T) {
	c, _, _, _ := testCommand()
	want := `Usage: auctionsim demo [-s NAME] [flags]

Does a demo.

A second paragraph.

Flags:
      --duration D     stop after D
      --quiet          say less
      --reps N         replications (default 20)
  -s, --scenario NAME  a scenario (default timeout-demo)
      --seed N         the seed

Examples:
  auctionsim demo -s x

Exit codes: 0 ok, 2 bad usage.
`
	if got := c.Help(); got != want {
		t.Errorf("help:\n%s\nwant:\n%s", got, want)
	}
}

// TestParse checks parsing: values read, --help on stdout, bad flags and
// arguments refused on stderr with exit 2, and Given under long names.
func TestParse(t *testing.T) {
	c, reps, d, seed := testCommand()
	var out, errb bytes.Buffer
	if code, done := c.Parse([]string{"-s", "x", "--reps", "1e3", "--duration", "90s", "--seed", "0"}, &out, &errb); done {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if *reps != 1000 || *d != 90*time.Second || !seed.Given || seed.Value != 0 {
		t.Errorf("reps %d, duration %v, seed %+v", *reps, *d, *seed)
	}
	if g := c.Given(); !g["scenario"] || !g["s"] || !g["reps"] || g["quiet"] {
		t.Errorf("given %v", g)
	}

	c, _, _, _ = testCommand()
	out.Reset()
	if code, done := c.Parse([]string{"--help"}, &out, &errb); !done || code != ExitOK || out.String() != c.Help() {
		t.Errorf("--help: exit %d, done %v, stdout %q", code, done, out.String())
	}

	for _, tc := range []struct {
		args   []string
		noArgs bool
		want   string
	}{
		{[]string{"--foo"}, false, "auctionsim demo: flag provided but not defined: --foo\nRun 'auctionsim demo --help' for usage.\n"},
		{[]string{"--reps", "1.5"}, false, `"1.5" is not a whole number`},
		{[]string{"--duration", "30"}, false, `"30" has no unit: a duration needs one, like 30s`},
		{[]string{"--seed", "-1"}, false, `"-1" is not a seed`},
		// A typo of a flag gets a suggestion, spelled as the help spells it.
		{[]string{"--durration", "1s"}, false, "flag provided but not defined: --durration; did you mean --duration?\n"},
		{[]string{"-repz", "3"}, false, "flag provided but not defined: --repz; did you mean --reps?\n"},
		// --help is every command's, though no flag defines it.
		{[]string{"--hlep"}, false, "flag provided but not defined: --hlep; did you mean --help?\n"},
		{[]string{"extra"}, true, `unexpected argument "extra" (give the scenario with -s)`},
	} {
		c, _, _, _ := testCommand()
		c.NoArgs = tc.noArgs
		errb.Reset()
		code, done := c.Parse(tc.args, &out, &errb)
		if !done || code != ExitUsage || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d, done %v, stderr %q; want %q", tc.args, code, done, errb.String(), tc.want)
		}
	}
	c, _, _, _ = testCommand()
	if _, done := c.Parse([]string{"extra"}, &out, &errb); done || c.Flags.Arg(0) != "extra" {
		t.Errorf("an argument refused without NoArgs")
	}
}

// TestParseInterleaved checks flags and arguments in any order, and "--"
// ending the flags.
func TestParseInterleaved(t *testing.T) {
	var out, errb bytes.Buffer
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	var l List
	fs.Var(&l, "change", "")
	pos, code, done := ParseInterleaved(fs, []string{"a", "--change", "p=1", "b", "--change", "q=2", "--", "--c"}, "", &out, &errb)
	if done || code != ExitOK || strings.Join(pos, " ") != "a b --c" || l.String() != "p=1 q=2" {
		t.Errorf("positional %q, changes %q, exit %d, done %v", pos, l, code, done)
	}
}

// TestCounts checks the counts a scenario file may write, and the
// messages of those refused.
func TestCounts(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	var n uint64
	var i int
	CountVar(fs, &n, "n", 0, "")
	CountVar(fs, &i, "i", 0, "")
	for in, want := range map[string]uint64{"1500": 1500, "1.5e3": 1500, "1_500": 1500, "1e19": 1e19} {
		if err := fs.Set("n", in); err != nil || n != want {
			t.Errorf("%s: %d, %v; want %d", in, n, err, want)
		}
	}
	if err := fs.Set("i", "-3"); err != nil || i != -3 {
		t.Errorf("-3 as an int: %d, %v", i, err)
	}
	for in, want := range map[string]string{
		"x":    `"x" is not a count: want a whole number, like 1000000 or 1e6`,
		"NaN":  `"NaN" is not a count`,
		"1.5":  `"1.5" is not a whole number`,
		"-1":   `"-1" is below 0`,
		"1e30": `"1e30" is above 18446744073709551615, the most this count can be`,
		// Past 2⁶⁴−1: refused, not rounded through a float64.
		"18446744073709551616":     `"18446744073709551616" is above 18446744073709551615`,
		"1.8446744073709551616e19": `"1.8446744073709551616e19" is above 18446744073709551615`,
		"1e-2000":                  `"1e-2000" is not a count`,
		"1.0000000000000001e3":     `"1.0000000000000001e3" is not a whole number`,
	} {
		if err := fs.Set("n", in); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v; want %q", in, err, want)
		}
	}
	// A count the command refuses to be 0 says so of a negative one too.
	var p uint64
	PositiveCountVar(fs, &p, "p", 0, "")
	for _, in := range []string{"-1", "-1e400", "-5_000"} {
		if err := fs.Set("p", in); err == nil || err.Error() != "must be > 0" {
			t.Errorf("positive %s: %v; want must be > 0", in, err)
		}
	}
	if err := fs.Set("p", "0"); err != nil || p != 0 {
		t.Errorf("positive 0: %d, %v; want 0 left to the command", p, err)
	}
}

// TestCountsExact checks that counts near 2⁶⁴ (and 2⁶³ for an int) are
// read exactly: a float64 would round them.
func TestCountsExact(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	var n uint64
	var i int
	CountVar(fs, &n, "n", 0, "")
	CountVar(fs, &i, "i", 0, "")
	for in, want := range map[string]uint64{
		"18446744073709551615":     math.MaxUint64,
		"18446744073709551614":     math.MaxUint64 - 1,
		"9007199254740993":         1<<53 + 1,
		"9007199254740993e0":       1<<53 + 1,
		"1.8446744073709551615e19": math.MaxUint64,
	} {
		if err := fs.Set("n", in); err != nil || n != want {
			t.Errorf("%s: %d, %v; want %d", in, n, err, want)
		}
	}
	for in, want := range map[string]int{"9223372036854775807": math.MaxInt, "-9223372036854775808": math.MinInt} {
		if err := fs.Set("i", in); err != nil || i != want {
			t.Errorf("%s as an int: %d, %v; want %d", in, i, err, want)
		}
	}
	if err := fs.Set("i", "9223372036854775808"); err == nil || !strings.Contains(err.Error(), "is above 9223372036854775807") {
		t.Errorf("2⁶³ as an int: %d, %v", i, err)
	}
}

// TestSpeedAndTheme checks the dashboard's two flag values.
func TestSpeedAndTheme(t *testing.T) {
	var s Speed
	if err := s.Set("4"); err != nil || s.Speed != 4 || s.String() == "" {
		t.Errorf("speed 4: %v %+v", err, s)
	}
	if err := s.Set("fast"); err == nil || !strings.Contains(err.Error(), "is not a speed") {
		t.Errorf("speed fast: %v", err)
	}
	var th Theme
	if err := th.Set("light"); err != nil || th.String() != "light" {
		t.Errorf("theme light: %v %q", err, th.String())
	}
	if err := th.Set("pink"); err == nil {
		t.Error("theme pink accepted")
	}
}

// TestNoColorAndWidth checks NO_COLOR (any non-empty value) beside the
// flag, and no width limit when stdout is not a terminal.
func TestNoColorAndWidth(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	if NoColor(false, env("")) || !NoColor(false, env("1")) || !NoColor(true, env("")) {
		t.Error("NO_COLOR or --no-color not honoured")
	}
	if Width(false) != 0 {
		t.Errorf("width %d when piped", Width(false))
	}
}

// TestInterruptible checks that the context is live until a signal and
// that stop releases it.
func TestInterruptible(t *testing.T) {
	ctx, stop := Interruptible()
	if ctx.Err() != nil {
		t.Fatal("cancelled before any signal")
	}
	stop()
	if ctx.Err() == nil {
		t.Error("stop does not end the context")
	}
	if len(EndSignals()) == 0 {
		t.Error("no signal ends the dashboard")
	}
}

// TestCheckAndFail checks that the first refusal among a command's
// checks is reported as bad usage, the later checks not run, and a
// failure with its code.
func TestCheckAndFail(t *testing.T) {
	var errb bytes.Buffer
	ran := false
	code, refused := Check(&errb, "serve", func() error { return nil },
		func() error { return errors.New("--round 0s must be > 0") },
		func() error { ran = true; return nil })
	if !refused || code != ExitUsage || ran ||
		errb.String() != "auctionsim serve: --round 0s must be > 0\nRun 'auctionsim serve --help' for usage.\n" {
		t.Errorf("exit %d, refused %v, later check ran %v: %q", code, refused, ran, errb.String())
	}
	if code, refused := Check(&errb, "serve", func() error { return nil }); refused || code != ExitOK {
		t.Errorf("nothing refused, yet exit %d, refused %v", code, refused)
	}
	errb.Reset()
	if code := Fail(&errb, "run", errors.New("disk full"), ExitFailed); code != ExitFailed || errb.String() != "auctionsim run: disk full\n" {
		t.Errorf("fail: exit %d, %q", code, errb.String())
	}
}

// listError is an error listing problems, as scenarios.Errors does.
type listError []error

func (l listError) Error() string   { return "several" }
func (l listError) Unwrap() []error { return l }

// placed is a problem at a line of a file, as a scenarios.Error with a
// line is.
type placed string

func (p placed) Error() string { return string(p) }
func (p placed) InFile() bool  { return true }

// TestBadInput checks that a list of problems is printed one a line,
// wrapped or not: those at a line of a file as they are, the others (an
// override a flag gave) after the command's name, as any other error.
func TestBadInput(t *testing.T) {
	var errb bytes.Buffer
	list := listError{placed("a.yaml:1:2: x: bad"), errors.New("--set exchange.tmax=-5ms: -5ms must be > 0"), placed("a.yaml:3:1: y: worse")}
	want := "a.yaml:1:2: x: bad\nauctionsim run: --set exchange.tmax=-5ms: -5ms must be > 0\na.yaml:3:1: y: worse\n"
	if code := BadInput(&errb, "run", fmt.Errorf("loading: %w", list)); code != ExitUsage || errb.String() != want {
		t.Errorf("a list: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	if code := BadInput(&errb, "sweep", errors.New("--vary bidders.x.value=1: no bidder named \"x\"")); code != ExitUsage ||
		errb.String() != "auctionsim sweep: --vary bidders.x.value=1: no bidder named \"x\"\n" {
		t.Errorf("one error: exit %d, %q", code, errb.String())
	}
}

// TestNumberVar: a number flag reads what Float64Var reads (and 1_000),
// says what to write for what is not a number, and leaves a number past
// a float64 (±Inf, or 0 below it) for the command's range check rather
// than say "value out of range".
func TestNumberVar(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var x float64
	NumberVar(fs, &x, "rate", 3000, "")
	if x != 3000 {
		t.Fatalf("default %v", x)
	}
	for s, want := range map[string]float64{"2.5": 2.5, "1e3": 1000, "1_000": 1000, "1e309": math.Inf(1), "-1e309": math.Inf(-1), "1e-400": 0} {
		if err := fs.Set("rate", s); err != nil || x != want {
			t.Errorf("%s: %v, %v; want %v", s, x, err, want)
		}
	}
	for _, s := range []string{"abc", "", "3x"} {
		if err := fs.Set("rate", s); err == nil || !strings.Contains(err.Error(), "is not a number: want one like 3000") {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// TestRepeatedFlag: a single-value flag given two different values is
// refused (exit 2, naming the flag as the help does, an alias by its long
// name), across ParseInterleaved's goes too; the same value twice loses
// nothing and passes, however it is written (1.0s and 1s, --json and
// --json=1: values compared, not texts); a Repeatable flag (a List)
// repeats.
func TestRepeatedFlag(t *testing.T) {
	parse := func(args ...string) (code int, stderr string, list List, step string) {
		c := New(Spec{Name: "x"})
		c.Flags.StringVar(&step, "step", "", "")
		var sc string
		c.Flags.StringVar(&sc, "scenario", "", "")
		c.Alias("s", "scenario")
		var reps int
		CountVar(c.Flags, &reps, "reps", 20, "")
		var js bool
		c.Flags.BoolVar(&js, "json", false, "")
		var d time.Duration
		DurationVar(c.Flags, &d, "duration", 0, "")
		c.Flags.Var(&list, "set", "")
		var out, errb bytes.Buffer
		_, code, done := ParseInterleaved(c.Flags, args, c.Help(), &out, &errb)
		if !done {
			code = ExitOK
		}
		return code, errb.String(), list, step
	}
	for _, c := range []struct {
		args []string
		name string // the flag the refusal names; "" for none
	}{
		{[]string{"--step", "10%", "--step", "20%"}, "--step is given twice (10% and 20%)"},
		{[]string{"--step=10%", "arg", "--step", "20%"}, "--step is given twice (10% and 20%)"},
		{[]string{"-s", "a", "--scenario", "b"}, "--scenario is given twice (a and b)"},
		{[]string{"--reps", "3", "--reps", "5"}, "--reps is given twice (3 and 5)"},
		{[]string{"--json", "--json=false"}, "--json is given twice (true and false)"},
		{[]string{"--duration", "1s", "--duration", "1m"}, "--duration is given twice (1s and 1m)"},
		{[]string{"--step", "10%", "--step", "10%", "--json", "--json"}, ""},
		{[]string{"--duration", "1.0s", "--duration", "1s"}, ""},
		{[]string{"--duration", "60s", "--duration=1m"}, ""},
		{[]string{"--json", "--json=1"}, ""},
		{[]string{"--reps", "1000", "--reps", "1e3"}, ""},
		{[]string{"--set", "a=1", "--set", "b=2", "--step", "5%"}, ""},
	} {
		code, stderr, _, _ := parse(c.args...)
		switch {
		case c.name == "" && code != ExitOK:
			t.Errorf("%q: exit %d: %s", c.args, code, stderr)
		case c.name != "" && (code != ExitUsage || !strings.Contains(stderr, c.name) || strings.Contains(stderr, "invalid value")):
			t.Errorf("%q: exit %d, %q; want 2 and %q", c.args, code, stderr, c.name)
		}
	}
	if _, _, list, step := parse("--set", "a=1", "--set", "b=2", "--step", "5%"); len(list) != 2 || step != "5%" {
		t.Errorf("list %q, step %q: want both --set values and the step", list, step)
	}
}

// TestSelfNamedValueError: a value's error that names its flag and value
// (--vary, --set) is not said twice behind the flag package's "invalid
// value ... for flag"; any other keeps it, as it says which flag.
func TestSelfNamedValueError(t *testing.T) {
	for in, want := range map[string]string{
		`invalid value "exchange.floor" for flag --vary: --vary exchange.floor: want PATH=V1,V2,...`: "--vary exchange.floor: want PATH=V1,V2,...",
		`invalid value "foo" for flag --set: --set foo: want PATH=VALUE`:                             "--set foo: want PATH=VALUE",
		`invalid value "5" for flag --duration: "5" has no unit`:                                     `invalid value "5" for flag --duration: "5" has no unit`,
		`invalid value "x" for flag --vary: --varying x`:                                             `invalid value "x" for flag --vary: --varying x`,
		"flag provided but not defined: --foo":                                                       "flag provided but not defined: --foo",
	} {
		if got := selfNamed(in); got != want {
			t.Errorf("selfNamed(%q) = %q, want %q", in, got, want)
		}
	}
	var vals List
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.Func("vary", "", func(s string) error { return fmt.Errorf("--vary %s: want PATH=V1,V2", s) })
	fs.Var(&vals, "set", "")
	var errb bytes.Buffer
	if code, _ := ParseFlags(fs, []string{"--vary", "x"}, "", &bytes.Buffer{}, &errb); code != ExitUsage || !strings.HasPrefix(errb.String(), "auctionsim sweep: --vary x: want PATH=V1,V2\n") {
		t.Errorf("exit %d: %q", code, errb.String())
	}
}

// TestEmptyFileFlag: a flag that names a file given an empty value
// (--out "$OUT", OUT unset) is refused, naming the flag, with exit 2;
// it ran and wrote nothing without a word, as if the flag were left out.
// A flag left out, or given a path, parses; an empty value of another
// flag is that flag's to judge.
func TestEmptyFileFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // the refusal's text; "": parsed
	}{
		{[]string{"--out", ""}, "auctionsim run: --out is empty: give a file's path, or leave the flag out\n"},
		{[]string{"--out="}, "auctionsim run: --out is empty"},
		{[]string{"--out", "x.json", "--plot", ""}, "auctionsim run: --plot is empty"},
		{[]string{"--replay="}, "auctionsim run: --replay is empty"},
		{[]string{"--out", "x.json"}, ""},
		{nil, ""},
		{[]string{"--theme", ""}, ""},
	} {
		fs := flag.NewFlagSet("run", flag.ContinueOnError)
		fs.String("out", "", "")
		fs.String("plot", "", "")
		fs.String("replay", "", "")
		fs.String("theme", "", "")
		var errb bytes.Buffer
		code, done := ParseFlags(fs, tc.args, "", &bytes.Buffer{}, &errb)
		if tc.want == "" {
			if done || code != ExitOK {
				t.Errorf("%q: refused (%d): %s", tc.args, code, errb.String())
			}
			continue
		}
		if !done || code != ExitUsage || !strings.HasPrefix(errb.String(), tc.want) {
			t.Errorf("%q: code %d, done %v, %q; want exit 2 and %q", tc.args, code, done, errb.String(), tc.want)
		}
	}
}
