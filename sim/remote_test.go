package sim

import "testing"

// fixedRemote answers each bidder the same way every time, and records
// what it was sent.
type fixedRemote struct {
	answers map[int]RemoteAnswer
	sent    []RemoteRequest
}

func (f *fixedRemote) Send(r RemoteRequest) { f.sent = append(f.sent, r) }
func (f *fixedRemote) Collect(id uint64, bidder int) RemoteAnswer {
	return f.answers[bidder]
}

// TestRemoteBiddersClearByTheEngineRules: remote answers are cleared as
// simulated ones are: the second price plus increment, late bids out and
// counted, what the late bid would have paid counted as lost, bids under
// the floor out, and a timeout a late answer.
func TestRemoteBiddersClearByTheEngineRules(t *testing.T) {
	cfg := world(4, Constant(1))
	cfg.Exchange.Floor, cfg.Exchange.Increment = PriceOf(0.5), PriceOf(0.01)
	e := mustNew(t, cfg)
	f := &fixedRemote{answers: map[int]RemoteAnswer{
		0: {Status: OnTime, Time: 30 * Millisecond, Bid: PriceOf(2)},
		1: {Status: OnTime, Time: 90 * Millisecond, Bid: PriceOf(1.5)},
		2: {Status: OnTime, Time: 150 * Millisecond, Bid: PriceOf(1.8)}, // after tmax 100ms
		3: {Status: OnTime, Time: 10 * Millisecond, Bid: PriceOf(0.2)},  // under the floor
	}}
	if err := e.SetRemote(f, "b0", "b1", "b2", "b3"); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(100)
	s := e.Snapshot()
	x := s.Exchange
	if x.Auctions != 100 || x.Filled != 100 || len(f.sent) < 400 {
		t.Fatalf("auctions %d filled %d sent %d", x.Auctions, x.Filled, len(f.sent))
	}
	if got, want := x.MeanPrice(), 1.51; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("mean price %v, want second bid 1.5 + 0.01", got)
	}
	if x.Late != 100 || x.BelowFloor != 100 || x.OnTime != 300 {
		t.Errorf("late %d below floor %d on time %d", x.Late, x.BelowFloor, x.OnTime)
	}
	if got, want := x.RevenueLost, 100*PriceOf(0.3).Cost(); got != want {
		t.Errorf("revenue lost %v, want %v (1.81 − 1.51 a auction)", got, want)
	}
	if s.Bidders[0].Wins != 100 || s.Bidders[0].Latency.P50 < 29*Millisecond {
		t.Errorf("b0: wins %d latency %+v", s.Bidders[0].Wins, s.Bidders[0].Latency)
	}
	r := f.sent[0]
	if r.Told != 100*Millisecond || r.Floor != PriceOf(0.5) || r.Type != SecondPrice || r.Seat == "" {
		t.Errorf("request %+v", r)
	}
	if rec, ok := e.LastAuction(); !ok || rec.Close-rec.Start != rec.Tmax {
		t.Errorf("an auction with remote bidders closed %v after fan-out, want at its deadline %v (their answers are known only then)", rec.Close-rec.Start, rec.Tmax)
	}
	if err := e.SetRemote(f, "nobody"); err == nil {
		t.Error("a bidder the world lacks was made remote")
	}
}

// TestRemoteBidderKeptBackByTheDeadlineIsSkipped: a remote bidder the told
// deadline keeps back (under bidder_response_min) is marked Skipped in the
// auction's record, as a simulated one is, and a disabled remote bidder is
// not: the record says the same whichever side of the wire a bidder is on.
func TestRemoteBidderKeptBackByTheDeadlineIsSkipped(t *testing.T) {
	cfg := deadlineWorld()
	cfg.Exchange.TmaxAdjustments.BidderResponseMin = 81 * Millisecond // told 80
	cfg.Bidders = append(cfg.Bidders, BidderConfig{Name: "off", Latency: Constant(1e6), Value: Uniform(1, 2), Disabled: true})
	e := mustNew(t, cfg)
	f := &fixedRemote{answers: map[int]RemoteAnswer{}}
	// The first two bidders and the disabled one on the wire, the rest
	// simulated.
	if err := e.SetRemote(f, cfg.Bidders[0].Name, cfg.Bidders[1].Name, "off"); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(200)
	s := e.Snapshot()
	if len(f.sent) != 0 || s.Exchange.BidRequests != 0 {
		t.Fatalf("sent %d remote bid requests, %d in all: want none", len(f.sent), s.Exchange.BidRequests)
	}
	if len(s.Recent) == 0 {
		t.Fatal("no auction records")
	}
	off := len(cfg.Bidders) - 1
	for _, rec := range s.Recent {
		for i, r := range rec.Responses {
			if r.Status != NotSent || r.Skipped != (i != off) {
				t.Fatalf("auction %d, bidder %d (%s): %+v: want NotSent, Skipped %v", rec.ID, i, cfg.Bidders[i].Name, r, i != off)
			}
		}
	}
}

// TestRemoteRunHasNoTmaxCurve: with a bidder on the wire the tmax curve
// is off, before and after a live tmax change off its grid. A wire's
// timeout comes back at the told deadline with no bid, so a curve settled
// from the answers put it on time at the run's own tmax (late share 0
// there while the exchange counted every timeout late) and its waits at
// 0: a wrong curve, where none is the truth.
func TestRemoteRunHasNoTmaxCurve(t *testing.T) {
	cfg := world(2, Constant(1))
	cfg.Exchange.TmaxCurve = FollowGrid(cfg.Exchange.Tmax)
	sim := mustNew(t, cfg)
	sim.RunAuctions(50)
	if sim.Snapshot().TmaxCurve == nil {
		t.Fatal("the simulated world has no tmax curve to begin with")
	}
	e := mustNew(t, cfg)
	f := &fixedRemote{answers: map[int]RemoteAnswer{
		0: {Status: OnTime, Time: 30 * Millisecond, Bid: PriceOf(2)},
		1: {Status: Late, Time: cfg.Exchange.Tmax}, // a timeout, as wire.Exchange collects one
	}}
	if err := e.SetRemote(f, "b1"); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(50)
	if err := e.Apply(SetTmax{Tmax: 137 * Millisecond}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(50)
	s := e.Snapshot()
	if s.Exchange.Late == 0 {
		t.Fatal("the remote bidder's timeouts were not counted late")
	}
	if s.TmaxCurve != nil || s.TmaxCurveRecent != nil || s.TmaxCurveExact {
		t.Errorf("a run with a bidder on the wire has a tmax curve: %+v", s.TmaxCurve)
	}
}
