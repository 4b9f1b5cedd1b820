package sim

import (
	"math"
	"testing"
)

// truthWorld is a world with people where caused conversions take the
// place of organic ones: people see many impressions of bidder 0
// (retarget) within a long conversion period, a high baseline, and a
// constant delay (which draws nothing on the outcome stream). share is
// its holdout's (0: none).
func truthWorld(seed uint64, share float64) Config {
	cfg := personHoldoutWorld(seed, share, 10*Second, false)
	cfg.Traffic.Users.Count = 1000
	o := cfg.Bidders[0].Outcome
	o.BaselineCVR = 0.05
	o.Delay = Constant(float64(2 * Second))
	return cfg
}

// TestIncrementalIsARecount: with people, a bidder's incremental
// conversions are its conversions less those its people would have made
// without its ads, counted independently of the engine's withoutAd: the
// same world with a cvr so small that no click converts draws every
// outcome alike (the cvr draw is still made, the delay is constant) and
// buys the same impressions, so its organic conversions, kept once per
// period by the conversion path itself, are the first world's
// conversions without the ad.
func TestIncrementalIsARecount(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		run := func(cvr float64) BidderStats {
			cfg := truthWorld(seed, 0)
			cfg.Bidders[0].Outcome.CVR = cvr
			return snapshotAt(t, cfg, 30*Second).Bidders[0]
		}
		a, b := run(0.3), run(math.SmallestNonzeroFloat64)
		if a.Wins != b.Wins || a.Spend != b.Spend || a.Clicks != b.Clicks {
			t.Fatalf("seed %d: the worlds bought apart: wins %d and %d, spend %v and %v", seed, a.Wins, b.Wins, a.Spend, b.Spend)
		}
		if b.Conversions != 0 || a.Conversions == 0 || b.Organic == 0 {
			t.Fatalf("seed %d: caused %d and %d, organic %d without the ad: not the case meant", seed, a.Conversions, b.Conversions, b.Organic)
		}
		if a.WithoutAd != b.Organic {
			t.Errorf("seed %d: %d conversions without the ad, the recount %d", seed, a.WithoutAd, b.Organic)
		}
		want := int64(a.Conversions+a.Organic) - int64(b.Organic)
		if got := a.IncrementalConversions(); got != want {
			t.Errorf("seed %d: incremental conversions %d, the recount %d (caused %d)", seed, got, want, a.Conversions)
		}
		if got, w := a.IncrementalValue(), moneyTimes(orderValue(a), uint64(want)); want >= 0 && got != w {
			t.Errorf("seed %d: incremental value %v, want %v", seed, got.Float(), w.Float())
		}
		// Without a caused conversion the ads add nothing.
		if got := b.IncrementalConversions(); got != 0 {
			t.Errorf("seed %d: %d incremental conversions where the ad causes none", seed, got)
		}
		s := Snapshot{Bidders: []BidderStats{a}}
		if got := MetricValues(&s)["bidders.retarget.incremental_conversions"]; got != float64(want) {
			t.Errorf("seed %d: metric incremental_conversions %v, want %d", seed, got, want)
		}
		if got := MetricValues(&s)["bidders.retarget.caused_conversions"]; got != float64(a.Conversions) {
			t.Errorf("seed %d: metric caused_conversions %v, want %d", seed, got, a.Conversions)
		}
	}
}

// orderValue is b's value per conversion, read back from its caused
// conversions (BidderStats keeps no outcome).
func orderValue(b BidderStats) Money {
	if b.Conversions == 0 {
		return 0
	}
	return b.ValueCaused / Money(b.Conversions)
}

// TestIncrementalWithoutPeopleIsCaused: without people nobody's organic
// conversion depends on another's, so the incremental figures are the
// caused ones exactly, for the bidders and their groups.
func TestIncrementalWithoutPeopleIsCaused(t *testing.T) {
	cfg := holdoutWorld(4, 0.2)
	cfg.Bidders[0].Outcome.BaselineCVR = 0.05
	cfg.Bidders[0].Group, cfg.Bidders[1].Group = "acme", "acme"
	cfg.Bidders[1].Outcome = &Outcome{CTR: 0.2, CVR: 0.2, BaselineCVR: 0.1, OrderValue: MoneyOf(3), Delay: Exponential(float64(Second))}
	s := snapshotAt(t, cfg, 20*Second)
	m := MetricValues(s)
	for _, b := range s.Bidders[:2] {
		if b.Conversions == 0 || b.Organic == 0 || b.Frequency != nil {
			t.Fatalf("%s: caused %d, organic %d: not the case meant", b.Name, b.Conversions, b.Organic)
		}
		if got := b.IncrementalConversions(); got != int64(b.Conversions) {
			t.Errorf("%s: incremental conversions %d, caused %d", b.Name, got, b.Conversions)
		}
		if got := b.IncrementalValue(); got != b.ValueCaused {
			t.Errorf("%s: incremental value %v, caused %v", b.Name, got, b.ValueCaused)
		}
		if got, want := b.IncrementalROAS(), b.CausedROAS(); got != want {
			t.Errorf("%s: incremental ROAS %v, caused %v", b.Name, got, want)
		}
		p := "bidders." + b.Name + "."
		for _, n := range [][2]string{{"incremental_conversions", "caused_conversions"}, {"incremental_value", "caused_value"}, {"incremental_roas", "caused_roas"}, {"without_ad_conversions", "organic_conversions"}} {
			if m[p+n[0]] != m[p+n[1]] {
				t.Errorf("%s%s %v, %s %v", p, n[0], m[p+n[0]], n[1], m[p+n[1]])
			}
		}
	}
	g, _ := s.FindGroup("acme")
	if g.IncrementalConversions != int64(g.CausedConversions) || g.IncrementalValue != g.CausedValue || g.CausedConversions == 0 {
		t.Errorf("group: incremental %d (%v), caused %d (%v)", g.IncrementalConversions, g.IncrementalValue, g.CausedConversions, g.CausedValue)
	}
}

// TestIncrementalIsCausedWhereNothingDisplaces: with people, where no
// caused conversion can take an organic one's place, the truth is the
// caused conversions exactly: without organic conversions (baseline_cvr
// 0), and where each person sees one impression in the run (a cap of one
// over the whole run), whatever the period.
func TestIncrementalIsCausedWhereNothingDisplaces(t *testing.T) {
	for _, tt := range []struct {
		name string
		set  func(*Config)
	}{
		{"no baseline", func(c *Config) { c.Bidders[0].Outcome.BaselineCVR = 0 }},
		{"one impression a person", func(c *Config) {
			c.Traffic.Users.Count = 50_000
			c.Bidders[0].FrequencyCap = &FrequencyCap{Impressions: 1, Per: Hour}
		}},
	} {
		cfg := truthWorld(5, 0)
		tt.set(&cfg)
		b := snapshotAt(t, cfg, 30*Second).Bidders[0]
		if b.Conversions == 0 || b.Frequency == nil {
			t.Fatalf("%s: no caused conversion, or no people", tt.name)
		}
		if tt.name != "no baseline" && (b.Organic == 0 || b.WithoutAd == 0) {
			t.Fatalf("%s: no organic conversion: not the case meant", tt.name)
		}
		if got := b.IncrementalConversions(); got != int64(b.Conversions) {
			t.Errorf("%s: incremental conversions %d, caused %d (organic %d, without the ad %d)", tt.name, got, b.Conversions, b.Organic, b.WithoutAd)
		}
		if got := b.IncrementalValue(); got != b.ValueCaused {
			t.Errorf("%s: incremental value %v, caused %v", tt.name, got.Float(), b.ValueCaused.Float())
		}
	}
}

// TestIncrementalBelowCaused: with people and a caused conversion able
// to take the place of an organic one, the truth lies between 0 and the
// caused conversions, on average over seeds, and clearly below them.
func TestIncrementalBelowCaused(t *testing.T) {
	var incr, caused float64
	const seeds = 4
	for seed := uint64(1); seed <= seeds; seed++ {
		s := snapshotAt(t, truthWorld(10+seed, 0), 30*Second)
		b := s.Bidders[0]
		incr += float64(b.IncrementalConversions())
		caused += float64(b.Conversions)
		if got := s.Saturated(); got != nil {
			t.Fatalf("saturated: %v", got)
		}
		if b.IncrementalProfit() != addMoney(b.IncrementalValue(), -b.Spend).Float() || b.IncrementalROAS() != b.IncrementalValue().Float()/b.Spend.Float() {
			t.Errorf("seed %d: profit %v, ROAS %v do not follow the incremental value %v", seed, b.IncrementalProfit(), b.IncrementalROAS(), b.IncrementalValue().Float())
		}
	}
	incr, caused = incr/seeds, caused/seeds
	t.Logf("mean incremental %.1f, caused %.1f", incr, caused)
	if !(incr > 0 && incr < 0.95*caused) {
		t.Errorf("mean incremental conversions %.1f, caused %.1f: want within (0, 95%% of caused)", incr, caused)
	}
}

// TestIncrementalIsTheHoldoutTruth (formerly TestHoldoutTruth): for a bidder with a holdout by person
// the bidder's incremental figures are the test's truth, and the truth a
// measured ROAS is set beside (HoldoutTruth) is the incremental ROAS in
// either unit; by person the case tells it from the caused ROAS.
func TestIncrementalIsTheHoldoutTruth(t *testing.T) {
	for _, unit := range []HoldoutUnit{HoldoutByPerson, HoldoutByRequest} {
		cfg := truthWorld(6, 0.3)
		cfg.Bidders[0].Outcome.HoldoutUnit = unit
		b := snapshotAt(t, cfg, 20*Second).Bidders[0]
		if got, want := b.HoldoutTruth(), b.IncrementalROAS(); got != want && !(math.Abs(got-want) <= 1e-12*math.Abs(want)) {
			t.Errorf("%v: HoldoutTruth %v, incremental ROAS %v", unit, got, want)
		}
		if unit != HoldoutByPerson {
			continue
		}
		h := b.Holdout
		if got, want := float64(b.IncrementalConversions()), h.TrueIncrementalConversions(); got != want {
			t.Errorf("by person: incremental conversions %v, the holdout's truth %v", got, want)
		}
		if h.CounterfactualConversions != b.WithoutAd || h.TreatedConversions != b.Conversions+b.Organic {
			t.Errorf("by person: the holdout's truth counts %d − %d, the bidder's %d + %d − %d", h.TreatedConversions, h.CounterfactualConversions, b.Conversions, b.Organic, b.WithoutAd)
		}
		if b.IncrementalROAS() == b.CausedROAS() {
			t.Errorf("by person: the case does not tell the truth from the caused: %v", b.CausedROAS())
		}
	}
}

// TestCloneKeepsItsOwnTruth: a clone (a fork's B) keeps its own record of
// the conversions without the ads, each person's last one and those yet
// to happen: changed and run first, the clone leaves the original's truth
// exactly that of a run never cloned, and an unchanged clone's truth runs
// on as the original's.
func TestCloneKeepsItsOwnTruth(t *testing.T) {
	cfg := truthWorld(7, 0)
	e, ref := mustNew(t, cfg), mustNew(t, cfg)
	e.RunUntil(10 * Second)
	ref.RunUntil(10 * Second)
	changed, same := e.Clone(), e.Clone()
	if err := changed.Apply(SetEnabled{Bidder: cfg.Bidders[1].Name, Enabled: false}); err != nil {
		t.Fatal(err)
	}
	changed.RunUntil(25 * Second)
	same.RunUntil(25 * Second)
	e.RunUntil(25 * Second)
	ref.RunUntil(25 * Second)
	b, r := e.Snapshot().Bidders[0], ref.Snapshot().Bidders[0]
	c, s := changed.Snapshot().Bidders[0], same.Snapshot().Bidders[0]
	if b.WithoutAd == 0 || c.Wins == b.Wins {
		t.Fatalf("without the ad %d, wins %d and %d in the changed clone: not the case meant", b.WithoutAd, b.Wins, c.Wins)
	}
	if b.WithoutAd != r.WithoutAd || b.IncrementalConversions() != r.IncrementalConversions() {
		t.Errorf("the original after its clone ran: %d without the ad (incremental %d), never cloned %d (%d)",
			b.WithoutAd, b.IncrementalConversions(), r.WithoutAd, r.IncrementalConversions())
	}
	if s.WithoutAd != b.WithoutAd || s.ValueWithoutAd != b.ValueWithoutAd {
		t.Errorf("an unchanged clone: %d without the ad, the original %d", s.WithoutAd, b.WithoutAd)
	}
}
