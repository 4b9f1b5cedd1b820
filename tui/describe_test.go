package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/auctionsim/auctionsim/scenarios"
)

// longText is a description as long as the longest bundled one, with
// two suggestions.
const longText = "Five truthful bidders whose values are independent and uniform on [0, 1] " +
	"CPM, no latency, a second-price auction with no floor and no increment: " +
	"the textbook Vickrey auction. Bidding one's value is a dominant strategy, " +
	"and the price is the second-highest value, whose mean is (n−1)/(n+1): " +
	"4/6 = 0.667 CPM here. Watch mean_clearing_price converge to it, and the " +
	"interval in the header shrink around it as the intervals add up. Shade a " +
	"bidder and watch its surplus fall behind the others', the lesson of the " +
	"dominant strategy in numbers rather than in a proof. Try: disable bidders " +
	"one at a time (n = 4, 3, 2 gives 0.6, 0.5, 0.333), or copy the scenario and " +
	"add some (n = 9 gives 0.8). Try: press g on a bidder to shade it and < or > " +
	"to shade more or less; the closed form no longer applies, and the header says why."

// longModel is a model at w×h whose picker lists a scenario with
// longText, highlighted, and a short one.
func longModel(t *testing.T, w, h int) *model {
	m, _, _ := testModel(t, w, h)
	m.ctx.cat.List = func() []scenarios.Info {
		return []scenarios.Info{{Name: "test-demo", Description: longText}, {Name: "other", Description: "two bidders"}}
	}
	press(m, "s")
	return m
}

// TestPickerDescription: the picker shows the highlighted scenario's whole
// description, wrapped, each "Try:" starting a paragraph; at 80×24 it
// scrolls with pgdn and pgup, says when there is more, and another
// scenario's starts at its top.
func TestPickerDescription(t *testing.T) {
	m := longModel(t, 80, 24)
	// Words as pieces between hyphens: the wrap may break after one.
	pieces := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\n' || r == '-' })
	}
	words := pieces(longText)
	seen := map[string]bool{}
	var screens []string
	for range 4 {
		v := m.View()
		checkScreen(t, v, 80, 24)
		screens = append(screens, v)
		for _, w := range pieces(v) {
			seen[w] = true
		}
		scrollText(m, true)
	}
	for _, w := range words {
		if !seen[w] {
			t.Errorf("%q never shown, through pgdn", w)
		}
	}
	if !strings.Contains(screens[0], "pgdn: more below") {
		t.Errorf("the first screen does not say there is more:\n%s", screens[0])
	}
	if screens[0] == screens[1] {
		t.Error("pgdn did not scroll")
	}
	if last := screens[len(screens)-1]; !strings.Contains(last, "pgup: more above") || strings.Contains(last, "below") {
		t.Errorf("at the end:\n%s", last)
	}
	tries := 0
	for _, s := range screens {
		for _, line := range strings.Split(s, "\n") {
			if _, desc, ok := strings.Cut(line, "  "); ok && strings.HasPrefix(strings.TrimSpace(desc), "Try:") {
				tries++
			}
		}
	}
	if tries < 2 {
		t.Errorf("%d lines start with Try:, want each suggestion on its own", tries)
	}
	scrollText(m, false)
	scrollText(m, false)
	scrollText(m, false)
	if v := m.View(); v != screens[0] {
		t.Errorf("pgup back to the top:\n%s\nwant\n%s", v, screens[0])
	}
	scrollText(m, true)
	press(m, "down")
	if v := m.View(); !strings.Contains(v, "two bidders") || m.ctx.top().(*picker).text != 0 {
		t.Errorf("another scenario's description from its top:\n%s", v)
	}
	// Wide, it fits whole: pgdn says so.
	m = longModel(t, 160, 48)
	scrollText(m, true)
	if v := m.View(); strings.Contains(v, "more below") || !strings.Contains(m.ctx.status, "whole description") {
		t.Errorf("160×48: status %q\n%s", m.ctx.status, v)
	}
}

func TestViewPickerLong(t *testing.T) {
	for _, keys := range [][]string{nil, {"pgdown"}} {
		name := "top"
		if keys != nil {
			name = "scrolled"
		}
		t.Run(name, func(t *testing.T) {
			m := longModel(t, 80, 24)
			for range keys {
				scrollText(m, true)
			}
			v := m.View()
			checkScreen(t, v, 80, 24)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// scrollText presses pgdn (down) or pgup.
func scrollText(m *model, down bool) {
	k := tea.KeyMsg{Type: tea.KeyPgUp}
	if down {
		k.Type = tea.KeyPgDown
	}
	m.Update(k)
}
