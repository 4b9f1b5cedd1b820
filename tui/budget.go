package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// moveShare is the default amount of a budget move: a tenth of the group's
// total (of the bidder's own budget when it has no group).
const moveShare = 0.10

// budgetForm is the small form of `m` (move budget from the selected
// bidder to another) and `=` (set the selected bidder's budget). It draws
// under the dashboard, which stays in view above it. Typed digits edit the
// amount (the first one replaces the default), ↑/↓ pick the destination
// of a move, enter applies through the runner, esc cancels. What sim
// refuses comes back on the status line.
type budgetForm struct {
	ctx   *Context
	move  bool   // m; else =
	from  string // the selected bidder
	group string // its group, if any
	dests []string
	dest  int
	input textinput.Model
	fresh bool // the amount is still the default: a digit replaces it
}

// formLines is the form's height under the dashboard.
const formLines = 3

// openMoveForm opens the `m` form for the selected bidder, or says why
// not.
func openMoveForm(c *Context) {
	b, sb := c.SelectedBidder()
	if sb.unlimited && b.Daily > 0 {
		// A move changes totals; a daily budget alone has none.
		c.Warn(b.Name + " has a daily budget alone (" + format.Money(b.Daily.Float()) + "/day), no total to move: :bidders." + b.Name + ".budget.daily=AMOUNT changes it")
		return
	}
	if sb.unlimited {
		c.Warn(b.Name + " has no budget (unlimited): nothing to move")
		return
	}
	snap := c.Snap()
	var dests []string
	base := sb.budget.Float()
	g, grouped := snap.FindGroup(b.Group)
	for i, o := range snap.Bidders {
		if o.Name == b.Name || c.Shown.bidders[i].unlimited {
			continue
		}
		if !grouped || o.Group == b.Group {
			dests = append(dests, o.Name)
		}
	}
	if grouped {
		base = g.Budget.Float()
	}
	if len(dests) == 0 {
		where := "no other bidder has a budget"
		if grouped {
			where = "no other member of group " + b.Group + " has a budget"
		}
		c.Warn("cannot move budget from " + b.Name + ": " + where)
		return
	}
	f := newBudgetForm(c, true, centsDown(base*moveShare))
	f.from, f.group, f.dests = b.Name, b.Group, dests
	c.Open(f)
	c.Info("")
}

// openSetForm opens the `=` form for the selected bidder.
func openSetForm(c *Context) {
	b, sb := c.SelectedBidder()
	f := newBudgetForm(c, false, sb.budget.Float())
	f.from, f.group = b.Name, b.Group
	c.Open(f)
	c.Info("")
}

func newBudgetForm(c *Context, move bool, amount float64) *budgetForm {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 14
	in.SetValue(strconv.FormatFloat(amount, 'f', -1, 64))
	in.Focus()
	return &budgetForm{ctx: c, move: move, input: in, fresh: true}
}

// groupDrift points a planner stepping a member's budget with b/B to m,
// which keeps the group's total.
func groupDrift(group string) string {
	return "; group " + group + "'s total changes: m moves budget and keeps it"
}

// centsDown rounds x down to whole cents: a default move never exceeds
// the share it stands for.
func centsDown(x float64) float64 { return math.Floor(x*100+1e-9) / 100 }

// amount parses the typed amount: a finite number > 0 (>= 0 for =).
func (f *budgetForm) amount() (float64, error) {
	s := strings.TrimSpace(f.input.Value())
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsInf(x, 0) || math.IsNaN(x):
		return 0, fmt.Errorf("amount %q is not a number", s)
	case f.move && x <= 0:
		return 0, fmt.Errorf("amount %s: a move needs more than 0", s)
	case x < 0:
		return 0, fmt.Errorf("amount %s: a budget cannot be negative", s)
	case !f.move:
		// Money cannot hold every amount: sim's range is checked here.
		if err := sim.CheckCurrency(x); err != nil {
			return 0, fmt.Errorf("amount %s: %w", s, err)
		}
	default:
		if _, err := sim.MoveAmount(x); err != nil {
			return 0, err
		}
	}
	return x, nil
}

// Update handles the form's keys.
func (f *budgetForm) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	c, keys := f.ctx, f.ctx.Keys
	switch {
	case key.Matches(k, keys.Close):
		c.Close()
		c.Info("cancelled")
	case k.Type == tea.KeyEnter:
		f.apply()
	case f.move && k.Type == tea.KeyUp:
		f.dest = (f.dest + len(f.dests) - 1) % len(f.dests)
	case f.move && k.Type == tea.KeyDown:
		f.dest = (f.dest + 1) % len(f.dests)
	case k.Type == tea.KeyRunes:
		for _, r := range k.Runes {
			if !(r >= '0' && r <= '9' || r == '.') {
				c.Warn(fmt.Sprintf("%q: type the amount in digits (enter applies, esc cancels)", string(r)))
				return nil
			}
		}
		if f.fresh {
			f.input.SetValue("")
			f.fresh = false
		}
		f.input, _ = f.input.Update(k)
	case k.Type == tea.KeyBackspace, k.Type == tea.KeyLeft, k.Type == tea.KeyRight,
		k.Type == tea.KeyDelete, k.Type == tea.KeyHome, k.Type == tea.KeyEnd:
		f.fresh = false
		f.input, _ = f.input.Update(k)
	}
	return nil
}

// apply sends the move or the new budget and closes the form; a bad
// amount keeps it open with the reason.
func (f *budgetForm) apply() {
	c := f.ctx
	x, err := f.amount()
	if err != nil {
		c.Warn(err.Error())
		return
	}
	c.Close()
	i := bidderIndex(c.Snap(), f.from)
	if !f.move {
		old := c.Shown.bidders[i].budget.Float()
		c.Change(sim.SetBudget{Bidder: f.from, Total: sim.MoneyOf(x)},
			fmt.Sprintf("%s budget %s → %s", f.from, format.Money(old), format.Money(x)),
			func() { c.Shown.bidders[i].budget, c.Shown.bidders[i].unlimited = sim.MoneyOf(x), false })
		return
	}
	to := f.dests[f.dest]
	j := bidderIndex(c.Snap(), to)
	what := fmt.Sprintf("move %s budget %s → %s", format.Money(x), f.from, to)
	if g, ok := c.Snap().FindGroup(f.group); ok {
		what += fmt.Sprintf(" (group %s total stays %s)", f.group, format.Money(g.Budget.Float()))
	}
	m, _ := sim.MoveAmount(x) // amount has checked it
	c.Change(sim.MoveBudget{From: f.from, To: to, Amount: m}, what, func() {
		c.Shown.bidders[i].budget -= m
		c.Shown.bidders[j].budget += m
	})
}

// bidderIndex is the position of the bidder named name in s.
func bidderIndex(s *sim.Snapshot, name string) int {
	for i, b := range s.Bidders {
		if b.Name == name {
			return i
		}
	}
	return 0
}

// View draws the dashboard above the form.
func (f *budgetForm) View(w, h int) string {
	return viewAbove(f.ctx, w, h, formLines) + "\n" + f.formView(w)
}

// formView is the form itself: what it does, the amount, the destination.
func (f *budgetForm) formView(w int) string {
	c, st := f.ctx, f.ctx.Theme
	b, _ := c.Snap().FindBidder(f.from)
	title := st.Title.Render("Set budget") + st.Dim.Render(" of "+f.from)
	if f.move {
		title = st.Title.Render("Move budget") + st.Dim.Render(" from "+f.from)
		if f.group != "" {
			if g, ok := c.Snap().FindGroup(f.group); ok {
				title += st.Dim.Render(fmt.Sprintf(" · group %s, total %s (kept)", f.group, format.Money(g.Budget.Float())))
			}
		}
	}
	lines := []string{title}
	lines = append(lines, st.Label.Render("amount ")+st.Value.Render(f.input.View())+
		st.Dim.Render(fmt.Sprintf("   budget %s, spent %s", format.Money(b.Budget.Float()), format.Money(b.Spend.Float()))))
	if f.move {
		var dl []string
		for i, d := range f.dests {
			if i == f.dest {
				dl = append(dl, st.Selected.Render("▸"+d))
			} else {
				dl = append(dl, " "+d)
			}
		}
		lines = append(lines, st.Label.Render("to ")+strings.Join(dl, " "))
	} else if r := b.Unspent; r != sim.UnspentNone {
		lines = append(lines, st.Warn.Render("! "+r.Explain()))
	}
	return format.Block(lines, w, formLines)
}

// Refresh has the dashboard above the form rebuild its panels for the
// room the form leaves.
func (f *budgetForm) Refresh() { refreshAbove(f.ctx, formLines) }

// refreshAbove lays the dashboard out in the body less the n lines an
// overlay at the bottom takes.
func refreshAbove(c *Context, n int) {
	h := c.BodyH
	c.BodyH = max(h-n, 1)
	c.views[0].Refresh()
	c.BodyH = h
}

// viewAbove draws the dashboard in w×h less the n lines an overlay at the
// bottom takes, as refreshAbove laid it out.
func viewAbove(c *Context, w, h, n int) string { return c.views[0].View(w, max(h-n, 1)) }

// ShortHelp is the form's keys.
func (f *budgetForm) ShortHelp() []key.Binding {
	k := f.ctx.Keys
	bs := []key.Binding{key.NewBinding(key.WithKeys("0"), key.WithHelp("0-9", "amount")),
		relabel(k.Pick, "apply"), relabel(k.Close, "cancel")}
	if f.move {
		bs = append([]key.Binding{relabel(k.Move, "to")}, bs...)
	}
	return append(bs, k.Help, k.Quit)
}

// FullHelp is the same keys in one column.
func (f *budgetForm) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }
