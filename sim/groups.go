package sim

import "math"

// GroupStats add up the bidders of one group: an advertiser running
// several campaigns (BidderConfig.Group). Counters are sums over the
// members; ratios are ratios of the sums, never means of the members'
// ratios.
type GroupStats struct {
	Name    string
	Members []string // in configuration order

	// Budget is the members' budgets added up; members without a budget
	// add nothing and are counted in Unlimited.
	Budget    Money
	Unlimited int // members without a budget
	// Daily adds up the daily budgets of the members without a (total)
	// budget, those counted in Unlimited: the group spends at most Budget
	// in all plus Daily a day. Uncapped counts the members with neither,
	// which leave the group without a cap; Today is the day in progress
	// of the members Daily adds up: their spend that day against Daily.
	Daily    Money
	Uncapped int
	Today    DaySpend
	// DailySum adds up every member's daily budget, beside a total or
	// not: the flight's daily sum that split --budget daily divides and
	// a daily move between members keeps.
	DailySum Money
	Spend    Money // every member's spend
	// Unspent is what the budgeted members have left: Σ (budget − spend).
	Unspent Money
	Wins    uint64
	// Conversions are those last-touch attribution credits to the ads,
	// caused and organic alike; IncrementalConversions the members'
	// model's truth (BidderStats.IncrementalConversions), which with
	// people is below CausedConversions, those the ads caused.
	// WithoutAdConversions are the members' people's conversions without
	// the ads (BidderStats.WithoutAdConversions), so that
	// IncrementalConversions = CausedConversions + the members' organic
	// ones − WithoutAdConversions.
	Conversions            uint64
	IncrementalConversions int64
	CausedConversions      uint64
	WithoutAdConversions   uint64
	// PendingConversions are drawn but not matured: their delay reaches
	// past now (at the end of a run, past its stop).
	PendingConversions uint64
	AttributedValue    Money // order value of Conversions
	IncrementalValue   Money // order value of IncrementalConversions
	CausedValue        Money // order value of CausedConversions
	// Eventual are the same figures counting the conversions still
	// pending as matured: the members' BidderStats.Eventual added up,
	// what the group's impressions so far will have earned.
	Eventual GroupOutcomes
}

// GroupOutcomes are a group's conversion figures, the sums of its
// members': Conversions are those last touch credits to the ads,
// CausedConversions those the ads caused, OrganicConversions those
// drawn as would-have-happened-anyway, WithoutAdConversions those the
// people reached would have made without the ads, so that
// IncrementalConversions = CausedConversions + OrganicConversions −
// WithoutAdConversions; the values are their order values.
type GroupOutcomes struct {
	Conversions            uint64
	CausedConversions      uint64
	OrganicConversions     uint64
	WithoutAdConversions   uint64
	IncrementalConversions int64
	AttributedValue        Money
	CausedValue            Money
	IncrementalValue       Money
}

// add adds member b's figures.
func (o *GroupOutcomes) add(b *BidderStats) {
	o.Conversions += b.AttributedConversions()
	o.CausedConversions += b.Conversions
	o.OrganicConversions += b.Organic
	o.WithoutAdConversions += b.WithoutAdConversions()
	o.IncrementalConversions += b.IncrementalConversions()
	o.AttributedValue = addMoney(o.AttributedValue, b.AttributedValue())
	o.CausedValue = addMoney(o.CausedValue, b.ValueCaused)
	o.IncrementalValue = addMoney(o.IncrementalValue, b.IncrementalValue())
}

// AttributedROAS is the group's attributed value / its spend; NaN when it
// spent nothing.
func (g GroupStats) AttributedROAS() float64 { return roas(g.AttributedValue, g.Spend) }

// IncrementalROAS is the group's incremental value / its spend; NaN when it
// spent nothing.
func (g GroupStats) IncrementalROAS() float64 { return roas(g.IncrementalValue, g.Spend) }

// CausedROAS is the group's caused value / its spend, as a member's
// BidderStats.CausedROAS: its incremental ROAS without people, above it
// with people. NaN when it spent nothing.
func (g GroupStats) CausedROAS() float64 { return roas(g.CausedValue, g.Spend) }

// UnspentReason says why a budgeted bidder is behind its budget.
type UnspentReason uint8

// Why a bidder leaves its budget unspent, tested in this order (the first
// that holds is the reason).
const (
	UnspentNone UnspentReason = iota // not flagged
	// UnspentDisabled: the bidder is disabled and receives no bid requests.
	UnspentDisabled
	// UnspentPacingBound: its pacing controller is pinned at the bound
	// where it spends least: multiplier pacing with μ at its cap (max_mu),
	// or throttle pacing with its participation probability at the floor
	// (0.001). The controller, not the market, holds the spend back.
	UnspentPacingBound
	// UnspentThrottled: throttle pacing sat out more than 5% of its bid
	// requests over the run.
	UnspentThrottled
	// UnspentLate: more than half of its bids arrived after tmax, so its
	// latency, not its value, keeps it from winning.
	UnspentLate
	// UnspentBelowMarket: none of the above: it bid on its requests, at its
	// value or at the shading its pacing asked for, and its bids won too
	// few auctions to spend the budget: its values are below the market's
	// prices.
	UnspentBelowMarket
	// UnspentGoal: it bids for a target (target_cpa, target_roas) and its
	// controller holds the bids down to keep it: the target allows no
	// more spend at these prices.
	UnspentGoal
	// UnspentCapped: its frequency cap kept it from bidding on more than
	// 5% of its bid requests: the people it may still show an ad to, not
	// its values, limit its spend. Tested after UnspentGoal.
	UnspentCapped
	// UnspentHeldOut: its incrementality test held back more than half of
	// its bid requests (outcome.holdout): the test, not the market, keeps
	// it from spending. Tested after UnspentDisabled. With a holdout of 1
	// it held back all of them (BidderStats.UnspentWhy says so).
	UnspentHeldOut
)

var unspentNames = [...]string{"", "disabled", "pacing_bound", "throttled", "late", "below_market", "goal", "capped", "held_out"}

// String is the reason's name as the JSON writes it ("below_market"); the
// empty string for UnspentNone.
func (r UnspentReason) String() string {
	if int(r) < len(unspentNames) {
		return unspentNames[r]
	}
	return "unknown"
}

// Explain says the reason in a sentence, for the dashboard and tables;
// BidderStats.UnspentWhy says it exactly for a bidder.
func (r UnspentReason) Explain() string {
	switch r {
	case UnspentDisabled:
		return "disabled: it receives no bid requests"
	case UnspentPacingBound:
		return "pacing at its bound: the controller holds its bids back as far as it can"
	case UnspentThrottled:
		return "throttled: pacing sat out more than 5% of its bid requests"
	case UnspentLate:
		return "late: more than half of its bids arrive after tmax"
	case UnspentBelowMarket:
		return "values below the market: its bids win too few auctions to spend the budget"
	case UnspentGoal:
		return "its target holds its bids down: the market's prices allow no more spend at the target"
	case UnspentCapped:
		return "frequency-capped: its cap kept it from bidding on more than 5% of its bid requests"
	case UnspentHeldOut:
		return "held out: its incrementality test held back more than half of its bid requests"
	}
	return ""
}

// UnspentWhy says in a sentence why b is flagged Unspent, for the
// dashboard and tables: its reason's Explain, except that a holdout of 1
// (every request in the control arm, by request or by person) held back
// all of its bid requests, not merely more than half. "" when b is not
// flagged.
func (b BidderStats) UnspentWhy() string {
	if b.Unspent == UnspentHeldOut && b.Holdout != nil && b.Holdout.Share >= 1 {
		return "held out: its incrementality test held back all of its bid requests"
	}
	return b.Unspent.Explain()
}

// unspentShare is how far behind its budget a bidder may fall before it is
// flagged: 5% of the budget.
const unspentShare = 0.05

// unspent flags a bidder whose spend is behind its budget by more than 5%
// of the budget, and says why. "Behind" is measured against the even
// schedule pacing aims for: budget × now/horizon, so that at the run's
// planned end (now ≥ horizon) the rule is "more than 5% of the budget
// unspent", and before it a bidder is flagged only when it lags the
// schedule by that much. Without a horizon the schedule is the whole
// budget; with a daily budget it is at most that budget a day. A daily
// budget alone (no total) is behind when the days completed spent less
// than their budgets by more than 5% of them: a day's plan follows the
// traffic, so the day in progress is not judged. st is the bidder's
// snapshot so far (its days included).
func (e *Engine) unspent(b *bidder, st *BidderStats) UnspentReason {
	if b.budgeted && b.noTotal && b.day != nil {
		budget, spend := WholeDays(st.Days, e.now)
		due, spent := float64(budget), float64(spend)
		if due == 0 || due-spent <= unspentShare*due {
			return UnspentNone
		}
		return e.unspentWhy(b, st)
	}
	if !b.budgeted || b.noTotal || b.budget <= 0 {
		return UnspentNone
	}
	if e.due(b)-float64(b.stats.Spend) <= unspentShare*float64(b.budget) {
		return UnspentNone
	}
	return e.unspentWhy(b, st)
}

// due is what the even schedule has b, with a total budget, spend by now
// (as the engine simulates it): budget × now/horizon, the whole budget
// without a horizon or past it, at most a day's budget a day with a daily
// budget.
func (e *Engine) due(b *bidder) float64 {
	due := float64(b.budget)
	if e.horizon > 0 && e.now < e.horizon {
		due *= float64(e.now) / float64(e.horizon)
	}
	if b.day != nil {
		// A daily budget lets it spend no more than a day's budget a day.
		due = min(due, float64(b.day.budget)*float64(e.now)/float64(Day))
	}
	return due
}

// Left is what the Unspent flag judges of b at now: what it has left of
// its total budget, of that budget; with a daily budget alone, of the
// days completed by now (the day in progress is not judged). It is what
// goes unspent, not what b may still spend today: with a daily budget
// beside a total, Remaining says that.
func (b BidderStats) Left(now Time) (left, of Money) {
	if !b.Unlimited || b.Daily == 0 {
		return b.Budget - b.Spend, b.Budget
	}
	of, spent := WholeDays(b.Days, now)
	return of - spent, of
}

// Remaining is what b can still spend from now on in the day in progress,
// as its budgets cap it: its total's remainder and, with a daily budget,
// at most the day's (its budget − its spend; a day's whole budget when
// the last day begun ended by now, as a run stopped at midnight), the
// smaller. Bids in flight are not counted. capped is false when no budget
// caps b.
func (b BidderStats) Remaining(now Time) (left Money, capped bool) {
	left = MaxMoney
	if !b.Unlimited {
		left, capped = max(b.Budget-b.Spend, 0), true
	}
	if b.Daily > 0 {
		day := b.Daily
		if n := len(b.Days); n > 0 && !b.Days[n-1].Ended(now) {
			day = max(b.Days[n-1].Budget-b.Days[n-1].Spend, 0)
		}
		left, capped = min(left, day), true
	}
	if !capped {
		return 0, false
	}
	return left, true
}

// budgetBinds reports whether b's budget holds its spend: it has one and
// keeps up with it (Unspent not flagged), with some of it due: spend
// within unspentShare of what the schedule has due by now (Unspent's
// allowance alone, a share of the whole budget, passes any spend early
// in a run), or with a daily budget alone a day completed or the day in
// progress spent to within unspentShare of its budget.
func (e *Engine) budgetBinds(b *bidder, st *BidderStats) bool {
	if !b.budgeted || st.Unspent != UnspentNone {
		return false
	}
	if b.noTotal && b.day != nil {
		n := len(st.Days)
		if n == 0 {
			return false
		}
		// unspent judged the days completed; without one, the day in
		// progress binds once it is spent.
		if st.Days[0].Ended(e.now) {
			return true
		}
		d := st.Days[n-1]
		return d.Budget > 0 && float64(d.Budget-d.Spend) <= unspentShare*float64(d.Budget)
	}
	// Unspent allows unspentShare of the budget behind the schedule,
	// which early in a run is all that is due: kept up with means within
	// that share of what is due.
	return b.budget > 0 && st.Spend > 0 && float64(b.stats.Spend) >= (1-unspentShare)*e.due(b)
}

// unspentWhy is why a bidder behind its budget is behind: the first of the
// reasons, in UnspentReason's order, that holds.
func (e *Engine) unspentWhy(b *bidder, st *BidderStats) UnspentReason {
	switch {
	case !b.enabled:
		return UnspentDisabled
	case 2*b.noBids[HeldOut] > st.BidRequests:
		return UnspentHeldOut
	case b.pacing == PacingMultiplier && b.mu >= e.maxMu,
		b.pacing == PacingThrottle && b.throttle <= minThrottle:
		return UnspentPacingBound
	case b.goalHolding():
		return UnspentGoal
	case st.Frequency != nil && float64(st.Frequency.Capped) > unspentShare*float64(st.BidRequests):
		return UnspentCapped
	case b.pacing == PacingThrottle && float64(st.Throttled) > unspentShare*float64(st.BidRequests):
		return UnspentThrottled
	case st.Bids > 0 && 2*st.Late > st.Bids:
		return UnspentLate
	}
	return UnspentBelowMarket
}

// planners fills in what the planner's tools read from a snapshot: each
// bidder's group, unspent flag and holdout test, and the groups' sums.
func (e *Engine) planners(s *Snapshot) {
	for i := range e.bidders {
		b, st := &e.bidders[i], &s.Bidders[i]
		st.Unspent = e.unspent(b, st)
		if st.Goal != nil {
			st.Goal.BudgetBound = e.budgetBinds(b, st) && st.Goal.ahead()
		}
		if b.hold != nil {
			h := b.hold.stats(st, b.outcome, b.freq, e.now)
			st.Holdout = &h
		}
	}
	s.Groups = groupStats(s.Bidders)
}

// groupStats adds up the groups of bs, in the order of their first member.
func groupStats(bs []BidderStats) []GroupStats {
	var out []GroupStats
	index := map[string]int{}
	for _, b := range bs {
		if b.Group == "" {
			continue
		}
		k, ok := index[b.Group]
		if !ok {
			k = len(out)
			index[b.Group] = k
			out = append(out, GroupStats{Name: b.Group})
		}
		g := &out[k]
		g.Members = append(g.Members, b.Name)
		if b.Daily > 0 {
			g.DailySum = addMoney(g.DailySum, b.Daily)
		}
		if b.Unlimited {
			g.Unlimited++
			if b.Daily > 0 {
				g.Daily = addMoney(g.Daily, b.Daily)
				if n := len(b.Days); n > 0 {
					d := b.Days[n-1]
					g.Today.Day = d.Day
					g.Today.Spend = addMoney(g.Today.Spend, d.Spend)
					g.Today.Budget = addMoney(g.Today.Budget, d.Budget)
				}
			} else {
				g.Uncapped++
			}
		} else {
			// Sums of many members' budgets can pass MaxMoney (ten
			// budgets of 10⁹): saturate, never wrap.
			g.Budget = addMoney(g.Budget, b.Budget)
			g.Unspent = addMoney(g.Unspent, max(b.Budget-b.Spend, 0))
		}
		g.Spend = addMoney(g.Spend, b.Spend)
		g.Wins += b.Wins
		g.Conversions += b.AttributedConversions()
		g.IncrementalConversions += b.IncrementalConversions()
		g.CausedConversions += b.Conversions
		g.WithoutAdConversions += b.WithoutAdConversions()
		g.PendingConversions += b.Pending
		g.AttributedValue = addMoney(g.AttributedValue, b.AttributedValue())
		g.IncrementalValue = addMoney(g.IncrementalValue, b.IncrementalValue())
		g.CausedValue = addMoney(g.CausedValue, b.ValueCaused)
		ev := b.Eventual()
		g.Eventual.add(&ev)
	}
	return out
}

// FindGroup returns the group named name in s, if there is one.
func (s *Snapshot) FindGroup(name string) (GroupStats, bool) {
	for _, g := range s.Groups {
		if g.Name == name {
			return g, true
		}
	}
	return GroupStats{}, false
}

// FindBidder returns the bidder named name in s, if there is one.
func (s *Snapshot) FindBidder(name string) (BidderStats, bool) {
	for _, b := range s.Bidders {
		if b.Name == name {
			return b, true
		}
	}
	return BidderStats{}, false
}

// MoveShare is the default amount of a budget move: a tenth of the group's
// total budget (of the bidder's own budget when it has no group).
const MoveShare = 0.1

// MoveOptions is what a budget-move form offers for bidder name: the
// default amount (MoveShare of its group's total budget, or of its own
// budget when it has no group) and the destinations, in configuration
// order: the other budgeted members of its group, or every other budgeted
// bidder, grouped or not, when it has no group. ok is false when the bidder is unknown or has
// no budget to move.
func (s *Snapshot) MoveOptions(name string) (amount float64, to []string, ok bool) {
	b, found := s.FindBidder(name)
	if !found || b.Unlimited {
		return 0, nil, false
	}
	total := b.Budget
	if g, in := s.FindGroup(b.Group); in && b.Group != "" {
		total = g.Budget
	}
	for _, o := range s.Bidders {
		if o.Name != name && !o.Unlimited && (b.Group == "" || o.Group == b.Group) {
			to = append(to, o.Name)
		}
	}
	return math.Round(MoveShare*total.Float()*100) / 100, to, true
}
