package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// rowsHeadRE is a table's heading that says which rows show: the label,
// then at least one space before the next heading.
var rowsHeadRE = regexp.MustCompile(`^\s*\d+–\d+( of |/)\d+ +\S`)

// TestRowsLabelLeavesASpace: where a table shows some of its rows, the
// heading's label fills the name column; with names of four letters
// (sponsored-search at 80×24) it ran into the next heading, "1–2 of
// 4status". The label leaves a space, shorter ("1–2/4") where it must.
func TestRowsLabelLeavesASpace(t *testing.T) {
	sc := bundled(t, "sponsored-search")
	// ada shading: no closed form, whose reason takes the room of a row,
	// as in the scenario's own "Try:".
	sc.Config.Bidders[0].Strategy = sim.Strategy{Kind: sim.Shade, Factor: 0.7}
	eng := engineAt(t, sc, 2*sim.Second)
	m, _ := modelOn(t, sc, eng, 80, 24)
	press(m, "enter")
	v := m.View()
	checkScreen(t, v, 80, 24)
	_, head := inspectorRows(v)
	if !strings.Contains(head, "–") {
		t.Fatalf("the inspector shows every row at 80×24; the test needs some cut:\n%s", v)
	}
	if !rowsHeadRE.MatchString(head) {
		t.Errorf("the inspector's heading: %q", head)
	}
	for w, want := range map[int]string{10: "1–2 of 4  ", 9: "1–2 of 4 ", 8: "1–2/4   ", 6: "1–2/4 "} {
		if got := rowsLabel(0, 2, 4, w); got != want {
			t.Errorf("rowsLabel in %d cells = %q, want %q", w, got, want)
		}
	}
}
