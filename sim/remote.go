package sim

import (
	"fmt"
	"sort"
)

// Remote answers some bidders' bid requests from outside the engine: the
// bidders are reached over a wire, and the engine only runs the exchange's
// side (arrivals, deadlines, clearing, statistics) for them. The engine
// calls Send at an auction's fan-out and Collect at its close, from the
// goroutine that drives it; whatever Collect returns is the bidder's
// answer as the engine would have drawn it, so that the same rules clear
// the auction and the same statistics count it. An auction with remote
// bidders closes at its deadline unless its driver says, with
// Engine.CloseRemote, that every remote call ended sooner.
type Remote interface {
	// Send is the bid request of auction Auction to bidder Bidder.
	Send(req RemoteRequest)
	// Collect is bidder's answer to auction id at the auction's close.
	// A bid request still unanswered is a Late answer (a timeout) with no
	// bid; one still open is marked Open, and the driver tells the engine
	// how it ended (Engine.LateAnswer).
	Collect(id uint64, bidder int) RemoteAnswer
}

// RemoteRequest is one bid request to a remote bidder.
type RemoteRequest struct {
	Auction uint64 // the auction's id (ad request number, from 1)
	Bidder  int    // the bidder's index in the world
	Start   Time   // the fan-out instant
	// Lead is the exchange's request processing before the request
	// leaves (TmaxAdjustments.RequestProcessing).
	Lead  Time
	Tmax  Time // the auction closes at Start + Tmax
	Told  Time // the deadline the bidder is told (OpenRTB tmax)
	Floor Price
	Type  AuctionType
	Seat  string // the bidder's name
	// Person is whose ad request it is, 1 … traffic.users count (OpenRTB
	// user.id); 0 without people.
	Person uint32
}

// RemoteAnswer is a remote bidder's answer as the wire saw it.
type RemoteAnswer struct {
	// Status is Error (an HTTP error, a broken connection, an answer that
	// cannot be taken), Refused (a refused connection, a full queue),
	// NoBid, Late (a timeout: no answer by the auction's deadline, tmax
	// from fan-out, or one read after it, Arrived, with its Bid and Value
	// if it was a bid) or OnTime: a bid, which the engine marks Late or
	// BelowFloor against the auction's deadline and floor.
	Status Status
	Reason NoBidReason
	// Time is from fan-out to the answer, as measured; for a Late answer
	// that did not arrive, when the wire stopped waiting for it (the
	// deadline, or past it the end of the wire's late grace): its arrival
	// is known only to be later (censored).
	Time  Time
	Bid   Price
	Value Price // the bidder's value when it says so; else the bid
	// Arrived: a Late answer (a bid, or a no-bid when Bid is 0) that the
	// wire read after the deadline, before the close, at Time. Its time is
	// measured, not censored: the latencies record it, and the tmax curve
	// has it on time at every deadline from Time on.
	Arrived bool
	// Open: a timeout whose call was still open at the close. Its answer
	// may yet be read in the wire's late grace, which the driver then
	// tells the engine (LateAnswer), once per open call.
	Open bool
}

// remotes are the engine's remote bidders.
type remotes struct {
	link Remote
	is   []bool // by bidder index
	// open maps each auction waiting for remote answers to its slot,
	// from fan-out to close, for CloseRemote.
	open map[uint64]int32
	// cut marks, by bidder index, the remote calls of the auction being
	// closed whose time the close does not know: a timeout with no answer
	// (censored: its arrival unknown past the time the wire stopped
	// waiting, cutAt, the least such) or a call still open (told later,
	// LateAnswer), for the tmax curve (curveView) and the latencies,
	// which the close leaves to collectRemote and LateAnswer (settle).
	// openNow marks the calls still open.
	cut, openNow []bool
	cutAt        Time
	// view is the tmax curve's copy of the responses (curveView).
	view []Response
	// early: the auction being closed was fanned out before the tmax
	// curve (re)started, with the settings before a live change; the
	// curve leaves it out (collectRemote).
	early bool
	// deferred: the auction being closed has calls still open, whose
	// arrivals the tmax curve waits for (keepLate, settleLate): settled
	// now, they would be unknown past the deadline and censor the curve
	// there, though the wire's late grace may read them.
	deferred bool
	// waiting counts the open calls of every kept auction not yet told
	// (Engine.LateOpen).
	waiting int
	// opened counts the calls of the auction being closed still open at
	// its close (RemoteAnswer.Open); late keeps each closed auction with
	// calls still open, until all of them are told (LateAnswer).
	opened int
	late   map[uint64]*lateAuction
	// lateBid is, by bidder index, the bid of a remote call of the
	// auction being closed that the wire read after its deadline: late,
	// it counts in the revenue lost to timeouts alone (foldLate), and
	// the auction's record shows it, with lateValue, once the close has
	// cleared without it (showLate).
	lateBid, lateValue []Price
}

// lateAuction is an auction closed with remote calls still open: what its
// revenue lost to timeouts is computed from, so that a bid read in the
// late grace adds what it would have added had it been on time; and, for
// the latencies and the tmax curve, when each call ended.
type lateAuction struct {
	a      auctionState // its rules: type, floor, increment; its lead
	at     Time         // its close
	all    topBids      // its bids with no deadline, so far
	whatIf Price        // the price they clear at
	// open marks, by bidder index, its calls still to be told; left
	// counts them.
	open []bool
	left int
	// rec is where its record sits in the engine's ring of recent
	// auctions (-1: none kept), for LateAnswer to update while the ring
	// still holds it: a later auction's record there has another ID.
	rec int
	// slots: an auction of several slots, whose revenue lost to a bid
	// told comes from ranked, its bids with no deadline best first (at
	// most one more than its slots, as the close ranked them, before GSP
	// equilibrium bids), revenue, what its slots sold for, and lost, the
	// revenue lost to timeouts so far (lateSlots).
	slots         bool
	ranked        []rankedBid
	revenue, lost Money
	// view is its responses as the tmax curve settles them (curveView),
	// each call told arriving when it did, for settleLate once the last
	// is told; nil when the curve does not wait for it. last is its
	// latest answer so far (never once a call went unanswered), cut the
	// least time a call was known unanswered by (0: none), as the curve
	// has them.
	view      []Response
	last, cut Time
}

// topBids are the top two of n bids.
type topBids struct {
	best, second Price
	n            int
}

// add counts bid, if it is one at or above floor.
func (t *topBids) add(bid, floor Price) {
	if bid > 0 && bid >= floor {
		t.n++
		t.second = max(t.second, min(t.best, bid))
		t.best = max(t.best, bid)
	}
}

// evMoved is a close that CloseRemote moved earlier, left where it was:
// it fires as nothing.
const evMoved eventKind = 0

// SetRemote makes the named bidders remote: from the next fan-out on,
// their bid requests go to link and their answers come from it. Once a
// call times out, the tmax curve is settled only up to the deadline the
// wire enforced (Snapshot.TmaxCurveCensoredAbove): a timed-out call's
// arrival is unknown past it. Call it before running the engine.
func (e *Engine) SetRemote(link Remote, names ...string) error {
	if link == nil {
		return fmt.Errorf("remote: nil link")
	}
	is := make([]bool, len(e.bidders))
	for _, n := range names {
		found := false
		for i := range e.bidders {
			if e.bidders[i].name == n {
				is[i], found = true, true
			}
		}
		if !found {
			return fmt.Errorf("remote: no bidder named %q", n)
		}
	}
	e.remote = &remotes{link: link, is: is, open: map[uint64]int32{}, cut: make([]bool, len(e.bidders)), openNow: make([]bool, len(e.bidders)),
		late: map[uint64]*lateAuction{}, lateBid: make([]Price, len(e.bidders)), lateValue: make([]Price, len(e.bidders))}
	return nil
}

// NextTime is when the engine's next event fires (EndOfTime or later:
// none): a driver on the wall clock waits for it before Step.
func (e *Engine) NextTime() Time { return e.nextTime() }

// sendRemote sends bidder i's bid request of auction a when the bidder is
// remote, and reports whether it is.
func (e *Engine) sendRemote(a *auctionState, i int, r *Response) bool {
	if !e.remote.is[i] {
		return false
	}
	*r = Response{}
	b := &e.bidders[i]
	if !b.enabled || a.unsent {
		// NotSent; skipped when only the deadline kept it back, as a
		// simulated bidder's respond marks it.
		r.Skipped = b.enabled
		return true
	}
	r.Status = Error // until collected
	e.remote.link.Send(RemoteRequest{
		Auction: a.id, Bidder: i, Start: a.start, Lead: a.lead, Tmax: a.tmax, Told: a.told,
		Floor: a.floor, Type: a.auction, Seat: b.name, Person: a.person,
	})
	return true
}

// collectRemote fills in the remote bidders' answers of auction a at its
// close, marking bids late or under the floor as respond does, and
// reserving their cost as respond would have, for settle to release.
//
// For the tmax curve, an auction with remote calls waited until its close
// (the wall clock's measure, as the exchange's wait counts it), or, past
// it, until its last late answer. A call that got no answer is marked cut:
// the wire read nothing past the time it stopped waiting for it, the
// auction's deadline (Prebid Server cuts a bidder's request at the
// auction's deadline; the shorter tmax the bidder is told is only a
// number in the request) or the end of the late grace, so the curve is
// settled only up to then (tmaxCurve.censor), and its latency is censored
// there. A call that ended otherwise (a bid, a no-bid, an error, a refused
// connection, a late answer read before the close) ended when the wire
// measured, so it censors nothing: an auction without a call unanswered
// is known at every deadline. A call still open at the close is told
// later (LateAnswer): the curve settles its auction once every such call
// is (deferred, settleLate), so that an answer read in the late grace
// counts at its time rather than censoring the curve at the deadline.
func (e *Engine) collectRemote(a *auctionState, rs []Response) {
	delete(e.remote.open, a.id)
	sent := false
	e.remote.opened, e.remote.cutAt = 0, 0
	arrived := Time(0)                // the last answer read, late ones too: the auction's wait past its deadline
	for i := range e.remote.lateBid { // the builtin clear is shadowed here
		e.remote.lateBid[i], e.remote.lateValue[i] = 0, 0
	}
	for i := range rs {
		e.remote.cut[i], e.remote.openNow[i] = false, false
		if !e.remote.is[i] || rs[i].Status == NotSent {
			continue
		}
		sent = true
		ans := e.remote.link.Collect(a.id, i)
		r := Response{Status: ans.Status, Reason: ans.Reason, Time: ans.Time}
		switch ans.Status {
		case OnTime, BelowFloor:
			r.Bid, r.Value = ans.Bid, ans.Value
			if r.Value == 0 {
				r.Value = r.Bid
			}
			switch {
			case r.Time > a.tmax:
				r.Status = Late
			case r.Bid < a.floor:
				r.Status = BelowFloor
			default:
				r.Status = OnTime
			}
		case Late:
			// A timeout holds no bid, as in the simulation the close
			// knows nothing of a bid past its deadline but what it would
			// have paid: a bid the wire read late counts only there
			// (lateBid), and a call still open may yet be read
			// (LateAnswer).
			r.Bid = 0
			e.remote.lateBid[i], e.remote.lateValue[i] = max(ans.Bid, 0), max(ans.Value, 0)
			switch {
			case ans.Open:
				e.remote.opened++
				e.remote.cut[i], e.remote.openNow[i] = true, true
				r.Open = true // until LateAnswer says how it ended
			case ans.Arrived:
				r.Time = lateArrival(ans.Time, a.tmax)
			default:
				by := max(ans.Time, a.tmax)
				r.NoAnswer = true
				e.remote.cut[i] = true
				e.remote.cutAt = lowerCut(e.remote.cutAt, by)
				e.bidders[i].times.censor(by - a.lead)
			}
		case NoBid, Error, Refused:
			// Refused: nothing listening, or auctionsim's bidder with its
			// queue full (503), as the simulation's bidder refuses.
			r.Bid = 0
		default:
			r.Status = Error
		}
		if r.Status >= Late {
			e.bidders[i].reserved += r.Bid.Cost()
		}
		if !e.remote.cut[i] {
			arrived = max(arrived, r.Time)
		}
		rs[i] = r
	}
	// An auction fanned out before the curve restarted (a live change of
	// tmax, in flight then) is left out of it: its calls were cut at the
	// old deadline, which would censor the new curve there for good. One
	// fanned out at the very instant of the change is left out too: a
	// driver on the wall clock applies a change just after the fan-out it
	// stepped last, at that instant.
	e.remote.early = sent && e.curve != nil && e.curve.from > 0 && a.start <= e.curve.from
	e.remote.deferred = false
	if sent && !e.remote.early {
		a.answered = max(a.answered, e.now-a.start, arrived)
		switch {
		case e.curve == nil:
		case e.remote.opened > 0:
			e.remote.deferred = true // keepLate keeps it for settleLate
		case e.remote.cutAt > 0:
			e.curve.censor(e.remote.cutAt)
		}
	}
}

// lateArrival is when a call the close timed out arrived, measured at t,
// for an auction whose deadline is tmax: after it. One measured at the
// deadline or before lost the race to the close by the driver's lag, and
// counts late, as the exchange counted it.
func lateArrival(t, tmax Time) Time { return max(t, tmax+1) }

// foldLate adds to best and second, the top two of n bids with no
// deadline, the late bids the wire read at or above floor (lateBid).
func (r *remotes) foldLate(floor, best, second Price, n uint64) (Price, Price, uint64) {
	t := topBids{best, second, int(n)}
	for _, bid := range r.lateBid {
		t.add(bid, floor)
	}
	return t.best, t.second, uint64(t.n)
}

// keepLate keeps auction a, closed at at with, with no deadline, the top
// two bids best and second of n at whatIf, while some of its remote calls
// are still open (collectRemote counted them), and returns it (nil: none
// open), for the close to say where its record is (lateAuction.rec). rs
// are its responses, which the tmax curve settles once its open calls are
// told (settleLate) when the close deferred it. slots: an auction of
// several slots, whose calls told add their times alone.
func (e *Engine) keepLate(a *auctionState, at Time, rs []Response, best, second Price, n int, whatIf Price, slots bool) *lateAuction {
	if e.remote.opened == 0 {
		return nil
	}
	l := &lateAuction{a: *a, at: at, all: topBids{best, second, n}, whatIf: whatIf, rec: -1, slots: slots,
		open: append([]bool(nil), e.remote.openNow...), left: e.remote.opened, last: a.answered, cut: e.remote.cutAt}
	if e.remote.deferred {
		l.view = append([]Response(nil), e.curveView(rs)...)
		if l.cut > 0 {
			l.last = never // a call never answered: the auction waits every deadline
		}
	}
	e.remote.late[a.id] = l
	e.remote.waiting += l.left
	return l
}

// showLate puts the bids the wire read late into rs, the responses of the
// auction just closed as its record keeps them: a late response holds no
// bid while the close clears (collectRemote), but its record shows what
// came, as a simulated late bid's does. Called once nothing of the close
// reads rs any more.
func (r *remotes) showLate(rs []Response) {
	for i, bid := range r.lateBid {
		if bid > 0 && rs[i].Status == Late {
			rs[i].showLate(bid, r.lateValue[i])
		}
	}
}

// showLate puts a bid the wire read late, worth value to its bidder (0:
// unstated, taken as the bid), in r, a late response as its auction's
// record keeps it.
func (r *Response) showLate(bid, value Price) {
	if value <= 0 {
		value = bid
	}
	r.Bid, r.Value = bid, value
}

// LateAnswer tells the engine how bidder's remote call of auction id,
// still open at the auction's close, ended, once the wire's late grace
// has read it or given up, as ans, from fan-out like Collect's answers:
// a bid (OnTime, or Late and Arrived, with its Bid and Value, 0: the bid)
// or a no-bid (NoBid, or Late and Arrived with no Bid) read at ans.Time;
// an error or a refused connection at ans.Time (Error, Refused); or no
// answer by ans.Time (Late, not Arrived: when the wire stopped waiting,
// the end of its late grace or the run's stop). An answer counts at the
// time it arrived: in the bidder's latencies, and, once every call of the
// auction still open at the close is told, in the tmax curve, which then
// settles the auction (settleLate), late at every deadline before the
// answer and on time from it on; a call with no answer is censored there,
// past ans.Time. A bid at or above the floor adds to the revenue lost to
// timeouts what it would have added to the auction's price had it come
// in time (in the series, at the auction's close), as a simulated late
// bid does. While the engine's ring of recent auctions still holds the
// auction's record, the record says so too: its LostToTimeouts, and the
// bid and time in the bidder's late response. The driver of a wire calls
// it from the goroutine that drives the engine, once per open call
// (RemoteAnswer.Open); other calls are ignored.
func (e *Engine) LateAnswer(id uint64, bidder int, ans RemoteAnswer) {
	if e.remote == nil {
		return
	}
	l := e.remote.late[id]
	if l == nil || bidder < 0 || bidder >= len(l.open) || !l.open[bidder] {
		return
	}
	l.open[bidder] = false
	l.left--
	e.remote.waiting--
	if l.left == 0 {
		delete(e.remote.late, id)
	}
	var bid, value Price
	at, came := lateArrival(ans.Time, l.a.tmax), true
	switch {
	case ans.Status == Late && !ans.Arrived:
		// No answer: censored, as a timeout at the close is.
		by := max(ans.Time, l.a.tmax)
		e.bidders[bidder].times.censor(by - l.a.lead)
		l.cut, l.last, came = lowerCut(l.cut, by), never, false
	case ans.Status == Error || ans.Status == Refused:
		// Ended with no answer: no response time, as an error has none.
	default:
		e.bidders[bidder].times.record(at - l.a.lead)
		bid, value = max(ans.Bid, 0), max(ans.Value, 0)
	}
	if came {
		if l.last != never {
			l.last = max(l.last, at)
		}
		if l.view != nil {
			// Late at the deadline as the exchange counted it, a bid (of
			// no price, as a timeout) on time from at on.
			l.view[bidder].Time, l.view[bidder].Bid = at, bid
		}
	}
	if l.left == 0 {
		e.settleLate(l)
	}
	rec := e.lateRecord(l, id)
	if rec != nil {
		if r := &e.pool.responses(e.recent.slots[l.rec])[bidder]; r.Status == Late && r.Bid == 0 {
			r.Open = false
			switch {
			case !came:
				r.NoAnswer = true // none by the time the wire stopped waiting
			case ans.Status == Error:
				// An error read in the grace: what came, when it came.
				r.Status, r.Time = Error, at
			case ans.Status == Refused:
				r.Status, r.Time = Refused, 0 // a refusal has no time
			default:
				r.Time = at // a bid, or a no-bid when bid is 0
			}
			if bid > 0 {
				r.showLate(bid, value)
			}
		}
	}
	if l.slots {
		e.lateSlots(l, bidder, bid, rec)
		return
	}
	n := l.all.n
	if l.all.add(bid, l.a.floor); l.all.n == n {
		return // no bid, or one under the floor
	}
	whatIf, _ := clear(&l.a, l.all.best, l.all.second, l.all.n)
	more := whatIf.Cost() - l.whatIf.Cost()
	if rec != nil {
		rec.LostToTimeouts += whatIf - l.whatIf
	}
	l.whatIf = whatIf
	if more <= 0 {
		return
	}
	e.x.RevenueLost = addMoney(e.x.RevenueLost, more)
	pt, _ := e.seriesAt(l.at)
	pt.RevenueLost = addMoney(pt.RevenueLost, more)
}

// lateSlots adds to the revenue lost to timeouts of l, an auction of
// several slots, what bidder's bid, told after its close, would have
// added to what its slots sold for had it come in time, as its close
// counts a late bid (closeSlots): the slots priced again with the bid
// ranked among the others with no deadline, GSP equilibrium bidders
// bidding as they would have among them. rec is its record, nil once
// the ring has dropped it.
func (e *Engine) lateSlots(l *lateAuction, bidder int, bid Price, rec *AuctionRecord) {
	if bid <= 0 || bid < l.a.floor || e.slots == nil {
		return
	}
	w := e.slots.weights
	l.ranked = insertRanked(l.ranked, len(w)+1, rankedBid{bid: bid, index: bidder})
	var buf [MaxSlots + 1]rankedBid
	all := append(buf[:0], l.ranked...) // equilibriumSlots rewrites its bids
	if l.a.auction == GSP {
		e.equilibriumSlots(&l.a, all, nil)
	}
	whatIf := Money(0)
	clickPrices(&l.a, w, func(i int) Price { return all[i].bid }, len(all), func(j int, click Price, _ PriceReason) {
		whatIf = addMoney(whatIf, microPrice(w[j]*float64(click)).Cost())
	})
	more := max(whatIf-l.revenue, 0) - l.lost
	if more <= 0 {
		return
	}
	l.lost += more
	if rec != nil {
		rec.LostToTimeouts += Price(more)
	}
	e.x.RevenueLost = addMoney(e.x.RevenueLost, more)
	pt, _ := e.seriesAt(l.at)
	pt.RevenueLost = addMoney(pt.RevenueLost, more)
}

// settleLate settles in the tmax curve an auction the close deferred
// (collectRemote), once its last open call is told: every call's arrival
// is known but those never answered, which censor the curve past the time
// the wire stopped waiting for them. An auction fanned out before the
// curve restarted since its close is left out, as at a close (early).
func (e *Engine) settleLate(l *lateAuction) {
	c := e.curve
	if c == nil || l.view == nil || c.from > 0 && l.a.start <= c.from {
		return
	}
	a := l.a
	a.answered = l.last
	left, masked := c.start(&a)
	if masked {
		c.sweep(&a, c.bucket(&a, l.view), left)
	} else {
		c.addSorted(&a, l.view, left)
	}
	if l.cut > 0 {
		c.censor(l.cut)
	}
}

// LateOpen is how many remote calls still open at their auctions' closes
// the engine has not yet been told of (LateAnswer): a driver at its stop
// waits for them, so that the curve and the latencies have their times.
func (e *Engine) LateOpen() int {
	if e.remote == nil {
		return 0
	}
	return e.remote.waiting
}

// lateRecord is the record of auction id, kept as l, while the ring of
// recent auctions still holds it; nil once a later auction took its place.
func (e *Engine) lateRecord(l *lateAuction, id uint64) *AuctionRecord {
	if l.rec < 0 || l.rec >= len(e.recent.recs) || e.recent.recs[l.rec].ID != id {
		return nil
	}
	return &e.recent.recs[l.rec]
}

// curveFor is the tmax curve that settles auction a, being closed: the
// engine's, or nil for an auction on the wire it leaves out or settles
// once its open calls are told (collectRemote), or for one the skip rule left unsent that was fanned
// out before the curve (re)started: it would censor the new curve at the
// old tmax's boundary for good (followTmax).
func (e *Engine) curveFor(a *auctionState) *tmaxCurve {
	if e.remote != nil && (e.remote.early || e.remote.deferred) {
		return nil
	}
	if a.keptBack && e.curve != nil && e.curve.from > 0 && a.start <= e.curve.from {
		return nil
	}
	return e.curve
}

// curveView is rs as the tmax curve settles them: rs itself without
// remote bidders; on the wire a copy in which a call with no answer (or
// still open, until LateAnswer tells its arrival) never arrives within
// the grid, so that it is late at every deadline up to the time the wire
// stopped waiting (its Time is the deadline, censored: on time there,
// were it read as an arrival). Above that the curve reports nothing
// (tmaxCurve.censor).
func (e *Engine) curveView(rs []Response) []Response {
	if e.remote == nil {
		return rs
	}
	v := append(e.remote.view[:0], rs...)
	for i := range v {
		switch {
		case e.remote.cut[i]:
			v[i].Time = never
		case v[i].Status == Late && v[i].Bid == 0:
			// A bid read late before the close, which the close held
			// apart (lateBid): on time from its arrival on.
			v[i].Bid = e.remote.lateBid[i]
		}
	}
	e.remote.view = v
	return v
}

// CloseRemote says that every remote bid request of auction id ended
// (answered, failed or refused) at virtual time at: the auction then
// closes as the simulation closes one with close_early, at the later of
// at, the engine's clock and its simulated bidders' last answer, unless
// that is its deadline or later, close_early is false, or a simulated
// bidder hangs (it then closes at its deadline). It reports whether the
// close moved. The driver of a wire calls it from the goroutine that
// drives the engine; a simulation without remote bidders never does, so
// its runs are unchanged.
func (e *Engine) CloseRemote(id uint64, at Time) bool {
	if e.remote == nil || e.holdOpen {
		return false
	}
	slot, ok := e.remote.open[id]
	if !ok {
		return false // closed already, or never waiting for the wire
	}
	a := &e.pool.states[slot]
	deadline := addTime(a.start, a.tmax)
	at = max(at, e.now, addTime(a.start, a.answered))
	if a.answered >= a.tmax || at >= deadline || !e.unscheduleClose(slot, deadline) {
		return false
	}
	delete(e.remote.open, id)
	// As an early close in arrive: out of the deadlines' order, so on
	// the heap.
	e.seq++
	e.q.push(event{at: at, seq: e.seq, kind: evClose, ref: slot})
	return true
}

// unscheduleClose turns slot's close at its deadline into an evMoved:
// found in the FIFO of deadlines by its time, or on the heap where a
// lowered tmax put it.
func (e *Engine) unscheduleClose(slot int32, deadline Time) bool {
	f := &e.closes
	live := f.buf[f.head:]
	for i := sort.Search(len(live), func(i int) bool { return live[i].at >= deadline }); i < len(live) && live[i].at == deadline; i++ {
		if ev := &live[i]; ev.kind == evClose && ev.ref == slot {
			ev.kind = evMoved
			return true
		}
	}
	for i := range e.q.h {
		if ev := &e.q.h[i]; ev.kind == evClose && ev.ref == slot && ev.at == deadline {
			ev.kind = evMoved
			return true
		}
	}
	return false
}
