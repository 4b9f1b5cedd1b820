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
	// Bidders is each enabled bidder's closed form per auction, beside
	// its simulated wins, spend and surplus over the run's auctions;
	// absent where the exchange's closed form does not apply, or each
	// bidder's does not (BiddersWhy says why: several slots, an
	// increment, values with atoms, the first-price equilibrium).
	Bidders    []BidderTheory `json:"bidders,omitempty"`
	BiddersWhy string         `json:"bidders_why,omitempty"`
}

// BidderTheory is one bidder's closed form: its win rate per auction,
// and its expected payment and surplus (value less price) per auction,
// CPM; unfilled and lost auctions count 0.
type BidderTheory struct {
	Name              string `json:"name"`
	WinRate           Num    `json:"win_rate"`
	PaymentPerAuction Num    `json:"payment_per_auction"`
	SurplusPerAuction Num    `json:"surplus_per_auction"`
}

// SlotTheory is the slots' closed form, CPM per auction.
type SlotTheory struct {
	VCGRevenuePerAuction Num `json:"vcg_revenue_per_auction"`
	GSPRevenuePerAuction Num `json:"gsp_revenue_per_auction"`
}

// newTheory is the closed form t, its numbers read from m; bt and why
// each bidder's (sim.Snapshot.BidderTheory).
func newTheory(t sim.Theory, bt []sim.BidderTheory, why string, m metrics) *Theory {
	if !m.yes("applies") {
		return &Theory{Why: t.Why}
	}
	p := func(name string) *Num { n := m.num(name); return &n }
	var slots *SlotTheory
	if t.Slots != nil {
		slots = &SlotTheory{VCGRevenuePerAuction: m.num("slots.vcg_revenue_per_auction"), GSPRevenuePerAuction: m.num("slots.gsp_revenue_per_auction")}
	}
	var bidders []BidderTheory
	for _, b := range bt {
		bm := m.sub("bidders." + b.Name + ".")
		bidders = append(bidders, BidderTheory{
			Name: b.Name, WinRate: bm.num("win_rate"),
			PaymentPerAuction: bm.num("payment_per_auction"), SurplusPerAuction: bm.num("surplus_per_auction"),
		})
	}
	return &Theory{
		Bidders:           bidders,
		BiddersWhy:        why,
		Slots:             slots,
		Applies:           true,
		MeanClearingPrice: p("mean_clearing_price"),
		RevenuePerAuction: p("revenue_per_auction"),
		FillRate:          p("fill_rate"),
		Formula:           t.Formula,
	}
}
