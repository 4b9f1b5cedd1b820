package sim

import (
	"math"
	"testing"
)

// The recent window sums the series' last intervals, and its revenue per
// second is over the time they cover.
func TestRecentWindow(t *testing.T) {
	cfg := world(3, Uniform(0, 2))
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = LogNormalMedianP99(float64(60*Millisecond), float64(200*Millisecond))
	}
	e := mustNew(t, cfg)
	if w := e.Snapshot().RecentWindow(); !math.IsNaN(w.RevenuePerSecond()) {
		t.Errorf("before any interval: %v per second", w.RevenuePerSecond())
	}
	e.RunUntil(25*Second + 300*Millisecond)
	s := e.Snapshot()
	w := s.RecentWindow()
	pts := s.Series.Points[len(s.Series.Points)-RecentIntervals:]
	var auctions, late uint64
	var revenue Money
	for _, p := range pts {
		auctions += p.Auctions
		late += p.Timeouts
		revenue += p.Revenue
	}
	if w.Auctions != auctions || w.Timeouts != late || w.Revenue != revenue || w.Start != pts[0].Start || w.Span != s.Now-pts[0].Start {
		t.Errorf("window %+v, want %d auctions, %d late, revenue %v from %v", w.SeriesPoint, auctions, late, revenue, pts[0].Start)
	}
	if got, want := w.RevenuePerSecond(), revenue.Float()/w.Span.Seconds(); math.Abs(got-want) > 1e-12*want || !(got > 0) {
		t.Errorf("revenue per second %v, want %v", got, want)
	}
	if w.TimeoutRate() <= 0 || w.LostShare() <= 0 {
		t.Errorf("late share %v, lost share %v with a 60ms median against 100ms", w.TimeoutRate(), w.LostShare())
	}
}

// The curve since an earlier snapshot is the difference point by point;
// the best point is the one with the most revenue.
func TestTmaxCurveSince(t *testing.T) {
	cfg := world(3, Uniform(0, 2))
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = LogNormalMedianP99(float64(Time(40*(i+1))*Millisecond), float64(Time(150*(i+1))*Millisecond))
	}
	e := mustNew(t, cfg)
	e.RunUntil(2 * Second)
	then := e.Snapshot()
	e.RunUntil(5 * Second)
	now := e.Snapshot()
	d := TmaxCurveSince(now.TmaxCurve, then.TmaxCurve)
	for i, p := range d {
		a, b := now.TmaxCurve[i], then.TmaxCurve[i]
		if p.Tmax != a.Tmax || p.Auctions != a.Auctions-b.Auctions || p.Late != a.Late-b.Late || p.Revenue != a.Revenue-b.Revenue ||
			p.NetRevenue != a.NetRevenue-b.NetRevenue || p.WaitP95 != a.WaitP95 {
			t.Fatalf("point %d: %+v from %+v − %+v", i, p, a, b)
		}
		mean := (float64(a.WaitMean)*float64(a.Auctions) - float64(b.WaitMean)*float64(b.Auctions)) / float64(p.Auctions)
		if math.Abs(float64(p.WaitMean)-mean) > 1 || p.WaitMean <= 0 || p.WaitMean > p.Tmax {
			t.Fatalf("point %d: wait mean %v, want %v", i, p.WaitMean, Time(mean))
		}
	}
	if d[0].Auctions != now.Exchange.Auctions-then.Exchange.Auctions {
		t.Errorf("%d auctions in the difference, %d closed", d[0].Auctions, now.Exchange.Auctions-then.Exchange.Auctions)
	}
	if got := TmaxCurveSince(now.TmaxCurve, nil); len(got) != len(now.TmaxCurve) || got[3] != now.TmaxCurve[3] {
		t.Error("without an earlier curve the difference is not the curve")
	}
	best := BestTmax(d)
	for _, p := range d {
		if p.Revenue > d[best].Revenue || p.Revenue == d[best].Revenue && p.Tmax < d[best].Tmax {
			t.Fatalf("best %v (%v), but %v has %v", d[best].Tmax, d[best].Revenue, p.Tmax, p.Revenue)
		}
	}
	if BestTmax(nil) != -1 || BestTmax([]TmaxPoint{{Tmax: Second}}) != -1 {
		t.Error("a curve without revenue has a best point")
	}
	if p, ok := CurveAt(d, 100*Millisecond); !ok || p.Tmax != 100*Millisecond {
		t.Errorf("the point at 100ms: %+v %v", p, ok)
	}
	if _, ok := CurveAt(d, 110*Millisecond); ok {
		t.Error("a point at 110ms, off the 20ms grid")
	}
}

// The window's curve takes the recent curve's wait p95, on a copy.
func TestTmaxCurveWindow(t *testing.T) {
	ms := Millisecond
	s := &Snapshot{
		TmaxCurve:       []TmaxPoint{{Tmax: 20 * ms, Auctions: 8, WaitP95: 20 * ms}, {Tmax: 40 * ms, Auctions: 8, WaitP95: 40 * ms}},
		TmaxCurveRecent: []TmaxPoint{{Tmax: 20 * ms, Auctions: 9, WaitP95: 19 * ms}, {Tmax: 40 * ms, Auctions: 9, WaitP95: 33 * ms}},
	}
	then := []TmaxPoint{{Tmax: 20 * ms, Auctions: 3}, {Tmax: 40 * ms, Auctions: 3}}
	got := s.TmaxCurveWindow(then)
	if got[0].WaitP95 != 19*ms || got[1].WaitP95 != 33*ms || got[1].Auctions != 5 {
		t.Errorf("got %+v", got)
	}
	if whole := s.TmaxCurveWindow(nil); whole[1].WaitP95 != 33*ms || whole[1].Auctions != 8 || s.TmaxCurve[1].WaitP95 != 40*ms {
		t.Errorf("without an earlier curve: %+v, the snapshot's now %+v", whole, s.TmaxCurve)
	}
	s.TmaxCurveRecent = s.TmaxCurveRecent[:1]
	if other := s.TmaxCurveWindow(then); other[1].WaitP95 != 40*ms {
		t.Errorf("another grid's waits taken: %+v", other)
	}
}

// A curve started afresh on the same grid (a change of abandonment) is
// not subtracted from an earlier snapshot's: that wrapped its counts
// around (18 quintillion auctions in the what-if panel for ten seconds),
// and the snapshot says when the curve started.
func TestTmaxCurveSinceRestart(t *testing.T) {
	cfg := world(3, Uniform(0, 2))
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	e := mustNew(t, cfg)
	e.RunUntil(3 * Second)
	then := e.Snapshot()
	if then.TmaxCurveFrom != 0 {
		t.Errorf("the curve starts at %v, want 0", then.TmaxCurveFrom)
	}
	if err := e.Apply(SetAbandonment{Abandonment: Abandonment{Per100ms: 0.1}}); err != nil {
		t.Fatal(err)
	}
	at := e.Snapshot().Now
	e.RunUntil(4 * Second)
	now := e.Snapshot()
	if now.TmaxCurveFrom != at || at == 0 {
		t.Errorf("the restarted curve starts at %v, want %v", now.TmaxCurveFrom, at)
	}
	if now.TmaxCurve[0].Auctions >= then.TmaxCurve[0].Auctions {
		t.Fatalf("the restarted curve has %d auctions, the earlier %d: the test needs fewer", now.TmaxCurve[0].Auctions, then.TmaxCurve[0].Auctions)
	}
	for i, p := range TmaxCurveSince(now.TmaxCurve, then.TmaxCurve) {
		if p != now.TmaxCurve[i] {
			t.Fatalf("point %d since a restart: %+v, want the new curve's %+v", i, p, now.TmaxCurve[i])
		}
	}
	if c := e.Clone().Snapshot(); c.TmaxCurveFrom != at {
		t.Errorf("a clone's curve starts at %v, want %v", c.TmaxCurveFrom, at)
	}
}
