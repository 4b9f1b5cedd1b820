package report

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The theory line of run --reps and merge counts "theory", written before
// it, in its width: every line at most 72 cells, so that "increment 0"
// no longer ends the first line but for a lone "0" on the next.
func TestWrapWordsCountsWhatIsWritten(t *testing.T) {
	const s = ": second price, 2 truthful bidders, values U[0, 1], floor 0.5, increment 0"
	got := "theory" + wrapWords(s, 72, "  ", len("theory"))
	for _, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if n := utf8.RuneCountInString(l); n > 72 {
			t.Errorf("%q: %d cells, more than 72", l, n)
		}
		if strings.TrimSpace(l) == "0" {
			t.Errorf("a lone %q:\n%s", l, got)
		}
	}
	if want := "theory: second price, 2 truthful bidders, values U[0, 1], floor 0.5,\n  increment 0\n"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
