package classroom

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// TestEmptyRoomSaysWhoStarts: before anyone joins, the trainer's screen
// says that the first student to join starts round 1 and that p holds it,
// so that a lecturer can wait for the class rather than have the others
// sit out a round; once p is pressed it says how round 1 will come.
func TestEmptyRoomSaysWhoStarts(t *testing.T) {
	rm := quietRoom(t, 3)
	tr := NewTrainer(TrainerOptions{Room: rm, Renderer: ascii()})
	defer tr.cancel()
	tr.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	watchUntil(t, tr, "the empty room", func(s room.State) bool { return s.Rounds == 0 && s.Round == 0 })
	if v := tr.View(); !strings.Contains(v, "the first student to join starts round 1 (p holds it") {
		t.Errorf("empty room:\n%s", v)
	}
	do(t, tr, press(tr, "p"))
	watchUntil(t, tr, "the pause", func(s room.State) bool { return s.Paused })
	if v := tr.View(); !strings.Contains(v, "PAUSED · p or n deals the first round") || strings.Contains(v, "first student to join") {
		t.Errorf("paused empty room:\n%s", v)
	}
	if _, err := Join(rm, "ann"); err != nil {
		t.Fatal(err)
	}
	watchUntil(t, tr, "ann seated", func(s room.State) bool { return s.Seats[0].Student == "ann" })
	if tr.state.Round != 0 {
		t.Errorf("a student's login dealt round %d while paused", tr.state.Round)
	}
}
