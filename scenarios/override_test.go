package scenarios

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/auctionsim/auctionsim/sim"
)

func sets(t *testing.T, texts ...string) []Set {
	t.Helper()
	var out []Set
	for _, text := range texts {
		s, err := ParseSet("--set", text)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func bidderOf(t *testing.T, s *Scenario, name string) sim.BidderConfig {
	t.Helper()
	for _, b := range s.Config.Bidders {
		if b.Name == name {
			return b
		}
	}
	t.Fatalf("no bidder %s", name)
	return sim.BidderConfig{}
}

// checkEffective checks that the effective YAML parses to the scenario
// that ResolveWith returned.
func checkEffective(t *testing.T, s *Scenario, text []byte) {
	t.Helper()
	again, err := Parse("effective.yaml", text)
	if err != nil {
		t.Fatalf("the effective YAML does not parse: %v\n%s", err, text)
	}
	if !reflect.DeepEqual(again.Config, s.Config) || again.Stop != s.Stop {
		t.Fatalf("the effective YAML parses to another scenario:\n%s", text)
	}
}

func TestOverridesApply(t *testing.T) {
	s, text, err := ResolveWith("timeout-demo", sets(t,
		"exchange.floor=0.3",
		"exchange.tmax=80ms",
		"traffic.qps=2000",
		"bidders.swift.budget.total=100",
		"bidders.metro.latency={dist: constant, value: 90ms}",
		"bidders.tail.no_bid=0.25",                         // added to a block mapping
		"bidders.tail.strategy={kind: shade, factor: 0.8}", // added, a mapping
		"seed=7",
		"stop.auctions=5000",
	))
	if err != nil {
		t.Fatal(err)
	}
	x := s.Config.Exchange
	if x.Floor.CPM() != 0.3 || x.Tmax != sim.FromDuration(80*time.Millisecond) || s.Config.Traffic.QPS != 2000 {
		t.Errorf("exchange %+v qps %v", x, s.Config.Traffic.QPS)
	}
	if b := bidderOf(t, s, "swift"); b.Budget.Total.Float() != 100 || b.Budget.Pacing != sim.PacingMultiplier {
		t.Errorf("swift budget %+v", b.Budget)
	}
	if b := bidderOf(t, s, "metro"); !reflect.DeepEqual(b.Latency, sim.Constant(float64(90*sim.Millisecond))) {
		t.Errorf("metro latency %v", b.Latency)
	}
	if b := bidderOf(t, s, "tail"); b.NoBid != 0.25 || b.Strategy.Kind != sim.Shade || b.Strategy.Factor != 0.8 {
		t.Errorf("tail %+v", b)
	}
	if s.Config.Seed != 7 || s.Stop.Auctions != 5000 || s.Source != "bundled:timeout-demo" {
		t.Errorf("seed %d stop %v source %s", s.Config.Seed, s.Stop, s.Source)
	}
	if !strings.Contains(string(text), "# timeout-demo: auctionsim's default scenario.") {
		t.Errorf("comments lost:\n%s", text)
	}
	checkEffective(t, s, text)

	// The original is unchanged and without overrides the text is the file's.
	orig, otext, err := ResolveWith("timeout-demo", nil)
	if err != nil {
		t.Fatal(err)
	}
	if src, _ := Source("timeout-demo"); string(src) != string(otext) || orig.Config.Exchange.Floor.CPM() != 0.1 {
		t.Error("no overrides should give the file itself")
	}
}

func TestOverrideWildcardAndFlowBidders(t *testing.T) {
	s, text, err := ResolveWith("reserve-price", sets(t, "bidders.*.strategy={kind: shade, factor: 0.9}", "bidders.*.strategy.factor=0.7", "bidders.bo.no_bid=0.5"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range s.Config.Bidders {
		if b.Strategy.Kind != sim.Shade || b.Strategy.Factor != 0.7 {
			t.Errorf("%s: %+v", b.Name, b.Strategy)
		}
	}
	if bidderOf(t, s, "bo").NoBid != 0.5 || bidderOf(t, s, "ada").NoBid != 0 {
		t.Error("no_bid on the wrong bidder")
	}
	checkEffective(t, s, text)
}

func TestOverrideErrorsNameTheFlag(t *testing.T) {
	cases := []struct {
		sc   string
		set  string
		want string
	}{
		{"timeout-demo", "bidders.metro.latency.median=abc", `--set bidders.metro.latency.median=abc: want a duration such as "120ms" or "1m30s", got "abc"`},
		{"timeout-demo", "bidders.metrp.latency.median=90ms", `--set bidders.metrp.latency.median=90ms: no bidder named "metrp"; did you mean metro?`},
		{"timeout-demo", "exchange.flor=0.3", "--set exchange.flor=0.3: unknown field; did you mean floor?"},
		{"timeout-demo", "exchange.floor=-1", "--set exchange.floor=-1: -1 must be ≥ 0"},
		{"timeout-demo", "bidders.*.strategy.factor=0.9", "--set bidders.*.strategy.factor=0.9: bidders.*.strategy.factor (swift, tail, harbor, atlas, summit and glacier): applies only to kind shade"},
		// A kind alone keeps the old kind's fields: the message points to the whole strategy.
		{"first-vs-second", "bidders.*.strategy.kind=truthful", "--set bidders.*.strategy.kind=truthful: bidders.*.strategy.factor (every bidder): applies only to kind shade; strategy.kind alone keeps the strategy's other fields: set the whole strategy, --set 'bidders.*.strategy={kind: truthful}'"},
		{"classroom-vickrey", "bidders.bo.strategy.kind=shade", "set the whole strategy, --set 'bidders.bo.strategy={kind: shade, factor: 0.8}'"},
		{"timeout-demo", "bidders.swift.errors=0.99", "--set bidders.swift.errors=0.99: bidders.swift.no_bid: errors + no_bid = 1.04 is more than 1"},
		{"timeout-demo", "exchange.tmax.x=1", "exchange.tmax is not a mapping"},
		{"timeout-demo", "exchange..floor=1", "empty part"},
		{"timeout-demo", "exchange.floor=[1, 2", "not valid YAML"},
		{"reserve-price", "bidders.ada=1", "set a bidder's fields one at a time"},
	}
	for _, c := range cases {
		_, _, err := ResolveWith(c.sc, sets(t, c.set))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v\nwant it to contain %s", c.set, err, c.want)
		}
	}
	if _, err := ParseSet("--set", "noequals"); err == nil || !strings.Contains(err.Error(), "want PATH=VALUE") {
		t.Errorf("ParseSet: %v", err)
	}
}

// TestWildcardErrorsAreOne: an override of every bidder (bidders.*) that
// fails the same way on several says so once, naming them; a strategy's
// field set where the bidder's kind does not take it says how to set the
// kind too, and that fix is taken.
func TestWildcardErrorsAreOne(t *testing.T) {
	cases := []struct {
		sc, set string
		want    []string // in the one message
		not     []string // bidders it must not name
		fix     string   // the fix the message gives, which must work
	}{
		{
			sc: "timeout-demo", set: "bidders.*.strategy.factor=0.9",
			want: []string{"bidders.*.strategy.factor (swift, tail, harbor, atlas, summit and glacier): applies only to kind shade", "(truthful when left out)"},
			not:  []string{"metro", "prairie", "kind: is required"},
			fix:  "bidders.*.strategy={kind: shade, factor: 0.9}",
		},
		{
			sc: "classroom-vickrey", set: "bidders.*.strategy.factor=0.9",
			want: []string{"bidders.*.strategy.factor (every bidder): applies only to kind shade"},
			fix:  "bidders.*.strategy={kind: shade, factor: 0.9}",
		},
		{
			sc: "timeout-demo", set: "bidders.tail.strategy.factor=0.9",
			want: []string{"--set bidders.tail.strategy.factor=0.9: applies only to kind shade, which this bidder's strategy is not (truthful when left out)"},
			fix:  "bidders.tail.strategy={kind: shade, factor: 0.9}",
		},
		{
			sc: "timeout-demo", set: "bidders.summit.strategy.factor=0.9",
			want: []string{"--set bidders.summit.strategy.factor=0.9: applies only to kind shade, which this bidder's strategy is not: set the kind too"},
			not:  []string{"left out"},
			fix:  "bidders.summit.strategy={kind: shade, factor: 0.9}",
		},
		{
			// on alone: the fix gives a roas too, which the kind needs.
			sc: "timeout-demo", set: "bidders.swift.strategy.on=incremental",
			want: []string{"applies only to kind target_roas"},
			fix:  "bidders.swift.strategy={kind: target_roas, roas: 4, on: incremental}",
		},
		{sc: "timeout-demo", set: "bidders.*.no_bid=2", want: []string{"--set bidders.*.no_bid=2: bidders.*.no_bid (every bidder): 2 is not a share in [0, 1]"}},
		// Added where the file leaves budget out, and edited where it has
		// one: the same error, with the bidder's name either way.
		{sc: "timeout-demo", set: "bidders.*.budget.total=-1", want: []string{"--set bidders.*.budget.total=-1: bidders.*.budget.total (every bidder): -1 must be ≥ 0"}},
	}
	for _, c := range cases {
		_, _, err := ResolveWith(c.sc, sets(t, c.set))
		var list Errors
		if !errors.As(err, &list) || len(list) != 1 {
			t.Errorf("%s --set %s: want one error, got %v", c.sc, c.set, err)
			continue
		}
		msg := list[0].Error()
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s --set %s: %s\nwant it to contain %s", c.sc, c.set, msg, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(msg, n) {
				t.Errorf("%s --set %s: %s\nnames %s", c.sc, c.set, msg, n)
			}
		}
		if c.fix == "" {
			continue
		}
		if want := "set the kind too, --set '" + c.fix + "'"; !strings.HasSuffix(msg, want) {
			t.Errorf("%s --set %s: %s\nwant it to end %s", c.sc, c.set, msg, want)
		}
		if _, _, err := ResolveWith(c.sc, sets(t, c.fix)); err != nil {
			t.Errorf("%s: the fix --set %s: %v", c.sc, c.fix, err)
		}
	}
	// Where every bidder shades, the factor alone is the change.
	s, _, err := ResolveWith("first-vs-second", sets(t, "bidders.*.strategy.factor=0.9"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range s.Config.Bidders {
		if b.Strategy.Factor != 0.9 {
			t.Errorf("%s: %+v", b.Name, b.Strategy)
		}
	}
	// Typed in the dashboard, the fix is in its own form, without a shell.
	_, err = liveOf(t, "timeout-demo").Set([]Set{{Path: "bidders.*.strategy.factor", Value: "0.9", Flag: ":"}})
	if err == nil || strings.Count(err.Error(), "\n") != 0 || !strings.HasSuffix(err.Error(), "set the kind too, :bidders.*.strategy={kind: shade, factor: 0.9}") {
		t.Errorf("live: %v", err)
	}
}

// TestOverrideKeepsEveryBundledScenario checks that editing leaves the
// rest of every bundled scenario as it was.
func TestOverrideKeepsEveryBundledScenario(t *testing.T) {
	for _, name := range Names() {
		orig, err := Bundled(name)
		if err != nil {
			t.Fatal(err)
		}
		s, text, err := ResolveWith(name, sets(t, "seed=12345", "bidders.*.disabled=false"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkEffective(t, s, text)
		want := orig.Config
		want.Seed = 12345
		if !reflect.DeepEqual(s.Config, want) {
			t.Errorf("%s: overriding the seed changed more than the seed:\n%s", name, text)
		}
	}
}

func TestOverrideAnchorsAndAliases(t *testing.T) {
	src := []byte(`name: anchors
stop: {auctions: 100}
traffic: {qps: 1000}
exchange: {tmax: 100ms}
bidders:
  - name: a
    latency: &fast {dist: constant, value: 10ms}
    value: {dist: uniform, min: 0, max: 1}
  - name: b
    latency: *fast
    value: {dist: uniform, min: 0, max: 1}
`)
	// A path assignment sets that path alone, whether it goes through an
	// alias or through the anchor: the other use keeps the file's value.
	for _, c := range []struct{ set, changed, kept string }{
		{"bidders.b.latency.value=20ms", "b", "a"},
		{"bidders.b.latency={dist: constant, value: 20ms}", "b", "a"},
		{"bidders.a.latency.value=20ms", "a", "b"},
	} {
		s, text, err := ParseWith("anchors.yaml", src, sets(t, c.set))
		if err != nil {
			t.Fatalf("%s: %v", c.set, err)
		}
		if changed, kept := bidderOf(t, s, c.changed).Latency, bidderOf(t, s, c.kept).Latency; !reflect.DeepEqual(changed, sim.Constant(float64(20*sim.Millisecond))) ||
			!reflect.DeepEqual(kept, sim.Constant(float64(10*sim.Millisecond))) {
			t.Errorf("%s: %s's latency %v, %s's %v", c.set, c.changed, changed, c.kept, kept)
		}
		checkEffective(t, s, text)
	}
	// A bidder whose whole mapping others merge (the README's &bidder):
	// switching it off switches off it alone.
	merged := []byte(`name: merged
stop: {auctions: 100}
traffic: {qps: 1000}
exchange: {tmax: 100ms}
bidders:
  - &bidder
    name: a
    # its latency
    latency: {dist: constant, value: 10ms}
    value:
      dist: uniform
      min: 0
      max: 1
  - <<: *bidder
    name: b
  - {<<: *bidder, name: c, strategy: {kind: shade, factor: 0.8}}
`)
	s, text, err := ParseWith("merged.yaml", merged, sets(t, "bidders.a.disabled=true"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range s.Config.Bidders {
		if b.Disabled != (b.Name == "a") || !reflect.DeepEqual(b.Latency, sim.Constant(float64(10*sim.Millisecond))) {
			t.Errorf("bidder %s: disabled %v, latency %v", b.Name, b.Disabled, b.Latency)
		}
	}
	if c := bidderOf(t, s, "c"); c.Strategy.Kind != sim.Shade {
		t.Errorf("c's own strategy lost: %v", c.Strategy)
	}
	checkEffective(t, s, text)
}

// TestOverrideAliasBomb: a file whose aliases would write out past
// maxUnaliased is refused when a set edits it, not expanded into memory.
func TestOverrideAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: bomb\nx0: &a0 [\"" + strings.Repeat("x", 60) + "\"]\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "x%d: &a%d [", i, i)
		for j := range 8 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	_, _, err := Apply([]byte(b.String()), []Set{{Path: "traffic.qps", Value: "5"}})
	if err == nil || !strings.Contains(err.Error(), "aliases write out more than") {
		t.Errorf("an alias bomb: %v", err)
	}
}

// TestOverrideProperty sets random valid values on random bidders of every
// bundled scenario and checks that the scenario holds exactly them and
// that its effective YAML parses to it.
func TestOverrideProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		name := rapid.SampledFrom(Names()).Draw(rt, "scenario")
		orig, err := Bundled(name)
		if err != nil {
			rt.Fatal(err)
		}
		b := rapid.IntRange(0, len(orig.Config.Bidders)-1).Draw(rt, "bidder")
		bidder := orig.Config.Bidders[b].Name
		floor := rapid.Float64Range(0, 50).Draw(rt, "floor")
		if sim.PriceOf(floor) == 0 {
			floor = 0 // a floor below the micro-CPM is refused (TestBelowResolution)
		}
		// tmax must leave the bidders time after the deadline chain's
		// adjustments, and no_bid room beside errors and hangs.
		adj := orig.Config.Exchange.TmaxAdjustments
		least := int((adj.RequestProcessing+adj.NetworkBuffer+adj.ResponsePreparation)/sim.Millisecond) + 1
		tmaxMS := rapid.IntRange(least, 5000).Draw(rt, "tmax_ms")
		bc := orig.Config.Bidders[b]
		noBid := rapid.Float64Range(0, 1-bc.Errors-bc.Hangs).Draw(rt, "no_bid")
		s, text, err := ResolveWith(name, []Set{
			{Path: "exchange.floor", Value: strconv.FormatFloat(floor, 'g', -1, 64)},
			{Path: "exchange.tmax", Value: fmt.Sprintf("%dms", tmaxMS)},
			{Path: "bidders." + bidder + ".no_bid", Value: strconv.FormatFloat(noBid, 'g', -1, 64)},
		})
		if err != nil {
			rt.Fatal(err)
		}
		x := s.Config.Exchange
		if x.Floor != sim.PriceOf(floor) || x.Tmax != sim.Time(tmaxMS)*sim.Millisecond || s.Config.Bidders[b].NoBid != noBid {
			rt.Fatalf("floor %v tmax %v no_bid %v", x.Floor, x.Tmax, s.Config.Bidders[b].NoBid)
		}
		for i, bc := range s.Config.Bidders {
			if i != b && !reflect.DeepEqual(bc, orig.Config.Bidders[i]) {
				rt.Fatalf("bidder %s changed", bc.Name)
			}
		}
		again, err := Parse("effective.yaml", text)
		if err != nil || !reflect.DeepEqual(again.Config, s.Config) {
			rt.Fatalf("the effective YAML does not reproduce the scenario: %v", err)
		}
	})
}

// TestKindAloneLive: typed in the dashboard's command line, a strategy's
// kind alone gets the same pointer, in the command line's own form, and
// the whole strategy it points to is accepted.
func TestKindAloneLive(t *testing.T) {
	l := liveOf(t, "first-vs-second")
	_, err := l.Set([]Set{{Path: "bidders.ada.strategy.kind", Value: "truthful", Flag: ":"}})
	if err == nil || !strings.Contains(err.Error(), "set the whole strategy, :bidders.ada.strategy={kind: truthful}") {
		t.Fatalf("err = %v", err)
	}
	changes, err := l.Set([]Set{{Path: "bidders.ada.strategy", Value: "{kind: truthful}", Flag: ":"}})
	if err != nil || len(changes) != 1 || changes[0] != (sim.SetStrategy{Bidder: "ada", Strategy: sim.Strategy{Kind: sim.Truthful}}) {
		t.Errorf("the whole form: %v, %v", changes, err)
	}
}

// TestDurationRefusedAsWritten: a duration out of range is refused with
// the value the user wrote, in a --set, a file or a script step, not as
// the engine writes it ("0s must be > 0" for 0ms, "2h" for 120m); one
// that the nanosecond rounds says so.
func TestDurationRefusedAsWritten(t *testing.T) {
	for _, c := range []struct{ set, want string }{
		{"exchange.tmax=0ms", "--set exchange.tmax=0ms: 0ms must be > 0"},
		{"exchange.tmax=0", "--set exchange.tmax=0: 0 must be > 0"},
		{"exchange.tmax=120m", "--set exchange.tmax=120m: 120m is more than 1h, the largest supported deadline"},
		{"exchange.tmax=0.5ns", "--set exchange.tmax=0.5ns: 0.5ns (0s to the nanosecond) must be > 0"},
		{"exchange.tmax_curve={step: 0ms}", "0ms must be > 0"},
		{"exchange.tmax_adjustments.network_buffer=-1ms", "-1ms must be ≥ 0"},
	} {
		_, _, err := ResolveWith("timeout-demo", sets(t, c.set))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--set %s: %v, want %q", c.set, err, c.want)
		}
	}
	_, err := Parse("t.yaml", []byte("name: t\nstop: {auctions: 10}\ntraffic: {qps: 100}\nexchange: {tmax: 0ms}\nbidders:\n  - {name: a, latency: 10ms, value: 1}\n"))
	if err == nil || !strings.Contains(err.Error(), "t.yaml:4:18: exchange.tmax: 0ms must be > 0") {
		t.Errorf("a file's tmax of 0ms: %v", err)
	}
}

// TestSetNumberedBidder: a field placed as a file's errors place it
// (bidders[0].latency.p99), typed into --set, is refused with the path by
// the bidder's name, not as an unknown top-level field named after the
// bidder (it read "bidders.swift: unknown field (known fields: name, …)").
func TestSetNumberedBidder(t *testing.T) {
	_, _, err := ResolveWith("timeout-demo", []Set{{Path: "bidders[0].latency.p99", Value: "90ms", Flag: "--set"}})
	want := "--set bidders[0].latency.p99=90ms: bidders[0]: a path names a bidder, not its place in the list: bidders.swift.latency.p99"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestBlameNearby: an error outside every override's edit (a check across
// fields: a median set above the file's own p99) is blamed on the
// overrides that edited the same bidder, not on every one: compare and
// sweep fold --auctions into a stop override, which run does not, and the
// same --change read "--auctions/--duration stop={auctions: 200},
// --change …" there and "--set …" in run.
func TestBlameNearby(t *testing.T) {
	change := Set{Path: "bidders.swift.latency.median", Value: "90ms", Flag: "--change"}
	for _, sets := range [][]Set{{change}, {StopSet(200, 0), change}, {change, {Path: "exchange.tmax", Value: "80ms", Flag: "--change"}}} {
		_, _, err := ResolveWith("timeout-demo", sets)
		want := "--change bidders.swift.latency.median=90ms: bidders.swift.latency.p99: 80ms is below the median 90ms"
		if err == nil || err.Error() != want {
			t.Errorf("%v:\n got %v\nwant %s", SetStrings(sets), err, want)
		}
	}
}

// TestBlameAcrossParts: an error outside every edit that another part's
// override brings about is blamed on that override, not on the one that
// edits its field's part: a stop by auctions (the file's) with
// traffic.scale was blamed on --set stop.duration, which changes
// nothing of it.
func TestBlameAcrossParts(t *testing.T) {
	const want = "--set traffic.scale=1000: stop.auctions: with traffic.scale the run stops by duration only (stop.duration)"
	scale, stop := Set{Path: "traffic.scale", Value: "1000", Flag: "--set"}, Set{Path: "stop.duration", Value: "1h", Flag: "--set"}
	for _, sets := range [][]Set{{scale}, {stop, scale}, {scale, stop, {Path: "exchange.floor", Value: "0.2", Flag: "--set"}}} {
		_, _, err := ResolveWith("reserve-price", sets)
		if err == nil || err.Error() != want {
			t.Errorf("%v:\n got %v\nwant %s", SetStrings(sets), err, want)
		}
	}
}

// TestSharePercent: a share written as a percentage (no_bid: 5%) is
// refused saying the share to write, at every door (the parser's), and a
// percentage where a share is not wanted is refused as before.
func TestSharePercent(t *testing.T) {
	for set, want := range map[string]string{
		"bidders.metro.no_bid=5%":    `--set bidders.metro.no_bid=5%: want a share in [0, 1], got "5%": write the share, 0.05`,
		"bidders.swift.errors=12.5%": `--set bidders.swift.errors=12.5%: want a share in [0, 1], got "12.5%": write the share, 0.125`,
		"exchange.floor=30%":         `--set exchange.floor=30%: want a price in CPM, a number, got "30%"`,
		// No share to write where the share would be refused too.
		"bidders.metro.no_bid=150%": `--set bidders.metro.no_bid=150%: want a share in [0, 1], got "150%"`,
		"bidders.metro.no_bid=-5%":  `--set bidders.metro.no_bid=-5%: want a share in [0, 1], got "-5%"`,
	} {
		s, err := ParseSet("--set", set)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := ResolveWith("timeout-demo", []Set{s}); err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", set, err, want)
		}
	}
}
