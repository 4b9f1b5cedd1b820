package classroom

import (
	"context"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// A student who typed nothing in a round the trainer closed is "no bid"
// in the export, as on the screen (the reveal's bidText), in the seats and
// in the bidders. (The leaderboard counts it in no_bids, not late.)
func TestExportNoBid(t *testing.T) {
	cfg := testRoomConfig(2, 30*time.Second)
	cfg.Clock = fixedClock{epoch}
	rm, ctx := runRoom(t, cfg)
	if _, err := Join(rm, "ann"); err != nil {
		t.Fatal(err)
	}
	watch := rm.Watch(ctx)
	waitRoom(t, watch, "ann in round 1", func(s room.State) bool { return s.Round == 1 && s.InRound == 1 })
	if err := rm.CloseNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitRoom(t, watch, "round 1 closed", func(s room.State) bool { return s.Rounds >= 1 })
	var out struct {
		Rounds []struct {
			Seats []struct {
				Student string   `json:"student"`
				Status  string   `json:"status"`
				Bid     *float64 `json:"bid"`
			} `json:"seats"`
			Bidders []struct {
				Student string   `json:"student"`
				Status  string   `json:"status"`
				Bid     *float64 `json:"bid"`
			} `json:"bidders"`
		} `json:"rounds"`
	}
	exportSession(t, ctx, rm, &out)
	if len(out.Rounds) == 0 {
		t.Fatal("no round exported")
	}
	r := out.Rounds[0]
	found := 0
	for _, s := range r.Seats {
		if s.Student == "ann" {
			found++
			if s.Status != "no bid" || s.Bid != nil {
				t.Errorf("ann's seat: status %q, bid %v; want no bid", s.Status, s.Bid)
			}
		}
	}
	for _, b := range r.Bidders {
		if b.Student == "ann" {
			found++
			if b.Status != "no bid" || b.Bid != nil {
				t.Errorf("ann's bidder: status %q, bid %v; want no bid", b.Status, b.Bid)
			}
		}
	}
	if found != 2 {
		t.Errorf("ann found %d times in seats and bidders, want 2", found)
	}
}
