package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
)

// binary is the auctionsim binary built once for the tests that run it.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "auctionsim-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "auctionsim")
	// Stamped as make build stamps it (-X main.version), so that
	// TestVersion sees the stamp come through.
	build := exec.Command("go", "build", "-ldflags=-X=main.version="+testStamp, "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building auctionsim:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// ran is the outcome of one run of the binary.
type ran struct {
	code   int
	stdout string
	stderr string
}

// run runs the binary with args in dir ("" for the test's directory).
func run(t *testing.T, dir string, args ...string) ran {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running %v: %v", args, err)
	}
	return ran{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"}, {"run", "--help"}, {"validate", "-h"}, {"scenarios", "--help"},
		{"tui", "--help"}, {"help", "run"}, {"help", "validate"}, {"help", "scenarios"}, {"help", "tui"},
	} {
		r := run(t, "", args...)
		if r.code != exitOK || !strings.Contains(r.stdout, "Examples:") || r.stderr != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout:\n%s", args, r.code, r.stderr, r.stdout)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"frobnicate"},
		{"help", "frobnicate"},
		{"run", "--bogus"},
		{"run", "--seed", "-1"},
		{"run", "--auctions", "0"},
		{"run", "--duration", "-1s"},
		{"run", "extra"},
		{"run", "-s", "no-such-scenario"},
		{"run", "--out", filepath.Join(dir, "x.txt")},
		{"run", "--out", filepath.Join(dir, "missing", "x.json")},
		{"validate"},
		{"scenarios", "show"},
		{"scenarios", "show", "no-such-scenario"},
		{"scenarios", "frobnicate"},
		{"tui", "-s", "no-such-scenario"},
	} {
		r := run(t, "", args...)
		if r.code != exitUsage || r.stderr == "" || r.stdout != "" {
			t.Errorf("%v: exit %d (want 2), stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
}

// TestNoTerminal checks that the dashboard refuses to start without a
// terminal and points to the run command.
func TestNoTerminal(t *testing.T) {
	for _, args := range [][]string{{}, {"tui"}, {"-s", "reserve-price"}} {
		r := run(t, "", args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "terminal") || !strings.Contains(r.stderr, "auctionsim run") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

// TestValidateGolden runs validate on the bad files of the scenarios
// package and compares its output with their golden files.
func TestValidateGolden(t *testing.T) {
	dir := filepath.Join("..", "..", "scenarios", "testdata", "bad")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad files: %v", err)
	}
	args := []string{"validate"}
	var want strings.Builder
	for _, f := range files {
		args = append(args, filepath.Base(f))
		golden, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".golden")
		if err != nil {
			t.Fatal(err)
		}
		want.Write(golden)
	}
	r := run(t, dir, args...)
	if r.code != exitUsage {
		t.Errorf("exit %d, want 2", r.code)
	}
	if r.stdout != want.String() {
		t.Errorf("output differs from the golden files:\ngot:\n%s\nwant:\n%s", r.stdout, want.String())
	}

	good := append([]string{"validate"}, scenarios.Names()...)
	if r := run(t, "", good...); r.code != exitOK || strings.Count(r.stdout, ": ok\n") != len(scenarios.Names()) {
		t.Errorf("bundled: exit %d, stdout %q", r.code, r.stdout)
	}
	mixed := run(t, "", "validate", "timeout-demo", filepath.Join(dir, "empty.yaml"))
	if mixed.code != exitUsage || !strings.Contains(mixed.stdout, "timeout-demo: ok") {
		t.Errorf("mixed: exit %d, stdout %q", mixed.code, mixed.stdout)
	}
}

func TestScenarios(t *testing.T) {
	r := run(t, "", "scenarios")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	last := -1
	for _, name := range scenarios.Names() {
		i := strings.Index(r.stdout, "\n"+name)
		if name == scenarios.Names()[0] {
			i = strings.Index(r.stdout, name)
		}
		if i < 0 || i < last {
			t.Errorf("%s missing or out of order in:\n%s", name, r.stdout)
		}
		last = i
	}
	if !strings.Contains(r.stdout, scenarios.Default+" (default)") {
		t.Error("the default is not marked")
	}
	show := run(t, "", "scenarios", "show", "pacing-showdown")
	src, _ := scenarios.Source("pacing-showdown")
	if show.code != exitOK || show.stdout != string(src) {
		t.Errorf("show: exit %d, output differs from the bundled source", show.code)
	}
}

// summaryFields are the JSON summary's contract.
var summaryFields = map[string][]string{
	"":         {"scenario", "seed", "partial", "virtual_seconds", "wall_seconds", "auctions", "events", "exchange", "bidders"},
	"exchange": {"revenue", "fill_rate", "mean_clearing_price", "timeouts", "late_bids", "revenue_lost_to_timeouts"},
	"bidder": {"name", "bid_requests", "bids", "late", "errors", "no_bids", "wins", "win_rate", "spend", "budget",
		"mean_price", "latency_ms", "conversions", "attributed_roas", "incremental_roas"},
	"latency_ms": {"p50", "p95", "p99"},
}

func checkSummary(t *testing.T, raw []byte, sc string, partial bool) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, raw)
	}
	has := func(obj map[string]any, where string, keys []string) {
		for _, k := range keys {
			if _, ok := obj[k]; !ok {
				t.Errorf("%s: no field %q", where, k)
			}
		}
	}
	has(m, "summary", summaryFields[""])
	has(m["exchange"].(map[string]any), "exchange", summaryFields["exchange"])
	s, err := scenarios.Resolve(sc)
	if err != nil {
		t.Fatal(err)
	}
	bidders := m["bidders"].([]any)
	if len(bidders) != len(s.Config.Bidders) {
		t.Fatalf("%d bidders, want %d", len(bidders), len(s.Config.Bidders))
	}
	for i, b := range bidders {
		bm := b.(map[string]any)
		has(bm, "bidder", summaryFields["bidder"])
		has(bm["latency_ms"].(map[string]any), "latency_ms", summaryFields["latency_ms"])
		if bm["name"] != s.Config.Bidders[i].Name {
			t.Errorf("bidder %d is %v, want %s (scenario order)", i, bm["name"], s.Config.Bidders[i].Name)
		}
		if req := bm["bid_requests"].(float64); req > 0 && bm["win_rate"].(float64) != bm["wins"].(float64)/req {
			t.Errorf("%v: win_rate %v ≠ wins / bid_requests", bm["name"], bm["win_rate"])
		}
	}
	if m["scenario"] != s.Name || m["partial"] != partial {
		t.Errorf("scenario %v partial %v", m["scenario"], m["partial"])
	}
	return m
}

func TestRunJSON(t *testing.T) {
	r := run(t, "", "run", "-s", "timeout-demo", "--auctions", "20000", "--seed", "9", "--json")
	// stderr says only that the shortened run scales the budgets.
	if note := "every budget is scaled by 0.03333"; r.code != exitOK || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, note) {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	m := checkSummary(t, []byte(r.stdout), "timeout-demo", false)
	if m["auctions"].(float64) != 20000 || m["seed"].(float64) != 9 {
		t.Errorf("auctions %v seed %v", m["auctions"], m["seed"])
	}
}

func TestRunTable(t *testing.T) {
	r := run(t, "", "run", "-s", "classroom-vickrey", "--auctions", "10000")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"classroom-vickrey", "revenue", "ada", "eli", "10,000 auctions"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "\x1b[") || r.stderr != "" {
		t.Errorf("escape codes or a progress bar without a terminal:\n%q\n%q", r.stdout, r.stderr)
	}
}

// TestRunOut checks both --out formats and that the atomic write leaves
// no temporary file behind.
func TestRunOut(t *testing.T) {
	dir := t.TempDir()
	csvPath, jsonPath := filepath.Join(dir, "series.csv"), filepath.Join(dir, "run.json")
	r := run(t, "", "run", "-s", "pacing-showdown", "--duration", "30s", "--out", csvPath)
	if r.code != exitOK {
		t.Fatalf("csv: exit %d: %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	wantHeader := "start_seconds,auctions,fill_rate,mean_price,max_price,timeouts,revenue,revenue_lost," +
		"asap.spend,asap.win_rate,asap.timeout_rate,throttle.spend,throttle.win_rate,throttle.timeout_rate," +
		"multiplier.spend,multiplier.win_rate,multiplier.timeout_rate," +
		"rival-a.spend,rival-a.win_rate,rival-a.timeout_rate,rival-b.spend,rival-b.win_rate,rival-b.timeout_rate,partial"
	if lines[0] != wantHeader {
		t.Errorf("header %q", lines[0])
	}
	// 30 one-second intervals, and the one in progress at the end.
	if n := len(lines) - 1; n < 30 || n > 31 {
		t.Errorf("%d rows, want 30 or 31", n)
	}

	r = run(t, "", "run", "-s", "pacing-showdown", "--duration", "30s", "--json", "--out", jsonPath)
	if r.code != exitOK {
		t.Fatalf("json: exit %d: %s", r.code, r.stderr)
	}
	data, err = os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	m := checkSummary(t, data, "pacing-showdown", false)
	series, ok := m["series"].(map[string]any)
	if !ok || len(series["points"].([]any)) < 30 {
		t.Errorf("series: %v", m["series"])
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"run.json", "series.csv"}) {
		t.Errorf("files left in the directory: %v", names)
	}
}

// TestDeterminism runs the same command twice: the JSON must be identical
// apart from wall_seconds.
func TestDeterminism(t *testing.T) {
	args := []string{"run", "-s", "budget-split", "--duration", "20s", "--json"}
	a, b := run(t, "", args...), run(t, "", args...)
	if a.code != exitOK || b.code != exitOK {
		t.Fatalf("exit %d, %d", a.code, b.code)
	}
	strip := func(s string) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		if _, ok := m["wall_seconds"]; !ok {
			t.Fatal("no wall_seconds")
		}
		delete(m, "wall_seconds")
		out, _ := json.Marshal(m)
		return string(out)
	}
	if strip(a.stdout) != strip(b.stdout) {
		t.Errorf("two runs differ:\n%s\n%s", a.stdout, b.stdout)
	}
	// Only wall_seconds differs, byte for byte, outside it.
	lines := func(s string) []string {
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.Contains(l, `"wall_seconds"`) {
				keep = append(keep, l)
			}
		}
		return keep
	}
	if !slices.Equal(lines(a.stdout), lines(b.stdout)) {
		t.Error("the JSON text differs outside wall_seconds")
	}
}

// interruption is how a run of the binary ended after SIGINT.
type interruption struct {
	stdout, stderr bytes.Buffer
	code           int           // the exit code
	took           time.Duration // from the signal to the end
	// killed: the signal itself killed the process, as it came before the
	// handler was installed.
	killed bool
	// early: the signal came before the run began, killing the process
	// (killed) or caught while it was still getting ready (interrupted
	// before the run began: nothing run, nothing written). A test of an
	// interrupted run tries again with a longer head start.
	early bool
}

// interrupt runs the binary with args, sends it SIGINT after wait, and
// waits for it to end as waitAfterSIGINT does (limit, stuck).
func interrupt(t *testing.T, wait, limit time.Duration, stuck string, args ...string) *interruption {
	t.Helper()
	r := &interruption{}
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = &r.stdout, &r.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(wait)
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	r.killed = waitAfterSIGINT(t, cmd, limit, stuck)
	r.took = time.Since(sent)
	r.code = cmd.ProcessState.ExitCode()
	r.early = r.killed || strings.Contains(r.stderr.String(), "interrupted before the run began")
	return r
}

// waitAfterSIGINT waits for cmd, just sent SIGINT, to end; if it takes
// longer than limit it kills it and fails the test with stuck. It reports
// whether the signal itself killed the process, that is, it came before the
// handler was installed.
func waitAfterSIGINT(t *testing.T, cmd *exec.Cmd, limit time.Duration, stuck string) (killed bool) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(limit):
		cmd.Process.Kill()
		<-done
		t.Fatal(stuck)
	}
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled()
}

// TestInterrupt sends SIGINT to a long run: it must stop at once, exit 130,
// and still print and write its results, marked partial.
func TestInterrupt(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "partial.json")
	var last string
	// The signal must arrive after the handler is installed; a slow
	// machine gets a longer head start on the next attempt.
	for _, wait := range []time.Duration{300 * time.Millisecond, time.Second, 3 * time.Second, 10 * time.Second} {
		r := interrupt(t, wait, 20*time.Second, "the run did not stop within 20s of SIGINT",
			"run", "-s", "timeout-demo", "--duration", "200h", "--json", "--out", out)
		if r.early {
			last = "at every head start the signal came before the run began"
			continue
		}
		if code := r.code; code != exitInterrupted {
			t.Fatalf("exit %d, want 130; stderr %q", code, r.stderr.String())
		}
		if d := r.took; d > 5*time.Second {
			t.Errorf("took %v to stop", d)
		}
		if !strings.Contains(r.stderr.String(), "interrupted") {
			t.Errorf("stderr %q", r.stderr.String())
		}
		// The virtual time reached, for people: to the millisecond, not
		// Go's nanoseconds (22m27.639761791s).
		if m := regexp.MustCompile(`\(([0-9hms.]+) virtual\)`).FindStringSubmatch(r.stderr.String()); m == nil ||
			regexp.MustCompile(`\.[0-9]{4,}`).MatchString(m[1]) {
			t.Errorf("the virtual time in %q is not to the millisecond", r.stderr.String())
		}
		m := checkSummary(t, r.stdout.Bytes(), "timeout-demo", true)
		if m["auctions"].(float64) <= 0 {
			// Caught as the run began, before its first auction closed
			// (a busy machine): a partial result of nothing; again,
			// with a longer head start.
			last = "at every head start the signal came before an auction closed"
			continue
		}
		// The count for people, as the table has it: 24,396,325.
		if want := "interrupted after " + format.Count(uint64(m["auctions"].(float64))) + " auctions"; !strings.Contains(r.stderr.String(), want) {
			t.Errorf("stderr %q, want %q", r.stderr.String(), want)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		checkSummary(t, data, "timeout-demo", true)
		return
	}
	t.Fatal(last)
}

// TestInProcess covers realMain without a subprocess, for the race
// detector's sake.
func TestInProcess(t *testing.T) {
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	if code := realMain([]string{"run", "-s", "first-vs-second", "--auctions", "3000", "--json"}, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	checkSummary(t, out.Bytes(), "first-vs-second", false)
	out.Reset()
	st.outTTY = true
	if code := realMain([]string{"run", "-s", "first-vs-second", "--auctions", "3000"}, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "\x1b[") {
		t.Error("no colors on a terminal")
	}
	out.Reset()
	st.getenv = func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	}
	realMain([]string{"run", "-s", "first-vs-second", "--auctions", "3000"}, st)
	if strings.Contains(out.String(), "\x1b[") {
		t.Error("colors despite NO_COLOR")
	}
	// The dashboard itself (runTUI on a terminal) is the tui package's to
	// test; here only its refusal without a terminal is (TestNoTerminal).
}
