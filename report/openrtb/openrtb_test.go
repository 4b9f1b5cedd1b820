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
// that answers too late, one that declines, one that never answers, one
// whose queue refuses, and one switched off.
func specWorld(auction sim.AuctionType) sim.Config {
	fixed := func(name string, bid float64) sim.BidderConfig {
		return sim.BidderConfig{
			Name: name, Value: sim.Constant(1.2), Latency: sim.Constant(40 * ms),
			Strategy: sim.Strategy{Kind: sim.Fixed, Bid: bid},
		}
	}
	late := fixed("late", 1.5)
	late.Latency = sim.Constant(150 * ms)
	decline := fixed("decline", 1)
	decline.NoBid = 1
	broken := fixed("broken", 1)
	broken.Errors = 1
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
			Auction: auction, Tmax: 120 * sim.Millisecond, Floor: 0.85, Increment: 0.01,
		},
		Bidders: []sim.BidderConfig{
			fixed("a", 1.00), fixed("b", 0.90), fixed("c", 0.80), late, decline, broken, full, off,
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
			if a.Outcome.Winner == nil || *a.Outcome.Winner != "a" || a.Outcome.Price != c.price {
				t.Errorf("outcome = %+v, want a wins at %g", a.Outcome, c.price)
			}
			type want struct {
				status string
				kind   string
				loss   LossReason   // -1: none
				nonbid NonBidReason // -1: none
				bid    float64
				nbr    NoBidReason // -1: none
				answer bool
			}
			wants := map[string]want{
				"a":       {"on time", "win", LossWon, -1, 1.00, -1, true},
				"b":       {"on time", "loss", LossLostToHigherBid, -1, 0.90, -1, true},
				"c":       {"below floor", "loss", LossBelowAuctionFloor, -1, 0.80, -1, true},
				"late":    {"late", "nonbid", -1, NonBidErrorTimeout, 1.5, -1, true},
				"decline": {"no bid", "nonbid", -1, NonBidNoBidGeneral, 0, NoBidUnknownError, true},
				"broken":  {"error", "nonbid", -1, NonBidErrorGeneral, 0, -1, false},
				"full":    {"refused", "nonbid", -1, NonBidErrorBidderUnreachable, 0, -1, false},
			}
			if len(a.Responses) != len(wants) {
				t.Errorf("%d responses, want %d (the switched-off bidder gets no request)", len(a.Responses), len(wants))
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
					t.Errorf("%s: non-bid %d, want %d", r.Seat, got, w.nonbid)
				}
				if (r.Response != nil) != w.answer || (r.ArrivalMS != nil) != w.answer {
					t.Errorf("%s: response %v arrival %v, want an answer: %v", r.Seat, r.Response, r.ArrivalMS, w.answer)
					continue
				}
				if !w.answer {
					continue
				}
				if r.Response.ID != q.ID {
					t.Errorf("%s: response id %q, want the request's %q", r.Seat, r.Response.ID, q.ID)
				}
				if got := intOr(r.Response.NBR); got != w.nbr {
					t.Errorf("%s: nbr %d, want %d", r.Seat, got, w.nbr)
				}
				if w.nbr < 0 {
					sb := r.Response.SeatBid
					if len(sb) != 1 || sb[0].Seat != r.Seat || len(sb[0].Bid) != 1 ||
						sb[0].Bid[0].Price != w.bid || sb[0].Bid[0].ImpID != ImpID {
						t.Errorf("%s: seatbid %+v, want one bid of %g", r.Seat, sb, w.bid)
					}
				}
				wantAt := 40.0
				if r.Seat == "late" {
					wantAt = 150
				}
				if *r.ArrivalMS != wantAt || *r.MarginMS != 120-wantAt {
					t.Errorf("%s: arrival %g ms, margin %g ms, want %g and %g", r.Seat, *r.ArrivalMS, *r.MarginMS, wantAt, 120-wantAt)
				}
				if r.Seat == "a" && (r.Notice.Price == nil || *r.Notice.Price != c.price) {
					t.Errorf("winner's notice price %v, want %g", r.Notice.Price, c.price)
				}
			}
			var seatNonBid []string
			for _, s := range a.Outcome.SeatNonBid {
				seatNonBid = append(seatNonBid, s.Seat)
				if len(s.NonBid) != 1 || s.NonBid[0].ImpID != ImpID || s.NonBid[0].StatusCode != wants[s.Seat].nonbid {
					t.Errorf("seatnonbid %+v", s)
				}
			}
			if got := strings.Join(seatNonBid, ","); got != "late,decline,broken,full" {
				t.Errorf("seatnonbid seats %s", got)
			}
			// Had the late bid of 1.5 been in time, it would have won at
			// 1.01 in second price (max(1.00, floor) + 0.01), 1.5 in first.
			wantLost := map[sim.AuctionType]float64{sim.SecondPrice: 0.10, sim.FirstPrice: 0.5}[c.auction]
			if d := a.Outcome.LostToTimeoutsCPM - wantLost; d > 1e-9 || d < -1e-9 {
				t.Errorf("lost to timeouts %g, want %g", a.Outcome.LostToTimeoutsCPM, wantLost)
			}
		})
	}
}

func intOr[T ~int64](p *T) T {
	if p == nil {
		return -1
	}
	return *p
}

// TestJSONFieldNames checks the spec's field names in the rendered JSON.
func TestJSONFieldNames(t *testing.T) {
	t.Cleanup(func() {
		if t.Failed() || testing.Verbose() {
			recs, seats := run(t, specWorld(sim.SecondPrice), 3)
			a, _ := FromRecord(recs[2], seats)
			out, _ := Indent(a)
			t.Logf("%s", out)
		}
	})
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
		`"tmax": 120`, `"at": 2`, `"cur": [`, `"seatbid": [`, `"seat": "a"`, `"impid": "1"`,
		`"price": 0.91`, `"nbr": 0`, `"loss_reason": 102`, `"loss_reason": 100`, `"nonbid": 101`,
		`"seatnonbid": [`, `"statuscode": 101`, `"arrival_ms": 150`, `"margin_ms": -30`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("indented JSON lacks %s:\n%s", want, text)
		}
	}
	if !strings.HasPrefix(text, "{\n  \"request\"") || !strings.HasSuffix(text, "}\n") {
		t.Errorf("not indented JSON:\n%s", text)
	}
}

func TestWriteLines(t *testing.T) {
	recs, seats := run(t, specWorld(sim.SecondPrice), 5)
	var buf bytes.Buffer
	if err := WriteLines(&buf, recs, seats); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	n := 0
	for sc.Scan() {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		for _, k := range []string{"request", "responses", "outcome"} {
			if _, ok := m[k]; !ok {
				t.Errorf("line %d has no %q", n+1, k)
			}
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
