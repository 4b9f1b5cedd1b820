package tui

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestExportAddsTheSourcesSections: the dashboard's e writes the sections
// its source adds to the frame (on the wire, "wire", what crossed it), as
// run --endpoints --out writes them; a simulation's export has none.
func TestExportAddsTheSourcesSections(t *testing.T) {
	sc := testScenario()
	eng := engineAt(t, sc, 2*sim.Second)
	type wireStats struct {
		Sent     uint64 `json:"sent"`
		Answered uint64 `json:"answered"`
	}
	stats := wireStats{Sent: 812, Answered: 790}
	for _, wired := range []bool{false, true} {
		a := frameOf(sc, eng.Snapshot(), t0, 0)
		b := frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0)
		if wired {
			a.Line, b.Line = "on the wire: 4 bidders · 812 sent", "on the wire: 4 bidders · 812 sent"
			b.Export = []runner.Section{{Name: "wire", Value: stats}}
		}
		m := newModel(newFakeLink(), modelOptions{scenario: sc, theme: asciiTheme(), catalog: testCatalog(),
			export: report.WriteWith, exportDir: t.TempDir()})
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		m.Update(frameMsg(a))
		m.Update(frameMsg(b))
		msg := press(m, "e")()
		em, ok := msg.(exportedMsg)
		if !ok || em.err != nil {
			t.Fatalf("wired %v: export: %#v", wired, msg)
		}
		data, err := os.ReadFile(em.path)
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Wire   *wireStats      `json:"wire"`
			Series json.RawMessage `json:"series"`
		}
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatal(err)
		}
		switch {
		case len(out.Series) == 0:
			t.Errorf("wired %v: the export has no series", wired)
		case !wired && out.Wire != nil:
			t.Errorf("a simulation's export has a wire section: %+v", *out.Wire)
		case wired && (out.Wire == nil || *out.Wire != stats):
			t.Errorf("the export on the wire has wire %+v, want %+v", out.Wire, stats)
		}
	}
}
