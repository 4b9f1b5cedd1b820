package main

import (
	"fmt"
	"strings"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/scenarios"
)

func newValidateCmd() *command {
	c := newCommand(cli.Spec{
		Name:  "validate",
		Usage: "FILE...",
		About: `Checks scenario files without running them. Every problem in every file is
printed on stdout, one per line, as FILE:LINE:COLUMN: FIELD: MESSAGE (the
format editors and CI annotate); a good file prints FILE: ok. A bundled
scenario's name may stand for a file.`,
		Examples: []string{
			"auctionsim validate my-world.yaml",
			"auctionsim validate scenarios/*.yaml",
		},
		Exits: "Exit codes: 0 every file is good, 1 the report could not be written, " +
			"2 some file is bad (or no file was given).",
	})
	c.run = func(st streams) int { return validate(c, st) }
	return c
}

func validate(c *command, st streams) int {
	if c.Flags.NArg() == 0 {
		return c.usageError(st, "give at least one scenario file")
	}
	code := exitOK
	for _, path := range c.Flags.Args() {
		type checked struct {
			lines []string
			ok    bool
		}
		// A named pipe with no writer yet waits: a signal ends it.
		r, read := interruptibly(st, "validate", path, "checked", func() checked {
			lines, ok := scenarios.Check(path)
			return checked{lines, ok}
		})
		if !read {
			return exitInterrupted
		}
		lines, ok := r.lines, r.ok
		if !ok {
			code = exitUsage
		}
		fmt.Fprintln(st.out, strings.Join(lines, "\n"))
	}
	return code
}
