package experiment

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ShardFormat names the shard file format, in every shard's header.
const ShardFormat = "auctionsim-shard/2"

// shardFormatV1 is the format before the items had a checksum: merge
// refuses it and says to run the shard again.
const shardFormatV1 = "auctionsim-shard/1"

// A shard file is JSON lines: a header, one line per item in index order
// ({"i": INDEX, "v": {METRIC: VALUE}}, null for a value that is not
// finite), and a trailer ({"end": true, "items": COUNT, "checksum":
// SHA256}). Values are written in Go's shortest round-trip form, so
// merging reproduces every bit of the unsharded result. The checksum
// covers the header's fingerprint, the shard's K/N and every item line,
// so that an item edited, dropped or damaged is refused, not averaged in.

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
	End      bool   `json:"end"`
	Items    int    `json:"items"`
	Partial  bool   `json:"partial,omitempty"`
	Checksum string `json:"checksum"`
}

// ShardWriter writes one shard file.
type ShardWriter struct {
	w     *bufio.Writer
	enc   *json.Encoder
	sum   hash.Hash
	items int
}

// itemsHash starts the checksum of a shard's items.
func itemsHash(h ShardHeader) hash.Hash {
	sum := sha256.New()
	fmt.Fprintf(sum, "%s\n%d/%d\n", h.Fingerprint, h.K, h.N)
	return sum
}

// NewShardWriter writes h (its Format and Fingerprint filled in) to w and
// returns the writer for the shard's items.
func NewShardWriter(w io.Writer, h ShardHeader) (*ShardWriter, error) {
	h.Format = ShardFormat
	h.Fingerprint = Fingerprint(h.Spec)
	bw := bufio.NewWriter(w)
	sw := &ShardWriter{w: bw, enc: json.NewEncoder(bw), sum: itemsHash(h)}
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
	line, err := json.Marshal(shardItem{I: it.Index, V: v})
	if err != nil {
		return err
	}
	line = append(line, '\n')
	sw.sum.Write(line)
	_, err = sw.w.Write(line)
	return err
}

// Close writes the trailer (partial: the shard was interrupted) and
// flushes.
func (sw *ShardWriter) Close(partial bool) error {
	end := shardEnd{End: true, Items: sw.items, Partial: partial, Checksum: hex.EncodeToString(sw.sum.Sum(nil))}
	if err := sw.enc.Encode(end); err != nil {
		return err
	}
	return sw.w.Flush()
}

// ShardInput is a shard file to merge.
type ShardInput struct {
	Name string // for messages
	R    io.Reader
}

// utf8BOM is the byte order mark an editor may put before a shard's
// first line.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

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
	sums := make([]hash.Hash, len(inputs))
	var first ShardHeader
	byK := map[int]int{}
	for i, in := range inputs {
		br := bufio.NewReader(in.R)
		if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
			// An editor's byte order mark (Notepad's) is not JSON: the
			// shard was refused as "not an auctionsim shard file".
			br.Discard(len(utf8BOM))
		}
		dec := json.NewDecoder(br)
		var h ShardHeader
		if err := dec.Decode(&h); err == nil && h.Format == shardFormatV1 {
			return ShardHeader{}, fmt.Errorf("%s: a shard written by an older auctionsim (format %s, without a checksum over its items): run the shard again with this auctionsim", in.Name, h.Format)
		} else if err != nil || h.Format != ShardFormat {
			return ShardHeader{}, fmt.Errorf("%s: not an auctionsim shard file (want a first line with format %q)", in.Name, ShardFormat)
		}
		if h.Fingerprint != Fingerprint(h.Spec) {
			return ShardHeader{}, fmt.Errorf("%s: the header's fingerprint does not match its experiment: the file was edited", in.Name)
		}
		if h.N < 1 || h.K < 0 || h.K >= h.N || h.Points < 1 || h.Reps < 0 {
			return ShardHeader{}, fmt.Errorf("%s: bad shard %d/%d of %d points × %d replications", in.Name, h.K, h.N, h.Points, h.Reps)
		}
		if err := sizeAgrees(h); err != nil {
			// Said here, before the items: a size edited in every
			// header alike passed the check between shards and was
			// refused as "incomplete" when the items ran out.
			return ShardHeader{}, fmt.Errorf("%s: %w", in.Name, err)
		}
		if i == 0 {
			first = h
		} else if h.Fingerprint != first.Fingerprint || h.N != first.N || h.Points != first.Points || h.Reps != first.Reps {
			a, b := specBuild(first.Spec), specBuild(h.Spec)
			switch {
			case a != b:
				return ShardHeader{}, fmt.Errorf("%s and %s were made by different builds of auctionsim (%s and %s): run every shard with the same binary",
					inputs[0].Name, in.Name, a, b)
			case h.Fingerprint != first.Fingerprint:
				return ShardHeader{}, fmt.Errorf("%s and %s are shards of different experiments (fingerprints %s and %s)",
					inputs[0].Name, in.Name, first.Fingerprint, h.Fingerprint)
			case h.N != first.N:
				return ShardHeader{}, fmt.Errorf("%s and %s split the experiment differently (--shard K/%d and K/%d): run every shard with the same N",
					inputs[0].Name, in.Name, first.N, h.N)
			}
			// The same experiment, of another size: a header was edited.
			return ShardHeader{}, fmt.Errorf("%s and %s are of one experiment but give it different sizes (%d points × %d replications, and %d × %d): the file was edited",
				inputs[0].Name, in.Name, first.Points, first.Reps, h.Points, h.Reps)
		}
		if j, dup := byK[h.K]; dup {
			return ShardHeader{}, fmt.Errorf("%s and %s are both shard %d/%d", inputs[j].Name, in.Name, h.K, h.N)
		}
		byK[h.K] = i
		decs[i] = dec
		sums[i] = itemsHash(h)
	}
	if gone := first.N - len(byK); gone > 0 {
		// The first few are named, found in as many steps as shards
		// were given: N is what a header says, and one of --shard
		// 0/1000000000000 would otherwise list (and look for) them all.
		var missing []string
		for k := 0; k < first.N && len(missing) < maxMissingNamed; k++ {
			if _, ok := byK[k]; !ok {
				missing = append(missing, fmt.Sprintf("%d/%d", k, first.N))
			}
		}
		list := strings.Join(missing, ", ")
		if gone > len(missing) {
			list += fmt.Sprintf(" and %d more", gone-len(missing))
		}
		msg := fmt.Sprintf("shards missing: %s (shards count from 0)", list)
		// Said first would send its user to rerun those alone: say
		// too which of the shards given were cut short.
		total := first.Points * first.Reps
		for _, k := range slices.Sorted(maps.Keys(byK)) {
			in := byK[k]
			if items, how := cutShort(decs[in]); how != "" {
				msg += fmt.Sprintf("; %s %s (%d of its %d items): run it again too", inputs[in].Name, how, items, ShardSize(total, Shard{K: k, N: first.N}))
			}
		}
		return ShardHeader{}, errors.New(msg)
	}
	if begin != nil {
		if err := begin(first); err != nil {
			return ShardHeader{}, err
		}
	}
	total := first.Points * first.Reps
	// refs: each point's first item, whose metrics every other item of
	// the point must have.
	refs := make([]Values, first.Points)
	for i := range total {
		in := byK[i%first.N]
		vals, err := readItem(decs[in], sums[in], i, refs[i%first.Points])
		if err != nil {
			return ShardHeader{}, fmt.Errorf("%s: %w", inputs[in].Name, err)
		}
		if refs[i%first.Points] == nil {
			refs[i%first.Points] = vals
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
		if end.Checksum != hex.EncodeToString(sums[in].Sum(nil)) {
			return ShardHeader{}, fmt.Errorf("%s: its items do not match the shard's checksum: the file was edited or damaged; run the shard again", inputs[in].Name)
		}
	}
	return first, nil
}

// sizeAgrees checks the header's points and replications against its
// spec's, which its fingerprint guards (a Spec's replications and points;
// a spec without them, as the tests' own, is not checked): the header's
// are what merge reads the items by, and the spec's are what was run.
func sizeAgrees(h ShardHeader) error {
	var sp struct {
		Reps   *int              `json:"replications"`
		Points []json.RawMessage `json:"points"`
	}
	if err := json.Unmarshal(h.Spec, &sp); err != nil {
		return fmt.Errorf("the header's spec does not read (%v): the file was edited or damaged", err)
	}
	if sp.Reps != nil && *sp.Reps != h.Reps {
		return fmt.Errorf("the header says %d replications, but its experiment (the spec, which the fingerprint guards) has %d: the header was edited; restore \"replications\":%d or run the shard again", h.Reps, *sp.Reps, *sp.Reps)
	}
	if sp.Points != nil && len(sp.Points) != h.Points {
		return fmt.Errorf("the header says %d points, but its experiment (the spec, which the fingerprint guards) has %d: the header was edited; restore \"points\":%d or run the shard again", h.Points, len(sp.Points), len(sp.Points))
	}
	return nil
}

// maxMissingNamed is how many missing shards merge names.
const maxMissingNamed = 10

// cutShort reads a shard's items from dec to its end line and says how
// the shard was cut short, if it was: "was interrupted" (its end says
// partial) or "is incomplete" (it has no end); items is what it holds.
func cutShort(dec *json.Decoder) (items int, how string) {
	for {
		var line shardEnd
		switch err := dec.Decode(&line); {
		case err != nil:
			return items, "is incomplete"
		case line.End && line.Partial:
			return line.Items, "was interrupted"
		case line.End:
			return line.Items, ""
		}
		items++
	}
}

// maxItemValue bounds a shard's values. The engine's ranges keep every
// metric far below it (money sums under 10¹⁸ nano-units, counts under
// 10¹³), and below it the aggregate's sums of squares stay finite for any
// number of items, so that no damaged value can overflow a mean or an sd.
const maxItemValue = 1e100

// mayVary: a theory.* metric, or a saturation mark (SaturatedPrefix), which
// one replication of a point may have and another not.
func mayVary(k string) bool {
	return strings.HasPrefix(k, "theory.") || strings.HasPrefix(k, SaturatedPrefix)
}

// readItem reads item i from dec into the checksum sum and checks it: its
// index, every value a number (or null, for one that was not finite) and
// finite, and (ref: the point's first item, nil for that item) the same
// metrics as every other item of its point. Only theory.* metrics may
// come and go: a script may switch the closed form on or off at a time a
// replication may or may not reach.
func readItem(dec *json.Decoder, sum hash.Hash, i int, ref Values) (Values, error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("item %d is missing: the shard is incomplete (was it interrupted? run it again)", i)
	}
	sum.Write(raw)
	sum.Write([]byte{'\n'})
	var it struct {
		I   *int                       `json:"i"`
		V   map[string]json.RawMessage `json:"v"`
		End bool                       `json:"end"`
	}
	if err := json.Unmarshal(raw, &it); err != nil {
		return nil, fmt.Errorf("item %d does not read (%v): the shard is damaged", i, err)
	}
	switch {
	case it.End:
		return nil, fmt.Errorf("item %d is missing: the shard is incomplete (was it interrupted? run it again)", i)
	case it.I == nil || it.V == nil:
		return nil, fmt.Errorf("item %d has no index or no values: the shard is damaged", i)
	case *it.I != i:
		return nil, fmt.Errorf("item %d where item %d belongs: the shard is damaged", *it.I, i)
	}
	vals := make(Values, len(it.V))
	for _, k := range slices.Sorted(maps.Keys(it.V)) {
		text := strings.TrimSpace(string(it.V[k]))
		if text == "null" {
			vals[k] = math.NaN()
			continue
		}
		x, err := strconv.ParseFloat(text, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) || !json.Valid(it.V[k]) || strings.HasPrefix(text, "\"") {
			return nil, fmt.Errorf("item %d: %s is %s, not a number: the shard is damaged", i, k, text)
		}
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, fmt.Errorf("item %d: %s is %s, not a finite number: the shard is damaged", i, k, text)
		}
		if math.Abs(x) > maxItemValue {
			return nil, fmt.Errorf("item %d: %s is %s, beyond any number a run gives: the shard is damaged", i, k, text)
		}
		vals[k] = x
	}
	if ref != nil {
		for k := range ref {
			if _, ok := vals[k]; !ok && !mayVary(k) {
				return nil, fmt.Errorf("item %d has no %s: the shard is damaged", i, k)
			}
		}
		for k := range vals {
			if _, ok := ref[k]; !ok && !mayVary(k) {
				return nil, fmt.Errorf("item %d has %s, which the point's other items have not: the shard is damaged", i, k)
			}
		}
	}
	return vals, nil
}

// specBuild is the build a shard's experiment records (Spec.Build), or
// "unknown".
func specBuild(raw json.RawMessage) string {
	var sp struct {
		Build string `json:"build"`
	}
	if json.Unmarshal(raw, &sp) != nil || sp.Build == "" {
		return "unknown"
	}
	return sp.Build
}
