package split

import (
	"context"
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestHalvable: budget-split's coarse moves may race on half-length runs
// (its conversion delays, 30 s on average, are a tenth of the half run);
// not with a stop by auctions, a script, longer delays, a learning
// bidder, a daily budget or a pacing interval.
func TestHalvable(t *testing.T) {
	sc, err := scenarios.Bundled("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	p := pointOf(sc)
	if !Halvable(p) {
		t.Fatal("budget-split is not halvable")
	}
	refusedBy(t, p, Halvable, "halvable", map[string]func(q *experiment.Point){
		"a stop by auctions": func(q *experiment.Point) { q.Stop.Auctions = 1000 },
		"a script":           func(q *experiment.Point) { q.Config.Script = []sim.Scheduled{{}} },
		"a horizon apart":    func(q *experiment.Point) { q.Config.Horizon /= 2 },
		"delays of 40 s": func(q *experiment.Point) {
			q.Config.Bidders[1].Outcome.Delay = sim.Exponential(float64(40 * sim.Second))
		},
		"a learning bidder": func(q *experiment.Point) { q.Config.Bidders[3].Strategy = sim.Strategy{Kind: sim.Learn} },
		"a daily shape":     func(q *experiment.Point) { q.Config.Traffic.Shape = []float64{1, 2} },
		// A flight of days: its daily budgets bind per day, which half
		// the horizon does not keep, nor pacing in intervals of a fixed
		// length.
		"a daily budget": func(q *experiment.Point) {
			b := *q.Config.Bidders[1].Budget
			b.Daily = sim.MoneyOf(100)
			q.Config.Bidders[1].Budget = &b
		},
		"a pacing interval": func(q *experiment.Point) { q.Config.Pacing.Interval = sim.Minute },
		// People make requests at their rate however long the run: in
		// half of it each sees half the impressions, so a cap or a
		// conversion period over the run binds less.
		"people converting once a run": func(q *experiment.Point) { q.Config.Traffic.Users = &sim.Users{Count: 20000} },
		"people converting once in 1m": func(q *experiment.Point) {
			q.Config.Traffic.Users = &sim.Users{Count: 20000}
			for i := range q.Config.Bidders {
				if o := q.Config.Bidders[i].Outcome; o != nil {
					oc := *o
					oc.ConversionPeriod = sim.Minute
					q.Config.Bidders[i].Outcome = &oc
				}
			}
		},
		"people capped over 1h": func(q *experiment.Point) {
			q.Config.Traffic.Users = &sim.Users{Count: 20000}
			for i := range q.Config.Bidders {
				if o := q.Config.Bidders[i].Outcome; o != nil {
					oc := *o
					oc.ConversionPeriod = 10 * sim.Second
					q.Config.Bidders[i].Outcome = &oc
				}
			}
			q.Config.Bidders[3].FrequencyCap = &sim.FrequencyCap{Impressions: 2, Per: sim.Hour}
		},
	})
	// Windows short beside the half run (a tenth of it at most) are kept
	// as they are: each person's windows are as many as before, only half.
	q := p
	q.Config.Traffic.Users = &sim.Users{Count: 20000}
	q.Config.Bidders = append([]sim.BidderConfig(nil), p.Config.Bidders...)
	for i := range q.Config.Bidders {
		if o := q.Config.Bidders[i].Outcome; o != nil {
			oc := *o
			oc.ConversionPeriod = 30 * sim.Second
			q.Config.Bidders[i].Outcome = &oc
		}
	}
	q.Config.Bidders[3].FrequencyCap = &sim.FrequencyCap{Impressions: 2, Per: 10 * sim.Second}
	if !Halvable(q) {
		t.Error("people whose caps and conversion periods are short are not halvable")
	}
}

// TestHalfRun: a half-length run of a split keeps half the horizon and
// half of every budget, exactly (the members' and a bidder's outside the
// group), and its runs are kept apart from the whole ones.
func TestHalfRun(t *testing.T) {
	sc, err := scenarios.Bundled("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	p := pointOf(sc)
	p.Config.Bidders = append([]sim.BidderConfig(nil), p.Config.Bidders...)
	p.Config.Bidders[3].Budget = &sim.Budget{Total: sim.MoneyOf(33.33), Pacing: sim.PacingMultiplier}
	s, err := New(p, "acme", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	split := []Cents{2001, 47000, 10999}
	whole := s.with(split)
	wholeKey := s.key(7, split)
	s.mode = halved
	h := s.with(split)
	if h.Stop.Duration != 5*sim.Minute || h.Config.Horizon != 5*sim.Minute || whole.Stop.Duration != 10*sim.Minute || whole.Config.Horizon != 10*sim.Minute {
		t.Errorf("half: stop %v horizon %v; whole: stop %v horizon %v", h.Stop.Duration, h.Config.Horizon, whole.Stop.Duration, whole.Config.Horizon)
	}
	for i, b := range h.Config.Bidders {
		w := whole.Config.Bidders[i].Budget
		if (b.Budget == nil) != (w == nil) {
			t.Fatalf("%s: budget %v, whole %v", b.Name, b.Budget, w)
		}
		if b.Budget != nil && b.Budget.Total*2 != w.Total {
			t.Errorf("%s: half budget %v, whole %v", b.Name, b.Budget.Total, w.Total)
		}
	}
	if whole.Config.Bidders[0].Budget.Total != sim.MoneyOf(20.01) || p.Config.Bidders[3].Budget.Total != sim.MoneyOf(33.33) {
		t.Errorf("whole budget %v; the base's %v changed", whole.Config.Bidders[0].Budget.Total, p.Config.Bidders[3].Budget.Total)
	}
	if s.key(7, split) == wholeKey {
		t.Errorf("half and whole runs share the key %q", wholeKey)
	}
}

// refusedBy checks that allows refuses p with each change made (what:
// the word in the error): each change on a copy of p whose bidders, and
// bidder 1's outcome, are its own.
func refusedBy(t *testing.T, p experiment.Point, allows func(experiment.Point) bool, what string, changes map[string]func(q *experiment.Point)) {
	t.Helper()
	for name, change := range changes {
		q := p
		q.Config.Bidders = append([]sim.BidderConfig(nil), p.Config.Bidders...)
		o := *q.Config.Bidders[1].Outcome
		q.Config.Bidders[1].Outcome = &o
		change(&q)
		if allows(q) {
			t.Errorf("%s with %s", what, name)
		}
	}
}

// cappedYAML is a world of people whose group's reach is held by its
// frequency cap (1 a person an hour, over a 10-minute run) to about a
// quarter of its budget, beside broad, which its budget holds.
const cappedYAML = `name: capped
seed: 5
stop: {duration: 10m}
traffic: {qps: 400, users: {count: 8000, skew: 0.8}}
exchange: {tmax: 120ms, floor: 0.1}
bidders:
  - {name: reach, group: g, value: {dist: lognormal, median: 2.5, p99: 9}, budget: {total: 60, pacing: multiplier}, frequency_cap: {impressions: 1, per: 1h}, outcome: {ctr: 0.03, cvr: 0.3, order_value: 1, baseline_cvr: 0.0005}}
  - {name: broad, group: g, value: {dist: lognormal, median: 2, p99: 8}, budget: {total: 40, pacing: multiplier}, outcome: {ctr: 0.02, cvr: 0.2, order_value: 1, baseline_cvr: 0.002}}
  - {name: rival, value: {dist: uniform, min: 0.5, max: 4}}
`

// TestCoarseRunsKeepPeople: with people, the coarse races' runs keep what
// a frequency cap over the run does: reach spends the same share of its
// budget in them as in a whole run (about a quarter). Half the horizon
// did not: each person made half the requests while the cap still let
// them see one impression, so reach spent 45% of its halved budget and
// earned about as much as in the whole run, and the coarse moves raced a
// world where budget moved to it was worth twice what it is.
func TestCoarseRunsKeepPeople(t *testing.T) {
	s := searchOf(t, "capped.yaml", []byte(cappedYAML), "g", "incremental_value")
	split := s.Current()
	share := func(m runMode) float64 {
		s.mode = m
		p := s.with(split)
		v, err := experiment.Measure(context.Background(), p, experiment.Seed(5, 0))
		if err != nil {
			t.Fatal(err)
		}
		return v["bidders.reach.spend"] / p.Config.Bidders[0].Budget.Total.Float()
	}
	mode := coarseMode(s.Base)
	w, c := share(whole), share(mode)
	if w > 0.4 {
		t.Fatalf("reach spends %.2f of its budget in a whole run: its cap does not bind, the test proves nothing", w)
	}
	if math.Abs(c-w) > 0.03 {
		t.Errorf("reach spends %.3f of its budget in a whole run, %.3f in the coarse races' (mode %d)", w, c, mode)
	}
}
