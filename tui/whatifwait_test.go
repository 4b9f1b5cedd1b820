package tui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// The what-if panel's wait at a deadline is the tmax curve's, which no
// page waits past: at 160 ms the histogram's bucket reaches 160.8 ms,
// which the panel would round to 161.
func TestWhatIfWaitWithinDeadline(t *testing.T) {
	m, _, _ := testModelWith(t, 160, 40, func(eng *sim.Engine) {
		if err := eng.Apply(sim.SetTmax{Tmax: 160 * sim.Millisecond}); err != nil {
			t.Fatal(err)
		}
	})
	press(m, "w")
	v := m.View()
	re := regexp.MustCompile(`(\d+)ms: [^·]*?wait p95 (\d+)ms`)
	found := re.FindAllStringSubmatch(v, -1)
	if len(found) == 0 || !strings.Contains(v, "now 160ms: ") {
		t.Fatalf("the what-if panel shows no wait at 160ms:\n%s", v)
	}
	for _, f := range found {
		at, _ := strconv.Atoi(f[1])
		wait, _ := strconv.Atoi(f[2])
		if wait > at {
			t.Errorf("the what-if panel says pages wait p95 %d ms at a %d ms deadline:\n%s", wait, at, v)
		}
	}
	for _, p := range m.ctx.Snap().TmaxCurve {
		if p.WaitP95 > p.Tmax {
			t.Errorf("curve at %v: wait p95 %v", p.Tmax, p.WaitP95)
		}
	}
}
