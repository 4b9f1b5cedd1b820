package main

import (
	"errors"
	"fmt"

	"github.com/auctionsim/auctionsim/scenarios"
)

func newValidateCmd() *command {
	c := newCommand("validate", "FILE...", `Checks scenario files without running them. Every problem in every file is
printed on stdout, one per line, as FILE:LINE:COLUMN: FIELD: MESSAGE (the
format editors and CI annotate); a good file prints FILE: ok. A bundled
scenario's name may stand for a file.`)
	c.Examples = []string{
		"auctionsim validate my-world.yaml",
		"auctionsim validate scenarios/*.yaml",
	}
	c.Exits = "Exit codes: 0 every file is good, 1 the report could not be written, " +
		"2 some file is bad (or no file was given)."
	c.run = func(st streams) int { return validate(c, st) }
	return c
}

func validate(c *command, st streams) int {
	if c.Flags.NArg() == 0 {
		return c.usageError(st, "give at least one scenario file")
	}
	code := exitOK
	for _, path := range c.Flags.Args() {
		_, err := scenarios.Resolve(path)
		if err == nil {
			fmt.Fprintf(st.out, "%s: ok\n", path)
			continue
		}
		code = exitUsage
		var list scenarios.Errors
		if errors.As(err, &list) {
			for _, e := range list {
				fmt.Fprintln(st.out, e)
			}
		} else {
			fmt.Fprintf(st.out, "%s: %v\n", path, err)
		}
	}
	return code
}
