package seat

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

func config(auction sim.AuctionType, floor, increment float64, n int) sim.Config {
	cfg := sim.Config{
		Name: "t", Seed: 1,
		Traffic:  sim.Traffic{QPS: 1},
		Exchange: sim.ExchangeConfig{Auction: auction, Tmax: 100 * sim.Millisecond, Floor: sim.PriceOf(floor), Increment: sim.PriceOf(increment)},
	}
	for i := range n {
		cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{
			Name:  string(rune('a' + i)),
			Value: sim.Uniform(0, 1),
		})
	}
	return cfg
}

func cpm(x float64) sim.Price { return sim.PriceOf(x) }

// In a second-price auction with no increment, bidding one's value never
// does worse than any other bid on the same round; with an increment it
// never does worse by more than the increment.
func TestSecondPriceTruthfulDominates(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		inc := rapid.SampledFrom([]float64{0, 0, 0.01, 0.05}).Draw(rt, "increment")
		floor := rapid.SampledFrom([]float64{0, 0.1, 0.5}).Draw(rt, "floor")
		n := rapid.IntRange(1, 6).Draw(rt, "bidders")
		cfg := config(sim.SecondPrice, floor, inc, n)
		cfg.Seed = rapid.Uint64().Draw(rt, "seed")
		// Some simulated bidders shade or bid a fixed amount, so ties and
		// prices at the floor happen.
		for i := 1; i < n; i++ {
			switch rapid.IntRange(0, 2).Draw(rt, "strategy") {
			case 1:
				cfg.Bidders[i].Strategy = sim.Strategy{Kind: sim.Shade, Factor: 0.8}
			case 2:
				cfg.Bidders[i].Strategy = sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(0.5)}
			}
		}
		tab, err := New(cfg, []int{0})
		if err != nil {
			rt.Fatal(err)
		}
		for range 20 {
			r := tab.Deal()
			v := r.Value(tab, 0)
			var amount sim.Price
			switch rapid.IntRange(0, 3).Draw(rt, "kind") {
			case 0: // anything
				amount = cpm(rapid.Float64Range(0, 2).Draw(rt, "bid"))
			case 1: // a shade
				amount = sim.Price(float64(v) * rapid.Float64Range(0, 1).Draw(rt, "factor"))
			case 2: // another bidder's bid exactly, for ties
				amount = cpm(0.5)
			case 3: // over
				amount = v + cpm(rapid.Float64Range(0, 0.5).Draw(rt, "over"))
			}
			res, err := tab.Close(r, []Bid{{Amount: amount}})
			if err != nil {
				rt.Fatal(err)
			}
			o := res.Seats[0]
			if o.Truthful.Surplus < 0 {
				rt.Fatalf("truthful surplus %v < 0 (value %v, price %v)", o.Truthful.Surplus, v, o.Truthful.Price)
			}
			slack := cpm(inc)
			if o.Truthful.Surplus+slack < o.Result.Surplus {
				rt.Fatalf("bid %v earned %v, bidding the value %v earned %v (increment %v)",
					amount, o.Result.Surplus, v, o.Truthful.Surplus, inc)
			}
		}
		tt := tab.Totals(0)
		if inc == 0 && tt.Truthful.Surplus < tt.Surplus {
			rt.Fatalf("totals: truthful %v < actual %v", tt.Truthful.Surplus, tt.Surplus)
		}
	})
}

// The same rounds, bid truthfully, give exactly the counterfactual.
func TestTruthfulBidIsItsOwnCounterfactual(t *testing.T) {
	cfg := config(sim.SecondPrice, 0.1, 0.01, 4)
	tab, _ := New(cfg, []int{2})
	for range 200 {
		r := tab.Deal()
		res, err := tab.Close(r, []Bid{{Amount: r.Value(tab, 0)}})
		if err != nil {
			t.Fatal(err)
		}
		if o := res.Seats[0]; o.Result != o.Truthful {
			t.Fatalf("round %d: truthful bid %+v, counterfactual %+v", r.Number, o.Result, o.Truthful)
		}
	}
	tt := tab.Totals(0)
	if tt.Surplus != tt.Truthful.Surplus || tt.Wins != tt.Truthful.Wins || tt.Wins == 0 {
		t.Fatalf("totals %+v", tt)
	}
}

func TestFirstPriceValueBidEarnsNothing(t *testing.T) {
	cfg := config(sim.FirstPrice, 0, 0, 3)
	tab, _ := New(cfg, []int{0})
	wins, shadedSurplus := 0, sim.Price(0)
	for range 300 {
		r := tab.Deal()
		v := r.Value(tab, 0)
		res, _ := tab.Close(r, []Bid{{Amount: v * 2 / 3}})
		o := res.Seats[0]
		if o.Truthful.Won {
			wins++
			if o.Truthful.Surplus != 0 || o.Truthful.Price != v || o.Truthful.Reason != sim.FirstPriceBid {
				t.Fatalf("truthful first price: %+v, value %v", o.Truthful, v)
			}
		}
		shadedSurplus += o.Result.Surplus
	}
	if wins == 0 {
		t.Fatal("never won bidding the value")
	}
	if tt := tab.Totals(0); tt.Truthful.Surplus != 0 || tt.Surplus != shadedSurplus || shadedSurplus <= 0 {
		t.Fatalf("totals %+v, shaded surplus %v", tt, shadedSurplus)
	}
}

func TestPricesAreTheEngines(t *testing.T) {
	cfg := config(sim.SecondPrice, 0.2, 0.01, 2)
	cfg.Bidders[1].Value = sim.Constant(0.5)
	tab, _ := New(cfg, []int{0})
	cases := []struct {
		bid    float64
		won    bool
		price  float64
		reason sim.PriceReason
	}{
		{0.9, true, 0.51, sim.SecondBid},
		{0.505, true, 0.505, sim.CappedAtBid},
		{0.3, false, 0.31, sim.SecondBid}, // the other wins at our bid + increment
		{0.1, false, 0.21, sim.FloorPrice},
	}
	for _, c := range cases {
		r := tab.Deal()
		res, _ := tab.Close(r, []Bid{{Amount: cpm(c.bid)}})
		o := res.Seats[0]
		if o.Result.Won != c.won || res.Price != cpm(c.price) || res.Reason != c.reason {
			t.Errorf("bid %v: won %v price %v (%v), want %v %v (%v)", c.bid, o.Result.Won, res.Price, res.Reason, c.won, c.price, c.reason)
		}
	}
	r := tab.Deal()
	res, _ := tab.Close(r, []Bid{{Amount: cpm(0.9), Late: true}})
	if res.Seats[0].Status != sim.Late || res.Seats[0].Result.Won || res.Winner != 1 || res.Reason != sim.FloorPrice {
		t.Errorf("late bid: %+v", res)
	}
	if !res.Seats[0].Truthful.Won {
		t.Errorf("on time and truthful, the seat would have won: %+v", res.Seats[0].Truthful)
	}
	if _, err := tab.Close(r, []Bid{{}}); err == nil {
		t.Error("a round closed twice")
	}
}

// Values depend on the seed and the round only, never on what was bid.
func TestDeterministic(t *testing.T) {
	cfg := config(sim.SecondPrice, 0.1, 0.01, 4)
	cfg.Bidders[1].Latency = sim.LogNormalMedianP99(80e6, 200e6)
	cfg.Bidders[2].Errors, cfg.Bidders[2].NoBid = 0.1, 0.2
	play := func(bid func(v sim.Price) Bid) ([]*Result, Totals) {
		tab, _ := New(cfg, []int{0, 3})
		var out []*Result
		for range 100 {
			r := tab.Deal()
			res, _ := tab.Close(r, []Bid{bid(r.Value(tab, 0)), {Amount: r.Value(tab, 1)}})
			out = append(out, res)
		}
		return out, tab.Totals(0)
	}
	a, ta := play(func(v sim.Price) Bid { return Bid{Amount: v / 2} })
	b, tb := play(func(v sim.Price) Bid { return Bid{Amount: v / 2} })
	if !reflect.DeepEqual(a, b) || ta != tb {
		t.Fatal("same seed, same bids, different rounds")
	}
	c, _ := play(func(v sim.Price) Bid { return Bid{Pass: true} })
	late := 0
	for k := range a {
		if !reflect.DeepEqual(a[k].Values, c[k].Values) {
			t.Fatalf("round %d: values changed with the bids", k+1)
		}
		if a[k].Responses[1].Status == sim.Late {
			late++
		}
	}
	if late == 0 || late == len(a) {
		t.Errorf("bidder b late in %d of %d rounds; want some", late, len(a))
	}
}

func TestNewRefuses(t *testing.T) {
	cfg := config(sim.SecondPrice, 0, 0, 2)
	if _, err := New(cfg, []int{0, 0}); err == nil {
		t.Error("a bidder seated twice")
	}
	if _, err := New(cfg, []int{5}); err == nil {
		t.Error("a seat at no bidder")
	}
	learner := config(sim.FirstPrice, 0, 0, 2)
	learner.Bidders[1].Strategy = sim.Strategy{Kind: sim.Learn}
	if _, err := New(learner, []int{0}); err == nil || !strings.Contains(err.Error(), "learn") {
		t.Errorf("a robot that learns: %v, want a refusal naming learn", err)
	}
	if _, err := New(learner, []int{1}); err != nil {
		t.Errorf("a person seated at a learning bidder bids for it: %v", err)
	}
	tab, _ := New(cfg, []int{0})
	r := tab.Deal()
	if _, err := tab.Close(r, nil); err == nil {
		t.Error("no bids for one seat")
	}
	if _, err := tab.Close(r, []Bid{{Amount: -1}} /* raw: the least negative amount */); err == nil {
		t.Error("a negative bid")
	}
}

func TestFind(t *testing.T) {
	cfg := config(sim.SecondPrice, 0, 0, 3)
	cfg.Bidders[1].Name = "metro"
	if i, err := Find(cfg, "metro"); i != 1 || err != nil {
		t.Fatalf("Find(metro) = %d, %v", i, err)
	}
	_, err := Find(cfg, "mtero")
	if err == nil || err.Error() != `no bidder named "mtero"; did you mean metro?` {
		t.Fatalf("typo: %v", err)
	}
	_, err = Find(cfg, "zzzzzzzz")
	if err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Fatalf("far from every name: %v", err)
	}
}

// Every bundled scenario seats its first bidder and plays.
func TestBundledScenarios(t *testing.T) {
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Bundled(name)
		if err != nil {
			t.Fatal(err)
		}
		tab, err := New(sc.Config, []int{0})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for range 50 {
			r := tab.Deal()
			if _, err := tab.Close(r, []Bid{{Amount: r.Value(tab, 0)}}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if tt := tab.Totals(0); tt.Rounds != 50 || tt.Surplus < 0 {
			t.Errorf("%s: totals %+v", name, tt)
		}
	}
}

// An empty seat bids as its simulated bidder would.
func TestAutoSeat(t *testing.T) {
	cfg := config(sim.SecondPrice, 0, 0, 3)
	cfg.Bidders[0].Strategy = sim.Strategy{Kind: sim.Shade, Factor: 0.5}
	simulated, _ := New(cfg, nil)
	seated, _ := New(cfg, []int{0})
	for range 50 {
		a, b := simulated.Deal(), seated.Deal()
		ra, _ := simulated.Close(a, nil)
		rb, _ := seated.Close(b, []Bid{{Auto: true}})
		if !reflect.DeepEqual(ra.Responses, rb.Responses) || ra.Price != rb.Price || ra.Winner != rb.Winner {
			t.Fatalf("round %d: auto seat %+v, simulated %+v", a.Number, rb.Responses, ra.Responses)
		}
		if got, want := rb.Responses[0].Bid, sim.Price(math.Round(float64(b.Values[0])*0.5)); got != want {
			t.Fatalf("auto bid %v, want %v", got, want)
		}
	}
}

// A robot bidding the equilibrium bids what the engine's equilibrium
// bidder would at this table: in first price with a floor, on U[0,1]
// values, β(v) = (n−1)/n·v + rⁿ/(n·vⁿ⁻¹) for v ≥ r, not its value.
func TestEquilibriumRobot(t *testing.T) {
	const n, r = 4, 0.3
	cfg := config(sim.FirstPrice, r, 0, n)
	for i := range cfg.Bidders {
		cfg.Bidders[i].Strategy = sim.Strategy{Kind: sim.Equilibrium}
	}
	table, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for range 200 {
		round := table.Deal()
		for i, resp := range round.Responses {
			v := round.Values[i].CPM()
			if resp.Status == sim.NoBid || v < r {
				continue
			}
			want := float64(n-1)/n*v + math.Pow(r, n)/(n*math.Pow(v, n-1))
			if got := resp.Bid.CPM(); math.Abs(got-want) > 1e-6 {
				t.Fatalf("round %d bidder %d: value %.6f bid %.6f, want the equilibrium %.6f", round.Number, i, v, got, want)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d bids checked", checked)
	}
}

// TestEquilibriumBenchmark: in first price each seat's outcome has what
// bidding the equilibrium β(v) = v·(n−1)/n (values U[0, 1], no floor)
// would have got on the same round, priced by the table's rule; the
// totals add it up. In second price it is bidding one's value.
func TestEquilibriumBenchmark(t *testing.T) {
	for _, auction := range []sim.AuctionType{sim.FirstPrice, sim.SecondPrice} {
		cfg := sim.Config{Seed: 4, Traffic: sim.Traffic{QPS: 1}, Exchange: sim.ExchangeConfig{Auction: auction, Tmax: 100 * sim.Millisecond}}
		for _, name := range []string{"a", "b", "c", "d"} {
			cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{Name: name, Value: sim.Dist{Kind: sim.DistUniform, A: 0, B: 1},
				Strategy: sim.Strategy{Kind: sim.Equilibrium}})
		}
		tab, err := New(cfg, []int{0})
		if err != nil {
			t.Fatal(err)
		}
		var sum sim.Price
		wins := 0
		for range 400 {
			r := tab.Deal()
			v := r.Value(tab, 0)
			res, err := tab.Close(r, []Bid{{Amount: v / 2}}) // shading by half
			if err != nil {
				t.Fatal(err)
			}
			o := res.Seats[0]
			if auction == sim.SecondPrice {
				if o.Equilibrium != o.Truthful {
					t.Fatalf("second price: equilibrium %+v, truthful %+v", o.Equilibrium, o.Truthful)
				}
				continue
			}
			// The robots bid the equilibrium: the seat's benchmark wins
			// exactly when its β(v) tops their bids, and pays it.
			eq := sim.PriceOf(v.CPM() * 3 / 4)
			top := sim.Price(0)
			for i, resp := range res.Responses {
				if i != 0 && resp.Status == sim.OnTime {
					top = max(top, resp.Bid)
				}
			}
			if won := eq > top; won != o.Equilibrium.Won || won && o.Equilibrium.Surplus != v-eq {
				t.Fatalf("value %v: β %v against %v: %+v", v, eq, top, o.Equilibrium)
			}
			if o.Equilibrium.Won {
				sum += o.Equilibrium.Surplus
				wins++
			}
		}
		tt := tab.Totals(0)
		if auction == sim.FirstPrice && (tt.Equilibrium.Surplus != sum || int(tt.Equilibrium.Wins) != wins || wins == 0) {
			t.Errorf("totals %+v, want %d wins and surplus %v", tt.Equilibrium, wins, sum)
		}
	}
}
