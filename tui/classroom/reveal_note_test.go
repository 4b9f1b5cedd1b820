package classroom

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// With the reveal on, a student at 80×24 sees it: the leaderboard gives
// way to it (before, the reveal went first and 80×24 never showed it). A
// terminal too short even so (80×12) is told that the bids were
// revealed, rather than seeing no reveal at all; a tall terminal shows the
// reveal, the leaderboard and no note.
func TestRevealTooTallIsNoted(t *testing.T) {
	cfg := testRoomConfig(2, 30*time.Second)
	cfg.Clock = fixedClock{epoch}
	rm, ctx := runRoom(t, cfg)
	ann, err := Join(rm, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Join(rm, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := rm.SetReveal(ctx, true); err != nil {
		t.Fatal(err)
	}
	st := NewStudent(ann, ascii(), func() time.Time { return epoch })
	waitRound(t, ann, 1)
	if err := ann.Bid(1, sim.PriceOf(0.5)); err != nil {
		t.Fatal(err)
	}
	feed(t, st, func(s room.State) bool { return s.Rounds >= 1 && s.Reveal && s.You.InRound })
	const note = "The trainer revealed every bid"
	st.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	v := st.View()
	if !strings.Contains(v, "value and bid") || !strings.Contains(v, "Price 0.") || strings.Contains(v, note) {
		t.Errorf("80×24: want the whole reveal and no note:\n%s", v)
	}
	if !strings.Contains(v, "Your bid (CPM)") {
		t.Errorf("80×24: the bid field gave way:\n%s", v)
	}
	if n := strings.Count(v, "\n") + 1; n > 24 {
		t.Errorf("80×24: %d lines:\n%s", n, v)
	}
	st.Update(tea.WindowSizeMsg{Width: 80, Height: 12})
	v = st.View()
	if strings.Contains(v, "value and bid") || !strings.Contains(v, note) {
		t.Errorf("80×12: want no reveal and the note:\n%s", v)
	}
	if n := strings.Count(v, "\n") + 1; n > 12 {
		t.Errorf("80×12: %d lines:\n%s", n, v)
	}
	st.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	v = st.View()
	if !strings.Contains(v, "value and bid") || !strings.Contains(v, "Leaderboard") || strings.Contains(v, note) {
		t.Errorf("100×40: want the reveal, the leaderboard and no note:\n%s", v)
	}
}
