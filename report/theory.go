package report

import "github.com/auctionsim/auctionsim/sim"

// Theory is the closed form beside the simulated figures: what theory
// expects for the world as it stood at the end of the run, or why no
// closed form applies. Prices are CPM.
type Theory struct {
	Applies           bool   `json:"applies"`
	MeanClearingPrice *Num   `json:"mean_clearing_price,omitempty"`
	RevenuePerAuction *Num   `json:"revenue_per_auction,omitempty"`
	FillRate          *Num   `json:"fill_rate,omitempty"`
	Formula           string `json:"formula,omitempty"`
	Why               string `json:"why,omitempty"`
	// Slots is the closed form of an auction of several slots: VCG's and
	// GSP's revenue per auction with the bids as made (the GSP envy-free
	// equilibrium earns VCG's); absent for a single item.
	Slots *SlotTheory `json:"slots,omitempty"`
}

// SlotTheory is the slots' closed form, CPM per auction.
type SlotTheory struct {
	VCGRevenuePerAuction Num `json:"vcg_revenue_per_auction"`
	GSPRevenuePerAuction Num `json:"gsp_revenue_per_auction"`
}

// newTheory is the closed form t, its numbers read from m.
func newTheory(t sim.Theory, m metrics) *Theory {
	if !m.yes("applies") {
		return &Theory{Why: t.Why}
	}
	p := func(name string) *Num { n := m.num(name); return &n }
	var slots *SlotTheory
	if t.Slots != nil {
		slots = &SlotTheory{VCGRevenuePerAuction: m.num("slots.vcg_revenue_per_auction"), GSPRevenuePerAuction: m.num("slots.gsp_revenue_per_auction")}
	}
	return &Theory{
		Slots:             slots,
		Applies:           true,
		MeanClearingPrice: p("mean_clearing_price"),
		RevenuePerAuction: p("revenue_per_auction"),
		FillRate:          p("fill_rate"),
		Formula:           t.Formula,
	}
}
