package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// bigPlanModel is planModel's world (not forked) with conversions worth
// 30 each, so that at 10 s the group's incremental value is in the
// thousands, and its snapshot's group.
func bigPlanModel(t *testing.T, w, h int) (*model, sim.GroupStats) {
	t.Helper()
	yaml := strings.ReplaceAll(strings.Replace(planYAML, "name: plan-demo", "name: plan-big", 1), "order_value: 1,", "order_value: 30,")
	sc, err := scenarios.Parse("plan-big.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(9900 * sim.Millisecond)
	first := frameOf(sc, eng.Snapshot(), t0, 0)
	eng.RunUntil(10 * sim.Second)
	snap := eng.Snapshot()
	m, _, _ := recordingModel(t, sc, w, h, first, frameOf(sc, snap, t0.Add(100*time.Millisecond), 0))
	g, ok := snap.FindGroup("acme")
	if !ok {
		t.Fatal("no group acme")
	}
	return m, g
}

// TestGroupNoteWholeFigures: the bidders table's Σ row says the group's
// incremental value, matured and eventual, in whole figures where they
// fit, and compact ones (1.6k) only where no form that says which is
// eventual fits whole. At 160×48 it read "incr 1.6k → 1.7k eventual"
// with room for the figures.
func TestGroupNoteWholeFigures(t *testing.T) {
	m, g := bigPlanModel(t, 160, 48)
	mat, ev := g.IncrementalValue.Float(), g.Eventual.IncrementalValue.Float()
	if !(mat >= 1000 && ev >= 1000) {
		t.Fatalf("incremental value %v matured, %v eventual: the case wants thousands", mat, ev)
	}
	v := m.View()
	checkScreen(t, v, 160, 48)
	row := ""
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "Σ acme") {
			row = line
		}
	}
	if want := "incr " + format.Money(mat) + " → " + format.Money(ev); !strings.Contains(row, want) {
		t.Errorf("Σ row %q: no %q", row, want)
	}
	golden.RequireEqual(t, []byte(v))

	// Narrower, the compact figures rather than no note or a bare one.
	snap := &sim.Snapshot{Bidders: []sim.BidderStats{{Name: "acme-retarget", Group: "acme", HasOutcome: true}}}
	whole := groupNote(snap, g, 200)
	compact := "incr " + format.CompactMoney(mat) + " → " + format.CompactMoney(ev) + " eventual"
	if got := groupNote(snap, g, len([]rune(compact))); got != compact {
		t.Errorf("in %d cells: %q, want %q", len([]rune(compact)), got, compact)
	}
	if !strings.Contains(whole, format.Money(ev)) || !strings.HasPrefix(whole, format.Count(g.PendingConversions)+" conversions pending") {
		t.Errorf("in 200 cells: %q", whole)
	}
}
