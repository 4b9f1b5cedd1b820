package tui

import (
	"io"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestChangesPanelShowsMoveDestination: in a panel narrower than a move's
// text, the change log wraps the move under itself instead of cutting it,
// so that both moves from one member show where the budget went.
func TestChangesPanelShowsMoveDestination(t *testing.T) {
	snap := &sim.Snapshot{Changes: []sim.AppliedChange{
		{At: 10 * sim.Second, Change: sim.MoveBudget{From: "acme-retarget", To: "acme-prospect", Amount: sim.MoneyOf(100)}},
		{At: 20 * sim.Second, Change: sim.MoveBudget{From: "acme-retarget", To: "acme-lookalike", Amount: sim.MoneyOf(100)}, Scripted: true},
	}}
	c := &Context{Theme: theme.New(theme.NewRenderer(io.Discard, true)), Frame: runner.Frame{Snap: snap}}
	const w = 40
	out := changesPanel(c, w, 12)
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"acme-retarget → acme-prospect", "acme-retarget → acme-lookalike", "script move budget"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the panel does not show %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if n := len([]rune(line)); n > w {
			t.Errorf("line of %d runes in a panel of %d: %q", n, w, line)
		}
		if strings.Contains(line, "…") {
			t.Errorf("a cut line: %q", line)
		}
	}
}
