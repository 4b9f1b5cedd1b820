package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// TestStaleLatencyBarsMuted: when the wire stops answering, the latency
// bars of the bidders on it are drawn in the muted style, as their
// figures are, not in the live bars' colours (nor the alarm colour past
// tmax), so that they do not read as live; a simulated bidder's bar
// beside them keeps its colours, and once the wire answers again so do
// theirs. Before, only the title and the figures said the bars were
// stale.
func TestStaleLatencyBarsMuted(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		sc := testScenario()
		eng := engineAt(t, sc, 2*sim.Second)
		m, _ := modelOn(t, sc, eng, w, h)
		th := colourTheme()
		setTheme(m, th)
		// The escape sequence that opens a run of cells in style s.
		opens := func(s lipgloss.Style) string {
			r := s.Render("x")
			return r[:strings.Index(r, "x")]
		}
		bar, over, dim := opens(th.Bar), opens(th.BarOver), opens(th.Dim)
		if bar == "" || over == "" || bar == dim || over == dim {
			t.Fatalf("the colour theme's bar styles %q, %q are not apart from its muted %q", bar, over, dim)
		}
		// The bidder's row in the latency panel: the last line that
		// starts with its name (the bidders table's comes first), its
		// bar the cells after the three figures.
		row := func(silent sim.Time, at time.Duration, name string) string {
			f := frameOf(sc, eng.Snapshot(), t0.Add(at), 0)
			f.Line = "on the wire: laggard · 400 sent: 300 answered 0 errors 100 refused 0 timeouts"
			f.Remote = []string{"laggard"}
			f.Silent = silent
			m.Update(frameMsg(f))
			v := m.View()
			got := ""
			for _, l := range strings.Split(v, "\n") {
				if plain := strings.TrimLeft(ansi.Strip(l), " ▸"); strings.HasPrefix(plain, name) && strings.ContainsAny(plain, "█▓░") {
					got = l
				}
			}
			if got == "" {
				t.Fatalf("%dx%d: no latency bar of %s:\n%s", w, h, name, ansi.Strip(v))
			}
			return got
		}
		other := "swift"
		if r := row(0, 100*time.Millisecond, "laggard"); !strings.Contains(r, bar) || !strings.Contains(r, over) {
			t.Fatalf("%dx%d: laggard's live bar is not in the bar colours, below and past tmax; the test needs both: %q", w, h, r)
		}
		r := row(1500*sim.Millisecond, 200*time.Millisecond, "laggard")
		if strings.Contains(r, bar) || strings.Contains(r, over) || !strings.Contains(r, dim+"█") {
			t.Errorf("%dx%d: laggard's stale bar is not muted: %q", w, h, r)
		}
		if r := row(1500*sim.Millisecond, 300*time.Millisecond, other); !strings.Contains(r, bar) {
			t.Errorf("%dx%d: %s, simulated, lost its bar's colour while the wire is silent: %q", w, h, other, r)
		}
		if r := row(0, 400*time.Millisecond, "laggard"); !strings.Contains(r, bar) || !strings.Contains(r, over) {
			t.Errorf("%dx%d: laggard's bar still muted once the wire answers again: %q", w, h, r)
		}
	}
}
