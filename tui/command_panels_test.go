package tui

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// The what-if panel and presentation mode list : in their help, so it
// opens the command line there too, drawn under the panel, and the line
// typed is text: before, : did nothing there and the line's letters
// reached the panel as keys (a switched the auction twice, t lowered
// tmax, x switched the selected bidder off in presentation mode).
func TestCommandLineOverPanels(t *testing.T) {
	sc := bundled(t, "timeout-demo")
	m, _, pump := liveModel(t, sc, modelOptions{})
	c := m.ctx
	for _, tc := range []struct {
		key, panel, tmax string
		tmaxWant         sim.Time
	}{
		{"w", "What if tmax were", "80ms", 80 * sim.Millisecond},
		{"P", "revenue per second", "150ms", 150 * sim.Millisecond},
	} {
		press(m, tc.key)
		panel := c.top()
		auction, logged := c.Snap().Settings.Auction, len(c.Snap().Changes)
		typeLine(m, "exchange.tmax="+tc.tmax)
		if _, ok := c.top().(*commandLine); !ok {
			t.Fatalf("%s then : left %T on top, not the command line", tc.key, c.top())
		}
		if v := m.View(); !strings.Contains(v, tc.panel) || !strings.Contains(v, ":exchange.tmax="+tc.tmax) {
			t.Errorf("%s: the line is not drawn under the panel (%q):\n%s", tc.key, tc.panel, v)
		}
		press(m, "enter")
		pump()
		if c.top() != panel {
			t.Errorf("%s: enter left %T on top, not the panel it was typed over", tc.key, c.top())
		}
		s := c.Snap()
		if s.Settings.Tmax != tc.tmaxWant {
			t.Errorf("%s: tmax %v after :exchange.tmax=%s", tc.key, s.Settings.Tmax, tc.tmax)
		}
		if s.Settings.Auction != auction {
			t.Errorf("%s: the line's letters switched the auction to %v", tc.key, s.Settings.Auction)
		}
		for _, b := range s.Bidders {
			if !b.Enabled {
				t.Errorf("%s: the line's letters switched %s off", tc.key, b.Name)
			}
		}
		if n := len(s.Changes) - logged; n != 1 {
			t.Errorf("%s: %d changes logged, want the line's alone", tc.key, n)
		}
		press(m, "esc")
		if !onDashboard(m) {
			t.Fatalf("esc left %T on top", c.top())
		}
	}
}
