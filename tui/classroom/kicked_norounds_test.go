package classroom

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// TestKickedBeforeAnyRound: a student kicked before they played a round
// saw only "The trainer freed your seat. Thank you for playing!", though
// the README says a kicked student's screen ends with their totals; it
// now says they played no round, so there are none.
func TestKickedBeforeAnyRound(t *testing.T) {
	rm := quietRoom(t, 2)
	if _, err := Join(rm, "ann"); err != nil {
		t.Fatal(err)
	}
	bob, err := Join(rm, "bob")
	if err != nil {
		t.Fatal(err)
	}
	b := NewStudent(bob, ascii(), func() time.Time { return epoch })
	feed(t, b, func(s room.State) bool { return s.You != nil && s.You.Name == "bob" })
	if b.state.You.Totals.Rounds != 0 {
		t.Fatalf("bob played %d rounds before the kick", b.state.You.Totals.Rounds)
	}
	if _, err := rm.KickSeat(context.Background(), "bob"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-bob.Left():
	case <-time.After(limit):
		t.Fatal("bob was not kicked")
	}
	b.Update(leftMsg{})
	v := b.View()
	if !strings.Contains(v, "The trainer freed your seat") || !strings.Contains(v, "You played no round as bob, so there are no totals.") {
		t.Errorf("bob's last screen:\n%s", v)
	}
	if strings.Contains(v, "Your totals") {
		t.Errorf("totals of no round:\n%s", v)
	}
}
