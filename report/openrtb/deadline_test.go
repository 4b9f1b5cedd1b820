package openrtb

import (
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// With tmax adjustments the BidRequest carries the deadline bidders are
// told, and a bidder that respects it declines with nbr 503.
func TestToldDeadline(t *testing.T) {
	cfg := specWorld(sim.SecondPrice)
	cfg.Exchange.TmaxAdjustments = sim.TmaxAdjustments{NetworkBuffer: 30 * sim.Millisecond, ResponsePreparation: 10 * sim.Millisecond}
	cfg.Bidders[3].RespectsTmax = true // "late": 150 ms against the 80 ms it is told
	recs, seats := run(t, cfg, 3)
	for _, rec := range recs {
		a, err := FromRecord(rec, seats)
		if err != nil {
			t.Fatal(err)
		}
		if a.Request.TMax != 80 {
			t.Errorf("request tmax %d, want 80 (120 − 30 − 10)", a.Request.TMax)
		}
		r := a.Responses[3]
		if r.Seat != "late" || r.Status != "no bid" || r.Response == nil || intOr(r.Response.NBR) != NoBidDeadline {
			t.Errorf("late: %+v", r)
		}
		if a.Outcome.Price != 0.91 {
			t.Errorf("price %g, want 0.91 as in the spec", a.Outcome.Price)
		}
	}
}
