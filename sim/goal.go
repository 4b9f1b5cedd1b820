package sim

import (
	"errors"
	"fmt"
	"math"
)

// Goal bidding: strategies target_cpa and target_roas.
//
// A goal bidder maximises its conversions (target_cpa) or its conversion
// value (target_roas) subject to a return-on-spend (RoS) constraint,
// spend ≤ CPA × conversions or value ≥ ROAS × spend, and to its budget
// if it has one. It bids as the dual of that problem prescribes
// (the dual update: Balseiro, Lu & Mirrokni, "The Best of Many Worlds:
// Dual Mirror Descent for Online Allocation Problems", Operations
// Research 2023; that the optimal bids under budget and RoS constraints
// scale values uniformly: Aggarwal, Badanidiyuru & Mehta, "Autobidding
// with Constraints", WINE 2019; both multipliers together follow the
// same dual argument as Balseiro et al.'s work on budget and RoS
// constraints, which issue 21 cites). With v the impression's
// value at the target — v = CPA × E[conversions | impression], or
// E[conversion value | impression] / ROAS, from the bidder's outcome
// model — the Lagrangian of
//
//	max Σ v·x  s.t.  Σ p·x ≤ B,  Σ p·x ≤ Σ v·x
//
// with multipliers μ' ≥ 0 (budget) and λ ≥ 0 (RoS) is maximised per
// auction by bidding v·(1+λ)/(μ'+λ). Every impression of a bidder has the
// same expected conversions here, so v is one number per bidder; the
// bidder still draws its value (its draws stay as they were, and the
// value is what its surplus is counted in).
//
// What is implemented:
//
//   - The RoS multiplier λ is updated on the pacing interval by dual
//     mirror descent with the entropic mirror map, i.e. multiplicatively:
//     λ ← clamp(λ · exp(−η·g), λmin, λmax) with η = goalStep = 0.5 and
//     g = (W − Z)/max(Z, 10·u) clamped to [−1, 1], the constraint's
//     violation relative to the spend (u is one conversion's worth at
//     the target: below ten conversions' worth a shortfall of one or
//     two is noise, not a violation): W is the target's worth of the conversions
//     observed of the impressions won since the goal began (CPA ×
//     conversions, or value / ROAS: conversions of earlier impressions,
//     still maturing after a strategy change, are told apart by an epoch
//     in their events),
//     Z the spend whose conversions should have shown by now (below).
//     The theory's per-step gradient is one interval's w − z; here
//     conversions are rare (a few per interval at the bundled rates), so
//     one interval's gradient is mostly noise, and the cumulative ratio,
//     whose noise falls as conversions accrue, is used instead: it steers
//     the run's realised CPA or ROAS, which is what the target is about.
//     When it has spent nothing though 50 of its bids have closed,
//     g = +1 (the constraint is slack, and bidding more is the only way
//     to learn); before that, g = 0 (spend shows only as auctions
//     close). λ starts at goalStartLambda = 20 (bids 1.05 v, close to
//     the target's value: an early overshoot cannot be made up later
//     when the target binds) and stays in [1/9, 10³], the bid factor
//     (1+λ)/λ in [1.001, 10].
//   - A calibration κ ∈ [0.1, 1] scales the value: the bid is
//     κ·v·(1+λ)/λ. v is the outcome model's expectation, and where the
//     model overstates what an impression brings — people who have
//     converted do not convert again within their conversion_period, so
//     the more often the same people see the ads the fewer conversions an
//     impression brings — even bids at v cost more than the target, below
//     the range of (1+λ)/λ. The theory's bids assume v is right; an
//     autobidder recalibrates its predicted conversion rate to what it
//     observes (calibration as the ratio of observed to predicted
//     conversions, kept on fresh data: He et al., "Practical Lessons
//     from Predicting Clicks on Ads at Facebook", ADKDD 2014), and so
//     does κ, on recent data, because the overstatement is not
//     stationary: it grows as more of the people reached have converted
//     within the period. κ is
//     the ratio of two exponentially weighted sums, the worth observed
//     (W's increments) over the worth the model expects of the same
//     impressions (v × each interval's wins, weighted by G as the spend
//     is: the increments of that sum are the expected conversions
//     maturing in the step), with a memory of goalWindow = 200 expected
//     conversions (each step's weight decays by exp(−Δn/200), Δn the
//     step's expected conversions): its noise is about 1/√200 = 7%, which
//     averages out over a run, and its lag is the time to buy 200
//     conversions (a 1-hour conversion_period's growing repeats leave
//     the CPA 3–6% over the target in TestGoalCalibratesOverstatedValue;
//     the run's ratio, before, left 10–16%; in second price −9% to +1%
//     over 8 seeds, set by λ's early swings and the cumulative gradient's
//     over-correction of them rather than by κ). It is used once the window
//     is worth goalNoise conversions, capped at 1 (the model never
//     understates: conversions are drawn from it but for the repeats
//     dropped), and only with people: without them the model is exact
//     and κ = 1. A ratio, not an integrator, so it
//     cannot wind up.
//   - The budget's multiplier is the bidder's pacing controller, as for
//     every strategy: multiplier pacing divides the bid by 1+μ (bid =
//     v·(1+λ)/(λ(1+μ)), which is the Lagrangian bid with μ' = λμ), and
//     throttle pacing sits auctions out. So the budget is spent to the
//     plan when the target allows, and when it does not, λ holds the
//     bids down and the budget is under-spent (UnspentGoal). While the
//     budget holds the spend back (μ > 0, a throttle below 1, or no
//     budget left) λ only rises: the budget binds, so the RoS constraint
//     may be slack, and lowering λ would raise bids the budget's
//     controller then has to chase down (two integrators fighting).
//
// Conversions are delayed (outcome.delay), so the spend of the last
// moments has not converted yet. The controller uses only what has been
// observed — conversions matured so far, attributed ones (or for
// `on: incremental` the value the ads caused) — rather than clicks × CVR,
// because observed conversions are what a real bidder is held to and
// include the organic ones last touch credits. It compares them with the
// spend weighted by the share of its conversions that should have
// matured: each interval's spend z_k counts G(now − t_k), G the delay's
// CDF (for attributed conversions F(min(a, window))/F(window)), so that
// w and z are both unbiased for the same impressions and a long delay
// neither starves nor floods the bids. Spend older than goalBuckets
// intervals counts in full.
//
// The realised CPA or ROAS reported counts every conversion the run's
// impressions led to, those still pending at its end included: they are
// drawn, and will happen; the controller never sees them early.

// GoalBase says which conversion value a target_roas bidder is held to.
type GoalBase uint8

// Goal bases.
const (
	OnAttributed  GoalBase = iota // last-touch attributed value (the default)
	OnIncremental                 // the value the ads caused
)

// String is the base as the scenario format spells it.
func (g GoalBase) String() string {
	switch g {
	case OnAttributed:
		return "attributed"
	case OnIncremental:
		return "incremental"
	}
	return fmt.Sprintf("GoalBase(%d)", g)
}

// ParseGoalBase reads attributed or incremental.
func ParseGoalBase(s string) (GoalBase, error) {
	return parseEnum(s, "base", OnAttributed, OnIncremental)
}

// Goal is a goal bidder's standing: its target, what it has realised and
// the controller's bid factor.
type Goal struct {
	Kind   StrategyKind // TargetCPA or TargetROAS
	On     GoalBase     // target_roas: the value it is held to
	Target float64      // CPA in currency, or ROAS
	// Realised is spend / conversions (target_cpa) or value / spend
	// (target_roas), counting the conversions still pending; NaN before
	// any spend or conversion.
	Realised float64
	// Multiplier is the bid factor κ(1+λ)/λ on the value at the target,
	// before any budget pacing: at least 1.001 unless the calibration κ
	// has scaled an overstated value down (at least 0.1).
	Multiplier float64
	// Calibration is κ, the factor's share that scales an overstated
	// value down: 1 but with people (outcome.conversion_period), in
	// [0.1, 1]. Multiplier / Calibration is (1+λ)/λ, at most 10: a goal
	// bidder bids the most it may when that is 10.
	Calibration float64
	// Value is the value of an impression at the target, in CPM.
	Value float64
	// BudgetBound is that its budget, not its target, limits it: it keeps
	// up with its budget (not behind it, as Unspent judges, and within 5%
	// of what its schedule has due by now; with a daily budget alone,
	// over the days completed, or the day in progress spent) while what it realised is better than the target (a CPA
	// below it, a ROAS above), so a miss of the target by that much is
	// the budget's doing.
	BudgetBound bool
}

// Controller constants: see the package comment above.
const (
	goalStep        = 0.5
	goalStartLambda = 20
	goalMinLambda   = 1.0 / 9
	goalMaxLambda   = 1e3
	goalMinKappa    = 0.1
	// goalWindow is the calibration's memory in expected conversions:
	// its estimate's noise is about 1/√goalWindow (7%), its lag the
	// time the bidder takes to buy that many.
	goalWindow  = 200
	goalBuckets = 256
	goalNoise   = 10
	// goalLosses is how many of its bids must have closed, none won,
	// before a goal bidder that has spent nothing bids more: spend shows
	// only as auctions close, and its first updates come before that.
	goalLosses = 50
)

// closedBids counts b's bids whose auctions have closed.
func (b *bidder) closedBids() uint64 {
	return b.count[OnTime] + b.count[BelowFloor] + b.count[Late]
}

// goalState is a goal bidder's controller.
type goalState struct {
	value   Price   // v, the impression's value at the target
	unit    float64 // one conversion's worth at the target (currency)
	lambda  float64 // the RoS multiplier
	kappa   float64 // the value's calibration, in [goalMinKappa, 1]
	factor  float64 // κ(1+λ)/λ
	wins    uint64  // wins at the last step, since the goal began
	g       Dist    // the delay, for G
	window  Time    // attribution window for G; 0: none
	fWindow float64 // F(window)
	// ring holds the latest intervals' spend and when they ended.
	ring   [goalBuckets]goalBucket
	n, at  int   // buckets in use, the next to write
	mature Money // spend older than the ring
	// matureWins are the wins older than the ring.
	matureWins uint64
	steps      int
	spend0     Money  // spend when the goal began
	wins0      uint64 // wins when the goal began
	bids0      uint64 // closed bids when the goal began
	// epoch tells this goal's conversions from those of impressions won
	// before it began (a strategy change), still maturing: it is in the
	// conversion events' arg above the kind's bits.
	epoch int32
	// obs counts the conversions of this goal's impressions matured so
	// far: attributed conversions, their value, and caused value.
	obsConv  uint64
	obsValue Money
	obsCause Money
	last     Money // spend at the last step
	// The calibration's exponentially weighted sums of the worth
	// observed and the worth the model expects of the same impressions,
	// and the running totals their increments are taken from.
	ewObs, ewExp     float64
	lastObs, lastExp float64
	// eventual counts the conversions drawn so far, matured or not:
	// attributed conversions, their value, and caused value.
	evConv  uint64
	evValue Money
	evCause Money
}

type goalBucket struct {
	spend Money
	wins  uint64
	at    Time // the interval's middle
}

// goalKind reports whether k is a goal strategy.
func goalKind(k StrategyKind) bool { return k == TargetCPA || k == TargetROAS }

// goalTarget is s's target: the CPA or the ROAS.
func (s Strategy) goalTarget() float64 {
	if s.Kind == TargetCPA {
		return s.CPA.Float()
	}
	return s.ROAS
}

// checkGoal checks a goal strategy against its bidder's outcome model and
// the run's horizon (the controller steps on the pacing interval); field
// is relative to the bidder.
func checkGoal(s Strategy, o *Outcome, horizon Time, slots int) (string, error) {
	if !goalKind(s.Kind) {
		return "", nil
	}
	if slots > 1 {
		// With several slots bids are per click, and the goal's value
		// is per impression.
		return "strategy.kind", fmt.Errorf("%s is not supported with several slots (bids per click)", s.Kind)
	}
	if o == nil {
		return "strategy.kind", fmt.Errorf("%s needs an outcome model (outcome: ctr, cvr, order_value…) to count conversions", s.Kind)
	}
	if horizon <= 0 {
		return "strategy.kind", fmt.Errorf("%s needs a horizon (the run's planned length) > 0: its controller steps on the pacing interval", s.Kind)
	}
	if goalValuePerImpression(s, o) <= 0 {
		if s.Kind == TargetROAS && o.OrderValue <= 0 {
			return "strategy.kind", errors.New("target_roas needs outcome.order_value > 0")
		}
		return "strategy.kind", fmt.Errorf("%s: the outcome model gives no conversions to bid for (ctr × cvr, or baseline_cvr for attributed, is 0)", s.Kind)
	}
	return "", nil
}

// goalConversions is the expected conversions per impression the goal is
// held to: attributed (organic and caused, within the window) or caused.
func goalConversions(s Strategy, o *Outcome) float64 {
	caused := (1 - o.BaselineCVR) * o.CTR * o.CVR
	if s.Kind == TargetROAS && s.On == OnIncremental {
		return caused
	}
	conv := o.BaselineCVR + caused
	if w := o.AttributionWindow; w > 0 && o.Delay.Kind != DistNone {
		conv *= o.Delay.CDF(float64(w))
	}
	return conv
}

// goalValuePerImpression is v in currency per impression.
func goalValuePerImpression(s Strategy, o *Outcome) float64 {
	q := goalConversions(s, o)
	switch s.Kind {
	case TargetCPA:
		return s.CPA.Float() * q
	case TargetROAS:
		if !(s.ROAS > 0) {
			return 0
		}
		return o.OrderValue.Float() * q / s.ROAS
	}
	return 0
}

// newGoal starts the controller of a goal strategy s for outcome o.
func newGoal(s Strategy, o *Outcome) *goalState {
	g := &goalState{
		value:  PriceOf(goalValuePerImpression(s, o) * 1000),
		lambda: goalStartLambda,
		kappa:  1,
		g:      o.Delay,
	}
	if !(s.Kind == TargetROAS && s.On == OnIncremental) {
		g.window = o.AttributionWindow
	}
	g.unit = s.CPA.Float()
	if s.Kind == TargetROAS {
		g.unit = o.OrderValue.Float() / s.ROAS
	}
	g.fWindow = 1
	if g.window > 0 && g.g.Kind != DistNone {
		g.fWindow = g.g.CDF(float64(g.window))
	}
	g.factor = (1 + g.lambda) / g.lambda
	return g
}

// bid is the goal bid before budget pacing.
func (g *goalState) bid() Price { return microPrice(float64(g.value) * g.factor) }

// share is G(a): the share of an impression's conversions that has
// matured a after it.
func (g *goalState) share(a Time) float64 {
	if g.g.Kind == DistNone {
		return 1 // no delay: conversions come with the impression
	}
	if g.window > 0 {
		a = min(a, g.window)
		if !(g.fWindow > 0) {
			return 1
		}
		return g.g.CDF(float64(a)) / g.fWindow
	}
	return g.g.CDF(float64(a))
}

// step runs one controller update at now, dt after the last, for bidder
// b whose observed worth at the target is w (currency); people says its
// conversions are per person (the calibration applies).
func (g *goalState) step(now, dt Time, spend Money, wins uint64, w float64, held, lost, people bool) {
	z := spend - g.last
	g.last = spend
	zw := wins - g.wins
	g.wins = wins
	if g.n == goalBuckets {
		g.mature = addMoney(g.mature, g.ring[g.at].spend) // oldest counts in full
		g.matureWins += g.ring[g.at].wins
	} else {
		g.n++
	}
	slot := &g.ring[g.at]
	*slot = goalBucket{spend: z, wins: zw, at: now - dt/2}
	g.at = (g.at + 1) % goalBuckets
	eff, effWins := g.mature.Float(), float64(g.matureWins)
	for i := range g.n {
		bk := &g.ring[i]
		sh := g.share(now - bk.at)
		eff += bk.spend.Float() * sh
		effWins += float64(bk.wins) * sh
	}
	// The calibration: the worth observed over what the model expects
	// of the same impressions, on the latest goalWindow expected
	// conversions (exponentially weighted), with people only.
	e := effWins * g.value.CPM() / 1000
	if de := e - g.lastExp; de > 0 || w != g.lastObs {
		decay := math.Exp(-max(0, de) / g.unit / goalWindow)
		g.ewExp = g.ewExp*decay + de
		g.ewObs = g.ewObs*decay + (w - g.lastObs)
	}
	g.lastExp, g.lastObs = e, w
	g.kappa = 1
	if people && g.ewExp >= goalNoise*g.unit {
		g.kappa = min(1, max(goalMinKappa, g.ewObs/g.ewExp))
	}
	g.steps++
	var grad float64
	switch {
	case spend <= 0:
		if lost {
			grad = 1 // its bids lose: slack, bid more
		}
	case eff > 0:
		// Relative to at least goalNoise conversions' worth: a shortfall
		// of a conversion or two is within the noise of so few.
		grad = min(1, max(-1, (w-eff)/max(eff, goalNoise*g.unit)))
	}
	if held && grad > 0 {
		// The budget binds, not the target: its controller sets the
		// spend, and raising the bids here would only make it chase.
		grad = 0
	}
	g.lambda = min(goalMaxLambda, max(goalMinLambda, g.lambda*math.Exp(-goalStep*grad)))
	g.factor = g.kappa * (1 + g.lambda) / g.lambda
}

// stepGoal runs b's goal controller at now, dt after the last update.
func (b *bidder) stepGoal(now, dt Time) {
	if b.goal == nil || dt <= 0 {
		return
	}
	lost := b.closedBids()-b.goal.bids0 >= goalLosses
	b.goal.step(now, dt, b.stats.Spend-b.goal.spend0, b.stats.Wins-b.goal.wins0, b.goalWorth(), b.budgetHolds(now), lost, b.freq != nil && b.freq.cv >= 0)
}

// budgetHolds reports whether b's budget, not its target, holds its
// spend back now: its pacing controller bids below the goal bid (μ > 0,
// or a throttle below 1), or there is no budget left (today).
func (b *bidder) budgetHolds(now Time) bool {
	if !b.budgeted {
		return false
	}
	left := b.budget - b.stats.Spend
	if b.day != nil {
		left = min(left, b.day.left(now))
	}
	switch {
	case left <= 0:
		return true
	case b.pacing == PacingMultiplier:
		return b.mu > 0 || b.search.active
	case b.pacing == PacingThrottle:
		return b.throttle < 1
	}
	return false
}

// startGoal starts b's goal controller for its strategy, or ends it for
// another strategy.
func (b *bidder) startGoal() {
	b.goal = nil
	if !goalKind(b.strategy.Kind) || b.outcome == nil {
		return
	}
	b.goal = newGoal(b.strategy, b.outcome)
	b.goal.spend0 = b.stats.Spend // spend and worth count from here: last is 0
	b.goal.wins0 = b.stats.Wins
	b.goal.bids0 = b.closedBids()
	b.goalEpoch = b.goalEpoch%maxGoalEpoch + 1
	b.goal.epoch = b.goalEpoch
}

// maxGoalEpoch bounds the epochs, so that epoch << convEpochShift fits
// an event's int32 arg. An epoch repeats only after 2²⁸ strategy changes.
const maxGoalEpoch = 1<<(31-convEpochShift) - 1

// goalHolding reports whether b's goal, not its bid cap, holds its bids
// down: the factor is below its largest.
func (b *bidder) goalHolding() bool {
	return b.goal != nil && b.goal.lambda > goalMinLambda
}

// goalWorth is what the conversions of b's goal's impressions observed so
// far are worth at its target.
func (b *bidder) goalWorth() float64 {
	g := b.goal
	switch b.strategy.Kind {
	case TargetCPA:
		return b.strategy.CPA.Float() * float64(g.obsConv)
	case TargetROAS:
		v := g.obsValue
		if b.strategy.On == OnIncremental {
			v = g.obsCause
		}
		return v.Float() / b.strategy.ROAS
	}
	return 0
}

// scheduled counts a conversion as it is drawn (kind as schedule's) and
// returns the kind marked with the goal's epoch.
func (g *goalState) scheduled(kind int32, value Money) int32 {
	if kind&convOutside == 0 {
		g.evConv++
		g.evValue = addMoney(g.evValue, value)
	}
	if kind&convCaused != 0 {
		g.evCause = addMoney(g.evCause, value)
	}
	return kind | g.epoch<<convEpochShift
}

// matured counts a conversion of kind as it matures, if it is one of
// this goal's impressions'.
func (g *goalState) matured(kind int32, value Money) {
	if kind>>convEpochShift != g.epoch {
		return
	}
	if kind&convOutside == 0 {
		g.obsConv++
		g.obsValue = addMoney(g.obsValue, value)
	}
	if kind&convCaused != 0 {
		g.obsCause = addMoney(g.obsCause, value)
	}
}

// ahead reports whether what g realised is better than its target: a CPA
// below it, a ROAS above it.
func (g *Goal) ahead() bool {
	if g.Kind == TargetROAS {
		return g.Realised > g.Target
	}
	return g.Realised < g.Target
}

// goalStats is where b's goal stands; nil for other strategies.
func (b *bidder) goalStats() *Goal {
	g := b.goal
	if g == nil || !goalKind(b.strategy.Kind) {
		return nil
	}
	s := b.strategy
	out := &Goal{Kind: s.Kind, On: s.On, Target: s.goalTarget(), Multiplier: g.factor, Calibration: g.kappa, Value: g.value.CPM(), Realised: math.NaN()}
	spend := (b.stats.Spend - g.spend0).Float()
	switch s.Kind {
	case TargetCPA:
		if g.evConv > 0 {
			out.Realised = spend / float64(g.evConv)
		}
	case TargetROAS:
		v := g.evValue
		if s.On == OnIncremental {
			v = g.evCause
		}
		if spend > 0 {
			out.Realised = v.Float() / spend
		}
	}
	return out
}

// slotCount is the number of slots the engine sells: 1 for the
// single-item auction.
func (e *Engine) slotCount() int {
	if e.slots == nil {
		return 1
	}
	return len(e.slots.weights)
}
