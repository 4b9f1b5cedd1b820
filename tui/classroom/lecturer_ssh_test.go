package classroom

import (
	"context"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// A lecturer's class over real SSH with two students: a frozen student
// does not hold the round (close now), a pause shows on the screens, the
// reveal shows every bid (robots' too) on the students' screens, and a
// kicked student's session ends with their totals.
func TestSSHLecturer(t *testing.T) {
	srv := startServer(t, testRoomConfig(2, time.Hour), "")
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	watch := srv.room.Watch(ctx)
	alice := srv.connect(t, "alice")
	waitRoom(t, watch, "alice seated", func(s room.State) bool { return seatOf(s, "alice") >= 0 && s.Round == 1 })
	bob := srv.connect(t, "bob")
	waitRoom(t, watch, "bob seated", func(s room.State) bool { return seatOf(s, "bob") >= 0 })
	// Round 1 was dealt for alice alone; close it so both play round 2.
	if err := srv.room.CloseNow(ctx); err != nil {
		t.Fatal(err)
	}
	waitRoom(t, watch, "round 2 with both", func(s room.State) bool { return s.Round == 2 && s.InRound == 2 })
	alice.waitOutput(t, "Round 2")
	if err := srv.room.Pause(ctx); err != nil {
		t.Fatal(err)
	}
	alice.waitOutput(t, "paused by the trainer")
	if _, err := alice.in.Write([]byte("0.5\r")); err != nil {
		t.Fatal(err)
	}
	waitRoom(t, watch, "alice's bid", func(s room.State) bool { return s.BidsIn == 1 })
	// Bob is frozen: the lecturer reveals and closes the round now.
	if err := srv.room.SetReveal(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := srv.room.CloseNow(ctx); err != nil {
		t.Fatal(err)
	}
	waitRoom(t, watch, "round 2 closed", func(s room.State) bool { return s.Rounds == 2 && s.Reveal })
	for _, st := range []*student{alice, bob} {
		st.waitOutput(t, "Round 2 revealed")
		st.waitOutput(t, "(robot)")
		st.waitOutput(t, "0.500")
	}
	bob.waitOutput(t, "No bid from you before the deadline")
	if _, err := srv.room.Kick(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	bob.waitOutput(t, "The trainer freed your seat")
	bob.waitOutput(t, "Your totals as bob, 1 round")
	ended := make(chan error, 1)
	go func() { ended <- bob.sess.Wait() }()
	select {
	case <-ended:
	case <-time.After(limit):
		t.Fatal("the kicked student's session did not end")
	}
	// Alice plays on: n lifts the pause and deals round 3.
	if err := srv.room.Next(ctx); err != nil {
		t.Fatal(err)
	}
	alice.waitOutput(t, "Round 3")
}
