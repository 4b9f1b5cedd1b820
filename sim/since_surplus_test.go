package sim_test

import (
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestSinceChangeSurplus: the surplus since a change is what each
// bidder's surplus (value less spend) grew by since it, per auction
// since it; it read NaN, not counted, so no view could set a simulated
// surplus beside the closed form's after a change.
func TestSinceChangeSurplus(t *testing.T) {
	sc, err := scenarios.Bundled("classroom-vickrey")
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(3000)
	if err := e.Apply(sim.SetFloor{Floor: sim.PriceOf(0.3)}); err != nil {
		t.Fatal(err)
	}
	before := e.Snapshot()
	e.RunAuctions(4000)
	after := e.Snapshot()
	n := float64(after.SinceChange.Auctions)
	values := sim.MetricValues(after)
	for i, b := range after.Bidders {
		grew := float64(b.Surplus()-before.Bidders[i].Surplus()) / float64(sim.PriceUnit) / n
		_, _, got, ok := after.BidderPerAuction(b.Name, true)
		if !ok || math.IsNaN(got) || math.Abs(got-grew) > 1e-9 || grew <= 0 {
			t.Errorf("%s: surplus since the change %v, want %v", b.Name, got, grew)
		}
		if v := values["since_change.bidders."+b.Name+".surplus_per_auction"]; math.Abs(v-grew) > 1e-9 {
			t.Errorf("catalogue since_change.bidders.%s.surplus_per_auction = %v, want %v", b.Name, v, grew)
		}
	}
}
