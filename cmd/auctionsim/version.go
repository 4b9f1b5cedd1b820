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
		fmt.Fprintln(st.out, versionLine(info, ok))
		return exitOK
	}
	return c
}

// versionLine is the version as the version command prints it, from the
// build's information (debug.ReadBuildInfo): "auctionsim v1.2.0
// (revision 8288f77c1a2b, 2026-12-06T16:00:00Z, modified) go1.26.0".
func versionLine(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "auctionsim (unknown version: built without module information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)" // a test binary, or go run
	}
	line := "auctionsim " + v
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		line += " (revision " + rev
		if at != "" {
			line += ", " + at
		}
		if modified {
			line += ", modified"
		}
		line += ")"
	}
	if info.GoVersion != "" {
		line += " " + info.GoVersion
	}
	return line
}
