package sim

import "testing"

// driveRemote runs e auction by auction, telling it after each fan-out
// that the wire's calls of that auction ended after ended (0: never),
// and returns how many closes moved.
func driveRemote(t *testing.T, e *Engine, auctions uint64, ended Time) (moved int) {
	t.Helper()
	for steps := 0; e.Auctions() < auctions; steps++ {
		if steps > 1_000_000 {
			t.Fatal("the run does not end")
		}
		before := e.Snapshot().Exchange.Requests
		e.Step()
		if ended == 0 {
			continue
		}
		if s := e.Snapshot(); s.Exchange.Requests > before {
			if e.CloseRemote(s.Exchange.Requests, e.Now()+ended) {
				moved++
			}
		}
	}
	return moved
}

// TestCloseRemoteClosesEarly: an auction whose remote calls all ended
// closes then, as the simulation's close_early does; its wait is the
// time to that close and it clears as it would have at its deadline.
func TestCloseRemoteClosesEarly(t *testing.T) {
	cfg := world(2, Constant(1))
	f := &fixedRemote{answers: map[int]RemoteAnswer{
		0: {Status: OnTime, Time: 20 * Millisecond, Bid: PriceOf(2)},
		1: {Status: OnTime, Time: 30 * Millisecond, Bid: PriceOf(1)},
	}}
	e := mustNew(t, cfg)
	if err := e.SetRemote(f, "b0", "b1"); err != nil {
		t.Fatal(err)
	}
	if moved := driveRemote(t, e, 200, 30*Millisecond); moved < 200 {
		t.Fatalf("%d closes moved for 200 auctions", moved)
	}
	s := e.Snapshot()
	if w := s.Exchange.Wait; w.Mean != 30*Millisecond || !near(w.Max, 30*Millisecond) {
		t.Errorf("wait %+v, want 30ms every time (tmax 100ms)", w)
	}
	if got := s.Exchange.MeanPrice(); got < 0.999 || got > 1.001 {
		t.Errorf("mean price %v, want the second bid 1", got)
	}
	if rec, ok := e.LastAuction(); !ok || rec.Close-rec.Start != 30*Millisecond {
		t.Errorf("last auction closed %v after fan-out, want 30ms", rec.Close-rec.Start)
	}
	if e.CloseRemote(1, e.Now()) || e.CloseRemote(1<<40, e.Now()) {
		t.Error("a closed or unknown auction's close moved")
	}
	if s.Exchange.Auctions != s.Exchange.Filled || s.Exchange.InFlight != s.Exchange.Requests-s.Exchange.Auctions {
		t.Errorf("counters: %+v", s.Exchange)
	}
}

// TestCloseRemoteKeepsTheDeadline: the close stays at the deadline with
// close_early false, when the calls ended past it, and when a simulated
// bidder of the auction hangs; a simulated bidder still answering holds
// the close until its answer.
func TestCloseRemoteKeepsTheDeadline(t *testing.T) {
	answers := map[int]RemoteAnswer{0: {Status: OnTime, Time: 20 * Millisecond, Bid: PriceOf(2)}}
	cases := []struct {
		name  string
		edit  func(*Config)
		ended Time
		wait  Time
		moves bool
	}{
		{"close_early false", func(c *Config) { c.Exchange.HoldOpen = true }, 20 * Millisecond, 100 * Millisecond, false},
		{"ended past the deadline", func(c *Config) {}, 150 * Millisecond, 100 * Millisecond, false},
		{"a simulated bidder hangs", func(c *Config) { c.Bidders[1].Hangs = 1 }, 20 * Millisecond, 100 * Millisecond, false},
		{"a simulated bidder answers later", func(c *Config) { c.Bidders[1].Latency = Constant(float64(60 * Millisecond)) }, 20 * Millisecond, 60 * Millisecond, true},
		{"a simulated bidder answers sooner", func(c *Config) { c.Bidders[1].Latency = Constant(float64(5 * Millisecond)) }, 20 * Millisecond, 20 * Millisecond, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := world(2, Constant(1))
			tc.edit(&cfg)
			e := mustNew(t, cfg)
			if err := e.SetRemote(&fixedRemote{answers: answers}, "b0"); err != nil {
				t.Fatal(err)
			}
			moved := driveRemote(t, e, 100, tc.ended)
			if (moved > 0) != tc.moves {
				t.Errorf("%d closes moved", moved)
			}
			if w := e.Snapshot().Exchange.Wait; w.Mean != tc.wait || !near(w.Max, tc.wait) {
				t.Errorf("wait %+v, want %v every time", w, tc.wait)
			}
		})
	}
}

// TestCloseRemoteAfterTmaxIsLowered: closes a lowered tmax sends to the
// heap move too, and the run's counters still add up.
func TestCloseRemoteAfterTmaxIsLowered(t *testing.T) {
	cfg := world(1, Constant(1))
	e := mustNew(t, cfg)
	if err := e.SetRemote(&fixedRemote{answers: map[int]RemoteAnswer{0: {Status: OnTime, Time: 5 * Millisecond, Bid: PriceOf(1)}}}, "b0"); err != nil {
		t.Fatal(err)
	}
	driveRemote(t, e, 50, 0) // at the deadline: closes in flight at 100ms
	if err := e.Apply(SetTmax{Tmax: 40 * Millisecond}); err != nil {
		t.Fatal(err)
	}
	// About 100 auctions were in flight at 100ms when tmax was lowered.
	if moved := driveRemote(t, e, 300, 10*Millisecond); moved < 100 {
		t.Errorf("%d closes moved after tmax was lowered", moved)
	}
	s := e.Snapshot()
	if x := s.Exchange; x.Requests != x.Auctions+x.InFlight || x.Auctions != x.Filled {
		t.Errorf("counters: %+v", x)
	}
	if rec, ok := e.LastAuction(); !ok || rec.Close-rec.Start != 10*Millisecond {
		t.Errorf("last auction closed %v after fan-out, want 10ms", rec.Close-rec.Start)
	}
}

// near: within the 1% a latency histogram's buckets keep.
func near(got, want Time) bool { return got >= want*99/100 && got <= want*101/100 }
