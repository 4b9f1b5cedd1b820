package scenarios

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Overrides change a scenario from the command line (--set, --change,
// --vary) with the scenario file's own paths and units:
//
//	exchange.floor=0.3
//	exchange.tmax=80ms
//	bidders.acme-retarget.budget.total=100     a bidder by name
//	bidders.*.strategy.factor=0.9              every bidder
//	bidders.metro.latency={dist: constant, value: 90ms}
//
// The paths are a script's too, read by one resolver (path.go); --set may
// also set what a script may not: the bidders list as a whole, name,
// description, stop and script. The value is YAML, as it would be written
// in the file. An override edits the file's YAML document (adding the key
// when the file leaves it out), and the edited text is parsed as a whole,
// so it is checked by the same rules, with the same messages, as the file
// itself; an error an override causes names the flag. The edited text is
// the effective scenario: it parses to exactly the scenario that runs
// (ResolveWith returns it).

// Set is one override, PATH=VALUE.
type Set struct {
	Path  string // "bidders.metro.latency.median"
	Value string // YAML: "90ms", "{dist: constant, value: 5}"
	Flag  string // the flag that gave it, for messages: "--set" (default), "--change", "--vary"
}

// String is the override as given: "--set PATH=VALUE", or
// ":PATH=VALUE" typed in the dashboard's command line (Flag ":").
func (s Set) String() string {
	flag := s.Flag
	switch flag {
	case "":
		flag = "--set"
	case ":":
		return ":" + s.Path + "=" + s.Value
	}
	return flag + " " + s.Path + "=" + s.Value
}

// ParseSet reads "PATH=VALUE"; flag names the flag for messages.
func ParseSet(flag, text string) (Set, error) {
	path, value, ok := strings.Cut(text, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return Set{}, fmt.Errorf("%s %s: want PATH=VALUE, such as exchange.floor=0.3 or bidders.NAME.latency.median=90ms", flag, text)
	}
	if strings.ContainsAny(value, "\n\r") {
		return Set{}, fmt.Errorf("%s %s: the value must be one line (use YAML flow style: {dist: constant, value: 5})", flag, text)
	}
	return Set{Path: path, Value: strings.TrimSpace(value), Flag: flag}, nil
}

// ReadSource returns the YAML text of a bundled scenario or file, found as
// Resolve finds it, and the file name its messages use.
func ReadSource(nameOrPath string) (filename string, data []byte, err error) {
	if !looksLikePath(nameOrPath) && isBundled(nameOrPath) {
		data, err := Source(nameOrPath)
		return nameOrPath + ".yaml", data, err
	}
	if !looksLikePath(nameOrPath) {
		if _, err := os.Stat(nameOrPath); err != nil {
			return "", nil, unknownBundled(nameOrPath)
		}
	}
	f, err := os.Open(nameOrPath)
	if err != nil {
		return "", nil, Errors{{File: nameOrPath, Msg: "cannot read the file: " + pathErr(err), Err: err}}
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return "", nil, Errors{{File: nameOrPath, Msg: "cannot read the file: " + pathErr(err), Err: err}}
	}
	return nameOrPath, data, nil
}

func pathErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ResolveWith is Resolve with overrides applied in order. It also returns
// the effective scenario's YAML: the text that was parsed, which
// reproduces the scenario exactly (without overrides, the file's own
// text). The scenario's Source is the original's.
func ResolveWith(nameOrPath string, sets []Set) (*Scenario, []byte, error) {
	filename, data, err := ReadSource(nameOrPath)
	if err != nil {
		return nil, nil, err
	}
	// A bundled scenario is valid (a test checks), so an error here is a
	// bad file's or names the override that caused it.
	s, text, err := ParseWith(filename, data, sets)
	if err != nil {
		return nil, nil, err
	}
	if !looksLikePath(nameOrPath) && isBundled(nameOrPath) {
		s.Source = "bundled:" + nameOrPath
	}
	return s, text, nil
}

// ParseWith parses data, applies sets and parses the result; it returns
// the scenario and the effective YAML. Errors in the file itself are
// reported as Parse reports them; errors the overrides cause name the
// flag: "--set exchange.floor=-1: -1 must be ≥ 0".
func ParseWith(filename string, data []byte, sets []Set) (*Scenario, []byte, error) {
	base, err := Parse(filename, data)
	if err != nil || len(sets) == 0 {
		return base, data, err
	}
	text, attach, err := Apply(data, sets)
	if err != nil {
		return nil, nil, err
	}
	s, err := Parse(filename, text)
	if err != nil {
		return nil, nil, blame(err, sets, attach, bidderNames(base))
	}
	s.Source = base.Source
	return s, text, nil
}

func bidderNames(s *Scenario) []string {
	names := make([]string, len(s.Config.Bidders))
	for i, b := range s.Config.Bidders {
		names[i] = b.Name
	}
	return names
}

// blame rewrites the errors of a scenario made valid-then-invalid by
// overrides so that each names the override that caused it: the one whose
// edit holds the field. An error outside every edit (a check across
// fields, such as errors + no_bid ≤ 1) names every override.
func blame(err error, sets []Set, attach [][]string, names []string) error {
	var list Errors
	if !errors.As(err, &list) {
		return err
	}
	all := make([]string, len(sets))
	for i, s := range sets {
		all[i] = s.String()
	}
	out := make(Errors, 0, len(list))
	for _, e := range list {
		who := strings.Join(all, ", ")
		field := e.Field
	find:
		for i, paths := range attach {
			for _, p := range paths {
				if under(e.Field, p) {
					who = sets[i].String()
					field = strings.TrimPrefix(strings.TrimPrefix(e.Field, p), ".")
					if strings.HasPrefix(p, "bidders[") && field == "" && strings.Contains(sets[i].Path, "*") {
						field = byName(e.Field, names) // which bidder a wildcard failed on
					}
					break find
				}
			}
		}
		if field == e.Field {
			field = byName(field, names)
		}
		msg := e.Msg
		if k, ok := kindSet(sets, e.Field); ok {
			// Setting a strategy's kind keeps its other fields, which the
			// new kind may not take (or lack): the whole form is the fix.
			who = k.String()
			msg += "; strategy.kind alone keeps the strategy's other fields: set the whole strategy, " + wholeStrategy(k)
		}
		out = append(out, &Error{File: who, Field: field, Msg: msg, Err: e.Err})
	}
	return out
}

// byName writes a field path's leading bidders[i] as bidders.NAME.
func byName(field string, names []string) string {
	var i int
	var rest string
	if n, _ := fmt.Sscanf(field, "bidders[%d]", &i); n != 1 || i < 0 || i >= len(names) {
		return field
	}
	rest = field[len(fmt.Sprintf("bidders[%d]", i)):]
	return "bidders." + names[i] + rest
}

// Apply applies sets, in order, to the YAML text data and returns the
// edited text. attach[i] lists, for set i, the decoder paths
// ("bidders[2].latency") of the nodes it edited or created, to which
// errors are attributed.
func Apply(data []byte, sets []Set) (text []byte, attach [][]string, err error) {
	// Comments are kept: the effective text is for people too.
	f, err := parseYAML(data, parser.ParseComments)
	if err != nil {
		return nil, nil, fmt.Errorf("the scenario's YAML does not parse: %w", err)
	}
	var body *ast.DocumentNode
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			body = doc
			break
		}
	}
	if body == nil {
		return nil, nil, errors.New("the scenario is empty")
	}
	attach = make([][]string, len(sets))
	for i, s := range sets {
		paths, err := apply(body, s)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s, err)
		}
		attach[i] = paths
	}
	return []byte(f.String()), attach, nil
}

// apply edits doc for one override.
func apply(doc *ast.DocumentNode, s Set) ([]string, error) {
	ref, err := parsePath(s.Path, setRules)
	if err != nil {
		return nil, err
	}
	root, err := through(doc.Body, "")
	if err != nil {
		return nil, err
	}
	m, ok := root.(*ast.MappingNode)
	if !ok {
		return nil, errors.New("the scenario is not a mapping")
	}
	e := edit{ref: ref, value: s.Value}
	return e.set(m, "", ref.segs)
}

// through steps over anchors and tags to the node they hold; an alias
// cannot be edited in place (the edit would change every use of its
// anchor).
func through(n ast.Node, path string) (ast.Node, error) {
	for range maxResolve {
		switch t := n.(type) {
		case *ast.AnchorNode:
			n = t.Value
		case *ast.TagNode:
			n = t.Value
		case *ast.AliasNode:
			return nil, fmt.Errorf("%s is an alias in the file; set the whole value instead", path)
		default:
			return n, nil
		}
	}
	return nil, fmt.Errorf("%s: anchors and tags nest too deeply", path)
}

// edit is one override being applied: its path and its value.
type edit struct {
	ref   pathRef
	value string
}

// set sets segs under the mapping m (at decoder path at) to the value.
func (e edit) set(m *ast.MappingNode, at string, segs []string) ([]string, error) {
	key := segs[0]
	path := child(at, key)
	var found *ast.MappingValueNode
	for _, mv := range m.Values {
		if keyIs(mv, key) {
			found = mv
		}
	}
	if found == nil {
		// Not in the file: add it, with any missing mappings between, as
		// the file would have written it. Unknown names are left for the
		// parser to refuse with its own message and suggestions.
		text := key + ": " + nested(segs[1:], e.value)
		if !m.IsFlowStyle && len(m.Values) > 0 {
			if p := nodePos(m); p.col > 1 {
				text = strings.Repeat(" ", p.col-1) + text
			}
		}
		mv, err := parseEntry(text)
		if err != nil {
			return nil, err
		}
		m.Values = append(m.Values, mv)
		return []string{path}, nil
	}
	if len(segs) == 1 {
		n, err := parseValue(e.value)
		if err != nil {
			return nil, err
		}
		if a, ok := found.Value.(*ast.AnchorNode); ok {
			a.Value = n
		} else {
			found.Value = n
		}
		return []string{path}, nil
	}
	next, err := through(found.Value, path)
	if err != nil {
		return nil, err
	}
	if promoted, ok := shareAsMapping(key, at, found.Value); ok {
		// A holdout written as a share: a part of it set makes it
		// {share: the share}, which the part then edits.
		found.Value, next = promoted, promoted
	}
	if _, null := next.(*ast.NullNode); null {
		// Set to null (left out): the path below starts a new mapping.
		n, err := parseValue(nested(segs[1:], e.value))
		if err != nil {
			return nil, err
		}
		found.Value = n
		return []string{path}, nil
	}
	if key == "bidders" && at == "" {
		seq, ok := next.(*ast.SequenceNode)
		if !ok {
			return nil, errors.New("bidders is not a list in the file")
		}
		return e.setBidders(seq)
	}
	sub, ok := next.(*ast.MappingNode)
	if !ok {
		return nil, fmt.Errorf("%s is not a mapping in the file, so it has no field %s; set %s as a whole", path, segs[1], path)
	}
	return e.set(sub, path, segs[1:])
}

// setBidders applies the path below the bidders list to the bidders it
// names, as the file names them.
func (e edit) setBidders(seq *ast.SequenceNode) ([]string, error) {
	items := make([]*ast.MappingNode, len(seq.Values))
	names := make([]string, len(seq.Values))
	for i, item := range seq.Values {
		n, err := through(item, fmt.Sprintf("bidders[%d]", i))
		if err != nil {
			return nil, err
		}
		m, ok := n.(*ast.MappingNode)
		if !ok {
			continue // not a bidder: the parser refuses it
		}
		items[i] = m
		for _, mv := range m.Values {
			if keyIs(mv, "name") {
				if v, err := through(mv.Value, ""); err == nil && v != nil && v.GetToken() != nil {
					names[i] = v.GetToken().Value
				}
			}
		}
	}
	idx, rest, err := e.ref.bidders(names)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, i := range idx {
		if items[i] == nil {
			continue
		}
		p, err := e.set(items[i], fmt.Sprintf("bidders[%d]", i), rest)
		if err != nil {
			return nil, err
		}
		paths = append(paths, p...)
	}
	return paths, nil
}

// keyIs reports whether the mapping entry mv has the plain key key (not
// a merge key), as the file writes it.
func keyIs(mv *ast.MappingValueNode, key string) bool {
	if mv == nil || mv.Key == nil || mv.Key.IsMergeKey() {
		return false
	}
	tk := mv.Key.GetToken()
	return tk != nil && tk.Value == key
}

// nested writes segs: value as nested flow mappings: "{a: {b: value}}".
func nested(segs []string, value string) string {
	if len(segs) == 0 {
		if value == "" {
			return "null"
		}
		return value
	}
	return "{" + segs[0] + ": " + nested(segs[1:], value) + "}"
}

// parseEntry parses "key: value" into its mapping entry.
func parseEntry(text string) (*ast.MappingValueNode, error) {
	f, err := parseYAML([]byte(text), 0)
	if err != nil || len(f.Docs) != 1 || f.Docs[0].Body == nil {
		return nil, invalidValue(err)
	}
	m, ok := f.Docs[0].Body.(*ast.MappingNode)
	if !ok || len(m.Values) != 1 {
		return nil, errors.New("the value is not valid YAML here (quote it if it holds ': ' or starts with '{' or '[')")
	}
	return m.Values[0], nil
}

// parseValue parses a value as YAML; an empty value is null (the field's
// default).
func parseValue(text string) (ast.Node, error) {
	if strings.TrimSpace(text) == "" {
		text = "null"
	}
	f, err := parseYAML([]byte(text), 0)
	if err != nil || len(f.Docs) != 1 || f.Docs[0].Body == nil {
		return nil, invalidValue(err)
	}
	if _, isMap := f.Docs[0].Body.(*ast.MappingNode); isMap && !strings.HasPrefix(strings.TrimSpace(text), "{") {
		return nil, errors.New("the value is not valid YAML here (quote it if it holds ': ')")
	}
	return f.Docs[0].Body, nil
}

// invalidValue says that an override's value does not parse.
func invalidValue(err error) error {
	text := "one value expected"
	if err != nil {
		text = strings.TrimSpace(err.Error())
	}
	return fmt.Errorf("the value is not valid YAML: %s", text)
}

// kindSet is the override that set a strategy's kind alone
// (bidders.NAME.strategy.kind, or bidders.*), when field is in a
// strategy: the override an error in the strategy comes from.
func kindSet(sets []Set, field string) (Set, bool) {
	if _, rest, ok := strings.Cut(field, "].strategy."); !ok || !strings.HasPrefix(field, "bidders[") || rest == "" {
		return Set{}, false
	}
	for i := len(sets) - 1; i >= 0; i-- {
		if p := sets[i].Path; strings.HasPrefix(p, "bidders.") && strings.HasSuffix(p, ".strategy.kind") {
			return sets[i], true
		}
	}
	return Set{}, false
}

// wholeStrategy is k (PATH.kind=KIND) as the whole strategy it means,
// quoted for a shell: --set 'PATH={kind: KIND}', with an example factor
// or bid where the kind needs one.
func wholeStrategy(k Set) string {
	kind := strings.TrimSpace(k.Value)
	v := "{kind: " + kind + "}"
	switch kind {
	case "shade":
		v = "{kind: shade, factor: 0.8}"
	case "fixed":
		v = "{kind: fixed, bid: 1}"
	}
	whole := Set{Path: strings.TrimSuffix(k.Path, ".kind"), Value: v, Flag: k.Flag}
	if k.Flag == ":" {
		return whole.String() // typed in the dashboard: no shell
	}
	flag := cmp.Or(k.Flag, "--set")
	return flag + " '" + whole.Path + "=" + v + "'"
}

// shareAsMapping is an outcome's holdout n written as a share (a plain
// number) made the mapping {share: n}, so that its share or unit can be
// set on their own; ok is false for any other node.
func shareAsMapping(key, at string, n ast.Node) (ast.Node, bool) {
	if key != "holdout" || !strings.HasSuffix(at, ".outcome") {
		return nil, false
	}
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
	default:
		return nil, false
	}
	m, err := parseValue("{share: " + n.GetToken().Value + "}")
	if err != nil {
		return nil, false
	}
	return m, true
}
