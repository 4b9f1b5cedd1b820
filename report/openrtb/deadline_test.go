package openrtb

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// With tmax adjustments each bidder's request carries the deadline it is
// told while the page's carries the one it waits; a bidder that respects
// it and knows it cannot make it says so with nbr 15, Insufficient
// Auction Time, in an answer the exchange reads when it comes in time.
func TestToldDeadline(t *testing.T) {
	cfg := specWorld(sim.SecondPrice)
	cfg.Exchange.TmaxAdjustments = sim.TmaxAdjustments{NetworkBuffer: 30 * sim.Millisecond, ResponsePreparation: 10 * sim.Millisecond}
	cfg.Bidders[3].RespectsTmax = true // "late": 150 ms against the 80 ms it is told
	cfg.Bidders[2].RespectsTmax = true // "c": 40 ms, in time
	cfg.Bidders[3].Latency = sim.Constant(100 * ms)
	recs, seats := run(t, cfg, 3)
	for _, rec := range recs {
		a, err := FromRecord(rec, seats)
		if err != nil {
			t.Fatal(err)
		}
		if a.Request.TMax != 120 {
			t.Errorf("request to Prebid Server: tmax %d, want the page's 120", a.Request.TMax)
		}
		for _, r := range a.Responses {
			if r.Request.TMax != 80 {
				t.Errorf("%s told tmax %d, want 80 (120 − 30 − 10)", r.Seat, r.Request.TMax)
			}
		}
		r := a.Responses[3]
		if r.Seat != "late" || r.Status != "no bid" || r.Reason != "insufficient time" || r.Response == nil ||
			intOr(r.Response.NBR) != NoBidInsufficientTime || intOr64(r.HTTPStatus) != 200 || !r.Read ||
			r.Notice.NonBid == nil || *r.Notice.NonBid != NonBidNoBidGeneral {
			t.Errorf("late: %+v", r)
		}
		if a.Outcome.Price != 0.91 {
			t.Errorf("price %g, want 0.91 as in the spec", a.Outcome.Price)
		}
		if b, err := json.Marshal(a); err != nil {
			t.Fatal(err)
		} else if err := Validate(b); err != nil {
			t.Error(err)
		}
	}
}

// A no-bid that arrives after the deadline is, to Prebid Server, a
// timeout: 101, not read, though the simulation counts it a no-bid.
func TestLateNoBidIsTimeout(t *testing.T) {
	cfg := specWorld(sim.SecondPrice)
	cfg.Exchange.TmaxAdjustments = sim.TmaxAdjustments{NetworkBuffer: 30 * sim.Millisecond, ResponsePreparation: 10 * sim.Millisecond}
	cfg.Bidders[3].RespectsTmax = true // 150 ms round trip: its no-bid arrives at 150 of 120
	recs, seats := run(t, cfg, 1)
	a, err := FromRecord(recs[0], seats)
	if err != nil {
		t.Fatal(err)
	}
	checkLegs(t, a, map[string]want{
		"a":       specWants["a"],
		"b":       specWants["b"],
		"c":       specWants["c"],
		"late":    {"no bid", "nonbid", -1, NonBidErrorTimeout, 0, false, 0, NoBidInsufficientTime, 150, NonBidErrorTimeout, ErrorCodeTimeout, 120},
		"decline": specWants["decline"],
		"broken":  specWants["broken"],
		"hang":    specWants["hang"],
		"full":    {"late", "nonbid", -1, NonBidErrorTimeout, 0, false, 1, -1, 3600040, NonBidErrorTimeout, ErrorCodeTimeout, 120},
	})
}

// When the told deadline is below bidder_response_min Prebid Server calls
// no one, and says so: each enabled bidder is a non-bid 100 with its
// "exceeded tmax duration" error; the one switched off is not named.
func TestSkippedByChain(t *testing.T) {
	cfg := specWorld(sim.SecondPrice)
	cfg.Exchange.TmaxAdjustments = sim.TmaxAdjustments{NetworkBuffer: 30 * sim.Millisecond, BidderResponseMin: 100 * sim.Millisecond}
	recs, seats := run(t, cfg, 2)
	skipped := want{"skipped", "nonbid", -1, NonBidErrorGeneral, 0, false, 0, -1, -1, NonBidErrorGeneral, ErrorCodeTmaxTimeout, 0}
	wants := map[string]want{}
	for _, s := range seats[:8] {
		wants[s] = skipped
	}
	for _, rec := range recs {
		a, err := FromRecord(rec, seats)
		if err != nil {
			t.Fatal(err)
		}
		checkLegs(t, a, wants)
		if a.Outcome.Winner != nil || len(a.Response.SeatBid) != 0 || a.Responses[0].Request.TMax != 90 {
			t.Errorf("outcome %+v, seatbid %+v, told %d", a.Outcome, a.Response.SeatBid, a.Responses[0].Request.TMax)
		}
		if b, err := json.Marshal(a); err != nil {
			t.Fatal(err)
		} else if err := Validate(b); err != nil {
			t.Error(err)
		}
	}
}

// Errors and hangs, built by hand to pin the times: an answered error
// (HTTP 500) is Prebid Server's 100 with a bad-server-response error; an
// error after the deadline and a hang (no answer at all) are timeouts,
// 101, their calls given up at the deadline (100 ms after the fan-out).
func TestErrorStatuses(t *testing.T) {
	rec := sim.AuctionRecord{
		ID: 9, Auction: sim.SecondPrice, Tmax: 120 * sim.Millisecond, Floor: sim.PriceOf(0.5), Winner: -1,
		RequestProcessing: 20 * sim.Millisecond, BidderTmax: 100 * sim.Millisecond,
		Responses: []sim.Response{
			{Status: sim.Error, Time: 65 * sim.Millisecond},
			{Status: sim.Error, Time: 130 * sim.Millisecond},
			{Status: sim.Hang},
		},
	}
	a, err := FromRecord(rec, []string{"answered", "too-late", "hang"})
	if err != nil {
		t.Fatal(err)
	}
	checkLegs(t, a, map[string]want{
		"answered": {"error", "nonbid", -1, NonBidErrorGeneral, 500, true, 0, -1, 65, NonBidErrorGeneral, ErrorCodeBadServerResponse, 45},
		"too-late": {"error", "nonbid", -1, NonBidErrorTimeout, 0, false, 0, -1, 130, NonBidErrorTimeout, ErrorCodeTimeout, 100},
		"hang":     {"hang", "nonbid", -1, NonBidErrorTimeout, 0, false, 0, -1, -1, NonBidErrorTimeout, ErrorCodeTimeout, 100},
	})
	if b, err := json.Marshal(a); err != nil {
		t.Fatal(err)
	} else if err := Validate(b); err != nil {
		t.Error(err)
	}
	// A status without a mapping is an error, not a guess.
	rec.Responses[0].Status = sim.Status(200)
	if _, err := FromRecord(rec, []string{"answered", "too-late", "hang"}); err == nil {
		t.Error("an unknown status rendered without an error")
	}
}

// Milliseconds are written to the microsecond: 69.63934 ms of arrival
// against 120 leaves a margin of 50.36066, written as such, not as the
// float noise of 120 − 69.63934.
func TestMicroseconds(t *testing.T) {
	for _, c := range []struct {
		time           sim.Time
		arrival, margn string
	}{
		{69_639_340, `"arrival_ms":69.639`, `"margin_ms":50.361`},
		{69_639_500, `"arrival_ms":69.64`, `"margin_ms":50.361`}, // halves round away from zero: 50.3605 → 50.361
		{69_000_000, `"arrival_ms":69`, `"margin_ms":51`},
		{1, `"arrival_ms":0`, `"margin_ms":120`},
		{120_000_001, `"arrival_ms":120`, `"margin_ms":0`},
	} {
		rec := sim.AuctionRecord{ID: 1, Tmax: 120 * sim.Millisecond, Auction: sim.FirstPrice, Floor: sim.PriceOf(1), Winner: -1,
			Responses: []sim.Response{{Status: sim.BelowFloor, Time: c.time, Bid: sim.PriceOf(0.5)}}}
		if c.time > rec.Tmax {
			rec.Responses[0].Status = sim.Late
		}
		a, err := FromRecord(rec, []string{"x"})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(c.arrival)) || !bytes.Contains(b, []byte(c.margn)) {
			t.Errorf("time %d ns: want %s and %s in %s", c.time, c.arrival, c.margn, b)
		}
		if err := Validate(b); err != nil && c.time <= rec.Tmax {
			t.Error(err)
		}
	}
}

// With every bidder switched off no one is called: the request names no
// bidder, the response has no bids and no response times, and the line
// is still whole.
func TestNoBidderCalled(t *testing.T) {
	cfg := specWorld(sim.SecondPrice)
	for i := range cfg.Bidders {
		cfg.Bidders[i].Disabled = true
	}
	recs, seats := run(t, cfg, 1)
	a, err := FromRecord(recs[0], seats)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Responses) != 0 || len(a.Response.SeatBid) != 0 || !bytes.Contains(b, []byte(`"prebid":{"bidder":{}}`)) {
		t.Errorf("%s", b)
	}
	if err := Validate(b); err != nil {
		t.Error(err)
	}
}
