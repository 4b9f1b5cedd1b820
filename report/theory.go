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

func newTheory(t sim.Theory) *Theory {
	if !t.Applies {
		return &Theory{Why: t.Why}
	}
	p := func(x float64) *Num { n := num(x); return &n }
	return &Theory{
		Applies:           true,
		MeanClearingPrice: p(t.MeanClearingPrice),
		RevenuePerAuction: p(t.RevenuePerAuction),
		FillRate:          p(t.FillRate),
		Formula:           t.Formula,
	}
}
