package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/wire"
)

// demoServer is a wire server for the bundled timeout-demo scenario.
func demoServer(t *testing.T) (*scenarios.Scenario, *wire.Server) {
	t.Helper()
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := wire.NewServer(sc.Config, wire.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return sc, srv
}

// TestBiddersServesAndStopsOnSIGTERM runs `auctionsim bidders` on a free
// loopback port: it answers a bid request, and SIGTERM stops it cleanly
// (exit 0) with the final /stats in --out.
func TestBiddersServesAndStopsOnSIGTERM(t *testing.T) {
	out := filepath.Join(t.TempDir(), "stats.json")
	cmd := exec.Command(binary, "bidders", "-s", "timeout-demo", "--listen", "127.0.0.1:0", "--out", out)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stderr)
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	var base string
	for lines.Scan() {
		if m := addr.FindStringSubmatch(lines.Text()); m != nil {
			base = "http://" + m[1]
			break
		}
	}
	if base == "" {
		t.Fatal("bidders never said where it listens")
	}
	rest := make(chan string, 1)
	go func() { // keep the pipe drained, what it says after kept
		var b strings.Builder
		for lines.Scan() {
			b.WriteString(lines.Text() + "\n")
		}
		rest <- b.String()
	}()
	resp, err := http.Post(base+"/openrtb2/atlas", "application/json",
		strings.NewReader(`{"id":"a","imp":[{"id":"1"}],"tmax":500}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("atlas: %d, want a bid (it bids on every request)", resp.StatusCode)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Read all it says before Wait, which closes the pipe when the
	// process ends, perhaps before its last lines were read.
	var said string
	select {
	case said = <-rest:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("bidders did not stop within 20s of SIGTERM")
	}
	waitAfterSIGINT(t, cmd, 20*time.Second, "bidders did not stop within 20s of SIGTERM")
	if code := cmd.ProcessState.ExitCode(); code != exitOK {
		t.Fatalf("exit %d, want 0", code)
	}
	// Stopped, it says what each bidder did and where the stats went.
	if !regexp.MustCompile(`(?m)^\s+atlas\s+1 requests\s+1 bids\s+0 no-bids\s+0 errors\s+latency p50/p99 \d+\.\d/\d+\.\d ms$`).MatchString(said) ||
		!regexp.MustCompile(`(?m)^\s+glacier\s+0 requests`).MatchString(said) || !strings.Contains(said, "stats written to "+out) {
		t.Errorf("bidders said on stopping:\n%s\nwant a line per bidder (atlas: 1 request, 1 bid) and where --out went", said)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var st wire.Stats
	if err := json.Unmarshal(data, &st); err != nil || len(st.Bidders) != 8 || st.Bidders[5].Name != "atlas" || st.Bidders[5].Requests != 1 {
		t.Fatalf("--out: %v %s", err, data)
	}
}

// TestBiddersRefusesBadUsage: an --out that would overwrite the scenario,
// or is not JSON, and an address that is not one (exit 2) or that it
// cannot listen on (exit 1).
func TestBiddersRefusesBadUsage(t *testing.T) {
	dir := t.TempDir()
	yaml, err := scenarios.Bundled("classroom-vickrey")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "world.json")
	if err := os.WriteFile(file, yaml.YAML, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, dir, "bidders", "-s", file, "--out", file, "--for", "1s"); r.code != exitUsage || !strings.Contains(r.stderr, "overwrite") {
		t.Errorf("--out naming the scenario: exit %d %q", r.code, r.stderr)
	}
	if r := run(t, dir, "bidders", "--out", "stats.csv", "--for", "1s"); r.code != exitUsage || !strings.Contains(r.stderr, ".json") {
		t.Errorf("--out stats.csv: exit %d %q", r.code, r.stderr)
	}
	// A port out of range is bad usage; an address of another machine's
	// (TEST-NET-1, RFC 5737) one it cannot listen on.
	if r := run(t, dir, "bidders", "--listen", "256.0.0.1:99999", "--for", "1s"); r.code != exitUsage || !strings.Contains(r.stderr, "--listen") {
		t.Errorf("a bad address: exit %d %q", r.code, r.stderr)
	}
	if r := run(t, dir, "bidders", "--listen", "192.0.2.1:8080", "--for", "1s"); r.code != exitFailed || !strings.Contains(r.stderr, "--listen") {
		t.Errorf("an address not this machine's: exit %d %q", r.code, r.stderr)
	}
}

// TestRunOnTheWire: run --endpoints against an in-process bidders server
// gives the summary, with the auctions asked for, and the wire section,
// which --out's JSON export has too (before, it had none); --reps cannot
// go on the wire.
func TestRunOnTheWire(t *testing.T) {
	_, srv := demoServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	// A deadline of 2 s: the test counts what crossed the wire, which a
	// busy machine must not turn into timeouts.
	export := filepath.Join(t.TempDir(), "wire.json")
	args := []string{"run", "-s", "timeout-demo", "--set", "traffic.qps=200", "--set", "exchange.tmax=2s", "--endpoints", ts.URL, "--auctions", "100", "--json", "--out", export}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	m := checkSummary(t, out.Bytes(), "timeout-demo", false)
	w, ok := m["wire"].(map[string]any)
	if !ok || m["auctions"].(float64) != 100 || w["sent"].(float64) < 700 || w["bytes_in"].(float64) <= 0 {
		t.Fatalf("summary %s", out.String())
	}
	b, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatalf("--out is not JSON: %v\n%s", err, b)
	}
	if !reflect.DeepEqual(file["wire"], m["wire"]) || file["series"] == nil || file["replay"] == nil {
		t.Errorf("--out's wire section %v, the summary's %v (series %t, replay %t)", file["wire"], m["wire"], file["series"] != nil, file["replay"] != nil)
	}
	var served uint64
	for _, b := range srv.Stats().Bidders {
		served += b.Requests
	}
	// Every answer the exchange read was served, and the server saw no
	// more than was sent; calls still in flight when the run stopped
	// (more on a busy machine) may never have reached it.
	if answered, _ := w["answered"].(float64); float64(served) < answered || float64(served) > w["sent"].(float64) {
		t.Errorf("the server saw %d bid requests; %v were sent, %v answered", served, w["sent"], w["answered"])
	}
	errb.Reset()
	if code := realMain([]string{"run", "--endpoints", ts.URL, "--reps", "3"}, st); code != exitUsage || !strings.Contains(errb.String(), "--reps") {
		t.Errorf("--reps on the wire: exit %d %q", code, errb.String())
	}
	if code := realMain([]string{"run", "--endpoint", "nobody=" + ts.URL, "--auctions", "10"}, st); code != exitUsage {
		t.Errorf("--endpoint for a bidder the scenario lacks: exit %d", code)
	}
	errb.Reset()
	if code := realMain([]string{"run", "--endpoints", ts.URL, "--auctions", "10", "--notices", "losers"}, st); code != exitUsage || !strings.Contains(errb.String(), "--notices") {
		t.Errorf("--notices losers: exit %d %q", code, errb.String())
	}
	errb.Reset()
	if code := realMain([]string{"run", "--endpoints", ts.URL, "--auctions", "10", "--late-grace", "-1s"}, st); code != exitUsage || !strings.Contains(errb.String(), "--late-grace") {
		t.Errorf("--late-grace -1s: exit %d %q", code, errb.String())
	}
}

// TestRunOnTheWireInterrupted: Ctrl-C stops a run on the wire at once,
// exit 130, with the partial summary and its wire section.
func TestRunOnTheWireInterrupted(t *testing.T) {
	_, srv := demoServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var last string
	for _, wait := range []time.Duration{time.Second, 3 * time.Second, 10 * time.Second} {
		r := interrupt(t, wait, 20*time.Second, "the run on the wire did not stop within 20s of SIGINT",
			"run", "-s", "timeout-demo", "--set", "traffic.qps=50", "--endpoints", ts.URL, "--auctions", "1000000", "--json")
		if r.early {
			last = "at every head start the signal came before the run began"
			continue
		}
		if r.code != exitInterrupted {
			t.Fatalf("exit %d, want 130; stderr %q", r.code, r.stderr.String())
		}
		m := checkSummary(t, r.stdout.Bytes(), "timeout-demo", true)
		if m["auctions"].(float64) <= 0 {
			// Caught as the run began, before its first auction closed
			// (a busy machine): again, with a longer head start.
			last = "at every head start the signal came before an auction closed"
			continue
		}
		if m["wire"].(map[string]any)["sent"].(float64) <= 0 {
			t.Errorf("partial summary %s", r.stdout.String())
		}
		return
	}
	t.Fatal(last)
}

// TestRunEndpointsRefusedByTheFlag: run --endpoints with a value that is
// not a URL exits 2 naming --endpoints and the value written, with what
// to write, not a bidder and a URL built from the value; nothing is sent.
func TestRunEndpointsRefusedByTheFlag(t *testing.T) {
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	if code := realMain([]string{"run", "--endpoints", "notaurl", "--auctions", "10"}, st); code != exitUsage {
		t.Fatalf("exit %d, want %d: %s", code, exitUsage, errb.String())
	}
	e := errb.String()
	if !strings.Contains(e, `--endpoints "notaurl"`) || !strings.Contains(e, "--endpoints http://127.0.0.1:8080") || strings.Contains(e, "notaurl/") {
		t.Errorf("stderr %q: want --endpoints, the value written and what to write instead", e)
	}
}

// TestRunMixedFromTheScenario: a bidder with an endpoint in the scenario
// file goes on the wire, the others stay simulated, and run says so in
// its wire section.
func TestRunMixedFromTheScenario(t *testing.T) {
	sc, srv := demoServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	first := sc.Config.Bidders[0].Name
	text := string(sc.YAML)
	at := strings.Index(text, "- name: "+first)
	if at < 0 {
		t.Fatalf("no bidder %s in\n%s", first, text)
	}
	eol := at + strings.Index(text[at:], "\n")
	indent := strings.Repeat(" ", at-strings.LastIndex(text[:at], "\n")-1+2)
	text = text[:eol+1] + indent + "endpoint: " + ts.URL + "/openrtb2/" + first + "\n" + text[eol+1:]
	file := filepath.Join(t.TempDir(), "mixed.yaml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	if code := realMain([]string{"run", "-s", file, "--set", "exchange.tmax=2s", "--auctions", "30", "--json"}, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var m struct {
		Wire     wire.WireStats `json:"wire"`
		Auctions uint64         `json:"auctions"`
	}
	if err := json.Unmarshal(out.Bytes(), &m); err != nil || m.Auctions != 30 {
		t.Fatalf("%v: %s", err, out.String())
	}
	var served uint64
	for _, b := range srv.Stats().Bidders {
		if b.Name == first {
			served = b.Requests
		} else if b.Requests != 0 {
			t.Errorf("%s, simulated, was sent %d requests", b.Name, b.Requests)
		}
	}
	if m.Wire.Sent < 30 || served < 30 {
		t.Errorf("wire %+v, %s served %d: want each auction's request to %s on the wire", m.Wire, first, served, first)
	}
}

// TestLoadgen loads an in-process bidders server: every request sent is
// answered, and the server saw them all; bad usage is refused.
func TestLoadgen(t *testing.T) {
	_, srv := demoServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	if code := realMain([]string{"loadgen", "--target", ts.URL, "--rate", "400", "--count", "80"}, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res struct {
		Sent, Answered, Failed int
		AddedMS                wire.Percentiles `json:"added_ms"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Sent != 80 || res.Answered != 80 || res.AddedMS.N != 80 {
		t.Fatalf("%v: %s", err, out.String())
	}
	if st := srv.Stats(); st.AddedMS.N != 80 || st.Bidders[0].Requests != 10 {
		t.Errorf("the server saw %d answers, %s %d requests; want 80, 10 each", st.AddedMS.N, st.Bidders[0].Name, st.Bidders[0].Requests)
	}
	for _, args := range [][]string{
		{"loadgen"},
		{"loadgen", "--target", ts.URL, "--rate", "0"},
		{"loadgen", "--target", ts.URL, "--count", "-1"},
	} {
		if code := realMain(args, st); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestPlotOnTheWire: run --endpoints --plot draws the run's time series
// (the wire has no tmax curve), where before it wrote nothing and said
// nothing; a --plot the output guard refuses is refused before the run.
func TestPlotOnTheWire(t *testing.T) {
	_, srv := demoServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	dir := t.TempDir()
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	png := filepath.Join(dir, "wire.png")
	args := []string{"run", "-s", "timeout-demo", "--set", "traffic.qps=100", "--set", "exchange.tmax=2s", "--endpoints", ts.URL, "--duration", "2500ms", "--plot", png}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if info, err := os.Stat(png); err != nil || info.Size() == 0 {
		t.Fatalf("--plot on the wire wrote no plot: %v", err)
	}
	errb.Reset()
	if code := realMain([]string{"run", "--endpoints", ts.URL, "--auctions", "10", "--plot", dir}, st); code != exitUsage || !strings.Contains(errb.String(), "--plot") {
		t.Errorf("--plot naming a directory on the wire: exit %d %q", code, errb.String())
	}
	// A run too short for two intervals of the series still draws the
	// tmax curve, settled up to the deadline; not when the deadline lies
	// below the grid's first point (20 ms), refused before the run.
	short := filepath.Join(dir, "short.png")
	args = []string{"run", "-s", "timeout-demo", "--set", "traffic.qps=100", "--endpoints", ts.URL, "--duration", "500ms", "--plot", short}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("a short run with --plot on the wire: exit %d: %s", code, errb.String())
	}
	if info, err := os.Stat(short); err != nil || info.Size() == 0 {
		t.Errorf("a short run on the wire drew no tmax curve: %v", err)
	}
	errb.Reset()
	args = []string{"run", "-s", "timeout-demo", "--set", "exchange.tmax=15ms", "--endpoints", ts.URL, "--duration", "500ms", "--plot", filepath.Join(dir, "none.png")}
	if code := realMain(args, st); code != exitUsage || !strings.Contains(errb.String(), "below its grid's first point") {
		t.Errorf("--plot of a short run whose deadline lies below the grid: exit %d %q", code, errb.String())
	}
}

// TestReplayOfAWireExportRefused: run --endpoints --out writes an export
// that run --replay refuses, exit 2, saying it is the wire's, where it
// said "replay diverged" as of an edited file.
func TestReplayOfAWireExportRefused(t *testing.T) {
	_, srv := demoServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	dir := t.TempDir()
	out := filepath.Join(dir, "wire.json")
	var stdout, errb bytes.Buffer
	st := streams{out: &stdout, err: &errb, getenv: func(string) string { return "" }}
	args := []string{"run", "-s", "timeout-demo", "--set", "traffic.qps=100", "--set", "exchange.tmax=2s", "--endpoints", ts.URL, "--auctions", "30", "--out", out}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	errb.Reset()
	if code := realMain([]string{"run", "--replay", out, "--json"}, st); code != exitUsage || !strings.Contains(errb.String(), "run on the wire") {
		t.Errorf("--replay of the wire's export: exit %d %q", code, errb.String())
	}
}

// TestLoadgenSaysWhenNothingAnswered: loadgen at a port where nothing
// listens measured nothing: it says so on stderr and exits 1, and its
// added_ms is null with n 0, where it read p50 0 and mean 0 (a wire
// that adds nothing) and exited 0.
func TestLoadgenSaysWhenNothingAnswered(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	url := ts.URL
	ts.Close() // nothing listens there now
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	code := realMain([]string{"loadgen", "--target", url, "--rate", "400", "--count", "8", "--timeout", "20s"}, st)
	var res struct {
		Sent, Answered, Failed int
		AddedMS                map[string]any `json:"added_ms"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Sent != 8 || res.Answered != 0 {
		t.Fatalf("%v: %s", err, out.String())
	}
	if code != exitFailed {
		t.Errorf("exit %d with not one answer, want 1 (run failed)", code)
	}
	if !strings.Contains(errb.String(), "none of the 8 bid requests sent was answered") || !strings.Contains(errb.String(), "nothing was measured") {
		t.Errorf("stderr does not say that nothing answered: %q", errb.String())
	}
	wantNull(t, "loadgen's added_ms", res.AddedMS)
}

// TestLoadgenOneUnanswered: one bid request, unanswered, is said in the
// singular, not "none of the 1 bid requests".
func TestLoadgenOneUnanswered(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	url := ts.URL
	ts.Close() // nothing listens there now
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	code := realMain([]string{"loadgen", "--target", url, "--count", "1", "--timeout", "20s"}, st)
	if want := "auctionsim loadgen: the one bid request sent was not answered (it got no HTTP answer), so nothing was measured"; code != exitFailed || !strings.Contains(errb.String(), want) {
		t.Errorf("exit %d, %q; want 1 and %q", code, errb.String(), want)
	}
}

// TestLoadgenRefusesABadTarget: a --target that is not an http(s) URL
// with a host (a port left out, no URL at all) is refused up front, as
// --endpoints is, naming --target, exit 2, nothing sent or written.
func TestLoadgenRefusesABadTarget(t *testing.T) {
	for _, target := range []string{"http://127.0.0.1:", "notaurl"} {
		var out, errb bytes.Buffer
		st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
		code := realMain([]string{"loadgen", "--target", target, "--count", "1", "--timeout", "20s"}, st)
		if want := `--target "` + target + `": not an http:// or https:// URL with a host`; code != exitUsage || !strings.Contains(errb.String(), want) || out.Len() > 0 {
			t.Errorf("--target %s: exit %d, stdout %q, stderr %q; want 2 and %q", target, code, out.String(), errb.String(), want)
		}
	}
}

// TestLoadgenAnswersWithoutModelledTime: a target that answers but is not
// an auctionsim bidders server (no X-Auctionsim-Modelled-Us) leaves
// added_ms null, with a note saying why; the answers were measured, so
// the exit is 0.
func TestLoadgenAnswersWithoutModelledTime(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer ts.Close()
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	if code := realMain([]string{"loadgen", "--target", ts.URL, "--rate", "400", "--count", "8", "--timeout", "20s"}, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res struct {
		Answered int
		AddedMS  map[string]any `json:"added_ms"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Answered != 8 {
		t.Fatalf("%v: %s", err, out.String())
	}
	wantNull(t, "added_ms of answers without their modelled time", res.AddedMS)
	if !strings.Contains(errb.String(), "none of the 8 answers stated its modelled time") {
		t.Errorf("stderr does not say why added_ms is null: %q", errb.String())
	}
	errb.Reset()
	if code := realMain([]string{"loadgen", "--target", ts.URL, "--count", "1", "--timeout", "20s"}, st); code != exitOK ||
		!strings.Contains(errb.String(), "the one answer did not state its modelled time") {
		t.Errorf("one answer: exit %d, stderr %q, want it said in the singular", code, errb.String())
	}
}

// wantNull fails unless p is a latency summary of nothing: n 0 and every
// figure null.
func wantNull(t *testing.T, what string, p map[string]any) {
	t.Helper()
	if n, ok := p["n"].(float64); !ok || n != 0 {
		t.Errorf("%s: n %v, want 0", what, p["n"])
	}
	for _, f := range []string{"p50", "p95", "p99", "max", "mean"} {
		if v, ok := p[f]; !ok || v != nil {
			t.Errorf("%s: %s is %v, want null (no answer measured)", what, f, v)
		}
	}
}

// TestRunOnTheWireSaysWhenTheMachineIsBusy: bidders whose every answer
// comes 30 ms past its modelled time make run say that the figures
// measure the machine, and how to lower the traffic; the summary is
// still written.
func TestRunOnTheWireSaysWhenTheMachineIsBusy(t *testing.T) {
	_, srv := demoServer(t)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(30 * time.Millisecond) // a stalled machine, before the server's clock starts
		srv.ServeHTTP(w, r)
	})
	ts := httptest.NewServer(slow)
	defer ts.Close()
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	args := []string{"run", "-s", "timeout-demo", "--set", "traffic.qps=100", "--set", "exchange.tmax=2s", "--endpoints", ts.URL, "--auctions", "20", "--json"}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	checkSummary(t, out.Bytes(), "timeout-demo", false)
	if e := errb.String(); !strings.Contains(e, "the wire added") || !strings.Contains(e, "traffic.qps") {
		t.Errorf("stderr %q: want the note that the machine is not keeping up", e)
	}
}

// TestRunOnTheWireTmaxCurveSettledUpToTheDeadline: `run --endpoints
// --late-grace 0 --json` against timeout-demo's bidders on loopback cuts
// each late call at the deadline, so its tmax curve is settled up to the
// deadline the wire enforced (tmax 120 ms, told as it is) and has no point
// above it; at the run's tmax the curve counts what the exchange counted:
// its late bids are the exchange's timeouts, its late share the timeout
// rate, its revenue the revenue. The advice is given only inside the
// settled range, else null with why. The table's Tmax curve section says
// where and why the curve stops. With the default late grace (500 ms)
// the late answers are read at their times: the curve runs its whole
// grid, past the deadline, and still counts at the run's tmax what the
// exchange counted (TestRunOnTheWireLateGraceSettlesTheWholeCurve).
func TestRunOnTheWireTmaxCurveSettledUpToTheDeadline(t *testing.T) {
	_, srv := demoServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	args := []string{"run", "-s", "timeout-demo", "--set", "traffic.qps=200", "--endpoints", ts.URL, "--late-grace", "0", "--auctions", "300", "--json"}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var m struct {
		Settings struct {
			TmaxMS float64 `json:"tmax_ms"`
		} `json:"settings"`
		Exchange struct {
			Revenue     float64  `json:"revenue"`
			Timeouts    uint64   `json:"timeouts"`
			Bids        uint64   `json:"bids"`
			TimeoutRate *float64 `json:"timeout_rate"`
			Auctions    uint64   `json:"auctions"`
			Wait        struct {
				Mean float64 `json:"mean"`
			} `json:"wait_ms"`
		} `json:"exchange"`
		Auctions uint64 `json:"auctions"`
		Curve    []struct {
			TmaxMS    float64  `json:"tmax_ms"`
			Revenue   float64  `json:"revenue"`
			LateShare *float64 `json:"late_share"`
			LateBids  uint64   `json:"late_bids"`
			Bids      uint64   `json:"bids"`
			Auctions  uint64   `json:"auctions"`
			WaitMean  float64  `json:"wait_ms_mean"`
		} `json:"tmax_curve"`
		Above     *float64            `json:"tmax_curve_censored_above_ms"`
		Why       string              `json:"tmax_curve_why"`
		Advice    map[string]*float64 `json:"tmax_advice"`
		AdviceWhy string              `json:"tmax_advice_why"`
	}
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	x := m.Exchange
	if m.Above == nil || *m.Above != m.Settings.TmaxMS || m.Settings.TmaxMS != 120 || !strings.Contains(m.Why, "120ms") {
		t.Fatalf("censored above %v (why %q), want the run's tmax %v", m.Above, m.Why, m.Settings.TmaxMS)
	}
	if len(m.Curve) == 0 || m.Curve[len(m.Curve)-1].TmaxMS != m.Settings.TmaxMS {
		t.Fatalf("the curve %+v does not end at the run's tmax", m.Curve)
	}
	for _, p := range m.Curve {
		if p.TmaxMS > *m.Above {
			t.Errorf("a point at %v ms, above the deadline %v ms", p.TmaxMS, *m.Above)
		}
	}
	p := m.Curve[len(m.Curve)-1]
	if x.Bids == 0 || x.Timeouts == 0 {
		t.Fatalf("bids %d timeouts %d: timeout-demo's slow bidders time out", x.Bids, x.Timeouts)
	}
	if p.LateBids != x.Timeouts || p.Bids != x.Bids || p.Revenue != x.Revenue || p.Auctions != m.Auctions {
		t.Errorf("at tmax %v ms the curve has %d late of %d bids, revenue %v over %d auctions; the exchange %d timeouts of %d bids, revenue %v over %d",
			p.TmaxMS, p.LateBids, p.Bids, p.Revenue, p.Auctions, x.Timeouts, x.Bids, x.Revenue, m.Auctions)
	}
	if p.LateShare == nil || x.TimeoutRate == nil || *p.LateShare != *x.TimeoutRate {
		t.Errorf("late share %v at the run's tmax, the exchange's timeout rate %v", p.LateShare, x.TimeoutRate)
	}
	// The exchange's wait is kept in whole microseconds, the curve's to
	// the nanosecond.
	if d := p.WaitMean - x.Wait.Mean; d < -0.001 || d > 0.001 {
		t.Errorf("wait %v ms at the run's tmax, the exchange's %v ms", p.WaitMean, x.Wait.Mean)
	}
	nulls := 0
	for k, v := range m.Advice {
		if v == nil {
			nulls++
		} else if *v > *m.Above {
			t.Errorf("tmax_advice.%s %v above the settled range", k, *v)
		}
	}
	if (m.Advice == nil || nulls > 0) != (m.AdviceWhy != "") {
		t.Errorf("tmax_advice %v with why %q", m.Advice, m.AdviceWhy)
	}

	out.Reset()
	args = []string{"run", "-s", "timeout-demo", "--set", "traffic.qps=200", "--endpoints", ts.URL, "--late-grace", "0", "--auctions", "100", "--no-color"}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("table: exit %d: %s", code, errb.String())
	}
	table := out.String()
	i := strings.Index(table, "Tmax curve")
	if i < 0 {
		t.Fatalf("no Tmax curve section on the wire:\n%s", table)
	}
	section := strings.Join(strings.Fields(table[i:]), " ")
	if !strings.Contains(section, "stopped waiting for it (120ms: the deadline the wire enforced") || !strings.Contains(section, "this run's tmax") {
		t.Errorf("the Tmax curve section does not say where the curve stops:\n%s", table[i:])
	}
}

// TestRunOnTheWireLateGraceSettlesTheWholeCurve: with the default late
// grace (500 ms) `run --endpoints --json` against timeout-demo's bidders
// reads the late answers at their times, so the tmax curve is not stopped
// at the deadline: it runs its whole grid (to 400 ms), its late bids
// falling past the run's tmax, where it still counts what the exchange
// counted; and the bidders' latencies censor only the calls the grace
// read nothing of. (Before, every late answer was censored at the
// deadline: the curve stopped at 120 ms, summit's and glacier's p50 read
// "> 120ms".)
func TestRunOnTheWireLateGraceSettlesTheWholeCurve(t *testing.T) {
	_, srv := demoServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	args := []string{"run", "-s", "timeout-demo", "--set", "traffic.qps=200", "--endpoints", ts.URL, "--auctions", "300", "--json"}
	if code := realMain(args, st); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var m struct {
		Exchange struct {
			Revenue  float64 `json:"revenue"`
			Timeouts uint64  `json:"timeouts"`
			Bids     uint64  `json:"bids"`
			Wait     struct {
				Mean float64 `json:"mean"`
			} `json:"wait_ms"`
		} `json:"exchange"`
		Auctions uint64 `json:"auctions"`
		Curve    []struct {
			TmaxMS   float64 `json:"tmax_ms"`
			Revenue  float64 `json:"revenue"`
			LateBids uint64  `json:"late_bids"`
			Bids     uint64  `json:"bids"`
			Auctions uint64  `json:"auctions"`
			WaitMean float64 `json:"wait_ms_mean"`
		} `json:"tmax_curve"`
		Above   *float64 `json:"tmax_curve_censored_above_ms"`
		Why     string   `json:"tmax_curve_why"`
		Bidders []struct {
			Latency struct {
				Censored uint64 `json:"censored"`
			} `json:"latency_ms"`
		} `json:"bidders"`
		Wire struct {
			Timeouts    uint64 `json:"timeouts"`
			LateAnswers uint64 `json:"late_answers"`
		} `json:"wire"`
	}
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if m.Above != nil || len(m.Curve) == 0 || m.Curve[len(m.Curve)-1].TmaxMS != 400 {
		above := "nothing"
		if m.Above != nil {
			above = fmt.Sprintf("%v ms (%s)", *m.Above, m.Why)
		}
		t.Fatalf("censored above %s, curve %+v: want the whole grid, to 400 ms", above, m.Curve)
	}
	if m.Wire.LateAnswers == 0 || m.Exchange.Timeouts == 0 || m.Wire.LateAnswers > m.Wire.Timeouts {
		t.Fatalf("wire %+v, exchange %+v: want late answers, read among the timeouts", m.Wire, m.Exchange)
	}
	var at120 *int
	for i, p := range m.Curve {
		if p.TmaxMS == 120 {
			at120 = &i
		}
	}
	if at120 == nil {
		t.Fatalf("no point at the run's tmax: %+v", m.Curve)
	}
	p, last := m.Curve[*at120], m.Curve[len(m.Curve)-1]
	if p.LateBids != m.Exchange.Timeouts || p.Bids != m.Exchange.Bids || p.Revenue != m.Exchange.Revenue || p.Auctions != m.Auctions {
		t.Errorf("at 120 ms the curve has %d late of %d bids, revenue %v over %d auctions; the exchange %d timeouts of %d bids, revenue %v over %d",
			p.LateBids, p.Bids, p.Revenue, p.Auctions, m.Exchange.Timeouts, m.Exchange.Bids, m.Exchange.Revenue, m.Auctions)
	}
	if last.LateBids >= p.LateBids || last.Revenue < p.Revenue {
		t.Errorf("at 400 ms %d late bids, revenue %v; at 120 ms %d, %v: want fewer late and no less revenue", last.LateBids, last.Revenue, p.LateBids, p.Revenue)
	}
	// The exchange's wait is kept in whole microseconds, the curve's to
	// the nanosecond.
	if d := p.WaitMean - m.Exchange.Wait.Mean; d < -0.001 || d > 0.001 {
		t.Errorf("wait %v ms at the run's tmax, the exchange's %v ms", p.WaitMean, m.Exchange.Wait.Mean)
	}
	var censored uint64
	for _, b := range m.Bidders {
		censored += b.Latency.Censored
	}
	if censored > m.Wire.Timeouts-m.Wire.LateAnswers {
		t.Errorf("%d calls censored, more than the %d timeouts the grace read nothing of (%d timeouts, %d read)",
			censored, m.Wire.Timeouts-m.Wire.LateAnswers, m.Wire.Timeouts, m.Wire.LateAnswers)
	}
}

// TestLoadgenInterrupted: Ctrl-C stops loadgen with exit 130, as every
// command's interrupt, and the figures of the requests sent so far are
// still written.
func TestLoadgenInterrupted(t *testing.T) {
	_, srv := demoServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var last string
	for _, wait := range []time.Duration{time.Second, 3 * time.Second, 10 * time.Second} {
		// 20 a second for a day: only the signal ends it.
		r := interrupt(t, wait, 20*time.Second, "loadgen did not stop within 20s of SIGINT",
			"loadgen", "--target", ts.URL, "--rate", "20", "--count", "1728000", "--timeout", "24h")
		if r.early {
			last = "at every head start the signal came before loadgen began"
			continue
		}
		if r.code != exitInterrupted {
			t.Fatalf("exit %d, want 130; stderr %q", r.code, r.stderr.String())
		}
		var res struct{ Sent, Answered int }
		if err := json.Unmarshal(r.stdout.Bytes(), &res); err != nil {
			t.Fatalf("no figures after the interrupt: %v: %q", err, r.stdout.String())
		}
		if res.Sent == 0 {
			last = "at every head start the signal came before a request was sent"
			continue
		}
		if !strings.Contains(r.stderr.String(), "interrupted") {
			t.Errorf("stderr does not say it was interrupted: %q", r.stderr.String())
		}
		return
	}
	t.Skip(last)
}

// silentServer answers no request until the test ends: every call hangs.
func silentServer(t *testing.T) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-done:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(done); ts.Close() })
	return ts
}

// TestLoadgenCutShortWhileAwaiting: a signal or --timeout that comes
// after the last send, while loadgen awaits the answers, still cuts the
// load short: exit 130 for Ctrl-C and 1 for --timeout, each saying so,
// not "nothing answered, is a server running?".
func TestLoadgenCutShortWhileAwaiting(t *testing.T) {
	ts := silentServer(t)
	var last string
	for _, wait := range []time.Duration{time.Second, 3 * time.Second} {
		r := interrupt(t, wait, 20*time.Second, "loadgen did not stop within 20s of SIGINT",
			"loadgen", "--target", ts.URL, "--rate", "1000", "--count", "3", "--tmax", "30s", "--timeout", "1h")
		if r.early {
			last = "at every head start the signal came before loadgen began"
			continue
		}
		if r.code != exitInterrupted || !strings.Contains(r.stderr.String(), "interrupted") {
			t.Fatalf("Ctrl-C while awaiting: exit %d, want 130 saying so; stderr %q", r.code, r.stderr.String())
		}
		last = ""
		break
	}
	if last != "" {
		t.Skip(last)
	}
	var out, errb bytes.Buffer
	st := streams{out: &out, err: &errb, getenv: func(string) string { return "" }}
	code := realMain([]string{"loadgen", "--target", ts.URL, "--rate", "1000", "--count", "3", "--tmax", "30s", "--timeout", "1s"}, st)
	if code != exitFailed || !strings.Contains(errb.String(), "--timeout") {
		t.Errorf("--timeout while awaiting: exit %d, want 1 naming --timeout; stderr %q", code, errb.String())
	}
}

// TestRunOnTheWireNothingAnswered: run --endpoints where nothing listens
// exits 1 (it measured no bidder, as loadgen's run does), after writing
// its outputs, and says why last on stderr; one bidder answering among
// dead ones is a run (exit 0), the dead ones named in notes. Before, both
// exited 0.
func TestRunOnTheWireNothingAnswered(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close() // nothing listens there now
	dir := t.TempDir()
	out := filepath.Join(dir, "dead.json")
	var stdout, errb bytes.Buffer
	st := streams{out: &stdout, err: &errb, getenv: func(string) string { return "" }}
	args := []string{"run", "-s", "timeout-demo", "--set", "traffic.qps=100", "--endpoints", deadURL, "--auctions", "20", "--out", out}
	if code := realMain(args, st); code != exitFailed {
		t.Errorf("nothing answered: exit %d, want 1: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
	// How many bid requests went out before the 20th auction closed
	// depends on the wall clock: the line says none of them was answered.
	if last := lines[len(lines)-1]; !strings.Contains(last, "the run on the wire failed: none of the ") ||
		!strings.Contains(last, "bid requests sent on the wire was answered") {
		t.Errorf("stderr does not end with why: %q", errb.String())
	}
	if _, err := os.Stat(out); err != nil || !strings.Contains(stdout.String(), "0 answered") {
		t.Errorf("outputs not written: %v, stdout %q", err, stdout.String())
	}

	_, srv := demoServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	errb.Reset()
	args = []string{"run", "-s", "timeout-demo", "--set", "traffic.qps=100", "--set", "exchange.tmax=2s", "--endpoints", deadURL,
		"--endpoint", "swift=" + ts.URL + "/openrtb2/swift", "--auctions", "20"}
	if code := realMain(args, st); code != exitOK || strings.Contains(errb.String(), "failed") ||
		!strings.Contains(errb.String(), "note: tail at "+deadURL+"/openrtb2/tail answered none") {
		t.Errorf("one bidder answering: exit %d, want 0 with the dead named: %s", code, errb.String())
	}

	// Bidders that take every call and never answer: nothing answered,
	// in time or late, so the run failed; but with --late-grace 0 (cut
	// at the deadline, as Prebid Server does) timeouts alone may be a
	// tmax too short for bidders that are there: a note, exit 0.
	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release: // calls of auctions open at the stop are left, not cut
		}
	}))
	defer hung.Close()
	defer close(release) // before Close, which waits for the handlers
	for _, c := range []struct {
		grace string
		code  int
		says  string
	}{{"200ms", exitFailed, "the run on the wire failed: none of the"}, {"0", exitOK, "with --late-grace 0 no answer past its deadline is read"}} {
		errb.Reset()
		args = []string{"run", "-s", "timeout-demo", "--set", "traffic.qps=100", "--set", "exchange.tmax=50ms", "--endpoints", hung.URL,
			"--late-grace", c.grace, "--auctions", "10"}
		if code := realMain(args, st); code != c.code || !strings.Contains(errb.String(), c.says) {
			t.Errorf("--late-grace %s, no answer: exit %d, want %d saying %q: %s", c.grace, code, c.code, c.says, errb.String())
		}
	}
}
