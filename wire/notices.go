package wire

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/sim"
)

// Win and loss notices: which ones an exchange sends (Notices), and
// their sending, when an auction closes (closed) or a bid is read after
// it did (lateLoss); batch.go gathers those to auctionsim bidders.

// Notices says which win and loss notices an exchange on the wire sends.
type Notices int

// Which notices are sent. A win notice makes spend at the bidder; a loss
// notice only frees what the bid held against the bidder's budget, which
// matters to a bidder with a budget alone (one without a budget holds its
// unnotified bids as spend at risk, which changes none of its bids).
const (
	// NoticesBudget: every winner's nurl, and the losers' lurl for the
	// bidders with a budget in the scenario (the default).
	NoticesBudget Notices = iota
	// NoticesAll: every winner's nurl and every loser's lurl.
	NoticesAll
	// NoticesWin: the winners' nurl only.
	NoticesWin
	// NoticesNone: no notices.
	NoticesNone
)

var noticeNames = [...]string{"budget", "all", "win", "none"}

// String names n as --notices takes it.
func (n Notices) String() string {
	if n >= 0 && int(n) < len(noticeNames) {
		return noticeNames[n]
	}
	return "Notices(" + strconv.Itoa(int(n)) + ")"
}

// ParseNotices reads --notices: budget, all, win or none.
func ParseNotices(s string) (Notices, error) {
	for i, n := range noticeNames {
		if s == n {
			return Notices(i), nil
		}
	}
	return 0, fmt.Errorf("--notices %q: want budget, all, win or none", s)
}

// closed sends the notices of the auction that just closed: the winner's
// nurl with the clearing price, the losers' lurl with their loss reason.
func (x *Exchange) closed() {
	rec, ok := x.eng.LastAuction()
	if !ok {
		return
	}
	x.mu.Lock()
	delete(x.pend, rec.ID)
	calls := make(map[int]*call, len(rec.Responses))
	for i := range rec.Responses {
		k := callKey{rec.ID, i}
		if c, ok := x.calls[k]; ok {
			calls[i] = c
			delete(x.calls, k)
		}
	}
	x.mu.Unlock()
	// The auction's macros, the same in each of its notices: the
	// clearing price to losers too, when there was one; none (the empty
	// string) when the auction went unfilled.
	auction := closeMacros{auctionID: strconv.FormatUint(rec.ID, 10)}
	if rec.Winner >= 0 {
		auction.price = cpmText(rec.Price)
	}
	for i, c := range calls {
		c.mu.Lock()
		nurl, lurl, late := c.nurl, c.lurl, c.lateLURL
		c.closed, c.price, c.lateLURL = true, auction.price, ""
		c.mu.Unlock()
		if late != "" {
			// A bid read late before these notices: its loss notice
			// waited for the clearing price.
			x.notify(lateLossURL(rec.ID, late, auction.price))
		}
		if x.sendNotices == NoticesNone {
			continue
		}
		m := auction
		var u string
		switch st := rec.Responses[i].Status; {
		case i == rec.Winner:
			u, m.loss = nurl, strconv.Itoa(int(openrtb.LossWon))
		case !x.losses[i]:
		case st == sim.OnTime:
			u, m.loss = lurl, strconv.Itoa(int(openrtb.LossLostToHigherBid))
		case st == sim.BelowFloor:
			u, m.loss = lurl, strconv.Itoa(int(openrtb.LossBelowAuctionFloor))
		}
		if u == "" {
			continue
		}
		m.minToWin = minToWin(&rec, i) // only for a notice sent
		x.notify(expandMacros(u, m.value))
	}
}

// lateLoss tells c's bidder that its bid, read after the auction closed,
// lost (OpenRTB loss reason 2, the impression opportunity expired), when
// its loss notices are sent; on the call's own goroutine. The notice
// carries the auction's clearing price, so it waits for the close's
// notices (closed) when they have not been sent yet.
func (x *Exchange) lateLoss(c *call, auction uint64, lurl string) {
	if lurl == "" || !x.losses[c.bidder] { // losses is all false with NoticesNone
		return
	}
	c.mu.Lock()
	closed, price := c.closed, c.price
	if !closed {
		c.lateLURL = lurl
	}
	c.mu.Unlock()
	if !closed {
		return
	}
	if u := lateLossURL(auction, lurl, price); !x.batch.add(u) {
		x.get(u)
	}
}

// lateLossURL is lurl, the loss notice URL of a bid read after auction
// closed at price (its macro text, "" unfilled), with the macros known.
// No minimum to win: the bid was not in the auction (§4.4.1, the empty
// string when price was not what decided the loss).
func lateLossURL(auction uint64, lurl, price string) string {
	m := closeMacros{auctionID: strconv.FormatUint(auction, 10), price: price, loss: strconv.Itoa(int(openrtb.LossExpired))}
	return expandMacros(lurl, m.value)
}

// notify sends notice URL u: in its server's next batch, or else as a
// GET of its own. Either is waited for at the run's end. On the driver's
// goroutine.
func (x *Exchange) notify(u string) {
	if x.batch.add(u) {
		return
	}
	x.notices.Add(1)
	go func() {
		defer x.notices.Done()
		x.get(u)
	}()
}

// get calls a notice URL, its answer discarded, and counts it.
func (x *Exchange) get(u string) {
	x.countNotices(1, x.noticeCall(http.MethodGet, u, nil))
}

// countNotices counts n notices whose call got the answer status: sent,
// or unsent with none (0).
func (x *Exchange) countNotices(n int, status int) {
	if status == 0 {
		x.w.noticesUnsent.Add(uint64(n))
	} else {
		x.w.noticesSent.Add(uint64(n))
	}
}

// noticeCall sends a notice request (a GET, or a batch's POST of
// text/plain body), its answer's body discarded, and returns the answer's
// status code, 0 with none: within 2 s, and cut StopNotices after the
// run's stop.
func (x *Exchange) noticeCall(method, u string, body io.Reader) int {
	ctx, cancel := context.WithTimeout(x.noticeCtx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return 0
	}
	if body != nil {
		req.Header.Set("Content-Type", "text/plain")
	}
	resp, err := x.client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxBody))
	resp.Body.Close()
	return resp.StatusCode
}
