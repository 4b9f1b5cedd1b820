package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func writeShards(t *testing.T, e *Experiment, reps, n int, spec string) [][]byte {
	t.Helper()
	var out [][]byte
	for k := range n {
		var buf bytes.Buffer
		sw, err := NewShardWriter(&buf, ShardHeader{K: k, N: n, Points: e.Points, Reps: reps, Spec: json.RawMessage(spec)})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.RunShard(context.Background(), reps, Shard{k, n}, sw.Write); err != nil {
			t.Fatal(err)
		}
		if err := sw.Close(false); err != nil {
			t.Fatal(err)
		}
		out = append(out, buf.Bytes())
	}
	return out
}

func inputs(files [][]byte) []ShardInput {
	var in []ShardInput
	for i, f := range files {
		in = append(in, ShardInput{Name: "shard" + string(rune('0'+i)), R: bytes.NewReader(f)})
	}
	return in
}

func TestShardFilesMergeExactly(t *testing.T) {
	e := &Experiment{Points: 2, Seed: 9, Workers: 2, Run: noisy(false), Paired: true}
	whole, err := e.Replicate(context.Background(), 13)
	if err != nil {
		t.Fatal(err)
	}
	files := writeShards(t, e, 13, 3, `{"what":"test"}`)
	merged := NewAgg(2, true)
	// Shards may be given in any order.
	in := inputs(files)
	in[0], in[2] = in[2], in[0]
	h, err := Merge(in, nil, func(it Item) error { merged.Add(it); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if string(h.Spec) != `{"what":"test"}` || h.Reps != 13 {
		t.Errorf("header %+v", h)
	}
	sameAgg(t, whole, merged)
}

func TestMergeRefuses(t *testing.T) {
	e := &Experiment{Points: 2, Seed: 9, Workers: 2, Run: noisy(false)}
	files := writeShards(t, e, 5, 3, `{"a":1}`)
	other := writeShards(t, e, 5, 3, `{"a":2}`)
	rebuilt := writeShards(t, e, 5, 3, `{"a":1,"build":"sha256:00000000000000ff"}`)
	truncated := files[1][:bytes.LastIndexByte(files[1][:len(files[1])-1], '\n')+1]
	partial := interruptedShard(t, e, 5, Shard{1, 3}, 1, `{"a":1}`)
	cases := map[string]struct {
		files [][]byte
		want  string
	}{
		"different experiments": {[][]byte{files[0], other[1], files[2]}, "different experiments"},
		"different builds":      {[][]byte{files[0], rebuilt[1], files[2]}, "shard0 and shard1 were made by different builds of auctionsim (unknown and sha256:00000000000000ff)"},
		"a gap":                 {[][]byte{files[0], files[2]}, "shards missing: 1/3 (shards count from 0)"},
		"a gap and a cut":       {[][]byte{files[0], partial}, "shards missing: 2/3 (shards count from 0); shard1 was interrupted (1 of its 3 items): run it again too"},
		"a gap and a truncated": {[][]byte{truncated}, "shards missing: 0/3, 2/3 (shards count from 0); shard0 is incomplete (3 of its 3 items): run it again too"},
		"a duplicate":           {[][]byte{files[0], files[1], files[1]}, "are both shard 1/3"},
		"truncated":             {[][]byte{files[0], truncated, files[2]}, "damaged or incomplete"},
		"not a shard":           {[][]byte{[]byte("{}\n")}, "not an auctionsim shard"},
		"edited":                {[][]byte{bytes.Replace(files[0], []byte(`{"a":1}`), []byte(`{"a":3}`), 1), files[1], files[2]}, "edited"},
		// The same experiment split two ways, or a header's size edited:
		// not "different experiments (fingerprints X and X)".
		"split differently": {[][]byte{files[0], writeShards(t, e, 5, 2, `{"a":1}`)[1]}, "shard0 and shard1 split the experiment differently (--shard K/3 and K/2): run every shard with the same N"},
		"size edited":       {[][]byte{files[0], bytes.Replace(files[1], []byte(`"replications":5`), []byte(`"replications":6`), 1)}, "shard0 and shard1 are of one experiment but give it different sizes (2 points × 5 replications, and 2 × 6)"},
		"bad shard":         {[][]byte{files[0], bytes.Replace(files[1], []byte(`"n":3`), []byte(`"n":0`), 1)}, "shard1: bad shard 1/0"},
	}
	for name, c := range cases {
		_, err := Merge(inputs(c.files), nil, func(Item) error { return nil })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
	}
}

// TestMergeSizeEditedAlike: every shard's header given the same other
// size (replications or points) passes the check between shards; merge
// says the headers were edited, against the spec their fingerprint
// guards, rather than "the shard is incomplete" (more replications) or
// "more items than its share" (fewer) when the items do not fit.
func TestMergeSizeEditedAlike(t *testing.T) {
	e := &Experiment{Points: 2, Seed: 9, Workers: 2, Run: noisy(false)}
	const spec = `{"replications":5,"points":[{"name":"a"},{"name":"b"}]}`
	files := writeShards(t, e, 5, 2, spec)
	if _, err := Merge(inputs(files), nil, func(Item) error { return nil }); err != nil {
		t.Fatalf("the shards themselves: %v", err)
	}
	edit := func(from, to string) [][]byte {
		var out [][]byte
		for _, f := range files {
			out = append(out, bytes.Replace(f, []byte(from), []byte(to), 1))
		}
		return out
	}
	for _, c := range []struct {
		name  string
		files [][]byte
		want  string
	}{
		{"more replications", edit(`"replications":5,"spec"`, `"replications":6,"spec"`), "shard0: the header says 6 replications, but its experiment (the spec, which the fingerprint guards) has 5: the header was edited"},
		{"fewer replications", edit(`"replications":5,"spec"`, `"replications":4,"spec"`), "shard0: the header says 4 replications, but its experiment (the spec, which the fingerprint guards) has 5: the header was edited"},
		{"more points", edit(`"points":2,`, `"points":3,`), "shard0: the header says 3 points, but its experiment (the spec, which the fingerprint guards) has 2: the header was edited"},
	} {
		if bytes.Equal(c.files[0], files[0]) {
			t.Fatalf("%s: the edit missed", c.name)
		}
		_, err := Merge(inputs(c.files), nil, func(Item) error { return nil })
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "incomplete") {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

// TestMergeManyMissing: a shard of very many (--shard 0/100000, which
// --shard accepts for a grid of a few items: the other shards are empty)
// merged alone is refused naming a few of the missing shards and
// counting the others, at once, rather than listing every one; merge
// used to build the whole list, and for 0/10¹⁵ ran out of memory.
func TestMergeManyMissing(t *testing.T) {
	e := &Experiment{Points: 2, Seed: 9, Workers: 1, Run: noisy(false)}
	const n = 100_000
	var buf bytes.Buffer
	sw, err := NewShardWriter(&buf, ShardHeader{K: 0, N: n, Points: e.Points, Reps: 2, Spec: json.RawMessage(`{"a":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.RunShard(context.Background(), 2, Shard{0, n}, sw.Write); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(false); err != nil {
		t.Fatal(err)
	}
	_, err = Merge(inputs([][]byte{buf.Bytes()}), nil, func(Item) error { return nil })
	want := "shards missing: 1/100000, 2/100000, 3/100000, 4/100000, 5/100000, 6/100000, 7/100000, 8/100000, 9/100000, 10/100000 and 99989 more (shards count from 0)"
	if err == nil || err.Error() != want {
		msg := fmt.Sprint(err)
		if len(msg) > 300 {
			msg = msg[:300] + fmt.Sprintf("... (%d bytes)", len(msg))
		}
		t.Errorf("err = %s\nwant %s", msg, want)
	}
}

// interruptedShard is shard's file of an experiment of reps replications
// interrupted after its first items.
func interruptedShard(t *testing.T, e *Experiment, reps int, shard Shard, items int, spec string) []byte {
	t.Helper()
	var buf bytes.Buffer
	sw, err := NewShardWriter(&buf, ShardHeader{K: shard.K, N: shard.N, Points: e.Points, Reps: reps, Spec: json.RawMessage(spec)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	err = e.RunShard(ctx, reps, shard, func(it Item) error {
		if n == items {
			cancel()
			return context.Canceled
		}
		n++
		return sw.Write(it)
	})
	if err == nil {
		t.Fatal("not interrupted")
	}
	if err := sw.Close(true); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMergeBOM: a shard saved by an editor that puts a byte order mark
// first (Notepad) merges as the file without it, to the same result; it
// was refused as "not an auctionsim shard file".
func TestMergeBOM(t *testing.T) {
	e := &Experiment{Points: 2, Seed: 9, Workers: 2, Run: noisy(false), Paired: true}
	whole, err := e.Replicate(context.Background(), 7)
	if err != nil {
		t.Fatal(err)
	}
	files := writeShards(t, e, 7, 2, `{"what":"test"}`)
	files[1] = append([]byte("\uFEFF"), files[1]...)
	merged := NewAgg(2, true)
	if _, err := Merge(inputs(files), nil, func(it Item) error { merged.Add(it); return nil }); err != nil {
		t.Fatal(err)
	}
	sameAgg(t, whole, merged)
}
