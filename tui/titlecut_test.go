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
// "[-83.67, 38…", "its bids w…"). What it shows is the notes' own
// beginning.
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
		full := ansi.Strip(unspentNote(m.ctx))
		var title string
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.HasPrefix(l, "Bidders") {
				title = strings.TrimRight(l, " ")
			}
		}
		if ansi.StringWidth(title) > 80 || !strings.Contains(title, name) {
			t.Fatalf("%s: title %q", name, title)
		}
		if shown, ok := strings.CutSuffix(title, " …"); ok {
			cut++
			i := strings.Index(shown, ") ")
			shown = " " + shown[i+2:] // the notes begin with a space
			rest, ok := strings.CutPrefix(full, shown)
			if !ok || !strings.HasPrefix(rest, " ") {
				t.Errorf("%s: the title shows %q, not the notes %q cut after a whole note or word", name, shown, full)
			}
		} else if strings.HasSuffix(title, "…") {
			t.Errorf("%s: the title is cut mid-word: %q", name, title)
		}
		press(m, "j")
	}
	if cut < 3 {
		t.Errorf("only %d titles cut: the test proves little", cut)
	}
}
