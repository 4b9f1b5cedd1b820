package format

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestWrapPath: a change log's assignment too long for its panel breaks
// after a '.', '=' or ',' (never inside a name, at a decimal point or a
// '-'), keeps every character, and passes the width nowhere; only a part
// wider than the line is cut. ansi's wrapping cut "disabled=tru" / "e".
func TestWrapPath(t *testing.T) {
	cases := []struct {
		s     string
		width int
		want  []string
	}{
		{"B: bidders.acme-retarget.disabled=true", 30, []string{"B: bidders.acme-retarget.", "disabled=true"}},
		{"B: bidders.acme-retarget.disabled=true", 36, []string{"B: bidders.acme-retarget.disabled=", "true"}},
		{"exchange.floor=0.25", 17, []string{"exchange.floor=", "0.25"}},
		{"exchange.floor=0.25", 3, []string{"exc", "han", "ge.", "flo", "or=", "0.2", "5"}},
		{"script bidders.a.budget.total=10.50", 40, []string{"script bidders.a.budget.total=10.50"}},
		{"bidders.x.frequency_cap={impressions: 3, per: 24h}", 30, []string{"bidders.x.frequency_cap=", "{impressions: 3, per: 24h}"}},
	}
	for _, tc := range cases {
		got := strings.Split(WrapPath(tc.s, tc.width), "\n")
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q at %d: %q, want %q", tc.s, tc.width, got, tc.want)
		}
	}
	// At every width, no line passes it, no character is lost, and a
	// line ends inside a part only where the part is wider than the line.
	s := "B: bidders.acme-retarget.budget.total=120.50, bidders.acme-prospect.budget.total=80"
	for w := 1; w <= len(s)+1; w++ {
		lines := strings.Split(WrapPath(s, w), "\n")
		if strings.Join(strings.Fields(strings.Join(lines, "")), "") != strings.Join(strings.Fields(s), "") {
			t.Fatalf("width %d: characters changed: %q", w, lines)
		}
		for i, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Errorf("width %d: %q is wider", w, l)
			}
			if i+1 < len(lines) && w >= len("acme-retarget.") && !strings.ContainsAny(l[len(l)-1:], ".=,") && !strings.HasPrefix(s[strings.Index(s, l)+len(l):], " ") {
				t.Errorf("width %d: %q breaks inside a part: %q", w, l, lines)
			}
		}
	}
}
