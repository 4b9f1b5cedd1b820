package sim

import "testing"

// TestBidderModelAnswersAsTheEngine: a bidder model given the engine's
// fan-out instants draws the engine's own answers for that bidder, to the
// nanosecond and the micro-CPM: its latency, queue, no-bids, errors,
// refusals, the deadline it respects and its strategy are the engine's.
func TestBidderModelAnswersAsTheEngine(t *testing.T) {
	cfg := world(3, Uniform(0.5, 3))
	cfg.Exchange.Tmax = 80 * Millisecond
	cfg.Exchange.HoldOpen = true // every auction closes at its deadline: in fan-out order
	cfg.Traffic.QPS = 2000
	cfg.Recent = 1
	b := &cfg.Bidders[1]
	b.Latency = LogNormalMedianP99(float64(40*Millisecond), float64(120*Millisecond))
	b.Errors, b.Hangs, b.NoBid = 0.05, 0.03, 0.1
	b.Capacity = &Capacity{Workers: 2, Service: Exponential(float64(Millisecond)), Queue: 3}
	b.Strategy = Strategy{Kind: Shade, Factor: 0.8}
	b.RespectsTmax = true
	e := mustNew(t, cfg)
	m, err := NewBidderModel(cfg, "b1")
	if err != nil {
		t.Fatal(err)
	}
	if m.Index() != 1 || m.Name() != "b1" || !m.RespectsTmax() {
		t.Fatalf("model of b1: index %d, name %q, respects %v", m.Index(), m.Name(), m.RespectsTmax())
	}
	seen := map[Status]int{}
	for range 5000 {
		e.RunAuctions(1)
		rec, ok := e.LastAuction()
		if !ok {
			t.Fatal("no auction kept")
		}
		want := rec.Responses[1]
		got := m.Answer(rec.Start, rec.BidderTmax)
		wantStatus := want.Status
		if wantStatus >= Late {
			wantStatus = OnTime
		}
		seen[want.Status]++
		if got.Status != wantStatus || got.Reason != want.Reason || got.Bid != want.Bid || got.Value != want.Value ||
			got.Queue != want.Queue || got.Service != want.Service {
			t.Fatalf("auction %d: model %+v, engine %+v", rec.ID, got, want)
		}
		if (want.Status >= NoBid || want.Status == Error) && got.Delay != want.Time {
			t.Fatalf("auction %d: model delay %v, engine %v", rec.ID, got.Delay, want.Time)
		}
		if got.Status == OnTime {
			m.Lost(rec.Close, got.Bid)
		}
	}
	for _, s := range []Status{Error, Refused, Hang, NoBid, Late, OnTime} {
		if seen[s] == 0 {
			t.Errorf("no %v answer in 5000: the comparison missed a case", s)
		}
	}
	if r := m.Money().Reserved; r != 0 {
		t.Errorf("every bid settled, yet %d reserved", r)
	}
}

// TestBidderModelPaces: a paced model starts its controller as the engine
// does (multiplier: the search from the prior, so μ > 0 at once) and
// keeps within its budget however many bids win.
func TestBidderModelPaces(t *testing.T) {
	cfg := world(2, Uniform(1, 3))
	cfg.Horizon = 10 * Second
	cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(0.5), Pacing: PacingMultiplier}
	m, err := NewBidderModel(cfg, "b0")
	if err != nil {
		t.Fatal(err)
	}
	if mu := m.Money().Mu; !(mu > 0) {
		t.Fatalf("μ at start = %v, want the search's first probe > 0", mu)
	}
	var now Time
	for range 20000 {
		now += Millisecond / 2
		a := m.Answer(now, 0)
		if a.Status == OnTime {
			m.Won(now, a.Bid, a.Bid, a.Value)
		}
	}
	mb := m.Money()
	if mb.Spend > mb.Budget || mb.Spend < mb.Budget/2 {
		t.Errorf("spent %v of %v over the whole horizon", mb.Spend, mb.Budget)
	}
	if mb.Wins == 0 || !mb.Limited || mb.Pacing != PacingMultiplier {
		t.Errorf("money %+v", mb)
	}
	if _, err := NewBidderModel(cfg, "nobody"); err == nil {
		t.Error("a model of a bidder the world lacks was built")
	}
}
