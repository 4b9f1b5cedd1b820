package main

import (
	"fmt"
	"runtime/debug"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
)

// version is what make build stamps the binary with (git describe
// --tags --always --dirty, through -ldflags "-X main.version=..."); ""
// in a plain go build, where the build's own information says what it
// can (cli.Version). Set by the linker alone, never written.
var version string

func newVersionCmd() *command {
	c := newCommand(cli.Spec{
		Name:  "version",
		Usage: "",
		About: `Prints auctionsim's version: the one make build stamps it with (git
describe), else the module version it was built as, else the revision of
the source when it was built from a git checkout ("-dirty" when the
checkout had uncommitted changes), else devel; then the revision and its
time when the build knows them, and the Go release. auctionsim --version
prints the same.`,
		Examples: []string{"auctionsim version", "auctionsim --version"},
	})
	c.run = func(st streams) int {
		if c.Flags.NArg() > 0 {
			return c.usageError(st, "unexpected argument %q: version takes none", c.Flags.Arg(0))
		}
		info, ok := debug.ReadBuildInfo()
		fmt.Fprintln(st.out, cli.VersionLine("auctionsim", version, info, ok))
		return exitOK
	}
	return c
}
