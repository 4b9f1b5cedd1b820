package wire

import (
	"time"
)

// The stop. When Run returns (its stop reached, ctx done, an error) the
// auctions still open are never closed, so their bid requests have no
// use: shutdown cuts every one at once (their contexts derive from
// callCtx), and they stay unsettled (WireStats.Unsettled), as their
// auctions do. At its stop (not at ctx's end) Run first waits for the
// requests of closed auctions still read in their late grace, at most
// the grace and StopLate (settleLate); one still open then is cut too,
// counted as it was (a timeout), and told to the engine as unanswered by
// the stop (tellCut). The notices still
// due (those of the auctions closed last, a batch gathered, a late
// answer's loss notice) are sent and get up to StopNotices to be
// answered; then they are cut and counted in WireStats.NoticesUnsent.
// Run waits until every call, worker and notice has ended, and closes
// its idle connections, so that nothing it started outlives it.

// StopLate bounds how long a run on the wire, at its stop, waits for the
// late answers of the auctions it closed (within their late grace), so
// that their arrivals are known: a longer grace is cut there.
const StopLate = time.Second

// StopNotices is how long the notices still due when a run on the wire
// stops get to be answered before they are cut and counted unsent.
const StopNotices = time.Second

// StopWait bounds how long Run waits for its goroutines at its stop: the
// bid requests end at once, cut, and the notices by StopNotices; only a
// Client whose transport ignores its requests' contexts
// (ExchangeOptions.Client) could hold it that long, and what it holds
// then outlives Run.
const StopWait = StopNotices + 2*time.Second

// shutdown ends a run: it cuts the bid requests, lets the notices due be
// sent within StopNotices, waits for every goroutine of the run (at most
// StopWait) and closes the idle connections.
func (x *Exchange) shutdown() {
	x.cutCalls()
	cut := time.AfterFunc(StopNotices, x.cutNotices)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The calls first: a late answer read as the stop comes may
		// still add a loss notice, to a batch or as a GET of its own.
		x.work.close()
		x.batch.close() // posts what is gathered, waits for every batch
		x.notices.Wait()
	}()
	limit := time.NewTimer(StopWait)
	select {
	case <-done:
	case <-limit.C:
	}
	limit.Stop()
	cut.Stop()
	x.cutNotices() // nothing is left to cut, unless StopWait passed
	// After this the transport closes the connections that fall idle
	// later too (a dial that ends now), until its next request.
	x.client.CloseIdleConnections()
}
