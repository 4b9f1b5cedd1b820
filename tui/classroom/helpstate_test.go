package classroom

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// TestStudentHelpFollowsTheState: the student's help, short and full,
// lists bid and pass while they may bid, and not once they have bid and
// wait for the others, when those keys do nothing.
func TestStudentHelpFollowsTheState(t *testing.T) {
	rm := quietRoom(t, 2)
	p, err := Join(rm, "ann")
	if err != nil {
		t.Fatal(err)
	}
	// Round 1 was dealt for ann alone (bob joined during it): she passes
	// it; in round 2 bob never bids, so it stays open after ann's bid.
	if _, err := Join(rm, "bob"); err != nil {
		t.Fatal(err)
	}
	waitRound(t, p, 1)
	if err := p.Pass(1); err != nil {
		t.Fatal(err)
	}
	m := NewStudent(p, ascii(), func() time.Time { return epoch.Add(12 * time.Second) })
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	feed(t, m, func(s room.State) bool { return s.Round == 2 && s.You.InRound && s.InRound == 2 })
	// The help's columns: "enter bid", "p     pass" in the full help.
	check := func(when string, want, not []string) {
		t.Helper()
		v := m.View()
		for _, w := range want {
			if !strings.Contains(v, w) {
				t.Errorf("%s: the screen lacks %q:\n%s", when, w, v)
			}
		}
		for _, w := range not {
			if strings.Contains(v, w) {
				t.Errorf("%s: the help lists %q:\n%s", when, w, v)
			}
		}
	}
	check("bidding", []string{"enter bid", "p pass", "q leave"}, nil)
	press(m, "?")
	check("bidding, full help", []string{"enter bid", "p     pass", "q leave"}, nil)
	m.entry.Input.SetValue("0.6")
	runCmd(m, press(m, "enter"))
	if m.sent != 2 || m.bidding() {
		t.Fatalf("after enter: sent %d, bidding %v", m.sent, m.bidding())
	}
	feed(t, m, func(s room.State) bool { return s.Round == 2 && s.BidsIn == 1 })
	if m.state.Round != 2 || !m.state.You.HasBid {
		t.Fatalf("ann's bid closed the round or was not taken: %+v", m.state)
	}
	check("waiting, full help", []string{"Waiting for the others", "q leave", "? help"}, []string{"enter bid", "p pass", "p     pass"})
	press(m, "?")
	check("waiting", []string{"Waiting for the others", "q leave", "? help"}, []string{"enter bid", "p pass", "p     pass"})
}
