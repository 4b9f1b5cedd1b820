package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// The status line warns when a money total stopped at the largest amount
// Money holds (order values of 10⁹ over many conversions), and says
// nothing of it otherwise.
func TestStatusLineWarnsOfSaturation(t *testing.T) {
	sc, err := scenarios.Resolve("../scenarios/testdata/saturate.yaml") // shared with the other saturation tests
	if err != nil {
		t.Fatal(err)
	}
	eng := engineAt(t, sc, 900*sim.Millisecond)
	first := eng.Snapshot()
	eng.RunUntil(sim.Second)
	second := eng.Snapshot()
	if len(second.Saturated()) == 0 {
		t.Fatal("the world did not saturate")
	}
	m, _, _ := recordingModel(t, sc, 200, 50, frameOf(sc, first, t0, 0), frameOf(sc, second, t0.Add(100*time.Millisecond), 0))
	if v := m.View(); !strings.Contains(v, "money totals passed 9.2e9") || !strings.Contains(v, "bidders.big.incremental_value") {
		t.Errorf("no saturation warning in the dashboard:\n%s", v)
	}
	calm, _, _ := testModel(t, 200, 50)
	if v := calm.View(); strings.Contains(v, "passed 9.2e9") {
		t.Errorf("a saturation warning in a calm world:\n%s", v)
	}
}
