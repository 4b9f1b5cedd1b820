package play

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/sim"
)

// A seat's entry answers its keys while bidding and after, and hands
// everything else to the field.
func TestEntry(t *testing.T) {
	e := NewEntry(nil, "leave")
	runes := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
	enter := tea.KeyMsg{Type: tea.KeyEnter}
	if in, _ := e.Update(tea.WindowSizeMsg{Width: 61, Height: 20}, true); in.Act != Nothing || e.Help.Width != 61 {
		t.Errorf("a window size: %+v, help width %d", in, e.Help.Width)
	}
	if in, _ := e.Update(runes("?"), false); in.Act != Nothing || !e.Help.ShowAll {
		t.Errorf("? after a round: %+v, full help %v", in, e.Help.ShowAll)
	}
	for _, bidding := range []bool{true, false} {
		if in, _ := e.Update(runes("q"), bidding); in.Act != Leave {
			t.Errorf("q (bidding %v): %+v", bidding, in)
		}
	}
	for _, k := range []tea.KeyMsg{runes("p"), enter, runes("7")} {
		if in, _ := e.Update(k, false); in.Act != Other {
			t.Errorf("%v after a round: %+v", k, in)
		}
	}
	if e.Input.Value() != "" {
		t.Errorf("the field took %q after the round", e.Input.Value())
	}
	if in, _ := e.Update(runes("p"), true); in.Act != Pass {
		t.Errorf("p while bidding: %+v", in)
	}
	if in, _ := e.Update(enter, true); in.Act != Unread || in.Err == nil {
		t.Errorf("enter on an empty field: %+v", in)
	}
	for _, r := range "0.42" {
		if in, _ := e.Update(runes(string(r)), true); in.Act != Nothing {
			t.Errorf("%q while bidding: %+v", r, in)
		}
	}
	if in, _ := e.Update(enter, true); in.Act != Bid || in.Bid != sim.PriceOf(0.42) {
		t.Errorf("enter on 0.42: %+v", in)
	}
	if h := e.Help.View(e.Keys); h == "" || !strings.Contains(h, "leave") {
		t.Errorf("the help line %q does not say q leaves", h)
	}
}
