package sim

import "strconv"

// saturated reports whether a money total stopped at an end of Money
// (addMoney and scaleMoney saturate rather than wrap): it is then a bound,
// not the amount.
func saturated(m Money) bool { return m == MaxMoney || m == minMoney }

// Saturated names, by their metric-catalogue names, every money total of s
// that reached MaxMoney (or the most negative Money) and stopped there:
// such a total is a bound, not the amount, and so is every figure made
// from it (a surplus, a ROAS, a profit, a mean price). Nil when none did,
// as for every scenario of realistic size: prices are bounded so that
// revenue and spend fit, but an order value near its maximum (10⁹) summed
// over many conversions, several slots' prices, or a large traffic scale
// can pass about 9.2 × 10⁹ units of currency. Groups are sums of their
// members, so they saturate with them or on their own.
func (s *Snapshot) Saturated() []string {
	var out []string
	// The name is built only for a hit: a dashboard asks at every frame.
	check := func(prefix, name string, ms ...Money) {
		for _, m := range ms {
			if saturated(m) {
				out = append(out, prefix+name)
				return
			}
		}
	}
	x := &s.Exchange
	check("exchange.", "revenue", x.Revenue)
	check("exchange.", "revenue_lost_to_timeouts", x.RevenueLost)
	check("exchange.", "value", x.Value)
	check("exchange.", "net_revenue", x.Revenue, x.AbandonedRevenue)
	for j := range s.Slots {
		slot := "slots." + strconv.Itoa(j+1) + "."
		check(slot, "revenue", s.Slots[j].Revenue)
		check(slot, "mean_price_per_click", s.Slots[j].ClickPrices)
	}
	for i := range s.Bidders {
		b := &s.Bidders[i]
		p := "bidders." + b.Name + "."
		check(p, "spend", b.Spend)
		check(p, "value", b.Value)
		values := func(p string, b *BidderStats) {
			check(p, "attributed_value", b.ValueCaused, b.ValueOrgan, b.ValueUnattributed, addMoney(b.ValueCaused, b.ValueOrgan))
			if b.Frequency != nil {
				// With people it is caused + organic − without the ad.
				check(p, "incremental_value", b.ValueCaused, b.ValueOrgan, b.ValueWithoutAd, addMoney(b.ValueCaused, b.ValueOrgan))
			} else {
				check(p, "incremental_value", b.ValueCaused)
			}
			check(p, "caused_value", b.ValueCaused)
		}
		values(p, b)
		ev := b.Eventual()
		values(p+"eventual.", &ev)
		check(p, "unattributed_value", b.ValueUnattributed)
		c := &b.Counterfactual
		check(p, "counterfactual.surplus", c.Surplus)
		check(p, "counterfactual.truthful_surplus", c.Truthful)
		check(p, "counterfactual.equilibrium_surplus", c.Equilibrium)
		if h := b.Holdout; h != nil {
			check(p, "holdout.cost.spend", h.GhostSpend)
			check(p, "holdout.cost.value", h.GhostValue)
		}
	}
	for i := range s.Groups {
		g := &s.Groups[i]
		p := "groups." + g.Name + "."
		check(p, "budget", g.Budget)
		check(p, "daily_budget", g.Daily)
		check(p, "daily_sum", g.DailySum)
		check(p, "unspent", g.Unspent)
		check(p, "spend", g.Spend)
		check(p, "attributed_value", g.AttributedValue)
		check(p, "incremental_value", g.IncrementalValue)
		check(p, "caused_value", g.CausedValue)
		check(p, "eventual.attributed_value", g.Eventual.AttributedValue)
		check(p, "eventual.incremental_value", g.Eventual.IncrementalValue)
		check(p, "eventual.caused_value", g.Eventual.CausedValue)
	}
	for i := range s.TmaxCurve {
		pt := &s.TmaxCurve[i]
		check("tmax_curve.", pt.Name()+".revenue", pt.Revenue)
		check("tmax_curve.", pt.Name()+".net_revenue_per_auction", pt.NetRevenue)
	}
	return out
}
