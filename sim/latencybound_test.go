package sim

import "testing"

// A bidder that always answers in lat reads lat in every figure of its
// response times, whole and recent, and so does a constant network round
// trip: the histograms would give the top of lat's bucket (30.079 ms for
// 30 ms, past a 30 ms tmax that no bid missed) and 1µs for 0, and the
// truncated microsecond for a time under 256µs.
func TestBidderLatencyReadsTheTimes(t *testing.T) {
	for _, lat := range []Time{
		30 * Millisecond, 30_100 * Microsecond, 123_456_789, // off a bucket's top and off a microsecond
		0, 5_500, // none, and under a microsecond's bucket
		bucketTop(150 * Millisecond), // exactly a bucket's top
	} {
		cfg := constantWorld(max(lat, Millisecond)+Millisecond, lat, 0)
		cfg.Bidders[0].Network = Constant(float64(lat))
		cfg.Bidders[0].Latency = Constant(0) // the response time is the network's
		e := mustNew(t, cfg)
		e.RunAuctions(20_000) // more than two windows of responses
		b := e.Snapshot().Bidders[0]
		for name, l := range map[string]LatencyStats{"latency": b.Latency, "recent latency": b.RecentLatency, "network": b.Network} {
			if l.Count == 0 {
				t.Fatalf("%v: no %s recorded", lat, name)
			}
			if got := [5]Time{l.P50, l.P95, l.P99, l.Max, l.Mean}; got != [5]Time{lat, lat, lat, lat, lat} {
				t.Errorf("every response takes %v: %s (p50, p95, p99, max, mean) = %v", lat, name, got)
			}
		}
	}
}

// Response times below the longest read as before, by their bucket: the
// bound moves only figures that were above every response time.
func TestBidderLatencyBoundKeepsFiguresBelow(t *testing.T) {
	const tmax, lat, hi = 200 * Millisecond, 30_100 * Microsecond, 97_300 * Microsecond
	if bucketTop(lat) == lat || bucketTop(hi) == hi {
		t.Fatal("the test needs times off their buckets' tops")
	}
	// 2% of the responses take hi, the rest lat: a bimodal latency.
	cfg := constantWorld(tmax, lat, 0)
	cfg.Bidders[0].Latency = Mixture(Part{Weight: 98, Dist: Constant(float64(lat))}, Part{Weight: 2, Dist: Constant(float64(hi))})
	e := mustNew(t, cfg)
	e.RunAuctions(20_000)
	l := e.Snapshot().Bidders[0].Latency
	if got, want := waitFigures(l), [4]Time{bucketTop(lat), bucketTop(lat), hi, hi}; got != want {
		t.Errorf("latency (p50, p95, p99, max) = %v, want %v", got, want)
	}
}

// The recent figures are bounded by the recent responses' longest time,
// not the whole run's: once a bidder speeds up, its recent latency reads
// as the new one, and its shortest time bounds them from below.
func TestRecentLatencyBoundedByRecentTimes(t *testing.T) {
	const tmax, slow, fast = 120 * Millisecond, 90_100 * Microsecond, 30_100 * Microsecond
	e := mustNew(t, constantWorld(tmax, slow, 0))
	e.RunAuctions(20_000)
	if err := e.Apply(SetLatency{Bidder: "c", Latency: Constant(float64(fast))}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(30_000) // more than two windows of responses
	b := e.Snapshot().Bidders[0]
	if got := waitFigures(b.RecentLatency); got != [4]Time{fast, fast, fast, fast} {
		t.Errorf("recent latency (p50, p95, p99, max) = %v, want %v throughout", got, fast)
	}
	if b.Latency.Max != slow || b.Latency.P99 != slow {
		t.Errorf("latency p99 %v max %v, want %v", b.Latency.P99, b.Latency.Max, slow)
	}

	// Slowing down again: the recent figures read the slow time, none
	// above it, and none below the fast one.
	if err := e.Apply(SetLatency{Bidder: "c", Latency: Constant(float64(slow))}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(5_000)
	r := e.Snapshot().Bidders[0].RecentLatency
	for _, f := range waitFigures(r) {
		if f < fast || f > slow {
			t.Errorf("recent latency (p50, p95, p99, max) = %v, outside [%v, %v]", waitFigures(r), fast, slow)
			break
		}
	}
	if r.Max != slow {
		t.Errorf("recent latency max %v, want %v", r.Max, slow)
	}
}

// A time past the end of virtual time (an answer queued behind centuries
// of service, TestEdgeWorlds) reads as the end, never past it, as the
// histograms hold it.
func TestLatencyPastTheEndReadsTheEnd(t *testing.T) {
	l := newLatencies()
	l.record(EndOfTime + 1)
	l.record(Millisecond)
	all, recent := l.stats()
	for name, s := range map[string]LatencyStats{"all": all, "recent": recent} {
		if s.Max != EndOfTime || s.P99 > EndOfTime || s.P50 > EndOfTime {
			t.Errorf("%s: %+v, want nothing past %d", name, s, EndOfTime)
		}
	}
}
