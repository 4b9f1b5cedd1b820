package main

import (
	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/scenarios"
)

func newScenariosCmd() *command {
	c := newCommand(cli.Spec{
		Name:  "scenarios",
		Usage: "[show NAME]",
		About: `Lists the scenarios bundled with auctionsim, each with what it teaches and
what to try; show prints one as YAML, to copy and edit (the format is
documented in scenarios/README.md).`,
		Examples: []string{
			"auctionsim scenarios",
			"auctionsim scenarios show pacing-showdown > pacing.yaml",
			"auctionsim run -s pacing.yaml",
		},
		Exits: "Exit codes: 0 ok, 1 the output could not be written, 2 bad usage or an unknown scenario.",
	})
	c.run = func(st streams) int { return scenariosMain(c, st) }
	return c
}

func scenariosMain(c *command, st streams) int {
	switch rest := c.Flags.Args(); {
	case len(rest) == 0 || len(rest) == 1 && rest[0] == "list":
		scenarios.WriteList(st.out) // a write error is the checked stdout's
		return exitOK
	case rest[0] == "show":
		if len(rest) != 2 {
			return c.usageError(st, "show takes one scenario name")
		}
		src, err := scenarios.Source(rest[1])
		if err != nil {
			return cli.Fail(st.err, "scenarios", err, exitUsage)
		}
		if _, err := st.out.Write(src); err != nil {
			return cli.Fail(st.err, "scenarios", err, exitFailed)
		}
		return exitOK
	default:
		return c.usageError(st, "unknown subcommand %q (want show NAME, or nothing to list)", rest[0])
	}
}
