package summary

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
)

// rowCells is, for each table row in out whose first cell is a key of
// names, the cells after the first of every such row, in order: a split
// table's rows of one bidder read as one.
func rowCells(out string, names map[string]string) map[string][]string {
	cells := map[string][]string{}
	for _, l := range lines(out) {
		if !strings.HasPrefix(l, "│") {
			continue
		}
		parts := strings.Split(strings.Trim(l, "│"), "│")
		full, ok := names[strings.TrimSpace(parts[0])]
		if !ok {
			continue
		}
		for _, p := range parts[1:] {
			cells[full] = append(cells[full], strings.TrimSpace(p))
		}
	}
	return cells
}

// Whole (piped) at 80 columns: every line fits, and the bidders' split
// tables hold every cell of the unlimited table, in order, where a
// terminal's table of 80 drops columns.
func TestWholeKeepsEveryColumn(t *testing.T) {
	snap := snapshot(t, "swift")
	run := Run{Scenario: "whole"}
	names := map[string]string{"swift": "swift", "plain": "plain", "poor": "poor", "off (off)": "off (off)"}
	unlimited := Render(snap, run, Options{})
	full := rowCells(unlimited[strings.Index(unlimited, "Bidders"):], names)
	out := Render(snap, run, Options{Width: 80, Whole: true})
	for i, l := range lines(out) {
		if w := format.Width(l); w > 80 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
	got := rowCells(out[strings.Index(out, "Bidders"):], names)
	if len(full) != 4 {
		t.Fatalf("unlimited table: %d bidders' rows, want 4", len(full))
	}
	for name, want := range full {
		if strings.Join(got[name], "|") != strings.Join(want, "|") {
			t.Errorf("%s: whole at 80 has cells %q, want those of the unlimited table %q\n%s", name, got[name], want, out)
		}
	}
	if n := strings.Count(out[strings.Index(out, "Bidders"):], "│ bidder "); n < 2 {
		t.Errorf("%d bidders tables at 80, want the table split in 2 or more:\n%s", n, out)
	}
	// The terminal's table at 80 keeps fewer: what Whole is for.
	term := rowCells(Render(snap, run, Options{Width: 80}), map[string]string{"swift": "swift"})
	if len(term["swift"]) >= len(full["swift"]) {
		t.Errorf("the terminal's table at 80 has %d cells, want fewer than %d (the test would test nothing)", len(term["swift"]), len(full["swift"]))
	}
}

// A name longer than a quarter of the width is cut to it in the tables
// and given whole below them; two that cut alike stay apart.
func TestWholeCutsLongNames(t *testing.T) {
	long := []string{"acme-retargeting-campaign-for-the-fourth-quarter", "acme-retargeting-campaign-for-the-third-quarter"}
	cfg := vickrey3()
	cfg.Bidders[0].Name, cfg.Bidders[1].Name = long[0], long[1]
	e := newEngine(t, cfg)
	e.RunUntil(2 * sim.Second)
	snap := e.Snapshot()
	out := Render(snap, Run{Scenario: "long"}, Options{Width: 100, Whole: true})
	bid := out[strings.Index(out, "Bidders"):]
	for i, l := range lines(bid) {
		if w := format.Width(l); w > 100 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
	cuts := map[string]string{}
	for _, l := range lines(bid) {
		f := strings.Fields(l)
		if len(f) == 2 && (f[1] == long[0] || f[1] == long[1]) {
			cuts[f[0]] = f[1]
		}
	}
	if len(cuts) != 2 {
		t.Fatalf("want both long names listed whole beside two distinct cut forms, got %q:\n%s", cuts, bid)
	}
	names := map[string]string{}
	for cut, full := range cuts {
		if w := format.Width(cut); w != nameLimit(100) || !strings.Contains(cut, "…") {
			t.Errorf("cut %q is %d cells, want %d, with an ellipsis", cut, w, nameLimit(100))
		}
		if !strings.HasPrefix(full, strings.TrimRight(strings.Split(cut, "…")[0], " ")) {
			t.Errorf("cut %q is not the start of %q", cut, full)
		}
		names[cut] = full
	}
	if got := rowCells(bid, names); len(got) != 2 {
		t.Errorf("rows of the cut names: %d bidders, want 2:\n%s", len(got), bid)
	}
	// Short names (and a table that fits) are left whole.
	if short := Render(snap, Run{Scenario: "long"}, Options{Width: 400, Whole: true}); strings.Contains(short, "…") {
		t.Errorf("at 400 columns a name was cut:\n%s", short)
	}
}

// Whole at 80 columns, flight-week's Days and People rows (about 95 and
// 110 cells) split into sections that each begin with the name, every
// label and figure kept, in order.
func TestWholeSplitsLabelledRows(t *testing.T) {
	rows := [][]string{
		{"acme-even", "40,215", "people, each saw", "2.77", "most to one person", "303", "capped", "–", "repeat conversions", "9"},
		{"globex-capped", "33,363", "people, each saw", "2.70", "most in 24h (cap 3)", "3", "capped", "62,476", "repeat conversions", "4"},
	}
	th := theme.NewWith(theme.FixedRenderer(termenv.Ascii), theme.Palette{})
	if whole := labelled(th, rows); format.Width(lines(whole)[0]) <= 80 {
		t.Fatalf("the rows fit 80 whole: the test would test nothing:\n%s", whole)
	}
	out := splitLabelled(th, rows, peopleUnits(), 80)
	got := map[string][]string{}
	for i, l := range lines(out) {
		if w := format.Width(l); w > 80 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
		// Cells are parted by two spaces or more; a label has single ones.
		var cells []string
		for _, c := range strings.Split(strings.TrimSpace(l), "  ") {
			if c = strings.TrimSpace(c); c != "" {
				cells = append(cells, c)
			}
		}
		got[cells[0]] = append(got[cells[0]], cells[1:]...)
	}
	if n := len(lines(out)); n != 2*len(rows) {
		t.Errorf("%d lines, want the rows in 2 sections:\n%s", n, out)
	}
	for _, r := range rows {
		if strings.Join(got[r[0]], "|") != strings.Join(r[1:], "|") {
			t.Errorf("%s: %q, want %q\n%s", r[0], got[r[0]], r[1:], out)
		}
	}
}
