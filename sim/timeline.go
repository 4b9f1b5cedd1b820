package sim

import "math"

// ResponseParts are the parts of one response time in the order a
// timeline draws them: the exchange's own processing before the fan-out
// (TmaxAdjustments.RequestProcessing), the network out, the wait in the
// bidder's queue, its service, and the network back.
//
// The engine draws one network round trip per response, not two legs, so
// Out and Back are its halves: a picture of where the time goes, exact in
// their sum. (A bidder's queue sees each request at the fan-out, so the
// wait does not depend on how the round trip splits.)
type ResponseParts struct {
	Lead, Out, Queue, Service, Back Time
}

// Total is the response time: the sum of the parts.
func (p ResponseParts) Total() Time { return p.Lead + p.Out + p.Queue + p.Service + p.Back }

// micros is t in whole microseconds, saturating, for Response's parts.
func micros(t Time) uint32 { return uint32(min(max(t, 0)/Microsecond, math.MaxUint32)) }

// Parts splits the response time of bidder i into its parts; they add up
// to its Time exactly (the network takes the rounding of the stored parts
// to microseconds, so a service under a microsecond shows as none).
// Responses that never arrive (errors, refusals, requests not sent) have
// none.
func (r *AuctionRecord) Parts(i int) ResponseParts {
	x := r.Responses[i]
	if x.Status < NoBid {
		return ResponseParts{}
	}
	rest := max(x.Time-r.Lead, 0)
	net := min(Time(x.NetworkMicros)*Microsecond, rest)
	queue := min(Time(x.QueueMicros)*Microsecond, rest-net)
	service := rest - net - queue
	if service < Microsecond {
		net, service = net+service, 0
	}
	out := net / 2
	return ResponseParts{Lead: x.Time - rest, Out: out, Queue: queue, Service: service, Back: net - out}
}

// WinnerWithoutDeadline is the bidder who would have won had every late
// bid arrived in time (the auction behind LostToTimeouts), at the price
// Price + LostToTimeouts; -1 when no bid, late or on time, reached the
// floor. Of equal top bids the actual winner keeps the win, else the
// first in configuration order (the engine breaks ties at random, and an
// auction that did not happen drew no tie-break).
func (r *AuctionRecord) WinnerWithoutDeadline() int {
	win := -1
	var best Price
	for i, x := range r.Responses {
		if x.Status != OnTime && !(x.Status == Late && x.Bid >= r.Floor) {
			continue
		}
		if win < 0 || x.Bid > best || x.Bid == best && i == r.Winner {
			win, best = i, x.Bid
		}
	}
	return win
}
