package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"

	"github.com/auctionsim/auctionsim/sim"
)

// tableNames are the names the bidders table shows in its name column:
// the bidders' and the groups', each of which shortName keeps apart from
// the others.
func tableNames(s *sim.Snapshot) []string {
	names := make([]string, 0, len(s.Bidders)+len(s.Groups))
	for _, b := range s.Bidders {
		names = append(names, b.Name)
	}
	for _, g := range s.Groups {
		names = append(names, g.Name)
	}
	return names
}

// shortName is name in at most w cells, told apart from others: whole
// where it fits; else cut at the end ("acme-retarg…") when what tells it
// from the others is before the cut; else cut in the middle so that the
// part that differs shows ("acme-r…europe", "acme-r…merica"), as names of
// one advertiser's campaigns often share a long prefix. It cuts between
// grapheme clusters, never inside one (a decomposed é, e and its accent,
// stays whole: no accent orphaned after the "…"), and measures by display
// width.
func shortName(name string, others []string, w int) string {
	if ansi.StringWidth(name) <= w {
		return name
	}
	if w < 3 {
		return ansi.Truncate(name, w, "…")
	}
	g := graphemes(name)
	// d: the first cluster that tells name from the other most like it.
	d := 0
	for _, o := range others {
		if o != name {
			d = max(d, commonPrefix(g, graphemes(o)))
		}
	}
	if d < len(g) && cells(g[:d+1]) <= w-1 {
		return strings.Join(firstCells(g, w-1), "") + "…"
	}
	if rest := cells(g[d:]); rest <= w-2 {
		// The tail from the difference on, and at least half the cells,
		// after as much of the head as is left.
		tail := lastCells(g, max(rest, (w-1)/2))
		return strings.Join(firstCells(g, w-1-cells(tail)), "") + "…" + strings.Join(tail, "")
	}
	// The difference is far from both ends: a little of the head, then
	// the clusters from the difference on, cut.
	head := firstCells(g, max((w-2)/3, 1))
	return strings.Join(head, "") + "…" + strings.Join(firstCells(g[d:], w-2-cells(head)), "") + "…"
}

// graphemes are s's grapheme clusters: what a reader takes for one
// character, a letter with its combining accents, an emoji sequence.
func graphemes(s string) []string {
	var out []string
	for gr := uniseg.NewGraphemes(s); gr.Next(); {
		out = append(out, gr.Str())
	}
	return out
}

// commonPrefix is how many clusters a and b begin with alike.
func commonPrefix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// cells is the width of g on the screen.
func cells(g []string) int { return ansi.StringWidth(strings.Join(g, "")) }

// firstCells is the longest head of g at most w cells wide.
func firstCells(g []string, w int) []string {
	n := 0
	for n < len(g) && cells(g[:n+1]) <= w {
		n++
	}
	return g[:n]
}

// lastCells is the longest tail of g at most w cells wide.
func lastCells(g []string, w int) []string {
	n := len(g)
	for n > 0 && cells(g[n-1:]) <= w {
		n--
	}
	return g[n:]
}
