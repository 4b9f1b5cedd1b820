package tui

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// A run made in the dashboard with a live change, exported with `e`,
// carries what `run --replay` needs, and re-running it from the export
// alone reaches the very same state.
func TestExportReplays(t *testing.T) {
	sc, err := scenarios.Bundled("classroom-vickrey")
	if err != nil {
		t.Fatal(err)
	}
	r, err := runner.New(worldOf(sc), runner.Options{Paused: true})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m := newModel(r, modelOptions{scenario: sc, theme: asciiTheme(), catalog: testCatalog(), export: report.Write, exportDir: dir})
	r.Start()
	defer r.Stop()
	m.Update(frameMsg(<-r.Frames()))
	m.Update(sizeMsg(120, 40))
	// pump feeds the model frames until it has seen every command sent.
	pump := func() {
		t.Helper()
		deadline := time.After(waitLimit)
		for m.ctx.Frame.Ack < m.ctx.seq {
			select {
			case f := <-r.Frames():
				m.Update(frameMsg(f))
			case <-deadline:
				t.Fatal("the runner never acknowledged")
			}
		}
	}
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
	msg := press(m, "e")()
	m.Update(msg)
	em, ok := msg.(exportedMsg)
	if !ok || em.err != nil {
		t.Fatalf("export: %#v", msg)
	}
	if filepath.Dir(em.path) != dir {
		t.Errorf("exported to %s, want it in %s", em.path, dir)
	}
	f, err := os.Open(em.path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadReplay(f)
	if err != nil {
		t.Fatal(err)
	}
	if string(rep.YAML) != string(sc.YAML) || rep.Stop != sc.Stop || len(rep.Changes) != 2 || rep.Point != (sim.Point{At: exported.Now, Events: exported.Events}) {
		t.Fatalf("replay section: stop %v, %d changes, point %+v", rep.Stop, len(rep.Changes), rep.Point)
	}
	again, err := scenarios.Parse("export", rep.YAML)
	if err != nil {
		t.Fatal(err)
	}
	cfg := again.WithSeed(rep.Seed).Config
	cfg.Replay = rep.Changes
	eng, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := eng.RunToPoint(rep.Point, math.MaxUint64); !ok || err != nil {
		t.Fatalf("replay to %+v: %v %v", rep.Point, ok, err)
	}
	got := eng.Snapshot()
	if got.Exchange != exported.Exchange || got.Settings != exported.Settings || len(got.Changes) != 2 {
		t.Errorf("the replay differs:\n got %+v\nwant %+v", got.Exchange, exported.Exchange)
	}
}
