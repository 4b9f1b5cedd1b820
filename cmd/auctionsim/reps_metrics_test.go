package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepsMetrics: run --reps --metrics keeps the table, the JSON and the
// plot to the metrics asked for, names them whole, and refuses an
// unknown name with a did-you-mean.
func TestRepsMetrics(t *testing.T) {
	want := []string{"groups.acme.incremental_value", "bidders.acme-retarget.value"}
	args := []string{"run", "-s", "budget-split", "--auctions", "4000", "--reps", "3", "--workers", "2", "--metrics", strings.Join(want, ",")}
	table := run(t, "", args...)
	if table.code != 0 {
		t.Fatalf("exit %d: %s", table.code, table.stderr)
	}
	lines := strings.Split(strings.TrimSpace(table.stdout), "\n")
	if len(lines) != 2+len(want) {
		t.Fatalf("want a title, a blank line and %d rows:\n%s", len(want), table.stdout)
	}
	for i, m := range want {
		if !strings.HasPrefix(lines[2+i], m+" ") || !strings.Contains(lines[2+i], " ± ") {
			t.Errorf("row %d %q: want %s with its interval", i, lines[2+i], m)
		}
	}

	js := run(t, "", append(args, "--json")...)
	var out struct {
		Replications int
		Metrics      map[string]*struct{ Mean, Lo, Hi float64 }
	}
	if err := json.Unmarshal([]byte(js.stdout), &out); err != nil {
		t.Fatalf("%v: %s", err, js.stdout)
	}
	if out.Replications != 3 || len(out.Metrics) != len(want) {
		t.Fatalf("JSON: %s", js.stdout)
	}
	for _, m := range want {
		s := out.Metrics[m]
		if s == nil || s.Mean <= 0 || !(s.Lo <= s.Mean && s.Mean <= s.Hi) {
			t.Errorf("%s: %+v", m, s)
		}
	}

	plot := filepath.Join(t.TempDir(), "reps.svg")
	if r := run(t, "", append(args, "--plot", plot)...); r.code != 0 {
		t.Fatalf("--plot: exit %d: %s", r.code, r.stderr)
	}
	svg, err := os.ReadFile(plot)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range want {
		if !strings.Contains(string(svg), m) {
			t.Errorf("the plot does not name %s", m)
		}
	}
	if strings.Contains(string(svg), "spend per bidder") {
		t.Error("the plot draws spend per bidder, not the metrics asked for")
	}

	bad := run(t, "", "run", "-s", "budget-split", "--reps", "3", "--metrics", "group.acme.incremental_value")
	if bad.code != exitUsage || !strings.Contains(bad.stderr, "did you mean groups.acme.incremental_value") {
		t.Errorf("unknown metric: exit %d: %s", bad.code, bad.stderr)
	}
	alone := run(t, "", "run", "-s", "budget-split", "--metrics", "exchange.revenue")
	if alone.code != exitUsage || !strings.Contains(alone.stderr, "--reps") {
		t.Errorf("--metrics without --reps: exit %d: %s", alone.code, alone.stderr)
	}
}

// TestRepsMetricsUndefined: a metric no replication gave a value (rival-a
// has no outcome model, so no incremental ROAS) is the statistic of none,
// n 0 and its numbers null, as compare and an interrupted run write it,
// not null.
func TestRepsMetricsUndefined(t *testing.T) {
	const m = "bidders.rival-a.incremental_roas"
	r := run(t, "", "run", "-s", "budget-split", "--auctions", "2000", "--reps", "2", "--workers", "1", "--json", "--metrics", m)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out struct {
		Metrics map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	var s map[string]any
	if err := json.Unmarshal(out.Metrics[m], &s); err != nil || s == nil {
		t.Fatalf("%s: %s, want a statistic of n 0", m, out.Metrics[m])
	}
	for _, k := range []string{"mean", "sd", "lo", "hi"} {
		if v, ok := s[k]; !ok || v != nil {
			t.Errorf("%s: %s is %v, want null", m, k, v)
		}
	}
	if s["n"] != 0.0 {
		t.Errorf("%s: n %v, want 0", m, s["n"])
	}
	if table := run(t, "", "run", "-s", "budget-split", "--auctions", "2000", "--reps", "2", "--workers", "1", "--metrics", m); !strings.Contains(table.stdout, m+"  –") {
		t.Errorf("table: %q, want a dash for %s", table.stdout, m)
	}
}

// TestRepsJSONSinceChange: run --reps --json on a scenario whose script
// changes the world after the start (timeout-story's tmax at 1m0s) has
// the since_change block a single run's JSON has, after theory, each
// figure the replications' statistic, the same as --metrics
// since_change.… gives; before any replication reaches the change, the
// statistic of none (n 0). The JSON's shape came from the start, which
// has no change yet, so the block was missing though the table showed
// its figures. A scenario without a script has none.
func TestRepsJSONSinceChange(t *testing.T) {
	type stat struct {
		Mean float64
		N    int
	}
	type block struct {
		Auctions stat
		Revenue  stat
		Bidders  []struct {
			Name string
			Wins stat
		}
	}
	args := []string{"run", "-s", "timeout-story", "--reps", "2", "--duration", "65s"}
	js := run(t, "", append(args, "--json")...)
	if js.code != exitOK {
		t.Fatalf("exit %d: %s", js.code, js.stderr)
	}
	var out struct {
		SinceChange *block `json:"since_change"`
		Bidders     []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(js.stdout), &out); err != nil {
		t.Fatal(err)
	}
	sc := out.SinceChange
	if sc == nil || sc.Auctions.N != 2 || !(sc.Auctions.Mean > 0) || len(sc.Bidders) != len(out.Bidders) || len(sc.Bidders) == 0 {
		t.Fatalf("since_change %+v; bidders %+v", sc, out.Bidders)
	}
	if th, since := strings.Index(js.stdout, `"theory"`), strings.Index(js.stdout, `"since_change"`); !(0 < th && th < since) {
		t.Errorf("since_change at %d, theory at %d: want it after theory, as a run's", since, th)
	}
	name := sc.Bidders[0].Name
	picked := run(t, "", append(args, "--json", "--metrics", "since_change.auctions,since_change.bidders."+name+".wins")...)
	var p struct{ Metrics map[string]stat }
	if err := json.Unmarshal([]byte(picked.stdout), &p); err != nil {
		t.Fatalf("%v: %s", err, picked.stdout)
	}
	if p.Metrics["since_change.auctions"] != sc.Auctions || p.Metrics["since_change.bidders."+name+".wins"] != sc.Bidders[0].Wins {
		t.Errorf("since_change %+v / %+v, --metrics gives %+v", sc.Auctions, sc.Bidders[0].Wins, p.Metrics)
	}

	early := run(t, "", "run", "-s", "timeout-story", "--reps", "2", "--duration", "20s", "--json")
	var e struct {
		SinceChange *block `json:"since_change"`
	}
	if err := json.Unmarshal([]byte(early.stdout), &e); err != nil {
		t.Fatal(err)
	}
	if e.SinceChange == nil || e.SinceChange.Auctions.N != 0 {
		t.Errorf("before the change: since_change %+v, want the block with n 0", e.SinceChange)
	}
	plain := run(t, "", "run", "-s", "reserve-price", "--reps", "2", "--auctions", "2000", "--json")
	if strings.Contains(plain.stdout, `"since_change"`) {
		t.Errorf("reserve-price has no script, yet since_change")
	}
}
