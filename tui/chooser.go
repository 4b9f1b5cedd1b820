package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// strategyChooser is the small form g opens under the dashboard: the
// strategies a bidder can play (truthful, shade c, fixed b, equilibrium,
// learn), the current one highlighted. ←/→ (or g) move, < and > adjust
// the highlighted shade factor or fixed bid, 1–5 or enter choose, esc
// cancels. Choosing makes one change, a path assignment
// (bidders.NAME.strategy={kind: shade, factor: 0.8}), logged once and
// replayed like any other.
type strategyChooser struct {
	ctx  *Context
	name string
	opts []sim.Strategy
	at   int
}

// chooserLines is the chooser's height under the dashboard.
const chooserLines = 3

// openChooser opens the chooser for the selected bidder.
func openChooser(c *Context) {
	b, sb := c.SelectedBidder()
	old := sb.strategy
	l := c.strategies.of(c.Frame.World, b.Name)
	factor, bid := shadeStart, cents(meanValue(c, b.Name))
	if l.factor > 0 {
		factor = l.factor
	}
	if l.bid > 0 {
		bid = l.bid
	}
	learn := sim.Strategy{Kind: sim.Learn}
	switch old.Kind {
	case sim.Shade:
		factor = old.Factor
	case sim.Fixed:
		bid = old.Bid.CPM()
	case sim.Learn:
		learn = old
	}
	ch := &strategyChooser{ctx: c, name: b.Name, opts: []sim.Strategy{
		{Kind: sim.Truthful},
		{Kind: sim.Shade, Factor: factor},
		{Kind: sim.Fixed, Bid: sim.PriceOf(bid)},
		{Kind: sim.Equilibrium},
		learn,
	}}
	if old.Kind == sim.TargetCPA || old.Kind == sim.TargetROAS {
		// A goal bidder keeps its goal among the options, its target
		// adjustable with < and >.
		ch.opts = append(ch.opts, old)
	}
	for i, o := range ch.opts {
		if o.Kind == old.Kind {
			ch.at = i
		}
	}
	c.Open(ch)
	c.Info("")
}

// Update handles the chooser's keys.
func (ch *strategyChooser) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	c, keys := ch.ctx, ch.ctx.Keys
	n := len(ch.opts)
	switch {
	case key.Matches(k, keys.Close):
		c.Close()
		c.Info("cancelled")
	case key.Matches(k, keys.Pick):
		ch.choose(ch.at)
	case key.Matches(k, keys.Choose):
		if i := int(k.Runes[0] - '1'); i >= 0 && i < n {
			ch.choose(i)
		}
	case key.Matches(k, keys.Prev):
		ch.at = (ch.at + n - 1) % n
	case key.Matches(k, keys.Next), key.Matches(k, keys.Strategy):
		ch.at = (ch.at + 1) % n
	case key.Matches(k, keys.StrategyDown), key.Matches(k, keys.StrategyUp):
		step := strategyStep
		if key.Matches(k, keys.StrategyDown) {
			step = -step
		}
		o := &ch.opts[ch.at]
		if to, ok := stepped(*o, step); ok {
			*o = to
		} else {
			c.Warn(fmt.Sprintf("%s has nothing to adjust: < and > set a shade factor or a fixed bid", chooserText(*o)))
		}
	}
	return nil
}

// choose makes option i the bidder's strategy: one change, unless it is
// the strategy already played.
func (ch *strategyChooser) choose(i int) {
	c := ch.ctx
	c.Close()
	to := ch.opts[i]
	j := bidderIndex(c.Snap(), ch.name)
	sb := &c.Shown.bidders[j]
	old := sb.strategy
	if to == old {
		c.Info(fmt.Sprintf("%s already bids %v: nothing changed", ch.name, to))
		return
	}
	setStrategy(c, ch.name, sb, old, to)
}

// chooserText is an option as the chooser shows it.
func chooserText(s sim.Strategy) string {
	switch s.Kind {
	case sim.Equilibrium:
		return "equilibrium"
	case sim.Learn:
		return "learn"
	}
	return strategyText(s)
}

// View draws the dashboard above the chooser.
func (ch *strategyChooser) View(w, h int) string {
	return viewAbove(ch.ctx, w, h, chooserLines) + "\n" + ch.formView(w)
}

// formView is the chooser itself: the options in a row, the highlighted
// one marked, and what it means.
func (ch *strategyChooser) formView(w int) string {
	st := ch.ctx.Theme
	j := bidderIndex(ch.ctx.Snap(), ch.name)
	now := ch.ctx.Shown.bidders[j].strategy
	title := st.Title.Render("Strategy") + st.Dim.Render(fmt.Sprintf(" of %s, now %s", ch.name, chooserText(now)))
	var row []string
	for i, o := range ch.opts {
		item := fmt.Sprintf("%d %s", i+1, chooserText(o))
		if i == ch.at {
			row = append(row, st.Selected.Render("▸"+item))
		} else {
			row = append(row, " "+item)
		}
	}
	return format.Block([]string{title, strings.Join(row, " "), st.Dim.Render(chooserMeaning(ch.opts[ch.at], oneItem(ch.ctx.Shown.set.Auction, ch.ctx.Snap())))}, w, chooserLines)
}

// oneItem is the auction a bidder faces: GSP and VCG with one item (no
// slots) are second price, and a strategy means there what it means in
// second price.
func oneItem(a sim.AuctionType, snap *sim.Snapshot) sim.AuctionType {
	if (a == sim.GSP || a == sim.VCG) && len(snap.Slots) <= 1 {
		return sim.SecondPrice
	}
	return a
}

// chooserMeaning says what an option bids in auction a: truthful and
// equilibrium bidding mean different things in each. One line of 80
// columns at most: the chooser has no second (TestChooserMeaningFits).
func chooserMeaning(s sim.Strategy, a sim.AuctionType) string {
	switch s.Kind {
	case sim.Shade:
		return fmt.Sprintf("bids %.2f × its value (< > adjust)", s.Factor)
	case sim.Fixed:
		return fmt.Sprintf("bids %s CPM whatever its value (< > adjust)", format.CPM(s.Bid.CPM()))
	case sim.Equilibrium:
		switch a {
		case sim.GSP:
			return "bids the lowest envy-free GSP equilibrium (EOS/Varian): VCG's prices"
		case sim.VCG:
			return "bids its value per click: truthful in VCG"
		case sim.SecondPrice:
			return "bids its value: truthful in second price"
		}
		return "bids the symmetric first-price equilibrium β(v) of these values, bidders, floor"
	case sim.Learn:
		return "learns a shade factor from its own wins and surplus (ε-greedy bandit)"
	case sim.TargetCPA:
		return fmt.Sprintf("bids for conversions at a CPA ≤ %s, steered by its controller (< > adjust)", format.Fixed(s.CPA.Float(), 2))
	case sim.TargetROAS:
		return fmt.Sprintf("bids for value at a ROAS ≥ %s (%s), by its controller (< > adjust)", format.Fixed(s.ROAS, 2), s.On)
	}
	switch a {
	case sim.FirstPrice:
		return "bids its value: earns nothing in first price (it pays its own bid)"
	case sim.GSP:
		return "bids its value per click: not an equilibrium in GSP (shading can pay)"
	case sim.VCG:
		return "bids its value per click: dominant in VCG"
	}
	return "bids its value: dominant in second price"
}

// Refresh has the dashboard above the chooser rebuild its panels for the
// room the chooser leaves.
func (ch *strategyChooser) Refresh() { refreshAbove(ch.ctx, chooserLines) }

// ShortHelp is the chooser's keys.
func (ch *strategyChooser) ShortHelp() []key.Binding {
	k := ch.ctx.Keys
	return []key.Binding{pair(k.Prev, k.Next, "←/→", "strategy"), k.Choose, relabel(k.Pick, "choose"),
		pair(k.StrategyDown, k.StrategyUp, "</>", "adjust"), relabel(k.Close, "cancel"), k.Help, k.Quit}
}

// FullHelp is the same keys in one column.
func (ch *strategyChooser) FullHelp() [][]key.Binding { return [][]key.Binding{ch.ShortHelp()} }
