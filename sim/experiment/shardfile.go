package experiment

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
)

// ShardFormat names the shard file format, in every shard's header.
const ShardFormat = "auctionsim-shard/1"

// A shard file is JSON lines: a header, one line per item in index order
// ({"i": INDEX, "v": {METRIC: VALUE}}, null for a value that is not
// finite), and a trailer ({"end": true, "items": COUNT}). Values are
// written in Go's shortest round-trip form, so merging reproduces every
// bit of the unsharded result.

// ShardHeader describes the experiment a shard belongs to.
type ShardHeader struct {
	Format      string `json:"format"`
	Fingerprint string `json:"fingerprint"` // Fingerprint(Spec)
	K           int    `json:"k"`
	N           int    `json:"n"`
	Points      int    `json:"points"`
	Reps        int    `json:"replications"`
	// Spec is the experiment's description, enough for a merge to build
	// the output without the original files.
	Spec json.RawMessage `json:"spec"`
}

// Fingerprint identifies an experiment by its description: shards merge
// only when their fingerprints agree.
func Fingerprint(spec []byte) string {
	sum := sha256.Sum256(spec)
	return hex.EncodeToString(sum[:12])
}

type shardItem struct {
	I int                 `json:"i"`
	V map[string]*float64 `json:"v"`
}

type shardEnd struct {
	End     bool `json:"end"`
	Items   int  `json:"items"`
	Partial bool `json:"partial,omitempty"`
}

// ShardWriter writes one shard file.
type ShardWriter struct {
	w     *bufio.Writer
	enc   *json.Encoder
	items int
}

// NewShardWriter writes h (its Format and Fingerprint filled in) to w and
// returns the writer for the shard's items.
func NewShardWriter(w io.Writer, h ShardHeader) (*ShardWriter, error) {
	h.Format = ShardFormat
	h.Fingerprint = Fingerprint(h.Spec)
	bw := bufio.NewWriter(w)
	sw := &ShardWriter{w: bw, enc: json.NewEncoder(bw)}
	if err := sw.enc.Encode(h); err != nil {
		return nil, fmt.Errorf("write shard header: %w", err)
	}
	return sw, nil
}

// Write writes one item.
func (sw *ShardWriter) Write(it Item) error {
	v := make(map[string]*float64, len(it.Values))
	for k, x := range it.Values {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v[k] = &x
		} else {
			v[k] = nil
		}
	}
	sw.items++
	return sw.enc.Encode(shardItem{I: it.Index, V: v})
}

// Close writes the trailer (partial: the shard was interrupted) and
// flushes.
func (sw *ShardWriter) Close(partial bool) error {
	if err := sw.enc.Encode(shardEnd{End: true, Items: sw.items, Partial: partial}); err != nil {
		return err
	}
	return sw.w.Flush()
}

// ShardInput is a shard file to merge.
type ShardInput struct {
	Name string // for messages
	R    io.Reader
}

// Merge reads the shards of one experiment, calls begin with their
// header once they have been checked to fit together, then emit with every
// item of the grid in index order, so that aggregating them gives exactly
// the unsharded result. It refuses shards of different experiments, missing
// or duplicate shards, and shards that are incomplete or hold other items
// than their share. It streams: memory does not grow with the items.
func Merge(inputs []ShardInput, begin func(ShardHeader) error, emit func(Item) error) (ShardHeader, error) {
	if len(inputs) == 0 {
		return ShardHeader{}, errors.New("no shards to merge")
	}
	decs := make([]*json.Decoder, len(inputs))
	var first ShardHeader
	byK := map[int]int{}
	for i, in := range inputs {
		dec := json.NewDecoder(bufio.NewReader(in.R))
		var h ShardHeader
		if err := dec.Decode(&h); err != nil || h.Format != ShardFormat {
			return ShardHeader{}, fmt.Errorf("%s: not an auctionsim shard file (want a first line with format %q)", in.Name, ShardFormat)
		}
		if h.Fingerprint != Fingerprint(h.Spec) {
			return ShardHeader{}, fmt.Errorf("%s: the header's fingerprint does not match its experiment: the file was edited", in.Name)
		}
		if i == 0 {
			first = h
		} else if h.Fingerprint != first.Fingerprint || h.N != first.N || h.Points != first.Points || h.Reps != first.Reps {
			return ShardHeader{}, fmt.Errorf("%s and %s are shards of different experiments (fingerprints %s and %s, shards of %d and %d)",
				inputs[0].Name, in.Name, first.Fingerprint, h.Fingerprint, first.N, h.N)
		}
		if h.N < 1 || h.K < 0 || h.K >= h.N || h.Points < 1 || h.Reps < 0 {
			return ShardHeader{}, fmt.Errorf("%s: bad shard %d/%d of %d points × %d replications", in.Name, h.K, h.N, h.Points, h.Reps)
		}
		if j, dup := byK[h.K]; dup {
			return ShardHeader{}, fmt.Errorf("%s and %s are both shard %d/%d", inputs[j].Name, in.Name, h.K, h.N)
		}
		byK[h.K] = i
		decs[i] = dec
	}
	var missing []string
	for k := range first.N {
		if _, ok := byK[k]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", k, first.N))
		}
	}
	if len(missing) > 0 {
		return ShardHeader{}, fmt.Errorf("shards missing: %s (shards count from 0)", strings.Join(missing, ", "))
	}
	if begin != nil {
		if err := begin(first); err != nil {
			return ShardHeader{}, err
		}
	}
	total := first.Points * first.Reps
	for i := range total {
		in := byK[i%first.N]
		var it shardItem
		if err := decs[in].Decode(&it); err != nil || it.V == nil {
			return ShardHeader{}, fmt.Errorf("%s: item %d is missing: the shard is incomplete (was it interrupted? run it again)", inputs[in].Name, i)
		}
		if it.I != i {
			return ShardHeader{}, fmt.Errorf("%s: item %d where item %d belongs: the shard is damaged", inputs[in].Name, it.I, i)
		}
		vals := make(Values, len(it.V))
		for k, p := range it.V {
			if p == nil {
				vals[k] = math.NaN()
			} else {
				vals[k] = *p
			}
		}
		if err := emit(Item{Index: i, Point: i % first.Points, Rep: i / first.Points, Values: vals}); err != nil {
			return ShardHeader{}, err
		}
	}
	for _, k := range slices.Sorted(maps.Keys(byK)) {
		in := byK[k]
		var end shardEnd
		if err := decs[in].Decode(&end); err != nil || !end.End {
			return ShardHeader{}, fmt.Errorf("%s: more items than its share, or no end line: the shard is damaged or incomplete", inputs[in].Name)
		}
		if end.Partial || end.Items != ShardSize(total, Shard{K: k, N: first.N}) {
			return ShardHeader{}, fmt.Errorf("%s: the shard was interrupted (%d items); run it again", inputs[in].Name, end.Items)
		}
	}
	return first, nil
}
