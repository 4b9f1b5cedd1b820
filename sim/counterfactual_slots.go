package sim

// slotCounterfactuals is counterfactuals for an auction of several slots:
// each bidder that bid on time (or below the floor) adds what it earned,
// α_j × value − its slot's price per impression, and what bidding its
// value per click would have earned against the others' bids as ranked
// (top, the eligible on-time bids best first, at most k+1; eligible of
// them in all), priced by the auction's own rule (clickPrices). The
// others' bids are held as they were, GSP equilibrium bidders' included
// (their envy-free bids are not recomputed for the counterfactual
// ranking). A tie the counterfactual bid makes loses, as for one item.
// Equilibrium is Truthful here: in VCG that is the equilibrium; in GSP
// the envy-free bid needs the others' values, which a bidder does not
// know.
func (e *Engine) slotCounterfactuals(a *auctionState, rs []Response, top []rankedBid, eligible int, wins []SlotWin, left bool) {
	w := e.slots.weights
	k := len(w)
	for i := range rs {
		r := &rs[i]
		if r.Status != OnTime && r.Status != BelowFloor {
			continue
		}
		cf := &e.bidders[i].stats.Counterfactual
		var actual Money
		if !left {
			for _, s := range wins {
				if s.Bidder == i {
					actual = s.Surplus(r.Value).Cost()
				}
			}
		}
		cf.Surplus = addMoney(cf.Surplus, actual)
		truthful := actual
		x := r.Value
		switch {
		case x == r.Bid:
		case left, x < a.floor:
			truthful = 0
		default:
			// The others, best first: top without i.
			pos := -1
			for q := range top {
				if top[q].index == i {
					pos = q
				}
			}
			others := func(q int) Price {
				if pos >= 0 && q >= pos {
					q++
				}
				return top[q].bid
			}
			m := eligible // eligible bids with x in place of i's
			if r.Status != OnTime {
				m++
			}
			p := 0 // x's position: after every other bid at or above it
			for p < m-1 && p < k && others(p) >= x {
				p++
			}
			truthful = 0
			if p < k {
				bids := func(q int) Price {
					switch {
					case q < p:
						return others(q)
					case q == p:
						return x
					}
					return others(q - 1)
				}
				clickPrices(a, w, bids, m, func(j int, click Price, _ PriceReason) {
					if j == p {
						truthful = SlotWin{Weight: w[j], Impression: microPrice(w[j] * float64(click))}.Surplus(x).Cost()
					}
				})
			}
		}
		cf.Truthful = addMoney(cf.Truthful, truthful)
		cf.Equilibrium = addMoney(cf.Equilibrium, truthful)
	}
}
