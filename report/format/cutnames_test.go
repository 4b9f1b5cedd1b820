package format

import (
	"slices"
	"testing"
)

// TestCutNames: names past the limit are cut by cells, wide ones too;
// two that would cut alike are told apart; the rest stay whole, and a
// name given twice is cut once.
func TestCutNames(t *testing.T) {
	names := []string{"ada", "acme-retarget-spring", "acme-retarget-summer", "中文中文中文中文", "acme-retarget-spring", "exactly-10"}
	short, cut := CutNames(names, 10)
	want := [][2]string{
		{"acme-retar…1", "acme-retarget-spring"},
		{"acme-retar…2", "acme-retarget-summer"},
		{"中文中文…", "中文中文中文中文"},
	}
	// The told-apart forms keep the limit: the digit takes a cell of it.
	want[0][0], want[1][0] = "acme-ret…1", "acme-ret…2"
	if !slices.Equal(cut, want) {
		t.Errorf("cut %q, want %q", cut, want)
	}
	for _, c := range cut {
		if Width(c[0]) > 10 {
			t.Errorf("%q is %d cells, over the limit", c[0], Width(c[0]))
		}
		if short[c[1]] != c[0] {
			t.Errorf("short[%q] = %q, want %q", c[1], short[c[1]], c[0])
		}
	}
	for _, n := range []string{"ada", "exactly-10"} {
		if _, ok := short[n]; ok {
			t.Errorf("%q (within the limit) was cut", n)
		}
	}
}
