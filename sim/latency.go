package sim

import (
	"math"
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

// latencies records response times (a bidder's, or the exchange's
// waits) for percentiles over the whole run and over its recent ones,
// which is what shows a change of latency at once rather than diluted in
// the run's history. Each time is counted once, in the window being
// filled; a full window becomes the previous one, and the one before that
// folds into the total.
//
// The histograms report a percentile by the top of its bucket, up to 1%
// above the times it counts (and a time under 1µs as 1µs): a bidder that
// always answers in 30ms would read 30.079ms, past a 30ms tmax it meets,
// and a page would read as waiting past its deadline. So each window keeps
// a tally of its times, their shortest, longest and sum, exactly, and
// every figure is held between those of the times it covers
// (LatencyStats.within).
type latencies struct {
	cur *window
	// n counts the responses in cur: kept here, beside cur, rather than
	// in the window, whose counts lie pages away from its end.
	n int
	// now tallies the times in cur, prev those in the previous window,
	// done those folded into done.
	now              tally
	prev             *window
	done             *hdrhistogram.Histogram
	prevTally, total tally

	// before holds, from a restart (restart) until the next rotation,
	// the recent times at the restart and those of the auctions in flight
	// then (aside); before it, nil. beforeTally tallies them, held marks
	// before non-empty. mixing says no rotation came since the restart:
	// the window being filled holds only times since it.
	before      *window
	beforeTally tally
	held        bool
	mixing      bool
}

// SinceEnough is how many auctions since a change that can move the wait
// (Snapshot.MovesWait) the recent wait needs before it covers them alone
// (WaitSince): its p95 then has 51 auctions above it, so the rank it
// reads lies within two standard deviations (±2·√(n·0.05·0.95) ≈ 14
// ranks) of the 95th, between the 93.6th and 96.4th percentiles of those
// auctions. At 300 qps that is 3.4 s of traffic; until then the recent
// wait reads the auctions at the change as well, and says so.
const SinceEnough = 1024

// WaitCover says which auctions the recent wait covers
// (ExchangeStats.RecentWaitCover).
type WaitCover uint8

const (
	// WaitLatest is the latest 8,192 to 16,384 auctions: no change that
	// can move the wait was made, or so long ago that all of them came
	// after it.
	WaitLatest WaitCover = iota
	// WaitMixed is the recent auctions at the last change that can move
	// the wait, and those in flight then, with fewer than SinceEnough
	// fanned out since: partly before the change.
	WaitMixed
	// WaitSince is every auction fanned out since that change, at least
	// SinceEnough of them.
	WaitSince
)

// tally is what the histograms round: the shortest and the longest of
// some times, and their sum (exact for the mean; no run can overflow it).
// Empty, lo is EndOfTime and hi 0.
type tally struct {
	lo, hi Time
	sum    waitSum
	// cut counts the censored calls (latencies.censor), cutAt the least
	// deadline one was censored at (0 with none).
	cut   uint64
	cutAt Time
}

var noTimes = tally{lo: EndOfTime}

// add counts t ≥ 0. A new extreme is rare (a few a window): branches the
// processor predicts, and no store per time, cost less than conditional
// moves and two stores.
func (t *tally) add(x Time) {
	if x > t.hi {
		t.hi = x
	}
	if x < t.lo {
		t.lo = x
	}
	t.sum.add(x)
}

// merged is t and o together.
func (t tally) merged(o tally) tally {
	t.lo, t.hi = min(t.lo, o.lo), max(t.hi, o.hi)
	t.sum.addSum(o.sum)
	t.cut += o.cut
	if o.cut > 0 {
		t.cutAt = lowerCut(t.cutAt, o.cutAt)
	}
	return t
}

func newLatencies() latencies {
	return latencies{done: newHist(), prev: new(window), cur: new(window), now: noTimes, prevTally: noTimes, total: noTimes}
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
	l.now.add(t) // t ≥ 0
}

// censor counts a call on the wire that got no answer by deadline (a
// timeout): its time is known only to be past it, so it goes into no
// histogram, but it counts toward the window and the percentiles' ranks
// (summariseCensored).
func (l *latencies) censor(deadline Time) {
	if l.n >= latencyWindow {
		l.rotate()
	}
	l.n++
	l.now.cut++
	l.now.cutAt = lowerCut(l.now.cutAt, deadline)
}

// rotate makes the full window the previous one, folding the one before
// that into the total, and returns the emptied window, now the current
// one. Apart from record, which runs once per response.
//
//go:noinline
func (l *latencies) rotate() *window {
	if l.held { // what the last restart set aside is no longer recent
		l.before.addTo(l.done)
		*l.before = window{}
		l.total, l.beforeTally, l.held = l.total.merged(l.beforeTally), noTimes, false
	}
	l.mixing = false
	l.prev.addTo(l.done)
	*l.prev = window{}
	l.total, l.prevTally, l.now = l.total.merged(l.prevTally), l.now, noTimes
	l.prev, l.cur, l.n = l.cur, l.prev, 0
	return l.cur
}

// restart starts the recent times afresh, at a change that can move them:
// the recent ones so far are set aside (with those set aside at an
// earlier restart whose window has not filled: fewer than SinceEnough
// more a restart, and those in flight at it), and
// until the window being filled holds SinceEnough times the recent
// figures are theirs and the new ones together (cover). Called at a
// change, never per response.
func (l *latencies) restart() {
	if l.before == nil {
		l.before, l.beforeTally = new(window), noTimes
	}
	if l.held && !(l.mixing && l.n < SinceEnough) {
		// The last restart's times are no longer in the recent figures.
		l.before.addTo(l.done)
		*l.before = window{}
		l.total, l.beforeTally = l.total.merged(l.beforeTally), noTimes
	}
	for _, w := range []*window{l.prev, l.cur} {
		for i, c := range w.counts {
			l.before.counts[i] += c
		}
		*w = window{}
	}
	l.beforeTally = l.beforeTally.merged(l.prevTally).merged(l.now)
	l.prevTally, l.now, l.n = noTimes, noTimes, 0
	l.held, l.mixing = true, true
}

// aside runs close, which records the time of an auction in flight at the
// last restart, with the set-aside times in the place of the window being
// filled: it ran in the world before the change. Not per response: only
// the auctions in flight at a change close here (Engine.closeAcross).
func (l *latencies) aside(close func()) {
	if l.before == nil {
		l.before = new(window)
	}
	if !l.held {
		l.beforeTally, l.held = noTimes, true
	}
	n := l.n
	l.cur, l.before = l.before, l.cur
	l.now, l.beforeTally = l.beforeTally, l.now
	l.n = 0 // no rotation: the set-aside times are never a full window
	close()
	l.cur, l.before = l.before, l.cur
	l.now, l.beforeTally = l.beforeTally, l.now
	l.n = n
}

// cover is which times the recent figures cover.
func (l *latencies) cover() WaitCover {
	switch {
	case !l.mixing:
		return WaitLatest
	case l.n < SinceEnough:
		return WaitMixed
	}
	return WaitSince
}

// stats summarises the whole run and the recent responses: the last full
// window and the one being filled, between latencyWindow and twice as
// many; after a restart, those since it once SinceEnough, and until then
// those set aside at it as well (cover). Every figure lies between the
// shortest and the longest time it covers.
func (l *latencies) stats() (all, recent LatencyStats) {
	mixed := l.cover() == WaitMixed
	if l.n == 0 && !mixed && !l.held {
		return // nothing recorded: a full window is never left empty
	}
	h := newHist()
	l.prev.addTo(h)
	l.cur.addTo(h)
	r := l.now.merged(l.prevTally)
	if mixed {
		l.before.addTo(h)
		r = r.merged(l.beforeTally)
	}
	recent = summariseCensored(h, r).within(r)
	t := r.merged(l.total)
	if l.held && !mixed {
		l.before.addTo(h) // not recent, but the run's
		t = t.merged(l.beforeTally)
	}
	h.Merge(l.done)
	all = summariseCensored(h, t).within(t)
	return all, recent
}

// summariseCensored is summarise, with t's censored calls (on the wire,
// the timeouts) counted into the percentiles' ranks: the p-th percentile
// of every call, answered or not, is the answered calls' at the same
// rank, and where that rank falls among the censored calls it is known
// only to be past a time, marked Past: their least deadline, or an
// answered time past it (as ranked when cuts lie below some answers).
// The answered ranks are exact when every cut lies at or past every
// answer (on the wire: at the deadline without a grace, at its end
// with one).
// Without censored calls it is summarise's.
func summariseCensored(h *hdrhistogram.Histogram, t tally) LatencyStats {
	l := summarise(h)
	if t.cut == 0 {
		return l
	}
	l.Censored, l.CensoredAt = t.cut, t.cutAt
	answered, all := float64(l.Count), float64(l.Count+t.cut)
	at := func(q float64, p *Time, past *bool) {
		// HdrHistogram's rank for q over all the calls.
		rank := max(math.Floor(q/100*all+0.5), 1)
		if rank > answered {
			// Among the censored calls, each known only to be past its
			// cut, every cut at or past the least (cutAt). Ranked as if
			// each came at that least, which no true order can beat, the
			// rank's time is cutAt, or, where answers lie past it (a
			// call broken just past the deadline beside answers read in
			// the late grace), the answered time at rank-cut (a p99
			// read "> 121ms" past 580 ms of answers).
			*p, *past = t.cutAt, true
			if r := rank - float64(t.cut); r >= 1 {
				at := Time(min(h.ValueAtQuantile(100*r/answered), histHighest)) * Microsecond
				*p = max(t.cutAt, min(at, t.hi))
			}
			return
		}
		*p = Time(min(h.ValueAtQuantile(100*rank/answered), histHighest)) * Microsecond
	}
	at(50, &l.P50, &l.P50Past)
	at(95, &l.P95, &l.P95Past)
	at(99, &l.P99, &l.P99Past)
	return l
}

// within is l with its percentiles held between t's shortest and longest
// times, its max the longest and its mean t's (exact, rounded down): a
// histogram's bucket reports figures past both (its top, and a
// microsecond truncated, or 1µs for less) that were never observed. A
// time past the end of virtual time (an answer queued behind centuries of
// service) reads as the end, as the histograms hold it.
func (l LatencyStats) within(t tally) LatencyStats {
	lo, hi := min(t.lo, EndOfTime), min(t.hi, EndOfTime)
	clamp := func(x Time, past bool) Time {
		if past {
			return x // the censoring deadline, no answered time
		}
		return min(max(x, lo), hi)
	}
	l.P50, l.P95, l.P99 = clamp(l.P50, l.P50Past), clamp(l.P95, l.P95Past), clamp(l.P99, l.P99Past)
	l.Max = 0
	if l.Count > 0 {
		l.Max = hi
	}
	l.Mean = t.sum.mean(l.Count) // fits in a Time: the sum is of Times
	return l
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
