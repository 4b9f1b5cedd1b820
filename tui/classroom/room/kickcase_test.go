package room

import (
	"strings"
	"testing"
	"time"
)

// A name to kick matches whatever its case (Unicode-aware), preferring
// the seat spelled exactly so; two seats that match only by case are not
// guessed between.
func TestKickIgnoresCase(t *testing.T) {
	r := startRoom(t, 4, 4, &fakeClock{now: time.Unix(0, 0)})
	ctx := ctl(t)
	zoe := join(t, r, "Zoë 日本")
	if ev, err := r.KickSeat(ctx, "zoë 日本"); err != nil || ev.Student != "Zoë 日本" || ev.Seat != zoe.Seat {
		t.Errorf(`kick "zoë 日本": %q seat %d, %v; want "Zoë 日本" seat %d`, ev.Student, ev.Seat, err, zoe.Seat)
	}
	if _, err := r.KickSeat(ctx, "ZOË 日本"); err == nil {
		t.Error("kicked Zoë twice")
	}
	// Names equal but for case are one student's: a second login as
	// "Ann" beside "ANN" is a namesake, "ANN-2", and "ann" kicks "ANN".
	join(t, r, "ANN")
	ann2 := join(t, r, "Ann")
	if ann2.Name != "ANN-2" {
		t.Errorf(`"Ann" beside "ANN" joined as %q, want "ANN-2"`, ann2.Name)
	}
	if ev, err := r.KickSeat(ctx, "ann-2"); err != nil || ev.Student != "ANN-2" || ev.Seat != ann2.Seat {
		t.Errorf(`kick "ann-2": %q seat %d, %v`, ev.Student, ev.Seat, err)
	}
	if ev, err := r.KickSeat(ctx, "ann"); err != nil || ev.Student != "ANN" {
		t.Errorf(`kick "ann": %q, %v; want "ANN"`, ev.Student, err)
	}
}

// A student kicked (or gone) who comes back spelling their name with
// other capitals takes up their own standing again: one row on the
// board, not "Carol" and "carol" with the totals split. A login equal
// but for case to a student connected now is a namesake, as the same
// name twice is: "Carol-2".
func TestRejoinIgnoresCase(t *testing.T) {
	r := startRoom(t, 4, 4, &fakeClock{now: time.Unix(0, 0)})
	ctx := ctl(t)
	join(t, r, "Carol")
	if _, err := r.Kick(ctx, "Carol"); err != nil {
		t.Fatal(err)
	}
	if p := join(t, r, "carol"); p.Name != "Carol" {
		t.Errorf(`"carol" rejoined as %q, not "Carol"`, p.Name)
	}
	if p := join(t, r, "CAROL"); p.Name != "Carol-2" {
		t.Errorf(`"CAROL" beside a connected "Carol" joined as %q, want "Carol-2"`, p.Name)
	}
	sess, err := r.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range sess.Board {
		names = append(names, b.Name)
	}
	if strings.Join(names, ",") != "Carol,Carol-2" {
		t.Errorf("board %v, want Carol then Carol-2", names)
	}
}

// "ann" and "ANN" are never two students seated at once, and when ann
// leaves while her namesake stays, "Ann" coming back takes up ann's
// standing (the rounds she played), not a new empty row.
func TestCaseNamesakeThenRejoin(t *testing.T) {
	r := startRoom(t, 3, 3, &fakeClock{now: time.Unix(0, 0)})
	ctx := ctl(t)
	ann := join(t, r, "ann")
	s := next(t, ann.Updates(), "ann in round 1", inRound(1))
	other := join(t, r, "ANN")
	if other.Name == "ANN" || !strings.EqualFold(other.Name, "ann-2") {
		t.Fatalf(`"ANN" beside a seated "ann" joined as %q, want "ann-2"`, other.Name)
	}
	if err := ann.Bid(1, s.You.Value); err != nil {
		t.Fatal(err)
	}
	next(t, ann.Updates(), "round 1 closed", func(s State) bool { return s.Round >= 2 })
	ann.Leave()
	back := join(t, r, "Ann")
	if back.Name != "ann" {
		t.Fatalf(`"Ann" came back as %q, not "ann"`, back.Name)
	}
	sess, err := r.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, b := range sess.Board {
		rows = append(rows, b.Name)
		if b.Name == "ann" && b.Rounds < 1 {
			t.Errorf("ann's standing lost her round: %+v", b.Totals)
		}
	}
	if strings.Join(rows, ",") != "ann,ann-2" {
		t.Errorf("board %v, want ann then ann-2", rows)
	}
}
