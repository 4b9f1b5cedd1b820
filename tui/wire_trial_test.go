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
