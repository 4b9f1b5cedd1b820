package classroom

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// TestEarlierRoundsWrapReadably: at 80 columns the trainer's line for a
// price capped at the winner's bid ("set by its own bid, as the
// second-highest bid + increment 0.010 would pass it") ran past the
// screen and wrapped at the entries' own indent, "+ increment 0.010
// would pass it" reading as another round. Each round is now one entry:
// its further lines indented under its text, "+ increment 0.010" with
// the bid it adds to, every word kept, no line past 80.
func TestEarlierRoundsWrapReadably(t *testing.T) {
	rm := quietRoom(t, 2)
	tr := NewTrainer(TrainerOptions{Room: rm, Address: "127.0.0.1:2222", Renderer: ascii(), Now: func() time.Time { return epoch }})
	defer tr.cancel()
	tr.Update(tea.WindowSizeMsg{Width: 80, Height: 40})
	watchUntil(t, tr, "the room", func(room.State) bool { return true })
	s := tr.state
	names := []string{"ann", strings.Repeat("w", MaxNameLen), "Zoë-Marie", "bo"}
	for i, name := range names {
		res := &seat.Result{Number: uint64(i + 1), Winner: 1, Price: sim.PriceOf(0.731), Reason: sim.CappedAtBid,
			Increment: sim.PriceOf(0.01), Seats: []seat.Outcome{{Bidder: 1}},
			Responses: []sim.Response{{Rank: 2, Bid: sim.PriceOf(0.725)}, {Rank: 1, Bid: sim.PriceOf(0.731)}}}
		s.Recent = append(s.Recent, room.RoundRecord{Result: res, Students: []string{name}})
	}
	s.Last = nil // the reveal is another test's
	tr.take(s)
	v := tr.View()
	_, earlier, ok := strings.Cut(v, "Earlier rounds\n")
	if !ok {
		t.Fatalf("no earlier rounds:\n%s", v)
	}
	earlier, _, _ = strings.Cut(earlier, "\n\n")
	lines := strings.Split(earlier, "\n")
	var entries []string
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("%d cells: %q", w, l)
		}
		switch {
		case strings.HasPrefix(l, "  #"):
			entries = append(entries, strings.TrimSpace(l))
		case strings.HasPrefix(l, "    ") && len(entries) > 0:
			if strings.HasPrefix(strings.TrimSpace(l), "+") {
				t.Errorf("a line begins with the increment, apart from its bid: %q", l)
			}
			entries[len(entries)-1] += " " + strings.TrimSpace(l)
		default:
			t.Errorf("a line neither an entry nor under one: %q\n%s", l, earlier)
		}
	}
	// Newest first: the rounds before the last (the last is the reveal's).
	if len(entries) != 3 {
		t.Fatalf("%d entries, want 3:\n%s", len(entries), earlier)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e, "won at 0.731, set by its own bid, as the second-highest bid + increment 0.010 would pass it") {
			t.Errorf("an entry's words changed: %q", e)
		}
	}
}
