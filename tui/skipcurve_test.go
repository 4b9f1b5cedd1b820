package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// TestWhatIfStopsAtTheSkipRule: prebid-server at a tmax of 200 ms tells
// its bidders 90 ms, below bidder_response_min (150 ms), so no bid
// request goes out. The what-if panel draws the curve only up to 240 ms,
// the longest tmax at which the skip rule applies too, says so naming
// the skip rule, not the wire, and reads the knee and the best net tmax
// unknown rather than 20 ms (which an all-zero curve would give); → steps
// tmax on past the settled points, along the grid.
func TestWhatIfStopsAtTheSkipRule(t *testing.T) {
	sc := bundled(t, "prebid-server")
	sc.Config.Exchange.Tmax = 200 * sim.Millisecond
	eng := engineAt(t, sc, 2*sim.Second)
	a := eng.Snapshot()
	eng.RunUntil(2*sim.Second + 100*sim.Millisecond)
	snap := eng.Snapshot()
	if snap.Exchange.Unsent == 0 || snap.TmaxCurveCensoredAbove != 240*sim.Millisecond {
		t.Fatalf("unsent %d, censored above %v: want some, 240ms", snap.Exchange.Unsent, snap.TmaxCurveCensoredAbove)
	}
	for _, w := range []int{wideWidth, 100} {
		m, link, _ := recordingModel(t, sc, w, 40, frameOf(sc, a, t0, 0), frameOf(sc, snap, t0.Add(100*time.Millisecond), 0))
		press(m, "w")
		v := m.View()
		wants := []string{"the curve stops at 240ms", "best net unknown", "now 200ms: "}
		if w >= wideWidth {
			wants = append(wants, "knee (95% of the best) unknown", "the last tmax under the skip rule (told < bidder_response_min): bids above it are unknown")
		} else {
			wants = append(wants, "knee 95% unknown", "no bid request below bidder_response_min")
		}
		for _, want := range wants {
			if !strings.Contains(v, want) {
				t.Errorf("at %d columns the what-if panel lacks %q:\n%s", w, want, v)
			}
		}
		for _, not := range []string{"wire", "timed-out", "best net 20ms", " 20ms ·", " 400"} {
			if strings.Contains(v, not) {
				t.Errorf("at %d columns the what-if panel says %q:\n%s", w, not, v)
			}
		}
		press(m, "right")
		press(m, "enter") // applies the step now
		got := appliedChanges(link.cmds())
		if len(got) != 1 || got[0] != (sim.SetTmax{Tmax: 220 * sim.Millisecond}) {
			t.Errorf("→ applied %v, want tmax 220ms", got)
		}
	}
}

// TestPrebidServerTitlesFit: Prebid Server's deadline chain (tmax less
// the exchange's time, the told deadline) and a point with net revenue
// make long titles; at 120×36, 100×30 and 80×24 none is cut: the latency
// panel drops its words before its deadlines, the what-if panel the best
// point's details before its revenue, the chart its long title.
func TestPrebidServerTitlesFit(t *testing.T) {
	sc := bundled(t, "prebid-server")
	eng := engineAt(t, sc, 4*sim.Second)
	a := eng.Snapshot()
	eng.RunUntil(4*sim.Second + 100*sim.Millisecond)
	snap := eng.Snapshot()
	for _, size := range [][2]int{{120, 36}, {100, 30}, {80, 24}} {
		m, _, _ := recordingModel(t, sc, size[0], size[1], frameOf(sc, a, t0, 0), frameOf(sc, snap, t0.Add(100*time.Millisecond), 0))
		for _, line := range strings.Split(m.View(), "\n") {
			if strings.Contains(line, "Latency") && (!strings.Contains(line, "told 890ms") || strings.Contains(line, "…")) {
				t.Errorf("at %dx%d the latency title is cut: %q", size[0], size[1], line)
			}
		}
		press(m, "w")
		for _, line := range strings.Split(m.View(), "\n") {
			if (strings.Contains(line, "best ") || strings.Contains(line, "against") || strings.Contains(line, " by tmax")) && strings.Contains(line, "…") {
				t.Errorf("at %dx%d a what-if line is cut: %q", size[0], size[1], line)
			}
		}
		press(m, "esc")
	}
}
