package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// capPerDefault is the window of a cap U starts on a bidder without one.
const capPerDefault = sim.Day

// flightKey handles a flight's live keys on the selected bidder: d/D
// step its daily budget, u/U its frequency cap. Each is one change,
// made as its path assignment (bidders.NAME.budget.daily,
// bidders.NAME.frequency_cap), so the change log reads it back and an
// export replays it. True if k was one of them.
func flightKey(c *Context, k tea.KeyMsg) bool {
	keys := c.Keys
	switch {
	case key.Matches(k, keys.DailyDown), key.Matches(k, keys.DailyUp):
		b, sb := c.SelectedBidder()
		if sb.daily == 0 {
			c.Warn(b.Name + " has no daily budget: one cannot be added live (set budget.daily in the scenario)")
			break
		}
		old := sb.daily.Float()
		// Whole cents, down, as an integer: not strategy.go's cents, which
		// rounds to a float.
		wholeCents := func(x float64) int64 { return int64(sim.MoneyOf(x) / (sim.MoneyUnit / 100)) }
		nc := wholeCents(old / dailyScale)
		if key.Matches(k, keys.DailyUp) {
			// At least a cent up: below 0.04, ×1.25 rounds back down.
			nc = max(wholeCents(old*dailyScale), wholeCents(old)+1)
		}
		nd := float64(nc) / 100
		if nd <= 0 {
			c.Info(fmt.Sprintf("%s's daily budget is at its minimum, %s", b.Name, format.Money(old)))
			break
		}
		setDaily(c, b, sb, nd)
	case key.Matches(k, keys.CapDown), key.Matches(k, keys.CapUp):
		b, sb := c.SelectedBidder()
		if !sb.people {
			c.Warn(b.Name + ": a frequency cap needs people (traffic.users in the scenario)")
			break
		}
		to := sim.FrequencyCap{Impressions: capStart, Per: capPerDefault}
		if old := sb.cap; old != nil {
			to = *old
			if key.Matches(k, keys.CapDown) {
				to.Impressions -= capStep
			} else {
				to.Impressions += capStep
			}
		} else if key.Matches(k, keys.CapDown) {
			c.Info(b.Name + " has no frequency cap: U sets one")
			break
		}
		if to.Impressions < 1 || to.Impressions > sim.MaxCapImpressions {
			c.Info(fmt.Sprintf("%s's frequency cap is at its limit, %v (: bidders.%s.frequency_cap=null removes it)", b.Name, sb.cap, b.Name))
			break
		}
		setCap(c, b, sb, &to)
	default:
		return false
	}
	return true
}

// setDaily changes b's daily budget to x (currency, at full scale).
func setDaily(c *Context, b sim.BidderStats, sb *shownBidder, x float64) {
	today := 0.0
	if len(b.Days) > 0 {
		today = b.Days[len(b.Days)-1].Spend.Float()
	}
	what := fmt.Sprintf("%s daily budget %s → %s (spent today %s)", b.Name, format.Money(sb.daily.Float()), format.Money(x), format.Money(today))
	if b.Group != "" {
		what += groupDailyDrift(b.Group)
	}
	c.Change(sim.SetDaily{Bidder: b.Name, Daily: sim.MoneyOf(x)}, what, func() { sb.daily = sim.MoneyOf(x) })
}

// setCap changes b's frequency cap to to (nil: none).
func setCap(c *Context, b sim.BidderStats, sb *shownBidder, to *sim.FrequencyCap) {
	word := func(f *sim.FrequencyCap) string {
		if f == nil {
			return "none"
		}
		return fmt.Sprintf("%d per %s", f.Impressions, format.Window(f.Per))
	}
	what := fmt.Sprintf("%s frequency cap %s → %s", b.Name, word(sb.cap), word(to))
	c.Change(sim.SetFrequencyCap{Bidder: b.Name, Cap: to}, what, func() { sb.cap = to })
}
