package scenarios

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/auctionsim/auctionsim/sim"
)

// Overrides change a scenario from the command line (--set, --change,
// --vary) with the scenario file's own paths and units:
//
//	exchange.floor=0.3
//	exchange.tmax=80ms
//	bidders.acme-retarget.budget.total=100     a bidder by name
//	bidders.*.strategy.factor=0.9              every bidder (each must shade)
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
// ":PATH=VALUE" typed in the dashboard's command line (Flag ":"), or
// "PATH: VALUE" in a script step's set (scriptFlag).
// A path or value with a character that is not printable (an escape) is
// quoted, as the messages quote the values they cite: written raw, it
// would act on the terminal.
func (s Set) String() string {
	flag := s.Flag
	switch flag {
	case "":
		flag = "--set"
	case ":":
		return ":" + printable(s.Path+"="+s.Value)
	case scriptFlag:
		return printable(s.Path + ": " + s.Value)
	}
	return flag + " " + printable(s.Path+"="+s.Value)
}

// printable is text as it is when every character is printable, else
// quoted with Go's escapes ("\x1b[31m"): a message must not carry a
// terminal's escape sequences.
func printable(text string) string {
	if !unprintable(text) {
		return text
	}
	return strconv.Quote(text)
}

// unprintable reports whether text has a character that is not
// printable (an escape), which printable and shellSet quote.
func unprintable(text string) bool {
	return strings.IndexFunc(text, func(r rune) bool { return !strconv.IsPrint(r) }) >= 0
}

// scriptFlag is the Flag of a script step's set, which blameScript reads
// as an override: its messages write it as the step does, PATH: VALUE.
const scriptFlag = "set:"

// ParseSet reads "PATH=VALUE"; flag names the flag for messages.
func ParseSet(flag, text string) (Set, error) {
	path, value, ok := strings.Cut(text, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return Set{}, fmt.Errorf("%s %s: want PATH=VALUE, such as exchange.floor=0.3 or bidders.NAME.latency.median=90ms", flag, printable(text))
	}
	if strings.ContainsAny(value, "\n\r") {
		return Set{}, fmt.Errorf("%s %s: the value must be one line (use YAML flow style: {dist: constant, value: 5})", flag, printable(text))
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
	return resolveText(nameOrPath, filename, data, sets)
}

// resolveText is ResolveWith on the text ReadSource read of nameOrPath.
func resolveText(nameOrPath, filename string, data []byte, sets []Set) (*Scenario, []byte, error) {
	return resolveTextWith(nameOrPath, filename, data, sets, false)
}

// resolveTextWith is resolveText, with the stop given apart (stopApart:
// see decoder.stopApart) or not.
func resolveTextWith(nameOrPath, filename string, data []byte, sets []Set, stopApart bool) (*Scenario, []byte, error) {
	// A bundled scenario is valid (a test checks), so an error here is a
	// bad file's or names the override that caused it.
	s, text, err := parseWithSets(filename, data, sets, stopApart)
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
	return parseWithSets(filename, data, sets, false)
}

// parseWithSets is ParseWith, the stop given apart (stopApart) or not.
func parseWithSets(filename string, data []byte, sets []Set, stopApart bool) (*Scenario, []byte, error) {
	parse := func(text []byte, own bool) (*Scenario, error) {
		d := newDecoder(filename)
		d.stopApart, d.ownText = stopApart, own
		return parseWith(d, text)
	}
	base, err := parse(data, len(sets) == 0)
	if err != nil || len(sets) == 0 {
		return base, data, err
	}
	text, attach, err := Apply(data, sets)
	if err != nil {
		return nil, nil, err
	}
	s, err := parse(text, false)
	if err != nil {
		return nil, nil, blame(err, sets, attach, bidderNames(base), reparser(filename, data, false))
	}
	// The file's steps after its own stop are refused as without sets,
	// at their lines, unless the sets lengthen the run to reach them
	// (--set stop.duration=2h).
	if !stopApart && deadStep(base) {
		if err := refuseDeadSteps(filename, data, sets, false, s.Stop.Duration); err != nil {
			return nil, nil, err
		}
	}
	s.Source = base.Source
	placeEndpoints(s, base, sets, attach)
	return s, text, nil
}

// refuseDeadSteps reads the file's own text (data) again to refuse, at
// their lines, its script steps after both its stop and the duration the
// run reaches (reach): a step the file's stop cut off that the run does
// not reach either never runs, and the file is as wrong as validate says.
// The run's stop is the sets' (compare, sweep, --set stop.duration) or
// given apart (stopApart: run --duration 10s). A duration that reaches
// the step runs it; a run with no duration (a stop by auctions alone, or
// the sets' taking it off) tells no instant; sets that give a script make
// the file's not the run's.
func refuseDeadSteps(filename string, data []byte, sets []Set, stopApart bool, reach sim.Time) error {
	if reach <= 0 || slices.ContainsFunc(sets, setsScript) {
		return nil
	}
	d := newDecoder(filename)
	d.stopApart, d.ownText, d.reach = stopApart, true, reach
	_, err := parseWith(d, data)
	return err
}

// setsScript reports whether x sets the script or a step of it.
func setsScript(x Set) bool {
	return x.Path == "script" || strings.HasPrefix(x.Path, "script.") || strings.HasPrefix(x.Path, "script[")
}

// deadStep reports whether a step of s's script comes after its stop's
// duration (decoder.deadSteps says where).
func deadStep(s *Scenario) bool {
	stop := s.Stop.Duration
	return stop > 0 && slices.ContainsFunc(s.Config.Script, func(st sim.Scheduled) bool { return st.At > stop })
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
// fields, such as a median above the file's own p99) names the overrides
// without which it goes away (needed, reparse parsing the text with the
// overrides given), wherever they lie; failing that, those that edited
// the same part (nearby), else every override. A wildcard's
// (bidders.*) errors that say the same of several bidders are one error
// naming them, and a strategy's field set on a bidder whose strategy is
// of another kind says how to set the kind too.
func blame(err error, sets []Set, attach [][]string, names []string, reparse func([]Set) error) error {
	var list Errors
	if !errors.As(err, &list) {
		return err
	}
	all := make([]string, len(sets))
	for i, s := range sets {
		all[i] = s.String()
	}
	find := func(e *Error) (int, string) { return culprit(e.Field, attach) }
	placed := merged(list, sets, names, find, true)
	out := make(Errors, 0, len(placed))
	for _, b := range placed {
		who := strings.Join(all, ", ")
		if b.set >= 0 {
			who = sets[b.set].String()
		} else if need := needed(b.at, sets, reparse); len(need) > 0 {
			who = strings.Join(need, ", ")
		} else if near := nearby(b.at.Field, sets, attach); len(near) > 0 {
			who = strings.Join(near, ", ")
		}
		out = append(out, &Error{File: who, Field: b.fieldText(names), Msg: b.text(sets), Err: b.err})
	}
	return out
}

// reparser parses the text data (of the file filename) with overrides,
// for blame's needed; oldNames as parseNames.
func reparser(filename string, data []byte, oldNames bool) func([]Set) error {
	return func(sets []Set) error {
		text, _, err := Apply(data, sets)
		if err != nil {
			return err
		}
		_, err = parseNames(filename, text, oldNames)
		return err
	}
}

// needed is, of the overrides sets, those without which e, an error
// outside every edit (a check across fields), goes away, as reparse finds
// it: an error across two parts (a stop by auctions with traffic.scale)
// is blamed on the override that brings it about, not on the one that
// edits the part its field is in. An override without which the text
// cannot be made (another's value needs it) tells nothing, and is not
// named.
func needed(e *Error, sets []Set, reparse func([]Set) error) []string {
	var out []string
	for i := range sets {
		err := reparse(slices.Delete(slices.Clone(sets), i, i+1))
		var list Errors
		if err != nil && !errors.As(err, &list) {
			continue
		}
		if !slices.ContainsFunc(list, func(x *Error) bool { return x.Field == e.Field && x.Msg == e.Msg }) {
			out = append(out, sets[i].String())
		}
	}
	return out
}

// nearby is the overrides whose edits lie in the part of the scenario
// that field is in (one bidder, the exchange, the traffic, the stop): an
// error outside every edit, a check across fields, is blamed on them, so
// that the stop an experiment's --auctions stands for is not named beside
// a bidder's latency (nor in one command and not in another). None near:
// the caller names every override.
func nearby(field string, sets []Set, attach [][]string) []string {
	part := field
	if i := strings.IndexAny(field, ".["); i >= 0 {
		part = field[:i]
	}
	if rest, ok := strings.CutPrefix(field, "bidders["); ok {
		if j := strings.IndexByte(rest, ']'); j >= 0 {
			part = field[:len("bidders[")+j+1]
		}
	}
	var out []string
	for i, paths := range attach {
		if slices.ContainsFunc(paths, func(p string) bool { return under(p, part) || under(part, p) }) {
			out = append(out, sets[i].String())
		}
	}
	return out
}

// merged places each error of list at the override find says caused it
// (-1: none did) and merges a wildcard's errors that say the same of
// several bidders into one, in the order the first of each came. With
// below, an error's field is written below the override's own path (the
// message names the override); else whole, by the bidder's name.
func merged(list Errors, sets []Set, names []string, find func(*Error) (int, string), below bool) []*blamed {
	var placed []*blamed
	groups := map[wildKey]*blamed{}
	for _, e := range list {
		b := blameOne(e, sets, find, names, below)
		if b.bidder == "" {
			placed = append(placed, b)
			continue
		}
		// One error per wildcard, field, message (and, in a script, place
		// in the file): the bidders it is in.
		k := wildKey{set: b.set, below: b.below, msg: b.msg, kind: b.kindless}
		if !below {
			k.line, k.col = e.Line, e.Column
		}
		if g, ok := groups[k]; ok {
			g.bidders = append(g.bidders, b.bidder)
			g.defaulted = g.defaulted || b.defaulted
			continue
		}
		b.bidders = []string{b.bidder}
		groups[k] = b
		placed = append(placed, b)
	}
	return placed
}

// blamed is one error of a scenario edited by overrides, placed at the
// override it is blamed on.
type blamed struct {
	set   int    // the override's index; -1: every override
	field string // the field, as the message names it
	msg   string
	err   error
	at    *Error // the error as the decoder gave it

	// A wildcard's error: the bidder it is in, the field below the
	// bidder, and once merged the bidders that have it.
	bidder  string
	below   string
	bidders []string

	// kindless is the kind a strategy's field set by the override
	// belongs to, when the bidder's strategy is of another kind;
	// defaulted says a bidder had no strategy (truthful by default).
	kindless  sim.StrategyKind
	defaulted bool
	hasKind   bool
}

// wildKey is what a wildcard's errors must share to be one.
type wildKey struct {
	set       int
	below     string
	msg       string
	kind      sim.StrategyKind
	line, col int // a script's: the place in the file
}

// blameOne places one error at the override find says caused it, and the
// path of that override's edit that holds it; see merged for below.
func blameOne(e *Error, sets []Set, find func(*Error) (int, string), names []string, below bool) *blamed {
	b := &blamed{set: -1, field: byName(e.Field, names), msg: e.Msg, err: e.Err, at: e}
	if k, ok := kindSet(sets, e.Field); ok {
		// Setting a strategy's kind keeps its other fields, which the
		// new kind may not take (or lack): the whole form is the fix.
		b.set = k
		b.msg += "; strategy.kind alone keeps the strategy's other fields: set the whole strategy, " + wholeStrategy(sets[k])
		b.wildcard(e.Field, sets[k], names)
		return b
	}
	i, p := find(e)
	if i < 0 {
		return b
	}
	b.set = i
	field := e.Field
	if msg, ok := wholeDist(sets[i], e); ok {
		// One parameter of a distribution the file leaves out: the
		// decoder asks for its family, the whole form is the fix.
		field, b.msg = strings.TrimSuffix(field, ".dist"), msg
	}
	if kind, f, defaulted, ok := kindless(sets[i], e, p); ok {
		// The bidder's own strategy (left out, or of another kind) is
		// the fault, whichever message the decoder gave.
		field, b.kindless, b.defaulted, b.hasKind = f, kind, defaulted, true
		b.msg = "applies only to kind " + kind.String()
	}
	if b.wildcard(field, sets[i], names) {
		return b
	}
	b.field = byName(field, names)
	// The field as below the override's own path: nothing when it is the
	// path, as the override already says it.
	if at, ok := resolved(sets[i], p, names); below && ok && under(field, at) {
		b.field = strings.TrimPrefix(strings.TrimPrefix(field, at), ".")
	}
	return b
}

// wildcard notes, for an override with a wildcard, the bidder the error's
// field is in and the field below it; it reports whether it did.
func (b *blamed) wildcard(field string, s Set, names []string) bool {
	if !strings.HasPrefix(s.Path, "bidders.*.") {
		return false
	}
	var i int
	if n, _ := fmt.Sscanf(field, "bidders[%d]", &i); n != 1 || i < 0 || i >= len(names) || names[i] == "" {
		return false
	}
	b.bidder = names[i]
	b.below = strings.TrimPrefix(field[len(fmt.Sprintf("bidders[%d]", i)):], ".")
	return b.below != ""
}

// culprit is the override whose edit holds field, and the path of that
// edit; -1 when none does.
func culprit(field string, attach [][]string) (int, string) {
	for i, paths := range attach {
		for _, p := range paths {
			if under(field, p) {
				return i, p
			}
		}
	}
	return -1, ""
}

// resolved is the decoder path an override sets ("bidders[2].latency"),
// given p, the path of one of its edits.
func resolved(s Set, p string, names []string) (string, bool) {
	ref, err := parsePath(s.Path, setRules)
	if err != nil {
		return "", false
	}
	if !ref.underBidders() {
		return s.Path, true
	}
	_, rest, err := ref.bidders(names)
	bidder, _, ok := strings.Cut(p, "]")
	if err != nil || !ok {
		return "", false
	}
	return bidder + "]." + strings.Join(rest, "."), true
}

// kindless recognises a strategy's field set (bidders.NAME.strategy.factor)
// on a bidder whose strategy is of another kind, or who has none: the
// field's "applies only to kind", or the kind the strategy the override
// added lacks. It returns the kind the field belongs to, the field, and
// whether the bidder had no strategy.
func kindless(s Set, e *Error, p string) (kind sim.StrategyKind, field string, defaulted, ok bool) {
	i := strings.LastIndex(s.Path, ".strategy.")
	if i < 0 || !strings.HasPrefix(p, "bidders[") {
		return 0, "", false, false
	}
	key := s.Path[i+len(".strategy."):]
	if kind, ok = strategyFieldKind(key); !ok {
		return 0, "", false, false
	}
	bidder, _, _ := strings.Cut(p, "]")
	at := bidder + "].strategy."
	switch {
	case e.Field == at+"kind" && strings.HasPrefix(e.Msg, "is required"):
		return kind, at + key, true, true
	case e.Field == at+key && strings.HasPrefix(e.Msg, "applies only to kind"):
		return kind, at + key, false, true
	}
	return 0, "", false, false
}

// fieldText is the field as the message names it: a wildcard's as
// bidders.*.FIELD and the bidders it is in (bidders.NAME.FIELD for one).
func (b *blamed) fieldText(names []string) string {
	switch n := len(b.bidders); {
	case n == 0:
		return b.field
	case n == 1:
		return "bidders." + b.bidders[0] + "." + b.below
	case n == len(names):
		return "bidders.*." + b.below + " (every bidder)"
	default:
		return "bidders.*." + b.below + " (" + andList(b.bidders) + ")"
	}
}

// text is the message, with the way to set a strategy's kind too where
// the override set a field the bidder's kind does not take.
func (b *blamed) text(sets []Set) string {
	if !b.hasKind {
		return b.msg
	}
	s := sets[b.set]
	whose := "this bidder's strategy is"
	if len(b.bidders) > 1 {
		whose = "these bidders' strategies are"
	}
	msg := fmt.Sprintf("applies only to kind %s, which %s not", b.kindless, whose)
	if b.defaulted {
		msg += " (truthful when left out)"
	}
	key := s.Path[strings.LastIndex(s.Path, ".")+1:]
	whole := Set{Path: strings.TrimSuffix(s.Path, "."+key), Value: strategyWith(b.kindless, key, s.Value), Flag: s.Flag}
	return msg + ": set the kind too, " + shellSet(whole)
}

// andList writes names as "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
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
	if len(sets) > 0 {
		if body.Body, err = unalias(body.Body); err != nil {
			return nil, nil, err
		}
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

// kindSet is the index of the override that set a strategy's kind alone
// (bidders.NAME.strategy.kind, or bidders.*), when field is in a
// strategy: the override an error in the strategy comes from.
func kindSet(sets []Set, field string) (int, bool) {
	if _, rest, ok := strings.Cut(field, "].strategy."); !ok || !strings.HasPrefix(field, "bidders[") || rest == "" {
		return 0, false
	}
	for i := len(sets) - 1; i >= 0; i-- {
		if p := sets[i].Path; strings.HasPrefix(p, "bidders.") && strings.HasSuffix(p, ".strategy.kind") {
			return i, true
		}
	}
	return 0, false
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
	return shellSet(Set{Path: strings.TrimSuffix(k.Path, ".kind"), Value: v, Flag: k.Flag})
}

// strategyWith is a strategy of kind with its field key set to value, in
// flow style, with an example of the field the kind also needs.
func strategyWith(kind sim.StrategyKind, key, value string) string {
	v := "{kind: " + kind.String()
	if kind == sim.TargetROAS && key != "roas" {
		v += ", roas: 4"
	}
	return v + ", " + key + ": " + strings.TrimSpace(value) + "}"
}

// shellSet writes an override for a message, quoted for a shell:
// --set 'PATH=VALUE' (typed in the dashboard, :PATH=VALUE, no shell).
// Shell is the override as a flag to paste into a shell: the path and
// value in single quotes (Bash's $'…' where a character is not
// printable), so that the line pasted sets what the override says.
func (s Set) Shell() string { return shellSet(s) }

func shellSet(s Set) string {
	if s.Flag == ":" || s.Flag == scriptFlag {
		return s.String()
	}
	flag, p := cmp.Or(s.Flag, "--set"), s.Path+"="+s.Value
	if unprintable(p) {
		// Bash's $'…' reads Go's escapes; a ' inside must be escaped.
		q := strconv.Quote(p)
		return flag + " $'" + strings.ReplaceAll(q[1:len(q)-1], `'`, `\'`) + "'"
	}
	// A ' inside ends the quotes: '\'' puts it back, so that the line
	// pasted sets what the override says ('0.9' stays a quoted string).
	return flag + " '" + strings.ReplaceAll(p, "'", `'\''`) + "'"
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
