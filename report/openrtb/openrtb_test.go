package openrtb

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

const ms = float64(sim.Millisecond)

// specWorld is OpenRTB 2.6's own example (§4.4.1): floor 0.85, bids 1.00,
// 0.90 and 0.80, with a 0.01 second-price increment; beside them a bidder
// that answers too late, one that declines, one that answers with an
// error, one that never answers, one whose queue refuses, and one
// switched off.
func specWorld(auction sim.AuctionType) sim.Config {
	fixed := func(name string, bid float64) sim.BidderConfig {
		return sim.BidderConfig{
			Name: name, Value: sim.Constant(1.2), Latency: sim.Constant(40 * ms),
			Strategy: sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(bid)},
		}
	}
	late := fixed("late", 1.5)
	late.Latency = sim.Constant(150 * ms)
	decline := fixed("decline", 1)
	decline.NoBid = 1
	broken := fixed("broken", 1)
	broken.Errors = 1
	hang := fixed("hang", 1)
	hang.Hangs = 1
	full := fixed("full", 1)
	// One worker whose service outlasts the run, and no room to wait:
	// every request after the first is refused.
	full.Capacity = &sim.Capacity{Workers: 1, Service: sim.Constant(3600e9), Queue: 1}
	off := fixed("off", 2)
	off.Disabled = true
	return sim.Config{
		Seed:    1,
		Traffic: sim.Traffic{QPS: 100},
		Exchange: sim.ExchangeConfig{
			Auction: auction, Tmax: 120 * sim.Millisecond, Floor: sim.PriceOf(0.85), Increment: sim.PriceOf(0.01),
		},
		Bidders: []sim.BidderConfig{
			fixed("a", 1.00), fixed("b", 0.90), fixed("c", 0.80), late, decline, broken, hang, full, off,
		},
	}
}

// run closes n auctions and returns the recent ones and the seats.
func run(t *testing.T, cfg sim.Config, n uint64) ([]sim.AuctionRecord, []string) {
	t.Helper()
	e, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(n)
	s := e.Snapshot()
	return s.Recent, Seats(s)
}

// want is how one bidder's leg must look on the wire.
type want struct {
	status   string
	kind     string
	loss     LossReason   // -1: none
	nonbid   NonBidReason // the notice's; -1: none
	http     int          // 0: null
	read     bool
	bid      float64      // the bid in the response read, or in the unread one; 0: none
	nbr      NoBidReason  // -1: none
	arrival  float64      // ms; -1: null
	psNonBid NonBidReason // Prebid Server's ext.prebid.seatnonbid; -1: not listed
	errCode  int          // ext.errors code; 0: none
	rtm      int          // ext.responsetimemillis
}

// specWants: the spec world's third auction, bidder by bidder.
var specWants = map[string]want{
	"a":       {"on time", "win", LossWon, -1, 200, true, 1.00, -1, 40, -1, 0, 40},
	"b":       {"on time", "loss", LossLostToHigherBid, -1, 200, true, 0.90, -1, 40, -1, 0, 40},
	"c":       {"below floor", "loss", LossBelowAuctionFloor, NonBidResponseRejectedBelowFloor, 200, true, 0.80, -1, 40, NonBidResponseRejectedBelowFloor, 0, 40},
	"late":    {"late", "nonbid", -1, NonBidErrorTimeout, 0, false, 1.5, -1, 150, NonBidErrorTimeout, ErrorCodeTimeout, 120},
	"decline": {"no bid", "nonbid", -1, NonBidNoBidGeneral, 204, true, 0, -1, 40, -1, 0, 40},
	"broken":  {"error", "nonbid", -1, NonBidErrorGeneral, 500, true, 0, -1, 40, NonBidErrorGeneral, ErrorCodeBadServerResponse, 40},
	"hang":    {"hang", "nonbid", -1, NonBidErrorTimeout, 0, false, 0, -1, -1, NonBidErrorTimeout, ErrorCodeTimeout, 120},
	"full":    {"refused", "nonbid", -1, NonBidErrorBidderUnreachable, 0, false, 0, -1, -1, NonBidErrorBidderUnreachable, ErrorCodeUnknown, 0},
}

func TestSpecExample(t *testing.T) {
	for _, c := range []struct {
		auction sim.AuctionType
		at      int64
		price   float64
	}{{sim.SecondPrice, 2, 0.91}, {sim.FirstPrice, 1, 1.00}} {
		t.Run(c.auction.String(), func(t *testing.T) {
			recs, seats := run(t, specWorld(c.auction), 3)
			// The third auction: the "full" bidder's queue is busy by now.
			a, err := FromRecord(recs[len(recs)-1], seats)
			if err != nil {
				t.Fatal(err)
			}
			q := a.Request
			if q.ID != "3" || q.AT != c.at || q.TMax != 120 || len(q.Imp) != 1 ||
				q.Imp[0].BidFloor != 0.85 || q.Imp[0].BidFloorCur != "USD" || q.Imp[0].ID != ImpID ||
				len(q.Cur) != 1 || q.Cur[0] != "USD" {
				t.Errorf("request = %+v", q)
			}
			// The page names every enabled bidder, and only those.
			var ext ExtImp
			if err := json.Unmarshal(q.Imp[0].Ext, &ext); err != nil || ext.Prebid == nil {
				t.Fatalf("imp.ext %s: %v", q.Imp[0].Ext, err)
			}
			if len(ext.Prebid.Bidder) != len(specWants) || ext.Prebid.Bidder["off"] != nil {
				t.Errorf("imp.ext.prebid.bidder names %d bidders, want the %d enabled", len(ext.Prebid.Bidder), len(specWants))
			}
			if a.Outcome.Winner == nil || *a.Outcome.Winner != "a" || a.Outcome.Price != c.price {
				t.Errorf("outcome = %+v, want a wins at %g", a.Outcome, c.price)
			}
			checkLegs(t, a, specWants)
			if r := a.Responses[0]; r.Notice.Price == nil || *r.Notice.Price != c.price {
				t.Errorf("winner's notice price %v, want %g", r.Notice.Price, c.price)
			}
			// The exchange's response holds the bids it read in time.
			var sbSeats []string
			for _, sb := range a.Response.SeatBid {
				sbSeats = append(sbSeats, sb.Seat)
			}
			if strings.Join(sbSeats, ",") != "a,b" || a.Response.ID != "3" || a.Response.Cur != "USD" {
				t.Errorf("exchange response: seats %v, id %q, cur %q", sbSeats, a.Response.ID, a.Response.Cur)
			}
			var seatNonBid []string
			for _, s := range a.Outcome.SeatNonBid {
				seatNonBid = append(seatNonBid, s.Seat)
				if len(s.NonBid) != 1 || s.NonBid[0].ImpID != ImpID || s.NonBid[0].StatusCode != specWants[s.Seat].nonbid {
					t.Errorf("outcome seatnonbid %+v", s)
				}
			}
			if got := strings.Join(seatNonBid, ","); got != "late,decline,broken,hang,full" {
				t.Errorf("outcome seatnonbid seats %s", got)
			}
			// Had the late bid of 1.5 been in time, it would have won at
			// 1.01 in second price (max(1.00, floor) + 0.01), 1.5 in first.
			wantLost := map[sim.AuctionType]float64{sim.SecondPrice: 0.10, sim.FirstPrice: 0.5}[c.auction]
			if d := a.Outcome.LostToTimeoutsCPM - wantLost; d > 1e-9 || d < -1e-9 {
				t.Errorf("lost to timeouts %g, want %g", a.Outcome.LostToTimeoutsCPM, wantLost)
			}
			line, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			if err := Validate(line); err != nil {
				t.Error(err)
			}
		})
	}
}

// checkLegs checks each bidder's leg of a against wants, and the exchange
// response's ext that follows from them.
func checkLegs(t *testing.T, a Auction, wants map[string]want) {
	t.Helper()
	if len(a.Responses) != len(wants) {
		t.Errorf("%d responses, want %d (a switched-off bidder gets no request)", len(a.Responses), len(wants))
	}
	var ext ExtBidResponse
	if err := json.Unmarshal(a.Response.Ext, &ext); err != nil {
		t.Fatalf("response.ext %s: %v", a.Response.Ext, err)
	}
	psNonBid := map[string]NonBidReason{}
	if ext.Prebid != nil {
		for _, s := range ext.Prebid.SeatNonBid {
			if len(s.NonBid) != 1 || s.NonBid[0].ImpID != ImpID {
				t.Errorf("ext.prebid.seatnonbid %+v", s)
				continue
			}
			psNonBid[s.Seat] = s.NonBid[0].StatusCode
		}
	}
	for _, r := range a.Responses {
		w, ok := wants[r.Seat]
		if !ok {
			t.Errorf("unexpected response from %q", r.Seat)
			continue
		}
		if r.Status != w.status || r.Notice.Kind != w.kind {
			t.Errorf("%s: status %q notice %q, want %q %q", r.Seat, r.Status, r.Notice.Kind, w.status, w.kind)
		}
		if got := intOr(r.Notice.LossReason); got != w.loss {
			t.Errorf("%s: loss reason %d, want %d", r.Seat, got, w.loss)
		}
		if got := intOr(r.Notice.NonBid); got != w.nonbid {
			t.Errorf("%s: notice non-bid %d, want %d", r.Seat, got, w.nonbid)
		}
		if got := intOr64(r.HTTPStatus); got != int64(w.http) && !(got == -1 && w.http == 0) {
			t.Errorf("%s: HTTP %d, want %d", r.Seat, got, w.http)
		}
		if r.Read != w.read {
			t.Errorf("%s: read %v, want %v", r.Seat, r.Read, w.read)
		}
		if r.Request == nil || r.Request.ID != a.Request.ID || r.Request.Source == nil || r.Request.Source.TID != a.Request.Source.TID {
			t.Errorf("%s: its request %+v does not carry the auction's id and tid", r.Seat, r.Request)
		} else {
			var ext ExtImp
			if err := json.Unmarshal(r.Request.Imp[0].Ext, &ext); err != nil || ext.Bidder == nil || ext.Prebid != nil {
				t.Errorf("%s: its imp.ext %s, want its own parameters under bidder alone", r.Seat, r.Request.Imp[0].Ext)
			}
		}
		if (r.ArrivalMS != nil) != (w.arrival >= 0) || r.ArrivalMS != nil && (*r.ArrivalMS != w.arrival || *r.MarginMS != float64(a.Request.TMax)-w.arrival) {
			t.Errorf("%s: arrival %v margin %v, want %g", r.Seat, r.ArrivalMS, r.MarginMS, w.arrival)
		}
		// A bid's price shows where the exchange read it, or, for a late
		// one, only in the unread answer.
		body := r.Response
		if !w.read {
			if r.Response != nil {
				t.Errorf("%s: unread, yet response %+v", r.Seat, r.Response)
			}
			body = r.Unread
		} else if r.Unread != nil {
			t.Errorf("%s: read, yet unread_response %+v", r.Seat, r.Unread)
		}
		switch {
		case w.bid > 0:
			if body == nil || len(body.SeatBid) != 1 || len(body.SeatBid[0].Bid) != 1 || body.SeatBid[0].Seat != r.Seat {
				t.Errorf("%s: want one bid of %g, have %+v", r.Seat, w.bid, body)
				break
			}
			b := body.SeatBid[0].Bid[0]
			if b.Price != w.bid || b.ImpID != ImpID || b.CrID == "" || len(b.ADomain) != 1 || b.W != BannerW || b.H != BannerH ||
				b.MType != MarkupBanner || b.NURL == "" || b.AdM == "" || body.ID != a.Request.ID {
				t.Errorf("%s: bid %+v, want %g with its creative", r.Seat, b, w.bid)
			}
		case w.nbr >= 0:
			if body == nil || body.NBR == nil || *body.NBR != w.nbr || body.SeatBid != nil {
				t.Errorf("%s: want nbr %d, have %+v", r.Seat, w.nbr, body)
			}
		default:
			if body != nil {
				t.Errorf("%s: want no body, have %+v", r.Seat, body)
			}
		}
		if got, ok := psNonBid[r.Seat]; ok != (w.psNonBid >= 0) || ok && got != w.psNonBid {
			t.Errorf("%s: ext.prebid.seatnonbid %d (listed %v), want %d", r.Seat, got, ok, w.psNonBid)
		}
		var code int
		if m := ext.Errors[r.Seat]; len(m) == 1 {
			code = m[0].Code
		} else if len(m) > 1 {
			t.Errorf("%s: errors %+v", r.Seat, m)
		}
		if code != w.errCode {
			t.Errorf("%s: ext.errors code %d, want %d", r.Seat, code, w.errCode)
		}
		if got, ok := ext.ResponseTimeMillis[r.Seat]; !ok || got != w.rtm {
			t.Errorf("%s: ext.responsetimemillis %d (listed %v), want %d", r.Seat, got, ok, w.rtm)
		}
	}
	if ext.RequestTimeoutMillis != a.Request.TMax {
		t.Errorf("ext.tmaxrequest %d, want %d", ext.RequestTimeoutMillis, a.Request.TMax)
	}
}

func intOr[T ~int64](p *T) T {
	if p == nil {
		return -1
	}
	return *p
}

func intOr64(p *int) int64 {
	if p == nil {
		return -1
	}
	return int64(*p)
}

// A bid below the floor is read and rejected: Prebid Server's 301 with the
// rejected price, and its floor warning.
func TestBelowFloorRejected(t *testing.T) {
	recs, seats := run(t, specWorld(sim.SecondPrice), 1)
	a, err := FromRecord(recs[0], seats)
	if err != nil {
		t.Fatal(err)
	}
	var ext ExtBidResponse
	if err := json.Unmarshal(a.Response.Ext, &ext); err != nil {
		t.Fatal(err)
	}
	var got *NonBid
	for _, s := range ext.Prebid.SeatNonBid {
		if s.Seat == "c" {
			got = &s.NonBid[0]
		}
	}
	if got == nil || got.StatusCode != 301 || got.Ext == nil || got.Ext.Prebid.Bid.Price != 0.8 || got.Ext.Prebid.Bid.OriginalBidCur != "USD" {
		t.Fatalf("c's non-bid %+v, want 301 at 0.80", got)
	}
	w := ext.Warnings[BidderReservedGeneral]
	if len(w) != 1 || w[0].Code != WarningCodeFloorBidRejection ||
		w[0].Message != "c bid id 1-c rejected - bid price 0.8000 USD is less than bid floor 0.8500 USD for imp 1" {
		t.Errorf("warnings %+v", w)
	}
}

// TestJSONFieldNames checks the spec's field names in the rendered JSON.
func TestJSONFieldNames(t *testing.T) {
	recs, seats := run(t, specWorld(sim.SecondPrice), 3)
	a, err := FromRecord(recs[2], seats)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Indent(a)
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{
		`"request": {`, `"id": "3"`, `"imp": [`, `"bidfloor": 0.85`, `"bidfloorcur": "USD"`,
		`"banner": {`, `"format": [`, `"w": 300`, `"h": 250`, `"site": {`, `"page": "https://news.example/article"`,
		`"publisher": {`, `"device": {`, `"ua": "Mozilla/5.0`, `"ip": "192.0.2.1"`, `"source": {`,
		`"tid": "00000000-0000-4000-8000-000000000003"`, `"returnallbidstatus": true`, `"bidder": {`,
		`"tmax": 120`, `"at": 2`, `"cur": [`, `"seatbid": [`, `"seat": "a"`, `"impid": "1"`,
		`"price": 0.91`, `"crid": "a-300x250"`, `"adomain": [`, `"mtype": 1`, `"nurl": "https://a.example/win?auction=${AUCTION_ID}&price=${AUCTION_PRICE}"`,
		`"adm": "<a href=`, `"loss_reason": 102`, `"loss_reason": 100`, `"nonbid": 101`, `"http_status": 204`,
		`"unread_response": {`, `"read": false`, `"responsetimemillis": {`, `"tmaxrequest": 120`, `"errors": {`,
		`"seatnonbid": [`, `"statuscode": 301`, `"statuscode": 101`, `"statuscode": 103`, `"arrival_ms": 150`, `"margin_ms": -30`,
		`"type": "banner"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("indented JSON lacks %s", want)
		}
	}
	if !strings.HasPrefix(text, "{\n  \"request\"") || !strings.HasSuffix(text, "}\n") {
		t.Errorf("not indented JSON")
	}
	if t.Failed() {
		t.Logf("%s", text)
	}
}

func TestWriteLines(t *testing.T) {
	recs, seats := run(t, specWorld(sim.SecondPrice), 5)
	var buf bytes.Buffer
	if err := WriteLines(&buf, recs, seats); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		for _, k := range []string{"request", "responses", "outcome", "response"} {
			if _, ok := m[k]; !ok {
				t.Errorf("line %d has no %q", n+1, k)
			}
		}
		if err := Validate(sc.Bytes()); err != nil {
			t.Errorf("line %d: %v", n+1, err)
		}
		var a Auction
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		if want := recs[n].ID; a.Request.ID != strconv.FormatUint(want, 10) {
			t.Errorf("line %d is auction %s, want %d", n+1, a.Request.ID, want)
		}
		n++
	}
	if n != len(recs) || n != 5 {
		t.Errorf("%d lines for %d auctions", n, len(recs))
	}
	if err := WriteLines(&buf, recs, seats[:2]); err == nil {
		t.Error("seats that do not match the responses: no error")
	}
}
