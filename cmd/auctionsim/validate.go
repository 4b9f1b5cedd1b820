package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/auctionsim/auctionsim/scenarios"
)

const validateHelp = `Usage: auctionsim validate FILE...

Checks scenario files without running them. Every problem in every file is
printed on stdout, one per line, as FILE:LINE:COLUMN: FIELD: MESSAGE (the
format editors and CI annotate); a good file prints FILE: ok. A bundled
scenario's name may stand for a file.

Examples:
  auctionsim validate my-world.yaml
  auctionsim validate scenarios/*.yaml

Exit codes: 0 every file is good, 2 some file is bad (or no file was given).
`

func validateCmd(args []string, st streams) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	if code, done := parseFlags(fs, args, validateHelp, st); done {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(st, "validate", "give at least one scenario file")
	}
	code := exitOK
	for _, path := range fs.Args() {
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
