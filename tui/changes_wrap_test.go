package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestChangesPanelWraps: a change longer than the side panel (a budget
// move names both members) wraps onto a second line instead of being cut
// before its destination (issue 20: "move budget 100.00 acme-retarget …"
// even at 200 columns); no line is wider than the panel.
func TestChangesPanelWraps(t *testing.T) {
	m, _, pump := liveModel(t, planScenario(), modelOptions{})
	press(m, "m")
	press(m, "3")
	press(m, "0")
	press(m, "enter")
	pump()
	const w = 44
	panel := changesPanel(m.ctx, w, 8)
	plain := ansi.Strip(panel)
	if !strings.Contains(plain, "→") || !strings.Contains(plain, "acme-prospect") || strings.Contains(plain, "…") {
		t.Errorf("the move's destination is not shown:\n%s", plain)
	}
	for _, l := range strings.Split(panel, "\n") {
		if ansi.StringWidth(l) > w {
			t.Errorf("line wider than %d: %q", w, ansi.Strip(l))
		}
	}
}
