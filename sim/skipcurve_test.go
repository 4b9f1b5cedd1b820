package sim

import (
	"math"
	"testing"
)

// prebidAdjustments are the prebid-server scenario's tmax_adjustments:
// 110 ms of adjustments and a bidder_response_min of 150 ms, so the skip
// rule calls no bidder below a tmax of 260 ms.
var prebidAdjustments = TmaxAdjustments{
	RequestProcessing: 20 * Millisecond, NetworkBuffer: 60 * Millisecond,
	ResponsePreparation: 30 * Millisecond, BidderResponseMin: 150 * Millisecond,
}

// skipWorld is curveWorld behind Prebid Server's deadline chain at a tmax
// of 200 ms: bidders are told 90 ms, below bidder_response_min, so no
// auction sends a bid request.
func skipWorld() Config {
	cfg := curveWorld(FirstPrice)
	cfg.Exchange.Tmax = 200 * Millisecond
	cfg.Exchange.TmaxAdjustments = prebidAdjustments
	cfg.Exchange.Abandonment = Abandonment{Per100ms: 0.2, Grace: 60 * Millisecond}
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	return cfg
}

// TestTmaxCurveCensoredAtTheSkipRule: an auction the skip rule left
// unsent drew no bids, so what it would have got at a tmax where the rule
// does not apply is unknown: the curve is settled only up to the longest
// deadline of its grid at which the rule applies too (240 ms; at 260 ms
// bidders are told 150 ms and called), and each settled point is what a
// run at that tmax gives. The advice, which would name a point of an all
// zero curve, is unknown, and a point above the boundary is in no metric.
func TestTmaxCurveCensoredAtTheSkipRule(t *testing.T) {
	const d = 4 * Second
	cfg := skipWorld()
	e := mustNew(t, cfg)
	runDrained(t, e, d)
	s := e.Snapshot()
	if s.Exchange.Unsent == 0 || s.Exchange.BidRequests != 0 {
		t.Fatalf("unsent %d, bid requests %d: the skip rule must keep every bid request back", s.Exchange.Unsent, s.Exchange.BidRequests)
	}
	if s.TmaxCurveCensoredAbove != 240*Millisecond || s.TmaxCurveCensoredBy != CensoredBySkipRule {
		t.Fatalf("censored above %v by %v, want 240ms by the skip rule", s.TmaxCurveCensoredAbove, s.TmaxCurveCensoredBy)
	}
	if n := len(s.TmaxCurve); n != 12 || s.TmaxCurve[n-1].Tmax != 240*Millisecond || len(s.TmaxCurveRecent) != n {
		t.Fatalf("%d points (recent %d) up to %v, want 12 up to 240ms", n, len(s.TmaxCurveRecent), s.TmaxCurve[n-1].Tmax)
	}
	for _, p := range s.TmaxCurve {
		sep := skipWorld()
		sep.Exchange.Tmax = p.Tmax
		if sep.Exchange.TmaxAdjustments.BidderTmax(p.Tmax) <= 0 {
			continue // no time left for bidders: not a valid run
		}
		matchesRun(t, p, sep, d)
	}
	if a := AdviseTmaxSettled(s.TmaxCurve, s.TmaxCurveCensoredAbove); a != (TmaxAdvice{}) {
		t.Errorf("advice %+v over a curve settled only where nothing is sent", a)
	}
	m := MetricValues(s)
	if v := m["tmax_curve_censored_above_ms"]; v != 240 {
		t.Errorf("tmax_curve_censored_above_ms %v, want 240", v)
	}
	for _, k := range []string{"tmax_advice.max_revenue_tmax_ms", "tmax_advice.tmax_ms_95", "tmax_advice.max_net_revenue_tmax_ms"} {
		if v := m[k]; !math.IsNaN(v) {
			t.Errorf("%s %v, want NaN", k, v)
		}
	}
	if _, ok := m["tmax_curve.260ms.revenue"]; ok {
		t.Error("a point above the skip rule's boundary is in the metrics")
	}

	// At a tmax where the rule does not apply nothing is censored.
	cfg.Exchange.Tmax = 300 * Millisecond
	e = mustNew(t, cfg)
	e.RunAuctions(200)
	if s := e.Snapshot(); s.Exchange.Unsent != 0 || s.TmaxCurveCensoredAbove != 0 || s.TmaxCurveCensoredBy != 0 {
		t.Errorf("tmax 300ms: unsent %d, censored above %v by %v; want nothing", s.Exchange.Unsent, s.TmaxCurveCensoredAbove, s.TmaxCurveCensoredBy)
	}
}

// TestTmaxCurveSkipRuleBelowTheGrid: where no point of the grid is one
// at which the skip rule applies, an unsent auction leaves none settled:
// the curve stops at the run's tmax, below the grid's first point.
func TestTmaxCurveSkipRuleBelowTheGrid(t *testing.T) {
	cfg := skipWorld()
	cfg.Exchange.TmaxCurve = TmaxGrid{From: 300 * Millisecond, To: 500 * Millisecond, Step: 100 * Millisecond}
	e := mustNew(t, cfg)
	e.RunAuctions(200)
	s := e.Snapshot()
	if s.TmaxCurve == nil || len(s.TmaxCurve) != 0 || s.TmaxCurveCensoredAbove != 200*Millisecond || s.TmaxCurveCensoredBy != CensoredBySkipRule {
		t.Errorf("curve %v censored above %v by %v, want [] above 200ms by the skip rule", s.TmaxCurve, s.TmaxCurveCensoredAbove, s.TmaxCurveCensoredBy)
	}
	// A grid whose every point the rule applies at is settled whole.
	cfg.Exchange.TmaxCurve = TmaxGrid{From: 100 * Millisecond, To: 240 * Millisecond, Step: 20 * Millisecond}
	e = mustNew(t, cfg)
	e.RunAuctions(200)
	if s := e.Snapshot(); len(s.TmaxCurve) != 8 || s.TmaxCurveCensoredAbove != 0 || s.TmaxCurveCensoredBy != 0 {
		t.Errorf("%d points censored above %v by %v, want all 8 and nothing censored", len(s.TmaxCurve), s.TmaxCurveCensoredAbove, s.TmaxCurveCensoredBy)
	}
}

// TestTmaxCurveCensorsLowerWins: the wire and the skip rule each censor
// the curve; the lower deadline wins and names its cause, both when they
// are the same.
func TestTmaxCurveCensorsLowerWins(t *testing.T) {
	g := TmaxGrid{From: 20 * Millisecond, To: 400 * Millisecond, Step: 20 * Millisecond}
	for _, c := range []struct {
		wire, skip Time
		above      Time
		by         CurveCensor
	}{
		{0, 0, 0, 0},
		{120 * Millisecond, 0, 120 * Millisecond, CensoredOnTheWire},
		{0, 240 * Millisecond, 240 * Millisecond, CensoredBySkipRule},
		{120 * Millisecond, 240 * Millisecond, 120 * Millisecond, CensoredOnTheWire},
		{300 * Millisecond, 240 * Millisecond, 240 * Millisecond, CensoredBySkipRule},
		{240 * Millisecond, 240 * Millisecond, 240 * Millisecond, CensoredOnTheWire | CensoredBySkipRule},
		{400 * Millisecond, 0, 0, 0}, // at the grid's last point: nothing above
	} {
		cv := newTmaxCurve(g, 1, Abandonment{}, false, prebidAdjustments)
		if c.wire > 0 {
			cv.censor(c.wire)
		}
		if c.skip > 0 {
			cv.censorSkip(c.skip)
		}
		if above, by := cv.censoredBy(); above != c.above || by != c.by {
			t.Errorf("wire %v, skip %v: censored above %v by %v, want %v by %v", c.wire, c.skip, above, by, c.above, c.by)
		}
	}
}

// TestTmaxCurveSkipRuleWithNoBidderEnabled: with every bidder disabled
// the skip rule keeps no bid request back (none unsent): no auction would
// get a bid at any deadline, so nothing is censored.
func TestTmaxCurveSkipRuleWithNoBidderEnabled(t *testing.T) {
	cfg := skipWorld()
	for i := range cfg.Bidders {
		cfg.Bidders[i].Disabled = true
	}
	e := mustNew(t, cfg)
	e.RunAuctions(200)
	s := e.Snapshot()
	if s.Exchange.Unsent != 0 || s.TmaxCurveCensoredAbove != 0 || len(s.TmaxCurve) != 20 {
		t.Errorf("unsent %d, censored above %v, %d points: want none, nothing, 20", s.Exchange.Unsent, s.TmaxCurveCensoredAbove, len(s.TmaxCurve))
	}
}

// TestTmaxCurveSkipRuleRestartsOnAChangeOfTmax: kept, a curve the skip
// rule stopped would stay stopped at its boundary after tmax moves to
// where bidders are called, even along the grid (200 ms to 300 ms); so,
// as on the wire, a change of tmax starts it afresh, and the auctions
// left unsent before the change, in flight then, are left out of it. A
// change into the rule keeps a curve that it had not stopped, which the
// auctions left unsent then stop.
func TestTmaxCurveSkipRuleRestartsOnAChangeOfTmax(t *testing.T) {
	cfg := skipWorld()
	for _, before := range []Time{2 * Second, 10 * Millisecond} { // the second before any unsent auction has closed
		e := mustNew(t, cfg)
		e.RunUntil(before)
		if s := e.Snapshot(); before > Second && s.TmaxCurveCensoredAbove != 240*Millisecond {
			t.Fatalf("at tmax 200ms censored above %v, want 240ms", s.TmaxCurveCensoredAbove)
		}
		if !FollowGrid(200 * Millisecond).Has(300 * Millisecond) {
			t.Fatal("300ms is not on 200ms's grid")
		}
		if err := e.Apply(SetTmax{Tmax: 300 * Millisecond}); err != nil {
			t.Fatal(err)
		}
		from := e.Now()
		e.RunUntil(before + 2*Second)
		s := e.Snapshot()
		if s.TmaxCurveCensoredAbove != 0 || s.TmaxCurveCensoredBy != 0 || s.TmaxCurveFrom != from {
			t.Fatalf("after %v at 200ms, then 300ms: censored above %v by %v, curve from %v; want nothing censored, from %v",
				before, s.TmaxCurveCensoredAbove, s.TmaxCurveCensoredBy, s.TmaxCurveFrom, from)
		}
		p, ok := CurveAt(s.TmaxCurve, 300*Millisecond)
		since := s.SinceChange.Auctions
		if !ok || p.Auctions == 0 || p.Auctions > since || since-p.Auctions > 50 || p.Revenue == 0 {
			t.Errorf("at 300ms the restarted curve settled %d auctions (revenue %v) of the %d closed since the change", p.Auctions, p.Revenue, since)
		}
	}

	// Into the rule along the grid: the curve is kept, and stopped.
	cfg.Exchange.Tmax = 300 * Millisecond
	e := mustNew(t, cfg)
	e.RunUntil(Second)
	if err := e.Apply(SetTmax{Tmax: 200 * Millisecond}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(2 * Second)
	if s := e.Snapshot(); s.TmaxCurveFrom != 0 || s.TmaxCurveCensoredAbove != 240*Millisecond || s.TmaxCurveCensoredBy != CensoredBySkipRule {
		t.Errorf("300ms then 200ms: curve from %v, censored above %v by %v; want kept, stopped at 240ms by the skip rule", s.TmaxCurveFrom, s.TmaxCurveCensoredAbove, s.TmaxCurveCensoredBy)
	}
}
