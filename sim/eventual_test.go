package sim

import (
	"fmt"
	"testing"
)

// eventualWorld is a world whose conversions take long to mature next
// to its run (a mean delay of a fifth of it), so that many are pending
// at the stop: two members of group g, one converting more and later
// than the other, with people when people > 0, an attribution window
// when window > 0 and a goal bidder among them when goal.
func eventualWorld(seed uint64, people int, window Time, goal bool) Config {
	cfg := world(3, Uniform(0.5, 1.5))
	cfg.Seed = seed
	cfg.Horizon = 10 * Second
	period := Time(0)
	if people > 0 {
		period = Second
		cfg.Traffic.Users = &Users{Count: people, Skew: 1}
	}
	for i, d := range []Time{2 * Second, 4 * Second} {
		b := &cfg.Bidders[i]
		b.Group = "g"
		b.Outcome = &Outcome{CTR: 0.1, CVR: 0.3 + 0.2*float64(i), BaselineCVR: 0.02, OrderValue: MoneyOf(3 + float64(i)),
			Delay: Exponential(float64(d)), AttributionWindow: window, ConversionPeriod: Time(i) * period}
	}
	if goal {
		cfg.Bidders[1].Strategy = Strategy{Kind: TargetROAS, ROAS: 0.5}
	}
	return cfg
}

// The eventual figures at the stop are exactly what the run reaches once
// every conversion pending there has matured, with no auction more: a
// run continued with every bidder switched off until long after the last
// delay. So are a clone's, drained apart (the counters travel with it).
// The matured figures at the stop are below them: they leave out the
// conversions pending.
func TestEventualIsWhatTheDrainedRunReaches(t *testing.T) {
	const stop = 10 * Second
	for _, tc := range []struct {
		people int
		window Time
		goal   bool
	}{{0, 0, false}, {0, 3 * Second, true}, {200, 0, false}, {50, 2 * Second, true}} {
		t.Run(fmt.Sprintf("people=%d,window=%v,goal=%v", tc.people, tc.window, tc.goal), func(t *testing.T) {
			e := mustNew(t, eventualWorld(7, tc.people, tc.window, tc.goal))
			e.RunUntil(stop)
			at := e.Snapshot()
			fork := e.Clone()
			for _, en := range []*Engine{e, fork} {
				for _, b := range at.Bidders {
					if err := en.Apply(SetEnabled{Bidder: b.Name}); err != nil {
						t.Fatal(err)
					}
				}
				// The longest mean delay is 4 s: 400 s leaves a pending
				// conversion with probability e⁻¹⁰⁰.
				en.RunUntil(stop + 400*Second)
			}
			for _, drained := range []*Snapshot{e.Snapshot(), fork.Snapshot()} {
				pending := uint64(0)
				for i, b := range at.Bidders {
					pending += b.Pending
					ev, d := b.Eventual(), drained.Bidders[i]
					if d.Pending != 0 || d.PendingCaused != 0 || d.PendingUnattributed != 0 || d.WithoutAdPending != 0 {
						t.Fatalf("%s still pending after the drain: %+v", b.Name, d)
					}
					if d.Wins != b.Wins || d.Spend != b.Spend {
						t.Fatalf("%s bought more after the stop: %d wins, %v spend; at the stop %d, %v", b.Name, d.Wins, d.Spend, b.Wins, b.Spend)
					}
					type figures struct {
						Caused, Organic, Unattributed, WithoutAd uint64
						Incremental                              int64
						ValueCaused, ValueOrgan, ValueUnattr     Money
						ValueWithoutAd, Incr, Attr               Money
					}
					of := func(x BidderStats) figures {
						return figures{x.Conversions, x.Organic, x.Unattributed, x.WithoutAdConversions(), x.IncrementalConversions(),
							x.ValueCaused, x.ValueOrgan, x.ValueUnattributed, x.ValueWithoutAd, x.IncrementalValue(), x.AttributedValue()}
					}
					if of(ev) != of(d) {
						t.Errorf("%s: eventual at the stop\n%+v\ndrained\n%+v", b.Name, of(ev), of(d))
					}
					if b.HasOutcome && ev.IncrementalConversions() != int64(ev.Conversions+ev.Organic)-int64(ev.WithoutAdConversions()) {
						t.Errorf("%s: eventual incremental %d ≠ caused %d + organic %d − without ad %d", b.Name,
							ev.IncrementalConversions(), ev.Conversions, ev.Organic, ev.WithoutAdConversions())
					}
				}
				if pending < 50 {
					t.Fatalf("only %d conversions pending at the stop: the test shows nothing", pending)
				}
				g, dg := at.Groups[0], drained.Groups[0]
				if g.Eventual.IncrementalValue <= g.IncrementalValue || g.Eventual.CausedConversions <= g.CausedConversions {
					t.Errorf("group eventual %+v not above matured (incremental %v, caused %d)", g.Eventual, g.IncrementalValue, g.CausedConversions)
				}
				want := GroupOutcomes{dg.Conversions, dg.CausedConversions, dg.Eventual.OrganicConversions, dg.WithoutAdConversions,
					dg.IncrementalConversions, dg.AttributedValue, dg.CausedValue, dg.IncrementalValue}
				if g.Eventual != want || dg.Eventual != want {
					t.Errorf("group eventual at the stop %+v, drained %+v; drained matured %+v", g.Eventual, dg.Eventual, want)
				}
				// The catalogue reads the same.
				mv, dv := MetricValues(at), MetricValues(drained)
				for _, n := range []string{"groups.g.eventual.incremental_value", "bidders.b0.eventual.incremental_value", "bidders.b1.eventual.attributed_value"} {
					m := n[:len(n)-len("eventual.incremental_value")] + "incremental_value"
					if n == "bidders.b1.eventual.attributed_value" {
						m = "bidders.b1.attributed_value"
					}
					if mv[n] != dv[m] || mv[n] != dv[n] {
						t.Errorf("%s at the stop %v; drained %s %v, %s %v", n, mv[n], m, dv[m], n, dv[n])
					}
				}
			}
		})
	}
}

// A fork's metric resolves a member's dotted metric: the member is the
// first part, never "g.eventual".
func TestMetricNamedEventual(t *testing.T) {
	e := mustNew(t, eventualWorld(3, 0, 0, false))
	e.RunUntil(5 * Second)
	s := e.Snapshot()
	for _, n := range []string{"groups.g.eventual.incremental_value", "bidders.b1.eventual.caused_conversions"} {
		m, err := MetricNamed(n)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := m.Of(s), MetricValues(s)[n]; got != want || got == 0 {
			t.Errorf("%s: MetricNamed reads %v, the catalogue %v", n, got, want)
		}
	}
	r, ok := RatioNamed("groups.g.eventual.incremental_roas")
	if !ok || r.Num != "groups.g.eventual.incremental_value" || r.Den != "groups.g.spend" {
		t.Errorf("RatioNamed: %+v, %v", r, ok)
	}
}
