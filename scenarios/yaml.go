package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/auctionsim/auctionsim/sim"
)

// This file turns goccy/go-yaml's AST into typed values while keeping the
// position of every node, so that each error names its line and column.
// Walking the AST by hand, rather than decoding into structs, is what lets
// the loader report every problem in a file at once and phrase each one in
// the scenario's own terms.

// Limits that keep hostile or mistaken input cheap to reject.
const (
	// maxFileSize bounds the input. Scenarios are a few kilobytes (a
	// hundred bidders fit in 25 KiB), and the YAML parser's time grows
	// faster than linearly on some inputs: a megabyte of mapping keys
	// takes it half a minute, 64 KiB a tenth of a second.
	maxFileSize = 64 << 10
	// maxNodes bounds how many nodes a file may expand to through aliases
	// (a "billion laughs" file expands exponentially).
	maxNodes = 200_000
	// maxResolve bounds chains of anchors, tags and aliases.
	maxResolve = 64
	// maxNesting bounds the nesting of flow collections ([[[[...]]]]),
	// which the YAML parser handles recursively.
	maxNesting = 200
)

// position is a place in the file; zero line means the whole file.
type position struct{ line, col int }

func posOf(tk *token.Token) position {
	if tk == nil || tk.Position == nil {
		return position{}
	}
	return position{tk.Position.Line, tk.Position.Column}
}

// nodePos is where a node starts, for pointing at it in messages.
func nodePos(n ast.Node) position {
	switch t := n.(type) {
	case nil:
		return position{}
	case *ast.MappingNode:
		if !t.IsFlowStyle && len(t.Values) > 0 && t.Values[0] != nil && t.Values[0].Key != nil {
			return posOf(t.Values[0].Key.GetToken())
		}
		return posOf(t.Start)
	case *ast.MappingValueNode:
		if t.Key != nil {
			return posOf(t.Key.GetToken())
		}
		return posOf(t.Start)
	case *ast.SequenceNode:
		return posOf(t.Start)
	case *ast.AnchorNode:
		return posOf(t.Start)
	case *ast.TagNode:
		return posOf(t.Start)
	case *ast.AliasNode:
		return posOf(t.Start)
	}
	return posOf(n.GetToken())
}

// value is a node reached by a field path, with anchors, aliases and tags
// resolved.
type value struct {
	n    ast.Node
	path string   // "bidders[0].latency"
	at   position // where messages about it point
	str  bool     // tagged !!str: a string whatever it looks like
}

// field is one key of a mapping.
type field struct {
	key   string
	keyAt position
	v     value
}

// decoder walks one file's AST and collects every error it finds.
type decoder struct {
	file    string
	errs    Errors
	anchors map[string][]*ast.AnchorNode
	nodes   int // nodes visited, against maxNodes
	// capped: the file hit maxNodes. What follows is cut short (fields
	// not read look missing), so no other error is reported.
	capped bool
	// reported are the field paths already reported (a key that carried
	// a tag, a value that did not resolve, as an alias to no anchor): not
	// also missing.
	reported map[string]bool
	where    map[string]position // field path → position, to place sim's errors
	given    map[string]bool     // the field paths that have a value other than null
	// durations are the durations read, by field path, as written and as
	// sim's messages write them (asWritten).
	durations map[string]writtenDuration

	doc      ast.Node     // the document's body, once parsed
	sets     []*scriptSet // a script step's sets, applied as fields are read
	noScript bool         // decoding a script step: the script itself is not read
	// older: the scenario an export embeds, its script read as the
	// auctionsim that ran it read it (sim.DiffOlder, with capZero).
	older, capZero bool
	// oldNames: the names auctionsim accepted before it refused those
	// that cannot be typed back (sim.Config.OldNames); a replay's.
	oldNames bool
	// stopApart: the stop is given apart (--auctions, --duration) and
	// replaces the file's, which then only plans the horizon a shortened
	// run's budgets are scaled from; it is not checked against the
	// traffic, as the stop that runs is (WithStop).
	stopApart bool
	// ownText: the text parsed is a file as the user gave it (the file
	// before ParseWith's sets, which a command's loading and validate
	// read): a script step after its stop's duration is refused
	// (deadSteps). A text whose stop a command shortened (an
	// experiment's points, Parse) is not: its steps after the stop are
	// the shortening's.
	ownText bool
	// reach: with ownText, the duration the run reaches, its stop being
	// the sets' (--set stop.duration=2h) or given apart (run --duration
	// 2h): the steps before it run (refuseDeadSteps). Zero: the file's
	// own stop.
	reach sim.Time
	// endpoints are the bidders' endpoint URLs, by name (endpoint.go)
	endpoints map[string]string
	// endpointAt is where each endpoint is given, by bidder name
	endpointAt map[string]endpointOrigin
	// ranges are the prices and amounts of money outside sim's ranges,
	// as sim's field errors: the typed configuration cannot hold them,
	// so they are checked as read and reported with the engine's.
	ranges []error
}

func newDecoder(file string) *decoder {
	return &decoder{file: file, anchors: map[string][]*ast.AnchorNode{}, where: map[string]position{}, given: map[string]bool{},
		durations: map[string]writtenDuration{}}
}

func (d *decoder) errorf(at position, path, format string, args ...any) {
	if d.capped {
		return
	}
	d.errs = append(d.errs, &Error{
		File: d.file, Line: at.line, Column: at.col, Field: path, Msg: fmt.Sprintf(format, args...),
	})
}

// want reports a value of the wrong type: "want a number, got "x"".
func (d *decoder) want(v value, what, got string) {
	d.errorf(v.at, v.path, "want %s, got %s", what, got)
}

// Message parts used in more than one place.
const (
	mustBeFinite = ": it must be finite"
	mergeWant    = "a merge key (<<) takes a mapping or a list of mappings, got %s"
)

// parseYAML runs the YAML parser, turning a panic in it into an error:
// the loader promises not to panic on any input, whatever its
// dependencies do. With parser.ParseComments it keeps the comments, for
// rewriting a file's text (--set, --no-script).
func parseYAML(data []byte, mode parser.Mode) (f *ast.File, err error) {
	// A byte order mark may open a YAML stream (YAML 1.2, 5.2), and
	// editors on Windows write one; the parser would read it as part of
	// the first key ("\ufeffname: unknown field").
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	defer func() {
		if r := recover(); r != nil {
			reading := ""
			if mode&parser.ParseComments != 0 {
				reading = ", reading comments"
			}
			f, err = nil, fmt.Errorf("the YAML parser failed on this input%s: %v", reading, r)
		}
	}()
	return parser.ParseBytes(data, mode)
}

// document parses data and returns its one document's body, reporting
// syntax errors, an empty file or several documents.
func (d *decoder) document(data []byte) (value, bool) {
	if d.doc != nil { // a script step's decoder reads the file's own tree
		return d.resolve(d.doc, "", nodePos(d.doc))
	}
	if len(data) > maxFileSize {
		d.errorf(position{}, "", "the file is larger than %d KiB, the most a scenario may be", maxFileSize>>10)
		return value{}, false
	}
	if at, ok := nestingTooDeep(data); ok {
		d.errorf(at, "", "brackets nest more than %d deep", maxNesting)
		return value{}, false
	}
	f, err := parseYAML(data, 0)
	if err != nil {
		d.syntax(err)
		return value{}, false
	}
	var bodies []*ast.DocumentNode
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			bodies = append(bodies, doc)
		}
	}
	if len(bodies) == 0 {
		d.errorf(position{}, "", "the file is empty; a scenario is a YAML mapping with name, stop, traffic, exchange and bidders")
		return value{}, false
	}
	if len(bodies) > 1 {
		at := posOf(bodies[1].Start)
		if at.line == 0 {
			at = nodePos(bodies[1].Body)
		}
		d.errorf(at, "", "a scenario file holds one YAML document; another starts here")
		return value{}, false
	}
	d.collectAnchors(bodies[0].Body)
	d.doc = bodies[0].Body
	return d.resolve(bodies[0].Body, "", nodePos(bodies[0].Body))
}

// syntax reports a YAML syntax error with the parser's position.
func (d *decoder) syntax(err error) {
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg := ye.GetMessage()
		if msg == "" {
			msg = "invalid YAML"
		}
		d.errorf(posOf(ye.GetToken()), "", "invalid YAML: %s", msg)
		return
	}
	d.errorf(position{}, "", "invalid YAML: %v", err)
}

// nestingTooDeep reports the first bracket that opens deeper than
// maxNesting. The YAML parser's time grows with the square of the nesting
// of flow collections (10000 levels take it a second), so deep nesting is
// refused before parsing. Brackets in quotes and comments count too: no
// real scenario comes near the limit either way, and counting them keeps
// the check simple and impossible to fool.
func nestingTooDeep(data []byte) (position, bool) {
	depth, line, col := 0, 1, 0
	for _, c := range data {
		col++
		switch c {
		case '\n':
			line, col = line+1, 0
		case '[', '{':
			depth++
			if depth > maxNesting {
				return position{line, col}, true
			}
		case ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return position{}, false
}

// collectAnchors records every anchor by name, iteratively so that no
// input can exhaust the stack.
func (d *decoder) collectAnchors(root ast.Node) {
	stack := []ast.Node{root}
	for len(stack) > 0 && d.nodes < maxNodes {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		d.nodes++
		switch t := n.(type) {
		case *ast.AnchorNode:
			if t.Name != nil {
				name := t.Name.GetToken().Value
				d.anchors[name] = append(d.anchors[name], t)
			}
			stack = append(stack, t.Value)
		case *ast.TagNode:
			stack = append(stack, t.Value)
		case *ast.MappingNode:
			for i := len(t.Values) - 1; i >= 0; i-- {
				stack = append(stack, t.Values[i])
			}
		case *ast.MappingValueNode:
			stack = append(stack, t.Value, t.Key)
		case *ast.MappingKeyNode:
			stack = append(stack, t.Value)
		case *ast.SequenceNode:
			for i := len(t.Values) - 1; i >= 0; i-- {
				stack = append(stack, t.Values[i])
			}
		}
	}
	d.nodes = 0
}

// anchor finds the anchor an alias refers to: the last one of that name
// defined before the alias.
func (d *decoder) anchor(a *ast.AliasNode) *ast.AnchorNode {
	if a.Value == nil {
		return nil
	}
	at := posOf(a.Start)
	var found *ast.AnchorNode
	for _, an := range d.anchors[a.Value.GetToken().Value] {
		p := posOf(an.Start)
		if p.line < at.line || p.line == at.line && p.col < at.col {
			found = an
		}
	}
	return found
}

// resolve strips anchors and tags and follows aliases. at is where
// messages about the value point when it is not a scalar (the key that
// holds it); scalars point at themselves.
func (d *decoder) resolve(n ast.Node, path string, at position) (value, bool) {
	d.nodes++
	if d.nodes > maxNodes {
		if d.nodes == maxNodes+1 {
			d.errorf(at, path, "the file expands to more than %d nodes through aliases", maxNodes)
			d.capped = true
		}
		return value{}, false
	}
	v := value{path: path}
	for range maxResolve {
		switch t := n.(type) {
		case nil:
			v.n = nil
			v.at = at
			return v, true
		case *ast.AnchorNode:
			n = t.Value
		case *ast.TagNode:
			if t.Start != nil && t.Start.Value == "!!str" {
				v.str = true
			}
			n = t.Value
		case *ast.AliasNode:
			an := d.anchor(t)
			if an == nil {
				name := ""
				if t.Value != nil {
					name = t.Value.GetToken().Value
				}
				d.errorf(posOf(t.Start), path, "alias *%s refers to no anchor &%s defined before it", name, name)
				return value{}, false
			}
			n = an.Value
		default:
			v.n = n
			switch n.(type) {
			case *ast.MappingNode, *ast.SequenceNode, *ast.NullNode:
				v.at = at
				if v.at.line == 0 {
					v.at = nodePos(n)
				}
			default:
				v.at = nodePos(n)
			}
			d.where[path] = v.at
			if _, null := n.(*ast.NullNode); !null {
				d.given[path] = true
			}
			return v, true
		}
	}
	d.errorf(at, path, "anchors, aliases and tags nest too deeply")
	return value{}, false
}

func isNull(v value) bool {
	_, null := v.n.(*ast.NullNode)
	return v.n == nil || null
}

// kind describes what a node is, for "want X, got Y" messages.
func kind(v value) string {
	switch t := v.n.(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.BoolNode:
		return fmt.Sprintf("%v (true/false)", t.Value)
	case *ast.InfinityNode:
		return "the infinity " + clip(t.GetToken().Value)
	case *ast.IntegerNode, *ast.FloatNode, *ast.NanNode:
		return "the number " + clip(t.GetToken().Value)
	case *ast.StringNode:
		if infinity(v) {
			return "the infinity " + clip(t.Value)
		}
		return quoteClipped(t.Value)
	case *ast.LiteralNode:
		return "a block of text"
	}
	return "a " + v.n.Type().YAMLName()
}

// clipAt is how many characters of a value a message quotes: a value
// the length of the file (64 KiB on one line) would bury the message.
const clipAt = 60

// clip is text cut to its first clipAt characters, with how long it was.
func clip(text string) string {
	head, more := clipped(text)
	return head + more
}

// quoteClipped is text quoted, cut as clip cuts it (the cut outside the
// quotes).
func quoteClipped(text string) string {
	head, more := clipped(text)
	return strconv.Quote(head) + more
}

// clipped splits text at clipAt characters: the head kept, and what stands
// for the rest ("… (N characters)", "" when nothing was cut).
func clipped(text string) (head, more string) {
	if runes := []rune(text); len(runes) > clipAt {
		return string(runes[:clipAt]), fmt.Sprintf("… (%d characters)", len(runes))
	}
	return text, ""
}

func child(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// keyText is a mapping key as text; complex keys are refused.
func (d *decoder) keyText(k ast.MapKeyNode) (string, bool) {
	switch t := k.(type) {
	case *ast.StringNode:
		return t.Value, true
	case *ast.MappingKeyNode:
		d.errorf(posOf(t.Start), "", "complex mapping keys (?) are not supported")
		return "", false
	case *ast.TagNode: // !!str: the key's own text
		if inner, ok := t.Value.(ast.MapKeyNode); ok {
			return d.keyText(inner)
		}
		return "", false
	case nil:
		return "", false
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value, true
	}
	return "", false
}

// fields lists the keys of a mapping, with YAML merge keys (<<) applied:
// explicit keys win over merged ones, and earlier merged mappings over
// later ones.
func (d *decoder) fields(v value, depth int) ([]field, bool) {
	m, ok := v.n.(*ast.MappingNode)
	if !ok {
		return nil, false
	}
	var out, merged []field
	seen := map[string]bool{}
	for _, mv := range m.Values {
		if mv == nil || mv.Key == nil {
			continue
		}
		if mv.Key.IsMergeKey() {
			merged = append(merged, d.merge(mv, v.path, depth)...)
			continue
		}
		if tn, tagged := mv.Key.(*ast.TagNode); tagged && tn.Start != nil && tn.Start.Value != "!!str" {
			// "!!binary name:" is the key name tagged, not a field
			// called !!binary.
			inner := ""
			if tn.Value != nil && tn.Value.GetToken() != nil {
				inner = tn.Value.GetToken().Value
			}
			d.errorf(posOf(tn.Start), child(v.path, inner), "the key is tagged %s: a field's name takes no tag (write %s: without it)", tn.Start.Value, inner)
			d.reportedAt(child(v.path, inner))
			continue
		}
		key, ok := d.keyText(mv.Key)
		if !ok {
			continue
		}
		keyAt := posOf(mv.Key.GetToken())
		cv, ok := d.resolve(mv.Value, child(v.path, key), keyAt)
		if !ok {
			seen[key] = true // a merged key does not stand in for it
			d.reportedAt(child(v.path, key))
			continue
		}
		seen[key] = true
		out = append(out, field{key: key, keyAt: keyAt, v: cv})
	}
	for _, f := range merged {
		if !seen[f.key] {
			seen[f.key] = true
			out = append(out, f)
		}
	}
	if d.sets != nil {
		out = d.overlay(v.path, out)
	}
	return out, true
}

// reportedAt notes that the field at path was reported, so that it is
// not also called missing.
func (d *decoder) reportedAt(path string) {
	if d.reported == nil {
		d.reported = map[string]bool{}
	}
	d.reported[path] = true
}

// merge returns the fields a merge key brings in.
func (d *decoder) merge(mv *ast.MappingValueNode, path string, depth int) []field {
	at := posOf(mv.Key.GetToken())
	if depth > maxResolve {
		d.errorf(at, path, "merge keys nest too deeply")
		return nil
	}
	src, ok := d.resolve(mv.Value, path, at)
	if !ok {
		return nil
	}
	var sources []value
	switch t := src.n.(type) {
	case *ast.MappingNode:
		sources = []value{src}
	case *ast.SequenceNode:
		for _, item := range t.Values {
			iv, ok := d.resolve(item, path, at)
			if ok {
				sources = append(sources, iv)
			}
		}
	default:
		d.errorf(at, path, mergeWant, kind(src))
		return nil
	}
	var out []field
	seen := map[string]bool{}
	for _, s := range sources {
		fs, ok := d.fields(s, depth+1)
		if !ok {
			d.errorf(at, path, mergeWant, kind(s))
			continue
		}
		for _, f := range fs {
			if !seen[f.key] {
				seen[f.key] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// object is a mapping whose keys have been checked against a schema.
type object struct {
	d      *decoder
	v      value
	fields map[string]field
}

// object checks that v is a mapping with only the known keys; what
// describes v for the message when it is not a mapping.
func (d *decoder) object(v value, what string, known ...string) (*object, bool) {
	fs, ok := d.fields(v, 0)
	if !ok {
		d.want(v, what, kind(v))
		return nil, false
	}
	return d.objectOf(v, fs, known), true
}

// objectOf is object for a mapping whose fields are already listed.
func (d *decoder) objectOf(v value, fs []field, known []string) *object {
	o := &object{d: d, v: v, fields: make(map[string]field, len(fs))}
	for i, f := range fs {
		if !slices.Contains(known, f.key) {
			if i > 0 && thousands(f.key) {
				// {total: 1,000}: the flow mapping's comma split the number.
				prev, num := fs[i-1].key, "…"
				if sv, ok := fs[i-1].v.n.(*ast.IntegerNode); ok {
					num = sv.GetToken().Value
				}
				d.errorf(f.keyAt, child(v.path, prev), "%s,%s: a comma in a number splits it in two in YAML; write %s%s", num, f.key, num, f.key)
				continue
			}
			d.errorf(f.keyAt, child(v.path, f.key), "unknown field%s", suggest(f.key, known))
			continue
		}
		o.fields[f.key] = f
	}
	return o
}

// thousands reports whether key is three digits: what a comma in a
// number (1,000) leaves as a key in a flow mapping.
func thousands(key string) bool {
	if len(key) != 3 {
		return false
	}
	for _, r := range key {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// suggest names the closest known key, or lists them all.
func suggest(key string, known []string) string { return didYouMean(key, known, "known fields") }

// didYouMean names the closest of names to s, or lists them all as what.
func didYouMean(s string, names []string, what string) string {
	if best := sim.Closest(s, names, 2); best != "" {
		return fmt.Sprintf("; did you mean %s?", best)
	}
	return " (" + what + ": " + strings.Join(names, ", ") + ")"
}

// get returns a field that is present and not null.
func (o *object) get(key string) (value, bool) {
	f, ok := o.fields[key]
	if !ok || isNull(f.v) {
		return value{}, false
	}
	return f.v, true
}

// has reports whether a field is present and not null.
func (o *object) has(key string) bool {
	_, ok := o.get(key)
	return ok
}

// require returns a field that must be present, reporting it otherwise;
// what describes the expected value.
func (o *object) require(key, what string) (value, bool) {
	if v, ok := o.get(key); ok {
		return v, true
	}
	at := o.v.at
	if f, ok := o.fields[key]; ok {
		at = f.keyAt
	}
	if o.d.reported[child(o.v.path, key)] {
		return value{}, false
	}
	o.d.errorf(at, child(o.v.path, key), "is required (%s)", what)
	return value{}, false
}

// optional reads a field with read, the zero T when it is absent or bad
// (read has reported why).
func optional[T any](o *object, key string, read func(value) (T, bool)) T {
	v, ok := o.get(key)
	if !ok {
		var zero T
		return zero
	}
	x, _ := read(v)
	return x
}

// required is optional for a field that must be present; need names it
// when it is missing.
func required[T any](o *object, key, need string, read func(value) (T, bool)) T {
	v, ok := o.require(key, need)
	if !ok {
		var zero T
		return zero
	}
	x, _ := read(v)
	return x
}

// numberOf reads a number; what says what is expected.
func (d *decoder) numberOf(what string) func(value) (float64, bool) {
	return func(v value) (float64, bool) { return d.number(v, what) }
}

// integerOf reads a whole number; what says what is expected.
func (d *decoder) integerOf(what string) func(value) (int, bool) {
	return func(v value) (int, bool) { return d.integer(v, what) }
}

// number reads an optional number field, 0 when absent.
func (o *object) number(key, what string) float64 {
	return optional(o, key, o.d.numberOf(what))
}

// requiredNumber reads a number field that must be present.
func (o *object) requiredNumber(key, need, what string) float64 {
	return required(o, key, need, o.d.numberOf(what))
}

// price reads an optional price field in CPM, 0 when absent.
func (o *object) price(key, what string) sim.Price {
	return optional(o, key, func(v value) (sim.Price, bool) { return o.d.price(v, what) })
}

// requiredPrice reads a price field in CPM that must be present.
func (o *object) requiredPrice(key, need, what string) sim.Price {
	return required(o, key, need, func(v value) (sim.Price, bool) { return o.d.price(v, what) })
}

// money reads an optional amount of currency, 0 when absent.
func (o *object) money(key, what string) sim.Money {
	return optional(o, key, func(v value) (sim.Money, bool) { return o.d.money(v, what) })
}

// requiredMoney reads an amount of currency that must be present.
func (o *object) requiredMoney(key, need, what string) sim.Money {
	return required(o, key, need, func(v value) (sim.Money, bool) { return o.d.money(v, what) })
}

// requiredAmount reads an amount of currency that must be present, in the
// range check allows (sim.CheckTarget: a target CPA must be > 0).
func (o *object) requiredAmount(key, need, what string, check func(float64) error) sim.Money {
	return required(o, key, need, func(v value) (sim.Money, bool) {
		x, ok := o.d.inRange(v, what, check)
		// Checked > 0 as written, it may round to no money: said so,
		// rather than sim's "0 must be > 0" of a 1e-10 written.
		if !ok || o.d.belowMoney(v, x) {
			return 0, false
		}
		return sim.MoneyOf(x), ok
	})
}

// integer reads an optional whole-number field, 0 when absent.
func (o *object) integer(key, what string) int {
	return optional(o, key, o.d.integerOf(what))
}

// requiredInteger reads a whole-number field that must be present.
func (o *object) requiredInteger(key, need, what string) int {
	return required(o, key, need, o.d.integerOf(what))
}

// duration reads an optional duration field, 0 when absent.
func (o *object) duration(key string) sim.Time {
	return optional(o, key, o.d.duration)
}

// boolean reads an optional true/false field, false when absent.
func (o *object) boolean(key string) bool {
	return optional(o, key, o.d.boolean)
}

// distOf reads a distribution of q.
func (d *decoder) distOf(q quantity) func(value) (sim.Dist, bool) {
	return func(v value) (sim.Dist, bool) { return d.dist(v, q, 0), true }
}

// dist reads an optional distribution of q, the zero Dist when absent.
func (o *object) dist(key string, q quantity) sim.Dist {
	return optional(o, key, o.d.distOf(q))
}

// requiredDist reads a distribution of q that must be present.
func (o *object) requiredDist(key, need string, q quantity) sim.Dist {
	return required(o, key, need, o.d.distOf(q))
}

// list returns the items of a sequence.
func (d *decoder) list(v value, what string) ([]value, bool) {
	s, ok := v.n.(*ast.SequenceNode)
	if !ok {
		d.want(v, what, kind(v))
		return nil, false
	}
	out := make([]value, 0, len(s.Values))
	for i, item := range s.Values {
		iv, ok := d.resolve(item, fmt.Sprintf("%s[%d]", v.path, i), nodePos(item))
		if !ok {
			return nil, false
		}
		out = append(out, iv)
	}
	return out, true
}

// text returns a string scalar.
func (d *decoder) text(v value, what string) (string, bool) {
	switch t := v.n.(type) {
	case *ast.StringNode:
		return t.Value, true
	case *ast.LiteralNode:
		if t.Value != nil {
			return t.Value.Value, true
		}
		return "", true
	}
	if v.str {
		if sc, ok := v.n.(ast.ScalarNode); ok {
			if tk := sc.GetToken(); tk != nil {
				return tk.Value, true
			}
		}
	}
	hint := ""
	if _, scalar := v.n.(ast.ScalarNode); scalar && !isNull(v) && what == "a string" {
		hint = " (put it in quotes to make it a string)"
	}
	d.errorf(v.at, v.path, "want %s, got %s%s", what, kind(v), hint)
	return "", false
}

// quoted reports whether a string scalar was written in quotes.
// infinity reports whether v is written as YAML's infinity, unquoted:
// +.inf, .Inf, -.INF (the YAML 1.2 core schema's forms), or as Go reads
// one (inf, +Infinity). The parser leaves +.inf a string; it is an
// infinity all the same, and refused as one, not as a word.
func infinity(v value) bool {
	s, ok := v.n.(*ast.StringNode)
	if !ok || quoted(v) {
		return false
	}
	switch strings.TrimLeft(s.Value, "+-") {
	case ".inf", ".Inf", ".INF":
		return true
	}
	x, err := strconv.ParseFloat(s.Value, 64)
	return err == nil && math.IsInf(x, 0)
}

func quoted(v value) bool {
	tk := v.n.GetToken()
	return v.str || tk != nil && (tk.Type == token.SingleQuoteType || tk.Type == token.DoubleQuoteType)
}

// number returns a finite number; what says what is expected ("a number
// (CPM)").
func (d *decoder) number(v value, what string) (float64, bool) {
	var x float64
	switch t := v.n.(type) {
	case *ast.IntegerNode:
		switch n := t.Value.(type) {
		case int64:
			x = float64(n)
		case uint64:
			x = float64(n)
		default:
			d.want(v, what, kind(v))
			return 0, false
		}
	case *ast.FloatNode:
		x = t.Value
	case *ast.InfinityNode, *ast.NanNode:
		d.want(v, what, kind(v)+mustBeFinite)
		return 0, false
	case *ast.StringNode:
		if infinity(v) {
			d.want(v, what, kind(v)+mustBeFinite)
			return 0, false
		}
		// The YAML parser leaves some plain numbers, such as 1e6, as
		// strings; a quoted "1.5" is a string and stays one.
		f, err := strconv.ParseFloat(strings.ReplaceAll(t.Value, "_", ""), 64)
		if quoted(v) || err != nil && !errors.Is(err, strconv.ErrRange) {
			switch _, derr := time.ParseDuration(t.Value); {
			case derr == nil && !quoted(v):
				d.errorf(v.at, v.path, "want %s, got the duration %s: this field is a plain number", what, t.Value)
			case percentShare(what, t.Value) != "":
				d.errorf(v.at, v.path, "want %s, got %s: write the share, %s", what, kind(v), percentShare(what, t.Value))
			case quoted(v) && err == nil:
				d.errorf(v.at, v.path, "want %s, got %s: remove the quotes", what, kind(v))
			default:
				d.want(v, what, kind(v))
			}
			return 0, false
		}
		x = f
	default:
		d.want(v, what, kind(v))
		return 0, false
	}
	if v.str {
		d.errorf(v.at, v.path, "want %s, got a string (tagged !!str)", what)
		return 0, false
	}
	if math.IsInf(x, 0) || math.IsNaN(x) {
		d.want(v, what, clip(v.n.GetToken().Value)+mustBeFinite)
		return 0, false
	}
	return x, true
}

// percentShare is a percentage written for a share ("5%" where a share
// in [0, 1] is wanted) as the share, "0.05", for the refusal to say what
// to write; "" for anything else.
func percentShare(what, text string) string {
	p, ok := strings.CutSuffix(strings.TrimSpace(text), "%")
	x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
	if !ok || err != nil || !strings.Contains(what, "share") || math.IsInf(x, 0) || math.IsNaN(x) {
		return ""
	}
	// A share the field refuses too (150% for a share in [0, 1]) is not
	// what to write: the refusal says what is wanted without it.
	if share := x / 100; share < 0 || share > 1 && strings.Contains(what, "[0, 1]") || share == 0 && strings.Contains(what, "> 0") {
		return ""
	}
	return strconv.FormatFloat(x/100, 'f', -1, 64)
}

// price returns a price in CPM as sim.Price, rounded to the micro-CPM as
// the engine does. A number outside sim's range of prices is kept as a
// field error for engineErrors, in sim's words, and reads as 0.
func (d *decoder) price(v value, what string) (sim.Price, bool) {
	x, ok := d.inRange(v, what, sim.CheckCPM)
	if !ok || d.belowUnit(v, x, sim.PriceOf(x) == 0, sim.SmallestPrice) {
		return 0, false
	}
	return sim.PriceOf(x), true
}

// money returns an amount of currency as sim.Money, rounded to the
// nano-unit as the engine does; out of range, as price.
func (d *decoder) money(v value, what string) (sim.Money, bool) {
	x, ok := d.inRange(v, what, sim.CheckCurrency)
	if !ok || d.belowMoney(v, x) {
		return 0, false
	}
	return sim.MoneyOf(x), true
}

// belowMoney is belowUnit for an amount of currency x read from v.
func (d *decoder) belowMoney(v value, x float64) bool {
	return d.belowUnit(v, x, sim.MoneyOf(x) == 0, sim.SmallestMoney)
}

// belowUnit refuses x, read from v, when it is above 0 as written but
// rounds to none of the engine's unit (zero: a floor of 0.0000004 CPM, a
// budget of 1e-10): the run would use 0, a silent wrong number. It is
// kept as a field error naming the smallest, and reports whether it was.
func (d *decoder) belowUnit(v value, x float64, zero bool, smallest string) bool {
	if !(x > 0) || !zero {
		return false
	}
	d.ranges = append(d.ranges, &sim.FieldError{Field: v.path,
		Err: fmt.Errorf("%s is less than %s", clip(v.n.GetToken().Value), smallest)})
	return true
}

// inRange is number, with a number check refuses kept as a field error
// for engineErrors (price and money's range).
func (d *decoder) inRange(v value, what string, check func(float64) error) (float64, bool) {
	x, ok := d.number(v, what)
	if !ok {
		return 0, false
	}
	if err := check(x); err != nil {
		d.ranges = append(d.ranges, &sim.FieldError{Field: v.path, Err: err})
		return 0, false
	}
	return x, true
}

// count returns a whole number ≥ 0 (1e6 is accepted: it is whole).
func (d *decoder) count(v value, what string) (uint64, bool) {
	if t, ok := v.n.(*ast.IntegerNode); ok && !v.str {
		switch n := t.Value.(type) {
		case uint64:
			return n, true
		case int64:
			if n >= 0 {
				return uint64(n), true
			}
		}
	}
	x, ok := d.number(v, what)
	if !ok {
		return 0, false
	}
	switch {
	case x < 0 || x != math.Trunc(x):
		d.want(v, what, strconv.FormatFloat(x, 'g', -1, 64))
		return 0, false
	case x >= math.MaxUint64:
		d.errorf(v.at, v.path, "%s is too large", clip(v.n.GetToken().Value)) // as written: 1e30, not 1e+30
		return 0, false
	}
	return uint64(x), true
}

// integer returns a whole number, of either sign; the engine checks its
// range. Numbers beyond int's range come back as its ends.
func (d *decoder) integer(v value, what string) (int, bool) {
	if t, ok := v.n.(*ast.IntegerNode); ok && !v.str {
		switch n := t.Value.(type) {
		case uint64:
			return int(min(n, math.MaxInt)), true
		case int64:
			return int(n), true
		}
	}
	x, ok := d.number(v, what)
	if !ok {
		return 0, false
	}
	if x != math.Trunc(x) {
		d.want(v, what, strconv.FormatFloat(x, 'g', -1, 64))
		return 0, false
	}
	return int(max(min(x, 1e18), -1e18)), true
}

// duration returns a Go duration ("120ms", "1m30s"); a bare 0 is accepted
// as it needs no unit.
func (d *decoder) duration(v value) (sim.Time, bool) {
	const want = `a duration such as "120ms" or "1m30s"`
	switch t := v.n.(type) {
	case *ast.StringNode:
		dur, err := time.ParseDuration(t.Value)
		if err != nil {
			d.want(v, want, kind(v))
			return 0, false
		}
		st := sim.FromDuration(dur)
		text := t.Value
		if ns, frac := fractionalNS(t.Value); frac && ns != float64(st) {
			// "0.5ns", read as 0, is not said to be 0.5ns.
			text += " (" + st.Window() + " to the nanosecond)"
		}
		d.durations[v.path] = writtenDuration{text: text, sim: st.Window()}
		return st, true
	case *ast.IntegerNode:
		zero := false
		switch n := t.Value.(type) {
		case int64:
			zero = n == 0
		case uint64:
			zero = n == 0
		}
		if zero {
			d.durations[v.path] = writtenDuration{text: t.GetToken().Value, sim: sim.Time(0).Window()}
			return 0, true
		}
		d.errorf(v.at, v.path, "want %s, got %s: add a unit, as in %sms", want, kind(v), clip(t.GetToken().Value))
		return 0, false
	case *ast.FloatNode:
		unit := "ms"
		if math.Abs(t.Value) < 1 {
			unit = "s" // 0.03 is more likely seconds than microseconds
		}
		d.errorf(v.at, v.path, "want %s, got %s: add a unit, as in %s%s", want, kind(v), clip(t.GetToken().Value), unit)
		return 0, false
	}
	d.want(v, want, kind(v))
	return 0, false
}

// writtenDuration is a duration as the file (or --set) wrote it, text,
// and as sim's messages write it (Time.Window: 0 as "0s", 120m as "2h").
type writtenDuration struct{ text, sim string }

// asWritten is msg, an error about the field at path, in the file's terms:
// when the field is a duration and msg opens with it as sim writes it
// ("0s must be > 0"), with it as written instead ("0ms must be > 0"), so
// that the value the message names is the one the user wrote.
func (d *decoder) asWritten(path, msg string) string {
	w, ok := d.durations[path]
	if !ok || w.text == w.sim {
		return msg
	}
	if rest, ok := strings.CutPrefix(msg, w.sim+" "); ok {
		return w.text + " " + rest
	}
	return msg
}

// durationNS reads a duration in nanoseconds, keeping a fraction of a
// nanosecond ("16276041.666666666ns", "0.5us"): distributions are sampled
// in nanoseconds as floats, and a latency a live change sets (scaled by a
// factor) must read back exactly. A duration of one number and one unit
// is read as its exact decimal, rounded once; any other as duration
// reads it.
func (d *decoder) durationNS(v value) (float64, bool) {
	t, ok := d.duration(v)
	if !ok {
		return 0, false
	}
	if s, isStr := v.n.(*ast.StringNode); isStr {
		if ns, ok := fractionalNS(s.Value); ok {
			return ns, true
		}
	}
	return float64(t), true
}

// unitNS is the nanoseconds in each unit time.ParseDuration knows.
var unitNS = map[string]int64{"ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9}

// fractionalNS reads a decimal with a fraction and one unit exactly, in
// nanoseconds; ok is false for anything else.
func fractionalNS(text string) (float64, bool) {
	i := strings.IndexFunc(text, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.' || r == '+' || r == '-') })
	if i <= 0 || !strings.Contains(text[:i], ".") {
		return 0, false
	}
	unit, ok := unitNS[text[i:]]
	if !ok {
		return 0, false
	}
	r, ok := new(big.Rat).SetString(text[:i])
	if !ok {
		return 0, false
	}
	ns, _ := r.Mul(r, big.NewRat(unit, 1)).Float64()
	return ns, true
}

// boolean returns true or false.
func (d *decoder) boolean(v value) (bool, bool) {
	if t, ok := v.n.(*ast.BoolNode); ok && !v.str {
		return t.Value, true
	}
	d.errorf(v.at, v.path, "want true or false, got %s", kind(v))
	return false, false
}

// section reads v with read when v is a mapping of the known fields,
// and refuses it, as wanting what, when it is not: the guard every
// section's reader starts with.
func (d *decoder) section(v value, what string, known []string, read func(o *object)) {
	if o, ok := d.object(v, what, known...); ok {
		read(o)
	}
}
