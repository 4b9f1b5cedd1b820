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
	// The exact spelling wins, whichever seat comes first.
	join(t, r, "ANN")
	ann := join(t, r, "Ann")
	if ev, err := r.KickSeat(ctx, "Ann"); err != nil || ev.Student != "Ann" || ev.Seat != ann.Seat {
		t.Errorf(`kick "Ann" beside "ANN": %q seat %d, %v`, ev.Student, ev.Seat, err)
	}
	// "ann" matches "ANN" and "Ann" only by case: neither is kicked.
	join(t, r, "Ann")
	_, err := r.KickSeat(ctx, "ann")
	if err == nil || !strings.Contains(err.Error(), `"ANN"`) || !strings.Contains(err.Error(), `"Ann"`) {
		t.Errorf(`kick "ann" beside "ANN" and "Ann": %v`, err)
	}
	for _, name := range []string{"ANN", "Ann"} {
		if _, err := r.KickSeat(ctx, name); err != nil {
			t.Errorf("%s was not seated still: %v", name, err)
		}
	}
}

// A student kicked (or gone) who comes back spelling their name with
// other capitals takes up their own standing again: one row on the
// board, not "Carol" and "carol" with the totals split. A name equal but
// for case to a student connected now stays a name of its own.
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
	if p := join(t, r, "CAROL"); p.Name != "CAROL" {
		t.Errorf(`"CAROL" beside a connected "Carol" joined as %q`, p.Name)
	}
	sess, err := r.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range sess.Board {
		names = append(names, b.Name)
	}
	if strings.Join(names, ",") != "Carol,CAROL" {
		t.Errorf("board %v, want Carol then CAROL", names)
	}
}
