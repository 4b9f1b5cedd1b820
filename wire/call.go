package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/sim"
)

// Bid requests on the wire: the Exchange is the engine's sim.Remote. Send
// starts a bidder's call on a worker (workers.go), do makes it, and
// Collect takes its answer at the auction's close, a timeout if none came.

// callKey is a call's auction and bidder.
type callKey struct {
	auction uint64
	bidder  int
}

// call is one bid request on the wire. Its answer is decided once:
// by the answer, or by the auction's close (a timeout), whichever comes
// first.
type call struct {
	mu      sync.Mutex
	decided bool
	// deadline is the auction's, after fan-out: where the wire cuts the
	// call, as Prebid Server cuts a bidder's request at the auction's
	// deadline, not at the shorter tmax the bidder is told.
	deadline sim.Time
	bidder   int
	p        *pending // its auction's calls
	answer   sim.RemoteAnswer
	nurl     string
	lurl     string
	// closed: its auction's notices were sent (closed), price being the
	// clearing price's macro text ("" unfilled); lateLURL a loss notice
	// of a bid read after the close that waits for them (lateLoss).
	closed   bool
	price    string
	lateLURL string
}

// decide sets the call's answer unless the close has already timed it
// out; then the answer only counts as late, and it reports false. why is
// an error's cause (WireStats.ErrorsByCause).
func (x *Exchange) decide(c *call, a sim.RemoteAnswer, nurl, lurl, why string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.decided {
		// Ended by its answer, its error or its refusal: the auction may
		// close before its deadline.
		defer x.end(c.p)
	}
	if c.decided {
		if a.Status == sim.OnTime || a.Status == sim.NoBid {
			x.w.lateAnswers.Add(1)
			if a.Status == sim.OnTime {
				x.w.lateBids.Add(1)
			}
		}
		return false
	}
	c.decided, c.answer, c.nurl, c.lurl = true, a, nurl, lurl
	switch a.Status {
	case sim.OnTime:
		x.w.answered.Add(1)
	case sim.NoBid:
		x.w.answered.Add(1)
		x.w.noBids.Add(1)
	case sim.Late:
		x.timeout(c.bidder)
	default:
		x.w.httpErrors.Add(1)
		x.errorCause(why)
	}
	return true
}

// timeout counts a call to bidder that had no answer by its deadline.
func (x *Exchange) timeout(bidder int) {
	x.w.timeouts.Add(1)
	x.timedOut[bidder].Add(1)
}

// Send is sim.Remote's: it starts the bid request on a worker goroutine
// of its own (workers.go).
func (x *Exchange) Send(req sim.RemoteRequest) {
	c := &call{deadline: req.Tmax, bidder: req.Bidder}
	x.mu.Lock()
	c.p = x.pending(req.Auction)
	x.calls[callKey{req.Auction, req.Bidder}] = c
	if x.body.id != req.Auction || x.body.data == nil {
		x.body.id, x.body.data = req.Auction, requestBody(req)
	}
	body := x.body.data
	x.mu.Unlock()
	// Counted as sent at fan-out: each ends answered, an error or a
	// timeout, whenever its goroutine gets to run.
	x.w.sent.Add(1)
	x.w.bytesOut.Add(uint64(len(body)))
	select {
	case x.sem <- struct{}{}:
	default:
		// Too many open: fail at once rather than queue behind them.
		x.decide(c, sim.RemoteAnswer{Status: sim.Error}, "", "", CauseTooManyOpen)
		return
	}
	x.work.run(func() {
		defer func() { <-x.sem }()
		a, nurl, lurl, why, cut := x.do(req, body)
		if cut || x.stopping.Load() {
			// Cut at the run's stop, or ended once it was reached: a call
			// of an auction still open stays unsettled, as the auction
			// does, though the run waits for the late answers of closed
			// ones (settleLate); one its auction's close left open and
			// the stop cut is told to the engine as unanswered by now,
			// its arrival known only to be later.
			open := x.openAtClose(c)
			if cut && open {
				x.lateAnswer(lateRead{req.Auction, req.Bidder, sim.RemoteAnswer{Status: sim.Late, Time: x.now() - req.Start}})
			}
			if cut || !open {
				return
			}
		}
		x.countLate(a)
		// decide runs for every answer (it ends the call); its result only
		// matters for a bid that came in time by its own clock.
		inTime := x.decide(c, a, nurl, lurl, why)
		if !inTime {
			// The close timed the call out while it was open (Collect):
			// the engine is told how it ended, when, and with its bid if
			// it was one, for the latencies, the tmax curve, the revenue
			// lost to timeouts and the auction's record (do sets Bid and
			// Value for a bid alone, on time or read late).
			x.lateAnswer(lateRead{req.Auction, req.Bidder, a})
		}
		// A bid read after its auction closed lost, and its bidder is told,
		// so that the bid stops holding its budget: an on-time bid the
		// close had already timed out, or a bid read in the grace (do
		// answers it as Late, keeping only its loss URL).
		if (!inTime && a.Status == sim.OnTime) || (a.Status == sim.Late && lurl != "") {
			x.lateLoss(c, req.Auction, lurl)
		}
	})
}

// countLate counts a, when it is an answer read in the late grace (do),
// in the wire statistics' late answers, and its bid in their late bids.
func (x *Exchange) countLate(a sim.RemoteAnswer) {
	if a.Status == sim.Late && a.Arrived {
		x.w.lateAnswers.Add(1)
		if a.Bid > 0 {
			x.w.lateBids.Add(1)
		}
	}
}

// openAtClose reports whether c's auction closed while c was open
// (Collect timed it out, RemoteAnswer.Open).
func (x *Exchange) openAtClose(c *call) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.decided && c.answer.Open
}

// requestBody is the OpenRTB 2.6 BidRequest of an auction: one banner
// impression with the floor, the told deadline as tmax.
func requestBody(req sim.RemoteRequest) []byte {
	id := strconv.FormatUint(req.Auction, 10)
	w, h := int64(300), int64(250)
	br := openrtb.BidRequest{
		ID:     id,
		Imp:    []openrtb.Imp{{ID: openrtb.ImpID, Banner: &openrtb.Banner{W: &w, H: &h}, BidFloor: req.Floor.CPM(), BidFloorCur: openrtb.Currency}},
		Site:   &openrtb.Site{Domain: "auctionsim.example", Page: "https://auctionsim.example/"},
		AT:     req.Type.OpenRTB(),
		TMax:   int64(math.Round(req.Told.Milliseconds())),
		Cur:    []string{openrtb.Currency},
		Source: &openrtb.Source{TID: id},
	}
	if req.Person != 0 {
		br.User = &openrtb.User{ID: openrtb.UserID(req.Person)}
	}
	if data, ok := appendBidRequest(make([]byte, 0, 384), &br); ok {
		return data
	}
	data, _ := json.Marshal(br) // plain values: cannot fail
	return data
}

// do sends one bid request and reads its answer within the auction's
// deadline (and the late grace). Prebid Server's call to a bidder carries
// the auction's context, whose deadline is tmax from the ad request; the
// shorter tmax the bidder is told (tmax_adjustments) is a number in the
// request, not where the call is cut (prebid-server exchange/bidder.go,
// doRequestImpl; exchange/tmax_adjustments.go, getBidderTmax). So an
// answer after the told deadline but before tmax is on time, as in the
// simulation. why is an error's cause (Cause...). It reports cut when the
// run stopped before the call ended (stop.go), the answer then meaning
// nothing.
func (x *Exchange) do(req sim.RemoteRequest, body []byte) (a sim.RemoteAnswer, nurl, lurl, why string, cut bool) {
	start := x.start.Add(req.Start.Duration())
	if req.Lead > 0 {
		t := time.NewTimer(time.Until(start.Add(req.Lead.Duration())))
		select {
		case <-t.C:
		case <-x.callCtx.Done():
			t.Stop()
			return a, "", "", "", true
		}
	}
	deadline := start.Add(req.Tmax.Duration())
	ctx, cancel := context.WithDeadline(x.callCtx, deadline.Add(x.grace))
	defer cancel()
	since := func() sim.Time { return sim.FromDuration(time.Since(start)) }
	hr, err := newBidRequest(ctx, x.urls[req.Bidder], body)
	if err != nil {
		return sim.RemoteAnswer{Status: sim.Error}, "", "", CauseUnreachable, false
	}
	resp, err := x.roundTrip(hr) // a stray cancel sent again (strayRetry)
	if err != nil {
		a, why := x.failed(ctx, deadline, since(), req.Tmax, err)
		return a, "", "", why, x.callCtx.Err() != nil
	}
	buf := bodyPool.Get().(*bytes.Buffer)
	defer putBody(buf)
	buf.Reset()
	_, err = buf.ReadFrom(io.LimitReader(resp.Body, MaxBody))
	resp.Body.Close()
	data := buf.Bytes() // only read before the buffer goes back
	x.w.bytesIn.Add(uint64(len(data)))
	if err != nil {
		a, why := x.failed(ctx, deadline, since(), req.Tmax, err)
		return a, "", "", why, x.callCtx.Err() != nil
	}
	a.Time = since()
	if us, err := strconv.ParseInt(resp.Header.Get(ModelledHeader), 10, 64); err == nil && us >= 0 {
		x.batch.learn(hr.URL.Host)
		// On time in the model: a bid or a no-bid (an error or a full
		// queue is no answer in time either way) due within tmax of the
		// ad request (the lead before the call, then its modelled time).
		answer := resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusNoContent
		onTime := answer && req.Lead+sim.FromDuration(time.Duration(us)*time.Microsecond) <= req.Tmax
		x.recordAdded(time.Since(x.start), (a.Time-req.Lead).Duration()-time.Duration(us)*time.Microsecond, onTime, a.Time > req.Tmax)
	}
	switch resp.StatusCode {
	case http.StatusNoContent:
		a.Status, a.Reason = sim.NoBid, sim.Declined
	case http.StatusOK:
		var br openrtb.BidResponse
		if !readBidResponse(data, &br) {
			br = openrtb.BidResponse{} // the fast path's leavings
			if err := json.Unmarshal(data, &br); err != nil {
				a.Status, why = sim.Error, CauseMalformed
				break
			}
		}
		bid, seat, bad := firstBid(&br, req.Seat)
		if bid == nil && bad != "" {
			// Bids, none of them usable: an error, as Prebid Server
			// removes each invalid bid with one.
			a.Status, why = sim.Error, bad
			break
		}
		if bid == nil {
			a.Status, a.Reason = sim.NoBid, sim.Declined
			if br.NBR != nil && *br.NBR == openrtb.NoBidInsufficientTime {
				a.Reason = sim.MissesDeadline
			}
			break
		}
		a.Status, a.Bid, a.Value = sim.OnTime, sim.PriceOf(bid.Price), valueOf(bid.Ext)
		// The bid's own macros now, the auction's at its close (notices.go).
		m := readMacros{bidID: br.BidID, impID: bid.ImpID, seat: seat, adID: bid.AdID}
		nurl, lurl = expandMacros(bid.NURL, m.value), expandMacros(bid.LURL, m.value)
	case http.StatusServiceUnavailable:
		// Refused: auctionsim's bidders answer a full queue so, at once,
		// where the simulation's bidder refuses the request.
		a.Status, why = sim.Refused, CauseStatus(resp.StatusCode)
	default:
		a.Status, why = sim.Error, CauseStatus(resp.StatusCode)
	}
	if a.Time > req.Tmax && a.Status != sim.Error && a.Status != sim.Refused {
		// Read in the grace: the auction has it as a timeout, the wire
		// statistics as a late answer (countLate).
		if a.Status != sim.OnTime {
			lurl = ""
		}
		// It arrived, at its measured time: the latencies and the tmax
		// curve have it there, not censored at the deadline as a call
		// never answered is; a bid keeps its price and value, for the
		// revenue lost to timeouts and the auction's record.
		late := sim.RemoteAnswer{Status: sim.Late, Time: a.Time, Arrived: true}
		if a.Status == sim.OnTime {
			late.Bid, late.Value = a.Bid, a.Value
		}
		return late, "", lurl, "", false
	}
	return a, nurl, lurl, why, false
}

// newBidRequest is the POST of a bid request's body to url.
func newBidRequest(ctx context.Context, url string, body []byte) (*http.Request, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("X-Openrtb-Version", "2.6")
	return hr, nil
}

// roundTrip sends hr: straight to the exchange's own transport, or
// through the client it was given.
func (x *Exchange) roundTrip(hr *http.Request) (*http.Response, error) {
	if x.rt != nil {
		return x.rt.RoundTrip(hr)
	}
	return x.client.Do(hr)
}

// failed is a request that got no answer, ctx its context: a timeout when
// its deadline passed, its arrival known only to be past the time the
// wire stopped waiting (its latency censored there): tmax from fan-out
// plus the late grace when ctx ran out (the deadline itself without a
// grace), else at, when it failed after the deadline; else refused
// (nothing listening: Prebid Server's bidder unreachable, seat non-bid
// 103) or an error (a broken connection or answer), with its cause.
func (x *Exchange) failed(ctx context.Context, deadline time.Time, at, tmax sim.Time, err error) (sim.RemoteAnswer, string) {
	if !time.Now().Before(deadline) {
		by := max(at, tmax)
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			by = tmax + sim.FromDuration(x.grace)
		}
		return sim.RemoteAnswer{Status: sim.Late, Time: by}, ""
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return sim.RemoteAnswer{Status: sim.Refused, Time: at}, CauseRefused
	}
	return sim.RemoteAnswer{Status: sim.Error, Time: at}, CauseBroken
}

// firstBid is the first usable bid of the response, the seat's if it
// names one, and its seat (seat when its seatbid names none). With none,
// bad says why the bids it had were unusable ("" when it had none: a
// no-bid).
func firstBid(br *openrtb.BidResponse, seat string) (bid *openrtb.Bid, bidSeat, bad string) {
	if bad = badCurrency(br.Cur); bad != "" {
		for i := range br.SeatBid {
			if len(br.SeatBid[i].Bid) > 0 {
				return nil, "", bad
			}
		}
		return nil, "", ""
	}
	var first *openrtb.Bid
	firstSeat := seat
	for i := range br.SeatBid {
		sb := &br.SeatBid[i]
		for j := range sb.Bid {
			why, drop := badBid(&sb.Bid[j])
			if drop {
				continue
			}
			if why != "" {
				if bad == "" {
					bad = why
				}
				continue
			}
			if sb.Seat == seat {
				return &sb.Bid[j], seat, ""
			}
			if first == nil {
				first = &sb.Bid[j]
				if sb.Seat != "" {
					firstSeat = sb.Seat
				}
			}
		}
	}
	if first != nil {
		return first, firstSeat, ""
	}
	return nil, "", bad
}

// badCurrency says why a BidResponse's cur cannot be taken: the exchange
// asks for USD alone (cur in its request) and converts nothing, so a bid
// in another currency is refused, as Prebid Server refuses a currency the
// request does not allow (exchange/bidder_validate_bids.go,
// validateCurrency: "Bid currency is not allowed"). Empty is USD, OpenRTB's
// default. "" when it can be taken.
func badCurrency(cur string) string {
	if cur == "" || strings.EqualFold(cur, openrtb.Currency) {
		return ""
	}
	return CauseCurrency
}

// badBid says why a bid cannot be taken, in the order of Prebid Server's
// validateBid (exchange/bidder_validate_bids.go): no id, no impid (each
// an error), a price not above 0 (drop: dropped without an error outside
// debug, there being no deals here; alone, it leaves a no-bid), no crid
// (an error). The order matters: a bid without id at price 0 is an
// error there, not a no-bid. A price above 0 but below the engine's
// resolution (one micro-CPM, a Price of 1) is an error here (Prebid
// Server, in float64, would take it): read, it would be a bid of 0 or a
// price many times the bidder's, a silent wrong number either way.
// "" and false when it can be taken.
func badBid(b *openrtb.Bid) (why string, drop bool) {
	switch {
	case b.ID == "":
		return CauseNoBidID, false
	case b.ImpID == "":
		return CauseNoImpID, false
	case !(b.Price > 0):
		return "", true
	case b.Price < minPriceCPM:
		return CauseTinyPrice, false
	case b.CrID == "":
		return CauseNoCrID, false
	}
	return "", false
}

// minPriceCPM is the smallest price a bid can have: one Price unit.
const minPriceCPM = 1 / float64(sim.PriceUnit)

// valueOf reads the value an auctionsim bidder states in its bid's
// ext.auctionsim.value; 0 when it states none.
func valueOf(ext json.RawMessage) sim.Price {
	if len(ext) == 0 {
		return 0
	}
	var e struct {
		Auctionsim struct {
			Value float64 `json:"value"`
		} `json:"auctionsim"`
	}
	if v, ok := readValueExt(ext); ok {
		e.Auctionsim.Value = v
	} else if json.Unmarshal(ext, &e) != nil {
		return 0
	}
	if e.Auctionsim.Value < 0 {
		return 0
	}
	return sim.PriceOf(e.Auctionsim.Value)
}

// Collect is sim.Remote's: the answer to auction id's request to bidder
// at the auction's close; a request not answered by then is a timeout.
func (x *Exchange) Collect(id uint64, bidder int) sim.RemoteAnswer {
	x.mu.Lock()
	c := x.calls[callKey{id, bidder}]
	x.mu.Unlock()
	if c == nil {
		return sim.RemoteAnswer{Status: sim.Error}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.decided {
		c.decided = true
		c.answer = sim.RemoteAnswer{Status: sim.Late, Time: c.deadline, Open: true}
		x.timeout(bidder)
	}
	return c.answer
}
