package sim

import "fmt"

// TmaxAdjustments model Prebid Server's tmax adjustments (its config
// section tmax_adjustments): the deadline the exchange tells each bidder
// is shorter than tmax, the one the page waits for, by the time the
// exchange has already spent and the time it keeps in hand:
//
//	bidder tmax = tmax − RequestProcessing − NetworkBuffer − ResponsePreparation
//
// and a bidder is not called at all when its bidder tmax would be below
// BidderResponseMin. (Prebid Server computes the remaining time until the
// request's deadline, tmax less the time spent so far, then subtracts
// bidder_network_latency_buffer_ms and pbs_response_preparation_duration_ms;
// it skips the bidder when that is below bidder_response_duration_min_ms:
// exchange/tmax_adjustments.go and exchange/bidder.go in prebid-server.)
// The zero value leaves the bidder tmax equal to tmax.
type TmaxAdjustments struct {
	// RequestProcessing is the exchange's own time between the ad request
	// and the fan-out; bid requests leave that much later, so responses
	// arrive that much later against the page's deadline.
	RequestProcessing Time
	// NetworkBuffer is bidder_network_latency_buffer_ms: time kept for
	// the network on the way back.
	NetworkBuffer Time
	// ResponsePreparation is pbs_response_preparation_duration_ms: time
	// kept for the exchange to build its own response.
	ResponsePreparation Time
	// BidderResponseMin is bidder_response_duration_min_ms: below this
	// bidder tmax a bidder is not sent the request.
	BidderResponseMin Time
}

// IsZero reports whether no adjustment is set.
func (a TmaxAdjustments) IsZero() bool { return a == TmaxAdjustments{} }

// BidderTmax is the deadline bidders are told when the page waits tmax.
func (a TmaxAdjustments) BidderTmax(tmax Time) Time {
	return tmax - a.RequestProcessing - a.NetworkBuffer - a.ResponsePreparation
}

// skips reports whether bidders are not called at all under tmax.
func (a TmaxAdjustments) skips(tmax Time) bool {
	told := a.BidderTmax(tmax)
	return told <= 0 || told < a.BidderResponseMin
}

// validate checks each adjustment on its own. Adjustments that add up to
// tmax or more are not refused: Prebid Server takes them (tmax comes with
// each request, not with its configuration) and calls no bidder at such a
// tmax, as the skip rule does here (skips: a told deadline ≤ 0 is below
// every bidder_response_min), so a scenario or a live change at such a
// tmax runs auctions with no bid requests, counted unsent.
func (a TmaxAdjustments) validate(field string) []error {
	var errs []error
	for _, f := range []struct {
		name string
		d    Time
	}{
		{"request_processing", a.RequestProcessing},
		{"network_buffer", a.NetworkBuffer},
		{"response_preparation", a.ResponsePreparation},
		{"bidder_response_min", a.BidderResponseMin},
	} {
		// Bounded by the longest tmax so that their sum cannot overflow.
		if err := adjustmentRange.check(float64(f.d)); err != nil {
			errs = append(errs, &FieldError{Field: field + "." + f.name, Err: err})
		}
	}
	return errs
}

// nonNegative checks a duration that may be zero.
func nonNegative(d Time) error {
	if d < 0 {
		return fmt.Errorf("%v must be ≥ 0", d)
	}
	return nil
}

// deadlines sets auction a's bidder deadline and fan-out delay at fan-out,
// and whether its bid requests go out at all. Small enough to inline: an
// exchange without adjustments pays one test.
func (e *Engine) deadlines(a *auctionState) {
	a.told = a.tmax
	if e.adjusted {
		e.adjust(a)
	}
}

//go:noinline // keeps deadlines small enough to inline into arrive
func (e *Engine) adjust(a *auctionState) {
	a.told = e.adj.BidderTmax(a.tmax)
	a.lead = e.adj.RequestProcessing
	if e.adj.skips(a.tmax) {
		a.unsent = true
		for i := range e.bidders {
			if e.bidders[i].enabled {
				e.x.Unsent++
				a.keptBack = true
			}
		}
	}
}

// missesTold is the choice of a bidder that respects the deadline it is
// told: it knows its own response time and how long the request would
// wait in its queue, and declines at once, without queueing or
// processing the request, when the two would miss the deadline. It
// reports whether the bidder declined (r is then a no-bid). A request its
// full queue would refuse is left to be refused.
func (b *bidder) missesTold(a *auctionState, r *Response) bool {
	var wait Time
	if b.station != nil {
		w, ok := b.station.peekWait(a.start)
		if !ok {
			return false
		}
		wait = w
	}
	net := timeOf(b.net.peek())
	if b.hasRTT {
		net += timeOf(b.rtt.peek())
	}
	if wait+net <= a.told {
		return false
	}
	// Both draws are used. With its network apart the bidder skips its
	// own processing: the no-bid comes back after the round trip alone.
	// Without, latency is the whole response time, and so is the no-bid's.
	b.net.draw()
	r.Status, r.Reason = NoBid, MissesDeadline
	r.Time = a.lead + net
	if b.hasRTT {
		r.Network = timeOf(b.rtt.draw())
		r.Time = a.lead + r.Network
	}
	return true
}

// peek returns the value the next draw will return.
func (s *sampler) peek() float64 {
	if s.next == samplerBatch {
		s.refill()
	}
	return s.buf[s.next]
}

// waitAt is how long a request admitted at now waits for a worker.
func (s *station) waitAt(now Time) Time { return max(now, s.free[0]) - now }

// peekWait is how long a request arriving at now would wait before a
// worker takes it, without queueing it; ok is false when the queue is
// full and the request would be refused.
func (s *station) peekWait(now Time) (wait Time, ok bool) {
	if s.limit > 0 {
		h := s.head // start instants are in order: skip those past
		for h < len(s.waiting) && s.waiting[h] <= now {
			h++
		}
		if len(s.waiting)-h >= s.limit {
			return 0, false
		}
	}
	return s.waitAt(now), true
}
