package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// TestStaleLatencyOnTheWire: when the wire stops answering mid-run (a
// bidders' server stopped), the bidders table's p95 and the latency
// panel's bars are the last answers': both titles say since when, the
// legend no longer calls p95 recent, and a p95 over tmax loses its "!"
// (not a slowness now); once the wire answers again, the marks go.
func TestStaleLatencyOnTheWire(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		sc := testScenario()
		eng := engineAt(t, sc, 2*sim.Second)
		m, _ := modelOn(t, sc, eng, w, h)
		frame := func(silent sim.Time, at time.Duration) string {
			f := frameOf(sc, eng.Snapshot(), t0.Add(at), 0)
			f.Line = "on the wire: laggard · 400 sent 300 answered 0 errors 100 refused 0 timeouts"
			f.Remote = []string{"laggard"}
			f.Silent = silent
			m.Update(frameMsg(f))
			v := ansi.Strip(m.View())
			checkScreen(t, v, w, h)
			return v
		}
		const note = "as of 1.5s: no answer since"
		line := func(v, prefix string) string {
			for _, l := range strings.Split(v, "\n") {
				if strings.HasPrefix(l, prefix) {
					return l
				}
			}
			t.Fatalf("%dx%d: no line %q:\n%s", w, h, prefix, v)
			return ""
		}
		v := frame(0, 100*time.Millisecond)
		if strings.Contains(v, "no answer since") {
			t.Errorf("%dx%d: stale while the wire answers:\n%s", w, h, v)
		}
		// laggard's p95 is over tmax in the test scenario: marked "!" while
		// it answers, the test's check below needs it.
		m.ctx.Selected = indexOf(t, eng, "laggard")
		v = frame(0, 200*time.Millisecond)
		if row := rowStarting(t, v, "laggard"); !strings.Contains(row, "ms!") {
			t.Fatalf("%dx%d: laggard's p95 is not over tmax; the test needs it:\n%s", w, h, v)
		}

		v = frame(1500*sim.Millisecond, 300*time.Millisecond)
		if b := line(v, "Bidders"); !strings.Contains(b, "p95 "+note) || strings.Contains(b, "p95 recent") {
			t.Errorf("%dx%d: the bidders title does not say p95 is stale: %q", w, h, b)
		}
		if l := line(v, "Latency"); !strings.Contains(l, note) {
			t.Errorf("%dx%d: the latency title does not say the bars are stale: %q", w, h, l)
		}
		if row := rowStarting(t, v, "laggard"); strings.Contains(row, "ms!") {
			t.Errorf("%dx%d: a stale p95 is flagged over tmax: %q", w, h, row)
		}

		v = frame(0, 400*time.Millisecond)
		if strings.Contains(v, "no answer since") {
			t.Errorf("%dx%d: still stale once the wire answers again:\n%s", w, h, v)
		}
	}
}

// indexOf is the index of bidder name in eng's snapshot.
func indexOf(t *testing.T, eng *sim.Engine, name string) int {
	t.Helper()
	for i, b := range eng.Snapshot().Bidders {
		if b.Name == name {
			return i
		}
	}
	t.Fatalf("no bidder %s", name)
	return -1
}
