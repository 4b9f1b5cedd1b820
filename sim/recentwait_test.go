package sim

import "testing"

// After tmax 1s → 550ms the recent wait starts afresh: shortly after the
// change it says it still holds the auctions before it, and once
// SinceEnough auctions fanned out since have closed it covers exactly
// those, none of which waited past the new deadline; the run's wait
// keeps every auction.
func TestRecentWaitRestartsAtChange(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	cfg.Traffic.QPS = 300
	cfg.Exchange.Tmax = Second
	for i := range cfg.Bidders {
		// P(every answer by 1s) = (1 − e^−2.5)³ ≈ 0.77: the p95 is tmax.
		cfg.Bidders[i].Latency = Exponential(float64(400 * Millisecond))
	}
	e := mustNew(t, cfg)
	const at = 60 * Second
	e.RunUntil(at)
	s := e.Snapshot()
	if x := s.Exchange; x.RecentWaitCover != WaitLatest || x.RecentWait.P95 != Second {
		t.Fatalf("before the change: cover %d, recent p95 %v, want latest, 1s", x.RecentWaitCover, x.RecentWait.P95)
	}
	if err := e.Apply(SetTmax{Tmax: 550 * Millisecond}); err != nil {
		t.Fatal(err)
	}

	e.RunUntil(at + Second) // ~300 auctions since: not enough
	s = e.Snapshot()
	x := s.Exchange
	if x.RecentWaitCover != WaitMixed || x.RecentWaitFrom != at {
		t.Errorf("1s after: cover %d from %v, want mixed from %v", x.RecentWaitCover, x.RecentWaitFrom, at)
	}
	if x.RecentWait.Count <= s.SinceChange.Auctions || x.RecentWait.Max != Second {
		t.Errorf("1s after: recent %d auctions (max %v), %d since the change: want the ones before as well",
			x.RecentWait.Count, x.RecentWait.Max, s.SinceChange.Auctions)
	}

	e.RunUntil(at + 5*Second) // ~1,500 since
	s = e.Snapshot()
	x = s.Exchange
	if s.SinceChange.Auctions < SinceEnough {
		t.Fatalf("only %d auctions since the change", s.SinceChange.Auctions)
	}
	if x.RecentWaitCover != WaitSince || x.RecentWaitFrom != at {
		t.Errorf("5s after: cover %d from %v, want since %v", x.RecentWaitCover, x.RecentWaitFrom, at)
	}
	// Exactly the auctions fanned out since the change (SinceChange
	// leaves those in flight at it out too), each held to 550ms; with
	// (1 − e^−1.375)³ ≈ 0.42 answered in time, the p95 is the deadline.
	if x.RecentWait.Count != s.SinceChange.Auctions || x.RecentWait.Max > 550*Millisecond || x.RecentWait.P95 != 550*Millisecond {
		t.Errorf("5s after: recent %+v, %d since the change: want those only, none past 550ms", x.RecentWait, s.SinceChange.Auctions)
	}
	if x.Wait.Count != x.Auctions || x.Wait.Max != Second {
		t.Errorf("the run's wait %+v over %d auctions: want every one", x.Wait, x.Auctions)
	}

	e.RunUntil(at + 40*Second) // 12,000 since: a full window and more
	s = e.Snapshot()
	x = s.Exchange
	if x.RecentWaitCover != WaitLatest || x.RecentWaitFrom != 0 || x.RecentWait.Count < latencyWindow ||
		x.RecentWait.Count > 2*latencyWindow || x.RecentWait.Max > 550*Millisecond {
		t.Errorf("40s after: cover %d from %v, recent %+v: want the latest, all after the change", x.RecentWaitCover, x.RecentWaitFrom, x.RecentWait)
	}
	if x.Wait.Count != x.Auctions {
		t.Errorf("the run's wait counts %d of %d auctions", x.Wait.Count, x.Auctions)
	}
}

// A change that cannot move the wait (a floor, without budgets or caps)
// leaves the recent wait as it was; the engine decides so as the
// snapshot's MovesWait does.
func TestRecentWaitKeptAtFloorChange(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	cfg.Bidders[0].Latency = Exponential(float64(30 * Millisecond))
	e := mustNew(t, cfg)
	e.RunUntil(10 * Second)
	for _, c := range []Change{SetFloor{Floor: PriceOf(0.1)}, SetTmax{Tmax: 80 * Millisecond}} {
		if got, want := e.movesWait(c), e.Snapshot().MovesWait(c); got != want {
			t.Errorf("%v: engine says %v, snapshot %v", c, got, want)
		}
	}
	before := e.Snapshot().Exchange.RecentWait
	if err := e.Apply(SetFloor{Floor: PriceOf(0.1)}); err != nil {
		t.Fatal(err)
	}
	x := e.Snapshot().Exchange
	if x.RecentWaitCover != WaitLatest || x.RecentWait != before {
		t.Errorf("after a floor change: cover %d, recent %+v, want %+v as it was", x.RecentWaitCover, x.RecentWait, before)
	}
	cfg.Bidders[1].Budget = &Budget{Total: MoneyOf(1000)}
	e = mustNew(t, cfg)
	e.RunUntil(Second)
	if !e.movesWait(SetFloor{Floor: PriceOf(0.1)}) || !e.Snapshot().MovesWait(SetFloor{Floor: PriceOf(0.1)}) {
		t.Error("with a budget a floor change can move the wait")
	}
}

// A clone carries the waits set aside at a change: run alike, the two
// give the same recent wait.
func TestRecentWaitClone(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	cfg.Exchange.Tmax = Second
	cfg.Bidders[0].Latency = Exponential(float64(400 * Millisecond))
	e := mustNew(t, cfg)
	e.RunUntil(10 * Second)
	if err := e.Apply(SetTmax{Tmax: 300 * Millisecond}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(10*Second + 200*Millisecond)
	c := e.Clone()
	for _, g := range []*Engine{e, c} {
		g.RunUntil(10*Second + 800*Millisecond)
	}
	a, b := e.Snapshot().Exchange, c.Snapshot().Exchange
	if a.RecentWait != b.RecentWait || a.Wait != b.Wait || a.RecentWaitCover != b.RecentWaitCover {
		t.Errorf("clone: %+v %+v, want %+v %+v", b.RecentWait, b.Wait, a.RecentWait, a.Wait)
	}
}
