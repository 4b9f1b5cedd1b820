package scenarios

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/auctionsim/auctionsim/sim"
)

// liveOf follows a bundled scenario.
func liveOf(t *testing.T, name string) *Live {
	t.Helper()
	data, err := Source(name)
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLive(name+".yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// sameChange compares two changes by what the engine uses: a lognormal
// keeps its median and p99 for messages only.
func sameChange(a, b sim.Change) bool {
	la, okA := a.(sim.SetLatency)
	lb, okB := b.(sim.SetLatency)
	if okA && okB {
		return la.Bidder == lb.Bidder && sameDist(la.Latency, lb.Latency)
	}
	return reflect.DeepEqual(a, b)
}

func sameDist(a, b sim.Dist) bool {
	if a.Kind != b.Kind || a.A != b.A || a.B != b.B || len(a.Parts) != len(b.Parts) {
		return false
	}
	for i := range a.Parts {
		if a.Parts[i].Weight != b.Parts[i].Weight || !sameDist(a.Parts[i].Dist, b.Parts[i].Dist) {
			return false
		}
	}
	return true
}

// TestAssignmentsRoundTrip writes every kind of change that is an
// assignment as its path and value, and reads it back through Live (the
// override, the parser and sim.Diff) to the same change, bit for bit;
// each kind of change is covered, so a new kind fails here until it has
// a path.
func TestAssignmentsRoundTrip(t *testing.T) {
	ms := float64(sim.Millisecond)
	changes := []sim.Change{
		sim.SetTmax{Tmax: 123456789},
		sim.SetTmax{Tmax: 80 * sim.Millisecond},
		sim.SetFloor{Floor: sim.PriceOf(0.1 + 0.2)},
		sim.SetFloor{Floor: sim.PriceOf(0.1)}, // the file's own value: a no-op that still applies
		sim.SetAuction{Auction: sim.FirstPrice},
		sim.SetIncrement{Increment: sim.PriceOf(1e-5)},
		sim.SetQPS{QPS: 1234.5678},
		sim.SetLatency{Bidder: "rival-a", Latency: sim.LogNormalMedianP99(40*ms, 123*ms)},
		sim.SetLatency{Bidder: "rival-a", Latency: sim.LogNormalMedianP99(40*ms, 123*ms).Scale(1 / 1.25)},
		sim.SetLatency{Bidder: "rival-a", Latency: sim.Mixture(sim.Part{Weight: 0.9, Dist: sim.Constant(30 * ms)}, sim.Part{Weight: 1.0 / 3, Dist: sim.Uniform(1*ms, 2*ms+1)})},
		sim.SetLatency{Bidder: "rival-a", Latency: sim.Normal(40*ms, 5*ms)},
		sim.SetLatency{Bidder: "rival-a", Latency: sim.Exponential(25 * ms)},
		// Fractions of a nanosecond, as scaling by a factor makes them.
		sim.SetLatency{Bidder: "rival-a", Latency: sim.Uniform(1e-3, 25*ms*1.25*1.25*1.25/3)},
		sim.SetLatency{Bidder: "rival-a", Latency: sim.Normal(40*ms/3, 0.5).Scale(1 / 1.25)},
		sim.SetLatency{Bidder: "rival-a", Latency: sim.Constant(5e-324)},
		sim.SetBudget{Bidder: "acme-prospect", Total: sim.MoneyOf(1e3 / 3)},
		// The smallest and the largest amounts and prices the types hold
		// in range: exact to the nano-unit and the micro-CPM.
		sim.SetBudget{Bidder: "acme-prospect", Total: 1}, // raw: one nano-unit
		sim.SetBudget{Bidder: "acme-prospect", Total: 1234567*sim.MoneyUnit + 1},
		sim.SetBudget{Bidder: "acme-prospect", Total: sim.MaxCurrency * sim.MoneyUnit},
		sim.SetFloor{Floor: 1}, // raw: one micro-CPM
		sim.SetIncrement{Increment: sim.MaxCPM*sim.PriceUnit - 1},
		sim.SetStrategy{Bidder: "rival-b", Strategy: sim.Strategy{Kind: sim.Fixed, Bid: 123456789}}, // raw: micro-CPM
		sim.SetBudget{Bidder: "acme-prospect", Unlimited: true},
		sim.SetStrategy{Bidder: "rival-b", Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.85}},
		sim.SetStrategy{Bidder: "rival-b", Strategy: sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(2.5)}},
		sim.SetStrategy{Bidder: "rival-b", Strategy: sim.Strategy{Kind: sim.Truthful}},
		sim.SetStrategy{Bidder: "rival-b", Strategy: sim.Strategy{Kind: sim.Equilibrium}},
		sim.SetStrategy{Bidder: "rival-b", Strategy: sim.Strategy{Kind: sim.Learn}},
		sim.SetStrategy{Bidder: "rival-b", Strategy: sim.Strategy{Kind: sim.Learn, Arms: 10, Epsilon: 0.25}},
		sim.SetStrategy{Bidder: "rival-b", Strategy: sim.Strategy{Kind: sim.Learn, Epsilon: 0.05}},
		sim.SetStrategy{Bidder: "acme-prospect", Strategy: sim.Strategy{Kind: sim.TargetCPA, CPA: sim.MoneyOf(0.35)}},
		sim.SetStrategy{Bidder: "acme-prospect", Strategy: sim.Strategy{Kind: sim.TargetROAS, ROAS: 2.5}},
		sim.SetStrategy{Bidder: "acme-prospect", Strategy: sim.Strategy{Kind: sim.TargetROAS, ROAS: 1.0 / 3, On: sim.OnIncremental}},
		sim.SetPacing{Bidder: "acme-lookalike", Pacing: sim.PacingThrottle},
		sim.SetPacing{Bidder: "acme-lookalike", Pacing: sim.PacingMultiplier}, // unchanged
		sim.SetEnabled{Bidder: "rival-a", Enabled: false},
		sim.SetEnabled{Bidder: "rival-b", Enabled: true}, // unchanged
		sim.SetAbandonment{Abandonment: sim.Abandonment{Per100ms: 0.1 + 0.2, Grace: 123456789}},
		sim.SetAbandonment{}, // nobody leaves: unchanged, applied still
	}
	kinds := map[string]bool{}
	for _, c := range changes {
		sets, ok := Assignments(c)
		if !ok || len(sets) != 1 {
			t.Errorf("%v: no assignment", c)
			continue
		}
		l := liveOf(t, "budget-split")
		got, err := l.Set(sets)
		if err != nil {
			t.Errorf("%v as %s: %v", c, sets[0], err)
			continue
		}
		if len(got) != 1 || !sameChange(got[0], c) {
			t.Errorf("%v as %s: read back %#v", c, sets[0], got)
		}
		kinds[c.Kind()] = true
	}
	// Every kind is an assignment, but for the named ones.
	named := map[string]bool{sim.KindMoveBudget: true, sim.KindLatencyScale: true,
		sim.KindFrequencyCap: true, // needs people, which budget-split lacks: TestFrequencyCapLiveAssignments
		sim.KindDaily:        true, // needs a daily budget, which budget-split lacks: TestDailyBudgetLive
	}

	for _, k := range sim.Kinds() {
		if !kinds[k] && !named[k] {
			t.Errorf("kind %s: no assignment tested", k)
		}
	}
	if _, ok := Assignments(sim.MoveBudget{From: "a", To: "b", Amount: sim.MoneyOf(1)}); ok {
		t.Error("a budget move has an assignment")
	}
	if _, ok := Assignments(sim.SetLatency{Bidder: "a", Latency: sim.Constant(1 << 63)}); ok {
		t.Error("a latency past a duration's range was written as an assignment")
	}
}

// TestLiveMessages checks that a live assignment is refused with --set's
// messages, naming the assignment, and that one which is not live is
// refused too.
func TestLiveMessages(t *testing.T) {
	for _, c := range []struct{ set, want string }{
		{"exchange.tmaxx=80ms", "did you mean tmax?"},
		{"bidders.rival-c.latency.median=80ms", "did you mean rival-a?"},
		{"exchange.floor=-1", ":exchange.floor=-1: "},
		{"bidders.rival-a.capacity={workers: 3, service: {dist: exponential, mean: 5ms}}", "cannot change during a run"},
		{"seed=4", "cannot change during a run"},
		// The field as typed, once after the line, as sim's refusals name
		// theirs (the dashboard shows it without the line): it said "stop".
		{"stop.duration=5s", ":stop.duration=5s: stop.duration: cannot change during a run (live: exchange.auction,"},
		{"bidders=[]", "set a bidder's fields one at a time"},
	} {
		s, err := ParseSet(":", c.set)
		if err != nil {
			t.Fatal(err)
		}
		_, err = liveOf(t, "budget-split").Set([]Set{s})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.set, err, c.want)
		}
	}
	// A part of a field sets the field from the rest of its value.
	l := liveOf(t, "budget-split")
	got, err := l.Set([]Set{{Path: "bidders.rival-a.latency.median", Value: "80ms"}})
	want := sim.LogNormalMedianP99(80*float64(sim.Millisecond), 100*float64(sim.Millisecond))
	if err != nil || len(got) != 1 || !sameChange(got[0], sim.SetLatency{Bidder: "rival-a", Latency: want}) {
		t.Errorf("median: %v %v", got, err)
	}
	// Every bidder at once.
	got, err = l.Set([]Set{{Path: "bidders.*.disabled", Value: "true"}})
	if err != nil || len(got) != 5 {
		t.Errorf("every bidder: %v %v", got, err)
	}
}

// TestLiveFollowsMoves follows a budget move as its two assignments.
func TestLiveFollowsMoves(t *testing.T) {
	l := liveOf(t, "budget-split")
	if err := l.Follow(sim.MoveBudget{From: "acme-retarget", To: "acme-prospect", Amount: sim.MoneyOf(50)}); err != nil {
		t.Fatal(err)
	}
	cfg := l.Config()
	if cfg.Bidders[0].Budget.Total.Float() != 150 || cfg.Bidders[1].Budget.Total.Float() != 250 {
		t.Errorf("after the move: %v, %v", cfg.Bidders[0].Budget, cfg.Bidders[1].Budget)
	}
	was := l.Config().Bidders[3].Latency.Mean()
	if err := l.Follow(sim.ScaleLatency{Bidder: "rival-a", Factor: 2}); err != nil {
		t.Fatal(err)
	}
	if got := l.Config().Bidders[3].Latency.Mean(); got < 2*was-1e3 || got > 2*was+1e3 {
		t.Errorf("scaled latency mean %g, want twice %g", got, was)
	}
}

// propWorld leaves room for any value in range: one request a second.
const propWorld = `name: prop
stop: {duration: 10m}
traffic: {qps: 1}
exchange: {tmax: 100ms}
bidders:
  - {name: a, latency: 10ms, value: 1, budget: {total: 100}}
  - {name: b-c, latency: 10ms, value: 1}
`

// TestAssignmentsExact draws changes with arbitrary values in range and
// checks that each reads back from its assignment bit for bit: prices,
// rates and amounts as floats, durations with fractions of a nanosecond,
// lognormals from any mu and sigma.
func TestAssignmentsExact(t *testing.T) {
	base, err := NewLive("prop.yaml", []byte(propWorld))
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		c := drawChange(t, []string{"a", "b-c"})
		sets, ok := Assignments(c)
		if !ok {
			t.Fatalf("%v: no assignment", c)
		}
		// By the quick route and by the full one (livefast.go).
		for _, full := range []bool{false, true} {
			l := *base
			l.full = full
			got, err := l.Set(sets)
			if err != nil {
				t.Fatalf("%v as %s (full route %v): %v", c, sets[0], full, err)
			}
			if len(got) != 1 || !sameChange(got[0], c) {
				t.Fatalf("%v as %s (full route %v): read back %#v", c, sets[0], full, got)
			}
		}
	})
}

// drawChange draws a change with arbitrary values in range, to one of
// bidders when it is a bidder's: prices, rates and amounts as floats,
// durations with fractions of a nanosecond, lognormals from any mu and
// sigma.
func drawChange(t *rapid.T, bidders []string) sim.Change {
	ns := func(t *rapid.T, label string) float64 { return rapid.Float64Range(0, 1e9).Draw(t, label) }
	var dist func(t *rapid.T, depth int) sim.Dist
	dist = func(t *rapid.T, depth int) sim.Dist {
		switch k := rapid.IntRange(0, 5).Draw(t, "kind"); {
		case k == 0:
			return sim.Constant(ns(t, "value"))
		case k == 1:
			lo := ns(t, "min")
			return sim.Uniform(lo, lo+ns(t, "width"))
		case k == 2:
			return sim.Normal(ns(t, "mean"), ns(t, "sd"))
		case k == 3:
			return sim.Exponential(rapid.Float64Range(1e-3, 1e9).Draw(t, "mean"))
		case k == 4 || depth > 1:
			// Below e⁸ ns, 3µs, a median may have no exact text.
			mu := rapid.Float64Range(8, math.Log(1e8)).Draw(t, "mu")
			return sim.LogNormal(mu, rapid.Float64Range(0, 1).Draw(t, "sigma"))
		default:
			return sim.Mixture(sim.Part{Weight: rapid.Float64Range(0.01, 10).Draw(t, "w1"), Dist: dist(t, depth+1)},
				sim.Part{Weight: rapid.Float64Range(0.01, 10).Draw(t, "w2"), Dist: dist(t, depth+1)})
		}
	}
	bidder := func(t *rapid.T) string { return rapid.SampledFrom(bidders).Draw(t, "bidder") }
	switch rapid.IntRange(0, 8).Draw(t, "change") {
	case 8:
		return sim.SetAbandonment{Abandonment: sim.Abandonment{
			Per100ms: rapid.Float64Range(0, 1).Draw(t, "per_100ms"),
			Grace:    sim.Time(rapid.Int64Range(0, int64(sim.Hour)).Draw(t, "grace")),
		}}
	case 0:
		return sim.SetTmax{Tmax: sim.Time(rapid.Int64Range(1, int64(sim.Hour)).Draw(t, "tmax"))}
	case 1:
		return sim.SetFloor{Floor: sim.PriceOf(rapid.Float64Range(0, 1000).Draw(t, "floor"))}
	case 2:
		return sim.SetIncrement{Increment: sim.PriceOf(rapid.Float64Range(0, 1000).Draw(t, "increment"))}
	case 3:
		return sim.SetQPS{QPS: rapid.Float64Range(sim.MinQPS, 10).Draw(t, "qps")}
	case 4:
		return sim.SetLatency{Bidder: bidder(t), Latency: dist(t, 0)}
	case 5:
		return sim.SetBudget{Bidder: bidder(t), Total: sim.MoneyOf(rapid.Float64Range(0, 1e6).Draw(t, "total"))}
	case 6:
		return sim.SetStrategy{Bidder: bidder(t), Strategy: sim.Strategy{Kind: sim.Shade, Factor: rapid.Float64Range(0.001, 10).Draw(t, "factor")}}
	default:
		return sim.SetStrategy{Bidder: bidder(t), Strategy: sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(rapid.Float64Range(0, 1000).Draw(t, "bid"))}}
	}
}
