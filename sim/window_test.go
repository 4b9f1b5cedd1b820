package sim

import (
	"math"
	"testing"
)

// slowWorld is world with bidders that answer in 20–80 ms, so that
// auctions are in flight at any instant.
func slowWorld(n int) Config {
	cfg := world(n, Uniform(0, 1))
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = Uniform(float64(20*Millisecond), float64(80*Millisecond))
	}
	return cfg
}

// The counters since the last change count the auctions fanned out since
// its instant: those in flight at the change ran in the world before it.
func TestSinceChange(t *testing.T) {
	e := mustNew(t, slowWorld(3))
	e.RunUntil(2 * Second)
	s := e.Snapshot()
	if s.SinceChange.Start != 0 || s.SinceChange.Auctions != s.Exchange.Auctions || s.SinceChange.Revenue != s.Exchange.Revenue {
		t.Fatalf("before any change the window is the whole run: %+v vs %+v", s.SinceChange, s.Exchange)
	}
	if err := e.Apply(SetFloor{Floor: PriceOf(0.4)}); err != nil {
		t.Fatal(err)
	}
	at := e.Snapshot()
	if at.Exchange.InFlight == 0 {
		t.Fatal("no auction in flight at the change: the test shows nothing")
	}
	e.RunUntil(5 * Second)
	end := e.Snapshot()
	w := end.SinceChange
	// Every auction fanned out before the change has closed by now.
	if w.Start != 2*Second || w.Auctions != end.Exchange.Auctions-at.Exchange.Requests {
		t.Fatalf("window of %d auctions from %v, want the %d fanned out since the change at 2s",
			w.Auctions, w.Start, end.Exchange.Auctions-at.Exchange.Requests)
	}
	for i, b := range w.Bidders {
		if b.BidRequests != w.Auctions {
			t.Errorf("bidder %d: %d bid requests in a window of %d auctions", i, b.BidRequests, w.Auctions)
		}
	}
	// After the floor rises, the window's mean price is above the floor
	// while the cumulative mean still carries the auctions before it.
	if w.MeanPrice() < 0.4 || end.Exchange.MeanPrice() >= w.MeanPrice() {
		t.Errorf("mean since change %.3f, cumulative %.3f", w.MeanPrice(), end.Exchange.MeanPrice())
	}
}

// A floor no bid reaches fills nothing from its change on, in one item's
// auction and in several slots', however many auctions were in flight at
// it; a clone made at the change counts the same window.
func TestSinceChangeLeavesTheAuctionsInFlight(t *testing.T) {
	for _, slots := range [][]float64{nil, {1, 0.6}} {
		cfg := slowWorld(4)
		if cfg.Exchange.Slots = slots; slots != nil {
			cfg.Exchange.Auction = GSP
		}
		e := mustNew(t, cfg)
		e.RunUntil(2 * Second)
		if err := e.Apply(SetFloor{Floor: PriceOf(5)}); err != nil {
			t.Fatal(err)
		}
		at := e.Snapshot()
		c := e.Clone()
		e.RunUntil(3 * Second)
		c.RunUntil(3 * Second)
		end := e.Snapshot()
		w := end.SinceChange
		if at.Exchange.InFlight == 0 || end.Exchange.Filled == at.Exchange.Filled {
			t.Fatalf("slots %v: %d in flight at the change, none filled after it: the test shows nothing", slots, at.Exchange.InFlight)
		}
		if w.Filled != 0 || w.Revenue != 0 || w.Auctions != end.Exchange.Auctions-at.Exchange.Requests {
			t.Errorf("slots %v: since the floor of 5, %d auctions filled %d for %v; want %d, none filled",
				slots, w.Auctions, w.Filled, w.Revenue, end.Exchange.Auctions-at.Exchange.Requests)
		}
		for i, b := range w.Bidders {
			if b.Wins != 0 || b.Spend != 0 {
				t.Errorf("slots %v: bidder %d won %d for %v since the floor of 5", slots, i, b.Wins, b.Spend)
			}
		}
		if cw := c.Snapshot().SinceChange; cw.Auctions != w.Auctions || cw.Bidders[0] != w.Bidders[0] {
			t.Errorf("slots %v: the clone's window %+v, the engine's %+v", slots, cw, w)
		}
	}
}

// Each series point carries the floor and tmax in force at its end.
func TestSeriesPointSettings(t *testing.T) {
	e := mustNew(t, world(2, Uniform(0, 1)))
	e.RunUntil(1500 * Millisecond)
	if err := e.Apply(SetTmax{Tmax: 50 * Millisecond}); err != nil {
		t.Fatal(err)
	}
	if err := e.Apply(SetFloor{Floor: PriceOf(0.25)}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(4 * Second)
	pts := e.Snapshot().Series.Points
	if len(pts) < 4 {
		t.Fatalf("%d points", len(pts))
	}
	if p := pts[0]; p.Floor != 0 || p.Tmax != 100*Millisecond {
		t.Errorf("point 0: floor %v tmax %v", p.Floor, p.Tmax)
	}
	for _, p := range pts[1:] {
		if p.Floor != PriceOf(0.25) || p.Tmax != 50*Millisecond {
			t.Errorf("point at %v: floor %v tmax %v, want 0.25 and 50ms", p.Start, p.Floor, p.Tmax)
		}
	}
}

// The recent late share counts the last intervals only: a bidder made
// slow late in the run shows a high recent share and a low overall one.
func TestRecentLateShare(t *testing.T) {
	cfg := world(2, Uniform(0, 1))
	cfg.Bidders[0].Latency = Constant(float64(10 * Millisecond))
	e := mustNew(t, cfg)
	e.RunUntil(60 * Second)
	if err := e.Apply(SetLatency{Bidder: "b0", Latency: Constant(float64(200 * Millisecond))}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(75 * Second)
	s := e.Snapshot()
	b := s.Bidders[0]
	if s.RecentSpan != RecentIntervals*Second {
		t.Errorf("recent span %v", s.RecentSpan)
	}
	if r := b.RecentTimeoutRate(); r < 0.99 {
		t.Errorf("recent late share %.3f, want 1 (every bid late for the last 15 s)", r)
	}
	if r := b.TimeoutRate(); r > 0.3 {
		t.Errorf("overall late share %.3f, want about 0.2", r)
	}
}

// Undefined ratios are NaN, not 0; revenue lost is a share of the
// potential revenue (revenue + lost), so it never exceeds 1.
func TestRatios(t *testing.T) {
	var x ExchangeStats
	for name, v := range map[string]float64{"mean price": x.MeanPrice(), "fill rate": x.FillRate(),
		"revenue per auction": x.RevenuePerAuction(), "lost share": x.LostShare()} {
		if !math.IsNaN(v) {
			t.Errorf("%s of nothing = %v, want NaN", name, v)
		}
	}
	if r := (BidderStats{ValueCaused: 5 * MoneyUnit, HasOutcome: true}).IncrementalROAS(); !math.IsNaN(r) {
		t.Errorf("ROAS with no spend = %v", r)
	}
	if r := (BidderStats{Spend: MoneyUnit}).AttributedROAS(); !math.IsNaN(r) {
		t.Errorf("ROAS without an outcome model = %v", r)
	}
	if r := (BidderStats{Spend: MoneyUnit, ValueCaused: 3 * MoneyUnit, HasOutcome: true}).IncrementalROAS(); r != 3 {
		t.Errorf("ROAS = %v, want 3", r)
	}
	x = ExchangeStats{Auctions: 4, Filled: 2, Revenue: 2 * MoneyUnit, RevenueLost: 6 * MoneyUnit}
	if got := x.LostShare(); got != 0.75 {
		t.Errorf("lost share %v, want 6/(2+6)", got)
	}
	if got := x.RevenuePerAuction(); got != 500 {
		t.Errorf("revenue per auction %v CPM, want 2/4 × 1000", got)
	}
}

func TestPriceString(t *testing.T) {
	// raw: micro-CPM, what String formats
	for p, want := range map[Price]string{1: "0.000001", PriceUnit: "1", 1_500_000: "1.5", -2 * PriceUnit: "-2", 0: "0", 123_456_789: "123.456789"} {
		if got := p.String(); got != want {
			t.Errorf("Price(%d) = %q, want %q", int64(p), got, want)
		}
	}
}
