package sim

import (
	"errors"
	"testing"
)

// deadlineWorld: tmax 100 ms, bidders told 100 − 5 − 10 − 5 = 80 ms.
func deadlineWorld() Config {
	ms := float64(Millisecond)
	cfg := Config{
		Seed:    3,
		Traffic: Traffic{QPS: 200},
		Exchange: ExchangeConfig{
			Auction: SecondPrice, Tmax: 100 * Millisecond,
			TmaxAdjustments: TmaxAdjustments{
				RequestProcessing: 5 * Millisecond, NetworkBuffer: 10 * Millisecond, ResponsePreparation: 5 * Millisecond,
			},
		},
		Bidders: []BidderConfig{
			{Name: "slow-polite", Latency: Constant(90 * ms), Value: Uniform(1, 2), RespectsTmax: true},
			{Name: "slow-rude", Latency: Constant(90 * ms), Value: Uniform(1, 2)},
			{Name: "fast-polite", Latency: Constant(70 * ms), Value: Uniform(1, 2), RespectsTmax: true},
			{Name: "varied-polite", Latency: LogNormalMedianP99(75*ms, 110*ms), Value: Uniform(1, 2), RespectsTmax: true},
			{Name: "varied-rude", Latency: LogNormalMedianP99(75*ms, 110*ms), Value: Uniform(1, 2)},
		},
		Recent: 64,
	}
	return cfg
}

func TestBidderTmaxIsTold(t *testing.T) {
	e := mustNew(t, deadlineWorld())
	e.RunAuctions(2000)
	s := e.Snapshot()
	if s.Settings.Tmax != 100*Millisecond || s.Settings.BidderTmax != 80*Millisecond {
		t.Errorf("settings: tmax %v, bidder tmax %v; want 100ms and 80ms", s.Settings.Tmax, s.Settings.BidderTmax)
	}
	for _, rec := range s.Recent {
		if rec.BidderTmax != 80*Millisecond || rec.Tmax != 100*Millisecond {
			t.Fatalf("auction %d: tmax %v, bidder tmax %v", rec.ID, rec.Tmax, rec.BidderTmax)
		}
		// Bid requests leave 5 ms after the ad request.
		if r := rec.Responses[1]; r.Time != 95*Millisecond || r.Status != OnTime {
			t.Fatalf("slow-rude: %+v, want on time at 95ms", r)
		}
	}
	// Without adjustments the told deadline is tmax.
	cfg := deadlineWorld()
	cfg.Exchange.TmaxAdjustments = TmaxAdjustments{}
	if s := mustNew(t, cfg).Snapshot(); s.Settings.BidderTmax != s.Settings.Tmax {
		t.Errorf("no adjustments: bidder tmax %v, tmax %v", s.Settings.BidderTmax, s.Settings.Tmax)
	}
}

func TestRespectsTmaxSkips(t *testing.T) {
	e := mustNew(t, deadlineWorld())
	e.RunAuctions(5000)
	s := e.Snapshot()
	b := s.Bidders
	// 90 ms > 80 ms told: every request declined at once, none late.
	if b[0].SkippedDeadline != b[0].BidRequests || b[0].Bids != 0 || b[0].Late != 0 || b[0].BidRequests == 0 {
		t.Errorf("slow-polite: %+v", b[0])
	}
	if b[1].SkippedDeadline != 0 || b[1].Bids != b[1].BidRequests {
		t.Errorf("slow-rude bids every time (95 ms ≤ 100 ms): %+v", b[1])
	}
	if b[2].SkippedDeadline != 0 || b[2].Bids != b[2].BidRequests {
		t.Errorf("fast-polite: 70 ms ≤ 80 ms, always bids: %+v", b[2])
	}
	// Lognormal: declines exactly when its round trip exceeds 80 ms, and
	// then is never late; the rude twin is late sometimes.
	if b[3].SkippedDeadline == 0 || b[3].Late != 0 || b[3].Bids == 0 {
		t.Errorf("varied-polite: %+v", b[3])
	}
	if b[4].Late == 0 || b[4].SkippedDeadline != 0 {
		t.Errorf("varied-rude: %+v", b[4])
	}
	for _, rec := range s.Recent {
		r := rec.Responses[3]
		skipped := r.Status == NoBid && r.Reason == MissesDeadline
		if net := r.Time - 5*Millisecond; skipped != (net > 80*Millisecond) {
			t.Errorf("auction %d: varied-polite %v at %v (round trip %v), told 80ms", rec.ID, r.Status, r.Time, net)
		}
	}
	x := s.Exchange
	if x.SkippedDeadline != b[0].SkippedDeadline+b[3].SkippedDeadline || x.SkippedDeadline > x.NoBids {
		t.Errorf("exchange skipped %d, no-bids %d", x.SkippedDeadline, x.NoBids)
	}
}

// A bidder that respects tmax saves its queue the requests it declines.
func TestRespectsTmaxSavesQueue(t *testing.T) {
	ms := float64(Millisecond)
	mk := func(respects bool) BidderStats {
		cfg := Config{
			Seed:     5,
			Traffic:  Traffic{QPS: 95},
			Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: 100 * Millisecond},
			Bidders: []BidderConfig{{
				Name: "q", Latency: LogNormalMedianP99(30*ms, 60*ms), Value: Uniform(1, 2), RespectsTmax: respects,
				Capacity: &Capacity{Workers: 1, Service: Exponential(10 * ms), Queue: 50},
			}},
		}
		return snapshotAt(t, cfg, 60*Second).Bidders[0]
	}
	rude, polite := mk(false), mk(true)
	if polite.SkippedDeadline == 0 || polite.Late >= rude.Late/2 || polite.OnTime <= rude.OnTime {
		t.Errorf("polite %+v\nrude %+v", polite, rude)
	}
}

func TestBidderResponseMinSkipsBidders(t *testing.T) {
	cfg := deadlineWorld()
	cfg.Exchange.TmaxAdjustments.BidderResponseMin = 81 * Millisecond // told 80
	cfg.Bidders = append(cfg.Bidders, BidderConfig{Name: "off", Latency: Constant(1e6), Value: Uniform(1, 2), Disabled: true})
	e := mustNew(t, cfg)
	e.RunAuctions(1000)
	s := e.Snapshot()
	x := s.Exchange
	if x.BidRequests != 0 || x.Filled != 0 || x.Unsent != 5*x.Requests {
		t.Errorf("want no bid requests, %d unsent: %+v", 5*x.Requests, x)
	}
	// Each record says which bidders the deadline kept back: the enabled
	// ones, not the one switched off.
	for _, rec := range s.Recent {
		for i, r := range rec.Responses {
			if r.Status != NotSent || r.Skipped != (i < 5) {
				t.Fatalf("auction %d, bidder %d: %+v", rec.ID, i, r)
			}
		}
	}
	// Raising tmax live lifts the skip.
	if err := e.Apply(SetTmax{Tmax: 101 * Millisecond}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(1000)
	if s := e.Snapshot(); s.Exchange.Filled == 0 || s.Settings.BidderTmax != 81*Millisecond {
		t.Errorf("after tmax 101ms: %+v", s.Exchange)
	} else if r := s.Recent[len(s.Recent)-1].Responses; r[0].Skipped || r[1].Skipped || r[5].Skipped {
		t.Errorf("skipped after tmax 101ms: %+v", r)
	}
}

func TestTmaxAdjustmentsValidate(t *testing.T) {
	for _, c := range []struct {
		adj   TmaxAdjustments
		field string
	}{
		{TmaxAdjustments{NetworkBuffer: -1}, "exchange.tmax_adjustments.network_buffer"},
		{TmaxAdjustments{RequestProcessing: -1}, "exchange.tmax_adjustments.request_processing"},
		{TmaxAdjustments{ResponsePreparation: MaxTmax + 1}, "exchange.tmax_adjustments.response_preparation"},
	} {
		cfg := deadlineWorld()
		cfg.Exchange.TmaxAdjustments = c.adj
		var fe *FieldError
		if err := cfg.Validate(); !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: got %v, want an error on %s", c.adj, err, c.field)
		}
	}
}

// TestAdjustmentsPastTmaxSkip: adjustments that add up to tmax or more
// leave bidders no time, and Prebid Server then calls none (the skip
// rule: a told deadline ≤ 0 is below any bidder_response_min), so a
// configuration with them runs with every bid request unsent, as one
// whose told deadline is merely below bidder_response_min does; it was
// refused, while a live SetTmax there was taken.
func TestAdjustmentsPastTmaxSkip(t *testing.T) {
	for _, min := range []Time{0, 150 * Millisecond} {
		cfg := deadlineWorld()
		cfg.Exchange.TmaxAdjustments.NetworkBuffer = 95 * Millisecond // told 100 − 5 − 95 − 5 = −5ms
		cfg.Exchange.TmaxAdjustments.BidderResponseMin = min
		e := mustNew(t, cfg)
		e.RunAuctions(500)
		s := e.Snapshot()
		if x := s.Exchange; x.BidRequests != 0 || x.Filled != 0 || x.Unsent != 5*x.Requests || x.Requests == 0 {
			t.Errorf("min %v: want no bid requests, %d unsent: %+v", min, 5*x.Requests, x)
		}
		// And back to a tmax that leaves time: bidders are called again.
		if err := e.Apply(SetTmax{Tmax: 300 * Millisecond}); err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(500)
		if s := e.Snapshot(); s.Exchange.BidRequests == 0 {
			t.Errorf("min %v: no bid request after tmax 300ms: %+v", min, s.Exchange)
		}
	}
}

// A bidder with its network apart that declines for lack of time skips
// its own processing: the no-bid comes back after the round trip alone,
// in time for the exchange to read it, not when a bid would have come.
func TestRespectsTmaxDeclinesAfterTheRoundTrip(t *testing.T) {
	ms := float64(Millisecond)
	cfg := deadlineWorld()
	cfg.Bidders = []BidderConfig{{
		Name: "split-polite", Latency: Constant(90 * ms), Network: Constant(20 * ms), Value: Uniform(1, 2), RespectsTmax: true,
	}}
	e := mustNew(t, cfg)
	e.RunAuctions(200)
	s := e.Snapshot()
	if b := s.Bidders[0]; b.SkippedDeadline != b.BidRequests || b.BidRequests == 0 {
		t.Fatalf("110 ms > 80 ms told: every request declined: %+v", b)
	}
	for _, rec := range s.Recent {
		r := rec.Responses[0]
		if r.Status != NoBid || r.Reason != MissesDeadline || r.Time != 25*Millisecond || r.Network != 20*Millisecond {
			t.Fatalf("auction %d: %v %v at %v (network %v), want the decline at 5 ms processing + 20 ms round trip", rec.ID, r.Status, r.Reason, r.Time, r.Network)
		}
	}
	// Every bidder has answered by then: the page waits 25 ms, not the deadline.
	if w := s.Exchange.Wait; w.Max > 26*Millisecond {
		t.Errorf("wait %+v: the auctions closed on the decline", w)
	}
}
