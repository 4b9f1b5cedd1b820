package tui

import (
	"strings"
	"testing"
)

// markedRows are the names on v's rows that start with ▸.
func markedRows(v string) []string {
	var names []string
	for _, l := range strings.Split(v, "\n") {
		if rest, ok := strings.CutPrefix(l, "▸ "); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				names = append(names, f[0])
			}
		}
	}
	return names
}

// TestSelectionMarkOneMeaning: ▸ is the selected bidder in the table, the
// inspector and the timeline alike; it marked the auction's payers in the
// inspector and its winner in the timeline, so a student read the winner
// as the bidder the lines above it study. Who pays is the pays column's,
// who won the timeline's status ("wins: ").
func TestSelectionMarkOneMeaning(t *testing.T) {
	m, _, _ := testModel(t, 80, 24)
	press(m, "enter")
	insp := m.ctx.top().(*inspector)
	rec := insp.recs[insp.idx]
	if rec.Winner < 0 {
		t.Fatal("the test auction has no winner")
	}
	names := m.ctx.Snap().Bidders
	// A selection other than the winner: the two marks would differ.
	for m.ctx.Selected == rec.Winner || m.ctx.Selected < 0 {
		press(m, "j")
	}
	sel := names[m.ctx.Selected].Name
	v := m.View()
	if got := markedRows(v); len(got) != 1 || got[0] != sel {
		t.Errorf("inspector: ▸ on %v, want the selected %s alone:\n%s", got, sel, v)
	}
	press(m, "v")
	tl := m.ctx.top().(*timeline)
	tl.play = tl.cur.Close - tl.cur.Start + 1 // past the close: the result shows
	v = m.View()
	if got := markedRows(v); len(got) != 1 || got[0] != sel {
		t.Errorf("timeline: ▸ on %v, want the selected %s alone:\n%s", got, sel, v)
	}
	win := names[tl.cur.Winner].Name
	if row := rowOf(v, win); !strings.Contains(row, "wins: ") || tl.cur.Abandoned {
		t.Errorf("timeline: the winner %s's row %q does not say it won", win, row)
	}
	if strings.Count(v, "wins: ") != 1 {
		t.Errorf("timeline: \"wins: \" on other rows than the winner's:\n%s", v)
	}
}
