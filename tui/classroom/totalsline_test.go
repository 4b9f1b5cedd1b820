package classroom

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// At 80×24 (and 23) with a full leaderboard the totals' table does not fit; the
// student still sees their own surplus so far, beside bidding their
// value, in one line above the leaderboard's rows, and every row.
func TestTotalsLineOnSmallScreen(t *testing.T) {
	rm := quietRoom(t, 3)
	ann, _ := Join(rm, "ann")
	a := NewStudent(ann, ascii(), func() time.Time { return epoch.Add(7 * time.Second) })
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	feed(t, a, func(s room.State) bool { return s.You.InRound })
	runCmd(a, func() tea.Cmd { a.entry.Input.SetValue("0.4"); return press(a, "enter") }())
	feed(t, a, func(s room.State) bool { return s.Round == 2 && s.You.Totals.Rounds == 1 })
	// A class of six, ann last: the board takes six lines.
	me := a.state.Board[0]
	var rows []room.Standing
	for i := range 5 {
		r := me
		r.Name = fmt.Sprintf("s%d", i)
		rows = append(rows, r)
	}
	a.state.Board = append(rows, me)
	// Distinct figures, so the line cannot show one for the other.
	y := *a.state.You
	y.Totals.Surplus, y.Totals.Truthful.Surplus = -sim.PriceOf(0.125), sim.PriceOf(0.25)
	a.state.You = &y
	// At 23 lines the blank line above the leaderboard goes too.
	for _, h := range []int{24, 23} {
		a.Update(tea.WindowSizeMsg{Width: 80, Height: h})
		v := a.View()
		if n := strings.Count(v, "\n") + 1; n > h {
			t.Fatalf("%d lines, more than %d:\n%s", n, h, v)
		}
		want := "Your surplus, 1 round: -0.125 (bidding your value: +0.250)"
		at, lb := strings.Index(v, want), strings.Index(v, "Leaderboard")
		if at < 0 || lb < 0 || at > lb {
			t.Errorf("height %d: no %q above the leaderboard:\n%s", h, want, v)
		}
		for _, row := range []string{"1. s0", "2. s1", "3. s2", "▸ 6. ann", "+2 more"} {
			if !strings.Contains(v, row) {
				t.Errorf("height %d: the leaderboard lacks %q:\n%s", h, row, v)
			}
		}
	}
}
