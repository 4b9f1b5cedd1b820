package sim

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"
)

// curveWorld is budget-free: nothing feeds back on tmax, so each point of
// the curve must equal a separate run at that tmax.
func curveWorld(auction AuctionType) Config {
	cfg := Config{
		Seed:     11,
		Traffic:  Traffic{QPS: 500},
		Exchange: ExchangeConfig{Auction: auction, Tmax: 120 * Millisecond, Floor: PriceOf(0.5), Increment: PriceOf(0.01)},
	}
	for i := range 6 {
		med := float64(20+30*i) * float64(Millisecond)
		b := BidderConfig{
			Name:    fmt.Sprintf("b%d", i),
			Latency: LogNormalMedianP99(med, 2.5*med),
			Errors:  0.01,
			NoBid:   0.05,
			Value:   Uniform(0.2, 3),
		}
		switch i {
		case 1:
			b.Capacity = &Capacity{Workers: 1, Service: Exponential(float64(1500 * Microsecond)), Queue: 5}
		case 2:
			b.Strategy = Strategy{Kind: Fixed, Bid: PriceOf(1.5)} // ties with itself across auctions, and with others
		case 3:
			b.Strategy = Strategy{Kind: Shade, Factor: 0.8}
		case 5:
			b.Outcome = &Outcome{CTR: 0.01, CVR: 0.1, OrderValue: MoneyOf(50), Delay: Exponential(float64(Second))}
		}
		cfg.Bidders = append(cfg.Bidders, b)
	}
	// A bid that arrives exactly at a candidate deadline is on time.
	cfg.Bidders = append(cfg.Bidders, BidderConfig{
		Name: "edge", Latency: Constant(float64(100 * Millisecond)), NoBid: 0.5, Value: Uniform(0.2, 3),
	})
	return cfg
}

// runDrained runs e for d of virtual time, then stops the traffic (the
// least rate there is) and lets every auction in flight close. Auctions
// close early, when their bidders have answered, at times that depend on
// tmax, so runs at two deadlines have closed the same auctions only once
// none is in flight.
func runDrained(t testing.TB, e *Engine, d Time) {
	t.Helper()
	e.RunUntil(d)
	if err := e.Apply(SetQPS{QPS: MinQPS}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(d + 2*Second)
	if x := e.Snapshot().Exchange; x.InFlight != 0 || x.Auctions != x.Requests {
		t.Fatalf("not drained: %d auctions in flight, %d closed of %d", x.InFlight, x.Auctions, x.Requests)
	}
}

func TestTmaxCurveMatchesSeparateRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): a separate run per tmax of the grid, ~7 s under -race")
	}
	const d = 40 * Second // 20,000 auctions
	for _, c := range []struct {
		name string
		cfg  func() Config
	}{
		{"second-price", func() Config { return curveWorld(SecondPrice) }},
		{"first-price", func() Config { return curveWorld(FirstPrice) }},
		{"request-processing", func() Config {
			cfg := curveWorld(SecondPrice)
			cfg.Exchange.TmaxAdjustments = TmaxAdjustments{RequestProcessing: 7 * Millisecond, NetworkBuffer: 10 * Millisecond}
			return cfg
		}},
		// Below 67 ms the told deadline is under bidder_response_min: a
		// run at such a tmax calls no bidder at all.
		{"skip-rule", func() Config {
			cfg := curveWorld(FirstPrice)
			cfg.Exchange.TmaxAdjustments = TmaxAdjustments{RequestProcessing: 7 * Millisecond, NetworkBuffer: 10 * Millisecond, BidderResponseMin: 50 * Millisecond}
			cfg.Exchange.Abandonment = Abandonment{Per100ms: 0.2, Grace: 60 * Millisecond}
			return cfg
		}},
		// People leave slow pages, some bidders never answer: the wait
		// and the net revenue must be exact too.
		{"abandonment", func() Config {
			cfg := curveWorld(FirstPrice)
			cfg.Exchange.Abandonment = Abandonment{Per100ms: 0.2, Grace: 60 * Millisecond}
			cfg.Bidders[0].Hangs = 0.02
			return cfg
		}},
		{"held-open", func() Config {
			cfg := curveWorld(SecondPrice)
			cfg.Exchange.HoldOpen = true
			cfg.Exchange.Abandonment = Abandonment{Per100ms: 0.1}
			return cfg
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg()
			cfg.Exchange.TmaxCurve = DefaultTmaxCurve
			e := mustNew(t, cfg)
			runDrained(t, e, d)
			curve := e.Snapshot().TmaxCurve
			if len(curve) != 20 {
				t.Fatalf("got %d points, want 20", len(curve))
			}
			for _, k := range []int{0, 2, 4, 6, 9, 14, 19} {
				p := curve[k]
				sep := c.cfg()
				sep.Exchange.Tmax = p.Tmax
				if sep.Exchange.TmaxAdjustments.BidderTmax(p.Tmax) <= 0 {
					continue
				}
				x := matchesRun(t, p, sep, d)
				if sep.Exchange.Abandonment.On() && k > 2 && x.Abandoned == 0 {
					t.Errorf("tmax %v: nobody left", p.Tmax)
				}
				if sep.Exchange.TmaxAdjustments.skips(p.Tmax) {
					if x.Unsent == 0 {
						t.Errorf("tmax %v: the skip rule sent bid requests", p.Tmax)
					}
					continue
				}
				if p.Late == 0 && k < 4 {
					t.Errorf("tmax %v: no late bids: the test world is too fast to test anything", p.Tmax)
				}
			}
			// The curve must move: a longer deadline takes more bids, and
			// makes the page wait longer.
			lo := 0 // the first point that calls bidders
			for cfg.Exchange.TmaxAdjustments.skips(curve[lo].Tmax) {
				lo++
			}
			if curve[lo].Late <= curve[19].Late || curve[lo].Revenue >= curve[19].Revenue || curve[lo].WaitMean >= curve[19].WaitMean {
				t.Errorf("curve is flat: %+v … %+v", curve[lo], curve[19])
			}
		})
	}
}

// The point at the run's own tmax is the run itself, even with budgets.
func TestTmaxCurveAtOwnTmax(t *testing.T) {
	cfg := curveWorld(SecondPrice)
	cfg.Horizon = 10 * Second
	cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(2), Pacing: PacingMultiplier}
	cfg.Bidders[3].Budget = &Budget{Total: MoneyOf(1), Pacing: PacingThrottle}
	cfg.Exchange.TmaxCurve = TmaxGrid{From: 40 * Millisecond, To: 200 * Millisecond, Step: 40 * Millisecond}
	s := snapshotAt(t, cfg, 10*Second)
	p := s.TmaxCurve[2]
	if p.Tmax != 120*Millisecond {
		t.Fatalf("point 2 is at %v", p.Tmax)
	}
	x := s.Exchange
	if p.Auctions != x.Auctions || p.Filled != x.Filled || p.Late != x.Late || p.Bids != x.Bids || p.Revenue != x.Revenue {
		t.Errorf("point at own tmax %+v, exchange %+v", p, x)
	}
	if p.FillRate() != x.FillRate() || math.Abs(p.MeanClearingPrice()-x.MeanPrice()) > 1e-12 {
		t.Errorf("ratios: fill %g vs %g, price %g vs %g", p.FillRate(), x.FillRate(), p.MeanClearingPrice(), x.MeanPrice())
	}
}

func TestTmaxCurveUndefinedAndOff(t *testing.T) {
	cfg := curveWorld(SecondPrice)
	e := mustNew(t, cfg)
	e.RunAuctions(100)
	if c := e.Snapshot().TmaxCurve; c != nil {
		t.Errorf("curve off by default in sim, got %d points", len(c))
	}
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	s := mustNew(t, cfg).Snapshot()
	p := s.TmaxCurve[0]
	for name, x := range map[string]float64{
		"fill": p.FillRate(), "late": p.LateShare(), "revenue": p.RevenuePerAuction(), "price": p.MeanClearingPrice(),
	} {
		if !math.IsNaN(x) {
			t.Errorf("%s before any auction = %g, want NaN", name, x)
		}
	}
}

func TestTmaxGridValidate(t *testing.T) {
	for _, c := range []struct {
		g     TmaxGrid
		field string
	}{
		{TmaxGrid{From: 0, To: 100, Step: 10}, "exchange.tmax_curve.from"},
		{TmaxGrid{From: 10, To: 100, Step: 0}, "exchange.tmax_curve.step"},
		{TmaxGrid{From: 100, To: 10, Step: 10}, "exchange.tmax_curve.to"},
		{TmaxGrid{From: 1, To: Second, Step: 1}, "exchange.tmax_curve.step"},
	} {
		cfg := curveWorld(SecondPrice)
		cfg.Exchange.TmaxCurve = c.g
		err := cfg.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%v: got %v, want an error on %s", c.g, err, c.field)
		}
	}
	cfg := curveWorld(SecondPrice)
	cfg.Exchange.TmaxCurve = TmaxGrid{From: Millisecond, To: Second, Step: Millisecond}
	if err := cfg.Validate(); err != nil {
		t.Errorf("1000 points: %v", err)
	}
}

// Grids of more than maskPoints points take the sorting path; both must
// agree with separate runs, and with each other where their points meet.
func TestTmaxCurveLargeGrid(t *testing.T) {
	const d = 20 * Second // 10,000 auctions
	cfg := curveWorld(SecondPrice)
	cfg.Exchange.TmaxCurve = TmaxGrid{From: 5 * Millisecond, To: 400 * Millisecond, Step: 5 * Millisecond}
	e := mustNew(t, cfg)
	runDrained(t, e, d)
	big := e.Snapshot().TmaxCurve
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	e = mustNew(t, cfg)
	runDrained(t, e, d)
	small := e.Snapshot().TmaxCurve
	if len(big) != 80 || len(small) != 20 {
		t.Fatalf("%d and %d points", len(big), len(small))
	}
	for k, p := range small {
		if q := big[4*k+3]; q != p {
			t.Errorf("at %v: large grid %+v, small grid %+v", p.Tmax, q, p)
		}
	}
	for _, k := range []int{0, 13, 19, 39, 79} {
		sep := curveWorld(SecondPrice)
		sep.Exchange.Tmax = big[k].Tmax
		o := mustNew(t, sep)
		runDrained(t, o, d)
		x := o.Snapshot().Exchange
		if p := big[k]; p.Filled != x.Filled || p.Late != x.Late || p.Revenue != x.Revenue {
			t.Errorf("tmax %v: curve %+v, run %+v", p.Tmax, p, x)
		}
	}
}

// ceilDiv must be the exact ceiling over the whole range the grid allows.
func TestCeilDiv(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		step := Time(rapid.Int64Range(1, int64(MaxTmaxCurve)).Draw(t, "step"))
		var d Time
		switch rapid.IntRange(0, 2).Draw(t, "kind") {
		case 0: // anywhere
			d = Time(rapid.Int64Range(0, int64(MaxTmaxPoints)*int64(step)).Draw(t, "d"))
		default: // next to a multiple, where rounding bites
			m := Time(rapid.Int64Range(0, MaxTmaxPoints).Draw(t, "m"))
			d = max(m*step+Time(rapid.Int64Range(-2, 2).Draw(t, "off")), 0)
		}
		want := int((d + step - 1) / step)
		if got := ceilDiv(d, step, 1/float64(step)); got != want {
			t.Fatalf("ceilDiv(%d, %d) = %d, want %d", d, step, got, want)
		}
	})
}

func TestTmaxCurveAllocatesNothing(t *testing.T) {
	cfg := curveWorld(SecondPrice)
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	e := mustNew(t, cfg)
	e.RunAuctions(20_000)
	if a := testing.AllocsPerRun(5, func() { e.RunAuctions(2000) }); a != 0 {
		t.Errorf("%g allocations per 2000 auctions with the curve on", a)
	}
}

// The recent curve is the cumulative curve less what it was at the mark
// before last.
func TestTmaxCurveRecent(t *testing.T) {
	cfg := curveWorld(SecondPrice)
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	e := mustNew(t, cfg)
	e.RunAuctions(5000)
	s := e.Snapshot()
	if fmt.Sprint(s.TmaxCurveRecent) != fmt.Sprint(s.TmaxCurve) {
		t.Error("before the first window ends the recent curve is the whole curve")
	}
	e.RunAuctions(5000) // 10,000: the first mark
	at10k := e.Snapshot().TmaxCurve
	e.RunAuctions(15_000) // 25,000: marks at 10,000 and 20,000
	s = e.Snapshot()
	for k, p := range s.TmaxCurveRecent {
		c, b := s.TmaxCurve[k], at10k[k]
		want := TmaxPoint{Tmax: c.Tmax, Auctions: 15_000, Filled: c.Filled - b.Filled, Bids: c.Bids - b.Bids,
			Late: c.Late - b.Late, Revenue: c.Revenue - b.Revenue, NetRevenue: c.NetRevenue - b.NetRevenue,
			WaitMean: p.WaitMean, WaitP95: p.WaitP95}
		if p != want {
			t.Errorf("recent %+v, want %+v", p, want)
		}
		// The means are rounded down to a nanosecond: the recent one is
		// the difference of the sums within a few.
		mean := (float64(c.WaitMean)*25_000 - float64(b.WaitMean)*10_000) / 15_000
		if math.Abs(float64(p.WaitMean)-mean) > 3 || p.WaitP95 > percentileTime(index(waitMicros(p.Tmax))) || p.WaitP95 < p.WaitMean/2 {
			t.Errorf("recent wait at %v: mean %v p95 %v, want mean %v and p95 at most tmax", p.Tmax, p.WaitMean, p.WaitP95, Time(mean))
		}
	}
	// A bidder that slows down shows at once in the recent curve.
	if err := e.Apply(SetLatency{Bidder: "b0", Latency: Constant(float64(300 * Millisecond))}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(20_000)
	s = e.Snapshot()
	late := func(c []TmaxPoint) float64 { return c[9].LateShare() } // 200ms
	if !(late(s.TmaxCurveRecent) > late(s.TmaxCurve)+0.03) {
		t.Errorf("late share at 200ms: recent %.3f, whole run %.3f", late(s.TmaxCurveRecent), late(s.TmaxCurve))
	}
}

func TestTmaxCurveExact(t *testing.T) {
	cfg := curveWorld(SecondPrice)
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	e := mustNew(t, cfg)
	e.RunAuctions(100)
	if !e.Snapshot().TmaxCurveExact {
		t.Error("budget-free world: exact")
	}
	if err := e.Apply(SetBudget{Bidder: "b1", Total: MoneyOf(5)}); err != nil {
		t.Fatal(err)
	}
	if err := e.Apply(SetBudget{Bidder: "b1", Unlimited: true}); err != nil {
		t.Fatal(err)
	}
	if e.Snapshot().TmaxCurveExact {
		t.Error("a budget was set live: the curve holds the bids")
	}
	// A tmax whose told deadline the skip rule refuses: no bid requests
	// went out, so the curve cannot know the bids at longer deadlines.
	skip := cfg
	skip.Exchange.TmaxAdjustments = TmaxAdjustments{NetworkBuffer: 10 * Millisecond, BidderResponseMin: 200 * Millisecond}
	e = mustNew(t, skip)
	e.RunAuctions(100)
	if s := e.Snapshot(); s.TmaxCurveExact || s.Exchange.Unsent == 0 {
		t.Errorf("every auction skipped (%d unsent): not exact", s.Exchange.Unsent)
	}
	cfg.Bidders[2].RespectsTmax = true
	if mustNew(t, cfg).Snapshot().TmaxCurveExact {
		t.Error("a bidder respects tmax: not exact")
	}
	cfg.Bidders[2].RespectsTmax = false
	cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(100)}
	if mustNew(t, cfg).Snapshot().TmaxCurveExact {
		t.Error("a budget: not exact")
	}
}

// A clone has its own curve: run alike the two agree, and the original is
// left as it was.
func TestTmaxCurveClone(t *testing.T) {
	cfg := curveWorld(SecondPrice)
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	e := mustNew(t, cfg)
	e.RunAuctions(3000)
	c := e.Clone()
	before := fmt.Sprint(e.Snapshot().TmaxCurve)
	c.RunAuctions(12_000)
	if fmt.Sprint(e.Snapshot().TmaxCurve) != before {
		t.Fatal("running the clone changed the original's curve")
	}
	e.RunAuctions(12_000)
	if a, b := e.Snapshot(), c.Snapshot(); fmt.Sprint(a.TmaxCurve, a.TmaxCurveRecent) != fmt.Sprint(b.TmaxCurve, b.TmaxCurveRecent) {
		t.Error("the clone's curve differs from its original's")
	}
}

// matchesRun runs sep for d, drained, and reports a curve point p that
// is not what that run gives; it returns the run's exchange.
func matchesRun(t *testing.T, p TmaxPoint, sep Config, d Time) ExchangeStats {
	t.Helper()
	o := mustNew(t, sep)
	runDrained(t, o, d)
	x := o.Snapshot().Exchange
	got := [8]uint64{p.Auctions, p.Filled, p.Bids, p.Late, uint64(p.Revenue), uint64(p.WaitMean), uint64(p.WaitP95), uint64(p.NetRevenue)}
	want := [8]uint64{x.Auctions, x.Filled, x.Bids, x.Late, uint64(x.Revenue), uint64(x.Wait.Mean), uint64(x.Wait.P95), uint64(x.NetRevenue())}
	if got != want {
		t.Errorf("tmax %v: curve (auctions, filled, bids, late, revenue, wait mean, wait p95, net revenue) = %v, a run at that tmax gives %v", p.Tmax, got, want)
	}
	return x
}
