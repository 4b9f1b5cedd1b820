package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// jnode is a JSON value that keeps its object keys in order, so that an
// experiment's output keeps the single run's shape, field for field.
type jnode struct {
	kind byte // 'o' object, 'a' array, 'n' number or null (NaN), 'v' string or bool
	keys []string
	vals []*jnode // object values, or array items
	num  float64
	raw  json.RawMessage // 'v', or a replacement for 'n' (a statistic)
}

// parseTree reads one JSON value.
func parseTree(data []byte) (*jnode, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := readNode(dec)
	if err != nil {
		return nil, fmt.Errorf("read JSON: %w", err)
	}
	return n, nil
}

func readNode(dec *json.Decoder) (*jnode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &jnode{kind: 'o'}
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
			n := &jnode{kind: 'a'}
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
		return &jnode{kind: 'n', num: x}, nil
	case nil:
		// An undefined number (a ratio with a zero denominator) is a
		// metric with no value: NaN.
		return &jnode{kind: 'n', num: math.NaN()}, nil
	case bool:
		// A yes/no outcome (a budget left unspent) is a metric too:
		// 1 or 0, whose mean over replications is the share of yes.
		x := 0.0
		if t {
			x = 1
		}
		return &jnode{kind: 'n', num: x}, nil
	default:
		raw, err := json.Marshal(t)
		if err != nil {
			return nil, err
		}
		return &jnode{kind: 'v', raw: raw}, nil
	}
}

// get returns an object's field.
func (n *jnode) get(key string) *jnode {
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

// set replaces or appends an object's field.
func (n *jnode) set(key string, v *jnode) {
	for i, k := range n.keys {
		if k == key {
			n.vals[i] = v
			return
		}
	}
	n.keys = append(n.keys, key)
	n.vals = append(n.vals, v)
}

// insertAfter puts key right after the field after (or at the end).
func (n *jnode) insertAfter(after, key string, v *jnode) {
	for i, k := range n.keys {
		if k == after {
			n.keys = append(n.keys[:i+1], append([]string{key}, n.keys[i+1:]...)...)
			n.vals = append(n.vals[:i+1], append([]*jnode{v}, n.vals[i+1:]...)...)
			return
		}
	}
	n.set(key, v)
}

func rawNode(v any) *jnode {
	raw, err := json.Marshal(v)
	if err != nil {
		raw = []byte("null")
	}
	return &jnode{kind: 'v', raw: raw}
}

// name is an array item's "name" field, if it is a string.
func (n *jnode) name() (string, bool) {
	v := n.get("name")
	if v == nil || v.kind != 'v' {
		return "", false
	}
	var s string
	if json.Unmarshal(v.raw, &s) != nil || s == "" {
		return "", false
	}
	return s, true
}

// leaves calls fn with every number (and true/false, as 1/0) in the tree
// and its flat name: object keys joined by dots, array items by their
// "name" (bidders.swift.spend).
// Arrays of items without names (the change log) hold no metrics.
func (n *jnode) leaves(prefix string, fn func(name string, leaf *jnode)) {
	switch n.kind {
	case 'n':
		fn(prefix, n)
	case 'o':
		for i, k := range n.keys {
			n.vals[i].leaves(join(prefix, k), fn)
		}
	case 'a':
		for _, item := range n.vals {
			if name, ok := item.name(); ok {
				item.leaves(join(prefix, name), fn)
			}
		}
	}
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// MarshalJSON writes the tree, indented by the caller's encoder.
func (n *jnode) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := n.write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (n *jnode) write(w io.Writer) error {
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
