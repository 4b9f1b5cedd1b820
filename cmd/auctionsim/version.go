package main

import (
	"fmt"
	"runtime/debug"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
)

func newVersionCmd() *command {
	c := newCommand(cli.Spec{
		Name:  "version",
		Usage: "",
		About: `Prints auctionsim's version: the module version it was built as, the
revision of the source and its time when it was built from a git checkout
(", modified" when the checkout had uncommitted changes), and the Go
release. auctionsim --version prints the same.`,
		Examples: []string{"auctionsim version", "auctionsim --version"},
	})
	c.run = func(st streams) int {
		if c.Flags.NArg() > 0 {
			return c.usageError(st, "unexpected argument %q: version takes none", c.Flags.Arg(0))
		}
		info, ok := debug.ReadBuildInfo()
		fmt.Fprintln(st.out, cli.VersionLine("auctionsim", info, ok))
		return exitOK
	}
	return c
}
