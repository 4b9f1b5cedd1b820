package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestTimelineSkipsToTheEndOnceSettled: the replay ran on to 1.25 × tmax
// over empty rows after the page had its answer. Now, once the auction
// has closed and every answer has arrived, the clock goes to the end and
// the result shows at once; an answer arriving after the close (a late
// bid) is still drawn arriving first, which is what the deadline cut off.
func TestTimelineSkipsToTheEndOnceSettled(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	m.ctx.Shown.speed = runner.MinSpeed // 0.01×: 50 ms of wall time, 0.5 ms
	press(m, "v")
	tl := m.ctx.top().(*timeline)
	tl.follow = false // the synthetic auctions stay on screen
	base := tl.cur
	base.Tmax, base.RequestProcessing, base.BidderTmax = 100*sim.Millisecond, 0, 0
	answered := func(last sim.Response) sim.AuctionRecord {
		rec := base
		rec.Responses = make([]sim.Response, len(base.Responses))
		for i := range rec.Responses {
			rec.Responses[i] = sim.Response{Status: sim.NoBid, Time: 40 * sim.Millisecond}
		}
		rec.Responses[len(rec.Responses)-1] = last
		rec.Winner, rec.Price, rec.LostToTimeouts = -1, 0, 0
		return rec
	}

	// Every bidder answers by 60 ms: the page has its answer then.
	rec := answered(sim.Response{Status: sim.NoBid, Time: 60 * sim.Millisecond})
	rec.Close = rec.Start + 60*sim.Millisecond
	tl.start(rec)
	tickTimeline(m, 5*time.Second)
	if tl.play >= 60*sim.Millisecond {
		t.Fatalf("5s at 0.01×: the replay is at %v, before the close at 60ms", tl.play)
	}
	tickTimeline(m, 1500*time.Millisecond)
	if tl.play != tl.end() || tl.end() != 125*sim.Millisecond {
		t.Errorf("past the close with every answer in: the replay is at %v of %v, want the end, 125ms", tl.play, tl.end())
	}
	// What there is to watch: 60 ms at 0.01×, not 125 ms.
	if v := m.View(); !strings.Contains(v, "Without the deadline") || !strings.Contains(v, "0.01×: 6s to watch") {
		t.Errorf("the replay's end does not show at the close:\n%s", v)
	}

	// A late answer at 130 ms: the page has its answer at 100 ms, the
	// replay goes on until the late answer has arrived.
	rec = answered(sim.Response{Status: sim.NoBid, Time: 130 * sim.Millisecond})
	rec.Close = rec.Start + 100*sim.Millisecond
	tl.start(rec)
	tickTimeline(m, 11*time.Second)
	if tl.play <= 100*sim.Millisecond || tl.play >= 130*sim.Millisecond {
		t.Fatalf("11s at 0.01×: the replay is at %v, want between the close and the late answer", tl.play)
	}
	tickTimeline(m, 2500*time.Millisecond)
	if tl.play != tl.end() {
		t.Errorf("past the late answer: the replay is at %v of %v", tl.play, tl.end())
	}
}
