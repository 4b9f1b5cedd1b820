package tui

import (
	"path/filepath"
	"testing"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
)

// A run made in the dashboard with a live change, exported with `e`,
// carries what `run --replay` needs, and re-running it from the export
// alone reaches the very same state.
func TestExportReplays(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	dir := t.TempDir()
	m, _, pump := liveModel(t, sc, modelOptions{export: report.WriteWith, exportDir: dir})
	press(m, "F") // floor +0.05 at t = 0
	pump()
	for range 40 {
		press(m, ".")
		pump()
	}
	press(m, "j")
	press(m, "x") // a bidder off mid-run
	pump()
	for range 40 {
		press(m, ".")
		pump()
	}
	exported := m.ctx.Snap()
	em, rep := exportReplay(t, m)
	m.Update(em)
	if filepath.Dir(em.path) != dir {
		t.Errorf("exported to %s, want it in %s", em.path, dir)
	}
	if string(rep.YAML) != string(sc.YAML) || rep.Stop != sc.Stop || len(rep.Changes) != 2 || rep.Point != (sim.Point{At: exported.Now, Events: exported.Events}) {
		t.Fatalf("replay section: stop %v, %d changes, point %+v", rep.Stop, len(rep.Changes), rep.Point)
	}
	eng := replayExport(t, rep)
	got := eng.Snapshot()
	if got.Exchange != exported.Exchange || got.Settings != exported.Settings || len(got.Changes) != 2 {
		t.Errorf("the replay differs:\n got %+v\nwant %+v", got.Exchange, exported.Exchange)
	}
}
