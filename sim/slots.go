package sim

import (
	"errors"
	"fmt"
	"math"
)

// MaxSlots is the most ad positions an auction sells (exchange.slots).
const MaxSlots = 20

// SlotWin is one slot of an auction of several slots: who won it and
// what it paid.
type SlotWin struct {
	Bidder int     // bidder index
	Weight float64 // the slot's click-through weight α_j
	// Click is the price per click (per impression at weight 1);
	// Impression is what the slot's impression cost: Weight × Click.
	Click, Impression Price
	Reason            PriceReason
	// Bid is the bid per click the slot was ranked and priced with: a GSP
	// equilibrium bidder's is its envy-free bid (see GSPEquilibriumBids),
	// not the value it answered with.
	Bid Price
}

// Value is what the slot's impression is worth to a bidder whose value
// per click is v: α_j × v, to the micro-CPM, as the engine credits it.
func (s SlotWin) Value(v Price) Price { return microPrice(s.Weight * float64(v)) }

// Surplus is what the slot's holder, whose value per click is v, keeps of
// its impression: α_j × v − its price per impression (α_j × the price per
// click), which is α_j × (v − price per click) but for rounding. It is
// negative when the price per click passed the value (a bid above it);
// the engine credits exactly this (Value less Impression), so that a
// bidder's Surplus is the sum of its slots'. An auction whose person left
// is not credited (AuctionRecord.Abandoned): its holders keep nothing.
func (s SlotWin) Surplus(v Price) Price { return s.Value(v) - s.Impression }

// SlotPrice says in words what sets a slot's price in a, the one wording
// every view uses: GSP "the next bid" (per click), VCG "the clicks it
// takes from the bidders below" (per impression, at their bids); "" for an
// auction of one item.
func (a AuctionType) SlotPrice() string {
	switch a {
	case GSP:
		return "the next bid"
	case VCG:
		return "the clicks it takes from the bidders below"
	}
	return ""
}

// SlotRule is a's rule for every slot in a sentence: "each slot pays the
// next bid per click" (GSP), "each slot pays the clicks it takes from the
// bidders below" (VCG); "" for an auction of one item.
func (a AuctionType) SlotRule() string {
	switch a {
	case GSP:
		return "each slot pays " + a.SlotPrice() + " per click"
	case VCG:
		return "each slot pays " + a.SlotPrice()
	}
	return ""
}

// SlotStats are one ad position's counters over the run.
type SlotStats struct {
	Weight float64 // α_j
	Filled uint64  // auctions whose slot j was sold
	// Revenue sums the prices per impression; ClickPrices the prices per
	// click (their mean is the mean price per click).
	Revenue, ClickPrices Money
}

// FillRate is the share of auctions whose slot was sold; NaN before any.
func (s SlotStats) FillRate(auctions uint64) float64 {
	if auctions == 0 {
		return math.NaN()
	}
	return float64(s.Filled) / float64(auctions)
}

// MeanClickPrice is the mean price per click in CPM over the slot's sales;
// NaN before any.
func (s SlotStats) MeanClickPrice() float64 { return meanCPM(s.ClickPrices, s.Filled) }

// MeanImpressionPrice is the mean price per impression in CPM over the
// slot's sales; NaN before any.
func (s SlotStats) MeanImpressionPrice() float64 { return meanCPM(s.Revenue, s.Filled) }

// checkSlots appends the problems with cfg's slots to errs.
func checkSlots(cfg *Config, errs []error) []error {
	ex := &cfg.Exchange
	add := func(field string, err error) { errs = append(errs, &FieldError{Field: field, Err: err}) }
	s := ex.Slots
	if len(s) > MaxSlots {
		add("exchange.slots", fmt.Errorf("%d slots: at most %d are supported", len(s), MaxSlots))
		return errs
	}
	ok := true
	for i, w := range s {
		switch {
		case !(w > 0 && w <= 1):
			add(fmt.Sprintf("exchange.slots[%d]", i), fmt.Errorf("weight %g is outside (0, 1]: a slot's click-through weight, relative to a slot of weight 1", w))
			ok = false
		case i > 0 && w > s[i-1]:
			add(fmt.Sprintf("exchange.slots[%d]", i), fmt.Errorf("weight %g is above slot %d's %g: slots are listed best first, weights not increasing", w, i, s[i-1]))
			ok = false
		}
	}
	if !ok {
		return errs
	}
	if len(s) == 1 && s[0] != 1 {
		add("exchange.slots", fmt.Errorf("one slot is the single-item auction: its weight must be 1 (or leave slots out), not %g", s[0]))
	}
	if len(s) <= 1 {
		return errs
	}
	if !ex.Auction.Slotted() {
		add("exchange.auction", fmt.Errorf("%s sells one item: with %d slots the auction is gsp or vcg", ex.Auction, len(s)))
	}
	if !ex.TmaxCurve.Off() {
		add("exchange.tmax_curve", errors.New("the tmax curve prices one item per auction: leave it out with several slots"))
	}
	for i := range cfg.Bidders {
		if o := cfg.Bidders[i].Outcome; o != nil && o.Holdout > 0 {
			add(fmt.Sprintf("bidders[%d].outcome.holdout", i), errors.New("a holdout's ghost bids are priced as one item: not supported with several slots"))
		}
	}
	return errs
}

// slotState is an engine's auction of several slots: the weights, the
// counters and the scratch a close ranks bids in, allocated once.
type slotState struct {
	weights []float64 // α_1 … α_k
	stats   []SlotStats
	top     []rankedBid // the on-time eligible bids, best first, at most k+1
	all     []rankedBid // on-time and late bids at or above the floor, best first, at most k+1
	wins    []SlotWin   // this close's slots
}

// rankedBid is a bid in a close's ranking: ties are broken by key, drawn
// uniformly at random per bid, so every order of equal bids is equally
// likely, as the single-item auction breaks its ties.
type rankedBid struct {
	bid   Price
	key   uint64
	index int
}

func newSlotState(weights []float64) *slotState {
	if len(weights) <= 1 {
		return nil
	}
	k := len(weights)
	s := &slotState{
		weights: append([]float64(nil), weights...),
		stats:   make([]SlotStats, k),
		top:     make([]rankedBid, 0, k+1),
		all:     make([]rankedBid, 0, k+1),
		wins:    make([]SlotWin, 0, k),
	}
	for j, w := range weights {
		s.stats[j].Weight = w
	}
	return s
}

// insertRanked puts b into top (best first), keeping at most limit.
func insertRanked(top []rankedBid, limit int, b rankedBid) []rankedBid {
	i := len(top)
	for i > 0 && (top[i-1].bid < b.bid || top[i-1].bid == b.bid && top[i-1].key < b.key) {
		i--
	}
	if i >= limit {
		return top
	}
	if len(top) < limit {
		top = append(top, rankedBid{})
	}
	copy(top[i+1:], top[i:len(top)-1])
	top[i] = b
	return top
}

// clickPrices prices the slots of an auction whose eligible bids, best
// first, are bids (at most k+1 of them; m ≥ len(bids) of them in all)
// under auction a (GSP or VCG), weights w: for each sold slot j the price
// per click and what set it. A missing bid counts as the floor. GSP: the
// (j+1)-th bid; VCG: Σ_{i=j}^{k} (α_i − α_{i+1})·b_(i+1) / α_j, α_{k+1} =
// 0; each + increment, at most the slot's own bid. Prices go to emit(j,
// click, reason).
func clickPrices(a *auctionState, w []float64, bids func(int) Price, m int, emit func(j int, click Price, reason PriceReason)) {
	k := len(w)
	at := func(i int) Price { // the i-th bid (from 0), the floor where there is none
		if i < m {
			return max(bids(i), a.floor)
		}
		return a.floor
	}
	for j := 0; j < min(k, m); j++ {
		base, reason := at(j+1), SecondBid
		if j+1 >= m || bids(j+1) < a.floor {
			reason = FloorPrice
		}
		if a.auction == VCG {
			sum := 0.0
			for i := j; i < k; i++ {
				next := 0.0
				if i+1 < k {
					next = w[i+1]
				}
				sum += (w[i] - next) * float64(at(i+1))
			}
			base = microPrice(sum / w[j])
		}
		own := bids(j)
		p := base + a.increment
		if p > own {
			p, reason = own, CappedAtBid
		}
		emit(j, p, reason)
	}
}

// GSPEquilibriumBids are the bids of the lowest locally envy-free
// equilibrium of the GSP auction (Edelman, Ostrovsky & Schwarz 2007;
// Varian 2007) for bidders whose values per click, best first, are
// values (at least the floor r), weights w: the bidder in position j ≥ 2
// bids b_j = (1/α_{j−1})·Σ_{i=j−1}^{k} (α_i − α_{i+1})·v_(i+1), v beyond
// the last bidder being r and α_{k+1} = 0, so that position j−1 pays per
// impression α_{j−1}·b_j, its VCG price; the top bidder bids its value
// (any bid above b_2 does). bids[j] is set for every j < len(values);
// values at positions beyond k+1 are their own bids. It assumes, as EOS
// and Varian do, that the bidders know each other's values.
func GSPEquilibriumBids(w []float64, values []float64, r float64, bids []float64) {
	k, m := len(w), len(values)
	c := func(i int) float64 {
		if i < m {
			return values[i]
		}
		return r
	}
	for j := range m {
		if j == 0 || j > k {
			bids[j] = values[j]
			continue
		}
		sum := 0.0
		for i := j - 1; i < k; i++ {
			next := 0.0
			if i+1 < k {
				next = w[i+1]
			}
			sum += (w[i] - next) * c(i+1)
		}
		bids[j] = min(values[j], sum/w[j-1])
	}
}

// closeSlots is close for an auction of several slots: the k highest
// eligible on-time bids win slots 1 … k, priced by clickPrices.
func (e *Engine) closeSlots(slot int32) {
	st := e.slots
	a, rs, pt, bps := e.opening(slot)
	at := e.now
	k := len(st.weights)
	top, all := st.top[:0], st.all[:0]
	eligible := 0
	late := uint64(0)
	for i := range rs {
		r := &rs[i]
		if r.Status == NotSent {
			continue
		}
		b := &e.bidders[i]
		if r.Status >= Late {
			b.affordable(r)
			if b.freq != nil {
				b.capAtClose(r, a.person, e.now)
			}
		}
		b.settle(r, a.lead, e.remote != nil && e.remote.cut[i])
		if r.held {
			b.freq.release(a.person)
		}
		switch r.Status {
		case OnTime:
			eligible++
			top = insertRanked(top, k+1, rankedBid{bid: r.Bid, key: e.exchange.Uint64(), index: i})
		case Late:
			late++
			if r.Bid < a.floor {
				continue
			}
		case BelowFloor:
			continue
		default:
			continue
		}
		// Ties among them change no price: no random key.
		all = insertRanked(all, k+1, rankedBid{bid: r.Bid, index: i})
	}
	var ranked []rankedBid // on the wire, with calls still open: all, kept for LateAnswer
	if e.remote != nil {
		// The bids the wire read late before the close, held apart from
		// the clearing (collectRemote), count in what the slots would have
		// sold for, as a simulated late bid does.
		for i, bid := range e.remote.lateBid {
			if bid > 0 && bid >= a.floor && rs[i].Status == Late {
				all = insertRanked(all, k+1, rankedBid{bid: bid, index: i})
			}
		}
		if e.remote.opened > 0 {
			ranked = append([]rankedBid(nil), all...) // before equilibrium bids replace its own
		}
	}
	st.top, st.all = top, all
	if a.auction == GSP {
		e.equilibriumSlots(a, top, rs)
	}
	wins := st.wins[:0]
	clickPrices(a, st.weights, func(i int) Price { return top[i].bid }, min(eligible, len(top)), func(j int, click Price, reason PriceReason) {
		w := st.weights[j]
		wins = append(wins, SlotWin{Bidder: top[j].index, Weight: w, Click: click,
			Impression: microPrice(w * float64(click)), Reason: reason, Bid: top[j].bid})
	})
	st.wins = wins
	revenue := Money(0)
	for _, s := range wins {
		revenue = addMoney(revenue, s.Impression.Cost())
	}
	lost := Money(0)
	if late > 0 {
		// Revenue per impression had no bid been late, equilibrium
		// bidders bidding as they would have among those bids.
		if a.auction == GSP {
			e.equilibriumSlots(a, all, nil)
		}
		whatIf := Money(0)
		clickPrices(a, st.weights, func(i int) Price { return all[i].bid }, len(all), func(j int, click Price, _ PriceReason) {
			whatIf = addMoney(whatIf, microPrice(st.weights[j]*float64(click)).Cost())
		})
		lost = max(whatIf-revenue, 0)
	}

	wait := e.closed(pt, at-a.start, late, lost)
	win := -1
	left := false
	var price Price
	if len(wins) > 0 {
		win, price = wins[0].Bidder, wins[0].Impression
		left = e.abandon.On() && e.abandon.leaves(wait, a.stay)
		e.x.Filled++
		e.x.Revenue = addMoney(e.x.Revenue, revenue)
		pt.Filled++
		pt.Revenue = addMoney(pt.Revenue, revenue)
		for j, s := range wins {
			e.x.MaxPrice = max(e.x.MaxPrice, s.Impression)
			pt.MaxPrice = max(pt.MaxPrice, s.Impression)
			// Counted as the exchange counts its revenue: sold, even
			// when the person has left before the ad showed.
			ss := &st.stats[j]
			ss.Filled++
			ss.Revenue = addMoney(ss.Revenue, s.Impression.Cost())
			ss.ClickPrices = addMoney(ss.ClickPrices, s.Click.Cost())
		}
		if left {
			// The person has left: no slot is rendered, nobody pays.
			e.x.Abandoned++
			e.x.AbandonedRevenue = addMoney(e.x.AbandonedRevenue, revenue)
		} else {
			for _, s := range wins {
				e.credit(&bps[s.Bidder], s.Bidder, s.Impression.Cost(), s.Value(rs[s.Bidder].Value).Cost(), s.Weight, a.person)
			}
		}
	} else {
		e.x.Unfilled++
	}
	e.slotCounterfactuals(a, rs, top, eligible, wins, left)
	if e.learners {
		// A learner learns from its surplus in the slot it won (SlotWin.Surplus).
		for i := range rs {
			r := &rs[i]
			if r.arm == 0 || e.bidders[i].strategy.Kind != Learn {
				continue
			}
			switch r.Status {
			case OnTime, Late, BelowFloor:
			default:
				continue
			}
			surplus := 0.0
			for _, s := range wins {
				if s.Bidder == i && !left {
					surplus = s.Surplus(r.Value).CPM()
				}
			}
			e.bidders[i].learn.update(int(r.arm)-1, surplus)
			bps[i].LearnFactor = e.bidders[i].learnedFactor()
		}
	}

	var kept *lateAuction
	if e.remote != nil {
		// Its calls still open are told later (LateAnswer): a bid then
		// adds what it would have added to the slots' revenue.
		if kept = e.keepLate(a, at, rs, 0, 0, 0, 0, true); kept != nil {
			kept.ranked, kept.revenue, kept.lost = ranked, revenue, lost
		}
	}
	free := slot
	if len(e.recent.recs) > 0 {
		if kept != nil {
			kept.rec = e.recent.next // where add puts it
		}
		var rec *AuctionRecord
		rec, free = e.recent.add(slot)
		kept := rec.Slots[:0]
		*rec = AuctionRecord{
			ID: a.id, Start: a.start, Close: at, Auction: a.auction, Tmax: a.tmax,
			BidderTmax: a.told, RequestProcessing: a.lead, Floor: a.floor, Increment: a.increment, Winner: win, Price: price,
			Reason: NoSale, LostToTimeouts: Price(lost), Abandoned: left, Person: a.person,
			Slots: append(kept, wins...),
		}
		if len(wins) > 0 {
			rec.Reason = wins[0].Reason
		}
		if len(top) > 1 {
			rec.SecondBid = top[1].bid
		}
		if e.remote != nil {
			e.remote.showLate(rs)
		}
	}
	if free >= 0 {
		e.pool.put(free)
	}
}

// equilibriumSlots gives the GSP equilibrium bidders among the ranked
// bids top their envy-free bids (GSPEquilibriumBids), the others' bids
// standing for their values: positions stay as ranked. With rs, each
// bid is written back into the bidder's response, which records what it
// bid.
func (e *Engine) equilibriumSlots(a *auctionState, top []rankedBid, rs []Response) {
	some := false
	for _, t := range top[min(1, len(top)):] {
		some = some || e.bidders[t.index].strategy.Kind == Equilibrium
	}
	if !some {
		return
	}
	st := e.slots
	k := len(st.weights)
	var values, bids [MaxSlots + 1]float64
	for j, t := range top {
		values[j] = float64(t.bid)
	}
	GSPEquilibriumBids(st.weights[:k], values[:len(top)], float64(a.floor), bids[:len(top)])
	for j := range top {
		t := &top[j]
		if e.bidders[t.index].strategy.Kind != Equilibrium {
			continue
		}
		t.bid = min(t.bid, microPrice(bids[j]))
		if rs != nil {
			rs[t.index].Bid = t.bid
		}
	}
}

// ClearSlots prices an auction of several slots as the engine does, for
// programs that run auctions of their own (a table where people bid):
// bids are the eligible on-time bids, best first (ties already broken),
// of the bidders indices; the first len(weights) win slots 1 … k under
// auction (GSP or VCG), floor and increment, priced by the engine's rule.
// GSP equilibrium bids (GSPEquilibriumBids) are the caller's to make.
func ClearSlots(auction AuctionType, floor, increment Price, weights []float64, bids []Price, indices []int) []SlotWin {
	a := auctionState{auction: auction, floor: floor, increment: increment}
	var out []SlotWin
	clickPrices(&a, weights, func(i int) Price { return bids[i] }, len(bids), func(j int, click Price, reason PriceReason) {
		w := weights[j]
		out = append(out, SlotWin{Bidder: indices[j], Weight: w, Click: click,
			Impression: microPrice(w * float64(click)), Reason: reason, Bid: bids[j]})
	})
	return out
}
