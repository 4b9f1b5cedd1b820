package sim

import (
	"math"
	"math/big"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// Counting in HdrHistogram's layout and handing the counts over must give
// the very histogram that recording each value would.
func TestWindowMatchesHdrHistogram(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		us := rapid.SliceOf(rapid.OneOf(
			rapid.Int64Range(histLowest, 300),
			rapid.Int64Range(histLowest, 1_000_000),
			rapid.Int64Range(histLowest, histHighest),
		)).Draw(t, "µs")
		var w window
		direct := newHist()
		for _, v := range us {
			w.counts[index(v)]++
			if err := direct.RecordValue(v); err != nil {
				t.Fatal(err)
			}
		}
		via := newHist()
		w.addTo(via)
		if !via.Equals(direct) {
			t.Fatalf("histograms differ: %v vs %v", summarise(via), summarise(direct))
		}
		if len(us) > 0 && summarise(via) != summarise(direct) {
			t.Fatalf("summaries differ: %v vs %v", summarise(via), summarise(direct))
		}
	})
}

// The highest value lands in the last counter of the window.
func TestWindowCoversTheRange(t *testing.T) {
	if i := index(histHighest); i >= windowLen {
		t.Fatalf("index(%d) = %d, beyond the window's %d counters", histHighest, i, windowLen)
	}
	if got := len(newHist().Export().Counts); got != windowLen {
		t.Fatalf("HdrHistogram has %d counters, the window %d", got, windowLen)
	}
}

// A run's latencies over many windows (folded into the total as they
// fill) summarise as one HdrHistogram recording every value would, and
// the recent summary as one recording the last two windows' values, but
// that each figure lies between the shortest and longest time it covers
// and the means are exact.
func TestLatenciesMatchHdrHistogram(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 5*latencyWindow).Draw(t, "n")
		hi := rapid.SampledFrom([]int64{300, 1_000_000, histHighest}).Draw(t, "hi")
		seed := rapid.Uint64().Draw(t, "seed")
		r := rand.New(rand.NewPCG(seed, 1))
		l := newLatencies()
		all := newHist()
		ts := make([]Time, n)
		for i := range ts {
			// Off the microsecond too, and 0.
			ts[i] = min(Time(r.Int64N(hi))*Microsecond+Time(r.Int64N(int64(Microsecond))), EndOfTime)
			l.record(ts[i])
			if err := all.RecordValue(waitMicros(ts[i])); err != nil {
				t.Fatal(err)
			}
		}
		// A window rotates at the record after it fills: the recent ones
		// hold the records since the start of the one before the current.
		rotations := (n - 1) / latencyWindow
		recentTs := ts[max(rotations-1, 0)*latencyWindow:]
		recent := newHist()
		for _, v := range recentTs {
			_ = recent.RecordValue(waitMicros(v))
		}
		gotAll, gotRecent := l.stats()
		if want := bounded(summarise(all), ts); gotAll != want {
			t.Fatalf("all: %+v, want %+v", gotAll, want)
		}
		if want := bounded(summarise(recent), recentTs); gotRecent != want {
			t.Fatalf("recent: %+v, want %+v", gotRecent, want)
		}
	})
}

// bounded is s, a histogram's summary of ts, with its percentiles held
// between ts's least and greatest, and its max and mean exact (the mean
// rounded down).
func bounded(s LatencyStats, ts []Time) LatencyStats {
	lo, hi := slices.Min(ts), slices.Max(ts)
	clamp := func(t Time) Time { return min(max(t, lo), hi) }
	var sum big.Int
	for _, t := range ts {
		sum.Add(&sum, big.NewInt(int64(t)))
	}
	s.Mean = Time(sum.Quo(&sum, big.NewInt(int64(len(ts)))).Int64())
	s.P50, s.P95, s.P99, s.Max = clamp(s.P50), clamp(s.P95), clamp(s.P99), hi
	return s
}

// BenchmarkLatenciesRecord records response times drawn as the perf
// world's (lognormal, median 80 ms), windows folding as they fill.
func BenchmarkLatenciesRecord(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	ts := make([]Time, 1<<16)
	for i := range ts {
		ts[i] = Time(80e6 * math.Exp(0.5*r.NormFloat64()))
	}
	l := newLatencies()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu := cpuTime(rusageThread)
	b.ResetTimer()
	for i := range b.N {
		l.record(ts[i&(len(ts)-1)])
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime(rusageThread)-cpu)/float64(b.N), "cpu-ns/op")
}
