package tui

import (
	"io"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestSpendBarZeroBudget: a member at 0/0 (a budget of 0, nothing spent)
// draws an empty bar at 0%, not a full one at 100%; a budget spent into
// is full; half a budget is half.
func TestSpendBarZeroBudget(t *testing.T) {
	for _, c := range []struct {
		spend, budget, frac float64
		full                bool
	}{
		{0, 0, 0, false},
		{3, 0, 1, true},
		{5, 10, 0.5, false},
	} {
		cell, frac := spendBar(c.spend, c.budget, 12)
		if frac != c.frac {
			t.Errorf("%v/%v: share %v, want %v", c.spend, c.budget, frac, c.frac)
		}
		if c.frac == 0 && strings.Contains(cell, "█") {
			t.Errorf("%v/%v: %q has a filled cell", c.spend, c.budget, cell)
		}
		if full := !strings.Contains(cell, "░"); full != c.full {
			t.Errorf("%v/%v: %q full %v, want %v", c.spend, c.budget, cell, full, c.full)
		}
	}
}

// TestGroupRowUnlimited: the total row of a group with a member without a
// budget says it has no cap, not a bar against a budget of 0.
func TestGroupRowUnlimited(t *testing.T) {
	c := &Context{Theme: theme.New(theme.NewRenderer(io.Discard, true)), Frame: runner.Frame{Snap: &sim.Snapshot{}}}
	cols := []column{{colName, "bidder", 14}, {colSpend, "spend / budget", 30}}
	g := sim.GroupStats{Name: "shop", Members: []string{"a"}, Unlimited: 1, Spend: sim.MoneyOf(12)}
	row, _ := groupRow(c, g, cols, tableNames(c.Snap()))
	if !strings.Contains(row[1], "no cap") || strings.Contains(row[1], "█") {
		t.Errorf("unlimited group's spend cell %q", row[1])
	}
	g.Unlimited, g.Budget = 0, sim.MoneyOf(24)
	if row, _ = groupRow(c, g, cols, tableNames(c.Snap())); !strings.Contains(row[1], "█") || strings.Contains(row[1], "no cap") {
		t.Errorf("budgeted group's spend cell %q", row[1])
	}
	// Daily budgets alone: the day in progress against their sum.
	g = sim.GroupStats{Name: "shop", Members: []string{"a", "b"}, Unlimited: 2, Daily: sim.MoneyOf(40), Spend: sim.MoneyOf(100),
		Today: sim.DaySpend{Day: 3, Spend: sim.MoneyOf(10), Budget: sim.MoneyOf(40)}}
	if row, _ = groupRow(c, g, cols, tableNames(c.Snap())); !strings.Contains(row[1], "day 3") || !strings.Contains(row[1], "█") || strings.Contains(row[1], "no cap") {
		t.Errorf("daily-budget group's spend cell %q", row[1])
	}
	// Budgets beside daily budgets: both.
	g.Unlimited, g.Budget = 1, sim.MoneyOf(120)
	if row, _ = groupRow(c, g, cols, tableNames(c.Snap())); !strings.Contains(row[1], "/day") || strings.Contains(row[1], "no cap") {
		t.Errorf("budget and daily group's spend cell %q", row[1])
	}
}
