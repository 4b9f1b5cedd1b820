package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
)

// TestGroupRowPendingAndEventual: a group's total row in the bidders
// table says its conversions pending and its incremental value as
// matured and eventual (the pending counted), in the cells its sums
// leave empty, within the width at 80 and 160 columns.
func TestGroupRowPendingAndEventual(t *testing.T) {
	for _, size := range [][2]int{{80, 40}, {160, 48}} {
		m, _, _ := planModel(t, size[0], size[1], false)
		snap := m.ctx.Snap()
		g := snap.Groups[0]
		if g.PendingConversions == 0 || g.Eventual.IncrementalValue <= g.IncrementalValue {
			t.Fatalf("nothing pending in the test's world: %+v", g)
		}
		want := []string{format.Count(g.PendingConversions) + " pending",
			format.CompactMoney(g.IncrementalValue.Float()) + " → " + format.CompactMoney(g.Eventual.IncrementalValue.Float())}
		row := ""
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, "Σ acme") {
				row = l
			}
		}
		for _, s := range want {
			if !strings.Contains(row, s) {
				t.Errorf("%d×%d: the group's row %q lacks %q", size[0], size[1], row, s)
			}
		}
		// Its other cells where they were: the spend bar and the ROAS.
		if w := ansi.StringWidth(row); w != size[0] || !strings.HasSuffix(strings.TrimSpace(row), format.ROAS(g.IncrementalROAS())) {
			t.Errorf("%d×%d: %d cells, %q", size[0], size[1], w, row)
		}
	}
}
