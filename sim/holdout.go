package sim

import (
	"math"
	"math/rand/v2"
)

// A holdout measures a bidder's incrementality the way an advertiser can:
// with ghost bids (Johnson, Lewis & Nubbemeyer, "Ghost Ads", 2017). A share
// of the bidder's bid opportunities is held back: the bidder computes its
// bid but does not submit it, the auction is settled without it, and where
// the withheld bid would have won the engine counts a ghost win, whose user
// converts at the organic rate only (baseline_cvr): nobody saw the ad. The
// treated arm is every impression the bidder did win. The lift is the
// difference of the two conversion rates per impression.
//
// Opportunities, not users, are randomised: a user held back once may be
// shown the ad on the next request. Real tests hash users into arms so that
// a user's exposures are all treated or all control; the engine has no
// users, so its measurement is that of a test without cross-over.

// holdout is one bidder's test state.
type holdout struct {
	share    float64
	r        *rand.Rand // the bidder's own holdout stream: common random numbers
	baseline float64    // organic conversion rate of a ghost-exposed user

	held       uint64 // opportunities held back, in closed auctions
	ghostWins  uint64
	control    uint64 // ghost-exposed users who converted (organically)
	ghostSpend Money  // what the ghost wins would have cost
	ghostValue Money  // the bidder's value of the impressions not bought
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
		baseline: c.Outcome.BaselineCVR,
	}
}

// hold draws whether this opportunity is held back.
func (h *holdout) hold() bool { return h.r.Float64() < h.share }

// ghosts settles the held-back bids of a closed auction: a held bid that
// was on time, at least the floor and higher than the winning bid (or the
// only eligible bid) would have won. Ties count as losses. Each held bid is
// compared with the bids actually submitted. best and second are the top
// two submitted eligible bids, n how many there were.
func (e *Engine) ghosts(a *auctionState, rs []Response, best Price, n int) {
	for i := range rs {
		r := &rs[i]
		if r.Status != NoBid || r.Reason != HeldOut {
			continue
		}
		h := e.bidders[i].hold
		h.held++
		if r.Time > a.tmax || r.Bid < a.floor || n > 0 && r.Bid <= best {
			continue
		}
		price, _ := clear(a, r.Bid, best, n+1)
		h.ghostWins++
		h.ghostSpend = addMoney(h.ghostSpend, price.Cost())
		h.ghostValue = addMoney(h.ghostValue, r.Value.Cost())
		if h.baseline > 0 && h.r.Float64() < h.baseline {
			h.control++
		}
	}
}

func (h *holdout) clone() *holdout {
	c := *h
	c.r = cloneStream(h.r)
	return &c
}

// stats reports the test beside the bidder's snapshot st; o is its outcome.
func (h *holdout) stats(st *BidderStats, o *Outcome) HoldoutStats {
	out := HoldoutStats{
		Share:              h.share,
		Held:               h.held,
		GhostWins:          h.ghostWins,
		ControlConversions: h.control,
		TreatedWins:        st.Wins,
		// Every conversion drawn for a won impression, matured or not:
		// the control arm's are counted when drawn too, so both arms
		// count the same thing at any instant.
		TreatedConversions: st.Conversions + st.Organic + st.Pending,
		TreatedSpend:       st.Spend,
		GhostSpend:         h.ghostSpend,
		GhostValue:         h.ghostValue,
	}
	if o != nil {
		out.OrderValue = o.OrderValue
	}
	return out
}

// HoldoutStats are a bidder's incrementality test so far.
type HoldoutStats struct {
	Share float64 // of bid opportunities held back
	Held  uint64  // opportunities held back, in closed auctions

	GhostWins          uint64 // held-back bids that would have won: the control arm
	ControlConversions uint64 // ghost-exposed users who converted (organically)
	TreatedWins        uint64 // impressions bought: the treated arm
	TreatedConversions uint64 // conversions drawn for them, caused and organic
	TreatedSpend       Money
	OrderValue         Money // per conversion

	// What the test cost: the impressions not bought (GhostWins), what
	// they would have cost and the bidder's value of them.
	GhostSpend Money
	GhostValue Money
}

// Interval is an estimate with its 95% confidence interval.
type Interval struct {
	Mean, Lo, Hi float64
}

// Covers reports whether x lies in [Lo, Hi].
func (iv Interval) Covers(x float64) bool { return iv.Lo <= x && x <= iv.Hi }

// Lift is the measured conversions per impression the ad causes: the
// treated arm's conversion rate minus the control arm's. NaN while either
// arm is empty.
func (h HoldoutStats) Lift() Interval {
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
	k := h.OrderValue.Float() / p
	return Interval{l.Mean * k, l.Lo * k, l.Hi * k}
}
