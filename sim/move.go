package sim

import (
	"errors"
	"fmt"
	"math"
)

// MoveBudget moves Amount of budget from one budgeted bidder to
// another, typically between the campaigns of one advertiser group. The
// two budgets change by exactly the same integer amount of Money, so their
// total, and the group's, is conserved exactly. A move is refused when
// From has less uncommitted budget (budget − spend − bids in flight) than
// Amount, when either bidder has no budget, or when they are the same.
type MoveBudget struct {
	From, To string
	Amount   Money
}

// KindMoveBudget is MoveBudget's kind in the change log.
const KindMoveBudget = "move_budget"

// Kind names the change for the change log: "move_budget".
func (MoveBudget) Kind() string { return KindMoveBudget }

// String describes the move for the change log.
func (c MoveBudget) String() string {
	return fmt.Sprintf("move budget %.2f %s → %s", c.Amount.Float(), c.From, c.To)
}

// MoveAmount converts a move's amount in currency to Money, refusing, in
// the words Apply uses for a Money ≤ 0, what no move can take: a number
// that is not finite and > 0, or that rounds to no Money at all.
func MoveAmount(amount float64) (Money, error) {
	if !(amount > 0) || math.IsInf(amount, 1) {
		return 0, notPositive(amount)
	}
	m := MoneyOf(amount)
	if m <= 0 {
		return 0, fmt.Errorf("amount %g is less than %s", amount, SmallestMoney)
	}
	return m, nil
}

// notPositive refuses a move's amount that is not a finite number > 0.
func notPositive(amount float64) error {
	return fmt.Errorf("amount %g must be a finite number > 0", amount)
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
	case c.Amount <= 0:
		return notPositive(c.Amount.Float())
	}
	m := c.Amount
	if e.scale > 1 {
		m = MoneyOf(c.Amount.Float() / e.scale)
		if m <= 0 {
			return fmt.Errorf("amount %g is less than %s at traffic scale %g", c.Amount.Float(), SmallestMoney, e.scale)
		}
	}
	if free := from.uncommitted(); m > free {
		return fmt.Errorf("%s has only %.2f of uncommitted budget (budget %.2f − spent %.2f − bids in flight %.2f), less than %.2f",
			c.From, free.Float(), from.budget.Float(), from.stats.Spend.Float(), from.reserved.Float(), m.Float())
	}
	if to.budget > MaxAmount-m {
		// Moves into one bidder from many could otherwise pass what
		// Money holds.
		return fmt.Errorf("%s would have a budget of %.2f, more than the largest budget (%.3g)", c.To, to.budget.Float()+m.Float(), MaxAmount.Float())
	}
	dry := to.dry()
	from.budget -= m
	to.budget += m
	if e.scale > 1 {
		// As given, at full scale: the totals reported move by exactly
		// the amount, whatever the division rounded.
		from.total = max(from.total-c.Amount, 0)
		to.total = addMoney(to.total, c.Amount)
	}
	e.restartUnstarted(from)
	e.restartUnstarted(to)
	e.reopen(to, dry)
	return nil
}

// dry reports whether b has nothing left of its total budget: its
// controller has parked (multiplier pacing's μ at its maximum, throttle
// pacing's probability at its least) until a change gives it more.
func (b *bidder) dry() bool { return b.budgeted && !b.noTotal && b.budget <= b.stats.Spend }

// reopen starts b's pacing afresh when a change gave budget to b, which
// had none left (wasDry) before it: from where it parked, the controller
// would take many updates to open again (multiplier pacing comes down
// from μ = 100 by at most ε = 0.5 an update), bidding nothing meanwhile;
// it starts instead as at a daily budget's midnight, from the even rate
// of what it now has over the rest of the horizon. Not at virtual time 0,
// where restartUnstarted has started it.
func (e *Engine) reopen(b *bidder, wasDry bool) {
	if wasDry && e.now > 0 && !b.dry() {
		e.startController(b)
	}
}

// restartUnstarted starts b's pacing again from its budget now when the
// run has not begun (virtual time 0, the dashboard paused before its first
// auction): a budget changed then is the run's budget from the start, as
// --set would give it, and pacing's start-up (multiplier pacing's search
// for μ from the even rate, throttle pacing's prior) reads it. Later, the
// controller follows the change from where it stands.
func (e *Engine) restartUnstarted(b *bidder) {
	if e.now == 0 {
		e.startController(b)
	}
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

// DailyAlone reports whether b is a daily budget with no total cap: Total
// 0 beside Daily > 0 (a total of 0 beside a daily budget is no total cap).
func (b Budget) DailyAlone() bool { return b.Daily > 0 && b.Total == 0 }

// MovesDaily is the rule of a budget move between two budgeted bidders,
// from (budget fb) and to (budget tb), whatever makes it (compare --move
// before a run, the dashboard's m during one): which budget it moves,
// keeping the two's sum. It is split's rule for a group of two: when one
// of them has a daily budget alone and both have daily budgets (the
// other's alone or beside a total), it moves their daily budgets (daily
// true: budget.daily; a total beside one stays as it is); otherwise their
// totals (a daily budget beside a total stays as it is). A move between a
// daily budget alone and a total alone (no daily budget) is refused with
// a *MixedMoveError: a total of 0 beside a daily budget is no total cap,
// so moving total to it would cap it at the amount moved, from it there
// is no total to give, and the other has no daily budget to move.
func MovesDaily(from string, fb Budget, to string, tb Budget) (daily bool, err error) {
	switch a, b := fb.DailyAlone(), tb.DailyAlone(); {
	case a && tb.Daily == 0:
		return false, &MixedMoveError{Daily: from, Total: to}
	case b && fb.Daily == 0:
		return false, &MixedMoveError{Daily: to, Total: from}
	default:
		return a || b, nil
	}
}

// MixedMoveError refuses a budget move between a bidder with a daily
// budget alone (Daily) and one with a total alone, no daily budget
// (Total): a move keeps the sum of one kind of budget. The caller adds
// how to make the move possible in its own terms (--change, or the
// dashboard's :).
type MixedMoveError struct {
	Daily, Total string
}

func (e *MixedMoveError) Error() string {
	return fmt.Sprintf("%s has a daily budget alone (budget.daily, no total) and %s a total alone (no budget.daily): a move keeps a sum of one kind of budget", e.Daily, e.Total)
}
