package tui

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// moveShare is the default amount of a budget move: a tenth of the group's
// total, or of its daily sum for a move of daily budgets (of
// the bidder's own budget when it has no group).
const moveShare = 0.10

// budgetForm is the small form of `m` (move budget from the selected
// bidder to another: totals, or daily budgets between a daily budget
// alone and another daily budget, as sim.MovesDaily rules for the pair) and `=` (set the selected bidder's total budget, or
// its daily budget or frequency cap when it has them). It draws under the
// dashboard, which stays in view above it. Typed digits edit the amount
// (the first one replaces the default), ↑/↓ pick the destination of a
// move or what `=` sets, enter applies through the runner, esc cancels.
// What sim refuses comes back on the status line.
type budgetForm struct {
	ctx   *Context
	move  bool   // m; else =
	from  string // the selected bidder
	group string // its group, if any
	// dests are where m may move to; dailies[i] says a move to dests[i]
	// moves budget.daily (sim.MovesDaily), else the totals.
	dests   []string
	dailies []bool
	dest    int
	input   textinput.Model
	fresh   bool // the amount is still the default: a digit replaces it
	// fields are what `=` may set of the bidder (fieldTotal always, then
	// fieldDaily and fieldCap when it has them); field is the one picked.
	fields []setField
	field  int
}

// setField is what the `=` form sets.
type setField int

const (
	fieldTotal setField = iota // budget.total
	fieldDaily                 // budget.daily
	fieldCap                   // frequency_cap.impressions, its window kept
)

// String names the field in the form: total, daily, cap.
func (f setField) String() string {
	switch f {
	case fieldDaily:
		return "daily"
	case fieldCap:
		return "cap"
	}
	return "total"
}

// value is the field's current value on sb, as the form's default.
func (f setField) value(sb *shownBidder) float64 {
	switch f {
	case fieldDaily:
		return sb.daily.Float()
	case fieldCap:
		if sb.cap == nil {
			return 0
		}
		return float64(sb.cap.Impressions)
	}
	return sb.budget.Float()
}

// input is the form's default amount for the field on sb: its value, or
// nothing for the total of a bidder without one (unlimited), whose 0
// would otherwise read as a budget and, applied, cap it at 0.
func (f setField) input(sb *shownBidder) string {
	if f == fieldTotal && sb.unlimited {
		return ""
	}
	return strconv.FormatFloat(f.value(sb), 'f', -1, 64)
}

// formLines is the form's height under the dashboard.
const formLines = 3

// openMoveForm opens the `m` form for the selected bidder, or says why
// not. Which budget a move moves is sim's rule (sim.MovesDaily), the one
// compare --move follows, for each destination: totals, or between a
// daily budget alone and another daily budget (alone or beside a total)
// their daily budgets, the sum kept either way. A daily budget alone and
// a total alone are not offered to each other; when that leaves no
// destination, the rule's refusal says why.
//
// A selected bidder with nothing left to move (a move emptied it) is not
// offered as the source, which could only be refused: the form moves
// from another (moveSource), the emptied bidder its first destination.
func openMoveForm(c *Context) {
	b, sb := c.SelectedBidder()
	if sb.unlimited && sb.daily == 0 {
		c.Warn(b.Name + " has no budget (unlimited): nothing to move")
		return
	}
	note := ""
	if src := moveSource(c, c.Selected); src != c.Selected {
		note = fmt.Sprintf("%s has no budget left to move: moving from %s", b.Name, c.Snap().Bidders[src].Name)
		b, sb = c.Snap().Bidders[src], &c.Shown.bidders[src]
	}
	snap := c.Snap()
	var dests []string
	var dailies []bool
	var mixed *sim.MixedMoveError
	g, grouped := snap.FindGroup(b.Group)
	for i, o := range snap.Bidders {
		ob := &c.Shown.bidders[i]
		if o.Name == b.Name || ob.unlimited && ob.daily == 0 || grouped && o.Group != b.Group {
			continue
		}
		d, err := sim.MovesDaily(b.Name, sb.budgetOf(), o.Name, ob.budgetOf())
		if err != nil {
			if mixed == nil {
				errors.As(err, &mixed)
			}
			continue
		}
		dests, dailies = append(dests, o.Name), append(dailies, d)
	}
	if note != "" {
		// The emptied bidder first: where a planner moving budget back
		// wants it.
		sel := c.Snap().Bidders[c.Selected].Name
		if i := slices.Index(dests, sel); i > 0 {
			d := dailies[i]
			dests = slices.Insert(slices.Delete(dests, i, i+1), 0, sel)
			dailies = slices.Insert(slices.Delete(dailies, i, i+1), 0, d)
		}
	}
	// The default amount is of the budget the first destination moves.
	daily := len(dailies) > 0 && dailies[0]
	base := sb.budget.Float()
	switch {
	case grouped && daily:
		base = groupDailySum(c, b.Group).Float()
	case grouped:
		base = g.Budget.Float()
	case daily:
		base = sb.daily.Float()
	}
	if len(dests) == 0 {
		where := "no other bidder has a budget"
		if grouped {
			where = "no other member of group " + b.Group + " has a budget"
		}
		if mixed != nil {
			// sim's refusal, in words that fit the status line.
			c.Warn("can't move between " + mixed.Daily + "'s daily budget alone and " + mixed.Total + "'s total alone: :bidders." + mixed.Daily + ".budget.total=AMOUNT gives it a total")
			return
		}
		c.Warn("cannot move budget from " + b.Name + ": " + where)
		return
	}
	f := newBudgetForm(c, true, centsDown(base*moveShare))
	f.from, f.group, f.dests, f.dailies = b.Name, b.Group, dests, dailies
	c.Open(f)
	c.Info(note)
}

// moveSource is the bidder m moves budget from when bidder i is
// selected: i itself, unless its total has nothing left to move (its
// budget, as shown, less its spend, under a cent: a move emptied it),
// when it is the last move's destination if that one has some left and
// may move to i (its group, or neither in one), else the one of those
// with the most left; i itself when none has any.
func moveSource(c *Context, i int) int {
	snap := c.Snap()
	left := func(j int) sim.Money {
		sb := &c.Shown.bidders[j]
		if sb.unlimited {
			return 0
		}
		return sb.budget - snap.Bidders[j].Spend
	}
	if sb := &c.Shown.bidders[i]; sb.unlimited || sb.daily > 0 || left(i) >= sim.MoneyOf(0.01) {
		// Unlimited or with a daily budget: a move of daily budgets
		// never empties one (dailyRoom).
		return i
	}
	best := i
	for j, o := range snap.Bidders {
		if j == i || o.Group != snap.Bidders[i].Group || left(j) < sim.MoneyOf(0.01) {
			continue
		}
		if o.Name == c.movedTo {
			return j
		}
		if best == i || left(j) > left(best) {
			best = j
		}
	}
	return best
}

// movesDaily reports whether the form is m to a destination whose move
// moves the daily budgets.
func (f *budgetForm) movesDaily() bool {
	return f.move && f.dest < len(f.dailies) && f.dailies[f.dest]
}

// groupDailySum is the sum of the daily budgets of group's members, as
// shown: what a move of daily budgets keeps, and what split divides (a
// daily budget beside a total counts, unlike sim's GroupStats.Daily,
// which adds up the members without a total).
func groupDailySum(c *Context, group string) sim.Money {
	var sum sim.Money
	for i, b := range c.Snap().Bidders {
		if b.Group == group {
			sum += c.Shown.bidders[i].daily
		}
	}
	return sum
}

// budgetOf is sb's budget as sim.MovesDaily reads it: its total (0 when
// it has none) and its daily budget.
func (sb *shownBidder) budgetOf() sim.Budget {
	t := sb.budget
	if sb.unlimited {
		t = 0
	}
	return sim.Budget{Total: t, Daily: sb.daily}
}

// openSetForm opens the `=` form for the selected bidder: on its total
// budget, or on its daily budget when that is the only budget it has.
func openSetForm(c *Context) {
	b, sb := c.SelectedBidder()
	fields := []setField{fieldTotal}
	if sb.daily != 0 {
		fields = append(fields, fieldDaily)
	}
	if sb.people {
		fields = append(fields, fieldCap)
	}
	field := 0
	if sb.daily != 0 && sb.unlimited {
		field = 1
	}
	f := newBudgetForm(c, false, 0)
	f.input.SetValue(fields[field].input(sb))
	f.input.CursorEnd() // SetValue keeps the cursor of the "0" before
	f.from, f.group, f.fields, f.field = b.Name, b.Group, fields, field
	c.Open(f)
	c.Info("")
}

// setting is what the `=` form sets now.
func (f *budgetForm) setting() setField {
	if len(f.fields) == 0 {
		return fieldTotal
	}
	return f.fields[f.field]
}

// pick moves the `=` form to the next (by +1) or previous field, its
// amount to that field's value.
func (f *budgetForm) pick(by int) {
	n := len(f.fields)
	if n < 2 {
		return
	}
	f.field = (f.field + by + n) % n
	sb := &f.ctx.Shown.bidders[bidderIndex(f.ctx.Snap(), f.from)]
	f.input.SetValue(f.setting().input(sb))
	f.input.CursorEnd()
	f.fresh = true
}

func newBudgetForm(c *Context, move bool, amount float64) *budgetForm {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 14
	in.SetValue(strconv.FormatFloat(amount, 'f', -1, 64))
	in.CursorEnd()
	in.Focus()
	return &budgetForm{ctx: c, move: move, input: in, fresh: true}
}

// groupDrift points a planner stepping a member's budget with b/B, or
// setting it with =, to m, which keeps the group's total.
func groupDrift(group string) string {
	return "; group " + group + "'s total changes: m moves budget and keeps it"
}

// groupDailyDrift is groupDrift for a member's daily budget set with =:
// the group's daily sum changes, where m would keep it.
func groupDailyDrift(group string) string {
	return "; group " + group + "'s daily sum changes: m moves budget and keeps it"
}

// centsDown rounds x down to whole cents: a default move never exceeds
// the share it stands for.
func centsDown(x float64) float64 { return math.Floor(x*100+1e-9) / 100 }

// amount parses the typed amount: a finite number > 0 (>= 0 for a total
// budget set with =); for a cap, a whole number of impressions, 0 for
// none.
func (f *budgetForm) amount() (float64, error) {
	s := strings.TrimSpace(f.input.Value())
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case s == "":
		return 0, fmt.Errorf("type the amount (esc cancels)")
	case err != nil || math.IsInf(x, 0) || math.IsNaN(x):
		return 0, fmt.Errorf("amount %q is not a number", s)
	case f.setting() == fieldCap && (x != math.Trunc(x) || x > sim.MaxCapImpressions):
		return 0, fmt.Errorf("cap %s: a whole number of impressions a person, at most %d (0: no cap)", s, sim.MaxCapImpressions)
	case f.setting() == fieldCap:
		return x, nil
	case f.setting() == fieldDaily && x <= 0:
		return 0, fmt.Errorf("daily budget %s: more than 0 (a daily budget cannot be removed live)", s)
	case f.move && x <= 0:
		return 0, fmt.Errorf("amount %s: a move needs more than 0", s)
	case x < 0:
		return 0, fmt.Errorf("amount %s: a budget cannot be negative", s)
	case x > 0 && sim.MoneyOf(x) == 0:
		// It would be set as no money at all, as a file refuses it.
		return 0, fmt.Errorf("amount %s is less than %s", s, sim.SmallestMoney)
	case !f.move:
		// Money cannot hold every amount: sim's range is checked here.
		if err := sim.CheckCurrency(x); err != nil {
			return 0, fmt.Errorf("amount %s: %w", s, err)
		}
	default:
		m, err := sim.MoveAmount(x)
		if err != nil {
			return 0, err
		}
		if f.movesDaily() {
			return x, f.dailyRoom(m)
		}
	}
	return x, nil
}

// dailyRoom refuses a move of m between daily budgets that From has not
// got, or that would leave it none: sim refuses a daily budget of 0 live
// (compare --move, before the run, gives such a bidder a budget of 0).
func (f *budgetForm) dailyRoom(m sim.Money) error {
	s := f.ctx.Shown.bidders
	from, to := s[bidderIndex(f.ctx.Snap(), f.from)].daily, s[bidderIndex(f.ctx.Snap(), f.dests[f.dest])].daily
	switch {
	case m > from:
		return fmt.Errorf("%s has %s/day of daily budget, less than the move", f.from, format.Money(from.Float()))
	case m == from:
		return fmt.Errorf("moving all of %s's %s/day would leave it no daily budget, which cannot be removed live: move less", f.from, format.Money(from.Float()))
	}
	if err := sim.CheckCurrency(to.Float() + m.Float()); err != nil {
		return fmt.Errorf("%s's daily budget would be %s: %w", f.dests[f.dest], format.Money(to.Float()+m.Float()), err)
	}
	return nil
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
	case k.Type == tea.KeyUp:
		f.pick(-1)
	case k.Type == tea.KeyDown:
		f.pick(1)
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
	if sb := &c.Shown.bidders[i]; !f.move && f.unchanged(sb, x) {
		// Enter on the amount as it opened: no change to log or replay.
		c.Info(fmt.Sprintf("%s's %s unchanged", f.from, f.setting().noun()))
		return
	}
	switch f.setting() {
	case fieldDaily:
		setDaily(c, c.Snap().Bidders[i], &c.Shown.bidders[i], x)
		return
	case fieldCap:
		var to *sim.FrequencyCap
		if x > 0 {
			per := capPerDefault
			if old := c.Shown.bidders[i].cap; old != nil {
				per = old.Per
			}
			to = &sim.FrequencyCap{Impressions: int(x), Per: per}
		}
		setCap(c, c.Snap().Bidders[i], &c.Shown.bidders[i], to)
		return
	}
	if !f.move {
		// A bidder without a total had none, not a total of 0.
		old := "unlimited"
		if !c.Shown.bidders[i].unlimited {
			old = format.Money(c.Shown.bidders[i].budget.Float())
		}
		what := fmt.Sprintf("%s budget %s → %s", f.from, old, format.Money(x))
		if g := c.Snap().Bidders[i].Group; g != "" {
			what += groupDrift(g) // as b and B say it
		}
		c.Change(sim.SetBudget{Bidder: f.from, Total: sim.MoneyOf(x)}, what,
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
	c.movedTo = to
	if f.movesDaily() {
		moveDaily(c, f.from, to, f.group, m)
		return
	}
	c.Change(sim.MoveBudget{From: f.from, To: to, Amount: m}, what, func() {
		c.Shown.bidders[i].budget -= m
		c.Shown.bidders[j].budget += m
	})
}

// moveDaily moves m of daily budget from one bidder to another, one of
// them with a daily budget alone, the other's alone or beside a total
// (which stays), as compare --move does: the two assignments
// bidders.FROM.budget.daily and bidders.TO.budget.daily, their sum kept,
// made together: two entries in the log at one instant, each its
// assignment, which a replay reads back as they are.
func moveDaily(c *Context, from, to, group string, m sim.Money) {
	i, j := bidderIndex(c.Snap(), from), bidderIndex(c.Snap(), to)
	a, b := &c.Shown.bidders[i], &c.Shown.bidders[j]
	na, nb := a.daily-m, b.daily+m
	what := fmt.Sprintf("move %s/day of daily budget %s → %s: %s/day and %s/day", format.Money(m.Float()), from, to, format.Money(na.Float()), format.Money(nb.Float()))
	if group != "" {
		what += fmt.Sprintf(" (group %s daily sum stays %s/day)", group, format.Money(groupDailySum(c, group).Float()))
	}
	optimistic := func() { a.daily, b.daily = na, nb }
	c.Changes([]sim.Change{sim.SetDaily{Bidder: from, Daily: na}, sim.SetDaily{Bidder: to, Daily: nb}}, what, optimistic)
}

// unchanged reports whether setting x on sb leaves it as it is: the same
// total or daily budget, the same number of impressions in the cap, or
// no cap (0) where there is none.
func (f *budgetForm) unchanged(sb *shownBidder, x float64) bool {
	switch f.setting() {
	case fieldCap:
		if sb.cap == nil {
			return x == 0
		}
		return x == float64(sb.cap.Impressions)
	case fieldDaily:
		return sim.MoneyOf(x) == sb.daily
	}
	return !sb.unlimited && sim.MoneyOf(x) == sb.budget
}

// noun names the field in a sentence: total budget, daily budget,
// frequency cap.
func (f setField) noun() string {
	switch f {
	case fieldDaily:
		return "daily budget"
	case fieldCap:
		return "frequency cap"
	}
	return "total budget"
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
	if len(f.fields) > 1 {
		heads := map[setField]string{fieldTotal: "Set total budget", fieldDaily: "Set daily budget", fieldCap: "Set frequency cap"}
		var fl []string
		for i, x := range f.fields {
			if i == f.field {
				fl = append(fl, st.Selected.Render("▸"+x.String()))
			} else {
				fl = append(fl, " "+x.String())
			}
		}
		title = st.Title.Render(heads[f.setting()]) + st.Dim.Render(" of "+f.from+" · ↑/↓ ") + strings.Join(fl, " ")
	}
	if f.movesDaily() {
		title = st.Title.Render("Move daily budget") + st.Dim.Render(" from "+f.from)
		if f.group != "" {
			title += st.Dim.Render(fmt.Sprintf(" · group %s, daily sum %s/day (kept)", f.group, format.Money(groupDailySum(c, f.group).Float())))
		}
	} else if f.move {
		title = st.Title.Render("Move budget") + st.Dim.Render(" from "+f.from)
		if f.group != "" {
			if g, ok := c.Snap().FindGroup(f.group); ok {
				title += st.Dim.Render(fmt.Sprintf(" · group %s, total %s (kept)", f.group, format.Money(g.Budget.Float())))
			}
		}
	}
	lines := []string{title}
	about := fmt.Sprintf("   budget %s, spent %s", format.Money(b.Budget.Float()), format.Money(b.Spend.Float()))
	if sb := c.Shown.bidders[bidderIndex(c.Snap(), f.from)]; !f.move && sb.unlimited {
		about = fmt.Sprintf("   no total budget (unlimited), spent %s: the amount typed caps it", format.Money(b.Spend.Float()))
	}
	switch {
	case f.movesDaily(), f.setting() == fieldDaily:
		today := 0.0
		if len(b.Days) > 0 {
			today = b.Days[len(b.Days)-1].Spend.Float()
		}
		about = fmt.Sprintf("   a day: budget %s, spent today %s (day %d)", format.Money(b.Daily.Float()), format.Money(today), max(len(b.Days)-1, 0))
	case f.setting() == fieldCap:
		about = "   impressions a person, 0: no cap"
		if fr := b.Frequency; fr != nil && fr.Cap != nil {
			about = fmt.Sprintf("   a person per %s (now %d; max seen %d; 0: no cap)", format.Window(fr.Cap.Per), fr.Cap.Impressions, fr.MaxInWindow)
		} else {
			about += fmt.Sprintf(", per %s", format.Window(capPerDefault))
		}
	}
	lines = append(lines, st.Label.Render("amount ")+st.Value.Render(f.input.View())+st.Dim.Render(about))
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
	} else if b.Unspent != sim.UnspentNone && f.setting() == fieldTotal {
		lines = append(lines, st.Warn.Render("! "+b.UnspentWhy()))
	}
	return format.Block(lines, w, formLines)
}

// Refresh has the dashboard above the form rebuild its panels for the
// room the form leaves.
func (f *budgetForm) Refresh() { refreshAbove(f.ctx, formLines) }

// refreshAbove lays the view beneath the overlay on top (the dashboard, or
// the panel the command line was opened from) out in the body less the n
// lines the overlay takes at the bottom.
func refreshAbove(c *Context, n int) {
	h := c.BodyH
	c.BodyH = max(h-n, 1)
	c.beneath().Refresh()
	c.BodyH = h
}

// viewAbove draws the view beneath the overlay on top in w×h less the n
// lines the overlay takes at the bottom, as refreshAbove laid it out.
func viewAbove(c *Context, w, h, n int) string { return c.beneath().View(w, max(h-n, 1)) }

// ShortHelp is the form's keys.
func (f *budgetForm) ShortHelp() []key.Binding {
	k := f.ctx.Keys
	bs := []key.Binding{key.NewBinding(key.WithKeys("0"), key.WithHelp("0-9", "amount")),
		relabel(k.Pick, "apply"), relabel(k.Close, "cancel")}
	if f.move {
		bs = append([]key.Binding{relabel(k.Move, "to")}, bs...)
	} else if len(f.fields) > 1 {
		names := make([]string, len(f.fields))
		for i, x := range f.fields {
			names[i] = x.String()
		}
		bs = append([]key.Binding{relabel(k.Move, strings.Join(names, "/"))}, bs...)
	}
	return append(bs, k.Help, k.Quit)
}

// FullHelp is the same keys in one column.
func (f *budgetForm) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }
