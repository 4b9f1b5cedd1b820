package tui

import (
	"github.com/charmbracelet/x/ansi"

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
// one advertiser's campaigns often share a long prefix.
func shortName(name string, others []string, w int) string {
	if ansi.StringWidth(name) <= w {
		return name
	}
	if w < 3 {
		return ansi.Truncate(name, w, "…")
	}
	r := []rune(name)
	// d: the first rune that tells name from the other most like it.
	d := 0
	for _, o := range others {
		if o != name {
			d = max(d, commonPrefix(r, []rune(o)))
		}
	}
	if d < len(r) && cells(r[:d+1]) <= w-1 {
		return ansi.Truncate(name, w, "…")
	}
	if rest := cells(r[d:]); rest <= w-2 {
		// The tail from the difference on, and at least half the cells,
		// after as much of the head as is left.
		tail := lastCells(r, max(rest, (w-1)/2))
		return string(firstCells(r, w-1-cells(tail))) + "…" + string(tail)
	}
	// The difference is far from both ends: a little of the head, then
	// the runes from the difference on, cut.
	head := firstCells(r, max((w-2)/3, 1))
	return string(head) + "…" + string(firstCells(r[d:], w-2-cells(head))) + "…"
}

// commonPrefix is how many runes a and b begin with alike.
func commonPrefix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// cells is the width of r on the screen.
func cells(r []rune) int { return ansi.StringWidth(string(r)) }

// firstCells is the longest head of r at most w cells wide.
func firstCells(r []rune, w int) []rune {
	n := 0
	for n < len(r) && cells(r[:n+1]) <= w {
		n++
	}
	return r[:n]
}

// lastCells is the longest tail of r at most w cells wide.
func lastCells(r []rune, w int) []rune {
	n := len(r)
	for n > 0 && cells(r[n-1:]) <= w {
		n--
	}
	return r[n:]
}
