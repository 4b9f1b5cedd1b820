package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestMoveBudget(t *testing.T) {
	cfg := groupWorld()
	e := mustNew(t, cfg)
	e.RunUntil(5 * Second)
	before := e.Snapshot()
	a, b := before.Bidders[0], before.Bidders[1]
	if err := e.Apply(MoveBudget{From: "acme-a", To: "acme-b", Amount: MoneyOf(1.25)}); err != nil {
		t.Fatal(err)
	}
	s := e.Snapshot()
	if s.Bidders[0].Budget != a.Budget-MoneyOf(1.25) || s.Bidders[1].Budget != b.Budget+MoneyOf(1.25) {
		t.Errorf("budgets %v, %v after moving 1.25 from %v, %v", s.Bidders[0].Budget.Float(), s.Bidders[1].Budget.Float(), a.Budget.Float(), b.Budget.Float())
	}
	g0, _ := before.FindGroup("acme")
	if g, _ := s.FindGroup("acme"); g.Budget != g0.Budget {
		t.Errorf("group budget %d, was %d", g.Budget, g0.Budget)
	}
	free, _ := e.Uncommitted("acme-a")
	for _, bad := range []struct {
		move MoveBudget
		want string
	}{
		{MoveBudget{"acme-a", "acme-b", free + 1}, "acme-a has only"}, // raw: one nano-unit more
		{MoveBudget{"acme-a", "acme-c", MoneyUnit / 10}, "acme-c has no budget"},
		{MoveBudget{"acme-c", "acme-a", MoneyUnit / 10}, "acme-c has no budget to move from"},
		{MoveBudget{"acme-a", "acme-a", MoneyUnit / 10}, "the same bidder"},
		{MoveBudget{"acme-a", "nobody", MoneyUnit / 10}, `no bidder named "nobody"`},
		{MoveBudget{"acme-a", "acme-b", 0}, "must be a finite number > 0"},
		{MoveBudget{"acme-a", "acme-b", -MoneyUnit}, "amount -1 must be a finite number > 0"},
	} {
		if err := e.Apply(bad.move); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%v: error %v, want %q", bad.move, err, bad.want)
		}
	}
	// What a reader of amounts refuses before it makes a MoveBudget.
	for _, bad := range []struct {
		amount float64
		want   string
	}{
		{0, "amount 0 must be a finite number > 0"},
		{-1, "amount -1 must be a finite number > 0"},
		{math.NaN(), "amount NaN must be a finite number > 0"},
		{math.Inf(1), "amount +Inf must be a finite number > 0"},
		{1e-12, "amount 1e-12 is less than the smallest amount of currency, 0.000000001"},
	} {
		if m, err := MoveAmount(bad.amount); err == nil || err.Error() != bad.want {
			t.Errorf("MoveAmount(%g) = %d, %v; want %q", bad.amount, m, err, bad.want)
		}
	}
	if m, err := MoveAmount(1.25); m != MoneyOf(1.25) || err != nil {
		t.Errorf("MoveAmount(1.25) = %d, %v", m, err)
	}
	if n := len(e.ChangeLog()); n != 1 {
		t.Fatalf("change log has %d entries, want the one move", n)
	}
	if c, ok := e.ChangeLog()[0].Change.(MoveBudget); !ok || c.From != "acme-a" || c.To != "acme-b" || c.Amount.Float() != 1.25 {
		t.Errorf("logged %#v", e.ChangeLog()[0].Change)
	}
	e.RunUntil(20 * Second)
	want := e.Snapshot()

	replay := cfg
	replay.Replay = want.Changes
	r := mustNew(t, replay)
	r.RunUntil(20 * Second)
	if !bytes.Equal(jsonOf(t, r.Snapshot()), jsonOf(t, want)) {
		t.Error("replaying the move gave a different snapshot")
	}
}

func jsonOf(t testing.TB, s *Snapshot) []byte {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMoveBudgetConservesTotal: any sequence of moves within a group, some
// of them refused, between stretches of a run, keeps the group's total
// budget exactly, never lets a member spend past its budget, and replays.
func TestMoveBudgetConservesTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := world(4, Uniform(0, 2))
		cfg.Seed = rapid.Uint64().Draw(t, "seed")
		cfg.Horizon = 5 * Second
		members := []string{"m0", "m1", "m2"}
		for i, name := range members {
			b := &cfg.Bidders[i]
			b.Name, b.Group = name, "g"
			b.Budget = &Budget{
				Total:  MoneyOf(rapid.Float64Range(0, 3).Draw(t, "budget")),
				Pacing: rapid.SampledFrom([]PacingKind{PacingNone, PacingThrottle, PacingMultiplier}).Draw(t, "pacing"),
			}
		}
		e, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		total := e.Snapshot().Groups[0].Budget
		var end Time
		for range rapid.IntRange(1, 12).Draw(t, "moves") {
			end += Time(rapid.Int64Range(0, int64(500*Millisecond)).Draw(t, "run"))
			e.RunUntil(end)
			from := rapid.SampledFrom(members).Draw(t, "from")
			to := rapid.SampledFrom(members).Draw(t, "to")
			amount := rapid.Float64Range(0, 2).Draw(t, "amount")
			free, _ := e.Uncommitted(from)
			err := e.Apply(MoveBudget{From: from, To: to, Amount: MoneyOf(amount)})
			wantOK := from != to && MoneyOf(amount) > 0 && MoneyOf(amount) <= free
			if (err == nil) != wantOK {
				t.Fatalf("move %.9f %s → %s with %.9f uncommitted: error %v", amount, from, to, free.Float(), err)
			}
			s := e.Snapshot()
			if g := s.Groups[0]; g.Budget != total {
				t.Fatalf("group total %d after moves, was %d", g.Budget, total)
			}
			for _, b := range s.Bidders[:3] {
				if b.Spend > b.Budget {
					t.Fatalf("%s spent %d past its budget %d", b.Name, b.Spend, b.Budget)
				}
			}
		}
		end += Second
		e.RunUntil(end)
		want := e.Snapshot()
		replay := cfg
		replay.Replay = want.Changes
		r, _ := New(replay)
		r.RunUntil(end)
		if !bytes.Equal(marshal(t, r.Snapshot()), marshal(t, want)) {
			t.Fatal("replaying the moves gave a different run")
		}
	})
}

func TestMoveOptions(t *testing.T) {
	e := mustNew(t, groupWorld())
	s := e.Snapshot()
	amount, to, ok := s.MoveOptions("acme-a")
	if !ok || amount != 0.8 || strings.Join(to, ",") != "acme-b" {
		t.Errorf("acme-a: %g to %v (%v); want 0.8 (a tenth of acme's 8) to acme-b, the other budgeted member", amount, to, ok)
	}
	if _, _, ok := s.MoveOptions("acme-c"); ok {
		t.Error("an unlimited bidder offered a move")
	}
	if _, _, ok := s.MoveOptions("nobody"); ok {
		t.Error("an unknown bidder offered a move")
	}
	// Without a group: any other budgeted bidder, grouped or not.
	cfg := world(4, Uniform(0, 1))
	cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(50)}
	cfg.Bidders[2].Budget = &Budget{Total: MoneyOf(10)}
	cfg.Bidders[3].Budget = &Budget{Total: MoneyOf(10)}
	cfg.Bidders[3].Group = "g"
	amount, to, ok = mustNew(t, cfg).Snapshot().MoveOptions("b0")
	if !ok || amount != 5 || strings.Join(to, ",") != "b2,b3" {
		t.Errorf("b0: %g to %v (%v); want 5 to b2 or b3", amount, to, ok)
	}
}

// Moves from many bidders into one stop at the largest budget, MaxAmount,
// rather than let it pass what Money holds (each budget is within
// MaxCurrency, but a thousand of them are not).
func TestMoveBudgetStopsAtMaxAmount(t *testing.T) {
	cfg := world(6, Uniform(0, 1))
	for i := range cfg.Bidders {
		cfg.Bidders[i].Budget = &Budget{Total: MoneyOf(MaxCurrency)}
	}
	e := mustNew(t, cfg)
	moved := 0
	var err error
	for i := 1; i < len(cfg.Bidders) && err == nil; i++ {
		if err = e.Apply(MoveBudget{From: cfg.Bidders[i].Name, To: "b0", Amount: MoneyOf(MaxCurrency)}); err == nil {
			moved++
		}
	}
	if err == nil || !strings.Contains(err.Error(), "more than the largest budget") {
		t.Fatalf("after %d moves: error %v, want a refusal at the largest budget", moved, err)
	}
	if b := e.Snapshot().Bidders[0].Budget; b > MaxAmount || b <= 0 {
		t.Fatalf("b0's budget %d, outside (0, MaxAmount]", b)
	}
}

// TestMovesDaily: a move between a daily budget alone and another daily
// budget (alone or beside a total) moves the daily budgets, as split
// divides them; one between totals (a daily budget beside one or not)
// moves the totals; one between a daily budget alone and a total alone is
// refused, naming which is which whichever way it goes.
func TestMovesDaily(t *testing.T) {
	alone := Budget{Daily: MoneyOf(20)}
	total := Budget{Total: MoneyOf(100)}
	both := Budget{Total: MoneyOf(120), Daily: MoneyOf(25)}
	for _, c := range []struct {
		fb, tb Budget
		daily  bool
	}{{alone, alone, true}, {alone, both, true}, {both, alone, true},
		{total, total, false}, {both, total, false}, {total, both, false}, {both, both, false}} {
		if d, err := MovesDaily("a", c.fb, "b", c.tb); d != c.daily || err != nil {
			t.Errorf("%+v → %+v: daily %v, %v; want %v", c.fb, c.tb, d, err, c.daily)
		}
	}
	for _, c := range []struct{ fb, tb Budget }{{alone, total}, {total, alone}} {
		_, err := MovesDaily("a", c.fb, "b", c.tb)
		var mixed *MixedMoveError
		d, tot := "a", "b"
		if c.tb.DailyAlone() {
			d, tot = "b", "a"
		}
		if !errors.As(err, &mixed) || mixed.Daily != d || mixed.Total != tot ||
			!strings.HasPrefix(err.Error(), d+" has a daily budget alone (budget.daily, no total) and "+tot+" a total alone (no budget.daily)") {
			t.Errorf("%+v → %+v: %v; want refused, %s the daily budget alone", c.fb, c.tb, err, d)
		}
	}
}

// TestBudgetChangeBeforeStart: a budget moved or set before the run's
// first auction (the dashboard paused at 0 s, a script's step at 0) gives
// the run the scenario with that budget gives, to every win: pacing starts
// from the budget it will spend. It used to start from the file's budget
// (multiplier pacing's search for μ from the old even rate), so the
// dashboard's fork B, moved at 0 s, differed from compare --move's
// variant by a few dozen wins a bidder.
func TestBudgetChangeBeforeStart(t *testing.T) {
	base := groupWorld()
	base.Bidders[1].Budget = &Budget{Total: MoneyOf(3), Pacing: PacingThrottle}
	with := func(a, b float64) Config {
		cfg := base
		cfg.Bidders = append([]BidderConfig(nil), base.Bidders...)
		ba, bb := *cfg.Bidders[0].Budget, *cfg.Bidders[1].Budget
		ba.Total, bb.Total = MoneyOf(a), MoneyOf(b)
		cfg.Bidders[0].Budget, cfg.Bidders[1].Budget = &ba, &bb
		return cfg
	}
	for _, c := range []struct {
		name   string
		change []Change
		want   Config
	}{
		{"a move", []Change{MoveBudget{From: "acme-a", To: "acme-b", Amount: MoneyOf(2)}}, with(3, 5)},
		{"a set", []Change{SetBudget{Bidder: "acme-a", Total: MoneyOf(2)}, SetBudget{Bidder: "acme-b", Total: MoneyOf(6)}}, with(2, 6)},
	} {
		e := mustNew(t, base)
		for _, ch := range c.change {
			if err := e.Apply(ch); err != nil {
				t.Fatal(err)
			}
		}
		e.RunUntil(base.Horizon)
		f := mustNew(t, c.want)
		f.RunUntil(base.Horizon)
		got, want := e.Snapshot(), f.Snapshot()
		for i, b := range got.Bidders {
			w := want.Bidders[i]
			if b.Wins != w.Wins || b.Spend != w.Spend || b.Bids != w.Bids {
				t.Errorf("%s: %s: wins %d, spend %.4f, bids %d; the scenario with the budget: %d, %.4f, %d",
					c.name, b.Name, b.Wins, b.Spend.Float(), b.Bids, w.Wins, w.Spend.Float(), w.Bids)
			}
		}
	}
}
