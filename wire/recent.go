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
	// The answers the model had on time, and those of them the wire had
	// late, by slot (Exchange.RecentMachineLate).
	onTime, late []uint64
}

// newRecentHist keeps n intervals of width interval.
func newRecentHist(interval time.Duration, n int) *recentHist {
	r := &recentHist{interval: max(interval, time.Millisecond), slots: make([]*hdrhistogram.Histogram, n), at: make([]int64, n),
		onTime: make([]uint64, n), late: make([]uint64, n)}
	for i := range r.slots {
		r.slots[i], r.at[i] = newHist(), -1
	}
	return r
}

// record adds d, measured at elapsed since the start, of an answer the
// model had on time (onTime) and the wire late (late) or not.
func (r *recentHist) record(elapsed, d time.Duration, onTime, late bool) {
	k := int64(elapsed / r.interval)
	i := int(k % int64(len(r.slots)))
	if r.at[i] != k {
		r.slots[i].Reset()
		r.at[i] = k
		r.onTime[i], r.late[i] = 0, 0
	}
	recordMicros(r.slots[i], d)
	if onTime {
		r.onTime[i]++
		if late {
			r.late[i]++
		}
	}
}

// lateShare is, over the last n intervals at elapsed (as window), the
// answers the model had on time and how many of them the wire had late.
func (r *recentHist) lateShare(elapsed time.Duration) (late, onTime uint64) {
	k := int64(elapsed / r.interval)
	for i := range r.slots {
		if r.at[i] >= 0 && r.at[i] > k-int64(len(r.slots)) && r.at[i] <= k {
			late += r.late[i]
			onTime += r.onTime[i]
		}
	}
	return late, onTime
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
