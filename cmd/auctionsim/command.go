package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/auctionsim/auctionsim/report/format"
)

// command is one subcommand: its flags, defined once (name, placeholder,
// usage), and the help generated from them. A new command builds one with
// newCommand, registers its flags on fs (the usage's `BACKQUOTED` word is
// the value's placeholder in the help, as in the flag package), gives
// short aliases with alias, and sets run; then it gets an entry in
// subcommands.
type command struct {
	name     string   // as typed after auctionsim: "run"
	usage    string   // the synopsis after "auctionsim NAME": "[-s NAME|FILE] [flags]"
	about    string   // what it does, in paragraphs; wrapped in the help
	examples []string // command lines, shown under Examples
	exits    string   // the exit codes, one sentence
	fs       *flag.FlagSet
	short    map[string]string // long flag name → its one-letter alias
	// noArgs: the command takes no arguments after its flags (its
	// scenario comes with -s); main refuses any before run.
	noArgs bool
	// run does the work once the flags are parsed; fs.Args() are the
	// arguments left.
	run func(st streams) int
}

// A flag's usage may start with its placeholder in backquotes, which the
// help shows after the flag's name only: "`N` the random seed" gives
// "--seed N  the random seed". A backquoted word elsewhere is the
// placeholder too and stays in the sentence, as in the flag package.

// newCommand starts a command; its flags go on c.fs.
func newCommand(name, usage, about string) *command {
	return &command{
		name:  name,
		usage: usage,
		about: about,
		exits: "Exit codes: 0 ok, 2 bad usage.",
		fs:    flag.NewFlagSet(name, flag.ContinueOnError),
		short: map[string]string{},
	}
}

// alias makes -short another name for the already registered --long.
func (c *command) alias(short, long string) {
	f := c.fs.Lookup(long)
	if f == nil {
		panic("alias of an unknown flag " + long) // a programming error
	}
	c.fs.Var(f.Value, short, "")
	c.short[long] = short
}

// helpWidth is the width the help is wrapped to.
const helpWidth = 80

// help is the command's help text: usage, description, the flags from the
// FlagSet, examples and exit codes.
func (c *command) help() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: auctionsim %s %s\n\n", c.name, c.usage)
	for i, para := range strings.Split(strings.TrimSpace(c.about), "\n\n") {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, line := range format.Wrap(para, helpWidth-4) {
			b.WriteString(line + "\n")
		}
	}
	if rows := c.flagRows(); len(rows) > 0 {
		b.WriteString("\nFlags:\n")
		left := 0
		for _, r := range rows {
			left = max(left, len([]rune(r[0])))
		}
		for _, r := range rows {
			pad := strings.Repeat(" ", left-len([]rune(r[0]))+2)
			lines := format.Wrap(r[1], max(helpWidth-left-4, 30))
			if len(lines) == 0 {
				lines = []string{""}
			}
			fmt.Fprintf(&b, "  %s%s%s\n", r[0], pad, lines[0])
			for _, l := range lines[1:] {
				fmt.Fprintf(&b, "  %s%s\n", strings.Repeat(" ", left+2), l)
			}
		}
	}
	if len(c.examples) > 0 {
		b.WriteString("\nExamples:\n")
		for _, e := range c.examples {
			b.WriteString("  " + e + "\n")
		}
	}
	if c.exits != "" {
		b.WriteString("\n")
		for _, line := range format.Wrap(c.exits, helpWidth-4) {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// flagRows are the flags' help rows, "-s, --scenario NAME|FILE" and the
// usage, sorted by long name; aliases share their flag's row.
func (c *command) flagRows() [][2]string {
	aliases := map[string]bool{}
	for _, s := range c.short {
		aliases[s] = true
	}
	var rows [][2]string
	c.fs.VisitAll(func(f *flag.Flag) {
		if aliases[f.Name] {
			return
		}
		placeholder, usage := flag.UnquoteUsage(f)
		if strings.HasPrefix(f.Usage, "`") {
			// "`N` the seed": the placeholder leads, and is not repeated.
			usage = strings.TrimSpace(strings.TrimPrefix(usage, placeholder))
		}
		if isBool(f) {
			placeholder = ""
		}
		left := "    --" + f.Name
		if s, ok := c.short[f.Name]; ok {
			left = "-" + s + ", --" + f.Name
		}
		if placeholder != "" {
			left += " " + placeholder
		}
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "0s" {
			usage += " (default " + f.DefValue + ")"
		}
		rows = append(rows, [2]string{left, usage})
	})
	sort.SliceStable(rows, func(i, j int) bool {
		return strings.TrimLeft(rows[i][0][4:], "-") < strings.TrimLeft(rows[j][0][4:], "-")
	})
	return rows
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// main parses args and runs the command: --help prints the help on
// stdout; a bad flag is reported on stderr, spelled with "--".
func (c *command) main(args []string, st streams) int {
	if code, done := parseFlags(c.fs, args, c.help(), st); done {
		return code
	}
	if c.noArgs {
		if code, refused := refuseArgs(c.fs, st); refused {
			return code
		}
	}
	return c.run(st)
}

// refuseArgs refuses the arguments left after the flags of a command
// that takes its scenario with -s; refused reports that it did.
func refuseArgs(fs *flag.FlagSet, st streams) (code int, refused bool) {
	if fs.NArg() == 0 {
		return exitOK, false
	}
	return usageError(st, fs.Name(), "unexpected argument %q (give the scenario with -s)", fs.Arg(0)), true
}

// given reports which flags were set on the command line.
func (c *command) given() map[string]bool {
	m := map[string]bool{}
	c.fs.Visit(func(f *flag.Flag) { m[f.Name] = true })
	for long, short := range c.short {
		if m[short] {
			m[long] = true
		}
	}
	return m
}

// usageError reports bad usage of the command.
func (c *command) usageError(st streams, format string, args ...any) int {
	return usageError(st, c.name, format, args...)
}

// parseFlags parses args into fs. On --help it prints help to stdout; on a
// bad flag it says so on stderr. done reports that the command should
// return code without going further.
func parseFlags(fs *flag.FlagSet, args []string, help string, st streams) (code int, done bool) {
	fs.SetOutput(io.Discard) // errors and help are printed below, our way
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitOK, false
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(st.out, help)
		return exitOK, true
	}
	return usageError(st, fs.Name(), "%s", dashes(err.Error())), true
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
		if len([]rune(sub[2])) == 1 {
			return m
		}
		return sub[1] + "--" + sub[2]
	})
}

// usageError reports bad usage of command on stderr and returns exitUsage.
func usageError(st streams, command, format string, args ...any) int {
	fmt.Fprintf(st.err, "auctionsim %s: %s\nRun 'auctionsim %s --help' for usage.\n", command, fmt.Sprintf(format, args...), command)
	return exitUsage
}
