package sim

import (
	"fmt"
	"math/bits"
)

// Abandonment is what waiting costs: a person whose page waited w for the
// exchange's answer has left, and the impression is lost (not rendered,
// not paid), with probability min(1, Per100ms·max(0, w − Grace)/100ms).
// Published figures are for whole pages (Google/SOASTA 2017: bounce
// probability +32% from 1 s to 3 s of load); an ad's share of that is an
// assumption to vary. The zero value is off.
type Abandonment struct {
	// Per100ms is the probability of leaving per 100 ms of wait past
	// Grace, in [0, 1].
	Per100ms float64 `scenario:"per_100ms"`
	// Grace is the wait nobody leaves over.
	Grace Time
}

// On reports whether anyone ever leaves.
func (ab Abandonment) On() bool { return ab.Per100ms > 0 }

// Share is the probability that an impression whose auction waited w is
// lost.
func (ab Abandonment) Share(w Time) float64 {
	return min(1, ab.Per100ms*float64(max(0, w-ab.Grace))/float64(100*Millisecond))
}

// leaves reports whether the person whose uniform draw is u has left
// after a wait of w: u < Share(w). The draw belongs to the ad request, so
// one person leaves at every wait at least as long as the one they left
// at, and the tmax curve settles each wait with the same draw.
func (ab Abandonment) leaves(w Time, u float64) bool {
	// Share's cap at 1 changes nothing: u < 1, or +Inf when nobody leaves.
	return u < ab.Share(w)
}

// validate checks the abandonment's fields; field is its path.
func (ab Abandonment) validate(field string) []error {
	var errs []error
	if err := checkShare(ab.Per100ms); err != nil {
		errs = append(errs, &FieldError{Field: field + ".per_100ms", Err: fmt.Errorf("%w (a probability per 100 ms)", err)})
	}
	if err := graceRange.check(float64(ab.Grace)); err != nil {
		errs = append(errs, &FieldError{Field: field + ".grace", Err: err})
	}
	return errs
}

// NetRevenue is the revenue of the impressions rendered: Revenue less
// what abandoned impressions would have paid.
func (x ExchangeStats) NetRevenue() Money { return x.Revenue - x.AbandonedRevenue }

// NetRevenuePerAuction is NetRevenue per closed auction in CPM; NaN before
// any auction.
func (x ExchangeStats) NetRevenuePerAuction() float64 { return meanCPM(x.NetRevenue(), x.Auctions) }

// waitSum is a sum of waits in 128 bits: exact for the mean, and no run
// can overflow it.
type waitSum struct{ hi, lo uint64 }

func (s *waitSum) add(t Time) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, uint64(t), 0)
	s.hi += carry
}

// addMul adds t·n.
func (s *waitSum) addMul(t Time, n uint64) {
	hi, lo := bits.Mul64(uint64(t), n)
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, lo, 0)
	s.hi += hi + carry
}

// addSum adds o.
func (s *waitSum) addSum(o waitSum) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, o.lo, 0)
	s.hi += o.hi + carry
}

func (s *waitSum) sub(o waitSum) {
	var borrow uint64
	s.lo, borrow = bits.Sub64(s.lo, o.lo, 0)
	s.hi -= o.hi + borrow
}

// mean is the sum over n, rounded down; 0 for n = 0 and EndOfTime
// should the quotient not fit (it cannot for n times summed).
func (s waitSum) mean(n uint64) Time {
	if n == 0 {
		return 0
	}
	if s.hi >= n {
		return EndOfTime
	}
	q, _ := bits.Div64(s.hi, s.lo, n)
	return Time(q)
}

// followTmax moves a tmax curve whose grid follows tmax to the grid of
// the current tmax. The curve then starts afresh: its points so far were
// settled at other deadlines.
//
// On the wire the curve starts afresh at every change of tmax, on the
// grid or off it: it is settled only up to the deadline the wire
// enforced, and kept, the auctions cut at the old deadline would hold it
// there for good (those in flight at the change are left out of the new
// curve: collectRemote). So does a curve the skip rule stopped, or would
// stop once the auctions in flight at old, a tmax where the rule applies,
// close (censorSkip): kept, it would stay stopped at the rule's boundary
// after a change to a tmax where bidders are called (those auctions are
// left out of the new curve: curveFor).
func (e *Engine) followTmax(old Time) {
	if e.remote != nil && e.curve != nil || e.skipStopped(old) {
		e.curve = e.freshCurve(e.grid.For(e.tmax))
		return
	}
	if !e.grid.Follow || e.curve == nil || e.curve.grid.Has(e.tmax) {
		return // a tmax on the grid keeps it: moving along it loses nothing
	}
	if g := e.grid.For(e.tmax); g != e.curve.grid {
		e.curve = e.freshCurve(g)
	}
}

// skipStopped reports whether the curve has settled, or will settle, an
// auction the skip rule left unsent: it is stopped at the rule's boundary
// already, or tmax was old, where the rule keeps some enabled bidder's bid
// request back, until now.
func (e *Engine) skipStopped(old Time) bool {
	if e.curve == nil {
		return false
	}
	if e.curve.skipCut > 0 {
		return true
	}
	if !e.adj.skips(old) {
		return false
	}
	for i := range e.bidders {
		if e.bidders[i].enabled {
			return true
		}
	}
	return false
}

// freshCurve is an empty tmax curve on grid g under the engine's current
// assumptions (abandonment, holding auctions open, the deadline chain).
func (e *Engine) freshCurve(g TmaxGrid) *tmaxCurve {
	c := newTmaxCurve(g, len(e.bidders), e.abandon, e.holdOpen, e.adj)
	if c != nil {
		c.from = e.now
	}
	return c
}

// startedAt is when the curve (re)started; 0 without one.
func (c *tmaxCurve) startedAt() Time {
	if c == nil {
		return 0
	}
	return c.from
}

// TmaxAdvice reads a tmax curve the way a trainer asks it: which deadline
// earns the most, the shortest that earns nearly as much (the knee), and
// which earns the most once people who leave slow pages are counted.
// Every field is a point of the grid; zero when the curve is empty.
type TmaxAdvice struct {
	MaxRevenue Time // the least tmax with the most revenue
	// Knee95 and Knee99 are the least tmax earning at least 95% and 99%
	// of the most revenue.
	Knee95, Knee99 Time
	MaxNetRevenue  Time // the least tmax with the most net revenue
}

// AdviseTmax reads curve (points in increasing tmax).
func AdviseTmax(curve []TmaxPoint) TmaxAdvice {
	var a TmaxAdvice
	if len(curve) == 0 {
		return a
	}
	best, bestNet := curve[0], curve[0]
	for _, p := range curve[1:] {
		if p.Revenue > best.Revenue {
			best = p
		}
		if p.NetRevenue > bestNet.NetRevenue {
			bestNet = p
		}
	}
	a.MaxRevenue, a.MaxNetRevenue = best.Tmax, bestNet.Tmax
	a.Knee95, a.Knee99 = best.Tmax, best.Tmax
	for i := len(curve) - 1; i >= 0; i-- {
		// Compared in integers: revenue·100 ≥ best·95, exactly.
		r, b := uint64(curve[i].Revenue), uint64(best.Revenue)
		hi1, lo1 := bits.Mul64(r, 100)
		if hi2, lo2 := bits.Mul64(b, 95); hi1 > hi2 || hi1 == hi2 && lo1 >= lo2 {
			a.Knee95 = min(a.Knee95, curve[i].Tmax)
		}
		if hi2, lo2 := bits.Mul64(b, 99); hi1 > hi2 || hi1 == hi2 && lo1 >= lo2 {
			a.Knee99 = min(a.Knee99, curve[i].Tmax)
		}
	}
	return a
}

// AdviseTmaxSettled is AdviseTmax over a curve settled only up to
// censoredAbove (Snapshot.TmaxCurveCensoredAbove; 0: every point of the
// grid settled, and it is AdviseTmax): a figure is given only where its
// answer lies inside the settled range, and is 0 (unknown) where the
// last settled point earns as much as the answer, as a deadline above
// it, unknown, might earn more. Revenue does not fall as tmax grows (more
// bids in time never lower a price), so the most revenue, and the knees,
// its shares, are unknown on such a curve unless its revenue falls by its
// last point; the most net revenue is given where the net revenue falls
// from it to the last settled point.
func AdviseTmaxSettled(curve []TmaxPoint, censoredAbove Time) TmaxAdvice {
	a := AdviseTmax(curve)
	if censoredAbove == 0 || len(curve) == 0 {
		return a
	}
	edge := curve[len(curve)-1]
	if p, _ := CurveAt(curve, a.MaxRevenue); p.Revenue <= edge.Revenue {
		a.MaxRevenue, a.Knee95, a.Knee99 = 0, 0, 0
	}
	if p, _ := CurveAt(curve, a.MaxNetRevenue); p.NetRevenue <= edge.NetRevenue {
		a.MaxNetRevenue = 0
	}
	return a
}
