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

// TestChangesPanelKeepsLongWords: a change whose first words are longer
// than the panel's line (bidders.NAME.frequency_cap={impressions:) is
// broken inside the word rather than cut with "…", so that no part of the
// assignment is lost: at 120 columns a frequency cap's change read
// "bidders.kicks-lookalike.frequency…" over "8, per: 1h}", the field and
// its "{impressions:" gone.
func TestChangesPanelKeepsLongWords(t *testing.T) {
	m, _, pump := liveModel(t, planScenario(), modelOptions{})
	const change = "bidders.acme-prospect.latency={dist: lognormal, median: 90ms, p99: 110ms}"
	typeLine(m, change)
	press(m, "enter")
	pump()
	const w = 44
	panel := ansi.Strip(changesPanel(m.ctx, w, 8))
	if strings.Contains(panel, "…") {
		t.Errorf("a change is cut:\n%s", panel)
	}
	// The log's lines after the title, the time and indent dropped, put
	// back together: the whole change, its spaces aside.
	var joined strings.Builder
	for _, l := range strings.Split(panel, "\n")[1:] {
		joined.WriteString(strings.ReplaceAll(l, " ", ""))
	}
	if want := strings.ReplaceAll(change, " ", ""); !strings.Contains(joined.String(), want) {
		t.Errorf("the change %q is not whole in the log:\n%s", change, panel)
	}
	for _, l := range strings.Split(panel, "\n") {
		if ansi.StringWidth(l) > w {
			t.Errorf("line wider than %d: %q", w, l)
		}
	}
}
