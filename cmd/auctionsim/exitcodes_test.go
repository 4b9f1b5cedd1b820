package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputExitsTwo checks the exit-code contract for bad input files
// that used to exit 1: a replay whose changes no longer apply (out of
// order), a replay whose point (events, virtual_ns) was edited so that it
// diverges, and shards that merge refuses. Each exits 2 and names the file.
func TestBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "run.json")
	if r := inProcess("run", "-s", "timeout-story", "--auctions", "70000", "--out", export); r.code != exitOK {
		t.Fatalf("export: exit %d: %s", r.code, r.stderr)
	}
	good, _ := os.ReadFile(export)
	edit := func(name string, f func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		out, _ := json.Marshal(m)
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	replay := func(m map[string]any) map[string]any { return m["replay"].(map[string]any) }
	add := func(key string, d float64) func(map[string]any) {
		return func(m map[string]any) { replay(m)[key] = replay(m)[key].(float64) + d }
	}
	for _, c := range []struct {
		path, want string
	}{
		{edit("order", func(m map[string]any) {
			ch := m["changes"].([]any)
			if len(ch) < 2 {
				t.Fatalf("the export has %d changes, want 2 or more", len(ch))
			}
			a, b := ch[0].(map[string]any), ch[1].(map[string]any)
			a["event"], b["event"] = b["event"], a["event"]
			a["at_ns"], b["at_ns"] = b["at_ns"], a["at_ns"]
		}), "order"},
		{edit("events", add("events", 7)), "replay diverged"},
		{edit("virtual", add("virtual_ns", -1e8)), "replay diverged"},
		{edit("virtual-later", add("virtual_ns", 1e11)), "replay diverged"},
		{edit("auctions", add("auctions", 7)), "replay diverged"},
		// A live change standing 5s after its events: no run passes
		// through that point (events were due in between), so it was
		// edited; it used to be applied 5s early and logged as the file's.
		{edit("live-moved", func(m map[string]any) {
			ch := m["changes"].([]any)
			last := ch[len(ch)-1].(map[string]any)
			live := map[string]any{"kind": "floor", "value": 0.5, "set": map[string]any{"exchange.floor": "0.5"},
				"at_ns": last["at_ns"].(float64) + 5e9, "event": last["event"], "scripted": false}
			m["changes"] = append(ch, live)
		}), "replay diverged"},
	} {
		r := inProcess("run", "--replay", c.path, "--json")
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, c.path) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 naming the file and %q", c.path, r.code, r.stderr, c.want)
		}
	}

	shard := filepath.Join(dir, "s0.jsonl")
	if r := inProcess("run", "-s", "classroom-vickrey", "--reps", "2", "--auctions", "300", "--shard", "0/1", "--out", shard); r.code != exitOK {
		t.Fatalf("shard: exit %d: %s", r.code, r.stderr)
	}
	data, _ := os.ReadFile(shard)
	lines := strings.SplitAfter(string(data), "\n")
	var it map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &it); err != nil {
		t.Fatal(err)
	}
	it["v"].(map[string]any)["exchange.revenue"] = 12345.5
	line, _ := json.Marshal(it)
	lines[1] = string(line) + "\n"
	edited := filepath.Join(dir, "edited.jsonl")
	if err := os.WriteFile(edited, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"merge", edited}, "edited.jsonl: its items do not match the shard's checksum"},
		{[]string{"merge", export}, "not an auctionsim shard"},
		{[]string{"merge", filepath.Join(dir, "missing.jsonl")}, "missing.jsonl"},
	} {
		r := inProcess(c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
	if r := inProcess("merge", shard, "--json"); r.code != exitOK {
		t.Errorf("the untouched shard: exit %d: %s", r.code, r.stderr)
	}
}
