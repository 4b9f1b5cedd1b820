package sim

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Near is Closest within a distance that grows with s: at most a third
// of its letters, and 2 for a short one, so that among hundreds of names
// a far one is not suggested ("events" for "foo").
func Near(s string, names []string) string {
	return Closest(s, names, max(2, utf8.RuneCountInString(s)/3))
}

// Closest is the name in names nearest to s by edit distance, ignoring
// case, when it is at most maxDist edits away; "" otherwise. It serves the
// "did you mean" of messages about a mistyped field, bidder or metric.
func Closest(s string, names []string, maxDist int) string {
	best, bestDist := "", math.MaxInt
	for _, n := range names {
		if d := editDistance(strings.ToLower(s), strings.ToLower(n)); d < bestDist {
			best, bestDist = n, d
		}
	}
	if bestDist <= maxDist {
		return best
	}
	return ""
}

// NoBidder refuses name, which none of the bidders names has: the one
// wording of every door that names a bidder (a path, play's --as,
// compare's --move, --endpoint), with the nearest name when one is near,
// else the names to choose from.
func NoBidder(name string, names []string) error {
	if best := Near(name, names); best != "" {
		return fmt.Errorf("no bidder named %q; did you mean %s?", name, best)
	}
	return fmt.Errorf("no bidder named %q (bidders: %s)", name, strings.Join(names, ", "))
}

// maxEditRunes bounds the strings editDistance compares: longer ones are
// never typos of a name, and the cost grows with the product of lengths.
const maxEditRunes = 256

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > maxEditRunes || len(rb) > maxEditRunes {
		return math.MaxInt
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
