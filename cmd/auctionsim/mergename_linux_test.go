package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeFailsAsMerge: merge's own failures name merge, the command
// given, not the one that wrote the shards: an --out that cannot be
// written (a link to /dev/full) said "auctionsim run: write …" of run
// --reps's shards, and compare's and sweep's the same way.
func TestMergeFailsAsMerge(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("/dev/full", filepath.Join(dir, "full.json")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", "-s", "classroom-vickrey", "--reps", "2"},
		{"compare", "classroom-vickrey", "--change", "exchange.floor=0.1", "--reps", "2"},
		{"sweep", "-s", "classroom-vickrey", "--vary", "exchange.floor=0,0.1", "--reps", "2"},
	} {
		var shards []string
		for k := range 2 {
			out := filepath.Join(dir, args[0]+string(rune('0'+k))+".jsonl")
			if r := run(t, dir, append(args, "--auctions", "500", "--shard", string(rune('0'+k))+"/2", "--out", out)...); r.code != 0 {
				t.Fatalf("%v shard %d: exit %d\n%s", args, k, r.code, r.stderr)
			}
			shards = append(shards, out)
		}
		r := run(t, dir, append(append([]string{"merge"}, shards...), "--out", "full.json")...)
		if r.code != 1 || !strings.HasPrefix(r.stderr, "auctionsim merge: write full.json") {
			t.Errorf("merge of %s's shards, --out full.json: exit %d, want 1 naming merge\n%s", args[0], r.code, r.stderr)
		}
		// The file once: it said "write full.json: write JSON: write
		// full.json: no space left on device".
		if n := strings.Count(r.stderr, "full.json"); n != 1 {
			t.Errorf("merge of %s's shards, --out full.json: the name %d times, want once\n%s", args[0], n, r.stderr)
		}
	}
}
