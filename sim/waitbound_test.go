package sim

import (
	"testing"
)

// waitFigures are the wait's percentiles and max, as reported.
func waitFigures(l LatencyStats) [4]Time { return [4]Time{l.P50, l.P95, l.P99, l.Max} }

// bucketTop is what a latency histogram reports for a percentile that
// falls on t: the top of t's bucket.
func bucketTop(t Time) Time { return percentileTime(index(waitMicros(t))) }

// A page waits at most tmax, and the wait's figures say so, at deadlines
// on a histogram bucket's boundary and off it (the histograms report a
// percentile by the top of its bucket, up to 1% above).
func TestWaitNeverExceedsTmax(t *testing.T) {
	for _, tmax := range []Time{
		80 * Millisecond, 120 * Millisecond, 200 * Millisecond, 1000 * Millisecond,
		97_300 * Microsecond, 123_456_789, // off a bucket boundary and off a microsecond
		bucketTop(150 * Millisecond), // exactly a bucket's top
	} {
		for _, holdOpen := range []bool{false, true} {
			cfg := curveWorld(SecondPrice)
			cfg.Exchange.Tmax = tmax
			cfg.Exchange.HoldOpen = holdOpen
			cfg.Bidders[0].Hangs = 0.05 // some auctions wait the whole tmax
			e := mustNew(t, cfg)
			e.RunAuctions(20_000) // more than two windows of waits
			x := e.Snapshot().Exchange
			for name, l := range map[string]LatencyStats{"wait": x.Wait, "recent wait": x.RecentWait} {
				if l.Count == 0 {
					t.Fatalf("tmax %v: no %s recorded", tmax, name)
				}
				for _, f := range waitFigures(l) {
					if f > tmax {
						t.Errorf("tmax %v, held open %v: %s (p50, p95, p99, max) = %v: above tmax", tmax, holdOpen, name, waitFigures(l))
						break
					}
				}
				// An auction whose bidder hangs waits tmax exactly.
				if l.Max != tmax {
					t.Errorf("tmax %v, held open %v: %s max %v, want tmax", tmax, holdOpen, name, l.Max)
				}
				if holdOpen && waitFigures(l) != [4]Time{tmax, tmax, tmax, tmax} {
					t.Errorf("tmax %v held open: %s (p50, p95, p99, max) = %v, every auction waits tmax", tmax, name, waitFigures(l))
				}
			}
		}
	}
}

// constantWorld has one bidder that answers after exactly lat, hanging
// with probability hangs.
func constantWorld(tmax, lat Time, hangs float64) Config {
	return Config{
		Seed:     3,
		Traffic:  Traffic{QPS: 1000},
		Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: tmax, TmaxCurve: TmaxGrid{From: 20 * Millisecond, To: 200 * Millisecond, Step: 20 * Millisecond}},
		Bidders: []BidderConfig{{
			Name: "c", Latency: Constant(float64(lat)), Hangs: hangs, Value: Uniform(0.2, 3),
		}},
	}
}

// Waits below tmax read as before, by their bucket, unless the bucket
// reaches past the longest wait: the cap moves only figures that were
// above what any page waited.
func TestWaitCapKeepsFiguresBelowTheLongestWait(t *testing.T) {
	const tmax, lat = 97_300 * Microsecond, 30_100 * Microsecond
	if bucketTop(lat) == lat || bucketTop(tmax) == tmax {
		t.Fatal("the test needs waits off their buckets' tops")
	}
	// 2% of the auctions hang and wait tmax; the rest wait lat.
	e := mustNew(t, constantWorld(tmax, lat, 0.02))
	e.RunAuctions(20_000)
	s := e.Snapshot()
	want := [4]Time{bucketTop(lat), bucketTop(lat), tmax, tmax}
	if got := waitFigures(s.Exchange.Wait); got != want {
		t.Errorf("wait (p50, p95, p99, max) = %v, want %v", got, want)
	}
	// The curve's point at the run's tmax is the run itself; below lat
	// every auction waits the point's deadline, above it most wait lat.
	for _, p := range s.TmaxCurve {
		want := bucketTop(lat)
		if p.Tmax < lat {
			want = p.Tmax
		}
		if p.WaitP95 != want {
			t.Errorf("curve at %v: wait p95 %v, want %v", p.Tmax, p.WaitP95, want)
		}
	}

	// Without a timeout every auction waits lat exactly, and every figure
	// says so: lat is the longest wait.
	e = mustNew(t, constantWorld(tmax, lat, 0))
	e.RunAuctions(20_000)
	s = e.Snapshot()
	if got := waitFigures(s.Exchange.Wait); got != [4]Time{lat, lat, lat, lat} {
		t.Errorf("every auction waits %v: wait (p50, p95, p99, max) = %v", lat, got)
	}
	for _, p := range s.TmaxCurve {
		if want := min(p.Tmax, lat); p.WaitP95 != want || p.WaitMean != want {
			t.Errorf("curve at %v: wait mean %v p95 %v, every auction waits %v", p.Tmax, p.WaitMean, p.WaitP95, want)
		}
	}
}

// A curve point's wait percentile never exceeds its deadline, on grids
// whose points lie on a histogram bucket's boundary and off it, over the
// whole run, the recent auctions and a window between two snapshots.
func TestTmaxCurveWaitWithinDeadline(t *testing.T) {
	for _, g := range []TmaxGrid{
		DefaultTmaxCurve,
		{From: 21_700 * Microsecond, To: 400 * Millisecond, Step: 33_300 * Microsecond},
		{From: 20 * Millisecond, To: 1500 * Millisecond, Step: 7_654_321}, // more than maskPoints points
	} {
		for _, holdOpen := range []bool{false, true} {
			cfg := curveWorld(SecondPrice)
			cfg.Exchange.TmaxCurve = g
			cfg.Exchange.HoldOpen = holdOpen
			cfg.Bidders[0].Hangs = 0.05
			e := mustNew(t, cfg)
			e.RunAuctions(12_000)
			then := e.Snapshot()
			e.RunAuctions(13_000) // past the recent curve's marks
			s := e.Snapshot()
			for name, c := range map[string][]TmaxPoint{"curve": s.TmaxCurve, "recent curve": s.TmaxCurveRecent, "window": s.TmaxCurveWindow(then.TmaxCurve)} {
				if len(c) == 0 {
					t.Fatalf("grid %v: no %s", g, name)
				}
				for _, p := range c {
					if p.WaitP95 > p.Tmax || holdOpen && p.WaitP95 != p.Tmax {
						t.Errorf("grid %v, held open %v: %s at %v has wait p95 %v", g, holdOpen, name, p.Tmax, p.WaitP95)
					}
				}
			}
			// The point at the run's own tmax is the run itself.
			if p, ok := CurveAt(s.TmaxCurve, s.Settings.Tmax); ok && (p.WaitP95 != s.Exchange.Wait.P95 || p.WaitMean != s.Exchange.Wait.Mean) {
				t.Errorf("grid %v, held open %v: the curve at tmax waits %v / p95 %v, the run %v / %v", g, holdOpen, p.WaitMean, p.WaitP95, s.Exchange.Wait.Mean, s.Exchange.Wait.P95)
			}
		}
	}
}

// The recent figures are bounded by the recent auctions' longest wait,
// not the whole run's: once a bidder speeds up, its pages' recent wait
// reads as the new wait.
func TestRecentWaitBoundedByRecentWaits(t *testing.T) {
	const tmax, slow, fast = 120 * Millisecond, 90_100 * Microsecond, 30_100 * Microsecond
	e := mustNew(t, constantWorld(tmax, slow, 0))
	e.RunAuctions(20_000)
	if err := e.Apply(SetLatency{Bidder: "c", Latency: Constant(float64(fast))}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(30_000) // more than two windows of waits, and of the recent curve
	s := e.Snapshot()
	if got := waitFigures(s.Exchange.RecentWait); got != [4]Time{fast, fast, fast, fast} {
		t.Errorf("recent wait (p50, p95, p99, max) = %v, want %v throughout", got, fast)
	}
	if s.Exchange.Wait.Max != slow {
		t.Errorf("wait max %v, want %v", s.Exchange.Wait.Max, slow)
	}
	for _, p := range s.TmaxCurveRecent {
		if want := min(p.Tmax, fast); p.WaitP95 != want {
			t.Errorf("recent curve at %v: wait p95 %v, want %v", p.Tmax, p.WaitP95, want)
		}
	}
}
