package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestAuctionKeyNamesSlots: with several slots a switches GSP and VCG,
// and the help said "1st/2nd price" there, sending a student who wanted
// first price to a key that never gives it. The help names what a does
// in the world on screen; one item keeps "1st/2nd price".
func TestAuctionKeyNamesSlots(t *testing.T) {
	tm := startProgramSized(t, bundled(t, "sponsored-search"), runner.Options{}, programOptions(t), 160, 48)
	waitFor := func(s string) { t.Helper(); waitOutput(t, tm, s, waitLimit, 10*time.Millisecond) }
	waitFor("a GSP/VCG") // the footer, wide
	tm.Type("?")
	waitFor("a   GSP/VCG") // the full help's column
	tm.Type("a")
	waitFor("vcg 3 slots")
	tm.Type("q")

	for _, c := range []struct{ scenario, want, not string }{
		{"classroom-vickrey", "1st/2nd price", "GSP/VCG"},
		{"sponsored-search", "GSP/VCG", "1st/2nd price"},
	} {
		sc := bundled(t, c.scenario)
		m, _ := modelOn(t, sc, engineAt(t, sc, sim.Second), 80, 24)
		press(m, "?")
		v := m.View()
		if !strings.Contains(v, "a   "+c.want) || strings.Contains(v, c.not) {
			t.Errorf("%s: the help does not name a as %q:\n%s", c.scenario, c.want, v)
		}
	}
}
