package tui

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestVickreyChartReadsAt80x24: classroom-vickrey's lesson is its chart,
// the price converging to (n−1)/(n+1) = 0.667. At 80×24 it had five rows
// from 0 to 0.8 (a floor of 0 pulled the range down) and the latency
// panel four rows of 0.0ms, so the price covered the theory's row and the
// theory line was nowhere. Now the world without latency says so in one
// line, the range hugs the price, and the axis marks the theory's level.
func TestVickreyChartReadsAt80x24(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	eng := engineAt(t, sc, 30*sim.Second)
	m, _ := modelOn(t, sc, eng, 80, 24)
	v := m.View()
	checkScreen(t, v, 80, 24)
	lines := strings.Split(v, "\n")
	plot, tick, zero := 0, false, false
	for _, l := range lines {
		// The chart's rows: a Y axis in column 4, left of the exchange
		// panel.
		r := []rune(l)
		if len(r) < 5 || !strings.ContainsRune("│├╞└", r[4]) {
			continue
		}
		if r[4] != '└' {
			plot++
		}
		tick = tick || strings.HasPrefix(l, "0.67╞")
		zero = zero || strings.HasPrefix(l, "0.00")
	}
	if plot < 6 {
		t.Errorf("%d chart rows above the axis, want at least 6 (4 before):\n%s", plot, v)
	}
	if !tick {
		t.Errorf("no theory tick 0.67╞ on the axis:\n%s", v)
	}
	if zero {
		t.Errorf("the Y axis runs down to 0.00 with a floor of 0:\n%s", v)
	}
	if !strings.Contains(v, "Latency none: every bidder answers at once") || strings.Contains(v, "p50") {
		t.Errorf("latency panel not folded to its line:\n%s", v)
	}
}

// TestLatencyPanelKeptWithLatency: a world with latency keeps its bars
// (the fold is for a world without any), as does one before any answer.
func TestLatencyPanelKeptWithLatency(t *testing.T) {
	m, _, _ := testModel(t, 80, 24)
	if v := m.View(); !strings.Contains(v, "p50") || strings.Contains(v, "Latency none") {
		t.Errorf("latency panel folded in a world with latency:\n%s", v)
	}
	if (&sim.Snapshot{Bidders: []sim.BidderStats{{}}}).AnswersAtOnce() {
		t.Error("no answer yet reads as no latency")
	}
}

// TestFloorLegendOnlyWhereDrawn: the chart's legend names the floor where
// its line is drawn, a floor above 0; a floor of 0 is none, drawn nowhere,
// and "┄ floor 0.00" named a line not there (first-vs-second, which has
// no theory to take the room).
func TestFloorLegendOnlyWhereDrawn(t *testing.T) {
	for _, c := range []struct {
		name string
		want bool
	}{{"first-vs-second", false}, {"reserve-price", true}} {
		sc := bundled(t, c.name)
		eng := engineAt(t, sc, 10*sim.Second)
		m, _ := modelOn(t, sc, eng, 160, 48)
		title := chartTitle(m.ctx, 200)
		if got := strings.Contains(title, "floor"); got != c.want {
			t.Errorf("%s: floor in the legend %v, want %v: %q", c.name, got, c.want, title)
		}
	}
}

// TestTheoryTickReadsTheTheory: sponsored-search switched from GSP to VCG
// at 4 s drew its theory line (0.660) on a row with an axis label of its
// own, and the axis read "0.64╞═══" under "═ theory 0.660": the tick said
// the wrong level. The tick's label is now the theory's, wherever it falls.
func TestTheoryTickReadsTheTheory(t *testing.T) {
	sc := bundled(t, "sponsored-search")
	found := 0
	for _, at := range []sim.Time{4 * sim.Second, 6 * sim.Second, 10 * sim.Second} {
		eng := engineAt(t, sc, at)
		if err := eng.Apply(sim.SetAuction{Auction: sim.VCG}); err != nil {
			t.Fatal(err)
		}
		eng.RunUntil(2 * at)
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			m, _ := modelOn(t, sc, eng, sz[0], sz[1])
			v := m.View()
			if !strings.Contains(v, "theory 0.660") {
				t.Fatalf("%v, %dx%d: not VCG's theory:\n%s", at, sz[0], sz[1], v)
			}
			for _, l := range strings.Split(v, "\n") {
				r := []rune(l)
				if len(r) < 5 || r[4] != '╞' {
					continue
				}
				found++
				if got := string(r[:4]); got != "0.66" {
					t.Errorf("%v, %dx%d: the theory's tick reads %q, want 0.66:\n%s", at, sz[0], sz[1], got, v)
				}
			}
		}
	}
	if found == 0 {
		t.Error("no theory tick on any axis")
	}
}
