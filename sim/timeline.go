package sim

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

// Parts splits r's response time into its parts. Responses that never
// arrive (errors, refusals, requests not sent) have none.
func (r Response) Parts() ResponseParts {
	if r.Status < NoBid {
		return ResponseParts{}
	}
	out := r.Network / 2
	return ResponseParts{
		Lead:    r.Time - r.Network - r.Queue - r.Service,
		Out:     out,
		Queue:   r.Queue,
		Service: r.Service,
		Back:    r.Network - out,
	}
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
