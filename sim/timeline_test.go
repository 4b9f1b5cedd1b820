package sim

import "testing"

// Each response's parts add up to its time; a bidder without capacity
// has no queue or service, one with capacity has both, and the lead is
// the exchange's request processing.
func TestResponseParts(t *testing.T) {
	cfg := world(2, Uniform(0, 1))
	cfg.Recent = 2000
	cfg.Exchange.TmaxAdjustments = TmaxAdjustments{RequestProcessing: 5 * Millisecond}
	cfg.Bidders[0].Latency = LogNormalMedianP99(float64(30*Millisecond), float64(90*Millisecond))
	cfg.Bidders[1].Latency = LogNormalMedianP99(float64(10*Millisecond), float64(30*Millisecond))
	cfg.Bidders[1].Capacity = &Capacity{Workers: 1, Service: Exponential(float64(900 * Microsecond))}
	e := mustNew(t, cfg)
	e.RunAuctions(2000)
	var queued, served int
	for _, rec := range e.Snapshot().Recent {
		for i, r := range rec.Responses {
			p := rec.Parts(i)
			if r.Status < NoBid {
				if p != (ResponseParts{}) {
					t.Fatalf("auction %d bidder %d: %v has parts %+v", rec.ID, i, r.Status, p)
				}
				continue
			}
			if p.Total() != r.Time || (p.Out+p.Back)/Microsecond != Time(r.NetworkMicros) && p.Service > 0 || p.Out < 0 || p.Back < p.Out {
				t.Fatalf("auction %d bidder %d: parts %+v do not make up time %v (network %dµs)", rec.ID, i, p, r.Time, r.NetworkMicros)
			}
			if p.Lead != 5*Millisecond {
				t.Fatalf("auction %d bidder %d: lead %v, want the 5ms request processing", rec.ID, i, p.Lead)
			}
			switch {
			case i == 0 && (p.Queue != 0 || p.Service != 0):
				t.Fatalf("auction %d: a bidder without capacity queued %v, served %v", rec.ID, p.Queue, p.Service)
			case i == 1 && p.Queue > 0:
				queued++
			}
			if i == 1 && p.Service > 0 {
				served++
			}
		}
	}
	// ρ = 0.9 on one worker: most requests wait, every one is served.
	if queued == 0 || served == 0 {
		t.Errorf("with capacity: %d responses queued, %d served", queued, served)
	}
}

// The winner without the deadline is the one whose bid sets the price
// Price + LostToTimeouts: the actual winner when no late bid beats it.
func TestWinnerWithoutDeadline(t *testing.T) {
	cfg := world(4, Uniform(0, 2))
	cfg.Recent = 3000
	cfg.Exchange.Floor = 0.3
	cfg.Exchange.Auction = FirstPrice
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = LogNormalMedianP99(float64(Time(40+20*i)*Millisecond), float64(Time(120+40*i)*Millisecond))
	}
	e := mustNew(t, cfg)
	e.RunAuctions(3000)
	changed := 0
	for _, rec := range e.Snapshot().Recent {
		w := rec.WinnerWithoutDeadline()
		switch {
		case w < 0:
			if rec.Winner >= 0 || rec.LostToTimeouts != 0 {
				t.Fatalf("auction %d: no winner without the deadline, but %d won and %v was lost", rec.ID, rec.Winner, rec.LostToTimeouts)
			}
		// First price: the price without the deadline is the top bid.
		case rec.Responses[w].Bid != rec.Price+rec.LostToTimeouts:
			t.Fatalf("auction %d: %d bids %v, but the price without the deadline is %v", rec.ID, w, rec.Responses[w].Bid, rec.Price+rec.LostToTimeouts)
		case w != rec.Winner:
			changed++
			if rec.Responses[w].Status != Late {
				t.Fatalf("auction %d: %d takes the win from %d with an on-time bid", rec.ID, w, rec.Winner)
			}
		}
	}
	if changed == 0 {
		t.Error("no auction was lost to a late bid; the test proves little")
	}
}
