package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestHelpOverlayKeepsNotes: with the full help open (?) at 80×24, the
// reason the chart's metric has no closed form and the selected bidder's
// reason to be behind its budget are whole: the help takes eight rows,
// the reason gets a line of its own, and the bidder's notes wrap onto
// the chart row's line that leaves. Every key is still in the help, and
// at 100×30 and 120×36 both are whole too: at 120×36 the notes fit on
// one line; at 100×30 the reason to be behind the budget needs a second,
// which the latency panel gives, its title saying which bidders it still
// shows. No panel drops a bidder without its title saying so. The
// screen is read with its line breaks and padding as spaces.
func TestHelpOverlayKeepsNotes(t *testing.T) {
	for _, tt := range []struct{ w, h int }{{80, 24}, {100, 30}, {120, 36}} {
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
			wants := []string{shortWhy(th.Why), "select down", "shade/bid ±0.05", "latency scale", "q quit",
				"! solo unspent: " + b.Unspent.Explain()}
			for _, want := range wants {
				if !strings.Contains(words, want) {
					t.Errorf("%q is not whole on the screen:\n%s", want, v)
				}
			}
			checkPanelsSayRows(t, v, len(m.ctx.Snap().Bidders), len(m.ctx.Snap().Groups))
		})
	}
}

// checkPanelsSayRows fails when the bidders table or the latency panel
// on screen v shows fewer rows than it has (n bidders, and the groups'
// total rows in the table) without its title saying which it shows.
func checkPanelsSayRows(t *testing.T, v string, n, groups int) {
	t.Helper()
	lines := strings.Split(ansi.Strip(v), "\n")
	for _, p := range []struct {
		title, head string // head: the line the rows follow
		rows        int
	}{{"Bidders", " bidder ", n + groups}, {"Latency", "Latency", n}} {
		at := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, p.title) })
		if at < 0 {
			t.Errorf("no %s panel on the screen:\n%s", p.title, v)
			continue
		}
		if strings.Contains(lines[at], fmt.Sprintf(" of %d)", p.rows)) {
			continue // the title says which rows it shows
		}
		head := at + slices.IndexFunc(lines[at:], func(l string) bool { return strings.HasPrefix(l, p.head) })
		shown := 0
		for _, l := range lines[head+1:] {
			if !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "▸") {
				break // the next panel
			}
			shown++
		}
		if shown < p.rows {
			t.Errorf("the %s panel shows %d of %d rows and its title does not say so:\n%s", p.title, shown, p.rows, v)
		}
	}
}
