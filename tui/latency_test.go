package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// TestLatencyLegendSaysTimedOut: on the wire a percentile that ranks
// among the timed-out calls reads ">120ms", and the panel's legend says
// what ">" means wherever a row shown has one (and not otherwise).
func TestLatencyLegendSaysTimedOut(t *testing.T) {
	sc := bundled(t, "timeout-demo")
	eng := engineAt(t, sc, sim.Second)
	snap := eng.Snapshot()
	m, _ := modelOn(t, sc, eng, 160, 48)
	if v := m.View(); strings.Contains(v, ">: no answer") {
		t.Errorf("a legend for > with no percentile past its deadline:\n%s", v)
	}
	s := *snap
	s.Bidders = append([]sim.BidderStats(nil), snap.Bidders...)
	l := &s.Bidders[0].RecentLatency
	l.P99, l.P99Past, l.Censored, l.CensoredAt = 120*sim.Millisecond, true, 40, 120*sim.Millisecond
	m.Update(frameMsg(frameOf(sc, &s, t0.Add(time.Second), 0)))
	v := m.View()
	if !strings.Contains(v, ">120ms") || !strings.Contains(v, ">: no answer") {
		t.Errorf("a percentile past its deadline without '>120ms' or the legend's '>: no answer':\n%s", v)
	}
}

// TestLatencyLegendKeepsScaleName: with the scale fixed (z) and the run
// restarted (r: the same seed again, 1.5 s in), the latency panel still
// names its scale where the title has room for it, at the sizes trainers
// use, with and without Prebid Server's told deadline; a shorter legend
// only where the whole one does not fit, and the name left out only where
// the shortest legend has no room left for it.
func TestLatencyLegendKeepsScaleName(t *testing.T) {
	for _, name := range []string{"timeout-demo", "prebid-server"} {
		sc := bundled(t, name)
		for _, wh := range [][2]int{{80, 24}, {100, 30}, {120, 40}, {160, 48}} {
			m, _ := modelOn(t, sc, engineAt(t, sc, 3*sim.Second), wh[0], wh[1])
			press(m, "z")
			again := engineAt(t, sc, 1500*sim.Millisecond) // r replays the same run
			m.Update(frameMsg(frameOf(sc, again.Snapshot(), t0.Add(5*time.Second), 0)))
			line := ""
			for _, l := range strings.Split(m.View(), "\n") {
				if strings.HasPrefix(l, "Latency") {
					line = l
				}
			}
			if !strings.Contains(line, "fixed scale") && !strings.Contains(line, "fixed 0–") {
				t.Errorf("%s at %dx%d: the latency panel does not name its fixed scale:\n%q", name, wh[0], wh[1], line)
			}
		}
		m, _ := modelOn(t, sc, engineAt(t, sc, 3*sim.Second), 120, 40)
		press(m, "z")
		c := m.ctx
		title := func(w int) string {
			l, _, _ := strings.Cut(renderLatency(c, w, 4, false), "\n")
			return strings.TrimRight(ansi.Strip(l), " ")
		}
		full := title(400)
		if !strings.Contains(full, "(recent)") || !strings.Contains(full, "fixed scale 0–") {
			t.Fatalf("%s: the widest legend is not the whole one: %q", name, full)
		}
		for w := 30; w <= 200; w++ {
			got := title(w)
			gw := ansi.StringWidth(got)
			switch {
			case gw > w && got != title(0):
				t.Errorf("%s at %d columns: a title of %d columns, not the shortest: %q", name, w, gw, got)
			case got != full && ansi.StringWidth(full) <= w:
				t.Errorf("%s at %d columns: a shorter legend where the whole one fits: %q", name, w, got)
			case !strings.Contains(got, "fixed") && gw+ansi.StringWidth(" · fixed scale") <= w:
				t.Errorf("%s at %d columns: the scale's name left out with room for it: %q", name, w, got)
			}
		}
	}
}
