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
}

// newTheory is the closed form t, its numbers read from m.
func newTheory(t sim.Theory, m metrics) *Theory {
	if !m.yes("applies") {
		return &Theory{Why: t.Why}
	}
	p := func(name string) *Num { n := m.num(name); return &n }
	return &Theory{
		Applies:           true,
		MeanClearingPrice: p("mean_clearing_price"),
		RevenuePerAuction: p("revenue_per_auction"),
		FillRate:          p("fill_rate"),
		Formula:           t.Formula,
	}
}
