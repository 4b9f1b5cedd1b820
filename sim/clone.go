package sim

import (
	"math/rand/v2"
	"unsafe"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Clone returns an exact, independent copy of the engine: the same clock,
// queues, in-flight auctions, counters, histograms, series, recent
// auctions, pacing and conversion state, change log and replay, and every
// random stream at the same point. Run alike, the two stay identical byte
// for byte; a change applied to one leaves the other as it was. This is
// what forks a running world into a baseline and a variant with common
// random numbers.
func (e *Engine) Clone() *Engine {
	c := *e
	c.q.h = append([]event(nil), e.q.h...)
	c.closes.buf = append(make([]event, 0, cap(e.closes.buf)), e.closes.buf...)
	c.traffic = cloneStream(e.traffic)
	c.exchange = cloneStream(e.exchange)
	c.waits = e.waits.clone()
	c.rAbandon = cloneStream(e.rAbandon)
	c.shape = append([]float64(nil), e.shape...)
	c.bidders = make([]bidder, len(e.bidders))
	for i := range e.bidders {
		c.bidders[i] = e.bidders[i].clone()
	}
	c.pool = auctionPool{
		n:      e.pool.n,
		states: append([]auctionState(nil), e.pool.states...),
		resp:   append([]Response(nil), e.pool.resp...),
		free:   append([]int32(nil), e.pool.free...),
	}
	c.series.pts = append(make([]SeriesPoint, 0, cap(e.series.pts)), e.series.pts...)
	c.series.bps = append(make([]BidderPoint, 0, cap(e.series.bps)), e.series.bps...)
	c.series.base = append([]seriesCounts(nil), e.series.base...)
	c.recent = recentRing{
		recs:  append([]AuctionRecord(nil), e.recent.recs...),
		slots: append([]int32(nil), e.recent.slots...),
		next:  e.recent.next,
		count: e.recent.count,
	}
	// Changes are immutable values: the entries can be shared, the slices
	// cannot.
	c.log = append([]AppliedChange(nil), e.log...)
	c.replay = append([]AppliedChange(nil), e.replay...)
	// The closes of auctions in flight at the change shift it in place
	// (closeAcross).
	c.sinceChange.Bidders = append([]BidderPoint(nil), e.sinceChange.Bidders...)
	c.theory.Bidders = append([]TheoryBidder(nil), e.theory.Bidders...)
	// The tmax curve's counters are the engine's own; the script's
	// changes are immutable values, its refusals an appended list.
	c.curve = e.curve.clone()
	c.script.refused = append([]string(nil), e.script.refused...)
	for i := range c.recent.recs {
		if r := &c.recent.recs[i]; r.Slots != nil {
			r.Slots = append(make([]SlotWin, 0, cap(r.Slots)), r.Slots...)
		}
	}
	if e.slots != nil {
		c.slots = e.slots.clone()
	}
	if e.people != nil {
		e.clonePeople(&c)
	}
	if e.pl != nil {
		// The copy runs alone, its streams where the pipeline's readers
		// stand.
		e.pl.syncTo(&c)
	}
	return &c
}

// clone copies the slots' counters and scratch; the weights never change.
func (s *slotState) clone() *slotState {
	c := *s
	c.stats = append([]SlotStats(nil), s.stats...)
	c.top = make([]rankedBid, 0, cap(s.top))
	c.all = make([]rankedBid, 0, cap(s.all))
	c.wins = make([]SlotWin, 0, cap(s.wins))
	return &c
}

func (b *bidder) clone() bidder {
	c := *b
	c.rDecide = cloneStream(b.rDecide)
	c.rService = cloneStream(b.rService)
	c.rValue = cloneStream(b.rValue)
	c.rPace = cloneStream(b.rPace)
	c.rOutcome = cloneStream(b.rOutcome)
	c.net.r = cloneStream(b.net.r)
	c.errLatency.r = cloneStream(b.errLatency.r)
	c.errNetwork.r = cloneStream(b.errNetwork.r)
	c.rtt.r = cloneStream(b.rtt.r)
	// A learner's arms and draws are its own: a fork learns apart.
	c.rLearn = cloneStream(b.rLearn)
	c.learn.n = append([]uint64(nil), b.learn.n...)
	c.learn.mean = append([]float64(nil), b.learn.mean...)
	if b.goal != nil {
		g := *b.goal
		c.goal = &g
	}
	if b.hasRTT {
		c.network = b.network.clone()
	}
	if b.station != nil {
		s := *b.station
		s.free = append([]Time(nil), b.station.free...)
		s.waiting = append(make([]Time, 0, cap(b.station.waiting)), b.station.waiting...)
		c.station = &s
	}
	if b.outcome != nil {
		o := *b.outcome
		c.outcome = &o
	}
	if b.hold != nil {
		c.hold = b.hold.clone()
	}
	if b.wo != nil {
		c.wo = b.wo.clone()
	}
	if b.day != nil {
		d := *b.day // the plan is shared read-only
		d.days = append([]DaySpend(nil), b.day.days...)
		d.given = append([]givenBudget(nil), b.day.given...)
		c.day = &d
	}
	c.times = b.times.clone()
	return c
}

func (l *latencies) clone() latencies {
	c := *l
	prev, cur := *l.prev, *l.cur
	c.done, c.prev, c.cur = cloneHist(l.done), &prev, &cur
	if l.before != nil {
		before := *l.before
		c.before = &before
	}
	return c
}

// cloneHist copies a histogram exactly: Export copies the counts, and the
// counts are all of its state that the engine reads.
func cloneHist(h *hdrhistogram.Histogram) *hdrhistogram.Histogram {
	return hdrhistogram.Import(h.Export())
}

// cloneStream returns a stream at the same point as r that draws
// independently of it. Every stream is a rand.Rand over a *rand.PCG
// (newStream); math/rand/v2's Rand holds its Source and nothing else, so
// the PCG it wraps is all its state. TestCloneStream checks this layout.
func cloneStream(r *rand.Rand) *rand.Rand {
	pcg := *sourceOf(r).(*rand.PCG)
	return rand.New(&pcg)
}

// sourceOf returns the Source r draws from.
func sourceOf(r *rand.Rand) rand.Source {
	return (*struct{ src rand.Source })(unsafe.Pointer(r)).src
}
