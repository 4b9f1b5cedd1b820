package sim

// seriesCap is how many points a time series holds before adjacent points
// merge; it bounds the series' memory whatever the run's length.
const seriesCap = 2048

// series accumulates per-interval metrics.
type series struct {
	width Time
	n     int           // bidders
	pts   []SeriesPoint // Bidders unused here; see bps
	bps   []BidderPoint // len(pts)·n, point i's bidders at [i·n, (i+1)·n)
	// base is each bidder's cumulative counts (bidder.seriesCounts) at
	// the start of the last point: its bid requests, bids and late bids
	// are not counted per response but written as the difference when
	// the series moves past it (Engine.seriesAt), or read so by Snapshot.
	base []seriesCounts

	// The exchange's floor and tmax now, stamped on each new point.
	floor Price
	tmax  Time
}

// settings records the exchange's floor and tmax set at instant t: the
// point covering t, if it exists yet, and the points to come carry them.
func (s *series) settings(t Time, floor Price, tmax Time) {
	s.floor, s.tmax = floor, tmax
	if n := len(s.pts); n > 0 && t < s.pts[n-1].Start+s.width {
		s.pts[n-1].Floor, s.pts[n-1].Tmax = floor, tmax
	}
}

func newSeries(width Time, bidders int) series {
	return series{
		width: width,
		n:     bidders,
		pts:   make([]SeriesPoint, 0, seriesCap),
		bps:   make([]BidderPoint, 0, seriesCap*bidders),
		base:  make([]seriesCounts, bidders),
	}
}

// seriesCounts is what a bidder's point counts of its bid requests, from
// its cumulative counters.
type seriesCounts struct{ requests, bids, late uint64 }

// seriesCounts is b's bid requests, bids and late bids so far: every
// request settled, by how it ended (the close settles every request sent).
func (b *bidder) seriesCounts() seriesCounts {
	c := &b.count
	bids := c[Late] + c[BelowFloor] + c[OnTime]
	return seriesCounts{requests: bids + c[Error] + c[Refused] + c[Hang] + c[NoBid], bids: bids, late: c[Late]}
}

// addCounts adds to the bidders' points bps what their counters have
// counted since the base; with move, the counters become the base.
func (e *Engine) addCounts(bps []BidderPoint, move bool) {
	for i := range bps {
		c := e.bidders[i].seriesCounts()
		base := &e.series.base[i]
		bp := &bps[i]
		bp.BidRequests += c.requests - base.requests
		bp.Bids += c.bids - base.bids
		bp.Late += c.late - base.late
		if move {
			*base = c
		}
	}
}

// seriesAt is series.at for a close at t, which counts its bid requests
// into the bidders' counters only: when t is past the last point, that
// point's counts are written first.
func (e *Engine) seriesAt(t Time) (*SeriesPoint, []BidderPoint) {
	s := &e.series
	n := len(s.pts)
	if n > 0 {
		// Most closes fall in the last point: found without dividing
		// (point i starts at i·width).
		if d := t - s.pts[n-1].Start; d >= 0 && d < s.width {
			return &s.pts[n-1], s.bps[(n-1)*s.n : n*s.n]
		}
	}
	if n > 0 && max(t, 0)/s.width >= Time(n) {
		e.addCounts(s.bps[(n-1)*s.n:n*s.n], true)
	}
	return s.at(t)
}

// at returns the point covering instant t and its bidders' points, adding
// empty points for quiet intervals and merging when full.
func (s *series) at(t Time) (*SeriesPoint, []BidderPoint) {
	t = max(t, 0) // the clock never runs backwards; never index below 0
	i := int(t / s.width)
	for i >= seriesCap {
		s.halve()
		i = int(t / s.width)
	}
	for len(s.pts) <= i {
		s.pts = append(s.pts, SeriesPoint{Start: Time(len(s.pts)) * s.width, Floor: s.floor, Tmax: s.tmax})
		for range s.n {
			s.bps = append(s.bps, BidderPoint{})
		}
	}
	return &s.pts[i], s.bps[i*s.n : (i+1)*s.n]
}

// halve merges points pairwise and doubles the width.
func (s *series) halve() {
	n := s.n
	half := (len(s.pts) + 1) / 2
	for i := range half {
		dst := s.pts[2*i]
		dst.Start = Time(i) * 2 * s.width
		for k := range n {
			s.bps[i*n+k] = s.bps[2*i*n+k]
		}
		if j := 2*i + 1; j < len(s.pts) {
			dst.add(&s.pts[j])
			for k := range n {
				s.bps[i*n+k].add(s.bps[j*n+k])
			}
		}
		s.pts[i] = dst
	}
	s.pts = s.pts[:half]
	s.bps = s.bps[:half*n]
	s.width *= 2
}

// add sums the later point q into p: its counts and money (saturating),
// the higher top price, and q's floor and tmax, those at the later
// interval's end. Start and Bidders stay p's.
func (p *SeriesPoint) add(q *SeriesPoint) {
	p.Auctions += q.Auctions
	p.Filled += q.Filled
	p.Timeouts += q.Timeouts
	p.Revenue = addMoney(p.Revenue, q.Revenue)
	p.RevenueLost = addMoney(p.RevenueLost, q.RevenueLost)
	p.MaxPrice = max(p.MaxPrice, q.MaxPrice)
	p.Floor, p.Tmax = q.Floor, q.Tmax
}

// add sums q into p, money saturating.
func (p *BidderPoint) add(q BidderPoint) {
	p.BidRequests += q.BidRequests
	p.Bids += q.Bids
	p.Late += q.Late
	p.Wins += q.Wins
	p.Spend = addMoney(p.Spend, q.Spend)
	p.Value = addMoney(p.Value, q.Value)
	if q.LearnFactor != 0 {
		p.LearnFactor = q.LearnFactor // the later interval's end
	}
	// The later interval's end: a win stamped it (the engine's points) or
	// the snapshot filled it in (a snapshot's, as RecentWindow sums).
	if q.dayStamp != 0 || q.DailyBudget != 0 {
		p.DaySpend, p.DailyBudget, p.dayStamp = q.DaySpend, q.DailyBudget, q.dayStamp
	}
}

// snapshot copies the series; all points' bidders share one backing array.
func (s *series) snapshot() Series {
	out := Series{Width: s.width, Points: make([]SeriesPoint, len(s.pts))}
	bps := append([]BidderPoint(nil), s.bps...)
	for i, p := range s.pts {
		p.Bidders = bps[i*s.n : (i+1)*s.n : (i+1)*s.n]
		out.Points[i] = p
	}
	return out
}

// recentRing keeps the most recent closed auctions in full detail. Their
// responses stay where the auction left them, in its pool slot, which is
// recycled only once the ring lets go of it: keeping them copies nothing.
type recentRing struct {
	recs  []AuctionRecord // Responses unset here; see slots
	slots []int32         // the pool slot holding each record's responses
	next  int
	count int
}

func newRecentRing(size int) recentRing {
	return recentRing{recs: make([]AuctionRecord, size), slots: make([]int32, size)}
}

// add keeps the auction closed in slot: it returns the record to fill and
// the slot of the auction it evicts, to recycle, or -1. The ring must not
// be empty.
func (r *recentRing) add(slot int32) (*AuctionRecord, int32) {
	evicted := int32(-1)
	if r.count == len(r.recs) {
		evicted = r.slots[r.next]
	}
	rec := &r.recs[r.next]
	r.slots[r.next] = slot
	if r.next++; r.next == len(r.recs) { // no division per auction
		r.next = 0
	}
	r.count = min(r.count+1, len(r.recs))
	return rec, evicted
}

// snapshot copies the ring, oldest first, with responses and ranks.
func (r *recentRing) snapshot(p *auctionPool) []AuctionRecord {
	out := make([]AuctionRecord, r.count)
	var order []int // rank's, reused
	start := (r.next - r.count + len(r.recs)) % max(len(r.recs), 1)
	for i := range out {
		k := (start + i) % len(r.recs)
		out[i] = r.recs[k]
		out[i].Responses = append([]Response(nil), p.responses(r.slots[k])...)
		if out[i].Slots != nil {
			out[i].Slots = append([]SlotWin(nil), out[i].Slots...)
		}
		order = rank(&out[i], order)
	}
	return out
}

// rank numbers the eligible on-time bids from 1 (the winner) down: among
// equal bids the winner ranks first, then configuration order. It ranks
// into order's array and returns it, for the next record. With several
// slots, slot holders rank by their slot, the rest after them.
func rank(a *AuctionRecord, order []int) []int {
	if a.Slots != nil {
		rankSlots(a)
		return order
	}
	return rankBids(a.Responses, func(i, j int) bool { return i == a.Winner || j != a.Winner && i < j }, order)
}

// rankSlots is rank for an auction of several slots.
func rankSlots(a *AuctionRecord) {
	held := make([]int32, len(a.Responses)) // slot position, 0: none
	for j, s := range a.Slots {
		held[s.Bidder] = int32(j + 1)
	}
	for i := range a.Responses {
		r := &a.Responses[i]
		if r.Status != OnTime {
			continue
		}
		if held[i] > 0 {
			r.Rank = held[i]
			continue
		}
		r.Rank = int32(len(a.Slots)) + 1
		for j := range a.Responses {
			o := &a.Responses[j]
			if j == i || o.Status != OnTime || held[j] > 0 {
				continue
			}
			if o.Bid > r.Bid || o.Bid == r.Bid && j < i {
				r.Rank++
			}
		}
	}
}

// seriesSnapshot is series.snapshot with the last point's bid requests,
// bids and late bids as the bidders' counters have them.
func (e *Engine) seriesSnapshot() Series {
	out := e.series.snapshot()
	if n := len(out.Points); n > 0 {
		e.addCounts(out.Points[n-1].Bidders, false)
	}
	if e.dailies {
		e.seriesDays(&out)
	}
	return out
}

// seriesDays fills in each point's day spend and daily budget for the
// bidders with a daily budget: a point a win stamped keeps the day's
// spend then, a point without one carries the spend of the points before
// it in the same day, and a point whose end is in a later day than the
// last stamp has spent nothing of it yet.
func (e *Engine) seriesDays(s *Series) {
	for i := range e.bidders {
		d := e.bidders[i].day
		if d == nil {
			continue
		}
		var spend Money
		stamped := -1 // the day spend is of
		for k := range s.Points {
			p := &s.Points[k]
			bp := &p.Bidders[i]
			if bp.dayStamp != 0 {
				spend, stamped = bp.DaySpend, int(bp.dayStamp)-1
			}
			end := min(p.Start+s.Width, e.now)
			day := int(max(end-1, 0) / Day)
			bp.DaySpend = 0
			if day == stamped {
				bp.DaySpend = spend
			}
			bp.DailyBudget = d.budget
			if day < len(d.days) {
				bp.DailyBudget = d.days[day].Budget
			}
		}
	}
}
