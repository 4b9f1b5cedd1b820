package wire

import (
	"context"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// Closing early on the wire. Prebid Server answers the page when every
// called bidder has answered or failed, or at the deadline, whichever
// comes first; the simulation does the same (exchange.close_early). The
// exchange counts each auction's calls still open; when the last one
// ends (an answer, a 204, an error, a refused connection) it tells the
// driver, which has the engine close the auction then (sim's
// CloseRemote), so that the auction's wait (exchange.wait_ms) is
// measured on the wall clock. The engine keeps the rule: with
// close_early false, or a simulated bidder still to answer, the close
// stays where the engine has it.

// pending is one auction's calls still open, guarded by Exchange.mu.
type pending struct {
	id     uint64
	left   int      // calls not ended yet
	sealed bool     // the fan-out is over: no call is added any more
	end    sim.Time // when the last call so far ended, on the run's clock
}

// endedAt is an auction whose calls all ended at at.
type endedAt struct {
	id uint64
	at sim.Time
}

// pending is auction id's open calls, made at its first Send, with one
// call more. Call with mu held.
func (x *Exchange) pending(id uint64) *pending {
	p := x.pend[id]
	if p == nil {
		p = &pending{id: id}
		x.pend[id] = p
		x.fanning = id
	}
	p.left++
	return p
}

// now is the wall clock on the run's virtual clock.
func (x *Exchange) now() sim.Time { return sim.FromDuration(time.Since(x.start)) }

// end is one of p's calls ending, now.
func (x *Exchange) end(p *pending) {
	if p == nil {
		return
	}
	at := x.now()
	x.mu.Lock()
	defer x.mu.Unlock()
	p.left--
	p.end = max(p.end, at)
	if p.left == 0 && p.sealed {
		x.endedLocked(p)
	}
}

// endedLocked queues p's auction for the driver and wakes it. Call with
// mu held.
func (x *Exchange) endedLocked(p *pending) {
	x.ended = append(x.ended, endedAt{p.id, p.end})
	select {
	case x.wake <- struct{}{}:
	default: // already woken
	}
}

// lateRead is how bidder's call of auction id, which its auction's close
// timed out, ended (sim's LateAnswer): the answer read in the late grace,
// at its time, with its bid if it was one; or none by the time the wire
// stopped waiting.
type lateRead struct {
	id     uint64
	bidder int
	ans    sim.RemoteAnswer
}

// lateAnswer queues for the driver how a call the close timed out ended
// (sim's LateAnswer). While the run goes on it needs no wake: it changes
// no event, and the driver's next step tells the engine. At the stop the
// driver waits for the last of them (settleLate): it is woken.
func (x *Exchange) lateAnswer(l lateRead) {
	x.mu.Lock()
	x.lates = append(x.lates, l)
	x.mu.Unlock()
	if !x.stopping.Load() {
		return
	}
	select {
	case x.wake <- struct{}{}:
	default: // already woken
	}
}

// sealFanOut ends the fan-out of the auction the last step sent, if it
// sent one: calls that ended during the fan-out (a full exchange fails
// at once) may have ended them all. On the driver's goroutine.
func (x *Exchange) sealFanOut() {
	if x.fanning == 0 {
		return
	}
	x.mu.Lock()
	if p := x.pend[x.fanning]; p != nil {
		p.sealed = true
		if p.left == 0 {
			x.endedLocked(p)
		}
	}
	x.mu.Unlock()
	x.fanning = 0
}

// between runs, on the driver's goroutine before each event, what came in
// since the last: the early closes of auctions whose calls all ended,
// and a job sent to the driver, if one waits.
func (x *Exchange) between() {
	x.mu.Lock()
	ended, lates := x.ended, x.lates
	x.ended, x.lates = nil, nil
	x.mu.Unlock()
	for _, e := range ended {
		x.eng.CloseRemote(e.id, e.at)
	}
	x.tell(lates)
	// One job, not every one waiting: when a job takes longer than the
	// interval its sender sends them at (a dashboard's frame on a loaded
	// machine, Live.pump), the next always waits by the time it ends, and
	// running them all stood the engine still for as long as they came
	// (the dashboard on the wire froze at one instant).
	select {
	case f := <-x.jobs:
		f()
	default:
	}
}

// tell tells the engine how the calls of lates ended. On the driver's
// goroutine.
func (x *Exchange) tell(lates []lateRead) {
	for _, l := range lates {
		x.eng.LateAnswer(l.id, l.bidder, l.ans)
	}
}

// tellCut tells the engine of the calls the stop cut that their auctions'
// closes had left open: unanswered by the stop, their arrivals known only
// to be later. On Run's goroutine, once the calls have ended.
func (x *Exchange) tellCut() {
	x.mu.Lock()
	lates := x.lates
	x.lates = nil
	x.mu.Unlock()
	x.tell(lates)
}

// settleLate waits, once the run reached its stop, for the calls its
// auctions' closes left open to end, each read in its late grace or given
// up at the grace's end, so that the engine has their arrivals (the
// latencies, the tmax curve) rather than cut calls whose arrivals are
// unknown: at most the grace and StopLate, and no longer than ctx. The
// driver's jobs still run meanwhile.
func (x *Exchange) settleLate(ctx context.Context) {
	x.stopping.Store(true)
	limit := time.NewTimer(min(x.grace+100*time.Millisecond, StopLate))
	defer limit.Stop()
	for x.between(); x.eng.LateOpen() > 0; x.between() {
		select {
		case <-x.wake:
		case f := <-x.jobs:
			f()
		case <-limit.C:
			return
		case <-ctx.Done():
			return
		}
	}
}
