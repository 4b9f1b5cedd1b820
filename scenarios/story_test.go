package scenarios

import (
	"fmt"
	"regexp"
	"strings"
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
	sets := 0 // steps that change the world; the rest are captions alone
	for _, st := range s.Config.Script {
		if len(st.Changes) > 0 {
			sets++
		}
	}
	if sets != 2 || s.Stop.Duration != 2*sim.Minute {
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
	// 20 to 400 ms in steps of 10: 120 ms and the script's 350 ms are on it.
	if len(c) != 39 || c[10].Tmax != 120*sim.Millisecond || c[33].Tmax != 350*sim.Millisecond || c[10].Revenue >= c[28].Revenue {
		t.Errorf("tmax curve: %+v", c)
	}
}

// timeout-story tells its story in captions (a step's say) for a trainer
// to read aloud: one from the start, at the file's tmax; every step that
// changes the world names a duration it sets ("160 ms", "350 ms"); and
// the last names the tmax curve's grid, for the what-if view.
func TestTimeoutStoryCaptions(t *testing.T) {
	s, err := Bundled("timeout-story")
	if err != nil {
		t.Fatal(err)
	}
	ms := func(d sim.Time) string { return fmt.Sprintf("%d ms", d/sim.Millisecond) }
	if len(s.Steps) < 3 || s.Steps[0].At != 0 || !strings.Contains(s.Steps[0].Say, ms(s.Config.Exchange.Tmax)) {
		t.Fatalf("no caption at the start naming tmax %s: %+v", ms(s.Config.Exchange.Tmax), s.Steps)
	}
	duration := regexp.MustCompile(`(\d+)ms`)
	for _, st := range s.Steps {
		if st.Say == "" {
			t.Errorf("the step at %v has no caption", st.At)
		}
		if len(st.Sets) == 0 {
			continue
		}
		named := false
		for _, set := range st.Sets {
			for _, m := range duration.FindAllStringSubmatch(set, -1) {
				named = named || strings.Contains(st.Say, m[1]+" ms")
			}
		}
		if !named {
			t.Errorf("the caption %q at %v names no duration of %v", st.Say, st.At, st.Sets)
		}
	}
	g := s.Config.Exchange.TmaxCurve
	if last := s.Steps[len(s.Steps)-1]; !strings.Contains(last.Say, fmt.Sprintf("%d to %s", g.From/sim.Millisecond, ms(g.To))) {
		t.Errorf("the last caption %q does not name the curve's grid %v to %v", last.Say, g.From, g.To)
	}
}

// The header's qps under a daily shape is the current rate: overloaded-
// bidder runs at 50 qps × 0.35 = 17.5 at midnight, 50 × 1.8 = 90 at 14h.
func TestCurrentRateUnderShape(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): a shaped day of traffic, ~9 s under -race")
	}
	_, e := bundledEngine(t, "overloaded-bidder")
	if set := e.Snapshot().Settings; set.QPS != 50 || set.Rate != 17.5 {
		t.Errorf("at midnight qps %g rate %g, want 50 and 17.5", set.QPS, set.Rate)
	}
	e.RunUntil(14*sim.Hour + 30*sim.Minute)
	if set := e.Snapshot().Settings; set.Rate != 90 {
		t.Errorf("at 14:30 rate %g, want 90", set.Rate)
	}
}

// TestPrebidServerStory checks the numbers prebid-server's description
// tells: the chain, the wait, the revenue, the knee, the net revenue and
// where it peaks, and how that moves with the abandonment assumed.
func TestPrebidServerStory(t *testing.T) {
	s, err := Bundled("prebid-server")
	if err != nil {
		t.Fatal(err)
	}
	run := func(per100ms float64) *sim.Snapshot {
		cfg := s.Config
		cfg.Exchange.Abandonment.Per100ms = per100ms
		e, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.RunUntil(s.Stop.Duration)
		return e.Snapshot()
	}
	snap := run(s.Config.Exchange.Abandonment.Per100ms)
	x, c := snap.Exchange, snap.TmaxCurve
	ms := func(t sim.Time) float64 { return float64(t) / float64(sim.Millisecond) }
	between := func(what string, got, lo, hi float64) {
		t.Helper()
		if !(got >= lo && got <= hi) {
			t.Errorf("%s is %.4g, the description needs it in [%g, %g]", what, got, lo, hi)
		}
	}
	if snap.Settings.Tmax != 1000*sim.Millisecond || snap.Settings.BidderTmax != 890*sim.Millisecond {
		t.Errorf("tmax %v, told %v; want 1000ms and 890ms", snap.Settings.Tmax, snap.Settings.BidderTmax)
	}
	between("the mean wait (484 ms)", ms(x.Wait.Mean), 475, 495)
	between("the wait's p95 (the whole second)", ms(x.Wait.P95), 990, 1010)
	between("revenue per auction (1.85)", x.RevenuePerAuction(), 1.845, 1.855)
	between("net revenue per auction (1.64)", x.NetRevenuePerAuction(), 1.635, 1.645)
	if !snap.TmaxCurveExact {
		t.Error("the curve is not exact: the what-if panel would say it holds bids fixed")
	}
	a := sim.AdviseTmax(c)
	last := c[len(c)-1].Tmax
	knee, ok := sim.CurveAt(c, a.Knee95)
	if a.Knee95 != 550*sim.Millisecond || !ok || a.Knee95 >= last {
		t.Errorf("knee %v (grid to %v), want 550ms", a.Knee95, last)
	}
	between("the knee's revenue (1.78)", knee.RevenuePerAuction(), 1.775, 1.785)
	between("the knee's mean wait (418 ms)", ms(knee.WaitMean), 412, 424)
	// Net revenue peaks inside the grid, on a flat top: the grid's 50 ms
	// steps put the peak anywhere from 640 to 880 ms as the draws fall
	// (700 ms at seed 18; 820 ms on the 60 ms grid before, 720 ms on the
	// 70 ms one). The description names this run's peak, which the run's
	// own advice (run's table, the what-if panel's whole-run figure) shows
	// beside it: before, it said near 800 ms where the run said 700 ms.
	if want := fmt.Sprintf("best net tmax at %.0f ms", ms(a.MaxNetRevenue)); !strings.Contains(s.Description, want) {
		t.Errorf("the description does not say %q, the run's own advice", want)
	}
	if a.MaxNetRevenue <= c[0].Tmax || a.MaxNetRevenue >= last {
		t.Errorf("net revenue peaks at %v, not inside the grid %v–%v", a.MaxNetRevenue, c[0].Tmax, last)
	}
	between("the best net tmax (700 ms)", ms(a.MaxNetRevenue), 640, 880)
	for _, pt := range c {
		if pt.Tmax >= 640*sim.Millisecond && pt.Tmax <= 880*sim.Millisecond {
			if best, _ := sim.CurveAt(c, a.MaxNetRevenue); pt.NetRevenue < best.NetRevenue*999/1000 {
				t.Errorf("net revenue at %v is %v, not within 0.1%% of its peak %v: the top is not flat from 640 to 880 ms", pt.Tmax, pt.NetRevenue, best.NetRevenue)
			}
		}
	}
	best, _ := sim.CurveAt(c, a.MaxNetRevenue)
	if end := c[len(c)-1]; !(end.NetRevenue < best.NetRevenue*99/100) {
		t.Errorf("net revenue at the grid's end %v is not clearly below its peak %v", end.NetRevenue, best.NetRevenue)
	}
	// The assumption moves the answer: twice the leaving, a shorter tmax;
	// nobody leaving, the longest.
	between("the best net tmax at per_100ms 0.1 (400 ms)", ms(sim.AdviseTmax(run(0.1).TmaxCurve).MaxNetRevenue), 300, 440)
	if got := sim.AdviseTmax(run(0).TmaxCurve).MaxNetRevenue; got != last {
		t.Errorf("with nobody leaving net revenue peaks at %v, want the grid's end %v", got, last)
	}
}
