package report

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestSideLineLongPath: a change naming a bidder of 60 cells keeps to
// the width, whole on a line of its own where the width has room for it,
// else broken between its path's parts; nothing is lost.
func TestSideLineLongPath(t *testing.T) {
	name := "acme-prospect-" + strings.Repeat("x", 46)
	long := "bidders." + name + ".budget.total=100"
	changes := []string{long, "bidders.acme-retarget.budget.total=300"}
	for _, width := range []int{0, 40, 60, 80, 100, 120} {
		got := sideLine("variant:  ", withUnits("budget-split", changes), width)
		limit := width
		if limit == 0 {
			limit = 80
		}
		var joined strings.Builder
		for _, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
			if w := ansi.StringWidth(l); w > limit {
				t.Errorf("width %d: line of %d cells: %q", width, w, l)
			}
			if strings.TrimSpace(l) == "" {
				t.Errorf("width %d: blank line in %q", width, got)
			}
			joined.WriteString(strings.TrimSpace(l))
		}
		want := strings.ReplaceAll("variant:budget-splitwith"+long+","+changes[1], " ", "")
		if strings.ReplaceAll(joined.String(), " ", "") != want {
			t.Errorf("width %d: text changed:\n%s", width, got)
		}
		// Where the width has room for the path whole, it is not cut.
		if width >= 10+len(long)+1 {
			if !strings.Contains(got, long+",") {
				t.Errorf("width %d: %s cut though the width has room for it:\n%s", width, long, got)
			}
		}
	}
}

// TestSideLineShortChanges: short changes pack after commas within 80
// columns, as they always have.
func TestSideLineShortChanges(t *testing.T) {
	got := sideLine("variant:  ", withUnits("budget-split", []string{
		"bidders.acme-retarget.budget.total=100", "bidders.acme-prospect.budget.total=300"}), 120)
	want := "variant:  budget-split with bidders.acme-retarget.budget.total=100,\n" +
		"          bidders.acme-prospect.budget.total=300\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
