package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
)

// TestSpendColumnFits: at 80 columns and every width up to the wide
// layout, the bidders table's spend column has a heading that is whole
// ("spend / budget" where it fits, else a shorter one) and cells that are
// whole: no cell of the heading or the rows is cut, and the spend of
// rival, which has no budget, is on its row. At 80×24 as at 40 rows.
func TestSpendColumnFits(t *testing.T) {
	type size struct{ w, h int }
	sizes := []size{{80, 24}}
	for w := minWidth; w < wideWidth; w++ {
		sizes = append(sizes, size{w, 40}) // 40 rows: every row shown
	}
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			m, _, _ := planModel(t, sz.w, sz.h, false)
			press(m, "j")
			press(m, "j") // rival, so that its row is shown at 24 rows
			b := m.ctx.Snap().Bidders[m.ctx.Selected]
			if b.Name != "rival" || b.Budget != 0 {
				t.Fatalf("selected %s, budget %v: the world has changed", b.Name, b.Budget)
			}
			v := m.View()
			checkScreen(t, v, sz.w, sz.h)
			lines := strings.Split(ansi.Strip(v), "\n")
			head := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, " bidder ") })
			if head < 0 {
				t.Fatalf("no table heading on the screen:\n%s", v)
			}
			if !strings.Contains(lines[head], " spend / budget ") && !strings.Contains(lines[head], " spend/budget ") {
				t.Errorf("the spend heading is cut or too short: %q", lines[head])
			}
			var rival string
			for _, l := range lines[head:] {
				if !strings.HasPrefix(l, " ") {
					break // the next panel
				}
				if strings.Contains(l, "…") {
					t.Errorf("a cell is cut: %q", l)
				}
				if strings.Contains(l, " rival ") {
					rival = l
				}
			}
			if spend := " " + format.CompactMoney(b.Spend.Float()); !strings.Contains(rival, spend) {
				t.Errorf("rival's row %q lacks its spend %q whole", rival, spend)
			}
		})
	}
}
