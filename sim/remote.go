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
	// bid.
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
	// from fan-out, which is where the wire cuts the call, or one read
	// after it, with its Bid and Value if it was a bid) or OnTime: a bid,
	// which the engine marks Late or BelowFloor against the auction's
	// deadline and floor.
	Status Status
	Reason NoBidReason
	Time   Time // from fan-out to the answer, as measured
	Bid    Price
	Value  Price // the bidder's value when it says so; else the bid
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
	// closed that timed out (a Late answer: its arrival unknown past the
	// deadline the wire enforced), for the tmax curve (curveView).
	cut []bool
	// view is the tmax curve's copy of the responses (curveView).
	view []Response
	// early: the auction being closed was fanned out before the tmax
	// curve (re)started, with the settings before a live change; the
	// curve leaves it out (collectRemote).
	early bool
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
// late grace adds what it would have added had it been on time.
type lateAuction struct {
	a      auctionState // its rules: type, floor, increment
	at     Time         // its close
	all    topBids      // its bids with no deadline, so far
	whatIf Price        // the price they clear at
	open   int          // its calls still to be told
	// rec is where its record sits in the engine's ring of recent
	// auctions (-1: none kept), for LateAnswer to update while the ring
	// still holds it: a later auction's record there has another ID.
	rec int
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
	e.remote = &remotes{link: link, is: is, open: map[uint64]int32{}, cut: make([]bool, len(e.bidders)), late: map[uint64]*lateAuction{},
		lateBid: make([]Price, len(e.bidders)), lateValue: make([]Price, len(e.bidders))}
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
// (the wall clock's measure, as the exchange's wait counts it), and each
// timed-out call is marked cut: the wire read nothing past the deadline
// it enforced, the auction's tmax (Prebid Server cuts a bidder's request
// at the auction's deadline; the shorter tmax the bidder is told is only
// a number in the request), so the curve is settled only up to it
// (tmaxCurve.censor). A call that ended otherwise
// (a bid, a no-bid, an error, a refused connection) ended when the wire
// measured, before the close, so it censors nothing: an auction without
// a timeout is known at every deadline.
func (e *Engine) collectRemote(a *auctionState, rs []Response) {
	delete(e.remote.open, a.id)
	sent, timedOut := false, false
	e.remote.opened = 0
	for i := range e.remote.lateBid { // the builtin clear is shadowed here
		e.remote.lateBid[i], e.remote.lateValue[i] = 0, 0
	}
	for i := range rs {
		e.remote.cut[i] = false
		if !e.remote.is[i] || rs[i].Status == NotSent {
			continue
		}
		sent = true
		ans := e.remote.link.Collect(a.id, i)
		e.remote.cut[i] = ans.Status == Late
		timedOut = timedOut || ans.Status == Late
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
			if ans.Open {
				e.remote.opened++
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
		rs[i] = r
	}
	// An auction fanned out before the curve restarted (a live change of
	// tmax, in flight then) is left out of it: its calls were cut at the
	// old deadline, which would censor the new curve there for good. One
	// fanned out at the very instant of the change is left out too: a
	// driver on the wall clock applies a change just after the fan-out it
	// stepped last, at that instant.
	e.remote.early = sent && e.curve != nil && e.curve.from > 0 && a.start <= e.curve.from
	if sent && !e.remote.early {
		a.answered = max(a.answered, e.now-a.start)
		if e.curve != nil && timedOut {
			e.curve.censor(a.tmax)
		}
	}
}

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
// open), for the close to say where its record is (lateAuction.rec).
func (e *Engine) keepLate(a *auctionState, at Time, best, second Price, n int, whatIf Price) *lateAuction {
	if e.remote.opened == 0 {
		return nil
	}
	l := &lateAuction{a: *a, at: at, all: topBids{best, second, n}, whatIf: whatIf, open: e.remote.opened, rec: -1}
	e.remote.late[a.id] = l
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
// has read it or given up: with a bid of bid read late (0: none), worth
// value to the bidder (0: the bid). A bid at or above the floor adds to
// the revenue lost to timeouts what it would have added to the auction's
// price had it come in time (in the series, at the auction's close), as a
// simulated late bid does. While the engine's ring of recent auctions
// still holds the auction's record, the record says so too: its
// LostToTimeouts, and the bid in the bidder's late response. The driver
// of a wire calls it from the goroutine that drives the engine, once per
// open call (RemoteAnswer.Open); other calls are ignored.
func (e *Engine) LateAnswer(id uint64, bidder int, bid, value Price) {
	if e.remote == nil {
		return
	}
	l := e.remote.late[id]
	if l == nil {
		return
	}
	if l.open--; l.open <= 0 {
		delete(e.remote.late, id)
	}
	rec := e.lateRecord(l, id)
	if rec != nil && bid > 0 && bidder >= 0 && bidder < len(e.bidders) {
		if r := &e.pool.responses(e.recent.slots[l.rec])[bidder]; r.Status == Late && r.Bid == 0 {
			r.showLate(bid, value)
		}
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

// lateRecord is the record of auction id, kept as l, while the ring of
// recent auctions still holds it; nil once a later auction took its place.
func (e *Engine) lateRecord(l *lateAuction, id uint64) *AuctionRecord {
	if l.rec < 0 || l.rec >= len(e.recent.recs) || e.recent.recs[l.rec].ID != id {
		return nil
	}
	return &e.recent.recs[l.rec]
}

// curveFor is the tmax curve that settles auction a, being closed: the
// engine's, or nil for an auction on the wire it leaves out
// (collectRemote), or for one the skip rule left unsent that was fanned
// out before the curve (re)started: it would censor the new curve at the
// old tmax's boundary for good (followTmax).
func (e *Engine) curveFor(a *auctionState) *tmaxCurve {
	if e.remote != nil && e.remote.early {
		return nil
	}
	if a.keptBack && e.curve != nil && e.curve.from > 0 && a.start <= e.curve.from {
		return nil
	}
	return e.curve
}

// curveView is rs as the tmax curve settles them: rs itself without
// remote bidders; on the wire a copy in which a timed-out call never
// arrives within the grid, so that it is late at every deadline up to
// the one the wire enforced (its Time is that deadline, censored: on time
// there, were it read as an arrival). Above that deadline the curve
// reports nothing (tmaxCurve.censor).
func (e *Engine) curveView(rs []Response) []Response {
	if e.remote == nil {
		return rs
	}
	v := append(e.remote.view[:0], rs...)
	for i := range v {
		if e.remote.cut[i] {
			v[i].Time = never
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
