package sim

// ResponseParts is one response on the time line of its auction, from the
// ad request: what a slow-motion view of one auction draws. The engine
// draws a network round trip, not its two legs; they are shown as halves.
type ResponseParts struct {
	Sent       Time // the bid request leaves: the exchange's request processing
	Out        Time // network, exchange to bidder: half the round trip
	Queue      Time // waiting for one of the bidder's workers
	Service    Time // being served
	Processing Time // the bidder's own work past its queue: its latency
	Back       Time // network, bidder to exchange: the other half
	Arrival    Time // Sent + Out + Queue + Service + Processing + Back: the response's Time
}

// Parts is response i's time line; ok is false when nothing came back (a
// hang, a refusal, a bidder not sent the request). The network is the
// round trip drawn apart (BidderConfig.Network); without one, a bidder's
// latency is its processing, except beside a queue, where it stands for
// the network as it always has.
func (a *AuctionRecord) Parts(i int) (p ResponseParts, ok bool) {
	if i < 0 || i >= len(a.Responses) {
		return p, false
	}
	r := a.Responses[i]
	if r.Status < NoBid && r.Status != Error {
		return p, false
	}
	rest := r.Time - a.RequestProcessing - r.Queue - r.Service - r.Network
	net, proc := r.Network, rest
	if r.Network == 0 && r.Queue+r.Service > 0 {
		net, proc = rest, 0
	}
	p = ResponseParts{
		Sent: a.RequestProcessing, Out: net / 2, Queue: r.Queue, Service: r.Service,
		Processing: proc, Back: net - net/2, Arrival: r.Time,
	}
	return p, true
}

// WinnerWithoutDeadline is the bidder that would have won had every late
// bid arrived in time (the highest bid at or above the floor, the first
// in configuration order among equal ones), or -1 when none would have.
// Beside Winner it shows what the deadline cost: LostToTimeouts is the
// price difference.
func (a *AuctionRecord) WinnerWithoutDeadline() int {
	win := -1
	for i, r := range a.Responses {
		if (r.Status == OnTime || r.Status == Late) && r.Bid >= a.Floor && (win < 0 || r.Bid > a.Responses[win].Bid) {
			win = i
		}
	}
	return win
}
