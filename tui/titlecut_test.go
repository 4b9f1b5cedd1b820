package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// TestBiddersTitleCutWhole: at 80×24, where flight-week's bidders title
// has one line for the selected bidder's notes (its holdout, goal, days,
// people), a title too long is cut after its last whole note, or word,
// and says so with " …": never mid-figure, as it was ("· max…",
// "[-83.67, 38…", "its bids w…"). What it shows is the beginning of
// the notes in one of their forms (unspentNoteAt), the tightest naming
// the bidder by the "▸" of its row.
func TestBiddersTitleCutWhole(t *testing.T) {
	sc := bundled(t, "flight-week")
	at := 2*sim.Day + 15*sim.Hour
	eng := engineAt(t, sc, at-100*sim.Millisecond)
	first := eng.Snapshot()
	eng.RunUntil(at)
	m, _, _ := recordingModel(t, sc, 80, 24, frameOf(sc, first, t0, 0), frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0))
	cut := 0
	for range m.ctx.Snap().Bidders {
		name := m.ctx.Snap().Bidders[m.ctx.Selected].Name
		var forms []string
		for level := noteFull; level < noteForms; level++ {
			forms = append(forms, ansi.Strip(unspentNoteAt(m.ctx, level)))
		}
		var title string
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.HasPrefix(l, "Bidders") {
				title = strings.TrimRight(l, " ")
			}
		}
		if ansi.StringWidth(title) > 80 || !strings.Contains(title, name) && !strings.Contains(title, ") ▸ ") {
			t.Fatalf("%s: title %q", name, title)
		}
		// Narrower than the screen, where even the tightest forms are cut.
		narrow := strings.TrimRight(ansi.Strip(wrapTitle(biddersTitleIn(m.ctx, 48, "", 1), 48, 1)[0]), " ")
		for _, title := range []string{title, narrow} {
			if shown, ok := strings.CutSuffix(title, " …"); ok {
				cut++
				shown = " " + strings.TrimPrefix(strings.TrimPrefix(shown, "Bidders"), " ") // the notes begin with a space
				if i := strings.Index(shown, ") "); i >= 0 && strings.HasPrefix(shown, " (") {
					shown = " " + shown[i+2:] // past the rows shown
				}
				whole := false
				for _, full := range forms {
					rest, ok := strings.CutPrefix(full, shown)
					whole = whole || ok && strings.HasPrefix(rest, " ")
				}
				if !whole {
					t.Errorf("%s: the title shows %q, not the notes %q in a form cut after a whole note or word", name, shown, forms)
				}
			} else if strings.HasSuffix(title, "…") {
				t.Errorf("%s: the title is cut mid-word: %q", name, title)
			}
		}
		press(m, "j")
	}
	if cut < 2 {
		t.Errorf("only %d titles cut: the test proves little", cut)
	}
}

// TestBiddersTitleNotesWin: at 80×24, where flight-week's bidders title
// has one line of notes, globex-capped's holdout (whose attributed, true
// and profit figures filled the line) gives way to its key figure, so
// that its days and its reach show too; at 160×48, with room, the notes
// are whole.
func TestBiddersTitleNotesWin(t *testing.T) {
	sc := bundled(t, "flight-week")
	at := 2*sim.Day + 15*sim.Hour
	eng := engineAt(t, sc, at-100*sim.Millisecond)
	first := eng.Snapshot()
	eng.RunUntil(at)
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		m, _, _ := recordingModel(t, sc, size[0], size[1], frameOf(sc, first, t0, 0), frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0))
		for m.ctx.Snap().Bidders[m.ctx.Selected].Name != "globex-capped" {
			press(m, "j")
		}
		b := m.ctx.Snap().Bidders[m.ctx.Selected]
		if b.Holdout == nil || len(b.Days) == 0 || b.Frequency == nil {
			t.Fatalf("globex-capped: holdout %v, days %v, frequency %v", b.Holdout, b.Days, b.Frequency)
		}
		title := ""
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.HasPrefix(l, "Bidders") || title != "" && strings.HasPrefix(l, "  ") && !strings.Contains(l, "bidder") {
				title += " " + l
			} else if title != "" {
				break
			}
		}
		title = strings.Join(strings.Fields(title), " ")
		want := []string{"holdout", "iROAS", "· days ", "· reach "}
		if size[0] == 160 {
			want = append(want, "attributed", "profit", " day 2 ", "by impressions")
		}
		for _, w := range want {
			if !strings.Contains(title, w) {
				t.Errorf("%dx%d: no %q in globex-capped's title %q", size[0], size[1], w, title)
			}
		}
	}
}
