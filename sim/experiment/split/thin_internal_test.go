package split

import (
	"context"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// flightYAML is a three-day flight of two grouped line items with daily
// budgets and totals, a frequency cap, people and a daily shape: not
// Halvable (its days, pacing interval and half-day delays), Thinnable.
const flightYAML = `name: flight3
seed: 7
stop: {duration: 72h}
traffic:
  qps: 5
  users: {count: 50000, skew: 0.5}
  shape: [0.3, 0.2, 0.15, 0.15, 0.2, 0.35, 0.6, 0.9, 1.1, 1.2, 1.2, 1.2, 1.3, 1.2, 1.1, 1.1, 1.2, 1.4, 1.6, 1.8, 1.8, 1.5, 1.0, 0.6]
exchange: {auction: second-price, tmax: 120ms, floor: 0.10}
pacing: {interval: 10m}
bidders:
  - name: acme-even
    group: acme
    value: {dist: uniform, min: 1.0, max: 4.0}
    budget: {daily: 20, total: 60, pacing: multiplier, delivery: even}
    frequency_cap: {impressions: 3, per: 24h}
    outcome: {ctr: 0.04, cvr: 0.1, order_value: 1, baseline_cvr: 0.002, delay: {dist: exponential, mean: 12h}, attribution_window: 24h}
  - name: acme-asap
    group: acme
    value: {dist: uniform, min: 1.0, max: 4.0}
    budget: {daily: 20, total: 60}
    outcome: {ctr: 0.04, cvr: 0.1, order_value: 1, baseline_cvr: 0.002, delay: {dist: exponential, mean: 12h}, attribution_window: 24h}
  - name: rival
    value: {dist: uniform, min: 0.5, max: 3.5}
`

// TestThinnable: a flight of days may race its coarse moves at twice its
// traffic scale (budget-split halves instead); not with a holdout or a
// capacity (the engine refuses them at a scale), a stop by auctions, a
// script, a learning bidder, too few auctions or people.
func TestThinnable(t *testing.T) {
	sc, err := scenarios.Parse("flight3.yaml", []byte(flightYAML))
	if err != nil {
		t.Fatal(err)
	}
	p := pointOf(sc)
	if Halvable(p) || !Thinnable(p) {
		t.Fatalf("flight: halvable %v, thinnable %v; want only thinnable", Halvable(p), Thinnable(p))
	}
	bs, err := scenarios.Bundled("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	if Thinnable(pointOf(bs)) {
		t.Error("budget-split thinnable: it halves")
	}
	refusedBy(t, p, Thinnable, "thinnable", map[string]func(q *experiment.Point){
		"a holdout":          func(q *experiment.Point) { q.Config.Bidders[1].Outcome.Holdout = 0.2 },
		"a capacity":         func(q *experiment.Point) { q.Config.Bidders[2].Capacity = &sim.Capacity{} },
		"a stop by auctions": func(q *experiment.Point) { q.Stop.Auctions = 1_000_000 },
		"a script":           func(q *experiment.Point) { q.Config.Script = []sim.Scheduled{{}} },
		"a learning bidder":  func(q *experiment.Point) { q.Config.Bidders[2].Strategy = sim.Strategy{Kind: sim.Learn} },
		"too few auctions":   func(q *experiment.Point) { q.Config.Traffic.QPS = 0.5 },
		"too few people":     func(q *experiment.Point) { q.Config.Traffic.Users = &sim.Users{Count: 1500} },
		"the largest scale":  func(q *experiment.Point) { q.Config.Traffic.Scale = sim.MaxScale },
	})
}

// TestThinRun: a thinned run of a split doubles the traffic scale and
// keeps the horizon and every budget (the engine divides them), the
// engine accepts it, and its runs are kept apart from the whole ones.
func TestThinRun(t *testing.T) {
	s := searchOf(t, "flight3.yaml", []byte(flightYAML), "acme", "incremental_value")
	split := []Cents{4500, 7500}
	whole := s.with(split)
	wholeKey := s.key(7, split)
	s.mode = thinned
	th := s.with(split)
	if th.Config.Traffic.Scale != 2 || whole.Config.Traffic.Scale != 0 || s.Base.Config.Traffic.Scale != 0 {
		t.Errorf("thinned scale %v, whole %v, base %v; want 2, 0, 0", th.Config.Traffic.Scale, whole.Config.Traffic.Scale, s.Base.Config.Traffic.Scale)
	}
	if th.Stop != whole.Stop || th.Config.Horizon != whole.Config.Horizon {
		t.Errorf("thinned stop %v horizon %v; whole %v %v", th.Stop, th.Config.Horizon, whole.Stop, whole.Config.Horizon)
	}
	for i, b := range th.Config.Bidders {
		w := whole.Config.Bidders[i].Budget
		if (b.Budget == nil) != (w == nil) || b.Budget != nil && *b.Budget != *w {
			t.Errorf("%s: thinned budget %v, whole %v", b.Name, b.Budget, w)
		}
	}
	if th.Config.Bidders[0].Budget.Total != sim.MoneyOf(45) || th.Config.Bidders[1].Budget.Daily != sim.MoneyOf(20) {
		t.Errorf("thinned budgets %v, %v", th.Config.Bidders[0].Budget, th.Config.Bidders[1].Budget)
	}
	if _, err := sim.New(th.Config); err != nil {
		t.Errorf("the engine refuses a thinned run: %v", err)
	}
	if s.key(7, split) == wholeKey {
		t.Errorf("thinned and whole runs share the key %q", wholeKey)
	}
}

// smallFlightYAML is a two-day flight with daily budgets and a pacing
// interval (not Halvable) just large enough to thin: 1.2 qps over 48 h
// keeps about 104,000 auctions at twice the scale.
const smallFlightYAML = `name: small-flight
seed: 3
stop: {duration: 48h}
traffic: {qps: 1.2, users: {count: 4000}}
exchange: {tmax: 100ms, floor: 0.1}
pacing: {interval: 10m}
bidders:
  - {name: a, group: g, value: {dist: uniform, min: 1, max: 4}, budget: {daily: 30, total: 40, pacing: multiplier}, frequency_cap: {impressions: 6, per: 24h}, outcome: {ctr: 0.04, cvr: 0.1, order_value: 1, baseline_cvr: 0.002}}
  - {name: b, group: g, value: {dist: uniform, min: 1, max: 4}, budget: {daily: 30, total: 20}, outcome: {ctr: 0.02, cvr: 0.1, order_value: 1, baseline_cvr: 0.002}}
  - {name: rival, value: {dist: uniform, min: 0.5, max: 3.5}}
`

// TestThinnedSearchVerdictWhole: a search that thins its coarse moves
// says so, and prints only whole runs: its verdict's objective at the
// current split is what whole runs of it measure on the verdict's seeds.
func TestThinnedSearchVerdictWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): two whole searches, ~15 s under -race")
	}
	sc, err := scenarios.Parse("small-flight.yaml", []byte(smallFlightYAML))
	if err != nil {
		t.Fatal(err)
	}
	p := pointOf(sc)
	if Halvable(p) || !Thinnable(p) {
		t.Fatalf("halvable %v, thinnable %v; want only thinnable", Halvable(p), Thinnable(p))
	}
	s, err := New(p, "g", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	s.Reps, s.Workers, s.NoCurves = 3, 2, true
	start := s.Current()
	res, err := s.Run(context.Background(), start, Sum(start)/4)
	if err != nil {
		t.Fatal(err)
	}
	if res.ThinnedRuns <= 0 || res.ThinnedRuns >= res.Runs || res.HalfRuns != 0 {
		t.Errorf("%d thinned and %d half runs of %d; want some thinned, none half", res.ThinnedRuns, res.HalfRuns, res.Runs)
	}
	fresh := experiment.Seed(s.Seed, 1<<30)
	s.mode = whole // whole runs, whatever the search left
	var want stats.Acc
	for r := range s.Reps {
		v, err := experiment.Measure(context.Background(), s.with(start), experiment.Seed(fresh, r))
		if err != nil {
			t.Fatal(err)
		}
		want.Add(v[s.Metric()])
	}
	if got := res.Current.Objective; got != want.Stat() || got.N != s.Reps {
		t.Errorf("verdict at the current split %+v; whole runs give %+v", got, want.Stat())
	}
}
