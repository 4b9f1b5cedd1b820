package tui

import (
	"fmt"
	"math"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// The strategy keys: g opens the chooser (chooser.go); < and > step the
// shade factor or the fixed bid. The help texts are built from them.
const (
	strategyStep = 0.05 // <, >: shade factor, or fixed bid in CPM
	shadeStart   = 0.8  // g: the chooser's shade factor, until another is used
	// shadeMin keeps a shade factor above 0 (a factor of 0 bids nothing);
	// sim refuses factors above sim.MaxShadeFactor.
	shadeMin = strategyStep
)

// strategyMemory is each bidder's last shade factor and fixed bid in one
// world, by name, so that choosing a strategy again resumes where it was
// left. Another world starts afresh.
type strategyMemory struct {
	world string
	last  map[string]lastStrategy
}

type lastStrategy struct {
	factor, bid float64 // 0: none used yet
}

// of is name's last factor and bid in world.
func (m *strategyMemory) of(world, name string) lastStrategy {
	if m.world != world {
		return lastStrategy{}
	}
	return m.last[name]
}

// remember notes the factor or bid of s as name's last in world.
func (m *strategyMemory) remember(world, name string, s sim.Strategy) {
	if m.world != world || m.last == nil {
		*m = strategyMemory{world: world, last: map[string]lastStrategy{}}
	}
	l := m.last[name]
	switch s.Kind {
	case sim.Shade:
		l.factor = s.Factor
	case sim.Fixed:
		l.bid = s.Bid.CPM()
	}
	m.last[name] = l
}

// cents rounds x to two decimals, so steps of 0.05 land on round values.
func cents(x float64) float64 { return math.Round(x*100) / 100 }

// strategyKey handles g, < and > for the selected bidder; true if k was
// one of them.
func strategyKey(c *Context, k tea.KeyMsg) bool {
	keys := c.Keys
	var next func(b sim.BidderStats, old sim.Strategy) (sim.Strategy, bool)
	switch {
	case key.Matches(k, keys.Strategy):
		openChooser(c)
		return true
	case key.Matches(k, keys.StrategyDown), key.Matches(k, keys.StrategyUp):
		step := strategyStep
		if key.Matches(k, keys.StrategyDown) {
			step = -step
		}
		next = func(b sim.BidderStats, old sim.Strategy) (sim.Strategy, bool) { return stepStrategy(c, b, old, step) }
	default:
		return false
	}
	b, sb := c.SelectedBidder()
	old := sb.strategy
	to, ok := next(b, old)
	if !ok {
		return true
	}
	setStrategy(c, b.Name, sb, old, to)
	return true
}

// setStrategy changes bidder name's strategy from old to to, as one
// change: both strategies are remembered for the world (old to go back
// to), and sb shows to once the change is applied.
func setStrategy(c *Context, name string, sb *shownBidder, old, to sim.Strategy) {
	c.strategies.remember(c.Frame.World, name, old)
	c.Change(sim.SetStrategy{Bidder: name, Strategy: to},
		fmt.Sprintf("%s strategy %v → %v%s", name, old, to, strategyHint(to)),
		func() {
			sb.strategy = to
			c.strategies.remember(c.Frame.World, name, to)
		})
}

// stepStrategy moves a shade factor, a fixed bid or a goal's target by
// step, within what sim accepts; false (with a message) when there is
// nothing to step.
func stepStrategy(c *Context, b sim.BidderStats, old sim.Strategy, step float64) (sim.Strategy, bool) {
	to, ok := stepped(old, step)
	switch {
	case !ok && old.Kind == sim.Equilibrium:
		c.Warn(fmt.Sprintf("%s bids the equilibrium for its auction: g to choose shade or fixed, then < > step it", b.Name))
		return old, false
	case !ok:
		c.Warn(fmt.Sprintf("%s bids its value (truthful): g first, to shade or fix its bid", b.Name))
		return old, false
	case to != old:
		return to, true
	}
	switch old.Kind {
	case sim.Shade:
		c.Info(fmt.Sprintf("%s's shade factor is at its limit, %g", b.Name, old.Factor))
	case sim.Fixed:
		c.Info(fmt.Sprintf("%s's fixed bid is at its limit, %g", b.Name, old.Bid.CPM()))
	default:
		c.Info(fmt.Sprintf("%s's target is at its limit", b.Name))
	}
	return old, false
}

// stepped is s with its shade factor, fixed bid or goal's target moved
// by step, clamped to what sim accepts; false if s has none of them. The
// dashboard's < > and the chooser's step alike.
func stepped(s sim.Strategy, step float64) (sim.Strategy, bool) {
	switch s.Kind {
	case sim.Shade:
		s.Factor = min(max(cents(s.Factor+step), shadeMin), sim.MaxShadeFactor)
	case sim.Fixed:
		s.Bid = sim.PriceOf(min(max(cents(s.Bid.CPM()+step), 0), sim.MaxCPM))
	case sim.TargetCPA:
		// The CPA by a cent a step.
		s.CPA = sim.MoneyOf(max(cents(s.CPA.Float()+step/5), 0.01))
	case sim.TargetROAS:
		s.ROAS = max(cents(s.ROAS+step), 0.05)
	default:
		return s, false
	}
	return s, true
}

// strategyHint is what to watch after a strategy change.
func strategyHint(s sim.Strategy) string {
	switch s.Kind {
	case sim.Truthful, sim.Equilibrium:
		return " · watch its surplus"
	case sim.Learn:
		return " · # past the metrics charts its factor"
	case sim.TargetCPA, sim.TargetROAS:
		return " · </> step the target · the table's title shows it beside what it realised"
	}
	return fmt.Sprintf(" · </> ±%.2f · watch its surplus", strategyStep)
}

// meanValue is a bidder's mean value in CPM (its values' distribution
// is the scenario's: it cannot change live); 1 if sim does not know it.
func meanValue(c *Context, name string) float64 {
	if d, ok := c.Snap().ValueDist(name); ok {
		return min(d.Mean(), sim.MaxCPM)
	}
	return 1
}

// Widths of the strategy and surplus columns, without padding.
const (
	strategyColW = 10 // "shade 0.80"
	surplusColW  = 7
	// spendMinW is the least the spend bar keeps when those columns come
	// in.
	spendMinW = 14
	// spendLeast is the least the spend bar has at all, its padding
	// included: "░░ 12.5%".
	spendLeast = 10
	// nameMinW is the least the name column gives way to: the marks and
	// six cells of a name.
	nameMinW = 8
)

// surplusColumns adds the strategy and surplus columns to the bidders
// table where room allows: in place of the ROAS columns when no bidder
// has an outcome model (they would show only dashes) and of late% and p95
// in a world without latency, and of pacing where no bidder is paced
// (paced false), else when the spend bar keeps spendMinW cells. The spend
// bar is sized again to fill the width.
func surplusColumns(cols []column, w int, snap *sim.Snapshot, paced bool) []column {
	outcome := false
	for _, b := range snap.Bidders {
		outcome = outcome || b.HasOutcome
	}
	// Where every bidder answers at once (AnswersAtOnce) late% and p95 would
	// read 0.0% and 0.0ms on every row: they give their cells to the
	// strategy and surplus, and come back with the first latency a live
	// change brings.
	instant := snap.AnswersAtOnce()
	kept := cols[:0:0]
	for _, c := range cols {
		switch {
		case !outcome && (c.id == colARoas || c.id == colIRoas):
		case instant && (c.id == colLate || c.id == colP95):
		case !paced && c.id == colPacing:
			// Every row's pacing is a dash (no budget caps a bidder):
			// its cells go to the others; a budget given live brings it
			// back on the next frame.
		default:
			kept = append(kept, c)
		}
	}
	cols = kept
	used := func() int {
		n := 0
		for _, c := range cols {
			if c.id != colSpend {
				n += c.width
			}
		}
		return n
	}
	insert := func(after int, c column) {
		for i := range cols {
			if cols[i].id == after {
				cols = append(cols[:i+1], append([]column{c}, cols[i+1:]...)...)
				return
			}
		}
	}
	if w-used()-(surplusColW+cellPad) >= spendMinW+cellPad {
		insert(colPrice, column{colSurplus, "surplus", surplusColW + cellPad})
	}
	if w-used()-(strategyColW+cellPad) >= spendMinW+cellPad {
		insert(colName, column{colStrategy, "strategy", strategyColW + cellPad})
	}
	// The name column gives way to the figures: where long names would
	// leave the spend bar less than its least, they are shortened
	// (shortName) down to nameMinW, so that no figure column is cut.
	if over := used() + spendLeast - w; over > 0 {
		for i := range cols {
			if cols[i].id == colName {
				cols[i].width = max(cols[i].width-over, nameMinW+cellPad)
			}
		}
	}
	for i := range cols {
		if cols[i].id == colSpend {
			cols[i].width = min(max(w-used(), spendLeast), 40+cellPad)
			cols[i].title = spendHeading(cols[i].width - cellPad)
		}
	}
	return cols
}

// strategyCell is a bidder's strategy as shown (optimistically, after g,
// < or >) or its surplus so far; a negative surplus is marked in marks.
func strategyCell(c *Context, id int, b sim.BidderStats, sb shownBidder, marks map[int]lipgloss.Style, k int) string {
	if id == colStrategy {
		return strategyNow(sb.strategy, b)
	}
	s := b.Surplus().Float()
	if s < 0 {
		marks[k] = c.Theme.Bad
	}
	return format.CompactMoney(s)
}

// strategyNow is strategyText with where a learning bidder stands: the
// factor it has settled on so far ("learn 0.75"), live in its row.
func strategyNow(s sim.Strategy, b sim.BidderStats) string {
	if s.Kind == sim.Learn && b.Learn != nil {
		return fmt.Sprintf("learn %.2f", b.Learn.Factor)
	}
	return strategyText(s)
}

// strategyProse is strategy s as a sentence says it: text, its column's
// (strategyText, strategyNow), but an equilibrium in full, whose column
// "equilib." read "bidding equilib.." at a sentence's end.
func strategyProse(s sim.Strategy, text string) string {
	if s.Kind == sim.Equilibrium {
		return "the equilibrium"
	}
	return text
}

// strategyText is a strategy in at most strategyColW cells: "truthful",
// "shade 0.80", "fixed 1.25", "equilib.", "cpa 0.18" (a target CPA),
// "roas 2.50".
func strategyText(s sim.Strategy) string {
	switch s.Kind {
	case sim.Equilibrium:
		return "equilib."

	case sim.Shade:
		return fmt.Sprintf("shade %.2f", s.Factor)
	case sim.Fixed:
		return "fixed " + format.CPM(s.Bid.CPM())
	case sim.TargetCPA:
		return "cpa " + format.Fixed(s.CPA.Float(), 2)
	case sim.TargetROAS:
		return "roas " + format.Fixed(s.ROAS, 2)
	}
	return s.Kind.String()
}
