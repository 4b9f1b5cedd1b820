package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

//go:embed bundled/*.yaml
var bundledFS embed.FS

// teachingOrder is the order List presents the bundled scenarios in: from
// auction theory to the engineering of S2S bidding. Every file in bundled/
// must appear here (a test checks).
var teachingOrder = [...]string{
	"classroom-vickrey",
	"first-vs-second",
	"reserve-price",
	"sponsored-search",
	"timeout-demo",
	"timeout-story",
	"prebid-server",
	"overloaded-bidder",
	"budget-split",
	"incrementality-test",
	"pacing-showdown",
	"flight-week",
}

// Info names a bundled scenario and says what it teaches.
type Info struct {
	Name        string
	Description string
}

// List returns the bundled scenarios in teaching order.
func List() []Info {
	out := make([]Info, 0, len(teachingOrder))
	for _, name := range teachingOrder {
		info := Info{Name: name}
		if s, err := Bundled(name); err == nil {
			info.Description = s.Description
		} else {
			info.Description = "(does not load: " + err.Error() + ")"
		}
		out = append(out, info)
	}
	return out
}

// Names returns the bundled scenarios' names in teaching order.
func Names() []string {
	return append([]string(nil), teachingOrder[:]...)
}

// Source returns a bundled scenario's YAML text, to copy and edit.
func Source(name string) ([]byte, error) {
	if !isBundled(name) {
		return nil, unknownBundled(name)
	}
	data, err := fs.ReadFile(bundledFS, "bundled/"+name+".yaml")
	if err != nil {
		return nil, bundledError(name, err)
	}
	return data, nil
}

// bundledError says which bundled scenario err is about.
func bundledError(name string, err error) error {
	return fmt.Errorf("bundled scenario %s: %w", name, err)
}

// Bundled parses a bundled scenario. Its Source is "bundled:NAME".
func Bundled(name string) (*Scenario, error) {
	data, err := Source(name)
	if err != nil {
		return nil, err
	}
	s, err := Parse(name+".yaml", data)
	if err != nil {
		return nil, bundledError(name, err)
	}
	s.Source = "bundled:" + name
	return s, nil
}

// Resolve finds a scenario by bundled name or file path. An argument that
// looks like a path (it has a directory separator or a .yaml/.yml
// extension) is always a file; otherwise a bundled name wins over a file
// of the same name.
func Resolve(nameOrPath string) (*Scenario, error) {
	if nameOrPath == "" {
		return nil, errors.New("no scenario given")
	}
	if !looksLikePath(nameOrPath) {
		if isBundled(nameOrPath) {
			return Bundled(nameOrPath)
		}
		if _, err := os.Stat(nameOrPath); err != nil {
			return nil, unknownBundled(nameOrPath)
		}
	}
	return Load(nameOrPath)
}

func looksLikePath(s string) bool {
	ext := strings.ToLower(filepath.Ext(s))
	return strings.ContainsRune(s, '/') || strings.ContainsRune(s, filepath.Separator) || ext == ".yaml" || ext == ".yml"
}

func isBundled(name string) bool {
	for _, n := range teachingOrder {
		if n == name {
			return true
		}
	}
	return false
}

// unknownBundled refuses name, neither bundled nor a file: with the
// bundled name it is a typo of, as a field's is suggested, else the list.
func unknownBundled(name string) error {
	return fmt.Errorf("no bundled scenario or file named %q%s", name, didYouMean(name, teachingOrder[:], "bundled"))
}
