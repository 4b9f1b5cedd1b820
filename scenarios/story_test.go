package scenarios

import (
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestTimeoutStory checks that timeout-story's script tells its story in
// a run: late share up after metro degrades, down after tmax is raised,
// revenue back.
func TestTimeoutStory(t *testing.T) {
	s, err := Bundled("timeout-story")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Config.Script) != 2 || s.Stop.Duration != 2*sim.Minute {
		t.Fatalf("script %v, stop %+v", s.Config.Script, s.Stop)
	}
	e, err := sim.New(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(s.Stop.Duration)
	snap := e.Snapshot()
	if len(snap.Changes) != 2 || snap.Changes[0].At != 30*sim.Second || snap.Changes[1].At != 60*sim.Second {
		t.Fatalf("changes %v", snap.Changes)
	}
	// window sums the series over [from, to) seconds, leaving out the
	// seconds just after each change, when old auctions still close.
	window := func(from, to int) (late, revenue float64) {
		var lateBids, bids, auctions uint64
		var rev sim.Money
		for _, p := range snap.Series.Points {
			sec := int(p.Start / sim.Second)
			if sec < from || sec >= to {
				continue
			}
			auctions += p.Auctions
			rev += p.Revenue
			for _, b := range p.Bidders {
				lateBids += b.Late
				bids += b.Bids
			}
		}
		return float64(lateBids) / float64(bids), float64(rev) / float64(auctions) / float64(sim.PriceUnit)
	}
	late1, rev1 := window(2, 30)
	late2, rev2 := window(32, 60)
	late3, rev3 := window(62, 120)
	t.Logf("late share %.3f → %.3f → %.3f; revenue per auction %.3f → %.3f → %.3f CPM", late1, late2, late3, rev1, rev2, rev3)
	if !(late1 < 0.03 && late2 > late1+0.1) {
		t.Errorf("late share does not climb when metro degrades: %.3f → %.3f", late1, late2)
	}
	if !(late3 < late2/3) {
		t.Errorf("late share does not fall when tmax is raised: %.3f → %.3f", late2, late3)
	}
	if !(rev2 < 0.9*rev1 && rev3 > 0.97*rev1) {
		t.Errorf("revenue does not dip and return: %.3f → %.3f → %.3f", rev1, rev2, rev3)
	}
	// The curve over the whole run says a longer tmax would have earned more.
	c := snap.TmaxCurve
	if len(c) != 20 || c[5].Revenue >= c[14].Revenue {
		t.Errorf("tmax curve: %+v", c)
	}
}

// The header's qps under a daily shape is the current rate: overloaded-
// bidder runs at 50 qps × 0.35 = 17.5 at midnight, 50 × 1.8 = 90 at 14h.
func TestCurrentRateUnderShape(t *testing.T) {
	s, err := Bundled("overloaded-bidder")
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	if set := e.Snapshot().Settings; set.QPS != 50 || set.Rate != 17.5 {
		t.Errorf("at midnight qps %g rate %g, want 50 and 17.5", set.QPS, set.Rate)
	}
	e.RunUntil(14*sim.Hour + 30*sim.Minute)
	if set := e.Snapshot().Settings; set.Rate != 90 {
		t.Errorf("at 14:30 rate %g, want 90", set.Rate)
	}
}
