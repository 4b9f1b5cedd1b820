package split_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// dailyYAML is a group with two line items on daily budgets alone (no
// total cap) and two with totals, one of them beside a daily budget.
const dailyYAML = `name: daily-group
stop: {duration: 48h}
traffic: {qps: 1}
exchange: {tmax: 100ms}
bidders:
  - {name: d1, group: g, value: 1, budget: {daily: 30, pacing: multiplier}}
  - {name: d2, group: g, value: 1, budget: {daily: 20}}
  - {name: t1, group: h, value: 1, budget: {total: 100}}
  - {name: t2, group: h, value: 1, budget: {total: 50, daily: 40}}
  - {name: d3, group: h, value: 1, budget: {daily: 10}}
`

// TestDailyAloneIsNoTotal: a daily budget alone has no total cap (sim's
// Total 0), so a move may not treat it as a total of 0: a move to it
// would cap its spend at the amount moved. A move between a daily budget
// alone and a total alone is refused, saying why; one between a daily
// budget alone and another daily budget (alone, or beside a total, which
// stays) moves their daily budgets, the daily sum kept, and a bidder with
// a total beside its daily budget moves its total to a total as any. A split of
// daily budgets alone divides their daily sum (TestDailySplit*); one of a
// group mixing daily budgets alone with totals alone is refused, naming
// both.
func TestDailyAloneIsNoTotal(t *testing.T) {
	sc, err := scenarios.Parse("daily.yaml", []byte(dailyYAML))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"t1:d3=10", "d3:t1=1"} {
		m, err := split.ParseMove(text)
		if err != nil {
			t.Fatal(err)
		}
		got, err := split.MoveChanges(sc.Config, []split.Move{m})
		if err == nil || !strings.HasPrefix(err.Error(), text+": ") || !strings.Contains(err.Error(), "has a daily budget alone") ||
			!strings.Contains(err.Error(), "budget.total=") || !strings.Contains(err.Error(), "bidders.t1.budget.daily=AMOUNT") {
			t.Errorf("move %s: %v %v, want it refused as a daily budget alone", text, got, err)
		}
	}
	for text, want := range map[string][][2]string{
		"d1:d2=5":  {{"bidders.d1.budget.daily", "25"}, {"bidders.d2.budget.daily", "25"}},
		"d2:d1=20": {{"bidders.d2.budget", "{total: 0}"}, {"bidders.d1.budget.daily", "50"}},
		// A daily budget beside a total: its daily budget moves, its
		// total of 50 stays.
		"d1:t2=1":  {{"bidders.d1.budget.daily", "29"}, {"bidders.t2.budget.daily", "41"}},
		"t2:d1=40": {{"bidders.t2.budget", "{total: 0}"}, {"bidders.d1.budget.daily", "70"}},
	} {
		m, _ := split.ParseMove(text)
		if got, err := split.MoveChanges(sc.Config, []split.Move{m}); err != nil || !slices.Equal(got, want) {
			t.Errorf("move %s between daily budgets alone: %v %v, want %v", text, got, err, want)
		}
	}
	// One pair moves t2's daily budget, the next its total.
	m1, _ := split.ParseMove("d1:t2=1")
	m2, _ := split.ParseMove("t2:t1=10")
	want := [][2]string{{"bidders.d1.budget.daily", "29"}, {"bidders.t2.budget.daily", "41"}, {"bidders.t2.budget.total", "40"}, {"bidders.t1.budget.total", "110"}}
	if got, err := split.MoveChanges(sc.Config, []split.Move{m1, m2}); err != nil || !slices.Equal(got, want) {
		t.Errorf("a daily move then a total move of t2: %v %v, want %v", got, err, want)
	}
	m, _ := split.ParseMove("d2:d1=20.01")
	if _, err := split.MoveChanges(sc.Config, []split.Move{m}); err == nil || !strings.Contains(err.Error(), "d2 has 20 of daily budget, less than the move") {
		t.Errorf("move of more than a daily budget: %v", err)
	}
	m, _ = split.ParseMove("t1:t2=10")
	if got, err := split.MoveChanges(sc.Config, []split.Move{m}); err != nil ||
		!slices.Equal(got[1][:], []string{"bidders.t2.budget.total", "60"}) {
		t.Errorf("move to a total beside a daily budget: %v %v", got, err)
	}

	// All of a total beside a daily budget moved: a budget of 0, not no
	// total cap (which a total of 0 beside daily is).
	m, _ = split.ParseMove("t2:t1=50")
	if got, err := split.MoveChanges(sc.Config, []split.Move{m}); err != nil ||
		!slices.Equal(got[0][:], []string{"bidders.t2.budget", "{total: 0}"}) {
		t.Errorf("all of t2 moved: %v %v", got, err)
	} else {
		sets := []scenarios.Set{{Path: got[0][0], Value: got[0][1], Flag: "--move"}, {Path: got[1][0], Value: got[1][1], Flag: "--move"}}
		moved, _, err := scenarios.ParseWith("daily.yaml", []byte(dailyYAML), sets)
		if err != nil {
			t.Fatal(err)
		}
		if b := moved.Config.Bidders[3].Budget; b.Total != 0 || b.Daily != 0 {
			t.Errorf("t2 with all of its total moved: %+v, want a budget of 0", b)
		}
	}

	s, err := split.New(pointOf(sc), "g", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	if s.Budget != split.Daily || !slices.Equal(s.Members, []string{"d1", "d2"}) || !slices.Equal(s.Current(), []split.Cents{3000, 2000}) {
		t.Errorf("split of daily budgets alone: %s of %v at %v, want the daily budgets of d1 and d2", s.Budget, s.Members, s.Current())
	}
	_, err = split.New(pointOf(sc), "h", "incremental_value")
	if err == nil || !strings.HasPrefix(err.Error(), "group h mixes daily budgets alone (d3: ") ||
		!strings.Contains(err.Error(), "with totals alone (t1: ") || !strings.Contains(err.Error(), "budget.daily=AMOUNT") {
		t.Errorf("split of a group mixing daily budgets alone with totals alone: %v, want it refused naming both", err)
	}
}

// TestDailySplitWhich: the budget a split divides. Daily budgets alone:
// their daily sum; totals beside daily budgets: the totals by default
// (as before daily splits), the daily budgets with Daily, the totals
// kept; a daily budget alone and a total beside a daily budget: the
// daily budgets. Asking for a budget a member lacks is refused naming
// it and what to do.
func TestDailySplitWhich(t *testing.T) {
	sc, err := scenarios.Parse("which.yaml", []byte(`name: which
stop: {duration: 48h}
traffic: {qps: 1}
exchange: {tmax: 100ms}
bidders:
  - {name: a, group: both, value: 1, budget: {total: 50, daily: 30}}
  - {name: b, group: both, value: 1, budget: {total: 70, daily: 20}}
  - {name: c, group: some, value: 1, budget: {daily: 25}}
  - {name: d, group: some, value: 1, budget: {total: 40, daily: 15}}
  - {name: e, group: totals, value: 1, budget: {total: 10}}
  - {name: f, group: totals, value: 1, budget: {total: 30}}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		group, budget, want string
		start               []split.Cents
		sets                []string
	}{
		{"both", "", split.Total, []split.Cents{5000, 7000}, []string{"bidders.a.budget.total=50", "bidders.b.budget.total=70"}},
		{"both", split.Total, split.Total, []split.Cents{5000, 7000}, nil},
		{"both", split.Daily, split.Daily, []split.Cents{3000, 2000}, []string{"bidders.a.budget.daily=30", "bidders.b.budget.daily=20"}},
		{"some", "", split.Daily, []split.Cents{2500, 1500}, []string{"bidders.c.budget.daily=25", "bidders.d.budget.daily=15"}},
		{"totals", "", split.Total, []split.Cents{1000, 3000}, nil},
	} {
		s, err := split.NewFor(pointOf(sc), c.group, "incremental_value", c.budget)
		if err != nil {
			t.Errorf("%s %q: %v", c.group, c.budget, err)
			continue
		}
		if s.Budget != c.want || !slices.Equal(s.Current(), c.start) {
			t.Errorf("%s %q: divides %s from %v, want %s from %v", c.group, c.budget, s.Budget, s.Current(), c.want, c.start)
		}
		if c.sets != nil && !slices.Equal(s.Sets(s.Current()), c.sets) {
			t.Errorf("%s %q: sets %v, want %v", c.group, c.budget, s.Sets(s.Current()), c.sets)
		}
	}
	for _, c := range []struct{ group, budget, want string }{
		{"some", split.Total, "group some: --budget total, and c has a daily budget alone"},
		{"totals", split.Daily, "group totals: --budget daily, and e, f have no daily budget"},
		{"some", "weekly", `budget "weekly": want total or daily`},
	} {
		if _, err := split.NewFor(pointOf(sc), c.group, "incremental_value", c.budget); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s --budget %s: %v, want %q", c.group, c.budget, err, c.want)
		}
	}

	// A member given none of the daily sum gets a budget of 0, not a
	// daily budget of 0 (none: no cap, or only its total): the sets say
	// so, and they read back as the split.
	s, err := split.New(pointOf(sc), "some", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	sets := s.Sets([]split.Cents{4000, 0})
	if !slices.Equal(sets, []string{"bidders.c.budget.daily=40", "bidders.d.budget={total: 0}"}) {
		t.Fatalf("sets %v", sets)
	}
	var given []scenarios.Set
	for _, a := range sets {
		path, value, _ := strings.Cut(a, "=")
		given = append(given, scenarios.Set{Path: path, Value: value, Flag: "--set"})
	}
	back, _, err := scenarios.ParseWith("which.yaml", []byte(`name: which
stop: {duration: 48h}
traffic: {qps: 1}
exchange: {tmax: 100ms}
bidders:
  - {name: c, group: some, value: 1, budget: {daily: 25, pacing: multiplier}}
  - {name: d, group: some, value: 1, budget: {total: 40, daily: 15}}
`), given)
	if err != nil {
		t.Fatal(err)
	}
	if c, d := back.Config.Bidders[0].Budget, back.Config.Bidders[1].Budget; c.Daily != sim.MoneyOf(40) || c.Total != 0 || c.Pacing != sim.PacingMultiplier ||
		d.Daily != 0 || d.Total != 0 {
		t.Errorf("the sets read back as c %+v, d %+v", c, d)
	}
}

// dailyKnownYAML is the known case as a two-day flight of daily budgets
// alone (testdata/daily-known.yaml).
var dailyKnownYAML = func() []byte {
	data, err := os.ReadFile("testdata/daily-known.yaml")
	if err != nil {
		panic(err)
	}
	return data
}()

// unlimitedDailySpend is good's mean spend a day in dailyKnownYAML with
// no budget: where its response to its daily budget turns flat.
func unlimitedDailySpend(t *testing.T, sc *scenarios.Scenario) float64 {
	t.Helper()
	cfg := sc.Config
	cfg.Bidders = slices.Clone(cfg.Bidders)
	cfg.Bidders[0].Budget = nil
	e, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunStop(sc.Stop, ^uint64(0))
	b, _ := e.Snapshot().FindBidder("good")
	return b.Spend.Float() / (float64(sc.Stop.Duration) / float64(sim.Day))
}

// TestDailySplitKnownOptimum: split divides the daily sum of a flight of
// daily budgets alone (4 + 16 a day) as theory says: the group's
// incremental value is linear in good's daily spend up to what good
// spends a day unbudgeted, then flat, so the best split gives good about
// that (a step below it at least, two steps above at most, as in
// TestSplitKnownOptimum), never the whole sum. The verdict's interval is
// above 0, the daily sum is kept to the cent, each split's sets are its
// daily budgets, and the curves are drawn against the daily budget.
func TestDailySplitKnownOptimum(t *testing.T) {
	sc, err := scenarios.Parse("daily-known.yaml", dailyKnownYAML)
	if err != nil {
		t.Fatal(err)
	}
	s, err := split.New(pointOf(sc), "g", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	s.Reps, s.Workers = 6, 2
	res, err := s.Run(context.Background(), s.Current(), 200)
	if err != nil {
		t.Fatal(err)
	}
	kink := unlimitedDailySpend(t, sc)
	if !(kink > 6 && kink < 14) {
		t.Fatalf("good's unlimited spend a day is %.2f: the case no longer has its kink well between the start and the sum", kink)
	}
	good, idle := res.Recommended.Budgets["good"], res.Recommended.Budgets["idle"]
	t.Logf("kink %.2f a day; recommended good %.2f idle %.2f; diff %+v; %d runs, %d rounds", kink, good, idle, res.Diff, res.Runs, res.Rounds)
	if good < kink-2 || good > kink+4+1e-9 || good >= 20 {
		t.Errorf("recommended good %.2f a day, idle %.2f; the kink is at %.2f", good, idle, kink)
	}
	if res.Budget != split.Daily || res.Total != 20 || split.ToCents(good)+split.ToCents(idle) != 2000 {
		t.Errorf("budget %s, daily sum %v: %.2f + %.2f", res.Budget, res.Total, good, idle)
	}
	if !(res.Diff.Lo > 0) {
		t.Errorf("diff %+v: the recommendation should be better", res.Diff)
	}
	want := s.Sets([]split.Cents{split.ToCents(good), split.ToCents(idle)})
	if !slices.Equal(res.Recommended.Set, want) || !strings.HasPrefix(want[0], "bidders.good.budget.daily=") ||
		!slices.Equal(res.Current.Set, []string{"bidders.good.budget.daily=4", "bidders.idle.budget.daily=16"}) {
		t.Errorf("sets: current %v, recommended %v", res.Current.Set, res.Recommended.Set)
	}
	if len(res.Curves) != 2 || res.Curves[0].Points[0].Budget != 0 || res.Curves[0].Points[len(res.Curves[0].Points)-1].Budget != 20 {
		t.Errorf("curves %+v", res.Curves)
	}
}
