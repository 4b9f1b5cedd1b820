package classroom

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/tui/play"
)

// TestExportPlayed checks play's export: nothing before an auction is
// played or without a path, then the file and the line that says where.
func TestExportPlayed(t *testing.T) {
	sc, err := scenarios.Bundled("classroom-vickrey")
	if err != nil {
		t.Fatal(err)
	}
	m, err := play.Open(sc.Name, sc.Config, "", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "play.json")
	if line, err := ExportPlayed(m, 1, path); line != "" || err != nil {
		t.Errorf("nothing played: %q, %v", line, err)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("0.5")})
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if line, err := ExportPlayed(m, 1, ""); line != "" || err != nil {
		t.Errorf("no path: %q, %v", line, err)
	}
	line, err := ExportPlayed(m, 1, path)
	if err != nil || line != "1 auction exported to "+path+"\n" {
		t.Errorf("one auction: %q, %v", line, err)
	}
	if raw, err := os.ReadFile(path); err != nil || !strings.Contains(string(raw), `"rounds"`) {
		t.Errorf("the file: %v", err)
	}
}
