package report

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWireExportRefusedToReplay: an export of a run on the wire
// (Meta.Wire) says so in its replay section, and run --replay refuses it
// saying why, rather than "replay diverged" (the file was not edited: its
// auctions closed on the wall clock). An export of a simulation has no
// such field and replays as before.
func TestWireExportRefusedToReplay(t *testing.T) {
	dir := t.TempDir()
	sc := shortVickrey(t)
	run, err := Execute(context.Background(), sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sim, wire := filepath.Join(dir, "sim.json"), filepath.Join(dir, "wire.json")
	meta := run.Meta()
	if err := Write(sim, run.Snap, meta); err != nil {
		t.Fatal(err)
	}
	meta.Wire = true
	if err := Write(wire, run.Snap, meta); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(sim); strings.Contains(string(data), `"wire"`) {
		t.Error("a simulation's export names the wire")
	}
	if _, _, err := LoadReplay(context.Background(), sim); err != nil {
		t.Errorf("the simulation's export: %v", err)
	}
	_, _, err = LoadReplay(context.Background(), wire)
	var re *ReplayError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), ErrWireExport.Error()) {
		t.Errorf("the wire's export: %v, want a ReplayError saying %q", err, ErrWireExport)
	}
}
