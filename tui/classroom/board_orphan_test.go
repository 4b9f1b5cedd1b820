package classroom

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// TestTrainerBoardNeverHeadless: on a terminal too short for even one
// leaderboard row, the trainer's screen does not end in a bare
// "Leaderboard" heading over a count of cut lines, which reads as a room
// with no standings; either rows stand under the heading, or one line says
// how many students a taller terminal would rank.
func TestTrainerBoardNeverHeadless(t *testing.T) {
	rm := quietRoom(t, 3)
	for _, name := range []string{"ann", "bob", "cyd"} {
		if _, err := Join(rm, name); err != nil {
			t.Fatal(err)
		}
	}
	tr := NewTrainer(TrainerOptions{Room: rm, Renderer: ascii()})
	defer tr.cancel()
	watchUntil(t, tr, "round 1", func(s room.State) bool { return s.Round == 1 && s.Seats[2].Student != "" })
	for range 4 {
		do(t, tr, press(tr, "c"))
	}
	do(t, tr, press(tr, "r")) // the reveal's status line takes two more lines, as in class
	watchUntil(t, tr, "four rounds", func(s room.State) bool { return s.Rounds == 4 && s.Reveal && len(s.Board) == 3 })
	for h := 12; h <= 40; h++ {
		tr.Update(tea.WindowSizeMsg{Width: 80, Height: h})
		v := tr.View()
		if n := strings.Count(v, "\n") + 1; n > h {
			t.Errorf("80×%d: %d lines", h, n)
		}
		lines := strings.Split(v, "\n")
		for i, l := range lines {
			if !strings.HasPrefix(l, "Leaderboard") {
				continue
			}
			next := ""
			if i+1 < len(lines) {
				next = lines[i+1]
			}
			if !strings.Contains(l, "taller terminal") && !strings.Contains(next, ". ") {
				t.Errorf("80×%d: a leaderboard heading with no row under it:\n%s", h, v)
			}
		}
	}
}
