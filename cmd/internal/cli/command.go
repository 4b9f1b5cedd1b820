package cli

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/auctionsim/auctionsim/report/format"
)

// Spec declares a command: its name and the help that is not about its
// flags. A command is a Spec literal given to New; its flags follow on
// the Command's Flags.
type Spec struct {
	Name     string   // as typed after auctionsim: "run"
	Usage    string   // the synopsis after "auctionsim NAME": "[-s NAME|FILE] [flags]"
	About    string   // what it does, in paragraphs; wrapped in the help
	Examples []string // command lines, shown under Examples
	Exits    string   // the exit codes, one sentence (default: DefaultExits)
	// NoArgs: the command takes no arguments after its flags (its
	// scenario comes with -s); Parse refuses any.
	NoArgs bool
}

// DefaultExits is the exit codes of a command whose Spec names none.
const DefaultExits = "Exit codes: 0 ok, 2 bad usage."

// Command is one subcommand's flags, defined once (name, placeholder,
// usage), and the help generated from them and its Spec. A command is
// made with New, registers its flags on Flags (the usage's `BACKQUOTED`
// word is the value's placeholder in the help, as in the flag package)
// and gives short aliases with Alias.
type Command struct {
	Spec
	Flags *flag.FlagSet
	short map[string]string // long flag name → its one-letter alias
}

// A flag's usage may start with its placeholder in backquotes, which the
// help shows after the flag's name only: "`N` the random seed" gives
// "--seed N  the random seed". A backquoted word elsewhere is the
// placeholder too and stays in the sentence, as in the flag package.

// New starts the command s declares; its flags go on c.Flags.
func New(s Spec) *Command {
	if s.Exits == "" {
		s.Exits = DefaultExits
	}
	return &Command{
		Spec:  s,
		Flags: flag.NewFlagSet(s.Name, flag.ContinueOnError),
		short: map[string]string{},
	}
}

// Alias makes -short another name for the already registered --long.
func (c *Command) Alias(short, long string) {
	f := c.Flags.Lookup(long)
	if f == nil {
		panic("alias of an unknown flag " + long) // a programming error
	}
	c.Flags.Var(f.Value, short, "")
	c.short[long] = short
}

// HelpWidth is the width the help is wrapped to.
const HelpWidth = 80

// Help is the command's help text: usage, description, the flags from the
// FlagSet, examples and exit codes.
func (c *Command) Help() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n\n", strings.TrimSpace(program+" "+c.Name+" "+c.Usage))
	for i, para := range strings.Split(strings.TrimSpace(c.About), "\n\n") {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, line := range format.Wrap(para, HelpWidth-4) {
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
			lines := format.Wrap(r[1], max(HelpWidth-left-4, 30))
			if len(lines) == 0 {
				lines = []string{""}
			}
			fmt.Fprintf(&b, "  %s%s%s\n", r[0], pad, lines[0])
			for _, l := range lines[1:] {
				fmt.Fprintf(&b, "  %s%s\n", strings.Repeat(" ", left+2), l)
			}
		}
	}
	if len(c.Examples) > 0 {
		b.WriteString("\nExamples:\n")
		for _, e := range c.Examples {
			b.WriteString("  " + e + "\n")
		}
	}
	if c.Exits != "" {
		b.WriteString("\n")
		for _, line := range format.Wrap(c.Exits, HelpWidth-4) {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// flagRows are the flags' help rows, "-s, --scenario NAME|FILE" and the
// usage, sorted by long name; aliases share their flag's row.
func (c *Command) flagRows() [][2]string {
	aliases := map[string]bool{}
	for _, s := range c.short {
		aliases[s] = true
	}
	var rows [][2]string
	c.Flags.VisitAll(func(f *flag.Flag) {
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

// Parse parses args: --help prints the help on stdout; a bad flag, or
// an argument to a command with NoArgs, is reported on stderr, spelled
// with "--". done reports that the command should return code without
// going further.
func (c *Command) Parse(args []string, stdout, stderr io.Writer) (code int, done bool) {
	if code, done := ParseFlags(c.Flags, args, c.Help(), stdout, stderr); done {
		return code, true
	}
	if c.NoArgs {
		return RefuseArgs(c.Flags, stderr)
	}
	return ExitOK, false
}

// Given reports which flags were set on the command line, an alias
// under its long name too.
func (c *Command) Given() map[string]bool {
	m := map[string]bool{}
	c.Flags.Visit(func(f *flag.Flag) { m[f.Name] = true })
	for long, short := range c.short {
		if m[short] {
			m[long] = true
		}
	}
	return m
}
