package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestBundled checks that every bundled scenario parses, passes the
// engine's validation and runs.
func TestBundled(t *testing.T) {
	for _, info := range List() {
		t.Run(info.Name, func(t *testing.T) {
			t.Parallel()
			s, err := Bundled(info.Name)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != info.Name {
				t.Errorf("name %q, want the file's name %q", s.Name, info.Name)
			}
			if s.Source != "bundled:"+info.Name {
				t.Errorf("source %q", s.Source)
			}
			if len(s.Description) < 100 || !strings.Contains(s.Description, "Try") {
				t.Errorf("the description should say what the scenario teaches and what to try: %q", s.Description)
			}
			if s.Stop.Auctions == 0 && s.Stop.Duration == 0 {
				t.Error("no stop")
			}
			if s.Config.Horizon <= 0 {
				t.Error("no horizon")
			}
			if err := s.Config.Validate(); err != nil {
				t.Fatal(err)
			}
			eng, err := sim.New(s.Config)
			if err != nil {
				t.Fatal(err)
			}
			eng.RunAuctions(5000)
			snap := eng.Snapshot()
			if snap.Exchange.Auctions != 5000 || snap.Exchange.Revenue <= 0 {
				t.Errorf("after 5000 auctions: %+v", snap.Exchange)
			}
		})
	}
}

// TestBundledFilesListed checks that List and the embedded files agree.
func TestBundledFilesListed(t *testing.T) {
	entries, err := fs.ReadDir(bundledFS, "bundled")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	names := Names()
	slices.Sort(files)
	sorted := slices.Sorted(slices.Values(names))
	if !slices.Equal(files, sorted) {
		t.Errorf("files %v, listed %v", files, sorted)
	}
	if !slices.Contains(names, Default) {
		t.Errorf("default %q is not bundled", Default)
	}
	want := []string{"classroom-vickrey", "first-vs-second", "reserve-price", "sponsored-search", "timeout-demo", "timeout-story", "prebid-server", "overloaded-bidder", "budget-split", "incrementality-test", "pacing-showdown", "flight-week"}
	if !slices.Equal(names, want) {
		t.Errorf("names %v, want %v", names, want)
	}
}

// TestTimeoutDemo checks the default scenario is what the issue describes.
func TestTimeoutDemo(t *testing.T) {
	s, err := Bundled(Default)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Config
	if len(c.Bidders) != 8 {
		t.Fatalf("%d bidders, want 8", len(c.Bidders))
	}
	if c.Exchange.Tmax != 120*sim.Millisecond {
		t.Errorf("tmax %v", c.Exchange.Tmax)
	}
	var medians []float64
	mixtures, budgets, outcomes := 0, 0, 0
	for _, b := range c.Bidders {
		switch b.Latency.Kind {
		case sim.DistLogNormal:
			medians = append(medians, math.Exp(b.Latency.A)/float64(sim.Millisecond))
		case sim.DistMixture:
			mixtures++
		}
		if b.Budget != nil {
			budgets++
		}
		if b.Outcome != nil {
			outcomes++
		}
	}
	if mixtures != 1 || budgets == 0 || outcomes == 0 {
		t.Errorf("mixtures %d, budgets %d, outcomes %d", mixtures, budgets, outcomes)
	}
	if lo, hi := slices.Min(medians), slices.Max(medians); math.Abs(lo-30) > 1e-6 || math.Abs(hi-150) > 1e-6 {
		t.Errorf("latency medians from %g to %g ms, want 30 to 150", lo, hi)
	}
}

func TestSource(t *testing.T) {
	src, err := Source(Default)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse("copy.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != Default || s.Source != "copy.yaml" {
		t.Errorf("name %q, source %q", s.Name, s.Source)
	}
	if _, err := Source("nope"); err == nil {
		t.Error("unknown name: no error")
	}
	if _, err := Bundled("../parse.go"); err == nil {
		t.Error("a path as a bundled name: no error")
	}
}

func TestResolve(t *testing.T) {
	if s, err := Resolve("reserve-price"); err != nil || s.Source != "bundled:reserve-price" {
		t.Errorf("bundled name: %v, %v", s, err)
	}
	dir := t.TempDir()
	src, _ := Source("reserve-price")
	path := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Resolve(path)
	if err != nil || s.Source != path {
		t.Errorf("file: %v, %v", s, err)
	}
	_, err = Resolve("no-such-scenario")
	if err == nil || !strings.Contains(err.Error(), "timeout-demo") {
		t.Errorf("unknown name: %v; want the bundled names listed", err)
	}
	_, err = Resolve(filepath.Join(dir, "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v; want fs.ErrNotExist", err)
	}
}

// issueExample is the example from the scenario format's specification.
const issueExample = `name: timeout-demo
description: Eight bidders with S2S latency; lower tmax and watch revenue fall.
seed: 42
stop: {auctions: 1000000, duration: 10m}   # whichever comes first; at least one
traffic: {qps: 1000}
exchange:
  auction: second-price        # second-price | first-price
  tmax: 120ms
  floor: 0.10
  increment: 0.01
bidders:
  - name: swift
    latency: {dist: lognormal, median: 30ms, p99: 80ms}   # absent: zero
    errors: 0.001
    no_bid: 0.05
    capacity: {workers: 4, service: {dist: exponential, mean: 2ms}, queue: 1000}  # absent: unlimited
    value: {dist: uniform, min: 0.5, max: 4.0}
    strategy: {kind: truthful}     # truthful | shade {factor} | fixed {bid}
    budget: {total: 500, pacing: multiplier}   # absent: unlimited; pacing none | throttle | multiplier
    outcome: {ctr: 0.004, cvr: 0.03, order_value: 60, baseline_cvr: 0.00005,
              delay: {dist: exponential, mean: 6h}}                             # absent: no outcomes
  - name: tail
    latency: {dist: mixture, parts: [{weight: 0.9, dist: lognormal, median: 80ms, p99: 200ms},
                                     {weight: 0.1, dist: constant, value: 400ms}]}
    value: {dist: exponential, mean: 1.2}
`

func TestParseExample(t *testing.T) {
	s, err := Parse("example.yaml", []byte(issueExample))
	if err != nil {
		t.Fatal(err)
	}
	ms := float64(sim.Millisecond)
	c := s.Config
	if c.Name != "timeout-demo" || c.Seed != 42 || c.Traffic.QPS != 1000 {
		t.Errorf("name %q seed %d qps %g", c.Name, c.Seed, c.Traffic.QPS)
	}
	if s.Stop != (Stop{Auctions: 1_000_000, Duration: 10 * sim.Minute}) {
		t.Errorf("stop %+v", s.Stop)
	}
	// 1e6 auctions at 1000 qps take 1000s; the 10m duration is shorter.
	if c.Horizon != 10*sim.Minute {
		t.Errorf("horizon %v", c.Horizon)
	}
	x := c.Exchange
	if !reflect.DeepEqual(x, sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 120 * sim.Millisecond, Floor: sim.PriceOf(0.10), Increment: sim.PriceOf(0.01), TmaxCurve: sim.DefaultTmaxCurve}) {
		t.Errorf("exchange %+v", x)
	}
	sw := c.Bidders[0]
	if want := sim.LogNormalMedianP99(30*ms, 80*ms); sw.Latency.Kind != want.Kind || sw.Latency.A != want.A || sw.Latency.B != want.B {
		t.Errorf("swift latency %v, want %v", sw.Latency, want)
	}
	if sw.Errors != 0.001 || sw.NoBid != 0.05 {
		t.Errorf("swift errors %g no_bid %g", sw.Errors, sw.NoBid)
	}
	if c := sw.Capacity; c == nil || c.Workers != 4 || c.Queue != 1000 || c.Service.Kind != sim.DistExponential || c.Service.A != 2*ms {
		t.Errorf("swift capacity %+v", sw.Capacity)
	}
	if sw.Value.Kind != sim.DistUniform || sw.Value.A != 0.5 || sw.Value.B != 4 {
		t.Errorf("swift value %v", sw.Value)
	}
	if sw.Strategy.Kind != sim.Truthful {
		t.Errorf("swift strategy %v", sw.Strategy)
	}
	if b := sw.Budget; b == nil || b.Total.Float() != 500 || b.Pacing != sim.PacingMultiplier {
		t.Errorf("swift budget %+v", sw.Budget)
	}
	if o := sw.Outcome; o == nil || o.CTR != 0.004 || o.CVR != 0.03 || o.OrderValue.Float() != 60 || o.BaselineCVR != 0.00005 ||
		o.Delay.Kind != sim.DistExponential || o.Delay.A != float64(6*sim.Hour) {
		t.Errorf("swift outcome %+v", sw.Outcome)
	}
	tail := c.Bidders[1]
	if l := tail.Latency; l.Kind != sim.DistMixture || len(l.Parts) != 2 || l.Parts[0].Weight != 0.9 ||
		l.Parts[1].Dist.Kind != sim.DistConstant || l.Parts[1].Dist.A != 400*ms {
		t.Errorf("tail latency %v", tail.Latency)
	}
	if tail.Capacity != nil || tail.Budget != nil || tail.Outcome != nil || tail.Strategy.Kind != sim.Truthful {
		t.Errorf("tail defaults: %+v", tail)
	}
	if tail.Value.Kind != sim.DistExponential || tail.Value.A != 1.2 {
		t.Errorf("tail value %v", tail.Value)
	}
}

// minimal is the smallest valid scenario, to extend in tests.
const minimal = `stop: {auctions: 1000}
traffic: {qps: 100}
exchange: {tmax: 100ms}
bidders:
  - {name: a, value: 1}
`

func mustParse(t *testing.T, src string) *Scenario {
	t.Helper()
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("%v\nin:\n%s", err, src)
	}
	return s
}

func TestDefaults(t *testing.T) {
	s := mustParse(t, minimal)
	if s.Name != "test" || s.Config.Name != "test" {
		t.Errorf("name %q, want the file's base name", s.Name)
	}
	if s.Config.Seed != DefaultSeed {
		t.Errorf("seed %d", s.Config.Seed)
	}
	if s.Config.Exchange.Auction != sim.SecondPrice {
		t.Errorf("auction %v", s.Config.Exchange.Auction)
	}
	// 1000 auctions at 100 qps: a 10s horizon.
	if s.Config.Horizon != 10*sim.Second {
		t.Errorf("horizon %v", s.Config.Horizon)
	}
	b := s.Config.Bidders[0]
	if b.Value.Kind != sim.DistConstant || b.Value.A != 1 || b.Latency.Kind != sim.DistNone {
		t.Errorf("bidder %+v", b)
	}
}

func TestHorizon(t *testing.T) {
	cases := []struct {
		stop, extra string
		want        sim.Time
	}{
		{"{auctions: 1000}", "", 10 * sim.Second},
		{"{duration: 1m}", "", sim.Minute},
		{"{auctions: 1000, duration: 1m}", "", 10 * sim.Second},
		{"{auctions: 100000, duration: 1m}", "", sim.Minute},
		{"{auctions: 1000}", "horizon: 1h\n", sim.Hour},
	}
	for _, c := range cases {
		src := strings.Replace(minimal, "{auctions: 1000}", c.stop, 1) + c.extra
		if s := mustParse(t, src); s.Config.Horizon != c.want {
			t.Errorf("stop %s %s: horizon %v, want %v", c.stop, c.extra, s.Config.Horizon, c.want)
		}
	}
	// A shape of mean 0.5 does not simply double the time (20s): the
	// auctions come when the shape brings them, after a night without
	// any, or in the day's first ten seconds; a day's worth ends with the
	// day's traffic, a duration caps it.
	for _, c := range []struct {
		shape, stop string
		want        sim.Time
	}{
		{"[0, 1]", "{auctions: 1000}", 12*sim.Hour + 10*sim.Second},
		{"[1, 0]", "{auctions: 1000}", 10 * sim.Second},
		{"[1, 0]", "{auctions: 4320000}", 12 * sim.Hour},
		{"[1, 0]", "{auctions: 4320001}", 24*sim.Hour + 10*sim.Millisecond},
		{"[0, 1]", "{auctions: 1000, duration: 1h}", sim.Hour},
	} {
		src := strings.Replace(strings.Replace(minimal, "{qps: 100}", "{qps: 100, shape: "+c.shape+"}", 1), "{auctions: 1000}", c.stop, 1)
		if s := mustParse(t, src); s.Config.Horizon != c.want {
			t.Errorf("shape %s, stop %s: horizon %v, want %v", c.shape, c.stop, s.Config.Horizon, c.want)
		}
	}
}

// TestHorizonFollowsScript: a stop at n auctions given apart (WithStop,
// run --auctions) to a scenario whose script changes traffic.qps plans
// the horizon piecewise, worked by hand: 100 qps, 200 from 5s, 50 from
// 10s (500 auctions by 5s, 1000 more by 10s). 1000 auctions come by 7.5s
// (10s at the starting rate), 3000 by 40s (30s); a paced budget is spread
// over that. Without the script, with a script that changes no rate, or
// one that changes it only after the n-th auction, the plan is as
// before; so it is with an explicit horizon, a shorter duration, and for
// the file's own stop (a duration).
func TestHorizonFollowsScript(t *testing.T) {
	const script = `script:
  - at: 5s
    set: {traffic.qps: 200}
  - at: 10s
    set: {traffic.qps: 50, exchange.tmax: 90ms}
`
	src := strings.Replace(minimal, "{auctions: 1000}", "{duration: 1m}", 1) +
		"  - {name: b, value: 2, budget: {total: 5, pacing: throttle}}\n"
	for _, c := range []struct {
		extra string
		stop  Stop
		want  sim.Time
	}{
		{script, Stop{Auctions: 1000}, 7*sim.Second + 500*sim.Millisecond},
		{script, Stop{Auctions: 1500}, 10 * sim.Second},
		{script, Stop{Auctions: 3000}, 40 * sim.Second},
		{script, Stop{Auctions: 400}, 4 * sim.Second},
		{script, Stop{Auctions: 500}, 5 * sim.Second},
		{script, Stop{Auctions: 3000, Duration: 20 * sim.Second}, 20 * sim.Second},
		{script, Stop{Duration: 20 * sim.Second}, 20 * sim.Second},
		{"horizon: 1m\n" + script, Stop{Auctions: 3000}, sim.Minute},
		{"", Stop{Auctions: 1000}, 10 * sim.Second},
		{"", Stop{Auctions: 3000}, 30 * sim.Second},
		{"script:\n  - {at: 5s, set: {exchange.tmax: 90ms}}\n", Stop{Auctions: 1000}, 10 * sim.Second},
	} {
		s := mustParse(t, src+c.extra)
		if s.Config.Horizon != sim.Minute {
			t.Errorf("the file's stop: horizon %v, want 1m0s, in:\n%s", s.Config.Horizon, src+c.extra)
		}
		w, err := s.WithStop(c.stop)
		if err != nil {
			t.Fatal(err)
		}
		if w.Config.Horizon != c.want {
			t.Errorf("stop %+v: horizon %v, want %v, in:\n%s", c.stop, w.Config.Horizon, c.want, src+c.extra)
		}
		// The engine takes it: the budget is paced over it.
		if _, err := sim.New(w.Config); err != nil {
			t.Errorf("stop %+v: %v", c.stop, err)
		}
	}
	s, err := mustParse(t, src+script).WithStop(Stop{Auctions: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if h := s.WithoutScript().Config.Horizon; h != 10*sim.Second {
		t.Errorf("without the script: horizon %v, want 10s", h)
	}
	if h := s.OlderHorizon(); h != 10*sim.Second {
		t.Errorf("the older plan: %v, want 10s", h)
	}
}

// TestWithStopAtScriptedRate checks that a stop given apart (run
// --auctions) is refused at a rate the script sets, as the file's own
// stop is: 10⁹ auctions after a step to 0.001 qps ran into the clock's
// end, cut short, and exited 0.
func TestWithStopAtScriptedRate(t *testing.T) {
	s := mustParse(t, minimal+"script:\n  - {at: 1s, set: {traffic.qps: 0.001}}\n")
	_, err := s.WithStop(Stop{Auctions: sim.MaxAuctions})
	if err == nil || !strings.Contains(err.Error(), "the script sets at 1s") {
		t.Errorf("10⁹ auctions at the script's 0.001 qps: %v", err)
	}
	if _, err := s.WithoutScript().WithStop(Stop{Auctions: sim.MaxAuctions}); err != nil {
		t.Errorf("without the script: %v", err)
	}
}

func TestWithSeedAndStop(t *testing.T) {
	s := mustParse(t, minimal+"  - {name: b, value: 2, budget: {total: 5, pacing: throttle}}\n")
	c := s.WithSeed(99)
	if c.Config.Seed != 99 || s.Config.Seed != DefaultSeed {
		t.Errorf("seeds %d, %d", c.Config.Seed, s.Config.Seed)
	}
	d, err := s.WithStop(Stop{Duration: sim.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if d.Stop.Duration != sim.Minute || d.Stop.Auctions != 0 || d.Config.Horizon != sim.Minute {
		t.Errorf("with stop: %+v, horizon %v", d.Stop, d.Config.Horizon)
	}
	if s.Stop.Auctions != 1000 || s.Config.Horizon != 10*sim.Second {
		t.Errorf("original changed: %+v, horizon %v", s.Stop, s.Config.Horizon)
	}
	d.Config.Bidders[1].Budget.Total = sim.MoneyOf(1)
	if s.Config.Bidders[1].Budget.Total.Float() != 5 {
		t.Error("a copy shares its budget with the original")
	}
	if _, err := s.WithStop(Stop{}); err == nil {
		t.Error("empty stop: no error")
	}
	if got := (Stop{Auctions: 5, Duration: sim.Second}).String(); got != "5 auctions or 1s, whichever comes first" {
		t.Errorf("Stop.String: %q", got)
	}
}

func TestDistributions(t *testing.T) {
	ms := float64(sim.Millisecond)
	cases := []struct {
		latency string
		want    sim.Dist
	}{
		{"30ms", sim.Constant(30 * ms)},
		{"0", sim.Constant(0)},
		{"{dist: constant, value: 1s}", sim.Constant(1000 * ms)},
		{"{dist: uniform, min: 10ms, max: 50ms}", sim.Uniform(10*ms, 50*ms)},
		{"{dist: normal, mean: 40ms, sd: 10ms}", sim.Normal(40*ms, 10*ms)},
		{"{dist: exponential, mean: 2ms}", sim.Exponential(2 * ms)},
		{"{dist: lognormal, median: 30ms, p99: 80ms}", sim.LogNormalMedianP99(30*ms, 80*ms)},
		// mu is in log-seconds for durations.
		{"{dist: lognormal, mu: -3, sigma: 0.5}", sim.LogNormal(-3+math.Log(1e9), 0.5)},
		{"{dist: lognormal, median: 30ms, p99: 30ms}", sim.LogNormal(math.Log(30*ms), 0)},
	}
	for _, c := range cases {
		src := strings.Replace(minimal, "{name: a, value: 1}", "{name: a, value: 1, latency: "+c.latency+"}", 1)
		got := mustParse(t, src).Config.Bidders[0].Latency
		if got.Kind != c.want.Kind || math.Abs(got.A-c.want.A) > 1e-9 || math.Abs(got.B-c.want.B) > 1e-9 {
			t.Errorf("latency %s: got %v (%v, %v), want %v", c.latency, got, got.A, got.B, c.want)
		}
	}
	values := map[string]sim.Dist{
		"2.5":                                    sim.Constant(2.5),
		"{dist: lognormal, mu: 0.5, sigma: 1}":   sim.LogNormal(0.5, 1),
		"{dist: lognormal, median: 1.5, p99: 6}": sim.LogNormalMedianP99(1.5, 6),
	}
	for v, want := range values {
		src := strings.Replace(minimal, "value: 1}", "value: "+v+"}", 1)
		got := mustParse(t, src).Config.Bidders[0].Value
		if got.Kind != want.Kind || math.Abs(got.A-want.A) > 1e-12 || math.Abs(got.B-want.B) > 1e-12 {
			t.Errorf("value %s: got %v, want %v", v, got, want)
		}
	}
	nested := strings.Replace(minimal, "value: 1}", `value: {dist: mixture, parts: [
      {weight: 1, dist: mixture, parts: [{weight: 1, dist: constant, value: 1}]},
      {weight: 3, dist: uniform, min: 0, max: 2}]}}`, 1)
	got := mustParse(t, nested).Config.Bidders[0].Value
	if got.Kind != sim.DistMixture || got.Parts[0].Dist.Kind != sim.DistMixture || got.Parts[1].Weight != 3 {
		t.Errorf("nested mixture: %v", got)
	}
	if m := got.Mean(); math.Abs(m-1) > 1e-12 {
		t.Errorf("nested mixture mean %g, want 1", m)
	}
}

func TestAliasesAndMerges(t *testing.T) {
	src := `stop: {auctions: 1000}
traffic: {qps: 100}
exchange: {tmax: 100ms}
bidders:
  - &a {name: a, latency: &lat {dist: exponential, mean: 5ms}, value: 1}
  - {<<: *a, name: b}
  - name: c
    latency: *lat
    value: !!float 2
  - <<: [*a, {strategy: {kind: fixed, bid: 3}}]
    name: d
`
	s := mustParse(t, src)
	names := []string{}
	for _, b := range s.Config.Bidders {
		names = append(names, b.Name)
		if b.Latency.Kind != sim.DistExponential || b.Latency.A != float64(5*sim.Millisecond) {
			t.Errorf("%s: latency %v", b.Name, b.Latency)
		}
	}
	if !slices.Equal(names, []string{"a", "b", "c", "d"}) {
		t.Errorf("names %v", names)
	}
	if st := s.Config.Bidders[3].Strategy; st.Kind != sim.Fixed || st.Bid.CPM() != 3 {
		t.Errorf("merged strategy %v", st)
	}
}

// TestAllErrorsReported checks that one pass reports every problem, in
// file order, each placed on its line.
func TestAllErrorsReported(t *testing.T) {
	src := `seed: -1
stop: {auctions: 0}
traffic: {qps: 0}
exchange: {tmax: 0s, flor: 1}
bidders:
  - {name: a, value: {dist: uniform, min: 2, max: 1}}
  - {name: a, value: 1, errors: 2}
`
	_, err := Parse("bad.yaml", []byte(src))
	var list Errors
	if !errors.As(err, &list) {
		t.Fatalf("error %T %v, want Errors", err, err)
	}
	var lines []int
	for _, e := range list {
		lines = append(lines, e.Line)
		if e.File != "bad.yaml" || e.Line == 0 || e.Column == 0 || e.Field == "" {
			t.Errorf("error without its place: %#v", e)
		}
	}
	if want := []int{1, 2, 3, 4, 4, 6, 7, 7}; !slices.Equal(lines, want) {
		t.Errorf("errors on lines %v, want %v:\n%v", lines, want, err)
	}
	var one *Error
	if !errors.As(err, &one) || one.Field != "seed" {
		t.Errorf("errors.As(*Error): %v", one)
	}
	if got := list[0].Error(); got != "bad.yaml:1:7: seed: want a whole number ≥ 0, got -1" {
		t.Errorf("message %q", got)
	}
}

// TestTruncations parses every prefix of every bundled scenario: none may
// panic, and a parse that succeeds must give a config the engine accepts.
func TestTruncations(t *testing.T) {
	for _, name := range Names() {
		src, err := Source(name)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i <= len(src); i += 7 {
			s, err := Parse(name, src[:i])
			if err == nil {
				if _, err := sim.New(s.Config); err != nil {
					t.Errorf("%s[:%d] parses but the engine refuses it: %v", name, i, err)
				}
			}
		}
	}
}

func TestLimits(t *testing.T) {
	big := make([]byte, maxFileSize+1)
	if _, err := Parse("big.yaml", big); err == nil || !strings.Contains(err.Error(), "larger than 64 KiB") {
		t.Errorf("huge file: %v", err)
	}
	deep := strings.Repeat("[", 10_000)
	if _, err := Parse("deep.yaml", []byte("a: "+deep)); err == nil || !strings.Contains(err.Error(), "nest") {
		t.Errorf("deep nesting: %v", err)
	}
	// A billion laughs through merge keys: each bidder merges the one
	// before it twice, doubling the work at every step.
	var b strings.Builder
	b.WriteString(strings.Replace(minimal, "  - {name: a, value: 1}\n", "", 1))
	b.WriteString("  - &b0 {name: b0, value: 1}\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&b, "  - &b%d {<<: [*b%d, *b%d], name: b%d}\n", i, i-1, i-1, i)
	}
	_, err := Parse("laughs.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "nodes") {
		t.Errorf("billion laughs: %v", err)
	}
	// Mixtures nest at most maxMixtureDepth deep.
	b.Reset()
	b.WriteString(strings.Replace(minimal, "value: 1}", "value: &m0 {dist: constant, value: 1}}", 1))
	for i := 1; i < 20; i++ {
		fmt.Fprintf(&b, "  - {name: m%d, value: &m%d {dist: mixture, parts: [{<<: *m%d, weight: 1}]}}\n", i, i, i-1)
	}
	_, err = Parse("mixtures.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "nest more than 8") {
		t.Errorf("deep mixtures: %v", err)
	}
}

// TestGiven checks that a parsed scenario tells the fields its file gives
// from those it leaves out, or sets to null, or only names in its text.
func TestGiven(t *testing.T) {
	const file = `name: given
description: |
  tmax_curve: named here, not given
stop: {auctions: 100}
traffic: {qps: 100}
exchange: {tmax: 100ms, floor: null, tmax_curve: {from: 50ms, to: 100ms, step: 50ms}}
bidders:
  - {name: a, value: {dist: constant, value: 1}}
`
	s, err := Parse("given.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{
		"exchange.tmax": true, "exchange.tmax_curve": true, "exchange.tmax_curve.step": true,
		"bidders[0].value": true, "exchange.floor": false, "exchange.auction": false,
		"tmax_curve": false, "bidders[0].latency": false,
	} {
		if got := s.Given(path); got != want {
			t.Errorf("Given(%q) = %v, want %v", path, got, want)
		}
	}
}

// Prices and amounts of money are read into sim.Price and sim.Money,
// rounded as the engine rounds them; a number the types cannot hold, or
// that rounding would bring into range, is refused as written, at its
// place, in sim's words, among the engine's other errors.
func TestMoneyAndPrices(t *testing.T) {
	src := `stop: {auctions: 10}
traffic: {qps: 10}
exchange: {tmax: 100ms, floor: 0.1234567, increment: 0.0000014}
bidders:
  - name: a
    value: 1
    strategy: {kind: fixed, bid: 0.4444449}
    budget: {total: 0.1234567891, pacing: none}
    outcome: {ctr: 0.5, cvr: 0.5, order_value: 3.3333333333}
`
	s, err := Parse("ok.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	x, b := s.Config.Exchange, s.Config.Bidders[0]
	// raw: the exact units the text rounds to
	if x.Floor != 123457 || x.Increment != 1 || b.Strategy.Bid != 444445 ||
		b.Budget.Total != 123456789 || b.Outcome.OrderValue != 3333333333 {
		t.Errorf("floor %d increment %d bid %d budget %d order value %d", x.Floor, x.Increment, b.Strategy.Bid, b.Budget.Total, b.Outcome.OrderValue)
	}

	bad := `stop: {auctions: 10}
traffic: {qps: 0}
exchange: {tmax: 100ms, floor: 1e300, increment: 1000.0000001}
bidders:
  - name: a
    value: 1
    strategy: {kind: fixed, bid: -0.0000001}
    budget: {total: 1000000000.000001}
    outcome: {order_value: -1e-12}
`
	_, err = Parse("bad.yaml", []byte(bad))
	want := []string{
		"bad.yaml:2:16: traffic.qps: 0 must be ≥ 0.001",
		"bad.yaml:3:32: exchange.floor: 1e300 is more than 1000, the largest supported price in CPM",
		"bad.yaml:3:50: exchange.increment: 1000.0000001 is more than 1000, the largest supported price in CPM",
		"bad.yaml:7:34: bidders[0].strategy.bid: -0.0000001 must be ≥ 0",
		"bad.yaml:8:21: bidders[0].budget.total: 1000000000.000001 is more than 1000000000, the largest supported amount of currency",
		"bad.yaml:9:28: bidders[0].outcome.order_value: -1e-12 must be ≥ 0",
	}
	var list Errors
	if !errors.As(err, &list) {
		t.Fatalf("error %T %v, want Errors", err, err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFileStopWithScriptedRate: a file whose own stop is a number of
// auctions may script a change of rate: its horizon is planned once, with
// the script's rate changes (the steps do not plan it again), and the
// step changes the rate. It was refused ("horizon: … cannot change during
// a run").
func TestFileStopWithScriptedRate(t *testing.T) {
	src := minimal + "  - {name: b, value: 2, budget: {total: 5, pacing: throttle}}\n" + `script:
  - at: 5s
    set: {traffic.qps: 200}
`
	s := mustParse(t, src)
	// 500 auctions in the first 5 s at 100 qps, the other 500 at 200 qps.
	if want := 7*sim.Second + 500*sim.Millisecond; s.Config.Horizon != want {
		t.Errorf("horizon %v, want %v", s.Config.Horizon, want)
	}
	if len(s.Config.Script) != 1 || len(s.Config.Script[0].Changes) != 1 {
		t.Fatalf("script %+v, want one step of one change", s.Config.Script)
	}
	if r, ok := s.Config.Script[0].Changes[0].(sim.SetQPS); !ok || r.QPS != 200 {
		t.Errorf("the step's change %#v, want the rate set to 200", s.Config.Script[0].Changes[0])
	}
	if _, err := sim.New(s.Config); err != nil {
		t.Error(err)
	}
}

// TestLiveRateKeepsHorizon: in a world whose horizon is planned from its
// stop and rate, a live change of rate is taken, by either route, and the
// run keeps the horizon it planned at its start. It was refused.
func TestLiveRateKeepsHorizon(t *testing.T) {
	src := minimal + "  - {name: b, value: 2, budget: {total: 5, pacing: throttle}}\n"
	for _, full := range []bool{false, true} {
		l, err := NewLive("test.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		l.full = full
		h := l.Config().Horizon
		if h != 10*sim.Second {
			t.Fatalf("planned horizon %v, want 10s", h)
		}
		changes, err := l.Set([]Set{{Path: "traffic.qps", Value: "400"}})
		if err != nil {
			t.Fatalf("full route %v: %v", full, err)
		}
		if len(changes) != 1 {
			t.Fatalf("full route %v: changes %v, want the rate's", full, changes)
		}
		if r, ok := changes[0].(sim.SetQPS); !ok || r.QPS != 400 {
			t.Errorf("full route %v: change %#v, want the rate set to 400", full, changes[0])
		}
		if got := l.Config().Horizon; got != h || l.Config().Traffic.QPS != 400 {
			t.Errorf("full route %v: horizon %v at %v qps, want %v at 400", full, got, l.Config().Traffic.QPS, h)
		}
	}
}
