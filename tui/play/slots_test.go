package play

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestPlaySlots: playing sponsored-search, the rules name the slots and
// a round won says which slot, its price per click and per impression,
// and the surplus as α × value - price.
func TestPlaySlots(t *testing.T) {
	m := newTestModel(t, "sponsored-search", 0, nil)
	if v := m.View(); !strings.Contains(strings.Join(strings.Fields(v), " "), "3 slots with click weights 1/0.6/0.3") {
		t.Errorf("the rules do not name the slots:\n%s", v)
	}
	for range 40 {
		typeText(m, cpm(m.round.Value(m.table, 0)))
		enter(m)
		if o := m.last.Seats[0].Result; o.Won {
			v := m.View()
			if !strings.Contains(v, "won slot ") || !strings.Contains(v, " per click (") || !strings.Contains(v, " × value - price") {
				t.Errorf("slot %d won, not said:\n%s", o.Slot, v)
			}
			// Every line fits the screen, wrapped, not cut by the
			// terminal: the price per impression ended a 100-column line.
			for _, w := range []int{100, 80} {
				m.Update(tea.WindowSizeMsg{Width: w, Height: 30})
				v := m.View()
				for _, l := range strings.Split(v, "\n") {
					if n := ansi.StringWidth(l); n > w {
						t.Errorf("at %d columns a line of %d: %q", w, n, l)
					}
				}
				if !strings.Contains(strings.Join(strings.Fields(ansi.Strip(v)), " "), "for the impression") {
					t.Errorf("at %d columns the price per impression is not said whole:\n%s", w, v)
				}
			}
			return
		}
		enter(m)
	}
	t.Error("no slot won in 40 rounds")
}

// TestPlaySlotsLost: a round lost with several slots says what each slot
// went for per click, not "the winner paid" slot 1's price as if one item
// had been sold.
func TestPlaySlotsLost(t *testing.T) {
	m := newTestModel(t, "sponsored-search", 0, nil)
	for range 40 {
		typeText(m, "0.001")
		enter(m)
		res := m.last
		if o := res.Seats[0].Result; !o.Won && o.Rank > 0 && len(res.Slots) == 3 {
			v := m.View()
			if strings.Contains(v, "the winner paid") {
				t.Errorf("a lost round with slots names one winner:\n%s", v)
			}
			want := "the 3 slots went for " + cpm(res.Slots[0].Click) + ", " + cpm(res.Slots[1].Click) + ", " + cpm(res.Slots[2].Click) + " per click"
			if !strings.Contains(v, want) {
				t.Errorf("no %q:\n%s", want, v)
			}
			return
		}
		enter(m)
	}
	t.Error("no round lost with every slot sold in 40 rounds")
}

// TestPlaySlotsHadYouBidYourValue: with several slots the line on what
// bidding one's value would have got gives its price per click, as the
// rules say prices are, beside the impression's (it gave the impression's
// alone, unnamed).
func TestPlaySlotsHadYouBidYourValue(t *testing.T) {
	m := newTestModel(t, "sponsored-search", 0, nil)
	for range 40 {
		typeText(m, "0.001")
		enter(m)
		if o := m.last.Seats[0]; o.Truthful.Won && o.Truthful.Slot > 0 {
			v := strings.Join(strings.Fields(ansi.Strip(m.View())), " ")
			want := "Had you bid your value " + cpm(o.Value) + ": slot "
			if !strings.Contains(v, want) || !strings.Contains(v, "paid "+cpm(o.Truthful.Click)+" per click ("+cpm(o.Truthful.Price)+" for the impression)") {
				t.Errorf("the truthful line lacks the price per click:\n%s", v)
			}
			return
		}
		enter(m)
	}
	t.Error("bidding one's value won no slot in 40 rounds")
}

// TestPlaySlotsPassed: a round passed with several slots says what the
// slots went for, not "the winner paid" slot 1's price, and the next
// round's reminder says the seat passed rather than lost.
func TestPlaySlotsPassed(t *testing.T) {
	m := newTestModel(t, "sponsored-search", 0, nil)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	for range 40 {
		typeText(m, "p")
		res := m.last
		if len(res.Slots) < 2 {
			enter(m)
			continue
		}
		ps := make([]string, len(res.Slots))
		for j, sl := range res.Slots {
			ps[j] = cpm(sl.Click)
		}
		prices := "slots went for " + strings.Join(ps, ", ") + " per click"
		v := strings.Join(strings.Fields(ansi.Strip(m.View())), " ")
		if strings.Contains(v, "The winner paid") || !strings.Contains(v, "The "+fmt.Sprint(len(ps))+" "+prices+".") {
			t.Errorf("a passed round with %d slots sold does not say what they went for:\n%s", len(ps), v)
		}
		enter(m)
		v = strings.Join(strings.Fields(ansi.Strip(m.View())), " ")
		if !strings.Contains(v, "Last round: passed; the "+fmt.Sprint(len(ps))+" "+prices) {
			t.Errorf("the reminder of a passed round:\n%s", v)
		}
		return
	}
	t.Error("no round with two slots sold in 40 rounds")
}
