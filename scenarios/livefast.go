package scenarios

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/auctionsim/auctionsim/sim"
)

// The quick route of Live.Set. The full route edits the whole text, parses
// it and diffs the whole configuration: about a millisecond and a half an
// assignment, which made a change log of 200,000 entries a matter of
// minutes. An assignment to one canonical field (exchange.tmax, a bidder's
// latency, …) sets only that field, so the quick route decodes its value
// alone, with the decoder the file's field has, sets it on the
// configuration, and checks the result with the rules Parse applies to
// the whole (sim's Validate and ValidateStop; the horizon stays the
// run's, as on the full route) and with sim.Diff. Anything it cannot take so, or that
// fails, goes the full route, which says why with --set's messages; so
// the quick route decides nothing on its own but what the full one would
// accept, to the same configuration (TestLiveQuickSameAsFull compares
// them on random sequences of assignments). The text is brought up to
// date when it is needed: by the full route, or YAML.

// Bounds under which a text with the pending assignments made is sure to
// stay within the file's limits, which Parse would otherwise enforce.
const (
	quickMaxSize    = maxFileSize * 3 / 4
	quickMaxNesting = maxNesting / 2
	quickValueDepth = 16 // brackets in a value the quick route takes
)

// assigned is an assignment the quick route made that the text does not
// hold yet; a list, newest first, that copies of a Live share safely (it
// is never changed, only extended).
type assigned struct {
	set  Set
	prev *assigned
}

// quickable reports whether the quick route may read assignments to
// text: no anchors, aliases or merge keys, through which an edit of one
// field would change others, and bidder names that the override finds as
// the parser reads them.
func quickable(text []byte, names []string) bool {
	f, err := parseYAML(text, parser.ParseComments)
	if err != nil {
		return false
	}
	shared := false
	for _, doc := range f.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		ast.Walk(visitor(func(n ast.Node) bool {
			switch t := n.(type) {
			case *ast.AnchorNode, *ast.AliasNode, *ast.MergeKeyNode:
				shared = true
			case *ast.MappingValueNode:
				if t.Key != nil && t.Key.IsMergeKey() {
					shared = true
				}
			}
			return !shared
		}), doc.Body)
	}
	if shared {
		return false
	}
	for _, n := range names {
		if n == "" || strings.ContainsFunc(n, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
		}) {
			return false
		}
	}
	return true
}

// visitor walks an AST while its func returns true.
type visitor func(ast.Node) bool

func (v visitor) Visit(n ast.Node) ast.Visitor {
	if n == nil || !v(n) {
		return nil
	}
	return v
}

// measure bounds the text's size and nesting, as Parse counts them, for
// the assignments the quick route adds to it.
func (l *Live) measure() {
	l.line, l.nesting, l.deepest, l.grown = 0, 0, 0, nil
	depth := 0
	for _, line := range bytes.Split(l.text, []byte("\n")) {
		l.line = max(l.line, len(line))
		for _, c := range line {
			switch c {
			case '[', '{':
				depth++
				l.nesting = max(l.nesting, depth)
			case ']', '}':
				depth = max(depth-1, 0)
			}
		}
	}
}

// growth is the most the assignments pending to a path may add to the
// text: the key, with the keys above it, the value and an indentation.
type growth struct {
	path string
	n    int
}

// bound bounds the text's size, with sets made after the pending
// assignments, and the nesting of the values of both; grown is l.grown
// with sets, a copy if they add to it.
func (l *Live) bound(sets []Set) (grown []growth, size, deepest int) {
	grown, deepest = l.grown, l.deepest
	copied := false
	for _, set := range sets {
		n := len(set.Path) + len(set.Value) + l.line + 64
		deepest = max(deepest, strings.Count(set.Value, "{")+strings.Count(set.Value, "["))
		j := slices.IndexFunc(grown, func(g growth) bool { return g.path == set.Path })
		if j >= 0 && grown[j].n >= n {
			continue
		}
		if !copied {
			grown, copied = slices.Clone(grown), true
		}
		if j >= 0 {
			grown[j].n = n
		} else {
			grown = append(grown, growth{set.Path, n})
		}
	}
	size = len(l.text)
	for _, g := range grown {
		size += g.n
	}
	return grown, size, deepest
}

// flush writes the pending assignments into the text.
func (l *Live) flush() error {
	if l.pending == nil {
		return nil
	}
	text, _, err := Apply(l.text, l.pending.reduced())
	if err != nil {
		return err
	}
	l.text, l.pending = text, nil
	l.measure()
	return nil
}

// reduced is the pending assignments, oldest first, without those a later
// one overwrites: one to the same path, or to a path that holds it.
func (a *assigned) reduced() []Set {
	seen := map[string]bool{}
	var out []Set
	for ; a != nil; a = a.prev {
		p := a.set.Path
		covered := seen[p]
		for i := range len(p) {
			if p[i] == '.' && seen[p[:i]] {
				covered = true
			}
		}
		if !covered {
			seen[p] = true
			out = append(out, a.set)
		}
	}
	slices.Reverse(out)
	return out
}

// quickSet makes sets by the quick route; ok is false when it cannot, and
// l then follows the same assignments as before (its text may have been
// brought up to date).
func (l *Live) quickSet(sets []Set) (changes []sim.Change, ok bool) {
	if !l.quick || l.full {
		return nil, false
	}
	grown, size, deepest := l.bound(sets)
	if size > quickMaxSize && l.pending != nil {
		if l.flush() != nil {
			return nil, false
		}
		grown, size, deepest = l.bound(sets)
	}
	if size > quickMaxSize || l.nesting+deepest+4 > quickMaxNesting {
		return nil, false
	}
	cand := l.cfg
	cloned := false
	var bidders []int // assigned to, in the order of the list
	leaves := make([]string, 0, len(sets))
	for _, set := range sets {
		i, field, ok := l.quickLeaf(set.Path)
		if !ok {
			return nil, false
		}
		n, ok := quickValue(set.Value)
		if !ok {
			return nil, false
		}
		var b *sim.BidderConfig
		path := set.Path
		if i >= 0 {
			if !slices.Contains(bidders, i) {
				bidders = append(bidders, i)
			}
			if !cloned {
				cand.Bidders, cloned = slices.Clone(cand.Bidders), true
			}
			b = &cand.Bidders[i]
			path = "bidders[" + strconv.Itoa(i) + "]." + field
		}
		if !decodeLeaf(l.file, path, field, n, &cand, b) {
			return nil, false
		}
		leaves = append(leaves, set.Path)
	}
	slices.Sort(bidders)
	// What Parse checks across the fields. The horizon stays the run's,
	// as the full route keeps it (Set).
	if cand.Validate() != nil || cand.ValidateStop(l.stop) != nil {
		return nil, false
	}
	// sim.Diff of the fields that may differ: the exchange's, the
	// traffic's and the bidders assigned to.
	changes, err := sim.Diff(touched(l.cfg, bidders), touched(cand, bidders))
	if err != nil {
		return nil, false
	}
	for _, p := range leaves {
		c, ok := changeAt(p, cand)
		if ok && !slices.ContainsFunc(changes, func(d sim.Change) bool { return sameField(c, d) }) {
			changes = append(changes, c)
		}
	}
	l.cfg = cand
	for _, set := range sets {
		l.pending = &assigned{set: set, prev: l.pending}
	}
	l.grown, l.deepest = grown, deepest
	return changes, true
}

// touched is the part of cfg an assignment to a canonical field may
// change: the exchange, the traffic and the bidders at indexes bidders.
func touched(cfg sim.Config, bidders []int) sim.Config {
	out := sim.Config{Exchange: cfg.Exchange, Traffic: cfg.Traffic, Bidders: make([]sim.BidderConfig, len(bidders))}
	for j, i := range bidders {
		out.Bidders[j] = cfg.Bidders[i]
	}
	return out
}

// quickLeaf resolves a path the quick route takes: a canonical field,
// bidders by name (a bidder's index i, else -1), and the field's name
// (its path below the bidder).
func (l *Live) quickLeaf(path string) (i int, field string, ok bool) {
	ref, err := parsePath(path, scriptRules)
	if err != nil {
		return 0, "", false
	}
	if !ref.underBidders() {
		return -1, path, slices.Contains(exchangeLeaves, path)
	}
	idx, rest, err := ref.bidders(l.names)
	if err != nil || len(idx) != 1 {
		return 0, "", false
	}
	field = strings.Join(rest, ".")
	// The quick route sets every live bidder field, as it does every
	// live exchange field.
	if !slices.Contains(bidderLeaves, field) || path != bidderField(l.names[idx[0]], field) {
		return 0, "", false
	}
	return idx[0], field, true
}

// quickValue parses an assignment's value as the override does, if it is
// plainly one value: a scalar of letters, digits and . _ + - (and µ, of
// durations), or a flow mapping of those, spaces, commas and colons,
// without quotes, anchors, aliases, tags or comments, which would read
// differently alone and in the file.
func quickValue(text string) (ast.Node, bool) {
	flow := strings.HasPrefix(text, "{") && strings.HasSuffix(text, "}")
	if text == "" || strings.Count(text, "{")+strings.Count(text, "[") > quickValueDepth {
		return nil, false
	}
	for _, r := range text {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
		case r == '.' || r == '_' || r == '+' || r == '-' || r == 'µ' || r == 'μ':
		case flow && (r == ' ' || r == ',' || r == ':' || r == '{' || r == '}' || r == '[' || r == ']'):
		default:
			return nil, false
		}
	}
	n, err := parseValue(text)
	if err != nil {
		return nil, false
	}
	return n, true
}

// decodeLeaf decodes the value n of the canonical field (field: below the
// bidder b, or the exchange's or traffic's path) into cfg, as Parse reads
// that field; false on any error, or a null where the field is required.
func decodeLeaf(file, path, field string, n ast.Node, cfg *sim.Config, b *sim.BidderConfig) bool {
	d := newDecoder(file)
	v, ok := d.resolve(n, path, nodePos(n))
	if !ok {
		return false
	}
	if isNull(v) {
		// Only the budget and the frequency cap are both optional and
		// a field of their own (bidders.NAME.budget=null: no budget).
		switch {
		case b != nil && field == "budget":
			b.Budget = nil
		case b != nil && field == "frequency_cap":
			b.FrequencyCap = nil
		default:
			return false
		}
		return true
	}
	x := &cfg.Exchange
	switch field {
	case "exchange.auction":
		choice(d, v, "second-price, first-price, gsp or vcg", "an auction type", sim.ParseAuctionType, &x.Auction)
	case "exchange.tmax":
		x.Tmax, _ = d.duration(v)
	case "exchange.floor":
		x.Floor, _ = d.price(v, wantCPM)
	case "exchange.increment":
		x.Increment, _ = d.price(v, wantCPM)
	case "traffic.qps":
		cfg.Traffic.QPS, _ = d.number(v, "ad requests per second, a number")
	case "exchange.abandonment":
		x.Abandonment = d.abandonment(v)
	case "latency":
		b.Latency = d.dist(v, durations, 0)
	case "strategy":
		b.Strategy = d.strategy(v)
	case "budget":
		b.Budget = d.budget(v)
	case "budget.total":
		total, _ := d.money(v, "an amount of currency ≥ 0")
		nb := sim.Budget{Total: total}
		if b.Budget != nil {
			nb = *b.Budget // the pacing and the daily budget stay
			nb.Total = total
		}
		if nb.Daily > 0 && total == 0 {
			// Refused as the file refuses it, by the full route, which
			// says why.
			return false
		}
		b.Budget = &nb
	case "budget.pacing":
		if b.Budget == nil {
			return false // a budget of a pacing alone has no total
		}
		nb := *b.Budget
		if !choice(d, v, "none, throttle or multiplier", "a pacing", sim.ParsePacingKind, &nb.Pacing) {
			return false
		}
		b.Budget = &nb
	case "budget.daily":
		if b.Budget == nil {
			return false
		}
		nb := *b.Budget
		nb.Daily, _ = d.money(v, "an amount of currency ≥ 0")
		b.Budget = &nb
	case "disabled":
		b.Disabled, _ = d.boolean(v)
	case "frequency_cap":
		b.FrequencyCap = d.frequencyCap(v)
	default:
		return false
	}
	return len(d.errs) == 0 && len(d.ranges) == 0
}
