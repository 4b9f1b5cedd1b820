package sim

import hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

// Latency histograms record microseconds from 1µs to one hour with two
// significant digits (1% precision): plenty for percentiles, and small
// enough (about 13 KB each) to stay in cache on the hot path.
const (
	histLowest  = 1
	histHighest = int64(Hour / Microsecond)
	histDigits  = 2
)

// latencyWindow is how many responses make one window of the recent
// latency summary. Windows end by count, not by virtual time, so that
// folding one into the total (about 10µs) costs next to nothing per
// response at any speed.
const latencyWindow = 8192

// latencies records a bidder's response times for percentiles over the
// whole run and over its recent responses, which is what shows a change of
// latency at once rather than diluted in the run's history. Each response
// is recorded once, into the window being filled; a full window becomes
// the previous one, and the one before that folds into the total.
type latencies struct {
	done, prev, cur *hdrhistogram.Histogram
	sum             Time // exact, for the mean; the histograms round
}

func newLatencies() latencies {
	h := func() *hdrhistogram.Histogram { return hdrhistogram.New(histLowest, histHighest, histDigits) }
	return latencies{done: h(), prev: h(), cur: h()}
}

func (l *latencies) record(t Time) {
	if l.cur.TotalCount() >= latencyWindow {
		l.done.Merge(l.prev)
		l.prev.Reset()
		l.prev, l.cur = l.cur, l.prev
	}
	us := min(max(int64(t/Microsecond), histLowest), histHighest)
	_ = l.cur.RecordValue(us) // in range by construction
	l.sum += t
}

// stats summarises the whole run and the recent responses: the last full
// window and the one being filled, between latencyWindow and twice as many.
func (l *latencies) stats() (all, recent LatencyStats) {
	if l.cur.TotalCount() == 0 {
		return // nothing recorded: a full window is never left empty
	}
	h := hdrhistogram.New(histLowest, histHighest, histDigits)
	h.Merge(l.prev)
	h.Merge(l.cur)
	recent = summarise(h)
	h.Merge(l.done)
	all = summarise(h)
	all.Mean = l.sum / Time(all.Count)
	return all, recent
}

func summarise(h *hdrhistogram.Histogram) LatencyStats {
	us := func(v int64) Time { return Time(v) * Microsecond }
	return LatencyStats{
		Count: uint64(h.TotalCount()),
		P50:   us(h.ValueAtQuantile(50)),
		P95:   us(h.ValueAtQuantile(95)),
		P99:   us(h.ValueAtQuantile(99)),
		Max:   us(h.Max()),
		Mean:  Time(h.Mean() * float64(Microsecond)),
	}
}
