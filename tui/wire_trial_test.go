package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// wireModel is a dashboard on a fake source whose frames carry line as
// the source's header line and no tmax curve, as the wire's engine
// (sim.Engine.SetRemote) has none, at w×h.
func wireModel(t *testing.T, line string, w, h int) *model {
	t.Helper()
	src := &fakeSource{fakeLink: newFakeLink()}
	sc := testScenario()
	eng := engineAt(t, sc, 2*sim.Second)
	snap := eng.Snapshot()
	snap.TmaxCurve, snap.TmaxCurveRecent = nil, nil
	f := frameOf(sc, snap, t0.Add(100*time.Millisecond), 0)
	f.Line = line
	m := newModel(src, modelOptions{scenario: sc, theme: asciiTheme(), catalog: testCatalog(), exportDir: t.TempDir()})
	m.Update(sizeMsg(w, h))
	m.Update(frameMsg(f))
	return m
}

// TestWhatIfOnTheWireSaysWhyNoCurve: on the wire the what-if panel says
// that the curve is off because of the wire, not that the scenario
// switched it off (it did not: exchange.tmax_curve is the default).
func TestWhatIfOnTheWireSaysWhyNoCurve(t *testing.T) {
	m := wireModel(t, "on the wire: 4 bidders · 812 sent 790 answered 2 errors 20 timeouts", 100, 30)
	press(m, "w")
	v := m.View()
	if strings.Contains(v, "exchange.tmax_curve: false") || !strings.Contains(v, "on the wire the tmax curve is off") {
		t.Errorf("the what-if panel on the wire does not say why it has no curve:\n%s", v)
	}
}

// TestWireLineFoldsOnAProjector: at 100 columns the wire's header line,
// too long for one line, is folded at its separators so that its end
// (the wait and the wire's added delay) is shown, not cut off.
func TestWireLineFoldsOnAProjector(t *testing.T) {
	const line = "on the wire: 8 bidders · 21,264 sent 15,186 answered 10 errors 6,001 timeouts · wait p50/p95 120.3/120.3ms · added p50/p99 1.4/3.1ms"
	m := wireModel(t, line, 100, 30)
	v := m.View()
	for _, want := range []string{"on the wire: 8 bidders", "6,001 timeouts", "wait p50/p95 120.3/120.3ms", "added p50/p99 1.4/3.1ms"} {
		if !strings.Contains(v, want) {
			t.Errorf("at 100 columns the header lacks %q:\n%s", want, v)
		}
	}
	if got := strings.Count(v, "\n") + 1; got != 30 {
		t.Errorf("the screen is %d lines, want 30", got)
	}
	// Wide enough, it stays one line.
	if got := foldLine(line, 160); len(got) != 1 || got[0] != line {
		t.Errorf("at 160 columns: %q", got)
	}
}

// TestPresentTmaxUnitFitsAProjector: in presentation mode at 100×30 the
// tmax figure's unit (the told deadline and the pages' wait) is wrapped
// beside the digits, not cut off.
func TestPresentTmaxUnitFitsAProjector(t *testing.T) {
	m, _, _ := testModel(t, 100, 30)
	s := *m.ctx.Snap()
	s.Settings.TmaxAdjustments = sim.TmaxAdjustments{RequestProcessing: 20 * sim.Millisecond, NetworkBuffer: 60 * sim.Millisecond, ResponsePreparation: 30 * sim.Millisecond}
	s.Exchange.RecentWait = sim.LatencyStats{Count: 100, P50: 400 * sim.Millisecond, P95: 987 * sim.Millisecond}
	m.Update(frameMsg(frameOf(testScenario(), &s, t0.Add(time.Second), 0)))
	press(m, "P")
	v := m.View()
	for _, want := range []string{"bidders told", "pages wait p95 987ms"} {
		if !strings.Contains(v, want) {
			t.Errorf("presentation mode at 100×30 lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "…") {
		t.Errorf("presentation mode at 100×30 cuts a figure:\n%s", v)
	}
}

// TestEndedRunRateSaysEnded: once the run has reached its stop the
// exchange panel's rate says ended, as the header does, not paused.
func TestEndedRunRateSaysEnded(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	f := m.ctx.Frame
	f.Ended = true
	m.Update(frameMsg(f))
	found := false
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(l, "auctions/s") {
			found = true
			if strings.Contains(l, "paused") || !strings.Contains(l, "ended") {
				t.Errorf("the ended run's rate reads %q", l)
			}
		}
	}
	if !found {
		t.Fatalf("no auctions/s row:\n%s", m.View())
	}
}
