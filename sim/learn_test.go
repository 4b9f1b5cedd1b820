package sim

import (
	"errors"
	"math"
	"testing"
	"time"
)

// learnWorld is first price with n bidders, values U[0, 1]: n−1 bid the
// equilibrium (n−1)/n·v and the last, "learner", learns with strategy s.
func learnWorld(n int, s Strategy) Config {
	cfg := world(n, Uniform(0, 1))
	cfg.Exchange.Auction = FirstPrice
	for i := range cfg.Bidders {
		cfg.Bidders[i].Strategy = Strategy{Kind: Equilibrium}
	}
	cfg.Bidders[n-1].Name = "learner"
	cfg.Bidders[n-1].Strategy = s
	return cfg
}

// TestLearnerSettlesOnEquilibrium: against n−1 equilibrium bidders the best
// response is the equilibrium shading (n−1)/n itself (surplus
// (1−c)(c·n/(n−1))^(n−1)/(n+1) peaks there), and the bandit finds it.
func TestLearnerSettlesOnEquilibrium(t *testing.T) {
	if testing.Short() {
		t.Skip("a long run: the long tier")
	}
	start := time.Now()
	for _, n := range []int{2, 4} {
		e := mustNew(t, learnWorld(n, Strategy{Kind: Learn}))
		e.RunAuctions(1_500_000)
		s := e.Snapshot()
		b := findBidder(s, "learner")
		want := float64(n-1) / float64(n)
		if b.Learn == nil {
			t.Fatalf("n=%d: no learn stats", n)
		}
		if math.Abs(b.Learn.Factor-want) > 0.05 {
			t.Errorf("n=%d: the learner settled at %g, want (n−1)/n = %g ± 0.05", n, b.Learn.Factor, want)
		}
		if b.Learn.Updates != 1_500_000 {
			t.Errorf("n=%d: %d updates, want one per auction (1500000)", n, b.Learn.Updates)
		}
		for _, o := range s.Bidders {
			if o.Name != "learner" && o.Learn != nil {
				t.Errorf("%s does not learn but reports %+v", o.Name, *o.Learn)
			}
		}
	}
	t.Logf("took %v", time.Since(start))
}

// TestLearnerKeepsOthersDraws: common random numbers. Replacing a
// bidder's shading by learn changes none of the draws: every bidder's
// values and response times in the same auctions are as they were; only
// the learner's bids differ. And one seed gives one learner.
func TestLearnerKeepsOthersDraws(t *testing.T) {
	run := func(s Strategy) *Snapshot {
		e := mustNew(t, learnWorld(3, s))
		e.RunAuctions(20_000)
		return e.Snapshot()
	}
	a, b := run(Strategy{Kind: Shade, Factor: 0.5}), run(Strategy{Kind: Learn})
	if len(a.Recent) == 0 || len(a.Recent) != len(b.Recent) {
		t.Fatalf("%d and %d recent auctions", len(a.Recent), len(b.Recent))
	}
	bidsDiffer := false
	for k := range a.Recent {
		x, y := a.Recent[k], b.Recent[k]
		if x.ID != y.ID {
			t.Fatalf("recent auction %d: ids %d and %d", k, x.ID, y.ID)
		}
		for i := range x.Responses {
			rx, ry := x.Responses[i], y.Responses[i]
			if rx.Value != ry.Value || rx.Time != ry.Time {
				t.Errorf("auction %d bidder %d: value %v time %v with shading, %v %v with a learner", x.ID, i, rx.Value, rx.Time, ry.Value, ry.Time)
			}
			if i < 2 && rx.Bid != ry.Bid {
				t.Errorf("auction %d: rival %d bid %v, then %v beside a learner", x.ID, i, rx.Bid, ry.Bid)
			}
			bidsDiffer = bidsDiffer || i == 2 && rx.Bid != ry.Bid
		}
	}
	if !bidsDiffer {
		t.Error("the learner bid as shading by 0.5 in every recent auction")
	}
	c := run(Strategy{Kind: Learn})
	if *b.Bidders[2].Learn != *c.Bidders[2].Learn || b.Bidders[2].Wins != c.Bidders[2].Wins {
		t.Errorf("two runs with one seed: %+v and %+v", *b.Bidders[2].Learn, *c.Bidders[2].Learn)
	}
}

// TestLearnerAllocatesNothing: bidding and learning allocate nothing per
// auction.
func TestLearnerAllocatesNothing(t *testing.T) {
	cfg := learnWorld(4, Strategy{Kind: Learn})
	e := mustNew(t, cfg)
	e.RunAuctions(20_000) // warm up: pools and histograms sized
	allocs := testing.AllocsPerRun(5, func() { e.RunAuctions(2000); e.Snapshot() })
	// A snapshot per run allocates; 2000 auctions must not add to it.
	base := testing.AllocsPerRun(5, func() { e.Snapshot() })
	if allocs > base+1 {
		t.Errorf("%g allocations per 2000 auctions beyond a snapshot's %g", allocs, base)
	}
}

// TestLearnerChangeAndValidation: a live change to learn starts a fresh
// learner; bad parameters are refused naming the field.
func TestLearnerChangeAndValidation(t *testing.T) {
	e := mustNew(t, learnWorld(3, Strategy{Kind: Truthful}))
	e.RunAuctions(1000)
	if l := findBidder(e.Snapshot(), "learner").Learn; l != nil {
		t.Fatalf("a truthful bidder reports learning: %+v", *l)
	}
	if err := e.Apply(SetStrategy{Bidder: "learner", Strategy: Strategy{Kind: Learn, Arms: 10, Epsilon: 0.2}}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(3000)
	l := findBidder(e.Snapshot(), "learner").Learn
	if l == nil || l.Updates != 3000 {
		t.Fatalf("after the change: %+v, want 3000 updates, one per auction since", l)
	}
	for _, bad := range []struct {
		s     Strategy
		field string
	}{
		{Strategy{Kind: Learn, Arms: -1}, "strategy.arms"},
		{Strategy{Kind: Learn, Arms: MaxLearnArms + 1}, "strategy.arms"},
		{Strategy{Kind: Learn, Epsilon: 1.5}, "strategy.epsilon"},
		{Strategy{Kind: Learn, Epsilon: math.NaN()}, "strategy.epsilon"},
	} {
		err := e.Apply(SetStrategy{Bidder: "learner", Strategy: bad.s})
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%+v: %v, want a FieldError", bad.s, err)
			continue
		}
		if want := bidderPath("learner", bad.field); fe.Field != want {
			t.Errorf("%+v: field %s, want %s", bad.s, fe.Field, want)
		}
	}
}

// TestLearnerBandit: every arm is tried once first, then the arm with the
// highest mean surplus is played, and a lost lead moves to the next best.
func TestLearnerBandit(t *testing.T) {
	var l learner
	l.reset(Strategy{Kind: Learn, Arms: 4, Epsilon: 1e-9})
	r := NewStream(1, "test")
	for want := range 4 {
		if got := l.choose(r); got != want {
			t.Fatalf("untried arms in order: chose %d, want %d", got, want)
		}
		l.update(want, []float64{0.1, 0.3, 0.2, 0}[want])
	}
	if got := l.choose(r); got != 1 || l.stats().Factor != 0.5 {
		t.Fatalf("chose %d (factor %g), want arm 1, factor 0.5", got, l.stats().Factor)
	}
	l.update(1, -0.5) // arm 1's mean falls to −0.1: arm 2 leads
	if got, st := l.choose(r), l.stats(); got != 2 || st.Factor != 0.75 || st.Updates != 5 {
		t.Fatalf("chose %d, stats %+v, want arm 2, factor 0.75, 5 updates", got, *st)
	}
	l.update(7, 1) // an arm of a replaced grid: ignored
	if st := l.stats(); st.Updates != 5 {
		t.Errorf("an out-of-grid arm was learned: %+v", *st)
	}
}
