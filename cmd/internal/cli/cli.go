// Package cli is the flag, help and exit-code machinery every auctionsim
// subcommand uses: a Command whose flags are defined once and whose help is
// generated from them, flag errors spelled as the help spells flags
// (--name, -s), usage errors that point to --help, flag values whose
// messages say what to write (counts, durations, seeds, lists, the theme
// and the speed), the exit codes, and what a command needs of its
// terminal and signals (NO_COLOR, the width, Ctrl-C), and how a refusal
// or a failure is reported (Check, Fail, BadInput). It knows nothing of
// scenarios or runs: cmd/auctionsim defines each command's flags on a
// Command and does the work.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitFailed      = 1   // the run failed
	ExitUsage       = 2   // bad usage or a bad scenario
	ExitInterrupted = 130 // 128 + SIGINT, as shells report it
)

// program is the name every message and help starts with.
const program = "auctionsim"

// ParseFlags parses args into fs. On --help it prints help to stdout; on a
// bad flag it says so on stderr, as it does a single-value flag given two
// different values (only a Repeatable flag repeats). done reports that
// the command should return code without going further.
func ParseFlags(fs *flag.FlagSet, args []string, help string, stdout, stderr io.Writer) (code int, done bool) {
	fs.SetOutput(io.Discard) // errors and help are printed below, our way
	fs.Usage = func() {}
	once := guardOnce(fs)
	err := fs.Parse(args)
	switch {
	case err == nil:
		if name := emptyFile(fs); name != "" {
			return UsageError(stderr, fs.Name(), "--%s is empty: give a file's path, or leave the flag out", name), true
		}
		return ExitOK, false
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, help)
		return ExitOK, true
	case once.twice != nil:
		// Said as it is, not as the flag package's "invalid value".
		return UsageError(stderr, fs.Name(), "%v", once.twice), true
	}
	return UsageError(stderr, fs.Name(), "%s%s", selfNamed(dashes(err.Error())), didYouMean(fs, err)), true
}

// fileFlags are the flags that name a file, which no command reads as
// "none" when empty.
var fileFlags = []string{"out", "plot", "openrtb-out", "export", "record", "replay"}

// emptyFile is the first of fileFlags given an empty value ("" when
// none is): --out "$OUT" with OUT unset ran and wrote nothing, without a
// word, as if --out had been left out.
func emptyFile(fs *flag.FlagSet) string {
	empty := ""
	fs.Visit(func(f *flag.Flag) {
		for _, n := range fileFlags {
			if f.Name == n && f.Value.String() == "" && empty == "" {
				empty = n
			}
		}
	})
	return empty
}

// invalidValue is the flag package's refusal of a value (after dashes):
// the flag, and what the value's Set said.
var invalidValue = regexp.MustCompile(`(?s)^invalid value ".*?" for flag (--?[^\s:]+): (.*)$`)

// selfNamed drops the flag package's "invalid value "X" for flag --F: "
// before a Set error that names the flag and value itself ("--vary X:
// ..."), which would say them twice; any other message is as it was.
func selfNamed(msg string) string {
	m := invalidValue.FindStringSubmatch(msg)
	if m != nil && (strings.HasPrefix(m[2], m[1]+" ") || strings.HasPrefix(m[2], m[1]+":")) {
		return m[2]
	}
	return msg
}

// didYouMean suggests the flag an unknown one is a typo of, spelled as
// the help spells it ("; did you mean --change?"); "" when none is close.
func didYouMean(fs *flag.FlagSet, err error) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	name = strings.TrimPrefix(name, "-")
	if !ok || len([]rune(name)) < 4 {
		return "" // too short to tell a typo from another word
	}
	// --help is every command's though no flag defines it: --hlep is a
	// typo of it, not of --reps.
	names := []string{"help"}
	fs.VisitAll(func(f *flag.Flag) {
		if len([]rune(f.Name)) > 1 {
			names = append(names, f.Name)
		}
	})
	if c := sim.Closest(name, names, 2); c != "" {
		return "; did you mean --" + c + "?"
	}
	return ""
}

// ParseInterleaved parses flags and positional arguments in any order
// (compare BASE --change X=1 VARIANT): the standard flag package stops at
// the first argument that is not a flag. "--" ends the flags.
func ParseInterleaved(fs *flag.FlagSet, args []string, help string, stdout, stderr io.Writer) (positional []string, code int, done bool) {
	for {
		if code, done := ParseFlags(fs, args, help, stdout, stderr); done {
			return nil, code, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, ExitOK, false
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), ExitOK, false
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// RefuseArgs refuses the arguments left after the flags of a command
// that takes its scenario with -s; refused reports that it did.
func RefuseArgs(fs *flag.FlagSet, stderr io.Writer) (code int, refused bool) {
	if fs.NArg() == 0 {
		return ExitOK, false
	}
	return UsageError(stderr, fs.Name(), "unexpected argument %q (give the scenario with -s)", fs.Arg(0)), true
}

// flagRef finds a flag named in one of the flag package's messages
// ("flag provided but not defined: -foo", "invalid value "x" for flag
// -seed: ...", "flag needs an argument: -out").
var flagRef = regexp.MustCompile(`(: |flag |for )-([^-\s:][^\s:]*)`)

// dashes spells the flags in a flag package message the way the help
// does: --name for long names, -s for one letter.
func dashes(msg string) string {
	return flagRef.ReplaceAllStringFunc(msg, func(m string) string {
		sub := flagRef.FindStringSubmatch(m)
		return sub[1] + spelled(sub[2])
	})
}

// spelled is the flag name as the help spells it: --name for a long name,
// -s for one letter.
func spelled(name string) string {
	if len([]rune(name)) == 1 {
		return "-" + name
	}
	return "--" + name
}

// UsageError reports bad usage of command on stderr and returns ExitUsage.
func UsageError(stderr io.Writer, command, format string, args ...any) int {
	fmt.Fprintf(stderr, "%s %s: %s\nRun '%s %s --help' for usage.\n", program, command, fmt.Sprintf(format, args...), program, command)
	return ExitUsage
}

// CheckedWriter remembers the first write error, so that a command that
// prints with fmt.Fprint still fails when its output is lost.
type CheckedWriter struct {
	W   io.Writer
	Err error // the first write error
}

func (c *CheckedWriter) Write(p []byte) (int, error) {
	if c.Err != nil {
		return 0, c.Err
	}
	n, err := c.W.Write(p)
	if err != nil {
		c.Err = err
	}
	return n, err
}

// Check runs a command's checks in order, until one refuses: that
// refusal is reported as bad usage (UsageError: exit 2, pointing to
// --help) and refused is true. A library's check returns an error that
// names the flag (report.OptionError), so the message needs nothing
// added here.
func Check(stderr io.Writer, command string, checks ...func() error) (code int, refused bool) {
	for _, check := range checks {
		if err := check(); err != nil {
			return UsageError(stderr, command, "%v", err), true
		}
	}
	return ExitOK, false
}

// Fail reports err, which ended command, as "auctionsim COMMAND: err" on
// stderr and returns code (ExitFailed for a run or a write that failed,
// ExitUsage for bad input).
func Fail(stderr io.Writer, command string, err error, code int) int {
	fmt.Fprintf(stderr, "%s %s: %v\n", program, command, err)
	return code
}

// BadInput reports err, an input that cannot be used (a scenario with
// problems), which stopped command, on stderr and returns ExitUsage: an
// error that lists its problems (Unwrap() []error, as scenarios.Errors
// does) one a line, those at a line of a file as they are (file, line
// and field first, as a compiler's), the others, as any other error,
// after "auctionsim COMMAND: ", as the command's other refusals.
func BadInput(stderr io.Writer, command string, err error) int {
	var list interface{ Unwrap() []error }
	if errors.As(err, &list) {
		for _, e := range list.Unwrap() {
			if f, ok := e.(interface{ InFile() bool }); ok && f.InFile() {
				fmt.Fprintln(stderr, e)
				continue
			}
			fmt.Fprintf(stderr, "%s %s: %v\n", program, command, e)
		}
		return ExitUsage
	}
	fmt.Fprintf(stderr, "%s %s: %v\n", program, command, err)
	return ExitUsage
}
