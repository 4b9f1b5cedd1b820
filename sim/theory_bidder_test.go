package sim

import (
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
)

// bidderIntegralsSlow is the per-bidder form as it was first written, kept
// as the reference the shared grid must match: each bidder on its own grid
// in its value, 2¹¹ plain midpoint steps a piece, every rival's CDF read
// afresh at every step, and ∫_r^y M accumulated along the grid.
func bidderIntegralsSlow(laws []bidLaw, auction AuctionType, i int, r float64) (win, pay, value float64) {
	M := func(y float64) float64 { // no rival bids above y
		m := 1.0
		for j, l := range laws {
			if j != i {
				m *= l.q(y)
			}
		}
		return m
	}
	v, ci := laws[i].v, laws[i].c
	lo := max(r, 0) / ci
	hi := max(lo, upperEnd(v))
	// The grid in i's value: cut where its law or a rival's bends (a
	// rival's kink at bid y is at value y/c_i) and at halvings of hi, then
	// even steps within each piece, so a long tail is not sampled coarsely
	// where the mass is.
	points := kinks(v)
	for j, l := range laws {
		if j != i {
			for _, k := range kinks(l.v) {
				points = append(points, l.c*k/ci)
			}
		}
	}
	mass := func(x float64) float64 { // i's and its rivals' mass between lo and x, in i's value
		m := laws[i].v.CDF(x) - laws[i].v.CDF(lo)
		for j, l := range laws {
			if j != i {
				m += l.q(ci*x) - l.q(ci*lo)
			}
		}
		return m
	}
	cuts := cutsBetween(lo, hi, points, mass)
	const per = 1 << 11 // steps a piece
	cum := 0.0          // ∫_r^y M(x) dx at the grid point's bid y
	prevF, prevM := v.CDF(lo), M(ci*lo)
	for p := 1; p < len(cuts); p++ {
		a, h := cuts[p-1], (cuts[p]-cuts[p-1])/per
		for k := range per {
			x1 := a + float64(k+1)*h
			y1 := ci * x1
			m1 := M(y1)
			f1 := v.CDF(x1)
			// At the interval's midpoint.
			xm := x1 - h/2
			ym := ci * xm
			mm := M(ym)
			cumMid := cum + (prevM+mm)/2*(ci*h/2)
			dF := f1 - prevF
			win += mm * dF
			value += xm * mm * dF
			if auction == FirstPrice {
				pay += ym * mm * dF
			} else {
				pay += (ym*mm - cumMid) * dF
			}
			cum += (prevM + 4*mm + m1) / 6 * (ci * h) // Simpson on the interval
			prevF, prevM = f1, m1
		}
	}
	if math.IsNaN(win) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	p := laws[i].p
	return p * win, p * pay, p * value
}

// bidderTableCases are sets of bidders the shared grid must price as the
// slow path does: asymmetric laws (uniform of different ranges,
// exponential, lognormal of heavy tails, normal, mixtures), different
// shares, bidders that do not always take part, floors inside and above
// the bulk, first and second price.
func bidderTableCases() map[string][]bidLaw {
	ln := func(median, p99 float64) Dist { return LogNormalMedianP99(median, p99) }
	mix := Mixture(Part{Weight: 3, Dist: Uniform(0, 1)}, Part{Weight: 1, Dist: ln(2, 5)})
	return map[string][]bidLaw{
		"U[0,1] and U[0,2]": {{v: Uniform(0, 1), c: 1, p: 1}, {v: Uniform(0, 2), c: 1, p: 1}},
		"five lognormals, shares, late": {
			{v: ln(1, 4), c: 1, p: 0.95}, {v: ln(1.2, 5), c: 0.95, p: 0.9}, {v: ln(1.4, 6), c: 0.9, p: 0.8},
			{v: ln(1.6, 7), c: 0.85, p: 0.7}, {v: ln(1.8, 8), c: 0.8, p: 0.6},
		},
		"heavy tail beside a narrow law": {{v: ln(1, 1000), c: 1, p: 1}, {v: Uniform(0.5, 0.6), c: 1, p: 1}},
		"exponential, mixture, normal": {
			{v: Exponential(0.8), c: 0.6, p: 1}, {v: mix, c: 0.7, p: 0.9}, {v: Normal(1, 0.3), c: 0.8, p: 1},
		},
		"uniform shares, one half the time": {{v: Uniform(0, 1), c: 0.5, p: 1}, {v: Uniform(0.2, 1.5), c: 1, p: 0.5}, {v: Uniform(0, 1), c: 0.8, p: 1}},
	}
}

// TestBidderTableMatchesSlow: the shared grid (bidderTable) gives every
// bidder's win rate, payment and value what the slow path, each bidder on
// its own fine grid, gives, within 10⁻⁷ of the larger of 1 and the figure:
// the slow path's own error is a few 10⁻⁸ (plain midpoint steps, O(h²):
// 3·10⁻⁸ for the five lognormals), the shared grid's below 10⁻⁹
// (TestBidderTableConverges). Where a tail is heavy the shared grid is
// the closer: a lognormal of p99 a thousand times its median beside
// U[0.5, 0.6] wins 82.08677235 of value (E[X; U < X ≤ top], by its closed
// form), the shared grid 82.08677171, the slow path 82.08677345.
func TestBidderTableMatchesSlow(t *testing.T) {
	for name, laws := range bidderTableCases() {
		for _, auction := range []AuctionType{SecondPrice, FirstPrice} {
			for _, r := range []float64{0, 0.3, 1.5} {
				fast := bidderTable(laws, auction, r, 0)
				for i := range laws {
					win, pay, value := bidderIntegralsSlow(laws, auction, i, r)
					for _, c := range []struct {
						what       string
						fast, slow float64
					}{{"win", fast[i].win, win}, {"pay", fast[i].pay, pay}, {"value", fast[i].value, value}} {
						if d := math.Abs(c.fast - c.slow); !(d <= 1e-7*max(1, math.Abs(c.slow))) {
							t.Errorf("%s, %s, floor %g, bidder %d: %s %.12g on the shared grid, %.12g on the slow path (off by %.2g)",
								name, auction, r, i, c.what, c.fast, c.slow, d)
						} else if testing.Verbose() {
							t.Logf("%s, %s, floor %g, bidder %d: %s off by %.2g", name, auction, r, i, c.what, d)
						}
					}
				}
			}
		}
	}
}

// TestBidderTableConverges: the shared grid's figures move by less than
// 10⁻⁹ (of the larger of 1 and the figure) from 64 steps a piece to 1024,
// and by less than 10⁻⁶ from 16: the error falls faster than h⁴ (×256
// for 4× the steps), as the extrapolation promises, so 64 is converged.
func TestBidderTableConverges(t *testing.T) {
	for name, laws := range bidderTableCases() {
		for _, auction := range []AuctionType{SecondPrice, FirstPrice} {
			for _, r := range []float64{0, 0.3, 1.5} {
				for _, inc := range []float64{0, 0.05} {
					fine := bidderTableSteps(laws, auction, r, inc, 1024)
					for _, c := range []struct {
						steps int
						tol   float64
					}{{bidderSteps, 1e-9}, {16, 1e-6}} {
						got := bidderTableSteps(laws, auction, r, inc, c.steps)
						for i := range laws {
							for _, x := range [][2]float64{{got[i].win, fine[i].win}, {got[i].pay, fine[i].pay}, {got[i].value, fine[i].value}} {
								if d := math.Abs(x[0] - x[1]); !(d <= c.tol*max(1, math.Abs(x[1]))) {
									t.Errorf("%s, %s, floor %g, increment %g, bidder %d: %.12g with %d steps, %.12g with 1024", name, auction, r, inc, i, x[0], c.steps, x[1])
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestBidderTheoryMemo: a snapshot's BidderTheory integrates once per
// world and change: snapshots of one engine share one memo, a second
// read of the same world adds no entry, a live change of the floor adds
// one (and its figures are the new world's, equal to an input without a
// memo), and changing it back finds the first entry again.
func TestBidderTheoryMemo(t *testing.T) {
	cfg := world(4, Uniform(0, 1))
	cfg.Bidders[0].Value = LogNormalMedianP99(0.6, 3)
	cfg.Bidders[1].Value = Uniform(0, 2)
	e := mustNew(t, cfg)
	fresh := func(s *Snapshot) []BidderTheory {
		in := NewTheoryInput(cfg)
		in.memo = nil
		if err := in.Update(s); err != nil {
			t.Fatal(err)
		}
		bt, why := in.BidderTheory()
		if why != "" {
			t.Fatal(why)
		}
		return bt
	}
	read := func(wantEntries int) []BidderTheory {
		t.Helper()
		s := e.Snapshot()
		bt, why := s.BidderTheory()
		if why != "" || len(bt) != 4 {
			t.Fatalf("%d bidders, why %q", len(bt), why)
		}
		if s.theory.memo != e.theory.memo {
			t.Fatal("the snapshot does not share the engine's memo")
		}
		if n := len(e.theory.memo.entries); n != wantEntries {
			t.Errorf("%d worlds integrated, want %d", n, wantEntries)
		}
		if want := fresh(s); !slices.Equal(bt, want) {
			t.Errorf("memo %+v, integrated afresh %+v", bt, want)
		}
		return bt
	}
	first := read(1)
	e.RunAuctions(500)
	if again := read(1); !slices.Equal(again, first) {
		t.Errorf("the same world read again: %+v, first %+v", again, first)
	}
	if err := e.Apply(SetFloor{Floor: PriceOf(0.4)}); err != nil {
		t.Fatal(err)
	}
	if floored := read(2); floored[0].WinRate >= first[0].WinRate {
		t.Errorf("a floor of 0.4 leaves ada's win rate at %g (%g without)", floored[0].WinRate, first[0].WinRate)
	}
	if err := e.Apply(SetFloor{Floor: 0}); err != nil {
		t.Fatal(err)
	}
	if back := read(2); !slices.Equal(back, first) {
		t.Errorf("the floor back at 0: %+v, first %+v", back, first)
	}
}

// TestBidderTableAddsUp: the bidders' payments add up to the exchange's
// revenue and their win rates to its fill rate, the exchange's computed
// apart by the independent form (the price's tail, integrated over the
// price, not each winner's bid), in second price with increments of
// none, 0.05 and 0.4 (which caps many prices at the winner's bid) and in
// first price, with floors.
func TestBidderTableAddsUp(t *testing.T) {
	for name, laws := range bidderTableCases() {
		for _, auction := range []AuctionType{SecondPrice, FirstPrice} {
			for _, r := range []float64{0, 0.3, 1.5} {
				for _, inc := range []float64{0, 0.05, 0.4} {
					if auction == FirstPrice && inc > 0 {
						continue
					}
					rev, fill := independentRevenue(laws, auction, r, inc)
					pay, win := 0.0, 0.0
					for _, f := range bidderTable(laws, auction, r, inc) {
						pay += f.pay
						win += f.win
					}
					if math.Abs(pay-rev) > 1e-6*max(1, rev) || math.Abs(win-fill) > 1e-7 {
						t.Errorf("%s, %s, floor %g, increment %g: the bidders pay %.9f and win %.9f, the exchange earns %.9f and fills %.9f",
							name, auction, r, inc, pay, win, rev, fill)
					}
				}
			}
		}
	}
}

// TestTheoryMemoRevenue: the exchange's independent form is kept too:
// the dashboard's header asks for it at every frame. Two snapshots of one
// world integrate it once, a floor changed live once more, and the
// figures are those of an input without a memo.
func TestTheoryMemoRevenue(t *testing.T) {
	cfg := world(4, Uniform(0, 1))
	cfg.Bidders[0].Value = LogNormalMedianP99(0.6, 3)
	cfg.Exchange.Increment = PriceOf(0.01)
	e := mustNew(t, cfg)
	revenues := func() int {
		n := 0
		for _, x := range e.theory.memo.entries {
			if strings.HasPrefix(x.key, "revenue ") {
				n++
			}
		}
		return n
	}
	check := func(want int) {
		t.Helper()
		s := e.Snapshot()
		th := s.Theory()
		in := NewTheoryInput(cfg)
		in.memo = nil
		if err := in.Update(s); err != nil {
			t.Fatal(err)
		}
		if fresh := in.Theory(); th.RevenuePerAuction != fresh.RevenuePerAuction || th.FillRate != fresh.FillRate || !th.Applies {
			t.Errorf("memo %+v, afresh %+v", th, fresh)
		}
		if n := revenues(); n != want {
			t.Errorf("%d revenues integrated, want %d", n, want)
		}
	}
	check(1)
	e.RunAuctions(300)
	check(1)
	if err := e.Apply(SetFloor{Floor: PriceOf(0.3)}); err != nil {
		t.Fatal(err)
	}
	check(2)
}

// TestBidderTheoryMemoConcurrent: snapshots go to other goroutines (the
// dashboard draws while the engine runs), so their shared memo is read
// and filled from several at once; under -race this checks its lock.
func TestBidderTheoryMemoConcurrent(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	cfg.Bidders[0].Value = LogNormalMedianP99(0.6, 3)
	e := mustNew(t, cfg)
	var wg sync.WaitGroup
	for k := range 4 {
		s := e.Snapshot()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if bt, why := s.BidderTheory(); len(bt) != 3 {
				t.Errorf("reader %d: %d bidders, why %q", k, len(bt), why)
			}
		}()
		if err := e.Apply(SetFloor{Floor: PriceOf(0.1 * float64(k))}); err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(50)
	}
	wg.Wait()
}
