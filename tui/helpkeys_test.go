package tui

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
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

// TestPresentationHelp: ? in presentation mode shows its keys under the
// screen, as every view's help shows (it used to switch the help on
// unseen, for the dashboard to show after P), and ? again hides them.
func TestPresentationHelp(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m, _, _ := testModel(t, size[0], size[1])
		press(m, "P")
		press(m, "?")
		screen := m.View()
		if rows := strings.Count(screen, "\n") + 1; rows != size[1] {
			t.Errorf("%dx%d: %d rows with the help open", size[0], size[1], rows)
		}
		for _, col := range m.ctx.top().FullHelp() {
			for _, b := range col {
				if !strings.Contains(screen, b.Help().Key+" ") || !strings.Contains(screen, b.Help().Desc) {
					t.Errorf("%dx%d: the help does not show %s %s:\n%s", size[0], size[1], b.Help().Key, b.Help().Desc, screen)
				}
			}
		}
		press(m, "?")
		if strings.Contains(m.View(), "slower ÷2") {
			t.Errorf("%dx%d: ? again left the help open", size[0], size[1])
		}
	}
}

// TestKeyRefusalPointsToLine: b on a bidder without a budget says how the
// command line gives it one, and that line does: the key does not say
// that only the scenario file can, which the line contradicts.
func TestKeyRefusalPointsToLine(t *testing.T) {
	sc := bundled(t, "timeout-demo")
	m, _, pump := liveModel(t, sc, modelOptions{})
	c := m.ctx
	press(m, "j") // tail: no budget
	press(m, "b")
	const line = "bidders.tail.budget.total=AMOUNT"
	if !strings.Contains(c.status, ":"+line) {
		t.Fatalf("b on an unlimited bidder: %q", c.status)
	}
	typeLine(m, strings.Replace(line, "AMOUNT", "10", 1))
	press(m, "enter")
	pump()
	if b := c.Snap().Bidders[1]; b.Unlimited || b.Budget != sim.MoneyOf(10) {
		t.Errorf("the line the key names did not give tail a budget: %+v", b.Budget)
	}
}

// TestFullHelpEndsWithHelpAndQuit: every view's full help (what ? opens)
// lists ? and q, which work in every view (one registry, everywhereKeys):
// the what-if panel's and presentation mode's used to leave them out.
func TestFullHelpEndsWithHelpAndQuit(t *testing.T) {
	for _, v := range []struct{ name, open string }{
		{"dashboard", ""}, {"what-if", "w"}, {"timeline", "v"}, {"presentation", "P"}, {"inspector", "enter"},
	} {
		m, _, _ := testModel(t, 120, 40)
		if v.open != "" {
			if press(m, v.open); len(m.ctx.views) < 2 {
				t.Fatalf("%s: %q opened no view", v.name, v.open)
			}
		}
		has := map[string]bool{}
		for _, col := range m.ctx.top().FullHelp() {
			for _, b := range col {
				for _, k := range b.Keys() {
					has[k] = true
				}
			}
		}
		if !has["?"] || !has["q"] {
			t.Errorf("%s: its full help lists ? %v, q %v; want both", v.name, has["?"], has["q"])
		}
	}
}
