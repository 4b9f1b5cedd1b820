package report

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// TestWriteJSONStreamsSameBytes checks that the streamed export is byte
// for byte what json.Encoder writes for Full, with and without a replay
// section, with and without points.
func TestWriteJSONStreamsSameBytes(t *testing.T) {
	snap := snapshot(t)
	empty := *snap
	empty.Series.Points = nil
	for _, s := range []*sim.Snapshot{snap, &empty} {
		for _, meta := range []Meta{
			{Scenario: "x", WallSeconds: 1.5},
			{Scenario: "x", ScenarioYAML: []byte("name: x\n<&>"), Stop: sim.Stop{Auctions: 9, Duration: sim.Second}, Horizon: 3},
		} {
			var want, got bytes.Buffer
			if err := EncodeJSON(&want, NewFull(s, meta)); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&got, s, meta); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("%d points, replay %v: streamed JSON differs:\n%s\nwant:\n%s",
					len(s.Series.Points), meta.ScenarioYAML != nil, got.String(), want.String())
			}
		}
	}
}

// TestNum checks null for what does not apply, and the same digits as a
// float64 for what does.
func TestNum(t *testing.T) {
	for _, x := range []float64{0, 1, -2.5, 1e-7, 123456789.125, 1e21, 5e-324, math.MaxFloat64} {
		want, _ := json.Marshal(x)
		got, _ := json.Marshal(Num(x))
		if string(got) != string(want) {
			t.Errorf("%g: %s, want %s", x, got, want)
		}
		var back Num
		if err := json.Unmarshal(got, &back); err != nil || float64(back) != x {
			t.Errorf("%g: read back %v, %v", x, back, err)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got, _ := json.Marshal(Num(x)); string(got) != "null" {
			t.Errorf("%g: %s, want null", x, got)
		}
		if Num(x).Valid() || !math.IsNaN(Num(x).Float()) {
			t.Errorf("%g is valid", x)
		}
	}
	var back Num
	if err := json.Unmarshal([]byte("null"), &back); err != nil || back.Valid() {
		t.Errorf("null read back as %v, %v", back, err)
	}
}

// TestUndefinedIsNull checks that sim's undefined ratios (NaN) are null in
// the JSON: mean price with no wins, ROAS without spend, rates before any
// auction. It needs sim's ratios to say NaN for 0/0.
func TestUndefinedIsNull(t *testing.T) {
	if !math.IsNaN((sim.BidderStats{}).MeanPrice()) {
		t.Skip("sim's ratios give 0 for 0/0 in this tree; null needs NaN")
	}
	eng, err := sim.New(sim.Config{
		Traffic:  sim.Traffic{QPS: 1000},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Bidders: []sim.BidderConfig{
			{Name: "bids", Value: sim.Constant(1)},
			{Name: "never", Value: sim.Constant(1), NoBid: 1},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(sim.Second)
	var buf bytes.Buffer
	if err := WriteSummary(&buf, eng.Snapshot(), Meta{}); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Bidders []map[string]any `json:"bidders"`
	}
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	never := m.Bidders[1]
	for _, k := range []string{"mean_price", "attributed_roas", "incremental_roas"} {
		if v, ok := never[k]; !ok || v != nil {
			t.Errorf("never: %s = %v, want null", k, v)
		}
	}
	if m.Bidders[0]["mean_price"] == nil {
		t.Error("bids: mean_price is null, though it won")
	}
}

// everyChange has one change of each kind, with awkward values.
var everyChange = []sim.Change{
	sim.SetTmax{Tmax: 123456789},
	sim.SetFloor{Floor: sim.PriceOf(0.1 + 0.2)},
	sim.SetAuction{Auction: sim.FirstPrice},
	sim.SetIncrement{Increment: sim.PriceOf(0.01)},
	sim.SetQPS{QPS: 1234.5678},
	sim.ScaleLatency{Bidder: "a-b", Factor: 1 / 1.25},
	sim.SetLatency{Bidder: "a", Latency: sim.LogNormalMedianP99(40e6, 123e6)},
	sim.SetLatency{Bidder: "a", Latency: sim.Mixture(sim.Part{Weight: 0.9, Dist: sim.Constant(30e6)}, sim.Part{Weight: 0.1, Dist: sim.Uniform(1e6, 2e6)})},
	sim.SetLatency{Bidder: "a", Latency: sim.Normal(40e6, 5e6)},
	sim.SetLatency{Bidder: "a", Latency: sim.Exponential(25e6)},
	sim.SetLatency{Bidder: "a", Latency: sim.Uniform(1e-3, 25e6*1.25*1.25*1.25/3)}, // fractions of a nanosecond
	sim.SetLatency{Bidder: "a", Latency: sim.LogNormalMedianP99(40e6, 123e6).Scale(1 / 1.25)},
	sim.SetLatency{Bidder: "a", Latency: sim.LogNormal(6.907755278982138, 0.5)}, // a median of 1µs: no exact set
	sim.SetBudget{Bidder: "a", Total: sim.MoneyOf(1e6 / 3)},
	sim.SetStrategy{Bidder: "a", Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.85}},
	sim.SetStrategy{Bidder: "a", Strategy: sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(2.5)}},
	sim.SetStrategy{Bidder: "a", Strategy: sim.Strategy{Kind: sim.Truthful}},
	sim.SetStrategy{Bidder: "a", Strategy: sim.Strategy{Kind: sim.Equilibrium}},
	sim.SetStrategy{Bidder: "a", Strategy: sim.Strategy{Kind: sim.Learn, Arms: 10, Epsilon: 0.2}},
	sim.SetStrategy{Bidder: "b_c", Strategy: sim.Strategy{Kind: sim.TargetCPA, CPA: sim.MoneyOf(0.35)}},
	sim.SetStrategy{Bidder: "b_c", Strategy: sim.Strategy{Kind: sim.TargetROAS, ROAS: 1.0 / 3, On: sim.OnIncremental}},
	sim.SetPacing{Bidder: "a", Pacing: sim.PacingThrottle},
	sim.SetEnabled{Bidder: "a", Enabled: false},
	sim.MoveBudget{From: "a", To: "b_c", Amount: sim.MoneyOf(100.0 / 3)},
	sim.SetBudget{Bidder: "a", Unlimited: true},
	sim.SetAbandonment{Abandonment: sim.Abandonment{Per100ms: 0.1 + 0.2, Grace: 123456789}},
	sim.SetAbandonment{},
	sim.SetFrequencyCap{Bidder: "a", Cap: &sim.FrequencyCap{Impressions: 3, Per: 36 * sim.Hour}},
	sim.SetFrequencyCap{Bidder: "a-b", Cap: &sim.FrequencyCap{Impressions: 1, Per: 1500 * sim.Microsecond}},
	sim.SetFrequencyCap{Bidder: "a"},
	sim.SetDaily{Bidder: "a-b", Daily: sim.MoneyOf(100.0 / 3)},
	sim.SetDaily{Bidder: "a-b", Daily: sim.MoneyOf(30)},
	sim.SetBudget{Bidder: "a-b", Total: sim.MoneyOf(80)},           // a total beside its daily budget
	sim.SetBudget{Bidder: "a-b", Unlimited: true, KeepDaily: true}, // and none again: budget.total=null
}

// changeWorld is a scenario with the bidders everyChange names.
const changeWorld = `name: changes
stop: {duration: 1m}
traffic: {qps: 100, users: {count: 1000}}
exchange: {tmax: 100ms}
bidders:
  - {name: a, latency: 10ms, value: 1, budget: {total: 1000}}
  - {name: a-b, latency: {dist: lognormal, median: 20ms, p99: 60ms}, value: 1, budget: {daily: 50}}
  - {name: b_c, latency: 10ms, value: 1, budget: {total: 1000}, outcome: {ctr: 0.1, cvr: 0.1, order_value: 1}}
`

// replayOf is an export of changes made in changeWorld, read back.
func replayOf(t *testing.T, changes []sim.Change) (*Replayable, []Change) {
	t.Helper()
	entries := make([]Change, len(changes))
	for i, c := range changes {
		entries[i] = newChange(sim.AppliedChange{At: sim.Time(i) * sim.Second, Event: uint64(i), Change: c})
	}
	raw, err := json.Marshal(map[string]any{
		"changes": entries,
		"replay":  Replay{Version: ReplayVersion, ScenarioYAML: changeWorld, VirtualNS: int64(time.Hour), Events: 1 << 40},
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := ReadReplay(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return r, entries
}

// TestChangeRoundTrip writes every kind of change as a change log entry
// and reads it back to the same change, bit for bit: from its path
// assignment, through the scenario's own parser, or for a named kind from
// its kind and value.
func TestChangeRoundTrip(t *testing.T) {
	kinds := map[string]bool{}
	r, entries := replayOf(t, everyChange)
	for i, c := range everyChange {
		entry := entries[i]
		raw, _ := json.Marshal(entry)
		if got := r.Changes[i].Change; !sameChange(got, c) {
			t.Errorf("%s: read back %#v, want %#v", raw, got, c)
		}
		if entry.Kind != c.Kind() || entry.Text != c.String() || entry.Change != entry.Text {
			t.Errorf("%s: kind, text or change wrong", raw)
		}
		if (entry.Bidder == "") != (sim.BidderOf(c) == "") || strings.Contains(string(raw), `"bidder"`) != (entry.Bidder != "") {
			t.Errorf("%s: bidder", raw)
		}
		_, named := c.(sim.MoveBudget)
		if (entry.Set == nil) != named && c.Kind() != sim.KindLatencyScale && c.Kind() != sim.KindLatency {
			t.Errorf("%s: set", raw)
		}
		kinds[c.Kind()] = true
	}
	for _, k := range sim.Kinds() {
		if !kinds[k] {
			t.Errorf("kind %s: not covered", k)
		}
	}
	// The assignment is the scenario's own path and value.
	for _, w := range []struct {
		c    sim.Change
		want string
	}{
		{sim.SetTmax{Tmax: 80 * sim.Millisecond}, `"set":{"exchange.tmax":"80ms"}`},
		{sim.SetTmax{Tmax: 1500 * sim.Microsecond}, `"set":{"exchange.tmax":"1.5ms"}`},
		{sim.MoveBudget{From: "a", To: "b", Amount: sim.MoneyOf(100)}, `"kind":"move_budget","bidder":"a","value":{"from":"a","to":"b","amount":100},`},
		{sim.SetLatency{Bidder: "a", Latency: sim.Constant(30e6)}, `"set":{"bidders.a.latency":"{dist: constant, value: 30ms}"}`},
		{sim.SetLatency{Bidder: "a", Latency: sim.LogNormalMedianP99(40e6, 120e6)}, `"set":{"bidders.a.latency":"{dist: lognormal, median: 40ms, p99: 120ms}"}`},
		{sim.SetBudget{Bidder: "a", Unlimited: true}, `"set":{"bidders.a.budget":"null"}`},
		{sim.SetBudget{Bidder: "a", Unlimited: true, KeepDaily: true}, `"value":"no_total","at_ns":0,"event":0,"set":{"bidders.a.budget.total":"null"}`},
		{sim.SetEnabled{Bidder: "a", Enabled: false}, `"set":{"bidders.a.disabled":"true"}`},
		{sim.SetFrequencyCap{Bidder: "a", Cap: &sim.FrequencyCap{Impressions: 3, Per: 24 * sim.Hour}}, `"set":{"bidders.a.frequency_cap":"{impressions: 3, per: 24h}"}`},
		{sim.SetFrequencyCap{Bidder: "a", Cap: &sim.FrequencyCap{Impressions: 2, Per: 90 * sim.Minute}}, `"set":{"bidders.a.frequency_cap":"{impressions: 2, per: 1h30m}"}`},
		{sim.SetDaily{Bidder: "a-b", Daily: sim.MoneyOf(30)}, `"kind":"budget_daily","bidder":"a-b","value":30,"at_ns":0,"event":0,"set":{"bidders.a-b.budget.daily":"30"}`},
	} {
		c, want := w.c, w.want
		raw, _ := json.Marshal(newChange(sim.AppliedChange{Change: c}))
		if !strings.Contains(string(raw), want) {
			t.Errorf("%v: %s, want %s", c, raw, want)
		}
	}
}

// sameChange compares changes by what the engine uses: a lognormal read
// from mu and sigma has no median and p99 to quote in messages.
func sameChange(a, b sim.Change) bool {
	la, okA := a.(sim.SetLatency)
	lb, okB := b.(sim.SetLatency)
	if !okA || !okB {
		return reflect.DeepEqual(a, b)
	}
	var same func(a, b sim.Dist) bool
	same = func(a, b sim.Dist) bool {
		if a.Kind != b.Kind || a.A != b.A || a.B != b.B || len(a.Parts) != len(b.Parts) {
			return false
		}
		for i := range a.Parts {
			if a.Parts[i].Weight != b.Parts[i].Weight || !same(a.Parts[i].Dist, b.Parts[i].Dist) {
				return false
			}
		}
		return true
	}
	return la.Bidder == lb.Bidder && same(la.Latency, lb.Latency)
}

// TestVersion1ChangeRoundTrip reads every kind of change back from its
// version 1 kind and value (a latency through the scenario's own
// distribution decoder) to the same change, bit for bit.
func TestVersion1ChangeRoundTrip(t *testing.T) {
	for _, c := range everyChange {
		raw, err := json.Marshal(EncodeChangeValue(c))
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeChange(c.Kind(), sim.BidderOf(c), raw)
		if err != nil || !sameChange(got, c) {
			t.Errorf("%v as %s: read back %#v (%v)", c, raw, got, err)
		}
	}
	// Mixtures nest as deep as a scenario file's do, and no deeper.
	d := sim.Constant(1e6)
	for range 9 {
		d = sim.Mixture(sim.Part{Weight: 1, Dist: d})
	}
	raw, _ := json.Marshal(EncodeChangeValue(sim.SetLatency{Bidder: "a", Latency: d}))
	if _, err := DecodeChange(sim.KindLatency, "a", raw); err == nil || !strings.Contains(err.Error(), "nest more than") {
		t.Errorf("mixtures nested 9 deep: %v", err)
	}
}

// TestDecodeChangeRefuses checks that bad entries are refused, not
// turned into a zero change.
func TestDecodeChangeRefuses(t *testing.T) {
	// A change to one bidder (a budget move names its own) needs the
	// entry's bidder, and one to the exchange or the traffic does not.
	for _, c := range everyChange {
		_, move := c.(sim.MoveBudget)
		raw, _ := json.Marshal(EncodeChangeValue(c))
		_, err := DecodeChange(c.Kind(), "", raw)
		if want := sim.BidderOf(c) != "" && !move; (err != nil) != want || want && !strings.Contains(err.Error(), "no bidder") {
			t.Errorf("%v without its bidder: %v", c, err)
		}
	}
	for _, c := range []struct{ kind, bidder, value string }{
		{"tmax", "", `"fast"`},
		{"warp", "", `1`},
		{"auction", "", `"third-price"`},
		{"budget", "", `5`},
		{"strategy", "a", `{"kind":"shade"}`},
		{"strategy", "a", `{"kind":"bold"}`},
		{"latency", "a", `{"dist":"lognormal","median_ms":40}`},
		{"latency", "a", `{"dist":"cauchy"}`},
		{"pacing", "a", `"eager"`},
		{"enabled", "a", `"yes"`},
		{"floor", "", ``},
		// Prices and money the engine's types cannot hold.
		{"floor", "", `1e300`},
		{"increment", "", `-1`},
		{"budget", "a", `-0.5`},
		{"budget", "a", `2e9`},
		{"strategy", "a", `{"kind":"fixed","bid":1000.0000001}`},
		{"move_budget", "a", `{"from":"a","to":"b","amount":1e-12}`},
		{"move_budget", "a", `{"from":"a","to":"b","amount":-3}`},
	} {
		if got, err := DecodeChange(c.kind, c.bidder, json.RawMessage(c.value)); err == nil {
			t.Errorf("%s %s %s: read as %#v", c.kind, c.bidder, c.value, got)
		}
	}
}

// TestReadReplay reads back an export with a replay section, and refuses
// what cannot be replayed.
func TestReadReplay(t *testing.T) {
	snap := snapshot(t)
	snap.Changes = []sim.AppliedChange{{At: snap.Now / 2, Event: 10, Change: sim.SetFloor{Floor: sim.PriceOf(0.25)}}}
	meta := Meta{Scenario: "named", ScenarioYAML: []byte(changeWorld), Stop: sim.Stop{Duration: 7 * sim.Second}, Horizon: 7 * sim.Second}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, snap, meta); err != nil {
		t.Fatal(err)
	}
	export := buf.String()
	r, err := ReadReplay(strings.NewReader(export))
	if err != nil {
		t.Fatal(err)
	}
	want := &Replayable{Scenario: "named", YAML: meta.ScenarioYAML, Seed: snap.Seed, Stop: meta.Stop, Horizon: meta.Horizon,
		Point: sim.Point{At: snap.Now, Events: snap.Events}, Auctions: snap.Exchange.Auctions, Changes: snap.Changes}
	// The summary's revenue is kept, with its line, for Execute's check.
	rev := sim.MetricValues(snap)["exchange.revenue"]
	x := strings.Index(export, `"exchange": {`)
	want.Revenue, want.RevenueLine = &rev, 1+strings.Count(export[:x+strings.Index(export[x:], `"revenue"`)], "\n")
	if !reflect.DeepEqual(r, want) {
		t.Errorf("read back %+v\nwant %+v", r, want)
	}

	// Skipped fields may hold anything JSON does.
	odd := strings.Replace(export, "{", `{"zzz": {"a": "}\"]{[", "b": [1, -2.5e3, {"c": null}, true, "\\"]}, "\u0073eries": [], `, 1)
	if r, err := ReadReplay(strings.NewReader(odd)); err != nil || !reflect.DeepEqual(r, want) {
		t.Errorf("with odd fields to skip: %v", err)
	}

	var summary bytes.Buffer
	_ = WriteSummary(&summary, snap, meta)
	for name, text := range map[string]string{
		"not JSON":      "hello",
		"truncated":     export[:len(export)/2],
		"a list":        "[1, 2]",
		"trailing data": export + "{}",
		"version":       strings.Replace(export, `"version": 2`, `"version": 99`, 1),
		"bad change":    strings.Replace(export, `"exchange.floor": "0.25"`, `"exchange.flor": "0.25"`, 1),
		"bad set value": strings.Replace(export, `"exchange.floor": "0.25"`, `"exchange.floor": "-1"`, 1),
		"not live":      strings.Replace(export, `"exchange.floor": "0.25"`, `"seed": "4"`, 1),
		"summary only":  summary.String(),
		"unbalanced":    strings.Replace(export, "{", `{"zzz": [1}, `, 1),
		"open string":   strings.Replace(export, "{", `{"zzz": "a`+"\n"+`", `, 1),
		"no colon":      strings.Replace(export, "{", `{"zzz" 1, `, 1),
		"bad value":     strings.Replace(export, "{", `{"zzz": @, `, 1),
		"two commas":    strings.Replace(export, "{", `{"zzz": 1,, `, 1),
	} {
		if _, err := ReadReplay(strings.NewReader(text)); err == nil {
			t.Errorf("%s: no error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// TestMillisecondsExact checks that durations written in milliseconds read
// back to the same nanoseconds, bit for bit.
func TestMillisecondsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	floats := []float64{0, 1, 0.5, 1e-300, 5e-324, 1e300, math.MaxFloat64, 40e6 * 1.25 * 1.25 * 1.25, 1 / 3.0}
	for range 10000 {
		floats = append(floats, math.Float64frombits(rng.Uint64()&^(1<<63)))
		floats = append(floats, rng.Float64()*1e9)
	}
	for _, x := range floats {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		n := msNumber(x)
		var back json.Number
		raw, _ := json.Marshal(n)
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatalf("%g: %s is not JSON: %v", x, raw, err)
		}
		got, err := nsOf(back)
		if err != nil || math.Float64bits(got) != math.Float64bits(x) {
			t.Fatalf("%g ns → %s ms → %g ns (%v)", x, n, got, err)
		}
	}
	times := []sim.Time{0, 1, 999_999, 1_000_000, 80 * sim.Millisecond, math.MaxInt64, -5, math.MinInt64 + 1}
	for range 10000 {
		times = append(times, sim.Time(rng.Int64()))
	}
	for _, x := range times {
		got, err := timeOf(msOfTime(x))
		if err != nil || got != x {
			t.Fatalf("%d ns → %s ms → %d (%v)", int64(x), msOfTime(x), int64(got), err)
		}
	}
	if _, err := timeOf("0.0000001"); err == nil {
		t.Error("a tenth of a nanosecond was read as a time")
	}
}
