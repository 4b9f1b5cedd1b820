package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// stripWall removes wall times, the one thing that differs between runs
// of the same experiment.
var wallRE = regexp.MustCompile(`"wall_seconds": [0-9.e+-]+`)

func stripWall(s string) string { return wallRE.ReplaceAllString(s, `"wall_seconds": 0`) }

func TestRepsJSONKeepsTheRunShape(t *testing.T) {
	single := run(t, "", "run", "-s", "timeout-demo", "--auctions", "3000", "--json")
	reps := run(t, "", "run", "-s", "timeout-demo", "--auctions", "3000", "--reps", "3", "--json", "--workers", "2")
	if single.code != 0 || reps.code != 0 {
		t.Fatalf("exit %d %d: %s %s", single.code, reps.code, single.stderr, reps.stderr)
	}
	var one, many map[string]any
	if err := json.Unmarshal([]byte(single.stdout), &one); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(reps.stdout), &many); err != nil {
		t.Fatal(err)
	}
	if many["replications"] != 3.0 || many["partial"] != false || many["seed"] != 42.0 {
		t.Errorf("replications %v partial %v seed %v", many["replications"], many["partial"], many["seed"])
	}
	// Every key of the single run is there, numbers became statistics.
	var walk func(path string, a, b any)
	walk = func(path string, a, b any) {
		switch av := a.(type) {
		case map[string]any:
			bv, ok := b.(map[string]any)
			if !ok {
				t.Errorf("%s: not an object", path)
				return
			}
			for k, x := range av {
				if _, in := bv[k]; !in && k == "unspent_reason" {
					continue // text a run adds: not aggregated
				}
				walk(path+"."+k, x, bv[k])
			}
		case []any:
			bv, ok := b.([]any)
			if !ok || len(bv) != len(av) {
				t.Errorf("%s: not a list of %d", path, len(av))
				return
			}
			for i := range av {
				walk(fmt.Sprintf("%s[%d]", path, i), av[i], bv[i])
			}
		case nil:
			if b != nil {
				t.Errorf("%s: null became %v", path, b)
			}
		case float64, bool:
			if path == ".seed" || path == ".wall_seconds" || path == ".partial" {
				return
			}
			st, ok := b.(map[string]any)
			if !ok {
				t.Errorf("%s: %v is not a statistic", path, b)
				return
			}
			for _, k := range []string{"mean", "sd", "n", "lo", "hi"} {
				if _, ok := st[k]; !ok {
					t.Errorf("%s: no %s", path, k)
				}
			}
		default:
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("%s: %v became %v", path, a, b)
			}
		}
	}
	walk("", one, many)
	rev := many["exchange"].(map[string]any)["revenue"].(map[string]any)
	if rev["n"] != 3.0 || !(rev["lo"].(float64) < rev["mean"].(float64)) || !(rev["mean"].(float64) < rev["hi"].(float64)) {
		t.Errorf("revenue %v", rev)
	}
	// Keys in the single run's order.
	if i, j := strings.Index(reps.stdout, `"exchange"`), strings.Index(reps.stdout, `"bidders"`); i < 0 || j < i {
		t.Error("keys out of the run's order")
	}
}

func TestRepsIdenticalWhateverWorkers(t *testing.T) {
	var outs []string
	for _, w := range []string{"1", "3"} {
		r := run(t, "", "run", "-s", "budget-split", "--auctions", "4000", "--reps", "5", "--json", "--workers", w)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		outs = append(outs, stripWall(r.stdout))
	}
	if outs[0] != outs[1] {
		t.Error("run --reps output depends on --workers")
	}
	table := run(t, "", "run", "-s", "budget-split", "--auctions", "4000", "--reps", "5")
	if table.code != 0 || !strings.Contains(table.stdout, "5 replications") || !strings.Contains(table.stdout, " ± ") {
		t.Errorf("table: %s", table.stdout)
	}
	checkPipedWidth(t, table.stdout)
}

// TestCompareTable: compare's table leads with the metric and its
// verdict, lists the differences, then the rest; piped (no terminal
// width) the metric-name column is the longest name, so no row wraps
// and no line is wider than that name and the numbers' columns (the
// numbers are sim/experiment's, tested there).
func TestCompareTable(t *testing.T) {
	// --no-scale: the world of this test is the one with whole budgets
	// (unbound in 10,000 auctions), where the revenue difference shows.
	table := run(t, "", "compare", "timeout-demo", "--change", "bidders.metro.latency.median=90ms", "--auctions", "10000", "--reps", "10", "--no-scale")
	if !strings.Contains(table.stdout, "exchange.revenue: ") || !strings.Contains(table.stdout, "higher in the variant") ||
		!strings.Contains(table.stdout, "differences whose interval excludes 0 (") || !strings.Contains(table.stdout, "not distinguishable at 10 replications") {
		t.Errorf("table:\n%s", table.stdout)
	}
	checkPipedWidth(t, table.stdout)
}

func TestSweepOutAndErrors(t *testing.T) {
	dir := t.TempDir()
	csvOut := filepath.Join(dir, "sweep.csv")
	r := run(t, "", "sweep", "-s", "timeout-demo", "--vary", "exchange.tmax=80ms..120ms:40ms", "--vary", "exchange.floor=0.1,0.2",
		"--reps", "3", "--auctions", "2000", "--out", csvOut)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(csvOut)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "exchange.tmax,exchange.floor,exchange.revenue.mean") ||
		!strings.HasPrefix(lines[1], "80ms,0.1,") || !strings.HasPrefix(lines[4], "2m0s") && !strings.HasPrefix(lines[4], "120ms,0.2,") {
		t.Errorf("CSV:\n%s", data)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "-s", "reserve-price", "--vary", "exchange.flor=0,1"}, "auctionsim sweep: --vary exchange.flor=0: unknown field; did you mean floor?"},
		{[]string{"sweep", "-s", "reserve-price", "--vary", "exchange.floor=0..1"}, "a range needs a step"},
		{[]string{"sweep", "-s", "reserve-price", "--vary", "exchange.floor=0,0.5", "--metrics", "exchange.revenu"}, "did you mean exchange.revenue?"},
		{[]string{"sweep", "-s", "reserve-price"}, "give at least one --vary"},
		{[]string{"run", "--reps", "1"}, "at least 2 replications"},
		{[]string{"run", "--set", "bidders.metro.latency.median=abc"}, "auctionsim run: --set bidders.metro.latency.median=abc: "},
		{[]string{"run", "--reps", "3", "--set", "exchange.floor=-1"}, "auctionsim run: --set exchange.floor=-1: -1 must be ≥ 0"},
		{[]string{"compare", "timeout-demo"}, "give a variant"},
		{[]string{"compare", "timeout-demo", "--change", "seed=3"}, "same replication seeds"},
		// --max-reps without --precision bounds nothing: refused, not ignored.
		{[]string{"compare", "timeout-demo", "--change", "exchange.tmax=80ms", "--max-reps", "50"}, "auctionsim compare: --max-reps bounds the replications of --precision"},
		{[]string{"sweep", "-s", "reserve-price", "--vary", "seed=1,2"}, "same replication seeds"},
		{[]string{"compare", "timeout-demo", "--change", "bidders.nobody.no_bid=0.1"}, `auctionsim compare: --change bidders.nobody.no_bid=0.1: no bidder named "nobody"`},
		{[]string{"sweep", "-s", "reserve-price", "--vary", "bidders.nobody.value=1,2"}, `auctionsim sweep: --vary bidders.nobody.value=1: no bidder named "nobody"`},
		{[]string{"compare", "timeout-demo", "--variant", "a:bidders.nobody.value=1"}, `auctionsim compare: --variant a: bidders.nobody.value=1: no bidder named "nobody"`},
		{[]string{"compare", "timeout-demo", "--variant", "a:exchange.tmx=1"}, "auctionsim compare: --variant a: exchange.tmx=1: unknown field; did you mean tmax?"},
		{[]string{"run", "-s", "nosuch"}, `auctionsim run: no bundled scenario or file named "nosuch"`},
		{[]string{"run", "--reps", "3", "--shard", "0/2"}, "--shard needs --out"},
	} {
		r := run(t, "", c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// TestShardAndMerge runs an experiment in shards, each in its own
// process, and checks that merge gives exactly the single-machine output.
func TestShardAndMerge(t *testing.T) {
	dir := t.TempDir()
	for _, exp := range [][]string{
		{"sweep", "-s", "reserve-price", "--vary", "exchange.floor=0,0.3,0.6", "--reps", "4", "--auctions", "2000"},
		{"compare", "timeout-demo", "--change", "exchange.tmax=80ms", "--reps", "5", "--auctions", "2000"},
		{"run", "-s", "budget-split", "--reps", "5", "--auctions", "2000"},
	} {
		whole := run(t, "", append(exp, "--json", "--workers", "2")...)
		if whole.code != 0 {
			t.Fatalf("%v: exit %d: %s", exp, whole.code, whole.stderr)
		}
		const n = 3
		var shards []string
		var procs []*exec.Cmd
		for k := range n {
			out := filepath.Join(dir, fmt.Sprintf("%s-%d.jsonl", exp[0], k))
			shards = append(shards, out)
			cmd := exec.Command(binary, append(exp, "--shard", fmt.Sprintf("%d/%d", k, n), "--out", out, "--workers", "1")...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			procs = append(procs, cmd)
		}
		for _, p := range procs {
			if err := p.Wait(); err != nil {
				t.Fatalf("%v: shard: %v", exp, err)
			}
		}
		// Shards in any order.
		merged := run(t, "", "merge", shards[2], shards[0], shards[1], "--json")
		if merged.code != 0 {
			t.Fatalf("merge: exit %d: %s", merged.code, merged.stderr)
		}
		if stripWall(merged.stdout) != stripWall(whole.stdout) {
			t.Errorf("%s: merged output differs from the single-machine output:\n%s\nvs\n%s", exp[0], merged.stdout, whole.stdout)
		}
		gap := run(t, "", "merge", shards[0], shards[2])
		if gap.code == 0 || !strings.Contains(gap.stderr, "shards missing: 1/3") {
			t.Errorf("merge with a gap: exit %d %s", gap.code, gap.stderr)
		}
	}
	mixed := run(t, "", "merge", filepath.Join(dir, "sweep-0.jsonl"), filepath.Join(dir, "compare-1.jsonl"), filepath.Join(dir, "sweep-2.jsonl"))
	if mixed.code == 0 || !strings.Contains(mixed.stderr, "different experiments") {
		t.Errorf("merge of different experiments: exit %d %s", mixed.code, mixed.stderr)
	}
}

func TestRepsInterrupt(t *testing.T) {
	for _, wait := range []time.Duration{500 * time.Millisecond, 2 * time.Second, 10 * time.Second} {
		r := interrupt(t, wait, 20*time.Second, "did not stop within 20s of SIGINT",
			"run", "-s", "reserve-price", "--auctions", "2000", "--reps", "1000000", "--workers", "2", "--json")
		if r.early {
			continue // the signal came before the run began
		}
		if code := r.code; code != exitInterrupted {
			t.Fatalf("exit %d, want 130; stderr %q", code, r.stderr.String())
		}
		if r.stdout.Len() == 0 {
			t.Fatalf("nothing on stdout; stderr %q", r.stderr.String())
		}
		var out struct {
			Partial      bool `json:"partial"`
			Replications int  `json:"replications"`
			Exchange     struct {
				Revenue stats.Stat `json:"revenue"`
			} `json:"exchange"`
		}
		if err := json.Unmarshal(r.stdout.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		if out.Partial && out.Replications == 0 {
			continue // interrupted before one replication completed (TestRepsInterruptNone)
		}
		if !out.Partial || out.Replications < 1 || out.Exchange.Revenue.N != out.Replications {
			t.Errorf("partial %v, replications %d, revenue n %d", out.Partial, out.Replications, out.Exchange.Revenue.N)
		}
		return
	}
	t.Fatal("no partial result after three attempts")
}

// TestRepsInterruptNone: run --reps interrupted before any replication
// finished (each is 10⁹ auctions, minutes long) exits 130 and still says
// so on stdout: with --json a partial JSON of 0 replications, else a
// line; --out is left alone. The waits are head starts, so that the
// signal comes after its handler is installed, not a race with the run.
func TestRepsInterruptNone(t *testing.T) {
	out := filepath.Join(t.TempDir(), "keep.json")
	if err := os.WriteFile(out, []byte("earlier\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, asJSON := range []bool{true, false} {
		args := []string{"run", "-s", "reserve-price", "--auctions", "1000000000", "--reps", "2", "--workers", "1", "--out", out}
		if asJSON {
			args = append(args, "--json")
		}
		caught := false
		for _, wait := range []time.Duration{500 * time.Millisecond, 2 * time.Second, 10 * time.Second} {
			r := interrupt(t, wait, 20*time.Second, "did not stop within 20s of SIGINT", args...)
			if r.early {
				continue // the signal came before its handler
			}
			caught = true
			if r.code != exitInterrupted {
				t.Fatalf("--json %v: exit %d, want 130; stderr %q", asJSON, r.code, r.stderr.String())
			}
			if e := r.stderr.String(); !strings.Contains(e, "interrupted before any replication finished") || !strings.Contains(e, "--out "+out+" not written") {
				t.Errorf("--json %v: stderr %q", asJSON, e)
			}
			if asJSON {
				m := checkPartialNone(t, r.stdout.Bytes())
				if m["scenario"] != "reserve-price" {
					t.Errorf("scenario %v", m["scenario"])
				}
			} else if got, want := r.stdout.String(), "reserve-price: 0 replications (seed 1): interrupted before any replication finished\n"; got != want {
				t.Errorf("stdout %q, want %q", got, want)
			}
			break
		}
		if !caught {
			t.Fatal("at every head start the signal came before its handler")
		}
	}
	if data, err := os.ReadFile(out); err != nil || string(data) != "earlier\n" {
		t.Errorf("--out now %q (%v), want it untouched", data, err)
	}
}

// checkPartialNone checks a JSON of run --reps of 0 replications: partial,
// and its statistics those of none.
func checkPartialNone(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	if m["partial"] != true || m["replications"] != 0.0 {
		t.Errorf("partial %v, replications %v", m["partial"], m["replications"])
	}
	ex, _ := m["exchange"].(map[string]any)
	rev, _ := ex["revenue"].(map[string]any)
	if rev == nil || rev["n"] != 0.0 || rev["mean"] != nil {
		t.Errorf("exchange.revenue %v, want n 0 and no mean", ex["revenue"])
	}
	return m
}

func TestPlots(t *testing.T) {
	dir := t.TempDir()
	png := []byte("\x89PNG\r\n\x1a\n")
	for _, c := range []struct {
		args []string
		file string
	}{
		{[]string{"sweep", "-s", "reserve-price", "--vary", "exchange.floor=0..0.6:0.3", "--reps", "3", "--auctions", "1000"}, "sweep.png"},
		{[]string{"sweep", "-s", "timeout-demo", "--vary", "exchange.tmax=80ms,120ms", "--reps", "3", "--auctions", "1000"}, "tmax.svg"},
		{[]string{"compare", "timeout-demo", "--change", "exchange.tmax=80ms", "--reps", "3", "--auctions", "1000"}, "compare.svg"},
		{[]string{"run", "-s", "timeout-demo", "--reps", "3", "--auctions", "1000"}, "reps.png"},
	} {
		path := filepath.Join(dir, c.file)
		r := run(t, "", append(c.args, "--plot", path)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, r.code, r.stderr)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(c.file, ".png") && !bytes.HasPrefix(data, png) ||
			strings.HasSuffix(c.file, ".svg") && !bytes.Contains(data[:min(len(data), 400)], []byte("<svg")) {
			t.Errorf("%s is not a %s file", c.file, filepath.Ext(c.file))
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		t.Errorf("%d files in the directory, want the 4 plots and no temporary files", len(entries))
	}
	if r := run(t, "", "sweep", "-s", "reserve-price", "--vary", "exchange.floor=0,0.5", "--plot", "x.jpg"); r.code != exitUsage {
		t.Errorf("--plot x.jpg: exit %d", r.code)
	}
}

func TestSetOnASingleRun(t *testing.T) {
	r := run(t, "", "run", "-s", "reserve-price", "--set", "exchange.floor=0.3", "--set", "bidders.*.no_bid=0.5", "--auctions", "2000", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out struct {
		Settings struct {
			Floor float64 `json:"floor"`
		} `json:"settings"`
		Bidders []struct {
			NoBids      float64 `json:"no_bids"`
			BidRequests float64 `json:"bid_requests"`
		} `json:"bidders"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.Settings.Floor != 0.3 {
		t.Errorf("floor %v", out.Settings.Floor)
	}
	for _, b := range out.Bidders {
		if share := b.NoBids / b.BidRequests; math.Abs(share-0.5) > 0.05 {
			t.Errorf("no-bid share %v, want about 0.5", share)
		}
	}
}

func TestExperimentProgress(t *testing.T) {
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, errTTY: true, getenv: func(string) string { return "" }}
	if code := realMain([]string{"run", "-s", "reserve-price", "--auctions", "1000", "--reps", "4", "--json"}, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if s := errb.String(); !strings.Contains(s, "4/4 runs") || !strings.Contains(s, "ETA") || !strings.HasSuffix(s, "\r\x1b[K") {
		t.Errorf("progress on a terminal: %q", s)
	}
	// Without a terminal, a command done within 5 s says nothing: a
	// clock that stands still is one done at once, however busy the
	// machine.
	errb.Reset()
	st.errTTY = false
	st.clock = &tickClock{}
	realMain([]string{"run", "-s", "reserve-price", "--auctions", "1000", "--reps", "4", "--json"}, st)
	if errb.Len() != 0 {
		t.Errorf("progress without a terminal: %q", errb.String())
	}
}

// tickClock is a wall clock that moves on by tick each time it is
// read: the progress reads it once at the start and once a run, so run
// k of an experiment is done k ticks after it began, whatever the
// machine's speed.
type tickClock struct {
	mu   sync.Mutex
	now  time.Time
	tick time.Duration
}

func (c *tickClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now
	c.now = c.now.Add(c.tick)
	return now
}

// TestExperimentLog checks what sweep and split tell a stderr that is
// not a terminal, a run a second: the estimate at 5 s, then a line 10 s
// later; and that stdout keeps its JSON alone.
func TestExperimentLog(t *testing.T) {
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, clock: &tickClock{tick: time.Second}, getenv: func(string) string { return "" }}
	args := []string{"sweep", "-s", "reserve-price", "--vary", "exchange.floor=0..0.8:0.2", "--reps", "4", "--auctions", "300", "--workers", "1", "--json"}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	want := "auctionsim sweep: about 20 s (20 runs, 1.0 s each on 1 worker)\n" +
		"auctionsim sweep: 15/20 runs, 15 s elapsed, about 5 s left\n"
	if errb.String() != want {
		t.Errorf("sweep's log:\n%s\nwant:\n%s", errb.String(), want)
	}
	var sweep experiment.SweepResult
	if err := json.Unmarshal(out.Bytes(), &sweep); err != nil {
		t.Errorf("stdout is not the JSON alone: %v", err)
	}

	out.Reset()
	errb.Reset()
	st.clock = &tickClock{tick: time.Second}
	args = []string{"split", "-s", "budget-split", "--group", "acme", "--auctions", "300", "--reps", "3", "--step", "25%", "--workers", "1", "--json"}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	estimate := regexp.MustCompile(`(?m)^auctionsim split: about (\d+) s \(about (\d+) runs by the search's plan so far, 1\.0 s each on 1 worker\)$`)
	if m := estimate.FindStringSubmatch(errb.String()); m == nil || m[1] != m[2] {
		t.Errorf("split's log has no estimate of a second a run:\n%s", errb.String())
	}
	if !regexp.MustCompile(`(?m)^auctionsim split: 15 runs of about \d+, 15 s elapsed, about \d+ s left$`).MatchString(errb.String()) {
		t.Errorf("split's log has no line at 15 s:\n%s", errb.String())
	}
	var tree map[string]any
	if err := json.Unmarshal(out.Bytes(), &tree); err != nil {
		t.Errorf("stdout is not the JSON alone: %v", err)
	}
}

// TestCompareLogPrecision checks that compare --precision tells a stderr
// that is not a terminal how long it takes if its first replications
// are enough, not only the most, at --max-reps.
func TestCompareLogPrecision(t *testing.T) {
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, clock: &tickClock{tick: time.Second}, getenv: func(string) string { return "" }}
	args := []string{"compare", "reserve-price", "--change", "exchange.floor=0.3", "--precision", "0.0001%", "--max-reps", "20",
		"--reps", "4", "--auctions", "300", "--workers", "1", "--json"}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	// Batches of 4, 8, 12, 18 and 20 replications of 2 runs, a run a
	// second: the estimate at 5 s, in the first batch (8 runs).
	want := "auctionsim compare: about 16 s if 4 replications are enough, at most about 80 s (16 to 80 runs, 1.0 s each on 1 worker)\n"
	if !strings.HasPrefix(errb.String(), want) {
		t.Errorf("compare --precision's log:\n%s\nwant first:\n%s", errb.String(), want)
	}
}

func TestSweepChartOnATerminal(t *testing.T) {
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, outTTY: true, getenv: func(string) string { return "" }}
	args := []string{"sweep", "-s", "reserve-price", "--vary", "exchange.floor=0..0.8:0.2", "--reps", "3", "--auctions", "1000"}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if s := out.String(); !strings.Contains(s, "exchange.revenue against exchange.floor") || strings.Count(s, "\n") < 20 {
		t.Errorf("no chart on a terminal:\n%s", s)
	}
	out.Reset()
	st.outTTY = false
	realMain(args, st)
	if strings.Contains(out.String(), "against") {
		t.Error("a chart when stdout is not a terminal")
	}
}

// TestSetTravelsIntoTheReplay checks that an export embeds the effective
// scenario (the overrides applied), so that replaying it needs no flags.
func TestSetTravelsIntoTheReplay(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run.json")
	first := run(t, "", "run", "-s", "reserve-price", "--set", "exchange.floor=0.3", "--auctions", "2000", "--out", out, "--json")
	again := run(t, "", "run", "--replay", out, "--json")
	if first.code != 0 || again.code != 0 {
		t.Fatalf("exit %d %d: %s %s", first.code, again.code, first.stderr, again.stderr)
	}
	if !strings.Contains(first.stdout, `"floor": 0.3`) || stripWall(first.stdout) != stripWall(again.stdout) {
		t.Errorf("the replay differs:\n%s\nvs\n%s", first.stdout, again.stdout)
	}
}

func TestSetOnTheDashboard(t *testing.T) {
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	opts, code, ok := parseTUI([]string{"-s", "reserve-price", "--set", "exchange.floor=0.25"}, st)
	if !ok || code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if f := opts.Scenario.Config.Exchange.Floor.CPM(); f != 0.25 || !strings.Contains(string(opts.Scenario.YAML), "floor: 0.25") {
		t.Errorf("floor %v; the scenario's YAML (for exports) should be the effective one:\n%s", f, opts.Scenario.YAML)
	}
	_, code, ok = parseTUI([]string{"--set", "exchange.floor=abc"}, st)
	if ok || code != exitUsage || !strings.Contains(errb.String(), "--set exchange.floor=abc: ") {
		t.Errorf("bad --set: exit %d, %q", code, errb.String())
	}
}

func TestOutputsNeverOverwriteInputs(t *testing.T) {
	dir := t.TempDir()
	src, err := scenarios.Source("reserve-price")
	if err != nil {
		t.Fatal(err)
	}
	world := filepath.Join(dir, "world.yaml")
	if err := os.WriteFile(world, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "out.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	shard := filepath.Join(dir, "s0.json")
	if r := run(t, "", "run", "-s", world, "--reps", "2", "--auctions", "500", "--shard", "0/1", "--out", shard); r.code != 0 {
		t.Fatalf("shard: exit %d %s", r.code, r.stderr)
	}
	for _, args := range [][]string{
		{"run", "-s", world, "--reps", "2", "--shard", "0/2", "--out", world},
		{"sweep", "-s", world, "--vary", "exchange.floor=0,0.5", "--shard", "0/2", "--out", world},
		{"compare", world, "--change", "exchange.floor=0.3", "--shard", "0/2", "--out", world},
		{"merge", shard, "--out", shard},
		{"run", "-s", world, "--reps", "2", "--out", filepath.Join(dir, "out.json")},
	} {
		r := run(t, "", args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "overwrite") && !strings.Contains(r.stderr, "is a directory") {
			t.Errorf("%v: exit %d, %q", args, r.code, r.stderr)
		}
	}
	if data, _ := os.ReadFile(world); !bytes.Equal(data, src) {
		t.Error("the scenario file was overwritten")
	}
}

// The sweep's plot draws theory's curve: at each floor the closed form
// R_2(r) = 1/3 + r² − 4r³/3 of reserve-price.
func TestSweepPlotTheory(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "sweep.png")
	r := run(t, "", "sweep", "-s", "reserve-price", "--vary", "exchange.floor=0..0.9:0.3",
		"--reps", "3", "--auctions", "2000", "--metrics", "exchange.revenue_per_auction", "--plot", png)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if fi, err := os.Stat(png); err != nil || fi.Size() == 0 {
		t.Fatalf("no plot: %v", err)
	}
	// The closed form drawn beside the band: report/plot's TestTheorySeries.
}

func mustSet(t *testing.T, s string) scenarios.Set {
	t.Helper()
	set, err := scenarios.ParseSet("--set", s)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestRunJSONIsTheCatalogue: end to end, the numeric leaves of run --json
// are the metrics a replication of the same run measures (sim's
// catalogue), names and values to the bit, but the few that are not
// metrics (report's TestCatalogueIsTheJSON checks every bundled world).
func TestRunJSONIsTheCatalogue(t *testing.T) {
	r := run(t, "", "run", "-s", "incrementality-test", "--auctions", "3000", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	tree, err := report.ParseTree([]byte(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	sc, _, err := scenarios.ResolveWith("incrementality-test", []scenarios.Set{mustSet(t, "stop={auctions: 3000}")})
	if err != nil {
		t.Fatal(err)
	}
	vals, err := experiment.Measure(context.Background(), report.PointOf(sc), sc.Config.Seed)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	tree.Leaves("", func(name string, leaf *report.Tree) {
		if name == "seed" || name == "wall_seconds" || name == "partial" {
			return
		}
		n++
		v, ok := vals[name]
		if x := leaf.Number(); !ok || math.Float64bits(v) != math.Float64bits(x) && !(math.IsNaN(v) && math.IsNaN(x)) {
			t.Errorf("%s: %v in run --json, %v measured (present %v)", name, x, v, ok)
		}
	})
	if n != len(vals) || n < 200 {
		t.Errorf("%d leaves, %d metrics", n, len(vals))
	}
}

// checkPipedWidth: a piped table (no terminal width) is no wider than its
// longest metric name and the numbers' columns, and no name sits on a
// line of its own.
func checkPipedWidth(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	longest := 0
	for _, line := range lines {
		if f := strings.Fields(line); len(f) > 1 && strings.HasPrefix(line, "  ") && strings.Count(f[0], ".") > 0 && !strings.HasSuffix(f[0], ":") {
			longest = max(longest, len(f[0]))
		}
	}
	for _, line := range lines {
		if n := len([]rune(line)); n > max(80, longest+56) {
			t.Errorf("line of %d columns (longest name %d): %q", n, longest, line)
		}
		if f := strings.Fields(line); len(f) == 1 && strings.HasPrefix(line, "  ") && strings.Count(f[0], ".") > 0 {
			t.Errorf("a name on a line of its own, piped: %q", line)
		}
	}
}

// TestRepsJSONNoBareNumbers: every number of run --reps --json is a
// statistic's (but the run's seed, replications and wall time): a part
// of the run's summary that is not aggregated is null, never the value
// it had before the run. A flight's days (bidders[].days, a list of
// days without names) came out as the start's one day with spend 0.
func TestRepsJSONNoBareNumbers(t *testing.T) {
	r := run(t, "", "run", "-s", "flight-week", "--duration", "30h", "--reps", "2", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	stat := func(m map[string]any) bool {
		for _, k := range []string{"mean", "sd", "n", "lo", "hi"} {
			if _, ok := m[k]; !ok {
				return false
			}
		}
		return true
	}
	var walk func(path string, x any)
	walk = func(path string, x any) {
		switch v := x.(type) {
		case map[string]any:
			if stat(v) {
				return
			}
			for k, y := range v {
				walk(path+"."+k, y)
			}
		case []any:
			for i, y := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), y)
			}
		case float64:
			switch path {
			case ".seed", ".replications", ".wall_seconds":
			default:
				t.Errorf("%s: %v is a bare number, not a statistic", path, v)
			}
		}
	}
	walk("", doc)
	b := doc["bidders"].([]any)[0].(map[string]any)
	if d, ok := b["days"]; !ok || d != nil {
		t.Errorf("bidders[0].days %v, want null", d)
	}
}
