package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report"
)

// exportRun writes the newest snapshot like `auctionsim run --out`, off
// the update loop, to a file of its own: auctionsim-NAME-SEED-N.json with
// the first N not taken, so an export never overwrites another. The status
// line shows the full path.
func exportRun(c *Context) tea.Cmd {
	if c.export == nil {
		c.Warn("export is not available in this build")
		return nil
	}
	f := c.Frame
	// A source's own header line: on the wire, whose export no replay
	// reproduces (report.Meta.Wire).
	meta := report.Meta{Scenario: f.World, Partial: !f.Reached(), WallSeconds: f.WallRun.Seconds(), Wire: f.Line != ""}
	if sc := c.sc; sc != nil && sc.Name == f.World {
		// What `run --replay` needs to re-run the export to this point.
		meta.ScenarioYAML, meta.Stop, meta.Horizon = sc.YAML, sc.Stop, sc.Config.Horizon
	}
	dir, export := c.exportDir, c.export
	// What the source adds (on the wire: "wire"), as run --out adds it.
	var more []report.Section
	for _, s := range f.Export {
		more = append(more, report.Section{Name: s.Name, Value: s.Value})
	}
	base := fmt.Sprintf("auctionsim-%s-%d", safeName(f.World), f.Snap.Seed)
	c.Info("exporting…")
	return func() tea.Msg {
		path, err := reserve(dir, base)
		if err == nil {
			err = export(path, f.Snap, meta, more...)
		}
		return exportedMsg{path: path, err: err}
	}
}

// reserve creates the first free dir/base-N.json, empty, and returns its
// absolute path: creating it at once keeps two quick exports apart.
func reserve(dir, base string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for n := 1; ; n++ {
		path := filepath.Join(abs, fmt.Sprintf("%s-%d.json", base, n))
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return path, err
		}
		return path, f.Close()
	}
}

// maxSafeName is the most characters of a scenario's name an export's
// file name keeps: with the prefix, seed and count it stays well within
// the 255 bytes a file name may take (a 300-character name failed the
// export with "file name too long").
const maxSafeName = 64

// safeName keeps a scenario name usable in a file name: ASCII, at most
// maxSafeName characters.
func safeName(s string) string {
	out := []rune(s)
	if len(out) > maxSafeName {
		out = out[:maxSafeName]
	}
	for i, r := range out {
		if !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			out[i] = '_'
		}
	}
	if len(out) == 0 {
		return "run"
	}
	return string(out)
}
