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
