package tui

import (
	"regexp"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// A bidder that always answers in 30 ms meets a 30 ms tmax: the bidders
// table's p95 has no over-tmax mark and the latency panel reads 30ms. The
// histogram's bucket reaches 30.079 ms, which the table marked "30ms!".
func TestLatencyAtTmaxNotMarkedOver(t *testing.T) {
	m, _, _ := testModelWith(t, 160, 50, func(eng *sim.Engine) {
		if err := eng.Apply(sim.SetTmax{Tmax: 30 * sim.Millisecond}); err != nil {
			t.Fatal(err)
		}
		if err := eng.Apply(sim.SetLatency{Bidder: "swift", Latency: sim.Constant(float64(30 * sim.Millisecond))}); err != nil {
			t.Fatal(err)
		}
	})
	b := m.ctx.Snap().Bidders[0]
	if b.Name != "swift" || b.RecentLate > 0 {
		t.Fatalf("bidder %s, %d recent late bids: the test needs swift on time", b.Name, b.RecentLate)
	}
	if l := b.RecentLatency; l.P50 != 30*sim.Millisecond || l.P95 != 30*sim.Millisecond || l.P99 != 30*sim.Millisecond {
		t.Errorf("swift's recent latency %+v, every answer takes 30ms", l)
	}
	v := m.View()
	if row := regexp.MustCompile(`swift +truthful .*?(\d+ms!?) `).FindStringSubmatch(v); row == nil || row[1] != "30ms" {
		t.Errorf("the bidders table's p95 for swift is %q, want 30ms unmarked:\n%s", row, v)
	}
	if !regexp.MustCompile(`swift +30ms +30ms +30ms `).MatchString(v) {
		t.Errorf("the latency panel's swift row does not read 30ms throughout:\n%s", v)
	}
}
