package tui

import (
	"fmt"
	"strings"
	"testing"
)

// TestHelpOverlayKeepsNotes: with the full help open (?) at 80×24, the
// reason the chart's metric has no closed form and the selected bidder's
// reason to be behind its budget are whole: the help takes eight rows,
// the reason gets a line of its own, and the bidder's notes wrap onto
// the chart row's line that leaves. Every key is still in the help, and
// at 100×30 and 120×36 the reason is whole too. At 120×36 the notes fit
// on one line; at 100×30 they need a second, which only another panel's
// row could give, so they are cut as before. The screen is read with its
// line breaks and padding as spaces.
func TestHelpOverlayKeepsNotes(t *testing.T) {
	for _, tt := range []struct {
		w, h  int
		notes bool // the bidder's notes whole
	}{{80, 24, true}, {100, 30, false}, {120, 36, true}} {
		t.Run(fmt.Sprintf("%dx%d", tt.w, tt.h), func(t *testing.T) {
			m, _, _ := planModel(t, tt.w, tt.h, false)
			for range 3 {
				press(m, "j") // solo, whose values are below the market
			}
			b := m.ctx.Snap().Bidders[m.ctx.Selected]
			th := m.ctx.theoryNow().theory
			if b.Name != "solo" || b.Unspent == 0 || th.Applies {
				t.Fatalf("selected %s (unspent %v), theory applies %v: the world no longer has both notes", b.Name, b.Unspent, th.Applies)
			}
			press(m, "?")
			v := m.View()
			checkScreen(t, v, tt.w, tt.h)
			words := strings.Join(strings.Fields(v), " ")
			wants := []string{shortWhy(th.Why), "select down", "shade/bid ±0.05", "latency scale", "q quit"}
			if tt.notes {
				wants = append(wants, "! solo unspent: "+b.Unspent.Explain())
			}
			for _, want := range wants {
				if !strings.Contains(words, want) {
					t.Errorf("%q is not whole on the screen:\n%s", want, v)
				}
			}
		})
	}
}
