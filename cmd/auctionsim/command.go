package main

import (
	"github.com/auctionsim/auctionsim/cmd/internal/cli"
)

// command is one subcommand: its flags and help (cli.Command) and what it
// runs. A new command declares itself in a cli.Spec given to newCommand,
// registers its flags on c.Flags, and sets run; then it gets an entry in
// commands (main.go).
type command struct {
	*cli.Command
	// run does the work once the flags are parsed; c.Flags.Args() are
	// the arguments left.
	run func(st streams) int
	// runArgs, set instead of run, is for a command whose flags may
	// follow its arguments: it gets the arguments once every flag is
	// parsed.
	runArgs func(args []string, st streams) int
}

// newCommand starts the command s declares; its flags go on c.Flags.
func newCommand(s cli.Spec) *command {
	return &command{Command: cli.New(s)}
}

// main parses args and runs the command: --help prints the help on
// stdout; a bad flag is reported on stderr, spelled with "--".
func (c *command) main(args []string, st streams) int {
	if code, done := c.Parse(args, st.out, st.err); done {
		return code
	}
	if c.runArgs != nil {
		args, code, done := cli.ParseInterleaved(c.Flags, c.Flags.Args(), c.Help(), st.out, st.err)
		if done {
			return code
		}
		return c.runArgs(args, st)
	}
	return c.run(st)
}

// usageError reports bad usage of the command.
func (c *command) usageError(st streams, format string, args ...any) int {
	return usageError(st, c.Name, format, args...)
}

// usageError reports bad usage of command on stderr and returns exitUsage.
func usageError(st streams, command, format string, args ...any) int {
	return cli.UsageError(st.err, command, format, args...)
}
