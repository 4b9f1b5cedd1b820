package classroom

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// TestTrainerSlotsRevealAt80x24: on sponsored-search's room at 80×24 the
// trainer's reveal listed each slot's price on a line of its own, under
// a table that already has them (per click, paid), and the screen cut
// the last slot's line and the leaderboard ("… 3 more lines"). Short of
// rows, the slots' prices now fold into one line before the leaderboard
// gives way, and c's "round closed" goes once a later round is dealt;
// every slot holder's row stays, and with room (120×40) the lines per
// slot are kept.
func TestTrainerSlotsRevealAt80x24(t *testing.T) {
	cfg := testRoomConfig(2, 30*time.Second)
	cfg.Sim.Exchange.Auction = sim.GSP
	cfg.Sim.Exchange.Slots = []float64{1, 0.6, 0.3}
	cfg.Clock = fixedClock{epoch}
	rm, _ := runRoom(t, cfg)
	ann, err := Join(rm, "ann")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := Join(rm, "bob")
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTrainer(TrainerOptions{Room: rm, Address: "127.0.0.1:2222", Renderer: ascii(), Now: func() time.Time { return epoch }, Code: "tulip"})
	defer tr.cancel()
	tr.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	watchUntil(t, tr, "both seated in round 1", func(s room.State) bool { return s.Round == 1 && s.Seats[1].Student == "bob" })
	// Round 1 was dealt for ann alone: close it, then both bid in round 2.
	do(t, tr, press(tr, "c"))
	watchUntil(t, tr, "round 2", func(s room.State) bool { return s.Round == 2 && s.InRound == 2 })
	for _, p := range []*room.Player{ann, bob} {
		if err := p.Bid(2, sim.PriceOf(0.9)); err != nil {
			t.Fatal(err)
		}
	}
	watchUntil(t, tr, "round 2 closed", func(s room.State) bool { return s.Rounds == 2 && s.Last != nil && s.Last.Result.Number == 2 })
	slots := tr.state.Last.Result.Slots
	if len(slots) != 3 {
		t.Fatalf("%d slots sold, want 3", len(slots))
	}
	v := tr.View()
	checkLines(t, v, 80, 24)
	for _, want := range []string{"Leaderboard  surplus", "Prices, gsp, each slot pays the next bid per click: as in the table"} {
		if !strings.Contains(v, want) {
			t.Errorf("80×24: no %q:\n%s", want, v)
		}
	}
	if n := strings.Count(v, " won "); n != 2 {
		t.Errorf("80×24: %d leaderboard rows, want ann's and bob's:\n%s", n, v)
	}
	// c's "round closed" was about round 1: with round 3 dealt it goes,
	// and the leaderboard has its rows.
	if strings.Contains(v, "round closed") {
		t.Errorf("80×24: a stale status line:\n%s", v)
	}
	if strings.Contains(v, "more lines") {
		t.Errorf("80×24: the screen is cut:\n%s", v)
	}
	// Each slot's holder has its row, with the slot and its price per
	// click.
	for j, sl := range slots {
		row := false
		for _, l := range strings.Split(v, "\n") {
			f := strings.Fields(l)
			row = row || len(f) > 4 && strings.Contains(l, rm.Table().Name(sl.Bidder)) && strings.Contains(l, " "+fmtCPM(sl.Click)+" ") &&
				strings.Contains(l, " "+string(rune('1'+j))+" ")
		}
		if !row {
			t.Errorf("80×24: slot %d's holder %s has no row with its price %s:\n%s", j+1, rm.Table().Name(sl.Bidder), fmtCPM(sl.Click), v)
		}
	}
	tr.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if v := tr.View(); !strings.Contains(v, "slot 3 (α 0.3) "+fmtCPM(slots[2].Click)+" per click") {
		t.Errorf("120×40: the slots' lines folded with room for them:\n%s", v)
	}
}

// checkLines fails where v has more lines than h or a line wider than w.
func checkLines(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(v, "\n"), "\n")
	if len(lines) > h {
		t.Errorf("%d lines, more than %d:\n%s", len(lines), h, v)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("%d cells, wider than %d: %q", ansi.StringWidth(l), w, l)
		}
	}
}
