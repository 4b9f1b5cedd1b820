package scenarios

import (
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/auctionsim/auctionsim/sim"
)

// quickWorld has what the quick route must check across fields: a
// deadline chain that tmax must leave room for, a stop in auctions from
// which the horizon follows the rate, paced and unpaced budgets, and a
// bidder without one.
const quickWorld = `name: quick
stop: {auctions: 100000, duration: 10m}
traffic: {qps: 100}
exchange:
  tmax: 100ms
  floor: 0.1
  tmax_adjustments: {request_processing: 20ms, network_buffer: 10ms}
bidders:
  - {name: a, latency: 10ms, value: 1, budget: {total: 100, pacing: throttle}}
  - {name: b-c, latency: {dist: lognormal, median: 20ms, p99: 60ms}, value: 1}
  - name: d_e
    latency: 30ms
    value: {dist: uniform, min: 0.5, max: 2}
    budget: {total: 50}
    strategy: {kind: shade, factor: 0.8}
`

// drawSet draws an assignment: mostly the canonical one of a valid
// change, else a value out of range or of the wrong kind, a path to part
// of a field or to every bidder, or one that cannot change live.
func drawSet(t *rapid.T, bidders []string) Set {
	if rapid.IntRange(0, 2).Draw(t, "valid") > 0 {
		sets, ok := Assignments(drawChange(t, bidders))
		if !ok {
			t.Fatalf("no assignment")
		}
		return sets[0]
	}
	b := "bidders." + rapid.SampledFrom(bidders).Draw(t, "bidder") + "."
	odd := rapid.SampledFrom([]Set{
		{Path: "exchange.tmax", Value: "5ms"}, // below the deadline chain
		{Path: "exchange.tmax", Value: "0s"},
		{Path: "exchange.tmax", Value: "80"},
		{Path: "exchange.tmax", Value: "0.08"},
		{Path: "exchange.tmax", Value: "null"},
		{Path: "exchange.tmax", Value: `"80ms"`},
		{Path: "exchange.floor", Value: "-1"},
		{Path: "exchange.floor", Value: ".nan"},
		{Path: "exchange.floor", Value: ""},
		{Path: "exchange.floor", Value: "1e400"},
		{Path: "exchange.floor", Value: "80ms"},
		{Path: "exchange.increment", Value: "x"},
		{Path: "exchange.auction", Value: "third-price"},
		{Path: "exchange.auction", Value: "first-price"},
		{Path: "exchange.auction", Value: "second-price"},
		{Path: "exchange.auction", Value: "5"},
		{Path: "traffic.qps", Value: "1e12"},
		{Path: "traffic.qps", Value: "0"},
		{Path: "traffic.qps", Value: "0.5"},
		{Path: "traffic.qps", Value: "100"},
		{Path: "exchange.tmaxx", Value: "80ms"},
		{Path: "exchange.tmax_adjustments.network_buffer", Value: "90ms"},
		{Path: "seed", Value: "3"},
		{Path: "stop.duration", Value: "5s"},
		{Path: "horizon", Value: "10m"},
		{Path: "bidders.zz.disabled", Value: "true"},
		{Path: "bidders.*.disabled", Value: "true"},
		{Path: "bidders.*.budget.total", Value: "5"},
		{Path: b + "latency", Value: "{dist: cauchy}"},
		{Path: b + "latency", Value: "{dist: constant, value: -5ms}"},
		{Path: b + "latency", Value: "{dist: lognormal, median: 40ms}"},
		{Path: b + "latency", Value: "40ms"},
		{Path: b + "latency", Value: "[1, 2]"},
		{Path: b + "latency", Value: "{}"},
		{Path: b + "latency.median", Value: "15ms"},
		{Path: b + "strategy", Value: "{kind: shade}"},
		{Path: b + "strategy", Value: "{kind: fixed, factor: 1}"},
		{Path: b + "strategy", Value: "{kind: truthful}"},
		{Path: b + "strategy", Value: "kind: truthful"},
		{Path: b + "strategy.factor", Value: "0.5"},
		{Path: b + "budget", Value: "null"},
		{Path: b + "budget", Value: "{total: 5, pacing: multiplier}"},
		{Path: b + "budget", Value: "{pacing: multiplier}"},
		{Path: b + "budget", Value: "5"},
		{Path: b + "budget.total", Value: "-5"},
		{Path: b + "budget.total", Value: "12.5"},
		{Path: b + "budget.pacing", Value: "throttle"},
		{Path: b + "budget.pacing", Value: "none"},
		{Path: b + "budget.pacing", Value: "eager"},
		{Path: b + "disabled", Value: "yes"},
		{Path: b + "disabled", Value: "true"},
		{Path: b + "disabled", Value: "false"},
		{Path: b + "disabled", Value: "&x true"},
		{Path: b + "value", Value: "2"},
		{Path: b + "name", Value: "z"},
	}).Draw(t, "odd")
	return odd
}

// TestLiveQuickSameAsFull makes random sequences of assignments, valid
// and not, one or two at a time, by the quick route and by the full one
// (the override, the parser and sim.Diff), and checks that they give the
// same changes, the same errors, word for word, and the same
// configuration after each; and that the text the quick route writes at
// the end parses to its configuration.
func TestLiveQuickSameAsFull(t *testing.T) {
	// In the second world the horizon is planned from the rate: a change
	// of rate leaves it as the run planned it at its start.
	var worlds []*Live
	for _, text := range []string{quickWorld, strings.Replace(quickWorld, "{auctions: 100000, duration: 10m}", "{auctions: 2000}", 1)} {
		l, err := NewLive("quick.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		if !l.quick {
			t.Fatal("the quick route is off for a plain scenario")
		}
		worlds = append(worlds, l)
	}
	bidders := []string{"a", "b-c", "d_e"}
	var quick, steps int
	rapid.Check(t, func(t *rapid.T) {
		base := rapid.SampledFrom(worlds).Draw(t, "world")
		q, f := *base, *base
		f.full = true
		for i := range rapid.IntRange(1, 40).Draw(t, "steps") {
			sets := []Set{drawSet(t, bidders)}
			if rapid.IntRange(0, 4).Draw(t, "two") == 0 {
				sets = append(sets, drawSet(t, bidders))
			}
			gotQ, errQ := q.Set(sets)
			gotF, errF := f.Set(sets)
			steps++
			if errQ == nil && q.pending != nil {
				quick++
			}
			if (errQ == nil) != (errF == nil) || errQ != nil && errQ.Error() != errF.Error() {
				t.Fatalf("step %d %v: quick route %v, full route %v", i, sets, errQ, errF)
			}
			if len(gotQ) != len(gotF) {
				t.Fatalf("step %d %v: quick route %v, full route %v", i, sets, gotQ, gotF)
			}
			for j := range gotQ {
				if !reflect.DeepEqual(gotQ[j], gotF[j]) {
					t.Fatalf("step %d %v: change %d: quick route %#v, full route %#v", i, sets, j, gotQ[j], gotF[j])
				}
			}
			if !reflect.DeepEqual(q.Config(), f.Config()) {
				t.Fatalf("step %d %v: configurations differ:\nquick %+v\nfull  %+v", i, sets, q.Config(), f.Config())
			}
		}
		text := q.YAML()
		s, err := Parse("quick.yaml", text)
		if err != nil {
			t.Fatalf("the quick route's text does not parse: %v\n%s", err, text)
		}
		// The text plans its own horizon from its rate; the run keeps
		// the one planned at its start (Live.Set), the base world's.
		if h := base.Config().Horizon; q.Config().Horizon != h {
			t.Fatalf("the horizon moved from %v to %v", h, q.Config().Horizon)
		}
		s.Config.Horizon = q.Config().Horizon
		if !reflect.DeepEqual(s.Config, q.Config()) {
			t.Fatalf("the quick route's text parses to\n%+v\nnot\n%+v\n%s", s.Config, q.Config(), text)
		}
	})
	// Most valid assignments go the quick route, or it is not tested.
	if quick < steps/4 {
		t.Errorf("%d of %d steps went the quick route", quick, steps)
	}
	t.Logf("%d of %d steps went the quick route", quick, steps)
}

// TestLiveQuickOff: a scenario whose text shares values through anchors
// and aliases is followed by the full route, and a path assignment sets
// that path alone: increment, an alias of floor's anchor, keeps its
// value, as a script's step and the engine's typed change do.
func TestLiveQuickOff(t *testing.T) {
	shared := strings.Replace(quickWorld, "floor: 0.1", "floor: &p 0.1\n  increment: *p", 1)
	l, err := NewLive("shared.yaml", []byte(shared))
	if err != nil {
		t.Fatal(err)
	}
	if l.quick {
		t.Fatal("the quick route is on for a text with aliases")
	}
	got, err := l.Set([]Set{{Path: "exchange.floor", Value: "0.25"}})
	want := []sim.Change{sim.SetFloor{Floor: sim.PriceOf(0.25)}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("floor through an anchor: %v %v, want %v", got, err, want)
	}
	// The increment, written out, is its own value from then on.
	got, err = l.Set([]Set{{Path: "exchange.increment", Value: "0.05"}})
	want = []sim.Change{sim.SetIncrement{Increment: sim.PriceOf(0.05)}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("increment, an alias: %v %v, want %v", got, err, want)
	}
}

// TestLiveQuickTakes: the canonical assignment of every kind of change
// that has one, as the change log records it, goes the quick route (a
// replay reads them all so), and reads back to the change.
func TestLiveQuickTakes(t *testing.T) {
	ms := float64(sim.Millisecond)
	for _, c := range []sim.Change{
		sim.SetTmax{Tmax: 1500 * sim.Microsecond},
		sim.SetTmax{Tmax: 123456789},
		sim.SetFloor{Floor: sim.PriceOf(0.1 + 0.2)},
		sim.SetIncrement{Increment: sim.PriceOf(1e-5)},
		sim.SetAuction{Auction: sim.FirstPrice},
		sim.SetQPS{QPS: 1234.5678},
		sim.SetLatency{Bidder: "rival-a", Latency: sim.LogNormalMedianP99(40*ms, 123*ms)},
		sim.SetLatency{Bidder: "rival-a", Latency: sim.LogNormalMedianP99(40*ms, 123*ms).Scale(1 / 1.25)},
		sim.SetLatency{Bidder: "rival-a", Latency: sim.Mixture(sim.Part{Weight: 0.9, Dist: sim.Constant(30 * ms)}, sim.Part{Weight: 1.0 / 3, Dist: sim.Uniform(1*ms, 2*ms+1)})},
		sim.SetLatency{Bidder: "rival-a", Latency: sim.Uniform(1e-3, 25*ms*1.25*1.25*1.25/3)},
		sim.SetBudget{Bidder: "acme-prospect", Total: sim.MoneyOf(1e3 / 3)},
		sim.SetBudget{Bidder: "acme-prospect", Unlimited: true},
		sim.SetStrategy{Bidder: "rival-b", Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.85}},
		sim.SetStrategy{Bidder: "rival-b", Strategy: sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(2.5)}},
		sim.SetPacing{Bidder: "acme-lookalike", Pacing: sim.PacingThrottle},
		sim.SetEnabled{Bidder: "rival-a", Enabled: false},
		sim.SetAbandonment{Abandonment: sim.Abandonment{Per100ms: 0.1 + 0.2, Grace: 123456789}},
	} {
		sets, _ := Assignments(c)
		l := liveOf(t, "budget-split")
		if !l.quick {
			t.Fatal("the quick route is off for budget-split")
		}
		got, err := l.Set(sets)
		if err != nil || len(got) != 1 || !sameChange(got[0], c) {
			t.Errorf("%v as %s: %v, %v", c, sets, got, err)
		}
		if l.pending == nil {
			t.Errorf("%v as %s: not the quick route", c, sets)
		}
	}
}

// TestLiveQuickBounds: near the file's size limit the quick route steps
// aside (the full one refuses a text that grows past it), and its pending
// assignments are written into the text first.
func TestLiveQuickBounds(t *testing.T) {
	pad := "# " + strings.Repeat("x", 78) + "\n"
	big := strings.Repeat(pad, quickMaxSize/len(pad)-len(quickWorld)/len(pad)-2) + quickWorld
	l, err := NewLive("big.yaml", []byte(big))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Set([]Set{{Path: "exchange.floor", Value: "0.5"}}); err != nil {
		t.Fatal(err)
	}
	// Each path may add to the text once.
	sets := []Set{
		{Path: "exchange.increment", Value: "0.01"},
		{Path: "bidders.b-c.disabled", Value: "true"},
		{Path: "bidders.d_e.strategy", Value: "{kind: fixed, bid: 2}"},
		{Path: "exchange.tmax", Value: "90ms"},
		{Path: "bidders.a.budget.total", Value: "139"},
	}
	var quick int
	for _, set := range sets {
		if _, err := l.Set([]Set{set}); err != nil {
			t.Fatal(err)
		}
		if l.pending != nil {
			quick++
		}
	}
	t.Logf("%d of %d by the quick route", quick, len(sets))
	if quick == len(sets) {
		t.Error("the quick route never stepped aside near the size limit")
	}
	s, err := Parse("big.yaml", l.YAML())
	if err != nil || s.Config.Exchange.Floor.CPM() != 0.5 || s.Config.Bidders[0].Budget.Total.Float() != 139 || !reflect.DeepEqual(s.Config, l.Config()) {
		t.Errorf("the text after: %v, %+v", err, l.Config())
	}
}
