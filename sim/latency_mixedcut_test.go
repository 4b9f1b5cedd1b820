package sim

import "testing"

// TestCensoredRankPastAnAnswer: with a call cut below some answers (on the
// wire, a connection broken just past the deadline beside answers read in
// the late grace), a percentile that ranks among the censored calls reads
// the least it can be: ranked with each censored call at the least cut,
// the answered time at its rank less the censored count when that lies
// past the cut. (Before, it read the cut: "> 121ms" for a p99 that is
// past 580 ms.)
func TestCensoredRankPastAnAnswer(t *testing.T) {
	l := newLatencies()
	for i := range 90 {
		l.record(Time(10+i/10) * Millisecond) // 10–18 ms
	}
	for i := range 10 {
		l.record(Time(500+10*i) * Millisecond) // 500–590 ms, read in the grace
	}
	for range 10 {
		l.censor(121 * Millisecond)
	}
	all, _ := l.stats()
	// 110 calls: p95's rank 105 and p99's 109 fall past the 100 answered;
	// with the 10 censored at 121 ms the 105th and 109th are the answered
	// 95th (540 ms) and 99th (580 ms).
	if !all.P95Past || !all.P99Past || all.Censored != 10 {
		t.Fatalf("latency %+v: want p95 and p99 among the censored", all)
	}
	near := func(got, want Time) bool { return got >= want && got <= want+want/50 } // a histogram bucket is 1% wide
	if !near(all.P95, 540*Millisecond) || !near(all.P99, 580*Millisecond) {
		t.Errorf("p95 > %v, p99 > %v; want past 540ms and 580ms, the least the 95th and 99th of 110 can be", all.P95, all.P99)
	}
	if all.P99 < all.P95 || all.P95 < all.P50 {
		t.Errorf("percentiles out of order: p50 %v, p95 %v, p99 %v", all.P50, all.P95, all.P99)
	}
	if all.P50Past || all.P50 < 10*Millisecond || all.P50 > 19*Millisecond {
		t.Errorf("p50 %v (past %v), want an answered 10–18 ms", all.P50, all.P50Past)
	}
}
