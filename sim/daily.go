package sim

import (
	"errors"
	"fmt"
	"math"
)

// DaySpend is one virtual day of a bidder with a daily budget: what the
// auctions that closed in it cost, against the day's budget.
type DaySpend struct {
	Day    int // from 0: [Day·24h, (Day+1)·24h) of virtual time
	Spend  Money
	Budget Money
}

// Ended says the day ended by now: it is whole, not in progress.
func (d DaySpend) Ended(now Time) bool { return Time(d.Day+1)*Day <= now }

// WholeDays sums the budgets and the spend of the days in days that
// ended by now: a day's plan follows the traffic, so the day in progress
// is not judged against its budget.
func WholeDays(days []DaySpend, now Time) (budget, spend Money) {
	for _, d := range days {
		if d.Ended(now) {
			budget, spend = addMoney(budget, d.Budget), addMoney(spend, d.Spend)
		}
	}
	return budget, spend
}

// daily is a bidder's daily budget: the days begun so far, the last one
// in progress. Days are added as time reaches them, at most one per
// virtual day of MaxRunTime, so memory stays bounded.
type daily struct {
	budget   Money
	delivery Delivery
	end      Time // the current day's end
	days     []DaySpend
	plan     *dayPlan // the traffic's share of the day by time of day
	// given are the budgets set at a traffic scale (as given, and as
	// the engine divides them), so that a snapshot reports a budget as
	// it was set, not the divided amount multiplied again; nil at scale 1.
	given []givenBudget
}

// givenBudget is a daily budget as set (full) and as the engine keeps it
// at its traffic scale (kept).
type givenBudget struct{ kept, full Money }

// set makes full, given at traffic scale s, the daily budget: kept
// divided by s, as it was given recorded (given).
func (d *daily) set(full Money, s float64) {
	d.budget = full
	if s > 1 {
		d.budget = MoneyOf(full.Float() / s)
		d.given = append(d.given, givenBudget{kept: d.budget, full: full})
	}
}

// full is the budget m (one of d's, as kept) at full scale s: as it was
// set when it was (the latest so kept), else m × s; d may be nil.
func (d *daily) full(m Money, s float64) Money {
	if d == nil {
		return scaleMoney(m, s)
	}
	for i := len(d.given) - 1; i >= 0; i-- {
		if d.given[i].kept == m {
			return d.given[i].full
		}
	}
	return scaleMoney(m, s)
}

// daysAt is the days begun by now, the last in progress: d's days and
// any begun since it last counted a bid. A day begins once time passes
// its first instant: a run of exactly 3 days has 3.
func (d *daily) daysAt(now Time) []DaySpend {
	out := append([]DaySpend(nil), d.days...)
	for n := int(max(now-1, 0) / Day); len(out) <= n; {
		out = append(out, DaySpend{Day: len(out), Budget: d.budget})
	}
	// A day that begins at now has not begun yet, unless an auction
	// closed at its first instant.
	for len(out) > 1 && Time(out[len(out)-1].Day)*Day >= now && out[len(out)-1].Spend == 0 {
		out = out[:len(out)-1]
	}
	return out
}

func newDaily(b *Budget) *daily {
	d := &daily{budget: b.Daily, delivery: b.Delivery, end: Day, plan: &dayPlan{}}
	if d.delivery == DeliveryDefault {
		d.delivery = DeliveryASAP
		if b.Pacing != PacingNone {
			d.delivery = DeliveryEven
		}
	}
	d.days = append(d.days, DaySpend{Budget: d.budget})
	return d
}

// roll begins the days up to the one holding now.
func (d *daily) roll(now Time) {
	if now < d.end {
		return
	}
	for n := int(now / Day); len(d.days) <= n; {
		d.days = append(d.days, DaySpend{Day: len(d.days), Budget: d.budget})
	}
	d.end = Time(len(d.days)) * Day
}

// left is what the day holding now has not spent.
func (d *daily) left(now Time) Money {
	d.roll(now)
	return d.leftAt(now)
}

// leftAt is left without beginning a day: a day not yet begun has its
// whole budget left.
func (d *daily) leftAt(now Time) Money {
	if now >= d.end {
		return d.budget
	}
	return d.budget - d.days[len(d.days)-1].Spend
}

// charge counts cost, paid at now, against now's day.
func (d *daily) charge(now Time, cost Money) {
	d.roll(now)
	last := &d.days[len(d.days)-1]
	last.Spend = addMoney(last.Spend, cost)
}

// planned is the share of the day's budget the plan has spent by offset
// into the day.
func (d *daily) planned(offset Time) float64 {
	g := d.plan.share(offset)
	if d.delivery == DeliveryFrontLoaded {
		return 1 - (1-g)*(1-g)
	}
	return g
}

// rho is the spend the plan asks of the interval [now, now+dt): what is
// left of the day in the proportion the plan gives the interval of the
// rest of the day (the part before midnight). +Inf with asap delivery:
// nothing to steer to.
func (d *daily) rho(now, dt Time) float64 {
	if d.delivery == DeliveryASAP {
		return math.Inf(1)
	}
	left := float64(max(d.left(now), 0))
	off := now % Day
	done := d.planned(off)
	if done >= 1 {
		return left // past the day's traffic: what is left, as it comes
	}
	next := d.planned(min(off+dt, Day))
	return left * (next - done) / (1 - done)
}

// rate is the plan's spend per ns at now, for the controllers' start.
func (d *daily) rate(now Time) float64 {
	const step = Minute
	return d.rho(now, step) / float64(step)
}

// dayPlan is the traffic's cumulative share of a day by time of day,
// from the daily shape: part i of the shape holds [starts[i],
// starts[i+1]) and the share before it, cum[i]. Without a shape the
// traffic is even over the day.
type dayPlan struct {
	starts []Time
	cum    []float64
}

// newDayPlan reads the shape's parts, whose first instants partStart gives.
func newDayPlan(shape []float64, partStart func(int) Time) *dayPlan {
	p := &dayPlan{}
	if len(shape) == 0 {
		return p
	}
	p.starts = make([]Time, len(shape)+1)
	p.cum = make([]float64, len(shape)+1)
	for i, m := range shape {
		p.starts[i+1] = partStart(i + 1)
		p.cum[i+1] = p.cum[i] + m*float64(p.starts[i+1]-partStart(i))
	}
	p.starts[0] = partStart(0)
	total := p.cum[len(shape)]
	for i := range p.cum {
		p.cum[i] /= total
	}
	p.cum[len(shape)] = 1
	return p
}

// share is the day's traffic before offset, a share in [0, 1].
func (p *dayPlan) share(offset Time) float64 {
	if p.cum == nil {
		return min(float64(offset)/float64(Day), 1)
	}
	n := len(p.cum) - 1
	if offset >= p.starts[n] {
		return 1
	}
	// The part holding offset; the shape has few parts.
	i := 0
	for i+1 < n && p.starts[i+1] <= offset {
		i++
	}
	w := float64(offset-p.starts[i]) / float64(p.starts[i+1]-p.starts[i])
	return p.cum[i] + w*(p.cum[i+1]-p.cum[i])
}

// KindDaily is SetDaily's kind.
const KindDaily = "budget_daily"

// SetDaily sets a bidder's daily budget from now on: the day in progress
// gets the new budget, and what it has spent so far counts against it,
// as SetBudget's total does; the days after it get it too. The bidder
// must have a daily budget already (budget.daily in the scenario): one
// cannot be added or removed live. With traffic.scale, Daily is at full
// scale, as the scenario writes it.
type SetDaily struct {
	Bidder string
	Daily  Money
}

// String describes the change for the change log.
func (c SetDaily) String() string {
	return fmt.Sprintf("%s daily budget %.2f", c.Bidder, c.Daily.Float())
}

// Kind names what the change sets.
func (SetDaily) Kind() string { return KindDaily }

func (c SetDaily) apply(e *Engine) error {
	b, err := e.bidder(c.Bidder)
	if err != nil {
		return err
	}
	field := bidderPath(c.Bidder, "budget.daily")
	if b.day == nil {
		return &FieldError{Field: field, Err: errNoDaily}
	}
	if c.Daily <= 0 {
		return &FieldError{Field: field, Err: fmt.Errorf("%g must be > 0 (a daily budget cannot be removed live)", c.Daily.Float())}
	}
	if err := currencyRange.check(c.Daily.Float()); err != nil {
		return &FieldError{Field: field, Err: err}
	}
	d := b.day
	d.set(c.Daily, e.scale)
	d.roll(e.now)
	d.days[len(d.days)-1].Budget = d.budget
	// The controller starts afresh at the day's new plan, as at midnight.
	e.startController(b)
	return nil
}

// errNoDaily refuses a live daily budget for a bidder without one.
var errNoDaily = errors.New("the bidder has no daily budget to change: a daily budget cannot be added live (set budget.daily in the scenario)")
