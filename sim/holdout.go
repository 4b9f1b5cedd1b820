package sim

import (
	"math"
	"math/rand/v2"
	"slices"
)

// A holdout measures a bidder's incrementality the way an advertiser can:
// with ghost bids (Johnson, Lewis & Nubbemeyer, "Ghost Ads", 2017). A share
// of the bidder's bid opportunities is held back: the bidder computes its
// bid but does not submit it, the auction is settled without it, and where
// the withheld bid would have won the engine counts a ghost win (unless the
// user left before an ad would have been shown), whose user converts at the
// organic rate only (baseline_cvr): nobody saw the ad. The treated arm is
// every impression the bidder did win. The lift is the
// difference of the two conversion rates per impression.
//
// By request (HoldoutByRequest, the only unit without people),
// opportunities are randomised: a user held back once may be shown the ad
// on the next request. Without people the engine has no users, so its
// measurement is that of a test without cross-over; with people a person
// may be in both arms, and the control's organic conversions share the
// person's once-per-period limit with the treated ones.
//
// By person (HoldoutByPerson, the default with people), as real tests
// do, a person is in the bidder's control arm by a hash of the bidder's
// holdout stream seed and the person: every opportunity of a control
// person is held back, and a control person never sees the bidder's ads.
// A ghost impression counts against the bidder's frequency cap as the ad
// would have, so that the control people's ghost exposures are the
// treated people's exposures had they seen no ad, and it draws the
// organic conversion an impression would (baseline_cvr, the outcome's
// delay, once per conversion_period). The estimator is per person: the
// treated people exposed (at least one impression) against the control
// people ghost-exposed (at least one ghost impression), conversions per
// person in each arm; the lift per person × the treated people exposed is
// the incremental conversions measured.
//
// The truth it is compared with is the model's, per person: the treated
// people's conversions less those the same people would have made without
// the ad, which the engine knows exactly: the organic draws of their own
// impressions (the same draws and delays), kept once per period
// (withoutAd: the bidder's incremental figures with people, holdout or
// not). With
// frequency and a conversion period this is less than the caused
// conversions counted (a caused conversion may take the place of an
// organic one the person would have made later in the period), and less
// than (1 − baseline_cvr) × ctr × cvr per impression: a person converts
// once per period, however many impressions they see.
//
// Every figure counts a conversion once it has happened, as a real test
// sees it: the treated arm's as they mature (bidder.convert), the control
// arm's, and the truth's conversions without the ad, at the time their
// delay gives them (pend). Counted when drawn, a conversion
// still pending at the stop is one no test could have seen, and the
// treated arm's caused ones would inflate the measured lift beside a
// truth (the caused conversions, by request) that counts only matured
// ones.

// Per person, a holdout by person keeps holdoutWords words in the people's
// table beside the bidder's columns (frequency.hw). The truth's word, the
// person's last conversion without the ad, is every outcome's, kept apart
// (withoutAd.last).
const (
	hwConv       = iota // the person's kept conversions for the bidder, in their arm
	holdoutWords        // words per person
)

// holdout is one bidder's test state.
type holdout struct {
	share    float64
	r        *rand.Rand // the bidder's own holdout stream: common random numbers
	baseline float64    // organic conversion rate of a ghost-exposed user

	held       uint64 // opportunities held back, in closed auctions
	ghostWins  uint64
	control    uint64 // ghost-exposed users who converted (organically), counted from pend
	ghostSpend Money  // what the ghost wins would have cost
	ghostValue Money  // the bidder's value of the impressions not bought

	// By person: the arms' hash key, and the people's figures.
	person        bool
	key           uint64
	controlPeople uint64 // control people with a ghost impression
	// Σ conversions² over the people of each arm, for the interval.
	treatedSquares, controlSquares uint64

	// pend holds the control's conversions drawn but not yet happened,
	// earliest first (at; person by person). They are counted once
	// their time has passed (mature). The truth's conversions without
	// the ad are the bidder's withoutAd's, kept the same way.
	pend eventQueue
	// delays draws the delays of the control's conversions by request
	// without people, on a stream of its own: drawn on r they would move
	// every hold draw after them.
	delays *rand.Rand
}

// newHoldout starts the test of a bidder whose outcome has a holdout, or
// returns nil. Its stream is new, named after the bidder: adding a holdout
// leaves every other stream's draws as they were.
func newHoldout(seed uint64, c *BidderConfig) *holdout {
	if c.Outcome == nil || !(c.Outcome.Holdout > 0) {
		return nil
	}
	return &holdout{
		share:    c.Outcome.Holdout,
		r:        newStream(seed, "bidder/"+c.Name+"/holdout"),
		delays:   newStream(seed, "bidder/"+c.Name+"/holdout/delay"),
		baseline: c.Outcome.BaselineCVR,
	}
}

// byPerson makes h a holdout by person; seed is the engine's, name the
// bidder's.
func (h *holdout) byPerson(seed uint64, name string) {
	h.person, h.key = true, streamSeed(seed, "bidder/"+name+"/holdout")
}

// hold reports whether this opportunity, of person, is held back: drawn
// by request, or by the person's arm.
func (h *holdout) hold(person uint32) bool {
	if h.person {
		return h.inControl(person)
	}
	return h.r.Float64() < h.share
}

// inControl reports whether person is in the control arm: a uniform of 53
// bits from the hash of the key and the person, below the share.
func (h *holdout) inControl(person uint32) bool {
	return float64(splitmix(h.key+uint64(person))>>11) < h.share*(1<<53)
}

// mature counts the conversions in pend whose time is before now, with
// f the bidder's frequency (nil without people). Strictly before: a
// treated conversion due at now may not have matured yet (a run stopped
// by its auctions stops at a close, before the conversions due at its
// instant), and what is due at now counts once the clock moves on.
func (h *holdout) mature(f *frequency, now Time) {
	for h.pend.Len() > 0 && h.pend.top().at < now {
		h.count(f, h.pend.pop())
	}
}

// count counts a conversion of pend that has happened.
func (h *holdout) count(f *frequency, ev event) {
	h.control++
	if h.person {
		w := &f.tab.row(ev.person)[f.hw+hwConv]
		h.controlSquares += 2**w + 1
		*w++
	}
}

// due adds to out the conversions in pend that mature would count at now
// and has not yet (it runs at closes): the snapshot reads the test as of
// now and leaves the engine as it was. There are few: those due since
// the last close.
func (h *holdout) due(f *frequency, now Time, out *HoldoutStats) {
	var people []uint32 // control people's, by person
	h.pend.eachBefore(now, func(ev *event) {
		out.ControlConversions++
		if h.person {
			people = append(people, ev.person)
		}
	})
	// Each person's conversions grow by those due: Σ conversions² by
	// (w + m)² − w².
	slices.Sort(people)
	for i := 0; i < len(people); {
		j := i
		for j < len(people) && people[j] == people[i] {
			j++
		}
		w, m := f.tab.row(people[i])[f.hw+hwConv], uint64(j-i)
		out.ControlSquares += (w+m)*(w+m) - w*w
		i = j
	}
}

// converted counts a treated person's kept conversion.
func (h *holdout) converted(f *frequency, person uint32) {
	w := &f.tab.row(person)[f.hw+hwConv]
	h.treatedSquares += 2**w + 1
	*w++
}

// ghostSeen records a control person's ghost impression at now: it counts
// against the cap as an impression would, and draws the organic
// conversion an impression would, once per period.
func (h *holdout) ghostSeen(b *bidder, person uint32, now Time) {
	f := b.freq
	if f.ghost(person, now) {
		h.controlPeople++
	}
	if at, ok := h.organic(b, person, now); ok {
		h.pend.push(event{at: at, person: person})
	}
}

// organic draws the organic conversion (baseline_cvr, after the outcome's
// delay) of person's ghost impression at now, and reports when it happens
// and whether it is kept: a person converts once per conversion_period.
func (h *holdout) organic(b *bidder, person uint32, now Time) (Time, bool) {
	if !(h.baseline > 0 && h.r.Float64() < h.baseline) {
		return 0, false
	}
	at := addTime(now, timeOf(b.outcome.Delay.Sample(h.r)))
	return at, b.freq.keeps(&b.freq.tab.row(person)[b.freq.cv], at)
}

// ghosts settles the held-back bids of a closed auction: a held bid that
// was on time, at least the floor and higher than the winning bid (or the
// only eligible bid) would have won; one equal to it wins as a submitted
// bid would, one of the tied at random (winsTie). Each held bid is
// compared with the bids actually submitted. best and second are the top
// two submitted eligible bids, n how many there were.
// gone is whether the person left before the ad was rendered: a ghost
// is then no impression, as the ad would not have been one (the winner
// neither shows it nor pays), in either unit.
func (e *Engine) ghosts(a *auctionState, rs []Response, best Price, n int, gone bool) {
	for _, i := range e.holders {
		b := &e.bidders[i]
		b.hold.mature(b.freq, e.now)
	}
	for i := range rs {
		r := &rs[i]
		if r.Status != NoBid || r.Reason != HeldOut {
			continue
		}
		b := &e.bidders[i]
		h := b.hold
		h.held++
		if gone || r.Time > a.tmax || r.Bid < a.floor || n > 0 && (r.Bid < best || r.Bid == best && !h.winsTie(rs, best)) {
			continue
		}
		if a.person != 0 && b.freq != nil && b.freq.k > 0 && b.freq.full(a.person, e.now) || !b.ghostPays(r.Bid, e.now) {
			// In either unit the ghost is shown where the ad would have
			// been: not past the person's cap, filled or lowered live
			// since the bid was asked (capAtClose), nor past the budget
			// spent meanwhile (affordable), the day's included.
			continue
		}
		price, _ := clear(a, r.Bid, best, n+1)
		h.ghostWins++
		h.ghostSpend = addMoney(h.ghostSpend, price.Cost())
		h.ghostValue = addMoney(h.ghostValue, r.Value.Cost())
		switch {
		case h.person:
			h.ghostSeen(b, a.person, e.now)
		case a.person != 0:
			// By request with people: the person converts once per
			// period, whichever arm the conversion comes from.
			if at, ok := h.organic(b, a.person, e.now); ok {
				h.pend.push(event{at: at})
			}
		case h.baseline > 0 && h.r.Float64() < h.baseline:
			// After the outcome's delay, as a treated conversion.
			at := addTime(e.now, timeOf(b.outcome.Delay.Sample(h.delays)))
			h.pend.push(event{at: at})
		}
	}
}

// winsTie draws whether a held-back bid equal to best, the best submitted
// bid, would have won: as the exchange settles a tie (topTwoTied), one of
// the tied bids at random, 1 in (the tied submitted bids + 1). Were ties
// lost, the control arm would win less often than the treated arm does
// (by person its people would be exposed less than the treated people).
func (h *holdout) winsTie(rs []Response, best Price) bool {
	m := 0
	for i := range rs {
		if rs[i].Status == OnTime && rs[i].Bid == best {
			m++
		}
	}
	return h.r.IntN(m+1) == 0
}

// ghostPays reports whether b could pay a held-back bid closing at now:
// within what its total budget and its day's budget have left. A bid
// placed is kept within the day's by its reservation and checked against
// the total at the close (affordable); a ghost reserves nothing, so the
// treated people's spend since it was asked may have left the day less
// than it bids.
func (b *bidder) ghostPays(bid Price, now Time) bool {
	if !b.budgeted {
		return true
	}
	left := b.budget - b.stats.Spend
	if b.day != nil {
		left = min(left, b.day.leftAt(now))
	}
	return bid.Cost() <= left
}

func (h *holdout) clone() *holdout {
	c := *h
	c.r, c.delays = cloneStream(h.r), cloneStream(h.delays)
	c.pend.h = append([]event(nil), h.pend.h...)
	return &c
}

// stats reports the test at now beside the bidder's snapshot st; o is its
// outcome, f its frequency (nil without people).
func (h *holdout) stats(st *BidderStats, o *Outcome, f *frequency, now Time) HoldoutStats {
	out := HoldoutStats{
		Unit:               HoldoutByRequest,
		Share:              h.share,
		Held:               h.held,
		GhostWins:          h.ghostWins,
		ControlConversions: h.control,
		TreatedWins:        st.Wins,
		// The conversions of won impressions that have happened, not
		// those pending: the control arm's are counted as they happen
		// too, so both arms, and the truth, count the same thing.
		TreatedConversions: st.Conversions + st.Organic,
		TreatedSpend:       st.Spend,
		GhostSpend:         h.ghostSpend,
		GhostValue:         h.ghostValue,
	}
	if o != nil {
		out.OrderValue = o.OrderValue
	}
	out.People = f != nil
	if h.person {
		out.Unit = HoldoutByPerson
		out.TreatedPeople, out.ControlPeople = f.reached, h.controlPeople
		out.TreatedSquares, out.ControlSquares = h.treatedSquares, h.controlSquares
		// The truth is the bidder's, for the same people: control
		// people see no ad, so draw nothing without it.
		out.CounterfactualConversions = st.WithoutAd
	}
	h.due(f, now, &out)
	return out
}

// HoldoutStats are a bidder's incrementality test so far.
type HoldoutStats struct {
	Unit   HoldoutUnit // HoldoutByRequest or HoldoutByPerson
	People bool        // the world has people
	Share  float64     // of bid opportunities (by person: of people) held back
	Held   uint64      // opportunities held back, in closed auctions

	GhostWins          uint64 // held-back bids that would have won: the control arm
	ControlConversions uint64 // ghost-exposed users who converted (organically), by now
	TreatedWins        uint64 // impressions bought: the treated arm
	// TreatedConversions are their conversions that have happened (not
	// those pending), caused and organic; ControlConversions are
	// counted as they happen too.
	TreatedConversions uint64
	TreatedSpend       Money
	OrderValue         Money // per conversion

	// What the test cost: the impressions not bought (GhostWins), what
	// they would have cost and the bidder's value of them.
	GhostSpend Money
	GhostValue Money

	// By person: the people exposed in each arm (the treated with at
	// least one impression, the control with at least one ghost
	// impression), Σ conversions² per person in each arm (conversions
	// are TreatedConversions and ControlConversions), and the
	// conversions the treated people would have made without the ad,
	// the model's truth.
	TreatedPeople, ControlPeople   uint64
	TreatedSquares, ControlSquares uint64
	CounterfactualConversions      uint64
}

// Interval is an estimate with its 95% confidence interval.
type Interval struct {
	Mean, Lo, Hi float64
}

// Covers reports whether x lies in [Lo, Hi].
func (iv Interval) Covers(x float64) bool { return iv.Lo <= x && x <= iv.Hi }

// Lift is the measured conversions per impression the ad causes: the
// treated arm's conversion rate minus the control arm's. By person it is
// LiftPerPerson × TreatedPeople / TreatedWins: the incremental
// conversions measured, per impression bought. NaN while either arm is
// empty.
func (h HoldoutStats) Lift() Interval {
	if h.Unit == HoldoutByPerson {
		if h.TreatedWins == 0 {
			return Interval{math.NaN(), math.NaN(), math.NaN()}
		}
		return h.LiftPerPerson().times(float64(h.TreatedPeople) / float64(h.TreatedWins))
	}
	nT, nC := float64(h.TreatedWins), float64(h.GhostWins)
	if nT == 0 || nC == 0 {
		return Interval{math.NaN(), math.NaN(), math.NaN()}
	}
	xT, xC := float64(h.TreatedConversions), float64(h.ControlConversions)
	mean := xT/nT - xC/nC
	// Agresti & Caffo (2000): one success and one failure added to each
	// arm keep the Wald interval honest when conversions are few.
	pT, pC := (xT+1)/(nT+2), (xC+1)/(nC+2)
	se := math.Sqrt(pT*(1-pT)/(nT+2) + pC*(1-pC)/(nC+2))
	d := pT - pC
	return Interval{mean, d - z975*se, d + z975*se}
}

// LiftPerPerson is the measured conversions per exposed person the ad
// causes, by person: the treated people's conversions per person minus
// the control people's. Its interval adds one person who converted once
// and one who did not to each arm (Agresti & Caffo's, for counts: the
// same as theirs when nobody converts twice), each arm's variance that of
// its people's conversions. NaN while either arm is empty, and by
// request.
func (h HoldoutStats) LiftPerPerson() Interval {
	nT, nC := float64(h.TreatedPeople), float64(h.ControlPeople)
	if h.Unit != HoldoutByPerson || nT == 0 || nC == 0 {
		return Interval{math.NaN(), math.NaN(), math.NaN()}
	}
	xT, xC := float64(h.TreatedConversions), float64(h.ControlConversions)
	mean := xT/nT - xC/nC
	arm := func(n, x, sq float64) (m, v float64) {
		m = (x + 1) / (n + 2)
		return m, max((sq+1)/(n+2)-m*m, 0) / (n + 2)
	}
	mT, vT := arm(nT, xT, float64(h.TreatedSquares))
	mC, vC := arm(nC, xC, float64(h.ControlSquares))
	se := math.Sqrt(vT + vC)
	d := mT - mC
	return Interval{mean, d - z975*se, d + z975*se}
}

// MeasuredIncrementalConversions is the conversions the ad caused as the
// test measures them: the lift per impression × the impressions bought,
// by person the lift per person × the treated people exposed.
func (h HoldoutStats) MeasuredIncrementalConversions() Interval {
	if h.Unit == HoldoutByPerson {
		return h.LiftPerPerson().times(float64(h.TreatedPeople))
	}
	return h.Lift().times(float64(h.TreatedWins))
}

// MeasuredIncrementalValue is MeasuredIncrementalConversions × the order
// value, in currency.
func (h HoldoutStats) MeasuredIncrementalValue() Interval {
	return h.MeasuredIncrementalConversions().times(h.OrderValue.Float())
}

// TrueIncrementalConversions is, by person, the model's truth: the
// treated people's conversions less those they would have made without
// the ad. NaN by request (the bidder's caused conversions are the truth
// there).
func (h HoldoutStats) TrueIncrementalConversions() float64 {
	if h.Unit != HoldoutByPerson {
		return math.NaN()
	}
	return float64(h.TreatedConversions) - float64(h.CounterfactualConversions)
}

// TrueIncrementalROAS is TrueIncrementalConversions × the order value /
// the treated arm's spend: what MeasuredIncrementalROAS estimates, by
// person. NaN by request and while nothing was spent.
func (h HoldoutStats) TrueIncrementalROAS() float64 {
	if !(h.TreatedSpend > 0) {
		return math.NaN()
	}
	return h.TrueIncrementalConversions() * h.OrderValue.Float() / h.TreatedSpend.Float()
}

// times scales an interval by k ≥ 0.
func (iv Interval) times(k float64) Interval { return Interval{iv.Mean * k, iv.Lo * k, iv.Hi * k} }

// z975 is the standard normal 97.5th percentile.
const z975 = 1.959963984540054

// MeanPrice is what the treated arm paid per impression, in currency.
func (h HoldoutStats) MeanPrice() float64 {
	if h.TreatedWins == 0 {
		return math.NaN()
	}
	return h.TreatedSpend.Float() / float64(h.TreatedWins)
}

// MeasuredIncrementalROAS is the incremental ROAS the test measures: the
// lift per impression × order value / the mean price of an impression,
// with the 95% interval of the lift carried through (the mean price, an
// average over every treated impression, is taken as known). NaN while
// either arm is empty or nothing was spent.
func (h HoldoutStats) MeasuredIncrementalROAS() Interval {
	l, p := h.Lift(), h.MeanPrice()
	if !(p > 0) {
		return Interval{math.NaN(), math.NaN(), math.NaN()}
	}
	return l.times(h.OrderValue.Float() / p)
}

// withoutAd is the model's truth of one bidder's incrementality with
// people: the conversions the people it reached would have made without
// its ads. They are the organic draws of its own impressions (the same
// draws and delays as the conversions it counts), each kept once per
// conversion_period on the person's own word (last): without the ads no
// caused conversion takes an organic one's place. They are counted once
// their time has passed, as the bidder's conversions are once they
// mature, so that the difference compares like with like.
type withoutAd struct {
	// last is each person's (person − 1) last conversion without the
	// ads, goneWord for none. It is apart from the people's table: it
	// is read only at organic draws, and in the table's rows it would
	// widen what every bid request brings into the cache.
	last []uint64
	// pend holds the conversions drawn, not yet happened, earliest first.
	pend    eventQueue
	counted uint64 // happened, and taken out of pend
}

// newWithoutAd keeps the truth for n people.
func newWithoutAd(n int) *withoutAd {
	w := &withoutAd{last: make([]uint64, n)}
	for i := range w.last {
		w.last[i] = goneWord
	}
	return w
}

// would records what person's organic draw at now, converting at t, would
// have done without the ads: a conversion, kept once per period, counted
// once t has passed. It counts what has happened first, so that pend
// holds only the conversions drawn within the outcome's delay.
func (w *withoutAd) would(f *frequency, person uint32, now, t Time) {
	w.mature(now)
	if f.keeps(&w.last[person-1], t) {
		w.pend.push(event{at: t, person: person})
	}
}

// mature counts the conversions in pend whose time is before now:
// strictly, as holdout.mature, for the same reason.
func (w *withoutAd) mature(now Time) {
	for w.pend.Len() > 0 && w.pend.top().at < now {
		w.pend.pop()
		w.counted++
	}
}

// at is the conversions without the ads counted by now: those mature
// has counted and those it would, leaving the engine as it was (a
// snapshot reads it).
func (w *withoutAd) at(now Time) uint64 {
	n := w.counted
	w.pend.eachBefore(now, func(*event) { n++ })
	return n
}

// drawn is every conversion without the ads drawn and kept so far,
// happened or not: what at will reach once they all have, were no more
// drawn.
func (w *withoutAd) drawn() uint64 { return w.counted + uint64(w.pend.Len()) }

func (w *withoutAd) clone() *withoutAd {
	c := *w
	c.last = append([]uint64(nil), w.last...)
	c.pend.h = append([]event(nil), w.pend.h...)
	return &c
}
