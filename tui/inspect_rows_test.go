package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// rowRE is a row of the inspector's response table: its mark and name.
var rowRE = regexp.MustCompile(`^[ ▸] (\S+) +(on time|late|no bid|below floor|off|error|no answer|refused)`)

// inspectorRows are the names of the bidders whose rows the inspector
// shows in v, and its table's header line.
func inspectorRows(v string) (names []string, head string) {
	for _, l := range strings.Split(v, "\n") {
		// The heading has a status and a value column, the response
		// bars only where there is latency (instantAuction).
		if strings.Contains(l, "status") && strings.Contains(l, "value") && strings.Contains(l, "rank") {
			head = l
		}
		if m := rowRE.FindStringSubmatch(l); m != nil {
			names = append(names, m[1])
		}
	}
	return names, head
}

// TestInspectorRowsFit: at 80×24 the inspector of timeout-demo's eight
// bidders showed seven rows, glacier's missing without a word, even with
// glacier selected. It shows the selected bidder's row, and the header
// says which rows show when not all do; at 160×48 every row shows.
func TestInspectorRowsFit(t *testing.T) {
	sc := bundled(t, "timeout-demo")
	// An auction that late bids cost, as in the trial: its sentence takes
	// the room of a row.
	eng := engineAt(t, sc, 3*sim.Second)
	for at := 3 * sim.Second; ; at += 5 * sim.Millisecond {
		eng.RunUntil(at)
		if r := eng.Snapshot().Recent; len(r) > 0 && r[len(r)-1].LostToTimeouts > 0 {
			break
		}
		if at > 10*sim.Second {
			t.Fatal("no auction lost anything to late bids")
		}
	}
	n := len(eng.Snapshot().Bidders)
	for _, size := range [][2]int{{80, 24}, {100, 30}, {160, 48}} {
		for _, sel := range []int{0, n - 1} {
			m, _ := modelOn(t, sc, eng, size[0], size[1])
			for range sel {
				press(m, "j")
			}
			press(m, "enter")
			v := m.View()
			checkScreen(t, v, size[0], size[1])
			names, head := inspectorRows(v)
			want := eng.Snapshot().Bidders[sel].Name
			if !strings.Contains(strings.Join(names, " "), want) {
				t.Errorf("%dx%d: selected %s has no row (%v):\n%s", size[0], size[1], want, names, v)
			}
			switch {
			case len(names) == n:
			case size[1] == 48:
				t.Errorf("%dx%d: %d of %d rows:\n%s", size[0], size[1], len(names), n, v)
			case !strings.Contains(head, " of 8"):
				t.Errorf("%dx%d: %d of %d rows and the header does not say so: %q", size[0], size[1], len(names), n, head)
			}
		}
	}
}

// TestLateCostNamesTheBid: the inspector's line on what late bids cost
// names the exchange, not "it" (read as the winner), and the late bid
// the price "would have been" comes from, whose row may be off screen.
func TestLateCostNamesTheBid(t *testing.T) {
	names := []string{"ada", "bo", "glacier"}
	rec := &sim.AuctionRecord{
		Auction: sim.SecondPrice, Floor: sim.PriceOf(0.1), Increment: sim.PriceOf(0.01),
		Winner: 0, Price: sim.PriceOf(2.29), Reason: sim.SecondBid, SecondBid: sim.PriceOf(2.28),
		LostToTimeouts: sim.PriceOf(0.22),
		Responses: []sim.Response{
			{Status: sim.OnTime, Bid: sim.PriceOf(2.50), Rank: 1},
			{Status: sim.OnTime, Bid: sim.PriceOf(2.28), Rank: 2},
			{Status: sim.Late, Bid: sim.PriceOf(3.00)},
		},
	}
	got := lateCost(rec, func(i int) string { return names[i] })
	for _, want := range []string{"cost the exchange 0.22 CPM", "glacier's late bid of 3.00", "would have been 2.51"} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q: %s", want, got)
		}
	}
	// A late bid under the top two did not set the price.
	rec.Responses[2].Bid = sim.PriceOf(1)
	if got := lateCost(rec, func(i int) string { return names[i] }); strings.Contains(got, "glacier") {
		t.Errorf("names a late bid that set nothing: %s", got)
	}
}

// TestLateCostSlots: in an auction of several slots the loss to late
// bids is the slots' revenue's, and the line said the price would have
// been the top slot's price plus all of it, a price nobody would have paid.
func TestLateCostSlots(t *testing.T) {
	names := []string{"ada", "bo", "cyd"}
	rec := &sim.AuctionRecord{
		Auction: sim.GSP, Winner: 0, Price: sim.PriceOf(0.9), LostToTimeouts: sim.PriceOf(0.21),
		Slots: []sim.SlotWin{
			{Bidder: 0, Weight: 1, Click: sim.PriceOf(0.9), Impression: sim.PriceOf(0.9)},
			{Bidder: 1, Weight: 0.5, Click: sim.PriceOf(0.6), Impression: sim.PriceOf(0.3)},
		},
		Responses: []sim.Response{
			{Status: sim.OnTime, Bid: sim.PriceOf(1.2)},
			{Status: sim.OnTime, Bid: sim.PriceOf(0.9)},
			{Status: sim.Late, Bid: sim.PriceOf(1.5)},
		},
	}
	got := lateCost(rec, func(i int) string { return names[i] })
	for _, want := range []string{"cost the exchange 0.21 CPM", "the slots would have made 1.41 CPM, not 1.20"} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q: %s", want, got)
		}
	}
	if strings.Contains(got, "1.11") {
		t.Errorf("the top slot's price plus the loss: %s", got)
	}
}

// TestInspectorSaysPaced: timeout-demo's swift bids its value divided by
// 1+μ; the inspector called it "truthful" beside bids under its values.
func TestInspectorSaysPaced(t *testing.T) {
	sc := bundled(t, "timeout-demo")
	eng := engineAt(t, sc, 3*sim.Second)
	m, _ := modelOn(t, sc, eng, 160, 48)
	press(m, "enter")
	flat := strings.Join(strings.Fields(m.View()), " ")
	for _, want := range []string{"swift's strategy: truthful, paced by a multiplier: bids value/(1+μ), μ ", "bidding its value, unpaced, earns"} {
		if !strings.Contains(flat, want) {
			t.Errorf("lacks %q:\n%s", want, m.View())
		}
	}
}

// TestInspectorSurplusSinceChange: after a live change (eli disabled in
// classroom-vickrey) each bidder's theory sets the simulated surplus
// since the change beside the closed form's, as it does the win rate and
// the payment; it had the theory's alone ("keeps 0.050 CPM").
func TestInspectorSurplusSinceChange(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	eng := engineAt(t, sc, 2*sim.Second)
	if err := eng.Apply(sim.SetEnabled{Bidder: "eli", Enabled: false}); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(6 * sim.Second)
	snap := eng.Snapshot()
	bt, why := snap.BidderTheory()
	if why != "" || len(bt) == 0 {
		t.Fatalf("no bidder theory: %s", why)
	}
	_, _, surplus, _ := snap.BidderPerAuction(bt[0].Name, true)
	m, _ := modelOn(t, sc, eng, 160, 48)
	press(m, "enter")
	flat := strings.Join(strings.Fields(m.View()), " ")
	want := bt[0].Name + " wins "
	keeps := "keeps " + format.Fixed(bt[0].Surplus, 3) + " · " + format.Fixed(surplus, 3) + " CPM"
	if !strings.Contains(flat, "theory · simulated since the change") || !strings.Contains(flat, want) || !strings.Contains(flat, keeps) {
		t.Errorf("lacks %q:\n%s", keeps, m.View())
	}
}

// TestInspectorDeviatorSimulated: with ada shading among truthful
// bidders for sponsored-search's slots, the inspector's reason for no
// closed form gives ada's own surplus beside the simulated one.
func TestInspectorDeviatorSimulated(t *testing.T) {
	sc := bundled(t, "sponsored-search")
	sc.Config.Bidders = append([]sim.BidderConfig(nil), sc.Config.Bidders...)
	sc.Config.Bidders[0].Strategy = sim.Strategy{Kind: sim.Shade, Factor: 0.7}
	eng := engineAt(t, sc, 10*sim.Second)
	m, _ := modelOn(t, sc, eng, 160, 48)
	press(m, "enter")
	flat := strings.Join(strings.Fields(m.View()), " ")
	_, _, surplus, _ := eng.Snapshot().BidderPerAuction("ada", false)
	if want := fmt.Sprintf("0.1176 CPM per auction bidding shade 0.7 against truthful rivals, 0.0950 bidding truthfully (integrated numerically); simulated, ada keeps %.4f CPM per auction.", surplus); !strings.Contains(flat, want) {
		t.Errorf("lacks %q:\n%s", want, m.View())
	}
}

// TestHeaderSlotsFit: at 80×24 sponsored-search's header kept its seed
// cut to "s…" behind the slots' weights; it gives up the 0 increment
// instead, and its metric says that the clearing price sums the slots'.
func TestHeaderSlotsFit(t *testing.T) {
	sc := bundled(t, "sponsored-search")
	eng := engineAt(t, sc, 2*sim.Second)
	m, _ := modelOn(t, sc, eng, 80, 24)
	v := m.View()
	checkScreen(t, v, 80, 24)
	lines := strings.Split(v, "\n")
	if !strings.Contains(lines[1], "3 slots 1/0.6/0.3") || !strings.Contains(lines[1], "seed 1") || strings.Contains(lines[1], "…") {
		t.Errorf("header's second line %q", lines[1])
	}
	if !strings.HasPrefix(lines[2], "mean clearing price (Σ slots)  theory 0.900") {
		t.Errorf("header's theory line %q", lines[2])
	}
	// A single item: as it was.
	sc = bundled(t, "timeout-demo")
	m, _ = modelOn(t, sc, engineAt(t, sc, 2*sim.Second), 80, 24)
	lines = strings.Split(m.View(), "\n")
	if !strings.Contains(lines[1], "increment 0.01 │ qps 1000 │ seed 42") || strings.Contains(lines[2], "Σ") {
		t.Errorf("timeout-demo's header %q, %q", lines[1], lines[2])
	}
}
