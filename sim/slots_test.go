package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// slotWorld is n truthful bidders, values from value, in an auction of
// the given type over slots.
func slotWorld(n int, value Dist, auction AuctionType, slots ...float64) Config {
	cfg := world(n, value)
	cfg.Exchange.Auction = auction
	cfg.Exchange.Slots = slots
	return cfg
}

// TestSlotPricesByHand: values 4, 3, 2, 1 CPM per click, slots α = [1,
// 0.5]. GSP: slot 1 pays the second bid 3 per click (3 per impression),
// slot 2 the third, 2 per click (1 per impression): 4 per auction. VCG:
// slot 2 pays α_2·b_3 = 1, slot 1 (α_1 − α_2)·b_2 + α_2·b_3 = 2.5: 3.5.
// GSP with envy-free equilibrium bids b_2 = 0.5·3 + 0.5·2 = 2.5, b_3 = 2:
// VCG's prices, 3.5.
func TestSlotPricesByHand(t *testing.T) {
	cases := []struct {
		auction      AuctionType
		eq           bool
		rev          float64
		click, spend [2]float64 // slot 1, slot 2: price per click; bidder spend per auction
	}{
		{GSP, false, 4, [2]float64{3, 2}, [2]float64{3, 1}},
		{VCG, false, 3.5, [2]float64{2.5, 2}, [2]float64{2.5, 1}},
		{GSP, true, 3.5, [2]float64{2.5, 2}, [2]float64{2.5, 1}},
		{VCG, true, 3.5, [2]float64{2.5, 2}, [2]float64{2.5, 1}},
	}
	for _, c := range cases {
		cfg := slotWorld(4, Dist{}, c.auction, 1, 0.5)
		for i, v := range []float64{4, 3, 2, 1} {
			cfg.Bidders[i].Value = Constant(v)
			if c.eq {
				cfg.Bidders[i].Strategy = Strategy{Kind: Equilibrium}
			}
		}
		e := mustNew(t, cfg)
		e.RunAuctions(100)
		s := e.Snapshot()
		name := c.auction.String()
		if c.eq {
			name += " equilibrium"
		}
		if got := s.Exchange.RevenuePerAuction(); math.Abs(got-c.rev) > 1e-9 {
			t.Errorf("%s: revenue per auction %g, want %g", name, got, c.rev)
		}
		for j := range 2 {
			if got := s.Slots[j].MeanClickPrice(); math.Abs(got-c.click[j]) > 1e-9 {
				t.Errorf("%s: slot %d price per click %g, want %g", name, j+1, got, c.click[j])
			}
			b := s.Bidders[j]
			if got := b.Spend.Float() / float64(s.Exchange.Auctions) * 1000; math.Abs(got-c.spend[j]) > 1e-9 {
				t.Errorf("%s: %s spends %g CPM per auction, want %g", name, b.Name, got, c.spend[j])
			}
			if b.Wins != s.Exchange.Auctions {
				t.Errorf("%s: %s won %d of %d", name, b.Name, b.Wins, s.Exchange.Auctions)
			}
		}
		if got := TheoryRevenuePerAuction.OfAuction(s.Recent[0]); math.Abs(got-c.rev) > 1e-9 {
			t.Errorf("%s: one auction's revenue %g, want %g", name, got, c.rev)
		}
		if s.Exchange.RevenueLost != 0 {
			t.Errorf("%s: %d lost to timeouts without a late bid", name, s.Exchange.RevenueLost)
		}
		if w := s.Bidders[2].Wins + s.Bidders[3].Wins; w != 0 {
			t.Errorf("%s: the bidders below the slots won %d", name, w)
		}
		// Value is per click × the slot's weight: 4 and 0.5 × 3.
		if got := s.Bidders[1].Value.Float() / float64(s.Bidders[1].Wins) * 1000; math.Abs(got-1.5) > 1e-9 {
			t.Errorf("%s: slot 2's value per impression %g, want 1.5", name, got)
		}
		rec := s.Recent[len(s.Recent)-1]
		if len(rec.Slots) != 2 || rec.Slots[0].Bidder != 0 || rec.Slots[1].Bidder != 1 || rec.Winner != 0 {
			t.Fatalf("%s: record slots %+v", name, rec.Slots)
		}
		if rec.Responses[1].Rank != 2 || rec.Responses[3].Rank != 4 {
			t.Errorf("%s: ranks %d, %d", name, rec.Responses[1].Rank, rec.Responses[3].Rank)
		}
		if th := s.Theory(); th.Applies || !strings.Contains(th.Why, "identically distributed") {
			t.Errorf("%s: theory for different values: %+v", name, th)
		}
	}
}

// TestSlotFloor: two bidders for three slots, floor 1: VCG's third term
// and GSP's last slot are the floor.
func TestSlotFloor(t *testing.T) {
	for _, c := range []struct {
		auction AuctionType
		rev     float64
	}{
		// GSP: slot 1 pays 2, slot 2 the floor 1 × 0.5.
		{GSP, 2 + 0.5},
		// VCG: slot 2 pays (0.5 − 0.2)·1 + 0.2·1 = 0.5; slot 1 (1 − 0.5)·2 + 0.5 = 1.5.
		{VCG, 1.5 + 0.5},
	} {
		cfg := slotWorld(3, Dist{}, c.auction, 1, 0.5, 0.2)
		cfg.Exchange.Floor = PriceOf(1)
		for i, v := range []float64{3, 2, 0.5} {
			cfg.Bidders[i].Value = Constant(v)
		}
		e := mustNew(t, cfg)
		e.RunAuctions(50)
		s := e.Snapshot()
		if got := s.Exchange.RevenuePerAuction(); math.Abs(got-c.rev) > 1e-9 {
			t.Errorf("%s: revenue %g, want %g", c.auction, got, c.rev)
		}
		if s.Slots[2].Filled != 0 {
			t.Errorf("%s: slot 3 sold %d times to a bid below the floor", c.auction, s.Slots[2].Filled)
		}
	}
}

// TestSlotTheoryConstant: two bidders of constant value 2 for three
// slots α = [1, 0.5, 0.2], floor 1. GSP: slot 1 pays 2, slot 2 the floor
// × 0.5: 2.5. VCG: slot 2 pays (0.5 − 0.2)·1 + 0.2·1 = 0.5, slot 1
// 0.5·2 + 0.3·1 + 0.2·1 = 1.5: 2.0. Theory and simulation agree exactly.
func TestSlotTheoryConstant(t *testing.T) {
	for _, c := range []struct {
		auction AuctionType
		rev     float64
	}{{GSP, 2.5}, {VCG, 2}} {
		cfg := slotWorld(2, Constant(2), c.auction, 1, 0.5, 0.2)
		cfg.Exchange.Floor = PriceOf(1)
		th := TheoryOf(cfg)
		if !th.Applies || math.Abs(th.RevenuePerAuction-c.rev) > 1e-9 || th.Slots.Fill[1] != 1 || th.Slots.Fill[2] != 0 {
			t.Errorf("%s: theory %+v, want %g", c.auction, th, c.rev)
		}
		e := mustNew(t, cfg)
		e.RunAuctions(100)
		if got := e.Snapshot().Exchange.RevenuePerAuction(); math.Abs(got-c.rev) > 1e-9 {
			t.Errorf("%s: simulated %g, want %g", c.auction, got, c.rev)
		}
	}
}

// TestSlotTheoryUniform: values U[0, 1], no floor, E[v_(j)] = (n+1−j)/(n+1):
// VCG = Σ_i (α_i − α_{i+1})·i·(n−i)/(n+1), truthful GSP = Σ_j α_j·(n−j)/(n+1).
// For n = 5, α = [1, 0.6, 0.3]: VCG 0.4·4/6 + 0.3·2·3/6 + 0.3·3·2/6 =
// 0.8667, GSP 4/6 + 0.6·3/6 + 0.3·2/6 = 1.0667.
func TestSlotTheoryUniform(t *testing.T) {
	alpha := []float64{1, 0.6, 0.3}
	for _, n := range []int{2, 3, 5, 8} {
		vcg, gsp := 0.0, 0.0
		for i := 1; i <= len(alpha); i++ {
			next := 0.0
			if i < len(alpha) {
				next = alpha[i]
			}
			if i+1 <= n {
				vcg += (alpha[i-1] - next) * float64(i) * float64(n-i) / float64(n+1)
				gsp += alpha[i-1] * float64(n-i) / float64(n+1)
			}
		}
		for _, a := range []AuctionType{GSP, VCG} {
			th := TheoryOf(slotWorld(n, Uniform(0, 1), a, alpha...))
			if !th.Applies || th.Slots == nil {
				t.Fatalf("n %d %s: %+v", n, a, th)
			}
			if math.Abs(th.Slots.VCG-vcg) > 1e-7 || math.Abs(th.Slots.GSP-gsp) > 1e-7 {
				t.Errorf("n %d: VCG %.6f GSP %.6f, want %.6f %.6f", n, th.Slots.VCG, th.Slots.GSP, vcg, gsp)
			}
			if th.Slots.GSP < th.Slots.VCG-1e-12 {
				t.Errorf("n %d: truthful GSP %g below VCG %g", n, th.Slots.GSP, th.Slots.VCG)
			}
			want := gsp
			if a == VCG {
				want = vcg
			}
			if math.Abs(th.RevenuePerAuction-want) > 1e-7 {
				t.Errorf("n %d %s: revenue %g, want %g", n, a, th.RevenuePerAuction, want)
			}
		}
		if n == 5 && (math.Abs(vcg-0.86667) > 1e-4 || math.Abs(gsp-1.06667) > 1e-4) {
			t.Errorf("n 5: hand values VCG %g GSP %g", vcg, gsp)
		}
	}
}

// TestSlotTheoryMatchesSimulation: the simulated revenue per auction lies
// within 3 standard errors (batch means) of the closed form, for truthful
// GSP and VCG, the GSP envy-free equilibrium (VCG's revenue) and shaded
// bids, with and without a floor, uniform and exponential values, and
// bidders that are sometimes late.
func TestSlotTheoryMatchesSimulation(t *testing.T) {
	batchCount, batch := 20, 20*Second
	if testing.Short() {
		batchCount, batch = 10, 5*Second
	}
	cases := []struct {
		name string
		cfg  func() Config
	}{
		{"truthful GSP, 5 uniform", func() Config { return slotWorld(5, Uniform(0, 1), GSP, 1, 0.6, 0.3) }},
		{"truthful VCG, 5 uniform", func() Config { return slotWorld(5, Uniform(0, 1), VCG, 1, 0.6, 0.3) }},
		{"GSP equilibrium, 5 uniform, floor 0.2", func() Config {
			cfg := slotWorld(5, Uniform(0, 1), GSP, 1, 0.6, 0.3)
			cfg.Exchange.Floor = PriceOf(0.2)
			for i := range cfg.Bidders {
				cfg.Bidders[i].Strategy = Strategy{Kind: Equilibrium}
			}
			return cfg
		}},
		{"VCG, 4 exponential, floor 0.3, late bidders", func() Config {
			cfg := slotWorld(4, Exponential(0.5), VCG, 1, 0.7, 0.4, 0.1)
			cfg.Exchange.Floor = PriceOf(0.3)
			cfg.Bidders[0].Latency = Exponential(ms(60))
			cfg.Bidders[2].NoBid = 0.2
			return cfg
		}},
		{"GSP equilibrium, 4 exponential, floor 0.2, late bidders", func() Config {
			cfg := slotWorld(4, Exponential(1), GSP, 1, 0.5, 0.25)
			cfg.Exchange.Floor = PriceOf(0.2)
			for i := range cfg.Bidders {
				cfg.Bidders[i].Strategy = Strategy{Kind: Equilibrium}
				cfg.Bidders[i].Latency = Exponential(ms(50))
			}
			return cfg
		}},
		{"GSP shading 0.8, 3 uniform for 3 slots", func() Config {
			cfg := slotWorld(3, Uniform(0, 2), GSP, 1, 0.5, 0.25)
			for i := range cfg.Bidders {
				cfg.Bidders[i].Strategy = Strategy{Kind: Shade, Factor: 0.8}
			}
			return cfg
		}},
	}
	for _, c := range cases {
		cfg := c.cfg()
		th := TheoryOf(cfg)
		if !th.Applies {
			t.Fatalf("%s: no closed form: %s", c.name, th.Why)
		}
		e := mustNew(t, cfg)
		var fill []float64
		rev := batches(t, e, batchCount, batch, func(p, q *Snapshot) float64 {
			fill = append(fill, 1-noSale(p, q))
			return revenuePerAuction(p, q)
		})
		within3SE(t, c.name+": revenue per auction", rev, th.RevenuePerAuction)
		within3SE(t, c.name+": fill rate", fill, th.FillRate)
		s := e.Snapshot()
		for j := range s.Slots {
			if got := s.Slots[j].FillRate(s.Exchange.Auctions); math.Abs(got-th.Slots.Fill[j]) > 0.02 {
				t.Errorf("%s: slot %d fill %g, theory %g", c.name, j+1, got, th.Slots.Fill[j])
			}
		}
	}
}

// TestSlotTheoryWhy: mixed strategies in several slots have no closed
// form, and say why.
func TestSlotTheoryWhy(t *testing.T) {
	cfg := slotWorld(4, Uniform(0, 1), GSP, 1, 0.5)
	cfg.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 0.7}
	if th := TheoryOf(cfg); th.Applies || !strings.Contains(th.Why, "different shares") {
		t.Errorf("one shading: %+v", th)
	}
	cfg.Bidders[0].Strategy = Strategy{Kind: Equilibrium}
	if th := TheoryOf(cfg); th.Applies || !strings.Contains(th.Why, "envy-free") {
		t.Errorf("one equilibrium: %+v", th)
	}
}

// TestSlotConfig: slots are refused where they make no sense, naming the
// field.
func TestSlotConfig(t *testing.T) {
	cases := []struct {
		mod   func(*Config)
		field string
	}{
		{func(c *Config) { c.Exchange.Slots = []float64{1, 0.6}; c.Exchange.Auction = SecondPrice }, "exchange.auction"},
		{func(c *Config) { c.Exchange.Slots = []float64{0.5} }, "exchange.slots"},
		{func(c *Config) { c.Exchange.Slots = []float64{1, 1.2} }, "exchange.slots[1]"},
		{func(c *Config) { c.Exchange.Slots = []float64{1, 0.5, 0.7} }, "exchange.slots[2]"},
		{func(c *Config) { c.Exchange.Slots = []float64{1, 0} }, "exchange.slots[1]"},
		{func(c *Config) { c.Exchange.Slots = []float64{1, math.NaN()} }, "exchange.slots[1]"},
		{func(c *Config) { c.Exchange.Slots = make([]float64, MaxSlots+1) }, "exchange.slots"},
		{func(c *Config) { c.Exchange.Slots = []float64{1, 0.5}; c.Exchange.TmaxCurve = DefaultTmaxCurve }, "exchange.tmax_curve"},
	}
	for _, c := range cases {
		cfg := slotWorld(3, Uniform(0, 1), GSP)
		c.mod(&cfg)
		fes := FieldErrors(cfg.Validate())
		found := false
		for _, fe := range fes {
			found = found || fe.Field == c.field
		}
		if !found {
			t.Errorf("%v: errors %v, want one on %s", cfg.Exchange.Slots, fes, c.field)
		}
	}
	// GSP and VCG with one slot are second price, to the micro-CPM.
	base := world(4, Uniform(0, 1))
	e := mustNew(t, base)
	e.RunAuctions(5000)
	for _, a := range []AuctionType{GSP, VCG} {
		cfg := base
		cfg.Exchange.Auction = a
		cfg.Exchange.Slots = []float64{1}
		f := mustNew(t, cfg)
		f.RunAuctions(5000)
		if got, want := f.Snapshot().Exchange, e.Snapshot().Exchange; got.Revenue != want.Revenue || got.Filled != want.Filled {
			t.Errorf("%s with one slot: revenue %d, want second price's %d", a, got.Revenue, want.Revenue)
		}
	}
	// A live switch to a single-item auction is refused with slots; gsp ↔ vcg is fine.
	e = mustNew(t, slotWorld(3, Uniform(0, 1), GSP, 1, 0.5))
	if err := e.Apply(SetAuction{Auction: SecondPrice}); err == nil || !strings.Contains(err.Error(), "gsp or vcg") {
		t.Errorf("switch to second price with slots: %v", err)
	}
	if err := e.Apply(SetAuction{Auction: VCG}); err != nil {
		t.Errorf("switch to vcg: %v", err)
	}
}

// TestSlotsClone: a clone of an engine of several slots runs as the
// original, and apart from it.
func TestSlotsClone(t *testing.T) {
	e := mustNew(t, slotWorld(4, Uniform(0, 1), VCG, 1, 0.5, 0.25))
	e.RunAuctions(1000)
	c := e.Clone()
	e.RunAuctions(1000)
	c.RunAuctions(1000)
	a, b := e.Snapshot(), c.Snapshot()
	if a.Exchange.Revenue != b.Exchange.Revenue || a.Slots[2] != b.Slots[2] {
		t.Errorf("clone diverged: %v vs %v", a.Slots, b.Slots)
	}
	if &a.Recent[0].Slots[0] == &b.Recent[0].Slots[0] {
		t.Error("clone shares record slots")
	}
}

// BenchmarkEngineSlots is BenchmarkEngine's world with three slots: no
// allocation per auction either.
func BenchmarkEngineSlots(b *testing.B) {
	e, err := New(slotWorld(8, Uniform(0, 1), GSP, 1, 0.6, 0.3))
	if err != nil {
		b.Fatal(err)
	}
	e.RunAuctions(10000)
	b.ReportAllocs()
	b.ResetTimer()
	e.RunAuctions(uint64(b.N))
}

// TestSlotDeviatorSurplus: with c = 1 a bidder's expected surplus is its
// share of the welfare less the revenue, (Σ_j α_j·E[v_(j)] − R)/n; for
// sponsored-search's world (n = 4, U[0, 1], α = [1, 0.6, 0.3]) that is
// (1.28 − 0.90)/4 = 0.095 in GSP and (1.28 − 0.66)/4 = 0.155 in VCG, and
// a bidder shading by 0.7 earns more in GSP (truthful is no equilibrium)
// and less in VCG (truthful is dominant), as the engine measures.
func TestSlotDeviatorSurplus(t *testing.T) {
	w := []float64{1, 0.6, 0.3}
	for _, c := range []struct {
		a    AuctionType
		want float64
	}{{GSP, 0.095}, {VCG, 0.155}} {
		got, ok := SlotDeviatorSurplus(Uniform(0, 1), 4, w, c.a, 1, 0)
		if !ok || math.Abs(got-c.want) > 1e-4 {
			t.Errorf("%s truthful: %g, want %g", c.a, got, c.want)
		}
	}
	batchCount, batch := 20, 10*Second
	if testing.Short() {
		batchCount, batch = 10, 5*Second
	}
	for _, a := range []AuctionType{GSP, VCG} {
		for _, r := range []float64{0, 0.2} {
			truthful, _ := SlotDeviatorSurplus(Uniform(0, 1), 4, w, a, 1, r)
			shaded, _ := SlotDeviatorSurplus(Uniform(0, 1), 4, w, a, 0.7, r)
			if (a == GSP) != (shaded > truthful) {
				t.Errorf("%s floor %g: shading 0.7 earns %g, truthful %g", a, r, shaded, truthful)
			}
			cfg := slotWorld(4, Uniform(0, 1), a, w...)
			cfg.Exchange.Floor = PriceOf(r)
			cfg.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 0.7}
			e := mustNew(t, cfg)
			within3SE(t, fmt.Sprintf("%s floor %g: the shading bidder's surplus", a, r), batches(t, e, batchCount, batch, func(p, q *Snapshot) float64 {
				n := float64(q.Exchange.Auctions - p.Exchange.Auctions)
				bp, bq := p.Bidders[0], q.Bidders[0]
				return float64((bq.Value-bq.Spend)-(bp.Value-bp.Spend)) / n / float64(PriceUnit)
			}), shaded)
		}
	}
}

// TestSlotsAbandonment: when the person leaves before the ads show,
// nobody pays or gets value, and the slots' revenue still adds up to the
// exchange's, as the exchange counts a sale.
func TestSlotsAbandonment(t *testing.T) {
	cfg := slotWorld(4, Uniform(0, 1), GSP, 1, 0.5)
	cfg.Exchange.Abandonment = Abandonment{Per100ms: 0.5}
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = Constant(ms(60))
	}
	e := mustNew(t, cfg)
	e.RunAuctions(5000)
	s := e.Snapshot()
	if s.Exchange.Abandoned == 0 || s.Exchange.Abandoned == s.Exchange.Auctions {
		t.Fatalf("abandoned %d of %d", s.Exchange.Abandoned, s.Exchange.Auctions)
	}
	sum := Money(0)
	for _, sl := range s.Slots {
		sum += sl.Revenue
	}
	spend, wins := Money(0), uint64(0)
	for _, b := range s.Bidders {
		spend += b.Spend
		wins += b.Wins
	}
	if sum != s.Exchange.Revenue {
		t.Errorf("slots' revenue %d, the exchange's %d", sum, s.Exchange.Revenue)
	}
	if spend != s.Exchange.Revenue-s.Exchange.AbandonedRevenue {
		t.Errorf("bidders spent %d, revenue %d less abandoned %d", spend, s.Exchange.Revenue, s.Exchange.AbandonedRevenue)
	}
	if want := 2 * (s.Exchange.Filled - s.Exchange.Abandoned); wins != want {
		t.Errorf("%d wins, want two slots per shown auction, %d", wins, want)
	}
}

// TestSlotDailyBudget: a daily budget caps a slot winner's spend as it
// does a single item's, and its day's spend is what it paid (the slots'
// close once left the day uncharged: 19× the cap spent).
func TestSlotDailyBudget(t *testing.T) {
	cfg := slotWorld(4, Uniform(0, 1), GSP, 1, 0.5)
	cfg.Horizon = 20 * Second
	cfg.Bidders[0].Budget = &Budget{Daily: MoneyOf(0.001)}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(20000)
	b := e.Snapshot().Bidders[0]
	if b.Spend > MoneyOf(0.001) || len(b.Days) == 0 || b.Days[0].Spend != b.Spend || b.Spend == 0 {
		t.Errorf("spent %v of a daily 0.001; days %+v", b.Spend.Float(), b.Days)
	}
}
