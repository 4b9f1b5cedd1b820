package scenarios

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

const scriptBase = `name: scripted
stop: {duration: 90s}
traffic: {qps: 100}
exchange:
  tmax: 120ms
  floor: 0.1
bidders:
  - name: metro
    latency: {dist: lognormal, median: 45ms, p99: 110ms}
    value: {dist: uniform, min: 0.5, max: 3}
    strategy: {kind: shade, factor: 0.8}
  - name: dotted-name
    latency: {dist: constant, value: 30ms}
    capacity: {workers: 2, service: {dist: exponential, mean: 5ms}}
    value: {dist: uniform, min: 0.5, max: 3}
`

func TestScriptParsesAndLands(t *testing.T) {
	src := scriptBase + `script:
  - at: 30s
    set: {exchange.tmax: 80ms}
  - at: 60s
    set:
      bidders.metro.latency.median: 90ms
      bidders.*.strategy: {kind: shade, factor: 0.9}
  - at: 75s
    set: {exchange.tmax: 200ms, bidders.dotted-name.disabled: true, traffic.qps: 50}
`
	s, err := Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(s.Config.Script)
	metro := sim.LogNormalMedianP99(90e6, 110e6)
	want := fmt.Sprint([]sim.Scheduled{
		{At: 30 * sim.Second, Changes: []sim.Change{sim.SetTmax{Tmax: 80 * sim.Millisecond}}},
		{At: 60 * sim.Second, Changes: []sim.Change{
			sim.SetLatency{Bidder: "metro", Latency: metro},
			sim.SetStrategy{Bidder: "metro", Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.9}},
			sim.SetStrategy{Bidder: "dotted-name", Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.9}},
		}},
		{At: 75 * sim.Second, Changes: []sim.Change{
			sim.SetTmax{Tmax: 200 * sim.Millisecond}, sim.SetQPS{QPS: 50},
			sim.SetEnabled{Bidder: "dotted-name", Enabled: false},
		}},
	})
	if got != want {
		t.Fatalf("script\n got %s\nwant %s", got, want)
	}
	e, err := sim.New(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(s.Stop.Duration)
	var at []string
	for _, c := range e.ChangeLog() {
		if !c.Scripted {
			t.Errorf("%v not marked scripted", c)
		}
		at = append(at, c.At.String())
	}
	if fmt.Sprint(at) != "[30s 1m0s 1m0s 1m0s 1m15s 1m15s 1m15s]" {
		t.Errorf("changes at %v", at)
	}
	if s.WithoutScript().Config.Script != nil || s.Config.Script == nil {
		t.Error("WithoutScript")
	}
}

// A set below a key the file leaves out adds it, as --set and a live
// change do.
func TestScriptAddsMapping(t *testing.T) {
	src := scriptBase + "script:\n  - at: 30s\n    set: {bidders.metro.budget.total: 3}\n"
	s, err := Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint([]sim.Scheduled{{At: 30 * sim.Second, Changes: []sim.Change{sim.SetBudget{Bidder: "metro", Total: sim.MoneyOf(3)}}}})
	if got := fmt.Sprint(s.Config.Script); got != want {
		t.Errorf("script %s, want %s", got, want)
	}
	l := liveOf(t, "budget-split")
	got, err := l.Set([]Set{{Path: "bidders.rival-a.budget.total", Value: "3"}})
	if err != nil || fmt.Sprint(got) != fmt.Sprint([]sim.Change{sim.SetBudget{Bidder: "rival-a", Total: sim.MoneyOf(3)}}) {
		t.Errorf("live: %v %v", got, err)
	}
}

func TestScriptErrors(t *testing.T) {
	for _, c := range []struct{ script, want string }{
		{"  - at: 30s\n    set: {exchange.tmx: 80ms}", "s.yaml:18:11: exchange.tmx: unknown field; did you mean tmax?"},
		{"  - at: 30s\n    set: {exchange.tmax: -5ms}", "s.yaml:18:26: exchange.tmax: -5ms must be > 0"},
		{"  - at: 30s\n    set: {exchange.tmax: 5}", "s.yaml:18:26: exchange.tmax: want a duration"},
		{"  - at: 30s\n    set: {bidders.metr.latency.median: 90ms}", `s.yaml:18:11: bidders.metr.latency.median: no bidder named "metr"; did you mean metro?`},
		{"  - at: 30s\n    set: {bidders.metro.latency.p99: 20ms}", "s.yaml:18:"},
		{"  - at: 30s\n    set: {bidders.dotted-name.capacity.workers: 3}", "s.yaml:18:11: bidders.dotted-name.capacity.workers: cannot change during a run (live: exchange.auction,"},
		{"  - at: 30s\n    set: {bidders.metro.budgett.total: 3}", "s.yaml:18:11: bidders.metro.budgett: unknown field; did you mean budget?"},
		{"  - at: 30s\n    set: {bidders.metro.budget.pacing: throttle}", "s.yaml:18:11: bidders.metro.budget.total: is required"},
		{"  - at: 30s\n    set: {exchange.tmax.max: 3}", "s.yaml:18:11: exchange.tmax.max: does not name a field of the scenario"},
		{"  - at: 30s\n    set: {stop.duration: 3s}", "s.yaml:18:11: stop.duration: cannot change during a run (live: exchange.auction,"}, // the field once: it said "stop.duration: stop:"
		{"  - at: 30s\n    set: {seed: 3}", "s.yaml:18:11: seed: cannot change during a run (live: exchange.auction,"},
		{"  - at: 30s\n    set: {exchange.tmax: 80ms}\n  - at: 20s\n    set: {exchange.tmax: 90ms}", "s.yaml:19:9: script[1].at: 20s comes before the step above it (30s)"},
		{"  - at: 30s", "s.yaml:17:5: script[0].set: is required"},
		{"  - {at: 30s, set: {}}", "s.yaml:17:15: script[0].set: needs at least one PATH: VALUE"},
		{"  - at: 30s\n    set: {bidders.metro: 1}", "set a bidder's fields one at a time"},
	} {
		src := scriptBase + "script:\n" + c.script + "\n"
		_, err := Parse("s.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %s", c.script, err, c.want)
		}
	}
}

// A script's set with a wildcard (bidders.*) that is wrong for some
// bidders says so as --set does: the bidders by name, and one error for
// those of which it says the same at one place in the file, with the fix
// written as the step writes it. Every error still names the file, line,
// column and field.
func TestScriptWildcardErrors(t *testing.T) {
	for _, c := range []struct {
		set  string
		want []string
	}{
		// metro shades; dotted-name has no strategy (truthful): one
		// error for both, as --set gives.
		{"{bidders.*.strategy.bid: 2}", []string{"s.yaml:18:11: bidders.*.strategy.bid (every bidder): applies only to kind fixed, " +
			"which these bidders' strategies are not (truthful when left out): set the kind too, bidders.*.strategy: {kind: fixed, bid: 2}"}},
		{"{bidders.*.strategy.factor: 0.9}", []string{"s.yaml:18:11: bidders.dotted-name.strategy.factor: applies only to kind shade, " +
			"which this bidder's strategy is not (truthful when left out): set the kind too, bidders.*.strategy: {kind: shade, factor: 0.9}"}},
		{"{bidders.*.no_bid: 2}", []string{"s.yaml:18:29: bidders.*.no_bid (every bidder): 2 is not a share in [0, 1]"}},
		// Said once, as --set says it: not again as a set that names no
		// field.
		{"{bidders.*.budgett.total: 3}", []string{"s.yaml:18:11: bidders.*.budgett (every bidder): unknown field; did you mean budget?"}},
		// Messages that differ stay one a bidder, by name.
		{"{bidders.*.latency.p99: 1ms}", []string{"s.yaml:18:11: bidders.dotted-name.latency.p99: unknown field",
			"s.yaml:18:34: bidders.metro.latency.p99: 1ms is below the median 45ms"}},
	} {
		src := scriptBase + "script:\n  - at: 30s\n    set: " + c.set + "\n"
		_, err := Parse("s.yaml", []byte(src))
		var list Errors
		if !errors.As(err, &list) || len(list) != len(c.want) {
			t.Errorf("%s: got %v, want %d errors:\n%s", c.set, err, len(c.want), strings.Join(c.want, "\n"))
			continue
		}
		for i, e := range list {
			if !strings.HasPrefix(e.Error(), c.want[i]) {
				t.Errorf("%s: error %d\n got %v\nwant %s", c.set, i, e, c.want[i])
			}
			if e.File != "s.yaml" || e.Line == 0 || e.Column == 0 || e.Field == "" {
				t.Errorf("%s: %q does not name the file, line, column and field", c.set, e)
			}
		}
	}
}

func TestTimeoutFields(t *testing.T) {
	parse := func(exchange, bidder string) (*Scenario, error) {
		src := strings.Replace(scriptBase, "  floor: 0.1\n", "  floor: 0.1\n"+exchange, 1)
		src = strings.Replace(src, "    strategy: {kind: shade, factor: 0.8}\n", "    strategy: {kind: shade, factor: 0.8}\n"+bidder, 1)
		return Parse("s.yaml", []byte(src))
	}
	s, err := parse("", "")
	if err != nil || s.Config.Exchange.TmaxCurve != sim.DefaultTmaxCurve {
		t.Fatalf("default curve: %v %v", err, s)
	}
	s, err = parse("  tmax_curve: false\n", "")
	if err != nil || !s.Config.Exchange.TmaxCurve.Off() {
		t.Errorf("false: %v %+v", err, s.Config.Exchange.TmaxCurve)
	}
	s, err = parse("  tmax_curve: {from: 50ms, step: 50ms}\n  tmax_adjustments: {request_processing: 5ms, network_buffer: 20ms, response_preparation: 10ms, bidder_response_min: 30ms}\n", "    respects_tmax: true\n")
	want := sim.TmaxAdjustments{RequestProcessing: 5 * sim.Millisecond, NetworkBuffer: 20 * sim.Millisecond, ResponsePreparation: 10 * sim.Millisecond, BidderResponseMin: 30 * sim.Millisecond}
	if err != nil || s.Config.Exchange.TmaxCurve != (sim.TmaxGrid{From: 50 * sim.Millisecond, To: 400 * sim.Millisecond, Step: 50 * sim.Millisecond}) ||
		s.Config.Exchange.TmaxAdjustments != want || !s.Config.Bidders[0].RespectsTmax || s.Config.Bidders[1].RespectsTmax {
		t.Errorf("%v %+v", err, s)
	}
	for _, c := range []struct{ exchange, want string }{
		{"  tmax_curve: {from: 50ms, to: 40ms}\n", "s.yaml:7:32: exchange.tmax_curve.to: 40ms must be ≥ from (50ms)"},
		{"  tmax_curve: {stp: 5ms}\n", "exchange.tmax_curve.stp: unknown field; did you mean step?"},
		{"  tmax_curve: {step: 0}\n", "exchange.tmax_curve.step: 0 must be > 0"}, // as written
		{"  tmax_curve: 20ms\n", "exchange.tmax_curve: want a mapping with from, to and step (durations), or false"},
		{"  tmax_adjustments: {network_buffer: 2h}\n", "exchange.tmax_adjustments.network_buffer: 2h is more than 1h"},
		{"  tmax_adjustments: {network_buffer: -1ms}\n", "exchange.tmax_adjustments.network_buffer: -1ms must be ≥ 0"},
	} {
		if _, err := parse(c.exchange, ""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %s", c.exchange, err, c.want)
		}
	}
	// Adjustments that eat the whole tmax are Prebid Server's to take: it
	// calls no bidder then (the skip rule), so a file with them runs, as a
	// live change to such a tmax does. Refused before, while the same
	// scenario at a tmax 10ms longer, where the rule also skips, ran.
	s, err = parse("  tmax_adjustments: {network_buffer: 100ms, response_preparation: 20ms, bidder_response_min: 50ms}\n", "")
	if err != nil || s.Config.Exchange.TmaxAdjustments.BidderTmax(s.Config.Exchange.Tmax) > 0 {
		t.Errorf("adjustments past tmax: %v %+v", err, s)
	}
}

func TestScriptStepsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(scriptBase + "script:\n")
	for i := range maxScriptSteps + 1 {
		fmt.Fprintf(&b, "  - {at: %dms, set: {exchange.tmax: %dms}}\n", i, 50+i)
	}
	if _, err := Parse("s.yaml", []byte(b.String())); err == nil || !strings.Contains(err.Error(), "at most 200") {
		t.Errorf("got %v", err)
	}
}

// Without its script a scenario's text parses to the same world, so an
// export of a --no-script run replays as it ran.
func TestWithoutScriptYAML(t *testing.T) {
	for _, name := range Names() {
		s, err := Bundled(name)
		if err != nil {
			t.Fatal(err)
		}
		w := s.WithoutScript()
		if w.YAML == nil {
			t.Fatalf("%s: no YAML", name)
		}
		back, err := Parse(name+".yaml", w.YAML)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, w.YAML)
		}
		if back.Config.Script != nil || !reflect.DeepEqual(back.Config, w.Config) {
			t.Errorf("%s: the text without its script parses to another world", name)
		}
		if name == "timeout-story" && strings.Contains(string(w.YAML), "script:") {
			t.Errorf("script left in:\n%s", w.YAML)
		}
	}
}

// A step's say is its caption; a step may be a caption alone. Steps keep
// what each step sets as the file writes it, for the dashboard's preview.
func TestScriptSay(t *testing.T) {
	src := scriptBase + `script:
  - at: 30s
    set: {exchange.tmax: 80ms, bidders.metro.latency: {dist: lognormal, median: 160ms, p99: 300ms}}  # metro slows
    say: "  metro slows down: watch the late bids ☺ "
  - at: 45s
    say: >-
      a caption alone,
      folded onto one line
  - at: 60s
    set: {exchange.tmax: 350ms}
`
	s, err := Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// Each set's line, for messages that point at it.
	line := func(text string) int { return strings.Count(src[:strings.Index(src, text)], "\n") + 1 }
	slows, raises := line("set: {exchange.tmax: 80ms"), line("set: {exchange.tmax: 350ms}")
	want := []Step{
		{At: 30 * sim.Second, Sets: []string{"exchange.tmax=80ms", "bidders.metro.latency={dist: lognormal, median: 160ms, p99: 300ms}"}, Say: "metro slows down: watch the late bids ☺", Lines: []int{slows, slows}},
		{At: 45 * sim.Second, Say: "a caption alone, folded onto one line"},
		{At: 60 * sim.Second, Sets: []string{"exchange.tmax=350ms"}, Lines: []int{raises}},
	}
	if !reflect.DeepEqual(s.Steps, want) {
		t.Errorf("steps\n got %+v\nwant %+v", s.Steps, want)
	}
	if len(s.Config.Script) != 3 || len(s.Config.Script[1].Changes) != 0 || s.Config.Script[1].At != 45*sim.Second {
		t.Errorf("the caption's step in sim's script: %v", s.Config.Script)
	}
	// The caption alone changes nothing: the run's log has the two sets'
	// changes only.
	e, err := sim.New(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(70 * sim.Second)
	if n := len(e.ChangeLog()); n != 3 {
		t.Errorf("%d changes logged, want 3", n)
	}
	if s.WithoutScript().Steps != nil {
		t.Error("--no-script keeps the captions")
	}
}

func TestScriptSayErrors(t *testing.T) {
	long := strings.Repeat("x", MaxSay+1)
	for _, c := range []struct{ script, want string }{
		{"  - at: 30s\n    say: 42", "s.yaml:18:10: script[0].say: want a string, got the number 42 (put it in quotes to make it a string)"},
		{"  - at: 30s\n    say: {a: b}", "s.yaml:18:5: script[0].say: want a string, got a mapping"},
		{"  - at: 30s\n    say: \"  \"", "s.yaml:18:10: script[0].say: is empty"},
		{"  - at: 30s\n    say: " + long, "s.yaml:18:10: script[0].say: is 79 characters; a caption has at most 78"},
		// 40 characters of 中文 are 80 columns: past the dashboard's line.
		{"  - at: 30s\n    say: " + strings.Repeat("中", 40), "s.yaml:18:10: script[0].say: is 80 columns wide (a wide character such as 中 takes two); a caption takes at most 78"},
		{"  - at: 30s\n    say: \"late\\tbids\"", "s.yaml:18:10: script[0].say: has the control character U+0009 at character 5"},
		{"  - at: 30s\n    say: \"\\e[2Jgone\"", "script[0].say: has the control character U+001B at character 1"},
		{"  - at: 30s\n    say: |\n      two\n      lines", "s.yaml:18:10: script[0].say: has a line break at character 4"},
		{"  - at: 30s\n    sya: hello", "s.yaml:18:5: script[0].sya: unknown field"},
		{"  - at: 30s\n    say: ~", "s.yaml:17:5: script[0].set: is required"},
		{"  - at: 30s\n    set: {exchange.tmax: 80ms}\n    say: 3", "s.yaml:19:10: script[0].say: want a string"},
	} {
		src := scriptBase + "script:\n" + c.script + "\n"
		_, err := Parse("s.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %s", c.script, err, c.want)
		}
	}
}

// A script can vary what waiting costs: the step becomes a live change
// of the abandonment, with grace defaulting to 0.
func TestScriptSetsAbandonment(t *testing.T) {
	src := []byte(`name: s
stop: {duration: 10s}
traffic: {qps: 100}
exchange: {tmax: 300ms, abandonment: {per_100ms: 0.05}}
bidders:
  - name: a
    value: {dist: uniform, min: 1, max: 2}
script:
  - at: 5s
    set: {exchange.abandonment: {per_100ms: 0.3, grace: 100ms}}
  - at: 6s
    set: {exchange.abandonment.per_100ms: 0}
`)
	s, err := Parse("s.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	want := []sim.Change{
		sim.SetAbandonment{Abandonment: sim.Abandonment{Per100ms: 0.3, Grace: 100 * sim.Millisecond}},
		sim.SetAbandonment{Abandonment: sim.Abandonment{Per100ms: 0, Grace: 100 * sim.Millisecond}},
	}
	if len(s.Config.Script) != len(want) {
		t.Fatalf("script %v", s.Config.Script)
	}
	for i, st := range s.Config.Script {
		if len(st.Changes) != 1 || st.Changes[0] != want[i] {
			t.Errorf("step %d: %v, want %v", i, st.Changes, want[i])
		}
	}
}

// TestLiveDoorsSameWords: the doors that change a running world (a
// script's set, the dashboard's keys and command line, a replayed change:
// Live) refuse the same assignment with the same words, the script's
// placed in the file and named by its path, the others naming the
// assignment: the script's message is the other's, or the other's under
// the set's path.
func TestLiveDoorsSameWords(t *testing.T) {
	for _, c := range []struct{ path, value string }{
		{"seed", "5"},
		{"stop.duration", "5s"},
		{"name", "other"},
		{"bidders", "[]"},
		{"bidders.metro", "null"},
		{"bidders.metr.latency.median", "90ms"},
		{"bidders.dotted-name.capacity.workers", "3"},
		{"bidders.metro.value", "{dist: uniform, min: 1, max: 2}"},
		{"exchange.tmax", "80"},
		{"exchange.tmx", "80ms"},
		{"Exchange.tmax", "80ms"},
		{"bidders.metro.budgett.total", "3"},
	} {
		set := Set{Path: c.path, Value: c.value, Flag: ":"}
		l, err := NewLive("s.yaml", []byte(scriptBase))
		if err != nil {
			t.Fatal(err)
		}
		_, liveErr := l.Set([]Set{set})
		if liveErr == nil {
			t.Errorf("%s: live took it", set)
			continue
		}
		live := strings.TrimPrefix(liveErr.Error(), set.String()+": ")
		src := scriptBase + "script:\n  - at: 30s\n    set: {" + c.path + ": " + c.value + "}\n"
		_, scriptErr := Parse("s.yaml", []byte(src))
		var list Errors
		if !errors.As(scriptErr, &list) || len(list) != 1 {
			t.Errorf("%s: the script's refusal %v, want one error", set, scriptErr)
			continue
		}
		script := list[0].Field + ": " + list[0].Msg
		if script != live && script != c.path+": "+live {
			t.Errorf("%s: the doors differ:\nscript %s\n  live %s", set, script, live)
		}
	}
}
