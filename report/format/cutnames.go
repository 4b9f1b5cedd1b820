package format

import (
	"strconv"

	"github.com/charmbracelet/x/ansi"
)

// CutNames is, for the names wider than limit cells, their forms cut to
// limit ending in "…" (short, by whole name) and the pairs cut and whole
// in the names' order, for a table to show and list below it. Two names
// that would cut alike end in their place among the cut (…1, …2)
// instead, so that no two rows read the same.
func CutNames(names []string, limit int) (short map[string]string, cut [][2]string) {
	short = map[string]string{}
	for _, n := range names {
		if _, done := short[n]; done || Width(n) <= limit {
			continue
		}
		short[n] = ansi.Truncate(n, limit, "…")
		cut = append(cut, [2]string{short[n], n})
	}
	seen := map[string]int{}
	for _, c := range cut {
		seen[c[0]]++
	}
	for i, c := range cut {
		if seen[c[0]] > 1 {
			k := strconv.Itoa(i + 1)
			c[0] = ansi.Truncate(c[1], limit-len(k), "…") + k
			cut[i], short[c[1]] = c, c[0]
		}
	}
	return short, cut
}
