package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
)

// A path names a part of the scenario by the file's own keys, for --set
// (--change, --vary) and for a script's set alike:
//
//	exchange.tmax            a field
//	bidders.NAME.FIELD       a field of the bidder named NAME
//	bidders.*.FIELD          that field of every bidder
//
// A bidder's NAME may hold dots: the longest bidder name the path starts
// with is the one it names. parsePath reads a path and pathRef.bidders
// resolves its bidder against the bidders' names; --set then edits the
// YAML text and a script the decoder's view, each at the place resolved.

// pathRules are what one kind of path may set, and how its messages say
// it.
type pathRules struct {
	example   string   // a path, for the empty-part message: "exchange.floor"
	fixed     []string // top-level keys it cannot set ("stop.duration: cannot change during a run")
	wholeList bool     // "bidders" alone sets the whole list
	oneByOne  string   // after "set a bidder's fields one at a time": how to write it
}

var (
	// setRules are --set's: any key, the bidders as one list too.
	setRules = pathRules{
		example:   "exchange.floor",
		wholeList: true,
		oneByOne:  " (bidders.NAME.FIELD=VALUE), or the whole list (bidders=[...])",
	}
	// scriptRules are a script's: not the keys that are not part of the
	// running world, and not the set of bidders.
	scriptRules = pathRules{
		example:  "exchange.tmax",
		fixed:    []string{"name", "description", "stop", "script"},
		oneByOne: ": bidders.NAME.FIELD, or bidders.*.FIELD for every bidder",
	}
)

// pathRef is a parsed path.
type pathRef struct {
	segs  []string // "bidders", "metro", "latency", "median"
	rules pathRules
	text  string // the path as given, for messages
}

// unnumbered refuses segs if one numbers a list's item (exchange.slots[0]).
func (p pathRef) unnumbered(segs []string) error {
	if slices.ContainsFunc(segs, func(seg string) bool { return strings.ContainsAny(seg, "[]") }) {
		return fmt.Errorf("%q is not a path: a path does not number a list's items (set a list whole, a bidder by name: bidders.NAME.FIELD)", p.text)
	}
	return nil
}

// parsePath reads path under rules: its parts must not be empty, nor its
// first a fixed key; "bidders" alone only where the whole list may be set.
func parsePath(path string, rules pathRules) (pathRef, error) {
	segs := strings.Split(path, ".")
	if slices.Contains(segs, "") {
		return pathRef{}, fmt.Errorf("%q is not a path: empty part (want names joined by dots, such as %s)", path, rules.example)
	}
	if n, ok := strings.CutPrefix(segs[0], "bidders["); ok && strings.HasSuffix(n, "]") {
		// bidders[2], as a file's errors place a field: a path names the
		// bidder instead, which pathRef.bidders says with its name.
		segs = append([]string{"bidders", "[" + n}, segs[1:]...)
	}
	p := pathRef{segs: segs, rules: rules, text: path}
	if segs[0] != "bidders" {
		// Below the bidders, a name may hold [ and ] (bidders.x[1].FIELD):
		// pathRef.bidders checks what follows the name it resolves.
		if err := p.unnumbered(segs); err != nil {
			return pathRef{}, err
		}
	}
	if slices.Contains(rules.fixed, segs[0]) {
		// The field is the path as given (stop.duration), named once: a
		// caller that names it already takes the FieldError's Err.
		return pathRef{}, notLiveErr(&sim.FieldError{Field: path, Err: sim.ErrNotLive})
	}
	if len(segs) == 1 && segs[0] == "bidders" && !rules.wholeList {
		return pathRef{}, p.oneByOne()
	}
	return p, nil
}

// livePath reads the path of a live change (a script's set, the
// dashboard's, a replayed one) and resolves its bidder against names: the
// one check of every door that changes a running world, so that each
// refuses a path with the same words (scriptPaths makes it too, keeping
// the bidders it resolves).
func livePath(path string, names []string) (pathRef, error) {
	ref, err := parsePath(path, scriptRules)
	if err != nil {
		return pathRef{}, err
	}
	if ref.underBidders() {
		if _, _, err := ref.bidders(names); err != nil {
			return pathRef{}, err
		}
	}
	return ref, nil
}

// underBidders reports whether the path names something below the bidders
// list, which pathRef.bidders resolves.
func (p pathRef) underBidders() bool {
	return p.segs[0] == "bidders" && len(p.segs) > 1
}

// bidders resolves a path below the bidders list against the bidders'
// names, in the list's order (an unnamed bidder is ""): the indexes of the
// bidders it names (every one for *) and the path below each.
func (p pathRef) bidders(names []string) (idx []int, rest []string, err error) {
	below := p.segs[1:]
	if below[0] == "*" {
		idx = make([]int, len(names))
		for i := range names {
			idx[i] = i
		}
		rest = below[1:]
	} else {
		joined := strings.Join(below, ".")
		best := -1
		for i, n := range names {
			if n != "" && (joined == n || strings.HasPrefix(joined, n+".")) && (best < 0 || len(n) > len(names[best])) {
				best = i
			}
		}
		if best < 0 {
			// bidders[2]: a place in the list, unless a bidder's name
			// is so written.
			if n, ok := strings.CutPrefix(below[0], "["); ok {
				return nil, nil, numbered(strings.TrimSuffix(n, "]"), below[1:], names)
			}
			return nil, nil, noBidder(below[0], names)
		}
		idx = []int{best}
		rest = below[strings.Count(names[best], ".")+1:]
	}
	if len(rest) == 0 {
		return nil, nil, p.oneByOne()
	}
	if err := p.unnumbered(rest); err != nil {
		return nil, nil, err
	}
	return idx, rest, nil
}

// oneByOne refuses a path that names a bidder, or them all, as a whole.
func (p pathRef) oneByOne() error {
	return errors.New("set a bidder's fields one at a time" + p.rules.oneByOne)
}

// numbered refuses a bidder given by its place in the list (bidders[2],
// as a file's errors place a field) and gives the path by its name.
func numbered(index string, rest []string, names []string) error {
	i, err := strconv.Atoi(index)
	if err != nil || i < 0 || i >= len(names) || names[i] == "" {
		return fmt.Errorf("bidders[%s]: a path names a bidder, not its place in the list: bidders.NAME.FIELD (bidders: %s)", index, strings.Join(names, ", "))
	}
	if len(rest) == 0 {
		rest = []string{"FIELD"} // a bidder whole is not set by a path either
	}
	return fmt.Errorf("bidders[%d]: a path names a bidder, not its place in the list: %s", i, strings.Join(append([]string{"bidders", names[i]}, rest...), "."))
}

// noBidder says no bidder has the name a path gives.
func noBidder(name string, names []string) error {
	return sim.NoBidder(name, names)
}
