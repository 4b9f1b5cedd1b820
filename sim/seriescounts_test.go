package sim

import (
	"reflect"
	"testing"
)

// TestSeriesBidderCounts checks the series' bid requests, bids and late
// bids per bidder and interval, which the close no longer counts per
// response (they are the bidders' counters' differences across each
// interval): each point's are what the bidders' totals grew by over its
// interval, a clone's series goes on as the original's does, and after
// halving the points still sum to the totals.
func TestSeriesBidderCounts(t *testing.T) {
	cfg := perfConfig()
	cfg.Interval = 100 * Millisecond
	e := mustNew(t, cfg)
	const points = 40
	totals := make([][]BidderStats, points+1)
	totals[0] = e.Counters().Bidders
	var c *Engine
	for j := 1; j <= points; j++ {
		e.RunUntil(Time(j)*cfg.Interval - 1) // the closes at j·width belong to point j
		totals[j] = e.Counters().Bidders
		if j == points/2 {
			c = e.Clone()
		}
	}
	s := e.Snapshot()
	if len(s.Series.Points) < points {
		t.Fatalf("%d points, want %d", len(s.Series.Points), points)
	}
	for j := range points {
		for i, bp := range s.Series.Points[j].Bidders {
			a, b := totals[j][i], totals[j+1][i]
			if bp.BidRequests != b.BidRequests-a.BidRequests || bp.Bids != b.Bids-a.Bids || bp.Late != b.Late-a.Late {
				t.Fatalf("point %d, %s: %d requests, %d bids, %d late; the totals grew by %d, %d, %d", j, b.Name,
					bp.BidRequests, bp.Bids, bp.Late, b.BidRequests-a.BidRequests, b.Bids-a.Bids, b.Late-a.Late)
			}
		}
	}
	if s.Series.Points[points/2].Bidders[7].Late == 0 {
		t.Fatal("the world should have late bids mid-run")
	}
	c.RunUntil(points*cfg.Interval - 1)
	if got := c.Snapshot().Series; !reflect.DeepEqual(got, s.Series) {
		t.Error("the clone's series differs from the original's")
	}
	// Past seriesCap points the series halves; the sums still hold.
	e.RunUntil(Time(seriesCap+500) * cfg.Interval)
	s = e.Snapshot()
	for i, st := range s.Bidders {
		var sum BidderPoint
		for _, p := range s.Series.Points {
			sum.add(p.Bidders[i])
		}
		if sum.BidRequests != st.BidRequests || sum.Bids != st.Bids || sum.Late != st.Late {
			t.Errorf("%s after halving: the points sum to %d, %d, %d; the totals are %d, %d, %d", st.Name,
				sum.BidRequests, sum.Bids, sum.Late, st.BidRequests, st.Bids, st.Late)
		}
	}
	if s.Series.Width == cfg.Interval {
		t.Error("the series should have halved")
	}
}
