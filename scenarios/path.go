package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strings"
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
	fixed     []string // top-level keys it cannot set ("stop cannot change during a run")
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
}

// parsePath reads path under rules: its parts must not be empty, nor its
// first a fixed key; "bidders" alone only where the whole list may be set.
func parsePath(path string, rules pathRules) (pathRef, error) {
	segs := strings.Split(path, ".")
	if slices.Contains(segs, "") {
		return pathRef{}, fmt.Errorf("%q is not a path: empty part (want names joined by dots, such as %s)", path, rules.example)
	}
	if strings.HasPrefix(segs[0], "bidders[") {
		// A decoder's path, as errors write it: the key would be unknown,
		// and its error would name whichever bidder the index is.
		return pathRef{}, fmt.Errorf("%q is not a path: bidders are named by name, not by index (bidders.NAME.FIELD, or bidders.*.FIELD for every bidder)", path)
	}
	if slices.Contains(rules.fixed, segs[0]) {
		return pathRef{}, fmt.Errorf("%s cannot change during a run", segs[0])
	}
	p := pathRef{segs: segs, rules: rules}
	if len(segs) == 1 && segs[0] == "bidders" && !rules.wholeList {
		return pathRef{}, p.oneByOne()
	}
	return p, nil
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
			return nil, nil, noBidder(below[0], names)
		}
		idx = []int{best}
		rest = below[strings.Count(names[best], ".")+1:]
	}
	if len(rest) == 0 {
		return nil, nil, p.oneByOne()
	}
	return idx, rest, nil
}

// oneByOne refuses a path that names a bidder, or them all, as a whole.
func (p pathRef) oneByOne() error {
	return errors.New("set a bidder's fields one at a time" + p.rules.oneByOne)
}

// noBidder says no bidder has the name a path gives.
func noBidder(name string, names []string) error {
	return fmt.Errorf("no bidder named %q%s", name, didYouMean(name, names, "bidders"))
}
