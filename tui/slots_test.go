package tui

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// TestInspectorSlots: in sponsored-search the header names the slots, the
// inspector gives each slot's holder, its price per click and per
// impression, and `a` switches between gsp and vcg.
func TestInspectorSlots(t *testing.T) {
	sc := bundled(t, "sponsored-search")
	eng := engineAt(t, sc, 2*sim.Second)
	m, _ := modelOn(t, sc, eng, 160, 50)
	if v := m.View(); !strings.Contains(v, "gsp 3 slots 1/0.6/0.3") {
		t.Errorf("the header does not name the slots:\n%s", v)
	}
	press(m, "enter")
	rec := m.ctx.Snap().Recent[len(m.ctx.Snap().Recent)-1]
	if len(rec.Slots) != 3 {
		t.Fatalf("record slots %+v", rec.Slots)
	}
	v := m.View()
	for j, sl := range rec.Slots {
		name := m.ctx.Snap().Bidders[sl.Bidder].Name
		want := "slot " + string(rune('1'+j)) + " (α "
		if !strings.Contains(v, want) || !strings.Contains(v, name+" pays "+format.Price(sl.Click)+" per click, "+format.Price(sl.Impression)+" per impression") {
			t.Errorf("the inspector lacks slot %d (%s pays %s per click):\n%s", j+1, name, format.Price(sl.Click), v)
		}
	}
	if !strings.Contains(v, "the next bid, "+format.Price(rec.Slots[1].Bid)) || !strings.Contains(v, "3 (α 0.3)") {
		t.Errorf("slot 1's price is not explained by the next bid:\n%s", v)
	}
	press(m, "esc")
	press(m, "a")
	if v := m.View(); !strings.Contains(v, "vcg 3 slots") {
		t.Errorf("a does not switch gsp to vcg:\n%s", v)
	}
}
