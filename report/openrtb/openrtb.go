// Package openrtb shows a simulated auction as it would travel over the
// wire in OpenRTB 2.6: the exchange's BidRequest, each bidder's
// BidResponse (a bid, or a no-bid with its `nbr`), and the notice each
// bidder would get afterwards: a win, a loss with its OpenRTB loss reason,
// or, for a bid that missed the deadline or a request that got no answer,
// the non-bid status Prebid Server records in `ext.seatnonbid`.
//
// It is a small hand-written subset with the specification's own field
// names, enough to read an auction; it is not a complete OpenRTB model.
// Prices, bids and floors are CPM, as in OpenRTB; times are milliseconds
// after the ad request (the fan-out, unless the exchange's tmax
// adjustments give it request processing time); the currency is USD (the simulation has one
// currency and no exchange rates).
package openrtb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/auctionsim/auctionsim/sim"
)

// Currency is the ISO-4217 code the simulation's amounts are written in.
const Currency = "USD"

// ImpID is the id of the one impression each simulated request offers.
const ImpID = "1"

// The simulation's own codes, until the per-bidder view replaces them.
const (
	NoBidBudget    NoBidReason = 501 // nbr, auctionsim's own (500+): the budget was spent or committed
	NoBidThrottled NoBidReason = 502 // nbr, auctionsim's own (500+): throttle pacing sat the auction out
	NoBidDeadline  NoBidReason = 503 // nbr, auctionsim's own (500+): it respects tmax and would have missed the deadline it was told
)

// Auction is one auction as it travels over the wire.
type Auction struct {
	Request   BidRequest `json:"request"`
	Responses []Response `json:"responses"` // one per bidder sent the request, in configuration order
	Outcome   Outcome    `json:"outcome"`
}

// Response is one bidder's answer, when it arrived, and the notice it gets.
type Response struct {
	Seat   string `json:"seat"`
	Status string `json:"status"` // the simulation's word: on time, late, below floor, no bid, error, refused
	// ArrivalMS is the response time after the ad request (the fan-out, or
	// later by the exchange's request processing); null when nothing
	// came back (an error, a refusal).
	ArrivalMS *float64 `json:"arrival_ms"`
	// MarginMS is tmax − arrival: how long before the deadline the answer
	// came, negative when it came too late; null when nothing came back.
	MarginMS *float64 `json:"margin_ms"`
	// Response is the BidResponse the bidder sent; null when nothing came
	// back.
	Response *BidResponse `json:"response"`
	Notice   Notice       `json:"notice"`
}

// Notice is what the exchange tells the bidder after the auction.
type Notice struct {
	// Kind is "win", "loss" (an OpenRTB loss notice with LossReason) or
	// "nonbid" (no bid took part: a no-bid, a timeout, no answer; the
	// publisher sees NonBid in Prebid Server's ext.seatnonbid).
	Kind       string        `json:"kind"`
	LossReason *LossReason   `json:"loss_reason,omitempty"` // 0 won, 100 below floor, 102 lost to a higher bid
	NonBid     *NonBidReason `json:"nonbid,omitempty"`      // Prebid Server status: 0 no bid, 100 error, 101 timeout, 103 unreachable
	Price      *float64      `json:"price,omitempty"`       // the clearing price (${AUCTION_PRICE}), CPM, for the winner
}

// Outcome is how the auction cleared.
type Outcome struct {
	Winner *string `json:"winner"` // seat; null when unfilled
	Price  float64 `json:"price"`  // CPM; 0 when unfilled
	// PriceReason says what set the price ("second bid + increment", ...).
	PriceReason string `json:"price_reason"`
	// LostToTimeoutsCPM is what the price would have been had every late
	// bid arrived in time, less Price.
	LostToTimeoutsCPM float64 `json:"lost_to_timeouts"`
	// SeatNonBid is what Prebid Server reports to the publisher in the
	// response's ext.seatnonbid: each seat without a bid in the auction.
	SeatNonBid []SeatNonBid `json:"seatnonbid"`
}

// Seats are the bidders' names in configuration order, as a snapshot has
// them: the seats FromRecord needs.
func Seats(s *sim.Snapshot) []string {
	out := make([]string, len(s.Bidders))
	for i, b := range s.Bidders {
		out[i] = b.Name
	}
	return out
}

// FromRecord builds the wire view of one closed auction; seats names the
// bidders in configuration order (Seats).
func FromRecord(rec sim.AuctionRecord, seats []string) (Auction, error) {
	if len(seats) != len(rec.Responses) {
		return Auction{}, fmt.Errorf("openrtb: auction %d has %d responses for %d seats", rec.ID, len(rec.Responses), len(seats))
	}
	if rec.Winner >= len(seats) {
		return Auction{}, fmt.Errorf("openrtb: auction %d: winner %d out of %d seats", rec.ID, rec.Winner, len(seats))
	}
	id := strconv.FormatUint(rec.ID, 10)
	// Bidders are told the deadline less the exchange's tmax adjustments.
	told := rec.Tmax
	if rec.BidderTmax > 0 {
		told = rec.BidderTmax
	}
	a := Auction{
		Request: BidRequest{
			ID:   id,
			Imp:  []Imp{{ID: ImpID, BidFloor: rec.Floor.CPM(), BidFloorCur: Currency}},
			TMax: int64(math.Round(told.Milliseconds())),
			AT:   int64(rec.Auction),
			Cur:  []string{Currency},
		},
		Responses: []Response{},
		Outcome: Outcome{
			PriceReason:       rec.Reason.String(),
			LostToTimeoutsCPM: rec.LostToTimeouts.CPM(),
			SeatNonBid:        []SeatNonBid{},
		},
	}
	if rec.Winner >= 0 {
		a.Outcome.Winner = &seats[rec.Winner]
		a.Outcome.Price = rec.Price.CPM()
	}
	tmax := rec.Tmax.Milliseconds()
	for i, r := range rec.Responses {
		if r.Status == sim.NotSent {
			continue
		}
		out := Response{Seat: seats[i], Status: r.Status.String()}
		answered := r.Status >= sim.NoBid
		if answered {
			at := r.Time.Milliseconds()
			margin := tmax - at
			out.ArrivalMS, out.MarginMS = &at, &margin
			resp := &BidResponse{ID: id}
			if r.Status == sim.NoBid {
				resp.NBR = ptr(nbr(r.Reason))
			} else {
				resp.Cur = Currency
				resp.SeatBid = []SeatBid{{Seat: seats[i], Bid: []Bid{{
					ID: id + "-" + seats[i], ImpID: ImpID, Price: r.Bid.CPM(),
				}}}}
			}
			out.Response = resp
		}
		switch r.Status {
		case sim.OnTime:
			if i == rec.Winner {
				price := rec.Price.CPM()
				out.Notice = Notice{Kind: "win", LossReason: ptr(LossWon), Price: &price}
			} else {
				out.Notice = Notice{Kind: "loss", LossReason: ptr(LossLostToHigherBid)}
			}
		case sim.BelowFloor:
			out.Notice = Notice{Kind: "loss", LossReason: ptr(LossBelowAuctionFloor)}
		default:
			code := nonBid(r.Status)
			out.Notice = Notice{Kind: "nonbid", NonBid: ptr(code)}
			a.Outcome.SeatNonBid = append(a.Outcome.SeatNonBid, SeatNonBid{
				Seat: seats[i], NonBid: []NonBid{{ImpID: ImpID, StatusCode: code}},
			})
		}
		a.Responses = append(a.Responses, out)
	}
	return a, nil
}

func ptr[T any](v T) *T { return &v }

// nbr is the OpenRTB no-bid reason for a simulated no-bid.
func nbr(r sim.NoBidReason) NoBidReason {
	switch r {
	case sim.NoBudget:
		return NoBidBudget
	case sim.Throttled:
		return NoBidThrottled
	case sim.MissesDeadline:
		return NoBidDeadline
	}
	return NoBidUnknownError
}

// nonBid is Prebid Server's seat non-bid status for a request that put no
// bid into the auction.
func nonBid(s sim.Status) NonBidReason {
	switch s {
	case sim.Late:
		return NonBidErrorTimeout
	case sim.Error:
		return NonBidErrorGeneral
	case sim.Refused:
		return NonBidErrorBidderUnreachable
	}
	return NonBidNoBidGeneral
}

// Indent renders one auction as indented JSON, ending in a newline: what
// the inspector shows.
func Indent(a Auction) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil {
		return nil, fmt.Errorf("openrtb: auction %s: %w", a.Request.ID, err)
	}
	return buf.Bytes(), nil
}

// WriteLines writes each record as one line of JSON: an object with
// "request", "responses" and "outcome" (JSON Lines), in the order given.
func WriteLines(w io.Writer, recs []sim.AuctionRecord, seats []string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, rec := range recs {
		a, err := FromRecord(rec, seats)
		if err != nil {
			return err
		}
		if err := enc.Encode(a); err != nil {
			return fmt.Errorf("openrtb: auction %d: %w", rec.ID, err)
		}
	}
	return nil
}
