package sim

// ResponseParts is one response on the time line of its auction, from the
// ad request: what a slow-motion view of one auction draws. The engine
// draws a network round trip, not its two legs; they are shown as halves.
type ResponseParts struct {
	Sent    Time // the bid request leaves: the exchange's request processing
	Out     Time // network, exchange to bidder: half the round trip
	Queue   Time // waiting for one of the bidder's workers
	Service Time // being served
	Back    Time // network, bidder to exchange: the other half
	Arrival Time // Sent + Out + Queue + Service + Back: the response's Time
}

// Parts is response i's time line; ok is false when nothing came back (an
// error, a refusal, a bidder not sent the request).
func (a *AuctionRecord) Parts(i int) (p ResponseParts, ok bool) {
	if i < 0 || i >= len(a.Responses) {
		return p, false
	}
	r := a.Responses[i]
	if r.Status < NoBid {
		return p, false
	}
	net := r.Time - a.RequestProcessing - r.Queue - r.Service
	p = ResponseParts{
		Sent: a.RequestProcessing, Out: net / 2, Queue: r.Queue, Service: r.Service,
		Back: net - net/2, Arrival: r.Time,
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
