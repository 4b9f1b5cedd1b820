package sim

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// dailyWorld is a budgeted bidder with a daily budget against a rival
// that outbids it half the time, over days virtual days at a low rate;
// alone the bidder would spend several times its daily budget.
func dailyWorld(seed uint64, days int, budget Budget, shape []float64) Config {
	return Config{
		Seed:     seed,
		Traffic:  Traffic{QPS: 0.5, Shape: shape},
		Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: 100 * Millisecond, Floor: PriceOf(0.1)},
		Horizon:  Time(days) * Day,
		Bidders: []BidderConfig{
			{Name: "b", Value: Uniform(1, 3), Budget: &budget},
			{Name: "rival", Value: Uniform(0.5, 2.5)},
		},
	}
}

// TestDailyBudgetNeverExceeded: in random worlds (auction type, rate,
// shape, pacing, delivery, daily budgets with and without a total, a
// latency that makes bids close after midnight), no day's spend passes
// its daily budget, the days add up to the spend, there is one day per
// virtual day begun, and the total caps the run.
func TestDailyBudgetNeverExceeded(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 1))
	bound := 0 // days where the budget bound (spent ≥ 90% of it)
	worlds := 40
	if testing.Short() {
		worlds = 5 // under -race; the long tier runs 40
	}
	for w := range worlds {
		days := 1 + r.IntN(4)
		var shape []float64
		if r.IntN(2) == 0 {
			for range 1 + r.IntN(6) {
				shape = append(shape, r.Float64()*2)
			}
			shape = append(shape, 1)
		}
		cfg := dailyWorld(uint64(w), days, Budget{}, shape)
		cfg.Traffic.QPS = 0.2 + r.Float64()
		if r.IntN(2) == 0 {
			cfg.Exchange.Auction = FirstPrice
		}
		for i := range 1 + r.IntN(3) {
			b := Budget{Daily: MoneyOf(0.5 + 10*r.Float64()), Pacing: PacingKind(r.IntN(3))}
			if r.IntN(3) == 0 {
				b.Total = MoneyOf(b.Daily.Float() * (0.5 + float64(days)*r.Float64()))
			}
			if b.Pacing != PacingNone {
				b.Delivery = Delivery(r.IntN(4))
			} else if r.IntN(2) == 0 {
				b.Delivery = DeliveryASAP
			}
			bc := BidderConfig{Name: "d" + string(rune('a'+i)), Value: Uniform(0.5, 1+3*r.Float64()), Budget: &b,
				Latency: Uniform(0, 90*float64(Millisecond))}
			if r.IntN(2) == 0 {
				bc.Strategy = Strategy{Kind: Shade, Factor: 0.5 + r.Float64()/2}
			}
			cfg.Bidders = append(cfg.Bidders, bc)
		}
		cfg.Bidders = cfg.Bidders[1:] // the rival and the daily bidders
		e, err := New(cfg)
		if err != nil {
			t.Fatalf("world %d: %v", w, err)
		}
		e.RunUntil(Time(days) * Day)
		s := e.Snapshot()
		for i, b := range s.Bidders[1:] {
			c := cfg.Bidders[i+1].Budget
			if len(b.Days) != days {
				t.Errorf("world %d %s: %d days in a run of %d", w, b.Name, len(b.Days), days)
			}
			var sum Money
			for _, d := range b.Days {
				sum += d.Spend
				if d.Budget != c.Daily || d.Spend > d.Budget {
					t.Errorf("world %d %s day %d: spent %v of %v (daily %v)", w, b.Name, d.Day, d.Spend, d.Budget, c.Daily)
				}
				if 10*d.Spend >= 9*d.Budget {
					bound++
				}
			}
			if sum != b.Spend {
				t.Errorf("world %d %s: the days add up to %v, the spend is %v", w, b.Name, sum, b.Spend)
			}
			if c.Total > 0 && b.Spend > c.Total {
				t.Errorf("world %d %s: spent %v of a total %v", w, b.Name, b.Spend, c.Total)
			}
			if c.Total == 0 && !b.Unlimited {
				t.Errorf("world %d %s: a daily budget alone reported as a total %v", w, b.Name, b.Budget)
			}
		}
	}
	if bound < worlds/2 {
		t.Errorf("only %d days where the daily budget bound: the test proves little", bound)
	}
}

// TestDeliveryPlans: by midday a bidder whose daily budget binds has
// spent about half of it with even delivery, about three quarters front
// loaded (1 − (1 − ½)²), nearly all of it asap; with a shape whose first
// half-day carries a quarter of the traffic, even delivery has spent
// about a quarter by midday. Each plan spends nearly the whole day's
// budget by the day's end.
func TestDeliveryPlans(t *testing.T) {
	cases := []struct {
		name     string
		budget   Budget
		shape    []float64
		lo, hi   float64
		allSpent bool
	}{
		{"even throttle", Budget{Daily: MoneyOf(8), Pacing: PacingThrottle, Delivery: DeliveryEven}, nil, 0.4, 0.6, true},
		{"even multiplier", Budget{Daily: MoneyOf(8), Pacing: PacingMultiplier}, nil, 0.4, 0.6, true},
		{"front loaded", Budget{Daily: MoneyOf(8), Pacing: PacingMultiplier, Delivery: DeliveryFrontLoaded}, nil, 0.65, 0.85, true},
		{"asap", Budget{Daily: MoneyOf(8)}, nil, 0.97, 1, true},
		{"even with a shape", Budget{Daily: MoneyOf(8), Pacing: PacingMultiplier}, []float64{1, 3}, 0.15, 0.35, true},
	}
	for _, c := range cases {
		for day := range 2 {
			e, err := New(dailyWorld(4, 2, c.budget, c.shape))
			if err != nil {
				t.Fatal(err)
			}
			e.RunUntil(Time(day)*Day + Day/2)
			mid := e.Snapshot().Bidders[0].Days[day].Spend.Float() / 8
			e.RunUntil(Time(day+1) * Day)
			end := e.Snapshot().Bidders[0].Days[day].Spend.Float() / 8
			t.Logf("%s day %d: %.3f by midday, %.3f by the end", c.name, day, mid, end)
			if mid < c.lo || mid > c.hi {
				t.Errorf("%s day %d: %.3f of the budget spent by midday, want %.2f–%.2f", c.name, day, mid, c.lo, c.hi)
			}
			if end < 0.9 || end > 1 {
				t.Errorf("%s day %d: %.3f of the budget spent by the end", c.name, day, end)
			}
		}
	}
}

// TestDailyClone: a clone taken mid-day carries its own days: run alike,
// clone and original count the same days, and the clone's run leaves the
// original's days as they were.
func TestDailyClone(t *testing.T) {
	e, err := New(dailyWorld(9, 3, Budget{Daily: MoneyOf(6), Pacing: PacingMultiplier}, []float64{0.5, 1.5}))
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(Day + 5*Hour)
	c := e.Clone()
	before := e.Snapshot().Bidders[0].Days
	c.RunUntil(3 * Day)
	if got := e.Snapshot().Bidders[0].Days; !reflect.DeepEqual(got, before) {
		t.Fatalf("the clone's run changed the original's days: %v, was %v", got, before)
	}
	e.RunUntil(3 * Day)
	a, b := e.Snapshot().Bidders[0].Days, c.Snapshot().Bidders[0].Days
	if len(a) != 3 || !reflect.DeepEqual(a, b) {
		t.Errorf("original %v, clone %v", a, b)
	}
}

// TestDailyChanges: removing the total of a bidder with a daily budget
// leaves the daily cap (reported without a total); moving budget from or
// to a bidder with a daily budget alone is refused (it has no total).
func TestDailyChanges(t *testing.T) {
	cfg := dailyWorld(3, 2, Budget{Daily: MoneyOf(3), Total: MoneyOf(4), Pacing: PacingThrottle}, nil)
	cfg.Bidders = append(cfg.Bidders, BidderConfig{Name: "c", Value: Uniform(1, 2), Budget: &Budget{Total: MoneyOf(10)}})
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(Hour)
	if err := e.Apply(SetBudget{Bidder: "b", Unlimited: true}); err != nil {
		t.Fatal(err)
	}
	if err := e.Apply(MoveBudget{From: "c", To: "b", Amount: MoneyOf(1)}); err == nil {
		t.Error("moved budget to a bidder with a daily budget alone")
	}
	e.RunUntil(2 * Day)
	b := e.Snapshot().Bidders[0]
	if !b.Unlimited || b.Budget != 0 || len(b.Days) != 2 {
		t.Fatalf("budget %v, unlimited %v, days %v", b.Budget, b.Unlimited, b.Days)
	}
	for _, d := range b.Days {
		if d.Spend > d.Budget || 10*d.Spend < 9*d.Budget {
			t.Errorf("day %d: spent %v of %v", d.Day, d.Spend, d.Budget)
		}
	}
	if b.Spend <= MoneyOf(4) {
		t.Errorf("spent %v: the removed total of 4 still caps it", b.Spend)
	}
}

// TestDailyNotUnspent: a total far above what its daily budget lets a
// bidder spend is not flagged as unspent once each day's budget is spent;
// the same total without the daily budget, left mostly unspent by a
// bidder that cannot win enough, is.
func TestDailyNotUnspent(t *testing.T) {
	e, err := New(dailyWorld(5, 2, Budget{Total: MoneyOf(100), Daily: MoneyOf(3), Pacing: PacingMultiplier}, nil))
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(2 * Day)
	b := e.Snapshot().Bidders[0]
	if b.Unspent != UnspentNone || b.Days[0].Spend < MoneyOf(2.9) {
		t.Errorf("flagged %v, days %v", b.Unspent, b.Days)
	}
	if e, err = New(dailyWorld(5, 2, Budget{Total: MoneyOf(100), Pacing: PacingMultiplier}, nil)); err != nil {
		t.Fatal(err)
	}
	if err := e.Apply(SetStrategy{Bidder: "b", Strategy: Strategy{Kind: Shade, Factor: 0.1}}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(2 * Day)
	if b := e.Snapshot().Bidders[0]; b.Unspent == UnspentNone {
		t.Errorf("a bidder shading to a tenth spent %v of 100 and is not flagged", b.Spend)
	}
}

// TestSetDaily: a live daily budget takes the day in progress, its spend
// so far counted against it (lowered below it, the day spends no more),
// and the days after; a clone made after it follows the same run; Diff
// makes the change from a configuration, and refuses adding or removing
// a daily budget; a bidder without one refuses the change.
func TestSetDaily(t *testing.T) {
	cfg := dailyWorld(5, 3, Budget{Daily: MoneyOf(6), Pacing: PacingMultiplier}, nil)
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(Day + 12*Hour)
	spent := e.Snapshot().Bidders[0].Days[1].Spend
	if spent <= MoneyOf(1) || spent >= MoneyOf(6) {
		t.Fatalf("spent %v by noon of day 1", spent)
	}
	low := spent - MoneyOf(0.5) // below what the day has spent
	if err := e.Apply(SetDaily{Bidder: "b", Daily: low}); err != nil {
		t.Fatal(err)
	}
	c := e.Clone()
	e.RunUntil(3 * Day)
	days := e.Snapshot().Bidders[0].Days
	if len(days) != 3 || days[0].Budget != MoneyOf(6) || days[1].Budget != low || days[1].Spend != spent || days[2].Budget != low {
		t.Errorf("days after a daily budget of %v at noon of day 1, %v spent: %v", low, spent, days)
	}
	if d := days[2]; d.Spend > d.Budget || 10*d.Spend < 9*d.Budget {
		t.Errorf("day 2: spent %v of %v", d.Spend, d.Budget)
	}
	c.RunUntil(3 * Day)
	if got := c.Snapshot().Bidders[0].Days; !reflect.DeepEqual(got, days) {
		t.Errorf("clone %v, original %v", got, days)
	}
	// Diff: a daily budget changes live, but is neither added nor removed.
	next := cfg
	next.Bidders = append([]BidderConfig(nil), cfg.Bidders...)
	nb := *cfg.Bidders[0].Budget
	nb.Daily = MoneyOf(30)
	next.Bidders[0].Budget = &nb
	if ch, err := Diff(cfg, next); err != nil || len(ch) != 1 || ch[0] != (SetDaily{Bidder: "b", Daily: MoneyOf(30)}) {
		t.Errorf("Diff %v %v", ch, err)
	}
	nb.Daily, nb.Total = 0, MoneyOf(30)
	// Refused saying why, as the dashboard's d says it, not only that it
	// cannot change (beside a list of live fields that has budget.daily).
	const why = "bidders.b.budget.daily: cannot change during a run: a daily budget is neither added nor removed live"
	if _, err := Diff(cfg, next); err == nil || err.Error() != why || !errors.Is(err, ErrNotLive) {
		t.Errorf("a daily budget removed live: %v", err)
	}
	if _, err := Diff(next, cfg); err == nil || err.Error() != why || !errors.Is(err, ErrNotLive) {
		t.Errorf("a daily budget added live: %v", err)
	}
	for _, bad := range []SetDaily{{Bidder: "rival", Daily: MoneyOf(3)}, {Bidder: "b", Daily: 0}, {Bidder: "b", Daily: MoneyOf(-1)}} {
		if err := e.Apply(bad); err == nil || !strings.Contains(err.Error(), "budget.daily") {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

// TestDeliveryNotLive: a delivery plan changed in a live edit is refused,
// naming the field, not dropped in silence; beside it, a daily budget
// still changes live.
func TestDeliveryNotLive(t *testing.T) {
	old := dailyWorld(3, 2, Budget{Daily: MoneyOf(3), Pacing: PacingMultiplier, Delivery: DeliveryEven}, nil)
	nw := dailyWorld(3, 2, Budget{Daily: MoneyOf(3), Pacing: PacingMultiplier, Delivery: DeliveryFrontLoaded}, nil)
	_, err := Diff(old, nw)
	var fe *FieldError
	if !errors.As(err, &fe) || !errors.Is(err, ErrNotLive) || !strings.HasSuffix(fe.Field, "budget.delivery") {
		t.Fatalf("Diff: %v, want budget.delivery refused as not live", err)
	}
	nw.Bidders[0].Budget.Delivery = DeliveryEven
	nw.Bidders[0].Budget.Daily = MoneyOf(4)
	if cs, err := Diff(old, nw); err != nil || len(cs) != 1 {
		t.Fatalf("Diff of the daily budget alone: %v, %v", cs, err)
	}
}

// TestTotalRemovedBesideDaily: a config whose daily budget has no total
// (Budget.Total 0) differs from one with a total by the total cap
// removed, SetBudget{Unlimited, KeepDaily}, not a cap of 0 (Diff gave
// that, and the bidder stopped spending); the engine applies it as the
// total gone with the daily budget kept, and refuses it for a bidder
// without a daily budget. The whole budget of a bidder with a daily
// budget is not removed live.
func TestTotalRemovedBesideDaily(t *testing.T) {
	old := dailyWorld(3, 2, Budget{Daily: MoneyOf(3), Total: MoneyOf(4)}, nil)
	next := dailyWorld(3, 2, Budget{Daily: MoneyOf(3)}, nil)
	cs, err := Diff(old, next)
	want := SetBudget{Bidder: "b", Unlimited: true, KeepDaily: true}
	if err != nil || len(cs) != 1 || cs[0] != Change(want) {
		t.Fatalf("Diff: %v %v, want %v", cs, err, want)
	}
	if cs, err := Diff(next, old); err != nil || len(cs) != 1 || cs[0] != Change(SetBudget{Bidder: "b", Total: MoneyOf(4)}) {
		t.Errorf("Diff back: %v %v", cs, err)
	}
	gone := old
	gone.Bidders = []BidderConfig{old.Bidders[0], old.Bidders[1]}
	gone.Bidders[0].Budget = nil
	if _, err := Diff(old, gone); !errors.Is(err, ErrNotLive) {
		t.Errorf("the whole budget removed: %v", err)
	}
	e := mustNew(t, old)
	e.RunUntil(Hour)
	if err := e.Apply(want); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(2 * Day)
	b := e.Snapshot().Bidders[0]
	if !b.Unlimited || b.Daily != MoneyOf(3) || b.Spend <= MoneyOf(4) {
		t.Errorf("after the total removed: unlimited %v, daily %v, spent %v", b.Unlimited, b.Daily.Float(), b.Spend.Float())
	}
	for _, d := range b.Days {
		if d.Spend > d.Budget || 10*d.Spend < 9*d.Budget {
			t.Errorf("day %d: spent %v of %v", d.Day, d.Spend, d.Budget)
		}
	}
	if err := e.Apply(SetBudget{Bidder: "rival", Unlimited: true, KeepDaily: true}); err == nil {
		t.Error("a total removed, keeping a daily budget, from a bidder without one")
	}
}

// TestRemaining: what a bidder can still spend today is its total's
// remainder, and with a daily budget at most the day in progress's (a
// whole day's budget once the last day ended), the smaller; nothing caps
// a bidder without a budget. Left, the flag's, stays the total's.
func TestRemaining(t *testing.T) {
	m := MoneyOf
	day1 := []DaySpend{{Day: 0, Spend: m(20), Budget: m(25)}, {Day: 1, Spend: m(22), Budget: m(25)}}
	for _, c := range []struct {
		name   string
		b      BidderStats
		now    Time
		want   Money
		capped bool
	}{
		{"total alone", BidderStats{Budget: m(100), Spend: m(42)}, Day, m(58), true},
		{"total spent past", BidderStats{Budget: m(10), Spend: m(11)}, Day, 0, true},
		{"daily alone", BidderStats{Unlimited: true, Daily: m(25), Days: day1, Spend: m(42)}, Day + Hour, m(3), true},
		{"daily binds beside a total", BidderStats{Budget: m(120), Daily: m(25), Days: day1, Spend: m(42)}, Day + Hour, m(3), true},
		{"total binds beside a daily", BidderStats{Budget: m(44), Daily: m(25), Days: day1, Spend: m(42)}, Day + Hour, m(2), true},
		{"the last day ended", BidderStats{Budget: m(120), Daily: m(25), Days: day1, Spend: m(42)}, 2 * Day, m(25), true},
		{"no budget", BidderStats{Unlimited: true, Spend: m(42)}, Day, 0, false},
	} {
		got, capped := c.b.Remaining(c.now)
		if got != c.want || capped != c.capped {
			t.Errorf("%s: %v %v, want %v %v", c.name, got.Float(), capped, c.want.Float(), c.capped)
		}
	}
	b := BidderStats{Budget: m(120), Daily: m(25), Days: day1, Spend: m(42)}
	if left, of := b.Left(Day + Hour); left != m(78) || of != m(120) {
		t.Errorf("Left: %v of %v", left.Float(), of.Float())
	}
}
