package tui

import (
	"testing"
)

// TestHelpKeysAct: every key a view's full help (what ? opens) lists
// does something in that view: it changes the screen, sends the runner a
// command or returns one. A key the help lists but the view ignores would
// send its user to the help for nothing.
func TestHelpKeysAct(t *testing.T) {
	// The second bidder selected, so that both ↑ and ↓ have somewhere
	// to go.
	open := func(m *model, key string) {
		press(m, "j")
		if key != "" {
			press(m, key)
		}
	}
	for _, v := range []struct{ name, open string }{
		{"presentation", "P"}, {"what-if", "w"}, {"timeline", "v"}, {"dashboard", ""},
	} {
		m, _, _ := testModel(t, 120, 40)
		open(m, v.open)
		for _, col := range m.ctx.top().FullHelp() {
			for _, b := range col {
				for _, k := range b.Keys() {
					if k == "q" || k == "ctrl+c" {
						continue // quits, everywhere
					}
					fresh, l, _ := testModel(t, 120, 40)
					open(fresh, v.open)
					before, sent, selected := fresh.View(), len(l.sent), fresh.ctx.Selected
					cmd := press(fresh, k)
					if cmd == nil && len(l.sent) == sent && fresh.View() == before && fresh.ctx.Selected == selected {
						t.Errorf("%s: %q (%s %s) is in its help but does nothing", v.name, k, b.Help().Key, b.Help().Desc)
					}
				}
			}
		}
	}
}
