package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// knownYAML is a split with a known answer. Every win of "good" causes
// value (no organic conversions), so the group's incremental value is
// linear in good's spend until good runs out of auctions worth buying,
// then flat: a concave response with its kink at good's spend when
// unlimited. "idle" has no outcome model: its budget causes nothing. The
// best split gives good at least its unlimited spend, and nothing more
// helps.
const knownYAML = `name: split-known
seed: 5
stop: {duration: 60s}
traffic: {qps: 200}
exchange: {auction: second-price, tmax: 120ms, floor: 0.10, increment: 0.01}
bidders:
  - name: good
    group: g
    latency: {dist: constant, value: 20ms}
    value: {dist: uniform, min: 1, max: 3}
    budget: {total: 4, pacing: multiplier}
    outcome: {ctr: 0.05, cvr: 0.5, order_value: 1, baseline_cvr: 0, delay: {dist: constant, value: 0s}}
  - name: idle
    group: g
    latency: {dist: constant, value: 20ms}
    value: {dist: uniform, min: 0.2, max: 0.6}
    budget: {total: 16, pacing: multiplier}
  - name: rival
    latency: {dist: constant, value: 20ms}
    value: {dist: uniform, min: 0.5, max: 2.5}
`

// knownSplitter is the splitter of group g in knownYAML, for incremental
// value.
func knownSplitter(t *testing.T) (*scenarios.Scenario, *splitter) {
	t.Helper()
	sc, err := scenarios.Parse("split-known.yaml", []byte(knownYAML))
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSplitter(sc, "g", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	return sc, s
}

// unlimitedSpend is what good spends over the run with no budget: where
// its response curve turns flat.
func unlimitedSpend(t *testing.T, sc *scenarios.Scenario, seed uint64) float64 {
	t.Helper()
	cfg := sc.WithSeed(seed).Config
	cfg.Bidders = append([]sim.BidderConfig(nil), cfg.Bidders...)
	cfg.Bidders[0].Budget = nil
	e, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunStop(sc.Stop, ^uint64(0))
	b, _ := e.Snapshot().FindBidder("good")
	return b.Spend.Float()
}

// TestSplitKnownOptimum: from 4/16 in moves of 2, split gives good about
// its unlimited spend: at least a step below it, and at most two steps
// above, as pacing keeps a little back of a budget just above what the
// bidder would spend unpaced, so the first step past the kink can still
// help by a measurable amount; never the whole total (16). It also says
// the recommendation is better with an interval above 0, and keeps the
// total exactly.
func TestSplitKnownOptimum(t *testing.T) {
	sc, s := knownSplitter(t)
	s.reps, s.workers, s.noCurves = 6, 2, true
	res, err := s.run(context.Background(), s.current(), 200)
	if err != nil {
		t.Fatal(err)
	}
	kink := unlimitedSpend(t, sc, sc.Config.Seed)
	if !(kink > 8 && kink < 16) {
		t.Fatalf("good's unlimited spend is %.2f: the case no longer has its kink between the start and the total", kink)
	}
	good, idle := res.Recommended.Budgets["good"], res.Recommended.Budgets["idle"]
	t.Logf("kink %.2f; recommended good %.2f idle %.2f; diff %+v", kink, good, idle, res.Diff)
	if good < kink-2 || good > kink+4+1e-9 || good >= 16 {
		t.Errorf("recommended good %.2f, idle %.2f; the kink is at %.2f", good, idle, kink)
	}
	if toCents(good)+toCents(idle) != 2000 || res.Total != 20 {
		t.Errorf("total %v: %.2f + %.2f", res.Total, good, idle)
	}
	if !(res.Diff.Lo > 0) || !(res.Recommended.Objective.Mean > res.Current.Objective.Mean) {
		t.Errorf("diff %+v: the recommendation should be better", res.Diff)
	}
}

// TestSplitCommand runs split end to end on the known case: the JSON has
// exactly the documented keys, the curves have their points and marginal
// returns, the table says the recommendation is better, and --plot writes
// a file.
func TestSplitCommand(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "known.yaml")
	if err := os.WriteFile(path, []byte(knownYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, dir, "split", "-s", path, "--group", "g", "--step", "10%", "--reps", "4", "--json", "--plot", filepath.Join(dir, "c.png"))
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range out {
		keys = append(keys, k)
	}
	if len(out) != 7 || out["group"] == nil || out["total"] == nil || out["objective"] == nil || out["current"] == nil ||
		out["recommended"] == nil || out["diff"] == nil || out["curves"] == nil {
		t.Errorf("keys %v", keys)
	}
	var res struct {
		Current struct {
			Budgets   map[string]float64
			Objective map[string]any
		}
		Diff   map[string]any
		Curves []struct {
			Member string
			Points []struct {
				Budget    float64
				Objective map[string]any
				Marginal  *float64
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Current.Budgets["good"] != 4 || res.Current.Objective["lo"] == nil || res.Diff["hi"] == nil {
		t.Errorf("current %+v diff %+v", res.Current, res.Diff)
	}
	if len(res.Curves) != 2 || len(res.Curves[0].Points) != curveSteps+1 || res.Curves[0].Points[1].Marginal == nil ||
		res.Curves[0].Points[0].Marginal != nil || res.Curves[0].Points[0].Budget != 0 || res.Curves[0].Points[curveSteps].Budget != 20 {
		t.Errorf("curves %+v", res.Curves)
	}
	// good's curve rises then flattens: the marginal return of its last
	// step is below that of its first.
	g := res.Curves[0].Points
	if res.Curves[0].Member != "good" || !(*g[curveSteps].Marginal < *g[1].Marginal) {
		t.Errorf("good's curve is not concave: %+v", g)
	}
	if fi, err := os.Stat(filepath.Join(dir, "c.png")); err != nil || fi.Size() == 0 {
		t.Errorf("plot: %v", err)
	}
	r = run(t, dir, "split", "-s", path, "--group", "g", "--step", "10%", "--reps", "3")
	if r.code != exitOK || !strings.Contains(r.stdout, "recommended − current") || !strings.Contains(r.stdout, "marginal") {
		t.Errorf("table: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestSplitUsage: bad flags and groups are refused up front, naming them.
func TestSplitUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"split", "-s", "budget-split"}, "--group G is required"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--objective", "roas"}, "--objective roas"},
		{[]string{"split", "-s", "budget-split", "--group", "acne"}, "no such group"},
		{[]string{"split", "-s", "timeout-demo", "--group", "acme"}, "has no groups"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--step", "0%"}, "--step 0%"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--step", "600"}, "less than the group's total"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--reps", "1"}, "--reps 1"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--plot", "x.gif"}, "--plot"},
	} {
		r := run(t, "", c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// TestSplitObjectivesDisagree: on budget-split, maximising attributed
// value and maximising incremental value recommend different splits, as
// the scenario's description says: the first moves budget to retarget,
// the second to prospect.
func TestSplitObjectivesDisagree(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): runs budget-split a few hundred times")
	}
	sc, err := scenarios.Bundled("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	if d := strings.Join(strings.Fields(sc.Description), " "); !strings.Contains(d, "recommend different splits: the first moves budget to retarget, the second to prospect") {
		t.Errorf("the description does not say what split finds: %s", d)
	}
	rec := map[string]map[string]float64{}
	for _, obj := range []string{"attributed_value", "incremental_value"} {
		s, err := newSplitter(sc, "acme", obj)
		if err != nil {
			t.Fatal(err)
		}
		s.reps, s.workers, s.noCurves = 3, 2, true
		res, err := s.run(context.Background(), s.current(), 10000) // moves of 100
		if err != nil {
			t.Fatal(err)
		}
		rec[obj] = res.Recommended.Budgets
		t.Logf("%s: recommended %v, diff %+v", obj, res.Recommended.Budgets, res.Diff)
		if !(res.Diff.Lo > 0) {
			t.Errorf("%s: the recommendation %v is not better: %+v", obj, res.Recommended.Budgets, res.Diff)
		}
	}
	a, i := rec["attributed_value"], rec["incremental_value"]
	if !(a["acme-retarget"] > 200) || !(i["acme-prospect"] > 200) || a["acme-retarget"] <= i["acme-retarget"] {
		t.Errorf("attributed recommends %v, incremental %v", a, i)
	}
}

// TestSplitInterrupt: Ctrl-C during the search exits 130 and says which
// split the search had reached.
func TestSplitInterrupt(t *testing.T) {
	_, s := knownSplitter(t)
	s.reps, s.workers = 4, 1
	ctx, cancel := context.WithCancel(context.Background())
	s.progress = func(done, total int) {
		if s.rounds >= 2 {
			cancel() // in the third round
		}
	}
	if _, err := s.run(ctx, s.current(), 200); err == nil {
		t.Fatal("no error from an interrupted search")
	}
	if s.rounds < 2 || s.reached[0] != 800 {
		t.Errorf("after %d rounds the search reached %v; want good at 8.00 after two moves of 2", s.rounds, s.reached)
	}
}
