package sim

import (
	"math"
	"strings"
	"testing"
)

// An auction closes when its last called bidder answers: with constant
// latencies every wait is the slowest bidder's; held open, it is tmax.
func TestWaitIsTheSlowestAnswer(t *testing.T) {
	for _, c := range []struct {
		name string
		hold bool
		want Time
	}{
		{"close early", false, 50 * Millisecond},
		{"held open", true, 100 * Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := world(3, Uniform(0, 1))
			cfg.Exchange.HoldOpen = c.hold
			cfg.Bidders[0].Latency = Constant(float64(30 * Millisecond))
			cfg.Bidders[1].Latency = Constant(float64(50 * Millisecond))
			cfg.Bidders[2].Latency = Constant(float64(10 * Millisecond))
			cfg.Bidders[2].Errors = 0.5 // errors answer after their latency too
			cfg.Bidders[0].NoBid = 0.5
			e := mustNew(t, cfg)
			e.RunAuctions(5000)
			s := e.Snapshot()
			w := s.Exchange.Wait
			if w.Count != 5000 || w.Mean != c.want {
				t.Errorf("wait %+v over %d auctions, want every one %v", w, s.Exchange.Auctions, c.want)
			}
			for _, r := range s.Recent {
				if r.Close-r.Start != c.want {
					t.Errorf("auction %d: started %v, closed %v", r.ID, r.Start, r.Close)
				}
			}
			if s.Exchange.Errors == 0 {
				t.Error("no errors")
			}
		})
	}
}

// The wait of n bidders with i.i.d. latencies F, each hanging with
// probability h, is tmax when any hangs and min(tmax, max latency)
// otherwise: E[W] = q·∫₀ᵀ(1 − Fⁿ) + (1 − q)·T with q = (1 − h)ⁿ, and
// P(W ≤ w) = q·F(w)ⁿ below T. Errors and no-bids answer after the same
// latency, so they leave the wait as it is.
func TestWaitMatchesTheory(t *testing.T) {
	const (
		n     = 3
		mean  = 40e6 // ns
		tmax  = 100 * Millisecond
		hangs = 0.04
		runs  = 40_000
	)
	cfg := world(n, Uniform(0, 1))
	cfg.Exchange.Tmax = tmax
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = Exponential(mean)
		cfg.Bidders[i].Hangs = hangs
		cfg.Bidders[i].Errors = 0.1
		cfg.Bidders[i].NoBid = 0.2
	}
	e := mustNew(t, cfg)
	e.RunAuctions(runs)
	s := e.Snapshot()
	// Latencies are whole nanoseconds, rounded down: F(t) at t + 1ns.
	F := func(t float64) float64 { return 1 - math.Exp(-(t+1)/mean) }
	q := math.Pow(1-hangs, n)
	T := float64(tmax)
	// ∫₀ᵀ (1 − F(t)ⁿ) dt and ∫₀ᵀ 2t(1 − F(t)ⁿ) dt by Simpson's rule.
	var m1, m2 float64
	const steps = 20_000
	h := T / steps
	for i := 0; i <= steps; i++ {
		x := float64(i) * h
		wgt := 2.0
		switch {
		case i == 0 || i == steps:
			wgt = 1
		case i%2 == 1:
			wgt = 4
		}
		g := 1 - math.Pow(F(x), n)
		m1 += wgt * g
		m2 += wgt * 2 * x * g
	}
	m1 *= h / 3
	m2 *= h / 3
	// W = min(T, max) when nothing hangs: E[W²] = ∫₀ᵀ 2t P(W > t) dt.
	mean1 := q*m1 + (1-q)*T
	sq := q*m2 + (1-q)*T*T
	sd := math.Sqrt(sq - mean1*mean1)
	got := float64(s.Exchange.Wait.Mean)
	if se := sd / math.Sqrt(runs); math.Abs(got-mean1) > 3*se {
		t.Errorf("mean wait %v, theory %v ± %v", Time(got), Time(mean1), Time(se))
	}
	// The median: q·F(w)ⁿ = 1/2.
	med := -mean*math.Log(1-math.Pow(0.5/q, 1.0/n)) - 1
	if p50 := float64(s.Exchange.Wait.P50); math.Abs(p50-med) > 0.03*med {
		t.Errorf("median wait %v, theory %v", s.Exchange.Wait.P50, Time(med))
	}
	x := s.Exchange
	if share := float64(x.Hangs) / float64(x.BidRequests); math.Abs(share-hangs) > 3*math.Sqrt(hangs*(1-hangs)/float64(x.BidRequests)) {
		t.Errorf("hangs %d of %d bid requests, want a share of %g", x.Hangs, x.BidRequests, hangs)
	}
	if x.BidRequests != x.Bids+x.NoBids+x.Errors+x.Refused+x.Hangs {
		t.Errorf("bid requests %d ≠ bids + no-bids + errors + refused + hangs: %+v", x.BidRequests, x)
	}
}

// Closing early changes when an auction closes, not how it clears: the
// same ad requests clear alike either way.
func TestCloseEarlyKeepsClearing(t *testing.T) {
	cfg := curveWorld(SecondPrice)
	cfg.Exchange.TmaxCurve = TmaxGrid{}
	cfg.Bidders[4].Hangs = 0.05
	held := cfg
	held.Exchange.HoldOpen = true
	a, b := mustNew(t, cfg), mustNew(t, held)
	runDrained(t, a, 10*Second)
	runDrained(t, b, 10*Second)
	x, y := a.Snapshot().Exchange, b.Snapshot().Exchange
	if x.Revenue != y.Revenue || x.Filled != y.Filled || x.Late != y.Late || x.Hangs != y.Hangs || x.RevenueLost != y.RevenueLost {
		t.Errorf("closing early changed the auctions: %+v, held open %+v", x, y)
	}
	if !(x.Wait.Mean < y.Wait.Mean) || y.Wait.Mean != cfg.Exchange.Tmax {
		t.Errorf("waits: early %v, held open %v (want tmax %v)", x.Wait.Mean, y.Wait.Mean, cfg.Exchange.Tmax)
	}
}

// People leave with probability P·(w − grace)/100ms: with one bidder at a
// constant latency every auction waits alike, so the share of filled
// auctions lost is that probability. Lost impressions are not paid:
// the winners' spend is the net revenue, and nothing else's draws move.
func TestAbandonmentShare(t *testing.T) {
	cfg := world(2, Uniform(1, 2))
	cfg.Exchange.Tmax = 300 * Millisecond
	cfg.Bidders[0].Latency = Constant(float64(150 * Millisecond))
	cfg.Bidders[1].Latency = Constant(float64(100 * Millisecond))
	cfg.Bidders[1].Outcome = &Outcome{CTR: 0.1, CVR: 0.1, OrderValue: MoneyOf(10), Delay: Constant(float64(Second))}
	plain := cfg
	cfg.Exchange.Abandonment = Abandonment{Per100ms: 0.2, Grace: 50 * Millisecond}
	const n = 40_000
	e, o := mustNew(t, cfg), mustNew(t, plain)
	e.RunAuctions(n)
	o.RunAuctions(n)
	s, so := e.Snapshot(), o.Snapshot()
	x := s.Exchange
	want := cfg.Exchange.Abandonment.Share(150 * Millisecond)
	if want != 0.2 {
		t.Fatalf("share %g, want 0.2", want)
	}
	got := float64(x.Abandoned) / float64(x.Filled)
	if se := math.Sqrt(want * (1 - want) / float64(x.Filled)); math.Abs(got-want) > 3*se {
		t.Errorf("abandoned %d of %d filled (%.4f), want %.4f ± %.4f", x.Abandoned, x.Filled, got, want, se)
	}
	var spend Money
	var wins uint64
	for _, b := range s.Bidders {
		spend += b.Spend
		wins += b.Wins
	}
	if spend != x.NetRevenue() || wins != x.Filled-x.Abandoned {
		t.Errorf("spend %v, net revenue %v; wins %d, filled %d less abandoned %d", spend, x.NetRevenue(), wins, x.Filled, x.Abandoned)
	}
	if x.Revenue != so.Exchange.Revenue || x.Filled != so.Exchange.Filled || x.Wait != so.Exchange.Wait {
		t.Errorf("leaving changed the auctions: revenue %v vs %v, filled %d vs %d", x.Revenue, so.Exchange.Revenue, x.Filled, so.Exchange.Filled)
	}
	if so.Exchange.Abandoned != 0 || so.Exchange.NetRevenue() != so.Exchange.Revenue {
		t.Errorf("without abandonment: %d abandoned, net %v of %v", so.Exchange.Abandoned, so.Exchange.NetRevenue(), so.Exchange.Revenue)
	}
	if c, c0 := s.Bidders[1].Clicks, so.Bidders[1].Clicks; !(c < c0) {
		t.Errorf("clicks %d with people leaving, %d without: lost impressions are not rendered", c, c0)
	}
}

func TestFollowGrid(t *testing.T) {
	for _, tmax := range []Time{Millisecond, 10 * Millisecond, 120 * Millisecond, 125 * Millisecond, 130 * Millisecond,
		250 * Millisecond, 300 * Millisecond, 350 * Millisecond, 390 * Millisecond,
		500 * Millisecond, 1000 * Millisecond, 1234 * Millisecond, 3 * Second, 30 * Minute, Hour} {
		g := FollowGrid(tmax)
		n := g.Len()
		if g.From < 20*Millisecond || g.From >= 20*Millisecond+g.Step || n > MaxFollowPoints || n < 2 || g.At(n-1) != g.To ||
			g.To < min(max(400*Millisecond, 2*tmax), MaxTmaxCurve)-g.Step+1 || g.To > MaxTmaxCurve || g.validate("g") != nil {
			t.Errorf("tmax %v: grid %v (%d points)", tmax, g, n)
		}
		if g.Step%(10*Millisecond) != 0 {
			t.Errorf("tmax %v: step %v is not a multiple of 10ms", tmax, g.Step)
		}
		// The run's own tmax is on the grid from 20 ms on (timeout-story's
		// script sets 350 ms; the what-if panel must not read "off the
		// grid" there).
		if tmax >= 20*Millisecond && !g.Has(tmax) {
			t.Errorf("tmax %v is not on its grid %v", tmax, g)
		}
	}
	if g := FollowGrid(120 * Millisecond); g != BaseTmaxCurve {
		t.Errorf("tmax 120ms: %v, want the base grid %v", g, BaseTmaxCurve)
	}
	// A live change of tmax along the grid keeps it; off the grid, the
	// grid moves and the curve starts afresh.
	cfg := curveWorld(SecondPrice)
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	e := mustNew(t, cfg)
	e.RunAuctions(1000)
	if err := e.Apply(SetTmax{Tmax: 380 * Millisecond}); err != nil {
		t.Fatal(err)
	}
	if c := e.Snapshot().TmaxCurve; len(c) != 20 || c[0].Auctions < 1000 {
		t.Errorf("tmax 380ms, on the grid: %d points over %d auctions", len(c), c[0].Auctions)
	}
	if err := e.Apply(SetTmax{Tmax: Second}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(500)
	c := e.Snapshot().TmaxCurve
	if g := FollowGrid(Second); len(c) != g.Len() || c[len(c)-1].Tmax != g.To || c[0].Auctions > 600 {
		t.Errorf("after tmax 1s: %d points to %v over %d auctions, want %v afresh", len(c), c[len(c)-1].Tmax, c[0].Auctions, g)
	}
}

func TestAdviseTmax(t *testing.T) {
	pt := func(ms int, rev, net Money) TmaxPoint {
		return TmaxPoint{Tmax: Time(ms) * Millisecond, Revenue: rev, NetRevenue: net}
	}
	// raw: nano-units, only the ratios matter
	curve := []TmaxPoint{pt(100, 50, 50), pt(200, 94, 90), pt(300, 95, 88), pt(400, 99, 80), pt(500, 100, 70), pt(600, 100, 60)}
	got := AdviseTmax(curve)
	want := TmaxAdvice{MaxRevenue: 500 * Millisecond, Knee95: 300 * Millisecond, Knee99: 400 * Millisecond, MaxNetRevenue: 200 * Millisecond}
	if got != want {
		t.Errorf("advice %+v, want %+v", got, want)
	}
	if (AdviseTmax(nil) != TmaxAdvice{}) {
		t.Error("advice on no curve")
	}
}

// A bidder's latency figures are its own response time: the exchange's
// request processing is not in them, and a network round trip drawn apart
// adds to its latency and shows on its own.
func TestNetworkApart(t *testing.T) {
	cfg := world(2, Uniform(0, 1))
	cfg.Exchange.Tmax = 200 * Millisecond
	cfg.Exchange.TmaxAdjustments = TmaxAdjustments{RequestProcessing: 40 * Millisecond}
	cfg.Bidders[0].Latency = Constant(float64(100 * Millisecond))
	cfg.Bidders[1].Latency = Exponential(float64(60 * Millisecond))
	base := cfg
	base.Bidders = append([]BidderConfig(nil), cfg.Bidders...)
	cfg.Bidders[1].Network = Constant(float64(30 * Millisecond))
	e, o := mustNew(t, cfg), mustNew(t, base)
	const n = 20_000
	e.RunAuctions(n)
	o.RunAuctions(n)
	s, so := e.Snapshot(), o.Snapshot()
	if l := s.Bidders[0].Latency; l.Mean != 100*Millisecond || l.P50 < 100*Millisecond || l.P50 > 101*Millisecond {
		t.Errorf("constant 100ms with 40ms request processing: latency %+v", l)
	}
	b, b0 := s.Bidders[1], so.Bidders[1]
	if b.Network.Mean != 30*Millisecond || b.Network.Count != b.Latency.Count || b0.Network.Count != 0 {
		t.Errorf("network %+v over %d responses (without one: %+v)", b.Network, b.Latency.Count, b0.Network)
	}
	// The same latency draws, plus 30ms each: the mean moves by exactly
	// 30ms only if the ad requests are the same, so compare per response.
	rs, ro := map[uint64]Response{}, map[uint64]Response{}
	for _, r := range s.Recent {
		rs[r.ID] = r.Responses[1]
	}
	for _, r := range so.Recent {
		ro[r.ID] = r.Responses[1]
	}
	same := 0
	for id, r := range rs {
		if q, ok := ro[id]; ok && r.Status >= NoBid && q.Status >= NoBid {
			same++
			if r.Time != q.Time+30*Millisecond || r.Network != 30*Millisecond || r.Value != q.Value {
				t.Errorf("auction %d: %+v with the network, %+v without", id, r, q)
			}
		}
	}
	if same == 0 {
		t.Error("no response compared")
	}
	// Theory: late when request processing + latency + network > tmax.
	p := math.Exp(-float64(200-40-30) / 60)
	got := b.TimeoutRate()
	if se := math.Sqrt(p * (1 - p) / float64(b.Bids)); math.Abs(got-p) > 3*se {
		t.Errorf("late share %.4f, theory %.4f ± %.4f", got, p, se)
	}
	// The closed form: exponential latency and a constant network apply;
	// both random do not.
	th := base
	th.Exchange.TmaxAdjustments = TmaxAdjustments{}
	th.Bidders = []BidderConfig{
		{Name: "a", Value: Uniform(0, 1), Latency: Exponential(float64(60 * Millisecond)), Network: Constant(float64(30 * Millisecond))},
		{Name: "b", Value: Uniform(0, 1), Latency: Exponential(float64(60 * Millisecond)), Network: Constant(float64(30 * Millisecond))},
	}
	q := math.Exp(-float64(200-30) / 60) // P(latency > tmax − network)
	if tt := TheoryOf(th); !tt.Applies || math.IsNaN(tt.RevenuePerAuction) {
		t.Errorf("theory with a constant network: %+v", tt)
	} else {
		e := mustNew(t, th)
		e.RunAuctions(n)
		x := e.Snapshot().Exchange
		late := float64(x.Late) / float64(x.Bids)
		if math.Abs(late-q) > 3*math.Sqrt(q*(1-q)/float64(x.Bids)) {
			t.Errorf("late share %.4f, theory %.4f", late, q)
		}
	}
	th.Bidders[1].Network = Exponential(float64(20 * Millisecond))
	if tt := TheoryOf(th); tt.Applies || !strings.Contains(tt.Why, "both random") {
		t.Errorf("theory with a random latency and network: %+v", tt)
	}
}

// The closed form knows the exchange's request processing: a world whose
// fan-out comes 40ms late is a world with a 40ms shorter tmax.
func TestTheoryCountsRequestProcessing(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = Exponential(float64(50 * Millisecond))
	}
	cfg.Exchange.Tmax = 120 * Millisecond
	cfg.Exchange.TmaxAdjustments = TmaxAdjustments{RequestProcessing: 40 * Millisecond}
	short := cfg
	short.Exchange.Tmax = 80 * Millisecond
	short.Exchange.TmaxAdjustments = TmaxAdjustments{}
	a, b := TheoryOf(cfg), TheoryOf(short)
	if !a.Applies || a.RevenuePerAuction != b.RevenuePerAuction || a.FillRate != b.FillRate {
		t.Errorf("with 40ms of request processing %+v, with a 40ms shorter tmax %+v", a, b)
	}
	e := mustNew(t, cfg)
	e.RunAuctions(20_000)
	x := e.Snapshot().Exchange
	p := math.Exp(-80.0 / 50)
	if late := x.TimeoutRate(); math.Abs(late-p) > 3*math.Sqrt(p*(1-p)/float64(x.Bids)) {
		t.Errorf("late share %.4f, theory %.4f", late, p)
	}
}

// What waiting costs can change live: from then on people leave, none of
// the auctions fanned out before; the curve starts afresh; a bad value is
// refused by its path; a replay reproduces the run.
func TestSetAbandonment(t *testing.T) {
	cfg := world(2, Uniform(1, 2))
	cfg.Exchange.Tmax = 300 * Millisecond
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	cfg.Bidders[0].Latency = Constant(float64(250 * Millisecond))
	e := mustNew(t, cfg)
	e.RunUntil(Second)
	before := e.Snapshot()
	for _, bad := range []Abandonment{{Per100ms: 1.5}, {Per100ms: 0.1, Grace: -Millisecond}} {
		err := e.Apply(SetAbandonment{Abandonment: bad})
		if fes := FieldErrors(err); len(fes) != 1 || !strings.HasPrefix(fes[0].Field, "exchange.abandonment.") {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	ab := Abandonment{Per100ms: 0.5, Grace: 50 * Millisecond} // every wait (250ms) leaves: 0.5·2 = 1
	if err := e.Apply(SetAbandonment{Abandonment: ab}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(Second + 200*Millisecond) // only auctions fanned out before the change close
	if x := e.Snapshot().Exchange; x.Abandoned != 0 || x.Auctions <= before.Exchange.Auctions {
		t.Errorf("%d abandoned among the %d auctions fanned out before the change", x.Abandoned, x.Auctions-before.Exchange.Auctions)
	}
	e.RunUntil(3 * Second)
	s := e.Snapshot()
	if s.Settings.Abandonment != ab || s.Exchange.Abandoned == 0 {
		t.Errorf("settings %+v, %d abandoned", s.Settings.Abandonment, s.Exchange.Abandoned)
	}
	if c := s.TmaxCurve; c[0].Auctions >= s.Exchange.Auctions || c[len(c)-1].NetRevenue >= c[len(c)-1].Revenue {
		t.Errorf("the curve did not start afresh under the new assumption: %d of %d auctions, net %v of %v",
			c[0].Auctions, s.Exchange.Auctions, c[len(c)-1].NetRevenue, c[len(c)-1].Revenue)
	}
	r := cfg
	r.Replay = e.ChangeLog()
	o := mustNew(t, r)
	o.RunUntil(3 * Second)
	if x, y := o.Snapshot().Exchange, s.Exchange; x.Abandoned != y.Abandoned || x.NetRevenue() != y.NetRevenue() {
		t.Errorf("replay: %d abandoned, net %v; the run: %d, %v", x.Abandoned, x.NetRevenue(), y.Abandoned, y.NetRevenue())
	}
}

// TestFollowGridFollowsItsRule checks FollowGrid against its stated rule
// over many tmax values: the least step (20 ms, else the least multiple of
// 10 ms) that keeps a grid from 20 ms to the end within MaxFollowPoints,
// started up to a step later so that tmax is a point. Before, a tmax of 1 s
// took a 70 ms step from 20 ms, where 60 ms from 40 ms also holds it.
func TestFollowGridFollowsItsRule(t *testing.T) {
	const from, unit = 20 * Millisecond, 10 * Millisecond
	// points is how many points a grid from start in steps of step has up
	// to the first at or past end.
	points := func(start, end, step Time) Time { return (end-start+step-1)/step + 1 }
	var tmaxes []Time
	for ms := Time(1); ms <= 5000; ms += 7 {
		tmaxes = append(tmaxes, ms*Millisecond)
	}
	for s := Time(1); s <= 3600; s += 37 {
		tmaxes = append(tmaxes, s*Second, s*Second+1234*Microsecond)
	}
	tmaxes = append(tmaxes, Second, 137*Millisecond, 401*Millisecond, 1234500*Microsecond, Hour)
	for _, tmax := range tmaxes {
		g := FollowGrid(tmax)
		end := min(max(400*Millisecond, 2*tmax), MaxTmaxCurve)
		// The least step whose grid, started where it holds tmax, keeps
		// within MaxFollowPoints (the last point dropped past an hour).
		want := 20 * Millisecond
		for {
			start := from
			if tmax > from {
				start += (tmax - from) % want
			}
			n := points(start, end, want)
			if start+(n-1)*want > MaxTmaxCurve {
				n--
			}
			if n <= MaxFollowPoints {
				break
			}
			want += unit
		}
		if g.Step != want {
			t.Errorf("tmax %v: step %v, want %v (the least that keeps a grid holding tmax, to %v, within %d points)", tmax, g.Step, want, end, MaxFollowPoints)
		}
		if g.From < from || g.From >= from+g.Step {
			t.Errorf("tmax %v: grid %v starts outside [20ms, 20ms + step)", tmax, g)
		}
		if tmax >= from && !g.Has(tmax) {
			t.Errorf("tmax %v is not on its grid %v", tmax, g)
		}
		if tmax >= from && g.From != from+(tmax-from)%g.Step {
			t.Errorf("tmax %v: grid %v starts later than it needs to hold tmax", tmax, g)
		}
		if n := g.Len(); n > MaxFollowPoints || g.At(n-1) != g.To || g.To > MaxTmaxCurve ||
			(g.To < end && g.To+g.Step <= MaxTmaxCurve) || g.To-g.Step >= end {
			t.Errorf("tmax %v: grid %v (%d points) does not end at the first point at or past %v", tmax, g, n, end)
		}
	}
	for _, c := range []struct {
		tmax Time
		want TmaxGrid
	}{
		{Second, TmaxGrid{From: 50 * Millisecond, To: 2 * Second, Step: 50 * Millisecond}},
		{3 * Second, TmaxGrid{From: 150 * Millisecond, To: 6 * Second, Step: 150 * Millisecond}},
		{950 * Millisecond, TmaxGrid{From: 50 * Millisecond, To: 1900 * Millisecond, Step: 50 * Millisecond}},
		{120 * Millisecond, TmaxGrid{From: 20 * Millisecond, To: 400 * Millisecond, Step: 20 * Millisecond}},
	} {
		if g := FollowGrid(c.tmax); g != c.want {
			t.Errorf("tmax %v: %v, want %v", c.tmax, g, c.want)
		}
	}
}
