package wire

import (
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/auctionsim/auctionsim/sim"
)

// recentHist is a histogram of the last few intervals only: one
// histogram per interval in a ring, so that an overload a minute ago
// does not stay in the live p99 after the load is lowered. It is not
// safe for concurrent use.
type recentHist struct {
	interval time.Duration
	slots    []*hdrhistogram.Histogram
	at       []int64 // the interval each slot holds; -1 none
}

// newRecentHist keeps n intervals of width interval.
func newRecentHist(interval time.Duration, n int) *recentHist {
	r := &recentHist{interval: max(interval, time.Millisecond), slots: make([]*hdrhistogram.Histogram, n), at: make([]int64, n)}
	for i := range r.slots {
		r.slots[i], r.at[i] = newHist(), -1
	}
	return r
}

// record adds d, measured at elapsed since the start.
func (r *recentHist) record(elapsed, d time.Duration) {
	k := int64(elapsed / r.interval)
	i := int(k % int64(len(r.slots)))
	if r.at[i] != k {
		r.slots[i].Reset()
		r.at[i] = k
	}
	recordMicros(r.slots[i], d)
}

// window is the percentiles of what was recorded in the last n
// intervals at elapsed (the one in progress included); nil with none.
func (r *recentHist) window(elapsed time.Duration) *Percentiles {
	k := int64(elapsed / r.interval)
	h := newHist()
	for i, s := range r.slots {
		if r.at[i] >= 0 && r.at[i] > k-int64(len(r.slots)) && r.at[i] <= k {
			h.Merge(s)
		}
	}
	if h.TotalCount() == 0 {
		return nil
	}
	p := percentiles(h)
	return &p
}

// seriesInterval is cfg's series interval, the width of the live
// figures' recent window's intervals.
func seriesInterval(cfg sim.Config) time.Duration {
	if cfg.Interval > 0 {
		return cfg.Interval.Duration()
	}
	return sim.DefaultInterval.Duration() // the engine's default
}
