package tui

import (
	"strings"
	"testing"
	"time"

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
