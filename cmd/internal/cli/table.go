package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
)

// Entry is one line of a program's command table: what Dispatch runs
// and the help prints.
type Entry struct {
	Name     string
	Synopsis string // its line in the overall help, after the program's name
	Main     func(args []string) int
	Help     func() string
}

// Table is a program's commands, in the order its help lists them (a
// command may have several lines), the help around them, and what runs
// without a command.
type Table struct {
	Head, Tail string // the overall help before and after the commands
	Entries    []Entry
	// Default runs with no arguments, or with flags before any command.
	Default func(args []string) int
}

// Usage is the overall help.
func (t Table) Usage() string {
	var b strings.Builder
	b.WriteString(t.Head)
	for _, c := range t.Entries {
		fmt.Fprintf(&b, "  %s %s\n", program, c.Synopsis)
	}
	b.WriteString(t.Tail)
	return b.String()
}

// Find is the command named name.
func (t Table) Find(name string) (Entry, bool) {
	for _, c := range t.Entries {
		if c.Name == name {
			return c, true
		}
	}
	return Entry{}, false
}

// Dispatch runs the command args name and returns its exit code: help
// [COMMAND] and --help print help on stdout, --version runs the version
// command (when the table has one), an unknown command is bad usage.
func (t Table) Dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return t.Default(nil)
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help":
		return t.help(rest, stdout, stderr)
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, t.Usage())
		return ExitOK
	case "-version", "--version":
		if c, ok := t.Find("version"); ok {
			return c.Main(rest)
		}
	}
	if c, ok := t.Find(name); ok {
		return c.Main(rest)
	}
	if strings.HasPrefix(name, "-") {
		return t.Default(args)
	}
	fmt.Fprintf(stderr, "%s: unknown command %q%s\nRun '%s --help' for usage.\n", program, name, t.didYouMean(name), program)
	return ExitUsage
}

// didYouMean suggests the command an unknown one is a typo of
// ("; did you mean bidders?"), as a flag's typo gets one; "" when none is
// close.
func (t Table) didYouMean(name string) string {
	if len([]rune(name)) < 3 {
		return "" // too short to tell a typo from another word
	}
	names := []string{"help"}
	for _, c := range t.Entries {
		names = append(names, c.Name)
	}
	if c := sim.Closest(name, names, 2); c != "" {
		return "; did you mean " + c + "?"
	}
	return ""
}

// help is help [COMMAND].
func (t Table) help(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, t.Usage())
		return ExitOK
	}
	if len(args) > 1 {
		fmt.Fprintf(stderr, "%s help: give at most one command\n", program)
		return ExitUsage
	}
	if args[0] == "help" {
		fmt.Fprint(stdout, t.Usage()) // help on help is the help
		return ExitOK
	}
	c, ok := t.Find(args[0])
	if !ok {
		fmt.Fprintf(stderr, "%s help: unknown command %q%s\nRun '%s --help' for usage.\n", program, args[0], t.didYouMean(args[0]), program)
		return ExitUsage
	}
	fmt.Fprint(stdout, c.Help())
	return ExitOK
}
