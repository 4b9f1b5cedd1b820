package main

import (
	"embed"
	"strings"
)

// The commands' long help is prose, kept as text beside the code
// (help/NAME.txt) rather than in Go strings, so that it reads and diffs
// as what the user sees.
//
//go:embed help/*.txt
var helpFiles embed.FS

// helpText is help/name.txt without its final newline. The files are
// part of the binary: one missing is a build error (go:embed's pattern),
// and TestHelpTexts checks each name the commands ask for.
func helpText(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic("auctionsim: no help text " + name + ": " + err.Error())
	}
	return strings.TrimSuffix(string(b), "\n")
}
