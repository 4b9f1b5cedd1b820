package summary

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// TestGroups: a run with a group has a Groups table with the group's sums,
// and a member sim flagged as behind its budget is listed with the
// reason; without groups there is no such table.
func TestGroups(t *testing.T) {
	out := &sim.Outcome{CTR: 0.1, CVR: 0.1, OrderValue: sim.MoneyOf(5), Delay: sim.Constant(0)}
	cfg := sim.Config{
		Seed:     2,
		Traffic:  sim.Traffic{QPS: 500},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond, Floor: sim.PriceOf(0.5)},
		Horizon:  10 * sim.Second,
		Bidders: []sim.BidderConfig{
			{Name: "strong", Group: "acme", Value: sim.Uniform(1, 3), Outcome: out, Budget: &sim.Budget{Total: sim.MoneyOf(1)}},
			{Name: "weak", Group: "acme", Value: sim.Uniform(0, 0.6), Outcome: out, Budget: &sim.Budget{Total: sim.MoneyOf(5)}},
			{Name: "rival", Value: sim.Uniform(1, 2)},
		},
	}
	e := newEngine(t, cfg)
	e.RunUntil(10 * sim.Second)
	snap := e.Snapshot()
	g, _ := snap.FindGroup("acme")
	weak, _ := snap.FindBidder("weak")
	if weak.Unspent == sim.UnspentNone {
		t.Fatal("weak is not flagged: the test proves nothing")
	}
	for _, w := range []int{0, 80} {
		s := Render(snap, Run{Scenario: "g"}, Options{Width: w})
		if !strings.Contains(s, "Groups  "+UnitsNote) || !strings.Contains(s, format.Money(g.Budget.Float())) ||
			!strings.Contains(s, format.ROAS(g.IncrementalROAS())) {
			t.Errorf("width %d: no group sums:\n%s", w, s)
		}
		if !strings.Contains(s, "! weak") || !strings.Contains(s, "values below the market") {
			t.Errorf("width %d: weak's flag or reason missing:\n%s", w, s)
		}
		if w > 0 {
			for _, l := range lines(s) {
				if lipgloss.Width(l) > w {
					t.Errorf("wider than %d: %q", w, l)
				}
			}
		}
	}
	if s := Render(snapshot(t, "solo"), Run{Scenario: "x"}, Options{}); strings.Contains(s, "Groups") {
		t.Error("a Groups table without groups")
	}
}

// TestGroupBudgetUnlimited: a group with a member without any budget has
// no cap, shown as ∞ rather than as the budgeted members' sum (0.00 when
// none has a budget); members with daily budgets alone add them "/day".
func TestGroupBudgetUnlimited(t *testing.T) {
	for _, c := range []struct {
		g    sim.GroupStats
		want string
	}{
		{sim.GroupStats{Name: "shop", Members: []string{"a"}, Unlimited: 1}, "∞"},
		{sim.GroupStats{Name: "shop", Members: []string{"a", "b"}, Unlimited: 1, Budget: sim.MoneyOf(50)}, "∞"},
		{sim.GroupStats{Name: "shop", Members: []string{"a", "b"}, Budget: sim.MoneyOf(50)}, "50.00"},
		// Daily budgets alone, or beside budgets: what the group may spend.
		{sim.GroupStats{Name: "shop", Members: []string{"a", "b"}, Unlimited: 2, Daily: sim.MoneyOf(40)}, "40.00/day"},
		{sim.GroupStats{Name: "shop", Members: []string{"a", "b"}, Unlimited: 1, Daily: sim.MoneyOf(30), Budget: sim.MoneyOf(120)}, "120.00 + 30.00/day"},
		{sim.GroupStats{Name: "shop", Members: []string{"a", "b", "c"}, Unlimited: 2, Uncapped: 1, Daily: sim.MoneyOf(30)}, "∞"},
	} {
		if got := groupBudget(c.g); got != c.want {
			t.Errorf("%+v: budget %q, want %q", c.g, got, c.want)
		}
	}
}

// TestUnspentLineDaily: a member flagged behind a daily budget alone is
// said to have left what its completed days' budgets leave, not its
// spend below a budget of 0.
func TestUnspentLineDaily(t *testing.T) {
	snap := snapshot(t, "swift")
	b := &snap.Bidders[0]
	b.Group, b.Unlimited, b.Budget, b.Daily, b.Spend, b.Unspent = "shop", true, 0, sim.MoneyOf(15), sim.MoneyOf(14), sim.UnspentGoal
	b.Days = []sim.DaySpend{{Day: 0, Spend: sim.MoneyOf(9), Budget: sim.MoneyOf(15)}, {Day: 1, Spend: sim.MoneyOf(5), Budget: sim.MoneyOf(15)}}
	snap.Now = sim.Day + 6*sim.Hour // day 1 in progress: not judged
	snap.Groups = []sim.GroupStats{{Name: "shop", Members: []string{b.Name}, Unlimited: 1, Daily: b.Daily, Spend: b.Spend}}
	out := Render(snap, Run{Scenario: "x"}, Options{})
	if want := "left 6.00 of its days' 15.00 unspent"; !strings.Contains(out, want) || strings.Contains(out, "left -") {
		t.Errorf("no %q in\n%s", want, out)
	}
}

// TestUnspentLineTotalAndDaily: a member flagged behind a total with a
// daily budget beside it is said to have left what its total leaves, and
// what it can really still spend today, the day in progress's remainder,
// when that is less.
func TestUnspentLineTotalAndDaily(t *testing.T) {
	snap := snapshot(t, "swift")
	b := &snap.Bidders[0]
	b.Group, b.Unlimited, b.Budget, b.Daily, b.Spend, b.Unspent = "shop", false, sim.MoneyOf(120), sim.MoneyOf(25), sim.MoneyOf(42), sim.UnspentGoal
	b.Days = []sim.DaySpend{{Day: 0, Spend: sim.MoneyOf(20), Budget: sim.MoneyOf(25)}, {Day: 1, Spend: sim.MoneyOf(22), Budget: sim.MoneyOf(25)}}
	snap.Now = sim.Day + 6*sim.Hour
	snap.Groups = []sim.GroupStats{{Name: "shop", Members: []string{b.Name}, Budget: b.Budget, Daily: b.Daily, Spend: b.Spend}}
	out := Render(snap, Run{Scenario: "x"}, Options{})
	if want := "left 78.00 of 120.00 (at most 3.00 of it today, its daily budget's remainder) unspent"; !strings.Contains(out, want) {
		t.Errorf("no %q in\n%s", want, out)
	}
	// Where the total leaves less than the day, the total says it all.
	b.Budget = sim.MoneyOf(44)
	snap.Groups[0].Budget = b.Budget
	out = Render(snap, Run{Scenario: "x"}, Options{})
	if want := "left 2.00 of 44.00 unspent"; !strings.Contains(out, want) {
		t.Errorf("no %q in\n%s", want, out)
	}
}

// TestGroupUnspentWithoutTotals: a group of daily budgets alone has no
// total to leave unspent: its unspent reads –, not 0.00 beside 40.00/day
// (flight-week's acme left a day's 1.02 of its 280); a group with a
// total shows what its totals leave.
func TestGroupUnspentWithoutTotals(t *testing.T) {
	daily := sim.GroupStats{Name: "acme", Members: []string{"a", "b"}, Unlimited: 2, Daily: sim.MoneyOf(40), Spend: sim.MoneyOf(278.98)}
	if got := groupUnspent(daily); got != format.Dash {
		t.Errorf("daily budgets alone: unspent %q, want %q", got, format.Dash)
	}
	both := sim.GroupStats{Name: "globex", Members: []string{"a", "b"}, Unlimited: 1, Daily: sim.MoneyOf(30), Budget: sim.MoneyOf(120), Unspent: sim.MoneyOf(0.09)}
	if got := groupUnspent(both); got != "0.09" {
		t.Errorf("a total beside daily budgets: unspent %q, want 0.09", got)
	}
}

// TestUnspentLineHeldOut: a member flagged held out is said to have had
// all of its bid requests held back when its holdout is 1, more than half
// below that.
func TestUnspentLineHeldOut(t *testing.T) {
	for share, want := range map[float64]string{1: "held back all of its bid requests", 0.8: "held back more than half of its bid requests"} {
		snap := snapshot(t, "swift")
		b := &snap.Bidders[0]
		b.Group, b.Budget, b.Spend, b.Unspent = "shop", sim.MoneyOf(120), sim.MoneyOf(2), sim.UnspentHeldOut
		b.Holdout = &sim.HoldoutStats{Share: share}
		snap.Groups = []sim.GroupStats{{Name: "shop", Members: []string{b.Name}, Budget: b.Budget, Spend: b.Spend}}
		out := strings.Join(strings.Fields(Render(snap, Run{Scenario: "x"}, Options{})), " ")
		if !strings.Contains(out, want) {
			t.Errorf("holdout %g: no %q in\n%s", share, want, out)
		}
	}
}

// TestGroupsNarrowKeepsEventual: at 80 columns the groups' table, some
// 130 wide, is two that fit, the second the conversions: pending and the
// incremental value matured and eventual, which a table cut to fit
// dropped first; piped (no width) it stays one table.
func TestGroupsNarrowKeepsEventual(t *testing.T) {
	out := &sim.Outcome{CTR: 0.1, CVR: 0.3, OrderValue: sim.MoneyOf(5), BaselineCVR: 0.01, Delay: sim.Exponential(float64(4 * sim.Second))}
	cfg := sim.Config{
		Seed:     4,
		Traffic:  sim.Traffic{QPS: 500},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond, Floor: sim.PriceOf(0.1)},
		Horizon:  10 * sim.Second,
		Bidders: []sim.BidderConfig{
			{Name: "a", Group: "acme", Value: sim.Uniform(1, 3), Outcome: out, Budget: &sim.Budget{Total: sim.MoneyOf(5)}},
			{Name: "b", Group: "acme", Value: sim.Uniform(1, 3), Outcome: out, Budget: &sim.Budget{Total: sim.MoneyOf(5)}},
			{Name: "rival", Value: sim.Uniform(1, 2)},
		},
	}
	e := newEngine(t, cfg)
	e.RunUntil(10 * sim.Second)
	snap := e.Snapshot()
	g, _ := snap.FindGroup("acme")
	if g.PendingConversions == 0 {
		t.Fatal("nothing pending: the test proves nothing")
	}
	row := func(s, head string) []string {
		// The table's row under the header that has head: its cells.
		ls := lines(s)
		for i, l := range ls {
			if strings.Contains(l, head) && i+2 < len(ls) {
				return strings.FieldsFunc(ls[i+2], func(r rune) bool { return r == '│' || r == ' ' })
			}
		}
		return nil
	}
	want := []string{format.Count(g.PendingConversions), format.Money(g.IncrementalValue.Float()), format.Money(g.Eventual.IncrementalValue.Float())}
	for _, w := range []int{0, 80} {
		s := Render(snap, Run{Scenario: "g"}, Options{Width: w})
		cells := strings.Join(row(s, "incr eventual │"), " ")
		for _, x := range want {
			if !strings.Contains(" "+cells+" ", " "+x+" ") {
				t.Errorf("width %d: no %s in the row %q:\n%s", w, x, cells, s)
			}
		}
		if two := strings.Contains(s, "Groups' conversions"); two != (w > 0) {
			t.Errorf("width %d: two tables %v:\n%s", w, two, s)
		}
		for _, l := range lines(s) {
			if w > 0 && lipgloss.Width(l) > w {
				t.Errorf("wider than %d: %q", w, l)
			}
		}
	}
}
