package sim

import (
	"errors"
	"fmt"
	"math"
)

// MoveBudget moves Amount (currency) of budget from one budgeted bidder to
// another, typically between the campaigns of one advertiser group. The
// two budgets change by exactly the same integer amount of Money, so their
// total, and the group's, is conserved exactly. A move is refused when
// From has less uncommitted budget (budget − spend − bids in flight) than
// Amount, when either bidder has no budget, or when they are the same.
type MoveBudget struct {
	From, To string
	Amount   float64
}

// KindMoveBudget is MoveBudget's kind in the change log.
const KindMoveBudget = "move_budget"

// Kind names the change for the change log: "move_budget".
func (MoveBudget) Kind() string { return KindMoveBudget }

// String describes the move for the change log.
func (c MoveBudget) String() string {
	return fmt.Sprintf("move budget %.2f %s → %s", c.Amount, c.From, c.To)
}

func (c MoveBudget) apply(e *Engine) error {
	from, err := e.bidder(c.From)
	if err != nil {
		return err
	}
	to, err := e.bidder(c.To)
	if err != nil {
		return err
	}
	switch {
	case from == to:
		return errors.New("from and to are the same bidder")
	case !from.budgeted || from.noTotal:
		return fmt.Errorf("%s has no budget to move from", c.From)
	case !to.budgeted || to.noTotal:
		return fmt.Errorf("%s has no budget (unlimited) to move to", c.To)
	case !(c.Amount > 0) || math.IsInf(c.Amount, 1):
		return fmt.Errorf("amount %g must be a finite number > 0", c.Amount)
	}
	m := MoneyOf(c.Amount / e.scale)
	if m <= 0 {
		return fmt.Errorf("amount %g is less than the smallest unit of money (1e-9)", c.Amount)
	}
	if free := from.uncommitted(); m > free {
		return fmt.Errorf("%s has only %.2f of uncommitted budget (budget %.2f − spent %.2f − bids in flight %.2f), less than %.2f",
			c.From, free.Float(), from.budget.Float(), from.stats.Spend.Float(), from.reserved.Float(), c.Amount)
	}
	from.budget -= m
	to.budget += m
	return nil
}

// uncommitted is the budget neither spent nor reserved by bids in flight.
func (b *bidder) uncommitted() Money {
	return max(b.budget-b.stats.Spend-b.reserved, 0)
}

// Uncommitted returns the budget bidder name can still move: its budget
// minus its spend and the bids it has in flight. ok is false when there is
// no such bidder or it has no budget.
func (e *Engine) Uncommitted(name string) (m Money, ok bool) {
	b, err := e.bidder(name)
	if err != nil || !b.budgeted || b.noTotal {
		return 0, false
	}
	return e.full(b.uncommitted()), true
}
