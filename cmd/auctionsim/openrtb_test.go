package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// specScenario is OpenRTB 2.6's example (§4.4.1): floor 0.85, bids 1.00,
// 0.90 and 0.80, second price with a 0.01 increment, which pays 0.91;
// beside them a bidder that is always late.
const specScenario = `name: spec
stop: {auctions: 500}
traffic: {qps: 100}
exchange: {tmax: 120ms, floor: 0.85, increment: 0.01}
bidders:
  - {name: a, latency: {dist: constant, value: 40ms}, value: {dist: constant, value: 1.2}, strategy: {kind: fixed, bid: 1.00}}
  - {name: b, latency: {dist: constant, value: 40ms}, value: {dist: constant, value: 1.2}, strategy: {kind: fixed, bid: 0.90}}
  - {name: c, latency: {dist: constant, value: 40ms}, value: {dist: constant, value: 1.2}, strategy: {kind: fixed, bid: 0.80}}
  - {name: late, latency: {dist: constant, value: 150ms}, value: {dist: constant, value: 1.2}, strategy: {kind: fixed, bid: 1.5}}
`

func runIn(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	r := inProcess(args...)
	return r.code, r.stdout, r.stderr
}

func TestRunOpenRTB(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(file, []byte(specScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	// To stdout, in place of the summary: exactly N lines.
	code, out, errs := runIn(t, "run", "-s", file, "--openrtb", "3")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	for i, line := range lines {
		var a openrtb.Auction
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatal(err)
		}
		if a.Request.ID != string(rune('1'+i)) || a.Request.TMax != 120 || a.Request.Imp[0].BidFloor != 0.85 {
			t.Errorf("line %d request %+v", i, a.Request)
		}
		if a.Outcome.Winner == nil || *a.Outcome.Winner != "a" || a.Outcome.Price != 0.91 {
			t.Errorf("line %d outcome %+v, want a pays 0.91", i, a.Outcome)
		}
		if err := openrtb.Validate([]byte(line)); err != nil {
			t.Errorf("line %d: %v", i, err)
		}
	}

	// Far more than the engine keeps (32): streamed as they close, each
	// line the auction a snapshot of that moment would show.
	path := filepath.Join(dir, "auctions.jsonl")
	code, out, errs = runIn(t, "run", "-s", file, "--openrtb", "200", "--openrtb-out", path, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"auctions": 500`) {
		t.Errorf("the run goes on to its stop and prints its summary: %.200s", out)
	}
	sc, err := scenarios.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.Config
	cfg.Recent = 200
	e, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(200)
	snap := e.Snapshot()
	var want bytes.Buffer
	if err := openrtb.WriteLines(&want, snap.Recent, openrtb.Seats(snap)); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("streamed lines differ from the 200 auctions a snapshot keeps")
	}
	n := 0
	for sc := bufio.NewScanner(bytes.NewReader(got)); sc.Scan(); n++ {
	}
	if n != 200 {
		t.Errorf("%d lines, want 200", n)
	}

	// More than the run has: what there is.
	code, out, _ = runIn(t, "run", "-s", file, "--openrtb", "1000")
	if code != exitOK || strings.Count(out, "\n") != 500 {
		t.Errorf("exit %d, %d lines; want 500", code, strings.Count(out, "\n"))
	}

	for _, args := range [][]string{
		{"--openrtb", "0"},
		{"--openrtb-out", path},
		{"--openrtb", "3", "--json"},
		{"--openrtb", "3", "--openrtb-out", filepath.Join(dir, "missing", "x.jsonl")},
	} {
		code, _, errs := runIn(t, append([]string{"run", "-s", file}, args...)...)
		if code != exitUsage || !strings.Contains(errs, "openrtb") {
			t.Errorf("%v: exit %d, %s", args, code, errs)
		}
	}
}

func TestNoScriptFlag(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.yaml")
	src := specScenario + "script:\n  - {at: 1s, set: {exchange.floor: 0.95}}\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		flag    []string
		changes int
	}{{nil, 1}, {[]string{"--no-script"}, 0}} {
		code, out, errs := runIn(t, append([]string{"run", "-s", file, "--json"}, c.flag...)...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var m struct{ Changes []map[string]any }
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		if len(m.Changes) != c.changes || c.changes == 1 && (m.Changes[0]["scripted"] != true || m.Changes[0]["at_seconds"] != 1.0) {
			t.Errorf("%v: changes %v", c.flag, m.Changes)
		}
	}
}

// An export of a scripted run replays to the same summary, with the
// script and without it (--no-script's export leaves the script out).
func TestReplayScripted(t *testing.T) {
	dir := t.TempDir()
	for _, extra := range [][]string{nil, {"--no-script"}} {
		out := filepath.Join(dir, "run.json")
		args := append([]string{"run", "-s", "timeout-story", "--duration", "70s", "--json", "--out", out}, extra...)
		code, first, errs := runIn(t, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", extra, code, errs)
		}
		code, again, errs := runIn(t, "run", "--replay", out, "--json")
		if code != exitOK {
			t.Fatalf("replay: exit %d: %s", code, errs)
		}
		norm := func(s string) map[string]any {
			var m map[string]any
			if err := json.Unmarshal([]byte(s), &m); err != nil {
				t.Fatal(err)
			}
			delete(m, "wall_seconds")
			delete(m, "partial")
			return m
		}
		a, b := norm(first), norm(again)
		if ja, jb := fmt.Sprint(a), fmt.Sprint(b); ja != jb {
			t.Errorf("%v: the replay differs:\n%.400s\n%.400s", extra, ja, jb)
		}
		if n := len(a["changes"].([]any)); n != 2-2*len(extra) {
			t.Errorf("%v: %d changes", extra, n)
		}
	}
}

// TestOpenRTBValidates: --openrtb 3 on bundled scenarios writes lines a
// reader of OpenRTB and Prebid Server's response finds whole
// (openrtb.Validate: the fields OpenRTB requires and Prebid Server
// writes), with each bidder's status among Prebid Server's codes.
func TestOpenRTBValidates(t *testing.T) {
	for _, name := range scenarios.Names() {
		code, out, errs := runIn(t, "run", "-s", name, "--openrtb", "3", "--auctions", "3")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, errs)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 3 {
			t.Errorf("%s: %d lines", name, len(lines))
		}
		for i, line := range lines {
			if err := openrtb.Validate([]byte(line)); err != nil {
				t.Errorf("%s line %d: %v", name, i+1, err)
			}
		}
	}
}

// TestReplayAnchoredScript: an export of a run whose file shares values
// through anchors (the floor's anchor aliased by the increment, a
// bidder's mapping merged by others), scripted and with --set, replays
// to the same summary: each change log entry sets its path alone, as
// the script's step did (it read "makes 2 changes" before).
func TestReplayAnchoredScript(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "anchored.yaml")
	if err := os.WriteFile(file, []byte(`name: anchored
stop: {duration: 10s}
traffic: {qps: 100}
exchange: {tmax: 100ms, floor: &p 0.1, increment: *p}
bidders:
  - &bidder {name: a, latency: {dist: constant, value: 20ms}, value: {dist: uniform, min: 0, max: 1}}
  - {<<: *bidder, name: b}
  - {<<: *bidder, name: c, strategy: {kind: shade, factor: 0.8}}
script:
  - {at: 2s, set: {exchange.floor: 0.2}}
  - {at: 4s, set: {bidders.a.disabled: true}}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, extra := range [][]string{nil, {"--set", "exchange.floor=0.15"}} {
		out := filepath.Join(dir, "run.json")
		code, first, errs := runIn(t, append([]string{"run", "-s", file, "--json", "--out", out}, extra...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", extra, code, errs)
		}
		code, again, errs := runIn(t, "run", "--replay", out, "--json")
		if code != exitOK {
			t.Fatalf("%v: replay: exit %d: %s", extra, code, errs)
		}
		var a, b map[string]any
		if json.Unmarshal([]byte(first), &a) != nil || json.Unmarshal([]byte(again), &b) != nil {
			t.Fatal("not JSON")
		}
		for _, m := range []map[string]any{a, b} {
			delete(m, "wall_seconds")
			delete(m, "partial")
		}
		if ja, jb := fmt.Sprint(a), fmt.Sprint(b); ja != jb {
			t.Errorf("%v: the replay differs:\n%.400s\n%.400s", extra, ja, jb)
		}
		// The increment kept its own value; a alone was switched off.
		if inc := a["settings"].(map[string]any)["increment"]; inc != 0.1 {
			t.Errorf("%v: increment %v, want 0.1", extra, inc)
		}
		for _, bd := range a["bidders"].([]any) {
			bd := bd.(map[string]any)
			if on, _ := bd["enabled"].(bool); on != (bd["name"] != "a") {
				t.Errorf("%v: bidder %v enabled %v at the end", extra, bd["name"], bd["enabled"])
			}
		}
	}
}
