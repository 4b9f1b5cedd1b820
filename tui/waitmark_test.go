package tui

import (
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestWaitMarkOnlyForChangesThatMoveIt: the recent wait says "partly
// before the change" only where the change can move the wait. A floor
// raised in classroom-vickrey (no budgets, no caps) leaves every answer's
// time as it was, so a mark there is noise; tmax moves it; and in
// budget-split, where budgets decide who is in an auction, a floor can.
func TestWaitMarkOnlyForChangesThatMoveIt(t *testing.T) {
	for _, c := range []struct {
		scenario string
		change   sim.Change
		want     bool
		earlier  sim.Time // > 0: tmax changed this long before change
	}{
		{"classroom-vickrey", sim.SetFloor{Floor: sim.PriceOf(0.5)}, false, 0},
		{"classroom-vickrey", sim.SetAuction{Auction: sim.FirstPrice}, false, 0},
		{"classroom-vickrey", sim.SetTmax{Tmax: 50 * sim.Millisecond}, true, 0},
		{"budget-split", sim.SetFloor{Floor: sim.PriceOf(0.5)}, true, 0},
		// A floor raised just after tmax changed: the window still holds
		// auctions from before the tmax.
		{"classroom-vickrey", sim.SetFloor{Floor: sim.PriceOf(0.5)}, true, 100 * sim.Millisecond},
		// Long after: the window is all the new tmax's.
		{"classroom-vickrey", sim.SetFloor{Floor: sim.PriceOf(0.5)}, false, 15 * sim.Second},
	} {
		sc := bundled(t, c.scenario)
		eng := engineAt(t, sc, 20*sim.Second-c.earlier)
		if c.earlier > 0 {
			if err := eng.Apply(sim.SetTmax{Tmax: 50 * sim.Millisecond}); err != nil {
				t.Fatal(err)
			}
			eng.RunUntil(20 * sim.Second)
		}
		if err := eng.Apply(c.change); err != nil {
			t.Fatal(err)
		}
		eng.RunUntil(eng.Now() + 200*sim.Millisecond)
		s := eng.Snapshot()
		if s.Exchange.RecentWait.Count <= s.SinceChange.Auctions {
			t.Fatalf("%s: the recent wait (%d) does not reach before the change (%d since)", c.scenario, s.Exchange.RecentWait.Count, s.SinceChange.Auctions)
		}
		if got := waitBeforeChange(s); got != c.want {
			t.Errorf("%s after %T (tmax changed %v before): marked %v, want %v", c.scenario, c.change, c.earlier, got, c.want)
		}
	}
}
