package experiment

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// editItem rewrites item line idx (0 = the first item) of a shard file
// with edit, and, when reseal, recomputes the trailer's checksum as a
// careful forger would: the values are then checked on their own.
func editItem(t *testing.T, file []byte, idx int, edit func(v map[string]any), reseal bool) []byte {
	t.Helper()
	lines := bytes.Split(bytes.TrimSuffix(file, []byte("\n")), []byte("\n"))
	var it map[string]any
	dec := json.NewDecoder(bytes.NewReader(lines[1+idx]))
	dec.UseNumber()
	if err := dec.Decode(&it); err != nil {
		t.Fatal(err)
	}
	edit(it["v"].(map[string]any))
	line, err := json.Marshal(it)
	if err != nil {
		t.Fatal(err)
	}
	lines[1+idx] = line
	if reseal {
		var h ShardHeader
		if err := json.Unmarshal(lines[0], &h); err != nil {
			t.Fatal(err)
		}
		sum := sha256.New()
		fmt.Fprintf(sum, "%s\n%d/%d\n", h.Fingerprint, h.K, h.N)
		for _, l := range lines[1 : len(lines)-1] {
			sum.Write(append(l, '\n'))
		}
		var end shardEnd
		if err := json.Unmarshal(lines[len(lines)-1], &end); err != nil {
			t.Fatal(err)
		}
		end.Checksum = hex.EncodeToString(sum.Sum(nil))
		lines[len(lines)-1], _ = json.Marshal(end)
	}
	return append(bytes.Join(lines, []byte("\n")), '\n')
}

// TestMergeVerifiesItems checks that merge refuses, naming the shard and
// the item, what the header's fingerprint does not cover: an item's value
// edited (the checksum), and, in a file whose checksum was recomputed,
// a value out of any run's range, not a number or missing; and that a
// shard of the old format is refused with what to do.
func TestMergeVerifiesItems(t *testing.T) {
	e := &Experiment{Points: 2, Seed: 9, Workers: 2, Run: noisy(false)}
	files := writeShards(t, e, 5, 2, `{"a":1}`)
	set := func(k string, v any) func(map[string]any) { return func(m map[string]any) { m[k] = v } }
	old := bytes.Replace(files[0], []byte(ShardFormat), []byte("auctionsim-shard/1"), 1)
	cases := map[string]struct {
		file []byte
		want string
	}{
		"edited value":   {editItem(t, files[0], 1, set("big", json.Number("12345")), false), "shard0: its items do not match the shard's checksum"},
		"huge":           {editItem(t, files[0], 1, set("big", json.Number("1.7e308")), true), "shard0: item 2: big is 1.7e308, beyond any number a run gives"},
		"huge negative":  {editItem(t, files[0], 0, set("big", json.Number("-1.7e308")), true), "shard0: item 0: big is -1.7e308"},
		"overflow":       {editItem(t, files[0], 0, set("big", json.Number("1e999")), true), "not a finite number"},
		"string":         {editItem(t, files[0], 0, set("big", "12"), true), `shard0: item 0: big is "12", not a number`},
		"bool":           {editItem(t, files[0], 2, set("small", true), true), "shard0: item 4: small is true, not a number"},
		"missing metric": {editItem(t, files[0], 1, func(m map[string]any) { delete(m, "common") }, true), "shard0: item 2 has no common"},
		"extra metric":   {editItem(t, files[0], 2, set("extra", 1), true), "shard0: item 4 has extra"},
		"old format":     {old, "run the shard again"},
	}
	for name, c := range cases {
		_, err := Merge(inputs([][]byte{c.file, files[1]}), nil, func(Item) error { return nil })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
	}
	// Resealing alone changes nothing: the untouched files still merge.
	same := editItem(t, files[0], 0, func(map[string]any) {}, true)
	if _, err := Merge(inputs([][]byte{same, files[1]}), nil, func(Item) error { return nil }); err != nil {
		t.Errorf("a resealed, unchanged shard: %v", err)
	}
}
