package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// A script schedules changes at virtual instants:
//
//	script:
//	  - at: 30s
//	    set: {exchange.tmax: 80ms}
//	    say: metro slows down; watch the late bids
//	  - at: 60s
//	    set: {bidders.metro.latency.median: 90ms, bidders.*.strategy.factor: 0.9}
//	  - at: 90s
//	    say: a caption alone, without a set
//
// A step's say is a caption the dashboard shows for a few seconds when the
// step applies (Scenario.Steps): one line of text, at most MaxSay
// characters, without control characters (escape sequences would reach
// the terminal).
//
// Each set's keys are paths into the scenario, bidders by name (or * for
// all), the same paths as --set; its values are YAML, as the file would
// write them. The steps apply in order and add up: step k's scenario is
// the file with the sets of steps 0..k applied. Each step's scenario is
// decoded with every check the file gets, its errors placed at the set's
// own value in the file, and sim.Diff turns the difference from the step
// before into the live changes the engine applies at that instant. A
// difference no live change can make is refused at the set that made it.
//
// A set's path is read and its bidder resolved as --set's are, by
// parsePath and pathRef.bidders (path.go), under scriptRules, the rules
// of every live change (the dashboard's keys and command line, Live). What
// is the script's own is where the value goes: --set and Live edit the
// YAML text, while a script edits the decoder's view of the document
// (overlay): the decoder reads a set's value node in place of the file's
// (or adds it, with any mapping between), so that errors point at the
// file's own lines and columns.

// scriptSet is one PATH: VALUE of a script step, as the decoder applies it.
type scriptSet struct {
	yamlPath string   // as written: "bidders.metro.latency.median"
	named    string   // with the bidder resolved: "bidders.metro.latency.median"
	path     string   // the decoder's path: "bidders[2].latency.median"
	node     value    // the value, from the file
	keyAt    position // where the key is written
	used     bool
}

// Step is a script step as the file writes it, for display: its instant,
// what it sets (PATH=VALUE, as --set writes it) and its caption.
type Step struct {
	At   sim.Time
	Sets []string
	Say  string
	// Lines are the line of each of Sets' PATH in the text parsed (the
	// file's own lines only when no --set edited it), for messages.
	Lines []int
}

// MaxSay bounds a caption, in characters and in terminal cells: with the
// dashboard's "▶ " it fits the narrowest dashboard (80 columns), and a
// room can read it.
const MaxSay = 78

// maxScriptSteps bounds a script: each step decodes the whole scenario
// again. A two-minute story needs a handful; a day at one step every ten
// minutes, 144.
const maxScriptSteps = 200

// script reads the script and sets s.Config.Script; data is the file, to
// decode each step's scenario from.
func (d *decoder) script(data []byte, v value, s *Scenario) {
	items, ok := d.list(v, "a list of steps such as {at: 30s, set: {exchange.tmax: 80ms}}")
	if !ok {
		return
	}
	if len(items) > maxScriptSteps {
		d.errorf(v.at, v.path, "%d steps; a script has at most %d", len(items), maxScriptSteps)
		return
	}
	names := bidderNames(s)
	var cum []*scriptSet // every set so far, later ones replacing earlier ones
	prev := s.Config
	for _, it := range items {
		o, ok := d.object(it, "a step: a mapping with at and set (or say)", "at", "set", "say")
		if !ok {
			return
		}
		say := ""
		if v, ok := o.get("say"); ok {
			say = d.say(v)
		}
		// sim's Validate checks the instants (≥ 0, in order), placed at
		// script[i].at.
		at := sim.Time(0)
		if av, ok := o.require("at", `the step's virtual instant, a duration such as "30s"`); ok {
			at, _ = d.duration(av)
		}
		const setWant = "a mapping of PATH: VALUE, such as {exchange.tmax: 80ms}"
		if _, present := o.fields["set"]; !present && o.has("say") {
			// A caption alone: a step that changes nothing.
			if len(d.errs) > 0 {
				return
			}
			s.Config.Script = append(s.Config.Script, sim.Scheduled{At: at})
			s.Steps = append(s.Steps, Step{At: at, Say: say})
			continue
		}
		sv, ok := o.require("set", setWant)
		if !ok {
			return
		}
		fs, ok := d.fields(sv, 0)
		if !ok {
			d.want(sv, setWant, kind(sv))
			return
		}
		if len(fs) == 0 {
			d.errorf(sv.at, sv.path, "needs at least one PATH: VALUE")
		}
		var step []*scriptSet
		shown := Step{At: at, Say: say}
		for _, f := range fs {
			shown.Sets = append(shown.Sets, f.key+"="+valueText(f.v))
			shown.Lines = append(shown.Lines, f.keyAt.line)
			paths, err := scriptPaths(f.key, names)
			if fe := (*sim.FieldError)(nil); errors.As(err, &fe) && fe.Field == f.key {
				// A path that cannot change: the field is named once.
				d.errorf(f.keyAt, f.key, "%v", notLiveErr(fe.Err))
				continue
			} else if err != nil {
				// Named by the set's path, as its value's errors are.
				d.errorf(f.keyAt, f.key, "%v", err)
				continue
			}
			for _, sp := range paths {
				p := sp.path
				ss := &scriptSet{yamlPath: f.key, named: sp.named, path: p, node: f.v, keyAt: f.keyAt}
				cum = slices.DeleteFunc(cum, func(o *scriptSet) bool { return under(o.path, p) })
				cum = append(cum, ss)
				step = append(step, ss)
			}
		}
		if len(d.errs) > 0 {
			return
		}
		next, ok := d.scriptStep(data, cum, names)
		if !ok {
			return
		}
		// The horizon is planned once, for the whole run (with the
		// script's rate changes, planHorizon): a step's rate does not
		// plan it again.
		next.Config.Horizon = prev.Horizon
		changes, err := sim.Diff(prev, next.Config)
		if d.older {
			changes, err = sim.DiffOlder(prev, next.Config, d.capZero)
		}
		if err != nil {
			d.notLive(err, step, cum, sv)
			return
		}
		// Every step is kept, even one that changes nothing, so that
		// sim's script[i] is the file's.
		s.Config.Script = append(s.Config.Script, sim.Scheduled{At: at, Changes: changes})
		s.Steps = append(s.Steps, shown)
		prev = next.Config
	}
}

// say reads a step's caption: a string of one line, at most MaxSay
// characters, without control characters; it is trimmed.
func (d *decoder) say(v value) string {
	text, ok := d.text(v, "a string")
	if !ok {
		return ""
	}
	text = strings.TrimSpace(text)
	// Counted in terminal cells: 78 characters of 中文 take 156.
	switch n, w := utf8.RuneCountInString(text), format.Width(text); {
	case n == 0:
		d.errorf(v.at, v.path, "is empty; leave say out for a step without a caption")
	case n > MaxSay:
		d.errorf(v.at, v.path, "is %d characters; a caption has at most %d (it must fit an 80-column line; split it over two steps)", n, MaxSay)
	case w > MaxSay:
		d.errorf(v.at, v.path, "is %d columns wide (a wide character such as 中 takes two); a caption takes at most %d (it must fit an 80-column line; split it over two steps)", w, MaxSay)
	}
	for i, r := range text {
		if unicode.IsControl(r) || r == utf8.RuneError {
			what := fmt.Sprintf("the control character %U", r)
			switch r {
			case '\n':
				what = "a line break"
			case utf8.RuneError:
				what = "a byte that is not UTF-8"
			}
			d.errorf(v.at, v.path, "has %s at character %d: a caption is one line of text", what, utf8.RuneCountInString(text[:i])+1)
			return ""
		}
	}
	return text
}

// valueText is a set's value as the file writes it, on one line.
func valueText(v value) string {
	if v.n == nil {
		return ""
	}
	return strings.Join(strings.Fields(v.n.String()), " ")
}

// scriptStep decodes the file with sets applied; errors go to d, the
// sets' as blameScript writes them (names: the bidders').
func (d *decoder) scriptStep(data []byte, sets []*scriptSet, names []string) (*Scenario, bool) {
	sd := newDecoder(d.file)
	sd.noScript, sd.oldNames = true, d.oldNames
	sd.doc, sd.anchors = d.doc, d.anchors // parsed once, read again per step
	for _, s := range sets {
		c := *s
		c.used = false
		sd.sets = append(sd.sets, &c)
	}
	next := sd.parse(data)
	for i, s := range sd.sets {
		// Once per PATH: VALUE written, not once per bidder of a wildcard.
		said := slices.ContainsFunc(sd.sets[:i], func(o *scriptSet) bool { return !o.used && o.keyAt == s.keyAt && o.yamlPath == s.yamlPath })
		// Nor when the decoder has said why at the set's key (an unknown
		// field on its way, with its did-you-mean), as --set says it once.
		said = said || slices.ContainsFunc(sd.errs, func(e *Error) bool { return e.Line == s.keyAt.line && e.Column == s.keyAt.col })
		if !s.used && !said {
			sd.errorf(s.keyAt, s.yamlPath, "does not name a field of the scenario")
		}
	}
	d.errs = append(d.errs, blameScript(sd.errs, sets, names)...)
	return next, len(sd.errs) == 0 && next != nil
}

// blameScript writes the errors the script's sets caused as --set's are
// (blame): a bidder by its name, as the set writes it
// (bidders.metro.latency.median, not bidders[2]), and a wildcard's errors
// that say the same of several bidders at one place as one naming them;
// each stays at its place in the file. An error of a set is one in the
// set's value, or at its key (a mapping the set added, such as a strategy
// without its kind); the file's own errors are left as they are.
func blameScript(errs Errors, sets []*scriptSet, names []string) Errors {
	if len(errs) == 0 {
		return errs
	}
	// One override per PATH: VALUE written: a wildcard's sets, one a
	// bidder, share their key.
	var over []Set
	var of [][]*scriptSet
	for _, s := range sets {
		i := slices.IndexFunc(of, func(g []*scriptSet) bool { return g[0].keyAt == s.keyAt && g[0].yamlPath == s.yamlPath })
		if i < 0 {
			over = append(over, Set{Path: s.yamlPath, Value: valueText(s.node), Flag: scriptFlag})
			of = append(of, nil)
			i = len(of) - 1
		}
		of[i] = append(of[i], s)
	}
	find := func(e *Error) (int, string) {
		for i, g := range of {
			for _, s := range g {
				if under(e.Field, s.path) {
					return i, s.path
				}
			}
		}
		for i, g := range of {
			if g[0].keyAt != (position{line: e.Line, col: e.Column}) {
				continue
			}
			// At the key: the bidder's own set of a wildcard's.
			for _, s := range g {
				if bidder, _, ok := strings.Cut(s.path, "]"); ok && strings.HasPrefix(e.Field, bidder+"]") {
					return i, s.path
				}
			}
			return i, g[0].path
		}
		return -1, ""
	}
	out := make(Errors, 0, len(errs))
	for _, b := range merged(errs, over, names, find, false) {
		if b.set < 0 {
			out = append(out, b.at) // the file's own
			continue
		}
		e := *b.at
		e.Field, e.Msg = b.fieldText(names), b.text(over)
		out = append(out, &e)
	}
	return out
}

// notLive places sim.Diff's refusals at the set that caused each.
func (d *decoder) notLive(err error, step, cum []*scriptSet, sv value) {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	for _, e := range list {
		var fe *sim.FieldError
		if !errors.As(e, &fe) {
			d.errorf(sv.at, sv.path, "%v", e)
			continue
		}
		at := sv.at
		for _, s := range slices.Concat(step, cum) {
			if related(s.named, fe.Field) {
				at = s.keyAt
				break
			}
		}
		d.errorf(at, fe.Field, "%v", notLiveErr(fe.Err))
	}
}

// scriptPath is one field a script's set reaches: the decoder's path
// (bidders[i].FIELD) and the same with the bidder by name
// (bidders.NAME.FIELD).
type scriptPath struct{ path, named string }

// scriptPaths turns a set's path into the fields it reaches: bidders by
// name become bidders[i], and * every bidder, each resolved once (the
// named path was made again from the index, byName).
func scriptPaths(path string, names []string) ([]scriptPath, error) {
	// livePath's check, its bidders resolved once and kept.
	ref, err := parsePath(path, scriptRules)
	if err != nil {
		return nil, err
	}
	if !ref.underBidders() {
		return []scriptPath{{path, path}}, nil
	}
	idx, rest, err := ref.bidders(names)
	if err != nil {
		return nil, err
	}
	below := strings.Join(rest, ".")
	out := make([]scriptPath, len(idx))
	for j, i := range idx {
		out[j] = scriptPath{fmt.Sprintf("bidders[%d].%s", i, below), bidderField(names[i], below)}
	}
	return out, nil
}

// overlay applies the script's sets to the fields of the mapping at path:
// a set's value replaces the file's, or is added where the file leaves the
// key out; a set below a key the file leaves out adds it, as an empty
// mapping the set then fills in (as --set and a live change do).
func (d *decoder) overlay(path string, out []field) []field {
	for _, s := range d.sets {
		if s.used {
			continue
		}
		parent, key := splitPath(s.path)
		if parent == path {
			s.used = true
			cv, ok := d.resolve(s.node.n, s.path, s.keyAt)
			if !ok {
				continue
			}
			cv.str = s.node.str
			f := field{key: key, keyAt: s.keyAt, v: cv}
			if i := slices.IndexFunc(out, func(f field) bool { return f.key == key }); i >= 0 {
				out[i] = f
			} else {
				out = append(out, f)
			}
			continue
		}
		below := strings.TrimPrefix(s.path, path+".")
		if path == "" {
			below = s.path
		} else if below == s.path {
			continue
		}
		next := below[:strings.IndexAny(below+".", ".[")]
		if !slices.ContainsFunc(out, func(f field) bool { return f.key == next }) {
			// Not in the file: an empty mapping stands for it, which
			// the set fills in when the decoder reads it, as --set
			// adds the key with any mappings between.
			out = append(out, field{key: next, keyAt: s.keyAt, v: value{n: emptyMapping(), path: child(path, next), at: s.keyAt}})
		}
	}
	return out
}

// emptyMapping is a mapping with no keys, for a key a set adds.
func emptyMapping() ast.Node {
	n, _ := parseValue("{}")
	return n
}

// splitPath is a decoder path's parent and last key.
func splitPath(p string) (parent, key string) {
	i := strings.LastIndexByte(p, '.')
	if i < 0 {
		return "", p
	}
	return p[:i], p[i+1:]
}

// WithoutScript returns a copy of s that ignores its script (--no-script).
// Its YAML is the file's without the script, so that an export replays the
// run as it ran; when the text cannot be rewritten, the copy has no YAML
// (and an export of it no replay section) rather than a wrong one.
func (s *Scenario) WithoutScript() *Scenario {
	c := s.clone()
	c.Config.Script = nil
	c.Steps = nil
	c.Config.Horizon = c.planHorizon() // without the script's rate changes
	if s.YAML != nil {
		c.YAML = dropScript(s.YAML)
	}
	return c
}

// dropScript is a scenario's text without its top-level script key, or
// nil when that cannot be done faithfully.
func dropScript(data []byte) []byte {
	f, err := parseYAML(data, parser.ParseComments)
	if err != nil || len(f.Docs) != 1 || f.Docs[0] == nil {
		return nil
	}
	m, ok := f.Docs[0].Body.(*ast.MappingNode)
	if !ok {
		return nil
	}
	m.Values = slices.DeleteFunc(m.Values, func(mv *ast.MappingValueNode) bool {
		return keyIs(mv, "script")
	})
	return []byte(f.String())
}
