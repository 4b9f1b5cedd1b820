package split

import (
	"context"
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// TestCurvesPaired: the response curves judge their points against the
// recommendation on the paired replications (the same seeds), not by
// whether a point's mean lies within the recommendation's own interval,
// which holds the noise every split shares. The runs are made up: a
// replication's noise of ±150 common to every split, and a point half a
// step past the recommendation 5 better with a spread of about 1. The
// recommendation's own interval (about ±140) holds every point near it,
// so the flat region once ran from 3.00 to 10.00 and no point was said
// better; paired, 5.00 is better beyond chance and the region is the
// recommendation alone.
func TestCurvesPaired(t *testing.T) {
	s := twoMemberSearch(t)
	const seed, reps = 99, 5
	rec := []Cents{400, 600}
	// The objective at a's budget (cents); b has the rest.
	f := map[Cents]float64{0: 800, 300: 990, 400: 1000, 500: 1005, 1000: 900}
	common := []float64{-150, 0, 150, 60, -60}
	s.runs = map[string][]experiment.Values{}
	for a, y := range f {
		sp := []Cents{a, 1000 - a}
		for r := range reps {
			// A little noise of the split's own, so that no paired
			// difference is the same in every replication.
			own := float64((r*7+int(a/100)*3)%5-2) * 0.5
			s.runs[s.key(seed, sp)] = append(s.runs[s.key(seed, sp)], experiment.Values{s.metric: y + common[r] + own})
		}
	}
	curves, err := s.curves(context.Background(), seed, rec, 100, reps)
	if err != nil {
		t.Fatal(err)
	}
	a := curves[0]
	if a.Member != "a" || a.FlatFrom != 4 || a.FlatTo != 4 {
		t.Errorf("a's flat region %.2f–%.2f, want the recommendation alone (4.00): the paired replications tell 3.00 and 5.00 from it", a.FlatFrom, a.FlatTo)
	}
	p := a.Better()
	if p == nil || p.Budget != 5 || !(p.VsRecommended.Lo > 0) || math.Abs(p.VsRecommended.Mean-5) > 1 {
		t.Fatalf("a's better point %+v, want 5.00, about +5 with its interval above 0", p)
	}
	for _, q := range a.Points {
		if q.Recommended && (q.VsRecommended.Mean != 0 || q.VsRecommended.N != reps) {
			t.Errorf("the recommended point against itself: %+v", q.VsRecommended)
		}
	}
	// The marginal at the recommendation, (1005 − 990) / 2.00 a unit, with
	// its interval from each replication's own central difference.
	mi := a.MarginalInterval
	if mi == nil || a.MarginalAtRecommended == nil || math.Abs(mi.Mean-*a.MarginalAtRecommended) > 1e-9 ||
		math.Abs(mi.Mean-7.5) > 1 || !(mi.Lo > 0) || mi.N != reps {
		t.Errorf("a's marginal %v with interval %+v, want about 7.5 above 0 over %d replications", a.MarginalAtRecommended, mi, reps)
	}
	// b's curve is the same splits seen from b: its best point is b at
	// 5.00 (a at 5.00), and it too is flat at the recommendation alone.
	b := curves[1]
	if pb := b.Better(); pb == nil || pb.Budget != 5 || b.FlatFrom != 6 || b.FlatTo != 6 {
		t.Errorf("b's better point %+v, flat %.2f–%.2f", pb, b.FlatFrom, b.FlatTo)
	}
}

// TestCurvesAbove: the curves' verdict on the recommendation counts each
// split compared once, by the split itself, and lists the splits above it
// beyond chance, the largest difference first. Two members: b's curve is
// a's splits again (b at 7.00 is a at 3.00). a at 0 and at all of the
// total are two splits whose figures match (the objective the same at
// both ends): the table once told splits apart by their figures and
// counted them as one, saying 3 points compared where there were 4.
func TestCurvesAbove(t *testing.T) {
	rec := []Cents{400, 600}
	ends := stats.Of(900, 20, 3)
	endsVs := stats.Of(-100, 10, 3)
	at := map[Cents]CurvePoint{ // by a's budget
		0:    {Objective: ends, VsRecommended: endsVs},
		300:  {Objective: stats.Of(1003, 20, 3), VsRecommended: stats.Of(3, 0.5, 3)},
		400:  {Objective: stats.Of(1000, 20, 3), VsRecommended: stats.Of(0, 0, 3), Recommended: true},
		500:  {Objective: stats.Of(1005, 20, 3), VsRecommended: stats.Of(5, 0.5, 3)},
		1000: {Objective: ends, VsRecommended: endsVs},
	}
	curve := func(member string, budgets []Cents, aOf func(Cents) Cents) Curve {
		c := Curve{Member: member}
		for _, b := range budgets {
			p := at[aOf(b)]
			p.Budget = Amount(b)
			c.Points = append(c.Points, p)
		}
		return c
	}
	curves := []Curve{
		curve("a", []Cents{0, 300, 400, 500, 1000}, func(b Cents) Cents { return b }),
		curve("b", []Cents{0, 500, 600, 700, 1000}, func(b Cents) Cents { return 1000 - b }),
	}
	got := curvesAbove([]string{"a", "b"}, rec, curves)
	if got == nil || got.Compared != 4 {
		t.Fatalf("compared %+v, want 4 splits (0, 3, 5 and 10 of a's, b's the same splits)", got)
	}
	if len(got.Points) != 2 {
		t.Fatalf("points above %+v, want a at 5.00 and at 3.00", got.Points)
	}
	for i, w := range []struct {
		budget, b, mean float64
	}{{5, 5, 5}, {3, 7, 3}} {
		p := got.Points[i]
		if p.Member != "a" || p.Budget != w.budget || p.Budgets["a"] != w.budget || p.Budgets["b"] != w.b || p.VsRecommended.Mean != w.mean {
			t.Errorf("point %d: %+v, want a at %.2f (b %.2f), %+v above", i, p, w.budget, w.b, w.mean)
		}
	}
	// Nothing beyond chance: none, the count kept.
	for _, c := range curves {
		for i := range c.Points {
			if !c.Points[i].Recommended {
				c.Points[i].VsRecommended = stats.Of(3, 50, 3)
			}
		}
	}
	if got := curvesAbove([]string{"a", "b"}, rec, curves); got == nil || got.Compared != 4 || got.Points == nil || len(got.Points) != 0 {
		t.Errorf("no point above: %+v, want 4 compared, points empty (not null)", got)
	}
	if got := curvesAbove([]string{"a", "b"}, rec, nil); got != nil {
		t.Errorf("no curves: %+v, want nil", got)
	}
}

// twoMemberSearch is a search of group g's incremental value over two
// members, a (4) and b (6), for tests that make their runs up: the world
// only gives the search its members and budgets.
func twoMemberSearch(t *testing.T) *Search {
	t.Helper()
	return searchOf(t, "c.yaml", []byte(`name: c
stop: {duration: 10s}
traffic: {qps: 10}
exchange: {tmax: 100ms}
bidders:
  - {name: a, group: g, value: 1, budget: {total: 4}}
  - {name: b, group: g, value: 1, budget: {total: 6}}
`), "g", "incremental_value")
}
