package sim

import "testing"

func TestResponseParts(t *testing.T) {
	ms := float64(Millisecond)
	cfg := Config{
		Seed:    4,
		Traffic: Traffic{QPS: 400},
		Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: 100 * Millisecond, Floor: PriceOf(0.5),
			TmaxAdjustments: TmaxAdjustments{RequestProcessing: 3 * Millisecond}},
		Bidders: []BidderConfig{
			{Name: "queued", Latency: Constant(41 * ms), Value: Uniform(1, 2),
				Capacity: &Capacity{Workers: 1, Service: Exponential(2 * ms)}},
			{Name: "late", Latency: Constant(150 * ms), Value: Constant(5)},
			{Name: "broken", Hangs: 1, Value: Constant(1)},
			{Name: "erring", Errors: 1, Latency: Constant(7 * ms), Network: Constant(20 * ms), Value: Constant(1)},
			{Name: "apart", Latency: Constant(60 * ms), Network: Constant(30 * ms), NoBid: 1, Value: Constant(1)},
		},
		Recent: 200,
	}
	e := mustNew(t, cfg)
	e.RunAuctions(200)
	waited := false
	for _, rec := range e.Snapshot().Recent {
		p, ok := rec.Parts(0)
		if !ok || p.Sent != 3*Millisecond || p.Out != 41*Millisecond/2 || p.Back != 41*Millisecond-41*Millisecond/2 ||
			p.Service <= 0 || p.Sent+p.Out+p.Queue+p.Service+p.Back != p.Arrival || p.Arrival != rec.Responses[0].Time {
			t.Fatalf("auction %d: %+v (%v)", rec.ID, p, ok)
		}
		waited = waited || p.Queue > 0
		if p, ok := rec.Parts(1); !ok || p.Queue != 0 || p.Arrival != 153*Millisecond {
			t.Fatalf("late: %+v", p)
		}
		if _, ok := rec.Parts(2); ok {
			t.Fatal("a hang has no time line")
		}
		// An error comes back after its latency and network.
		if p, ok := rec.Parts(3); !ok || p.Arrival != 30*Millisecond || p.Processing != 7*Millisecond || p.Out+p.Back != 20*Millisecond {
			t.Fatalf("error: %+v (%v)", p, ok)
		}
		// A network apart: its legs are the round trip, the latency is
		// the bidder's processing.
		if p, ok := rec.Parts(4); !ok || p.Out != 15*Millisecond || p.Back != 15*Millisecond || p.Processing != 60*Millisecond ||
			p.Sent+p.Out+p.Processing+p.Back != p.Arrival || p.Arrival != 93*Millisecond {
			t.Fatalf("network apart: %+v (%v)", p, ok)
		}
		if w := rec.WinnerWithoutDeadline(); w != 1 || rec.Winner != 0 {
			t.Fatalf("winner %d, without the deadline %d; want 0 and 1", rec.Winner, w)
		}
	}
	if !waited {
		t.Error("no request ever waited in the queue at 80% load")
	}
}
