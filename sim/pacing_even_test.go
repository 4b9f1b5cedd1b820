package sim

import (
	"flag"
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// spendTenths is bidder i's spend in each tenth of horizon, from the time
// series, whose points must not straddle a tenth.
func spendTenths(t fataler, s *Snapshot, i int, horizon Time) [10]float64 {
	t.Helper()
	if (horizon/10)%s.Series.Width != 0 {
		t.Fatalf("series width %v does not divide a tenth of %v", s.Series.Width, horizon)
	}
	var out [10]float64
	for _, p := range s.Series.Points {
		out[min(int(p.Start*10/horizon), 9)] += p.Bidders[i].Spend.Float()
	}
	return out
}

// fataler is what testing.T and rapid.T share.
type fataler interface {
	Helper()
	Fatalf(string, ...any)
}

// checkEven fails unless no tenth spends more than 1.2× its even share of
// budget and the whole spends at least 95% of it.
func checkEven(t fataler, tenths [10]float64, budget float64) {
	const bound = 1.2
	t.Helper()
	total := 0.0
	for i, x := range tenths {
		total += x
		if x > bound*budget/10 {
			t.Fatalf("tenth %d spent %.4g, %.2f× its even share %.4g; tenths %.4g", i+1, x, x/(budget/10), budget/10, tenths)
		}
	}
	if total < 0.95*budget {
		t.Fatalf("spent %.4g of %.4g; tenths %.4g", total, budget, tenths)
	}
}

// Random worlds: a paced bidder whose budget buys a share of what it would
// win unpaced spends evenly from the start, by either controller. The
// worlds have at least 10,000 auctions a tenth, so that a tenth's spend is
// measured to a few percent, and a floor at most the lowest value. Values
// in a narrow range with the floor at their bottom make spend fall off a
// cliff as μ rises: the worlds where multiplier pacing's step must adapt.
func TestPacingEvenFromTheStart(t *testing.T) {
	fewerChecks(t, 30) // each world runs for a second or so
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 4).Draw(t, "bidders")
		lo := rapid.Float64Range(0, 2).Draw(t, "value min")
		hi := lo + rapid.Float64Range(max(0.5, lo), 5).Draw(t, "value spread")
		horizon := Time(rapid.IntRange(10, 20).Draw(t, "horizon/10s")) * 10 * Second
		cfg := world(n, Uniform(lo, hi))
		cfg.Seed = rapid.Uint64().Draw(t, "seed")
		cfg.Traffic.QPS = rapid.Float64Range(1000, 3000).Draw(t, "qps")
		cfg.Exchange.Floor = PriceOf(rapid.Float64Range(0, lo).Draw(t, "floor"))
		cfg.Horizon = horizon
		cfg.Interval = horizon / 200
		share := rapid.Float64Range(0.1, 0.6).Draw(t, "budget share")
		pacing := rapid.SampledFrom([]PacingKind{PacingThrottle, PacingMultiplier}).Draw(t, "pacing")

		// What bidder 0 would spend unpaced, from a tenth of the run.
		free, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		free.RunUntil(horizon / 10)
		budget := 10 * free.Snapshot().Bidders[0].Spend.Float() * share
		if budget <= 0 {
			t.Skip("no spend to pace")
		}
		cfg.Bidders = append([]BidderConfig(nil), cfg.Bidders...)
		cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(budget), Pacing: pacing}
		e, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.RunUntil(horizon)
		checkEven(t, spendTenths(t, e.Snapshot(), 0, horizon), budget)
	})
}

// pacingShowdown is the bundled pacing-showdown scenario's world (its YAML
// is the source of truth; TestPacingShowdownScenario in package sim_test
// runs the file itself).
func pacingShowdown() Config {
	cfg := Config{
		Name:     "pacing-showdown",
		Seed:     5,
		Traffic:  Traffic{QPS: 1000},
		Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: 120 * Millisecond, Floor: PriceOf(0.10), Increment: PriceOf(0.01)},
		Horizon:  10 * Minute,
	}
	for i, p := range []PacingKind{PacingNone, PacingThrottle, PacingMultiplier} {
		cfg.Bidders = append(cfg.Bidders, BidderConfig{
			Name:    fmt.Sprint([]string{"none", "throttle", "multiplier"}[i]),
			Latency: LogNormalMedianP99(float64(30*Millisecond), float64(80*Millisecond)),
			Value:   Uniform(1, 5),
			Budget:  &Budget{Total: MoneyOf(100), Pacing: p},
			Outcome: &Outcome{CTR: 0.04, CVR: 0.1, OrderValue: MoneyOf(1), Delay: Exponential(float64(30 * Second))},
		})
	}
	for i, med := range []Time{40 * Millisecond, 50 * Millisecond} {
		cfg.Bidders = append(cfg.Bidders, BidderConfig{
			Name:    []string{"rival-a", "rival-b"}[i],
			Latency: LogNormalMedianP99(float64(med), float64(med+60*Millisecond)),
			Value:   Uniform(0.5, 4),
		})
	}
	return cfg
}

// Across seeds, pacing-showdown's paced bidders spend every tenth within
// 1.2× its share and at least 95% of their budget.
func TestPacingShowdownEven(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): five whole pacing-showdown runs, ~18 s under -race")
	}
	for seed := range uint64(5) {
		cfg := pacingShowdown()
		cfg.Seed += seed
		s := snapshotAt(t, cfg, cfg.Horizon)
		for _, i := range []int{1, 2} {
			t.Run(fmt.Sprintf("seed%d/%s", cfg.Seed, cfg.Bidders[i].Name), func(t *testing.T) {
				tenths := spendTenths(t, s, i, cfg.Horizon)
				t.Logf("tenths %.2f", tenths)
				checkEven(t, tenths, 100)
			})
		}
	}
}

// fewerChecks lowers rapid's number of checks to n for one test, unless
// -rapid.checks was given.
func fewerChecks(t *testing.T, n int) {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "rapid.checks" })
	f := flag.Lookup("rapid.checks")
	if given || f == nil {
		return
	}
	old := f.Value.String()
	if err := f.Value.Set(fmt.Sprint(n)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Value.Set(old) })
}

// A live switch from no pacing to either controller mid-run starts it as
// the run's start does: every later tenth within 1.2× the even share of
// what was left, and at least 95% of it spent.
func TestPacingEvenAfterLiveSwitch(t *testing.T) {
	for _, pacing := range []PacingKind{PacingThrottle, PacingMultiplier} {
		t.Run(pacing.String(), func(t *testing.T) {
			horizon := 100 * Second
			cfg := world(3, Uniform(0.5, 3))
			cfg.Traffic.QPS = 2000
			cfg.Horizon, cfg.Interval = horizon, horizon/200
			free := mustNew(t, cfg)
			free.RunUntil(horizon / 10)
			tenth := free.Snapshot().Bidders[0].Spend.Float() // unpaced, a tenth
			// Unpaced for three tenths, then a budget worth 10% of the
			// unpaced wins for the other seven.
			budget := 3*tenth + 7*0.1*tenth
			cfg.Bidders = append([]BidderConfig(nil), cfg.Bidders...)
			cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(budget), Pacing: PacingNone}
			e := mustNew(t, cfg)
			e.RunUntil(3 * horizon / 10)
			if err := e.Apply(SetPacing{Bidder: "b0", Pacing: pacing}); err != nil {
				t.Fatal(err)
			}
			e.RunUntil(horizon)
			tenths := spendTenths(t, e.Snapshot(), 0, horizon)
			left := budget - tenths[0] - tenths[1] - tenths[2]
			if left < 0.1*budget {
				t.Fatalf("only %.4g of %.4g left at the switch: the world no longer tests pacing", left, budget)
			}
			total := 0.0
			for i, x := range tenths[3:] {
				total += x
				if x > 1.2*left/7 {
					t.Fatalf("tenth %d spent %.4g, %.2f× the even share %.4g of what was left; tenths %.4g", i+4, x, x/(left/7), left/7, tenths)
				}
			}
			if total < 0.95*left {
				t.Fatalf("spent %.4g of the %.4g left; tenths %.4g", total, left, tenths)
			}
		})
	}
}

// Multiplier pacing never bids unpaced while it learns: in
// pacing-showdown its μ is a probe well above 0 from the first instant,
// the snapshot says it is searching, and the search has ended, μ at its
// level, within the first tenth.
func TestMultiplierSearch(t *testing.T) {
	cfg := pacingShowdown()
	e := mustNew(t, cfg)
	e.RunUntil(Millisecond)
	b := e.Snapshot().Bidders[2]
	if b.Pacing != PacingMultiplier || !b.Searching || !(b.Mu > 1) {
		t.Fatalf("at 1ms: %v, searching %v, μ %v: want a search probing above μ = 1", b.Pacing, b.Searching, b.Mu)
	}
	e.RunUntil(cfg.Horizon / 10)
	b = e.Snapshot().Bidders[2]
	if b.Searching || !(b.Mu > 0 && b.Mu < 5) {
		t.Fatalf("after a tenth: searching %v, μ %v", b.Searching, b.Mu)
	}
}
