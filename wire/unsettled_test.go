package wire

import (
	"io"
	"net/http"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestWireCountsAddUp: every bid request sent on the wire is counted
// once, answered, an HTTP error, a timeout or unsettled (a call of an
// auction still open at the stop), so that the counts add up to those
// sent; with bidders that hang until their deadline, the auctions open
// at the stop leave calls unsettled.
func TestWireCountsAddUp(t *testing.T) {
	cfg := testWorld()
	cfg.Traffic.QPS = 200
	cfg.Exchange.Tmax = 300 * sim.Millisecond
	cfg.Bidders = cfg.Bidders[:2] // steady, broken
	// steady's endpoint holds every request past its deadline, so each of
	// its calls ends a timeout, and those of the auctions open at the
	// stop unsettled.
	// Its handlers end when the exchange cuts their requests, at their
	// deadline or at the stop (TestRunStopsCleanly); the body is read so
	// that the server watches the connection.
	hang := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	_, url := loopback(t, cfg)
	eps := Endpoints(cfg, url)
	eps["steady"] = hang.URL
	x := newExchange(t, cfg, ExchangeOptions{Endpoints: eps})
	runAuctions(t, x, 20)
	w := x.Wire()
	if w.Sent != w.Answered+w.HTTPErrors+w.Timeouts+w.Unsettled {
		t.Errorf("wire %+v: sent is not answered + errors + timeouts + unsettled", w)
	}
	// 20 auctions closed at their 300 ms deadline at 200 a second: the
	// stop comes with dozens of auctions fanned out and open. Each closed
	// auction's calls have ended: steady's in a timeout; broken's in an
	// error as a rule, but in a timeout when a busy machine delays its
	// answer past the deadline, so only some errors are asked for.
	if w.Unsettled == 0 || w.TimeoutsByBidder["steady"] < 20 || w.Timeouts+w.HTTPErrors < 40 || w.HTTPErrors == 0 {
		t.Errorf("wire %+v: want steady's 20 timeouts, broken's 20 calls ended (errors as a rule) and calls unsettled at the stop", w)
	}
}
