package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Tree is a JSON value that keeps its object keys in order, so that an
// experiment's output keeps the single run's shape, field for field.
type Tree struct {
	kind byte // 'o' object, 'a' array, 'n' number or null (NaN), 'v' string or bool
	keys []string
	vals []*Tree // object values, or array items
	num  float64
	raw  json.RawMessage // 'v', or a replacement for 'n' (a statistic)
}

// ParseTree reads one JSON value.
func ParseTree(data []byte) (*Tree, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := readNode(dec)
	if err != nil {
		return nil, fmt.Errorf("read JSON: %w", err)
	}
	return n, nil
}

func readNode(dec *json.Decoder) (*Tree, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &Tree{kind: 'o'}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, errors.New("object key is not a string")
				}
				v, err := readNode(dec)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, key)
				n.vals = append(n.vals, v)
			}
			_, err := dec.Token() // }
			return n, err
		case '[':
			n := &Tree{kind: 'a'}
			for dec.More() {
				v, err := readNode(dec)
				if err != nil {
					return nil, err
				}
				n.vals = append(n.vals, v)
			}
			_, err := dec.Token() // ]
			return n, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		x, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return nil, err
		}
		return &Tree{kind: 'n', num: x}, nil
	case nil:
		// An undefined number (a ratio with a zero denominator) is a
		// metric with no value: NaN.
		return &Tree{kind: 'n', num: math.NaN()}, nil
	case bool:
		// A yes/no outcome (a budget left unspent) is a metric too:
		// 1 or 0, whose mean over replications is the share of yes.
		x := 0.0
		if t {
			x = 1
		}
		return &Tree{kind: 'n', num: x}, nil
	default:
		raw, err := json.Marshal(t)
		if err != nil {
			return nil, err
		}
		return &Tree{kind: 'v', raw: raw}, nil
	}
}

// Get returns an object's field; nil when there is none.
func (n *Tree) Get(key string) *Tree {
	if n == nil || n.kind != 'o' {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// Set replaces or appends an object's field.
func (n *Tree) Set(key string, v *Tree) {
	for i, k := range n.keys {
		if k == key {
			n.vals[i] = v
			return
		}
	}
	n.keys = append(n.keys, key)
	n.vals = append(n.vals, v)
}

// InsertAfter puts key right after the field after (or at the end).
func (n *Tree) InsertAfter(after, key string, v *Tree) {
	for i, k := range n.keys {
		if k == after {
			n.keys = append(n.keys[:i+1], append([]string{key}, n.keys[i+1:]...)...)
			n.vals = append(n.vals[:i+1], append([]*Tree{v}, n.vals[i+1:]...)...)
			return
		}
	}
	n.Set(key, v)
}

// Value is v, marshalled, as a leaf of a tree.
func Value(v any) *Tree {
	raw, err := json.Marshal(v)
	if err != nil {
		raw = []byte("null")
	}
	return &Tree{kind: 'v', raw: raw}
}

// name is an array item's "name" field, if it is a string.
func (n *Tree) name() (string, bool) {
	v := n.Get("name")
	if v == nil || v.kind != 'v' {
		return "", false
	}
	var s string
	if json.Unmarshal(v.raw, &s) != nil || s == "" {
		return "", false
	}
	return s, true
}

// Leaves calls fn with every number (and true/false, as 1/0; null as
// NaN) in the tree and its flat name: object keys joined by dots, array
// items by their "name" (bidders.swift.spend), the names of sim's metric
// catalogue. Arrays of items without names (the change log) hold no
// metrics.
func (n *Tree) Leaves(prefix string, fn func(name string, leaf *Tree)) {
	switch n.kind {
	case 'n':
		fn(prefix, n)
	case 'o':
		for i, k := range n.keys {
			n.vals[i].Leaves(join(prefix, k), fn)
		}
	case 'a':
		for _, item := range n.vals {
			if name, ok := item.name(); ok {
				item.Leaves(join(prefix, name), fn)
			}
		}
	}
}

// Number is a leaf's number: NaN for null, 1 or 0 for true or false.
func (n *Tree) Number() float64 { return n.num }

// Replace makes a leaf v, marshalled (a statistic in place of a number).
func (n *Tree) Replace(v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		raw = []byte("null")
	}
	n.raw = raw
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// MarshalJSON writes the tree, indented by the caller's encoder.
func (n *Tree) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := n.write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (n *Tree) write(w io.Writer) error {
	switch n.kind {
	case 'o':
		io.WriteString(w, "{")
		for i, k := range n.keys {
			if i > 0 {
				io.WriteString(w, ",")
			}
			kb, _ := json.Marshal(k)
			w.Write(kb)
			io.WriteString(w, ":")
			if err := n.vals[i].write(w); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, "}")
		return err
	case 'a':
		io.WriteString(w, "[")
		for i, v := range n.vals {
			if i > 0 {
				io.WriteString(w, ",")
			}
			if err := v.write(w); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, "]")
		return err
	case 'n':
		if n.raw != nil {
			_, err := w.Write(n.raw)
			return err
		}
		if math.IsNaN(n.num) || math.IsInf(n.num, 0) {
			_, err := io.WriteString(w, "null")
			return err
		}
		_, err := io.WriteString(w, strconv.FormatFloat(n.num, 'g', -1, 64))
		return err
	}
	_, err := w.Write(n.raw)
	return err
}
