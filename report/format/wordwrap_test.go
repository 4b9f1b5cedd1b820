package format

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestWordwrap: at 80 columns the inspector's pointer to the JSON stays
// whole, "run --json's theory.formula" never "run --" over "json's", nor
// a compound ("second-price") or a minus ("-0.590") split; styling is
// kept, no line passes the width, and a word wider than the line is
// broken where it must be. ansi.Wordwrap broke after each of those
// hyphens.
func TestWordwrap(t *testing.T) {
	style := func(s string) string { return "\x1b[1m" + s + "\x1b[0m" }
	texts := []string{
		style("Theory: ") + "first price, 4 bidders bidding the equilibrium β(v) = v − ∫ᵣᵛ F(x)ⁿ⁻¹dx / F(v)ⁿ⁻¹, values U[0, 1], floor 0 (the formula: run --json's theory.formula, or a taller terminal). " + style("Expected: ") + "mean clearing price 0.600.",
		"No closed form: b0's values are uniform(0, 1) and the second-price world (the whole reason: run --json's theory.why, or a taller terminal).",
		"ada keeps -0.590 CPM a second-price auction after a truthful bid, " + "\x1b]8;;https://example.com/a-b-c\x07link-text\x1b]8;;\x07" + " and so on, with some words to go round the line end here.",
	}
	for _, s := range texts {
		// Every width from where the pointer sits near a line's end: the
		// break falls at each of its characters in turn.
		for w := 20; w <= 80; w++ {
			out := Wordwrap(s, w)
			plain := ansi.Strip(out)
			if got, want := strings.Join(strings.Fields(plain), " "), strings.Join(strings.Fields(ansi.Strip(s)), " "); got != want {
				t.Fatalf("width %d: the words changed:\n%q\nwant\n%q", w, got, want)
			}
			for _, line := range strings.Split(out, "\n") {
				if n := ansi.StringWidth(line); n > w {
					t.Errorf("width %d: line %q is %d cells", w, ansi.Strip(line), n)
				}
				l := strings.TrimRight(ansi.Strip(line), " ")
				if strings.HasSuffix(l, "-") {
					t.Errorf("width %d: a line breaks at a hyphen: %q", w, l)
				}
			}
			if strings.Count(out, "\x1b") != strings.Count(s, "\x1b") {
				t.Errorf("width %d: escapes lost or split: %q", w, out)
			}
			if strings.Contains(s, "https://example.com/a-b-c") && !strings.Contains(out, "https://example.com/a-b-c") {
				t.Errorf("width %d: the hyperlink's address changed: %q", w, out)
			}
		}
	}
	// A word wider than the line is broken, not left overflowing.
	for _, line := range strings.Split(Wordwrap("see --a-very-long-flag-name-indeed here", 10), "\n") {
		if ansi.StringWidth(line) > 10 {
			t.Errorf("a long word overflows: %q", line)
		}
	}
	if got := Wordwrap("run --json", 0); got != "run --json" {
		t.Errorf("width 0: %q", got)
	}
}
