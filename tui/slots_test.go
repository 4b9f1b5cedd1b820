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

// TestInspectorSlotSurplus: what a slot's holder keeps is sim's
// SlotWin.Surplus, what the engine credits: negative for a holder that
// paid more per click than its value (it bid above it), not 0.
func TestInspectorSlotSurplus(t *testing.T) {
	rec := &sim.AuctionRecord{
		Auction: sim.GSP,
		Responses: []sim.Response{
			{Status: sim.OnTime, Value: sim.PriceOf(0.5), Bid: sim.PriceOf(2), Rank: 1},
			{Status: sim.OnTime, Value: sim.PriceOf(0.9), Bid: sim.PriceOf(0.9), Rank: 2},
			{Status: sim.OnTime, Value: sim.PriceOf(0.4), Bid: sim.PriceOf(0.4), Rank: 3},
		},
	}
	rec.Slots = []sim.SlotWin{
		{Bidder: 0, Weight: 1, Click: sim.PriceOf(0.9), Impression: sim.PriceOf(0.9), Reason: sim.SecondBid, Bid: sim.PriceOf(2)},
		{Bidder: 1, Weight: 0.6, Click: sim.PriceOf(0.4), Impression: sim.PriceOf(0.24), Reason: sim.SecondBid, Bid: sim.PriceOf(0.9)},
	}
	name := func(i int) string { return []string{"over", "fair", "third"}[i] }
	out := strings.Join(slotExplanation(asciiTheme(), rec, name), "\n")
	for j, sl := range rec.Slots {
		want := "keeps " + format.Price(sl.Surplus(rec.Responses[sl.Bidder].Value)) + " CPM"
		if !strings.Contains(out, want) {
			t.Errorf("slot %d: no %q in\n%s", j+1, want, out)
		}
	}
	// 0.5 − 0.9 per click at weight 1; 0.6 × (0.9 − 0.4).
	if !strings.Contains(out, "keeps -0.40 CPM") || !strings.Contains(out, "keeps 0.30 CPM") {
		t.Errorf("the slots' surplus:\n%s", out)
	}
}

// TestInspectorWraps: the inspector's explanations wrap at the panel's
// width, none cut with "…": a floor price's reason at 80 columns, VCG's
// slot reasons at 100, and the header's wait.
func TestInspectorWraps(t *testing.T) {
	for _, tt := range []struct {
		scenario string
		w        int
		vcg      bool
		want     func(rec sim.AuctionRecord) string // the explanation, in full
		pick     func(rec sim.AuctionRecord) bool   // the auction to show
	}{
		{
			scenario: "reserve-price", w: 80,
			pick: func(r sim.AuctionRecord) bool { return r.Reason == sim.FloorPrice && r.SecondBid == 0 },
			want: func(r sim.AuctionRecord) string { return "(" + noSecondBid(&r) + ")." },
		},
		{
			scenario: "sponsored-search", w: 100, vcg: true,
			pick: func(r sim.AuctionRecord) bool { return len(r.Slots) == 3 },
			want: func(sim.AuctionRecord) string { return "(VCG: " + sim.VCG.SlotPrice() + ", at their bids); keeps" },
		},
	} {
		sc := bundled(t, tt.scenario)
		if tt.vcg {
			sc.Config.Exchange.Auction = sim.VCG
		}
		eng := engineAt(t, sc, 2*sim.Second)
		m, _ := modelOn(t, sc, eng, tt.w, 40)
		press(m, "enter")
		recent := m.ctx.Snap().Recent
		i := len(recent) - 1
		for i >= 0 && !tt.pick(recent[i]) {
			i--
		}
		if i < 0 {
			t.Fatalf("%s: no auction to show among %d", tt.scenario, len(recent))
		}
		for range len(recent) - 1 - i {
			press(m, "left")
		}
		v := m.View()
		var explained []string
		in := false
		for _, l := range strings.Split(v, "\n") {
			in = in && !strings.HasPrefix(l, "bidder ")
			if strings.HasPrefix(l, "Auction #") {
				in = true
			}
			if in {
				if strings.Contains(l, "…") {
					t.Errorf("%s at %d columns: a line cut: %q", tt.scenario, tt.w, l)
				}
				explained = append(explained, strings.TrimSpace(l))
			}
		}
		text := strings.Join(explained, " ")
		if want := tt.want(recent[i]); !strings.Contains(text, want) || !strings.Contains(text, " · wait ") {
			t.Errorf("%s at %d columns: no %q (or no wait) in\n%s", tt.scenario, tt.w, want, v)
		}
	}
}

// TestAuctionKeyOneItem: with one item, GSP and VCG are second price, so
// `a` takes them to first price as it does second price (it swapped them
// for each other for ever), and the chooser says truthful bidding is
// dominant there, not "not an equilibrium in GSP".
func TestAuctionKeyOneItem(t *testing.T) {
	for _, a := range []sim.AuctionType{sim.GSP, sim.VCG} {
		sc := bundled(t, "classroom-vickrey")
		sc.Config.Exchange.Auction = a
		eng := engineAt(t, sc, sim.Second)
		m, _ := modelOn(t, sc, eng, 160, 50)
		if got := chooserMeaning(sim.Strategy{Kind: sim.Truthful}, oneItem(a, m.ctx.Snap())); !strings.Contains(got, "dominant in second price") {
			t.Errorf("%v with one item: the chooser says %q", a, got)
		}
		press(m, "a")
		if got := m.ctx.Shown.set.Auction; got != sim.FirstPrice {
			t.Errorf("a from %v with one item goes to %v, not first price", a, got)
		}
		press(m, "a")
		if got := m.ctx.Shown.set.Auction; got != sim.SecondPrice {
			t.Errorf("a from first price goes to %v, not second price", got)
		}
	}
}
