package sim

import (
	"math/bits"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Latency histograms record microseconds from 1µs to the end of virtual
// time (EndOfTime, about 146 years: no response can take longer, as time
// sums saturate there) with two significant digits (1% precision): plenty
// for percentiles, and no latency is ever capped.
const (
	histLowest  = 1
	histHighest = int64(EndOfTime / Microsecond)
	histDigits  = 2
)

// HdrHistogram's layout for those parameters: values below 256 have a
// counter each; above, each power of two is split into 128 counters. The
// recent windows count in this layout themselves, so that recording a
// response is a shift and an increment, and hand each counter to
// HdrHistogram (for percentiles) when a window is folded or summarised:
// the histogram that results is the one recording every value would give,
// as TestWindowMatchesHdrHistogram checks.
const (
	subHalfMagnitude = 7
	subHalf          = 1 << subHalfMagnitude // 128
	subMask          = 2*subHalf - 1         // 255
	windowLen        = 47 * subHalf          // buckets 0..45 plus one: up to EndOfTime
)

// latencyWindow is how many responses make one window of the recent
// latency summary. Windows end by count, not by virtual time, so that
// folding one into the total costs next to nothing per response at any
// speed.
const latencyWindow = 8192

// window counts response times in HdrHistogram's layout.
type window struct {
	counts [windowLen]uint32
}

// index is HdrHistogram's counter index for us (lowest discernible 1).
func index(us int64) int {
	bucket := 64 - bits.LeadingZeros64(uint64(us|subMask)) - (subHalfMagnitude + 1)
	sub := int(us >> uint(bucket))
	return (bucket+1)<<subHalfMagnitude + sub - subHalf
}

// value is a value that HdrHistogram counts at index i.
func value(i int) int64 {
	bucket, sub := i>>subHalfMagnitude-1, i&(subHalf-1)+subHalf
	if bucket < 0 {
		bucket, sub = 0, sub-subHalf
	}
	return int64(sub) << uint(bucket)
}

// addTo adds the window's counts to h.
func (w *window) addTo(h *hdrhistogram.Histogram) {
	for i, c := range w.counts {
		if c > 0 {
			_ = h.RecordValues(value(i), int64(c)) // in range by construction
		}
	}
}

// latencies records a bidder's response times for percentiles over the
// whole run and over its recent responses, which is what shows a change of
// latency at once rather than diluted in the run's history. Each response
// is counted once, in the window being filled; a full window becomes the
// previous one, and the one before that folds into the total.
type latencies struct {
	cur *window
	// n counts the responses in cur: kept here, beside cur, rather than
	// in the window, whose counts lie pages away from its end.
	n    int
	prev *window
	done *hdrhistogram.Histogram
	// sum is the sum of every response time: exact for the mean (the
	// histograms round), and no run can overflow it.
	sum waitSum
}

func newLatencies() latencies {
	return latencies{done: newHist(), prev: new(window), cur: new(window)}
}

func newHist() *hdrhistogram.Histogram {
	return hdrhistogram.New(histLowest, histHighest, histDigits)
}

func (l *latencies) record(t Time) {
	w := l.cur
	if l.n >= latencyWindow {
		w = l.rotate()
	}
	w.counts[index(waitMicros(t))]++
	l.n++
	l.sum.add(t) // t ≥ 0
}

// rotate makes the full window the previous one, folding the one before
// that into the total, and returns the emptied window, now the current
// one. Apart from record, which stays small enough to inline.
//
//go:noinline
func (l *latencies) rotate() *window {
	l.prev.addTo(l.done)
	*l.prev = window{}
	l.prev, l.cur, l.n = l.cur, l.prev, 0
	return l.cur
}

// stats summarises the whole run and the recent responses: the last full
// window and the one being filled, between latencyWindow and twice as many.
func (l *latencies) stats() (all, recent LatencyStats) {
	if l.n == 0 {
		return // nothing recorded: a full window is never left empty
	}
	h := newHist()
	l.prev.addTo(h)
	l.cur.addTo(h)
	recent = summarise(h)
	h.Merge(l.done)
	all = summarise(h)
	// Exact, rounded down; it fits in a Time, as no response time
	// exceeds EndOfTime.
	all.Mean = l.sum.mean(all.Count)
	return all, recent
}

func summarise(h *hdrhistogram.Histogram) LatencyStats {
	// Counters hold ranges 1% wide, reported by their top: capped at
	// EndOfTime, the most any response time can be.
	us := func(v int64) Time { return Time(min(v, histHighest)) * Microsecond }
	return LatencyStats{
		Count: uint64(h.TotalCount()),
		P50:   us(h.ValueAtQuantile(50)),
		P95:   us(h.ValueAtQuantile(95)),
		P99:   us(h.ValueAtQuantile(99)),
		Max:   us(h.Max()),
		Mean:  min(Time(h.Mean()*float64(Microsecond)), EndOfTime),
	}
}
