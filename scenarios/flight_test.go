package scenarios

import (
	"math"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestFlightWeek checks flight-week's description in a run: no day's
// spend passes its daily budget; acme-even has spent about the traffic's
// share of its day by noon and globex-front about 1 − (1 − share)² of
// it, while acme-asap's day budget is gone by mid-afternoon; each spends
// nearly its whole daily budget; globex-capped ends the week at its
// total; acme-even earns more than twice acme-asap's incremental profit;
// conversions still on their way at the stop are pending, and once they
// have all matured, the share outside the 1-day window is e^(−24/12);
// initech-cpa's target binds: it under-spends its days' budgets, and its
// week's realised CPA is within 10% of the target; globex-capped's
// frequency cap holds every person to 3 of its ads in any 24h and
// binds, while the uncapped line items show the heaviest people their
// ads far more often; globex-capped's holdout by person holds out a
// fifth of the people, and its interval covers the true incremental ROAS.
func TestFlightWeek(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): flight-week run whole, ~19 s under -race")
	}
	s, err := Bundled("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	d := strings.Join(strings.Fields(s.Description), " ")
	for _, claim := range []string{"No day's spend passes its daily budget", "bids unpaced until its 20 are gone, by mid-afternoon",
		"holds it to its 120 for the week", "no person more than 3 of its ads in any 24h", "the cap binds", "more than twice acme-asap's incremental profit", "about one in seven arrives too late to be attributed",
		"the target, not the budget, binds", "ends within 10% of 0.18", "a fifth of the people are held out", "never see its ads",
		"covers the model's true incremental ROAS"} {
		if !strings.Contains(d, claim) {
			t.Errorf("the description no longer says %q: %s", claim, d)
		}
	}
	if s.Stop.Duration != 7*sim.Day {
		t.Fatalf("stop %+v", s.Stop)
	}
	// The traffic's share of the day by noon, from the hourly shape.
	var morning, day float64
	for h, m := range s.Config.Traffic.Shape {
		day += m
		if h < 12 {
			morning += m
		}
	}
	g := morning / day
	e, err := sim.New(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	share := func(name string, dd int) float64 {
		b, _ := e.Snapshot().FindBidder(name)
		return b.Days[dd].Spend.Float() / b.Days[dd].Budget.Float()
	}
	for dd := range 7 {
		start := sim.Time(dd) * sim.Day
		e.RunUntil(start + 12*sim.Hour)
		even, front := share("acme-even", dd), share("globex-front", dd)
		e.RunUntil(start + 15*sim.Hour)
		asap := share("acme-asap", dd)
		t.Logf("day %d by noon: even %.3f (traffic %.3f), front %.3f (plan %.3f); asap by 3pm %.3f", dd, even, g, front, 1-(1-g)*(1-g), asap)
		if math.Abs(even-g) > 0.08 || math.Abs(front-(1-(1-g)*(1-g))) > 0.08 || asap < 0.99 {
			t.Errorf("day %d: even %.3f by noon (traffic %.3f), front loaded %.3f, asap %.3f by 3pm", dd, even, g, front, asap)
		}
	}
	e.RunUntil(s.Stop.Duration)
	snap := e.Snapshot()
	var all, unattributed, pending uint64
	for _, b := range snap.Bidders {
		for _, day := range b.Days {
			if day.Spend > day.Budget {
				t.Errorf("%s day %d: spent %v of %v", b.Name, day.Day, day.Spend.Float(), day.Budget.Float())
			}
			if b.Name != "globex-capped" && b.Goal == nil && day.Spend.Float() < 0.98*day.Budget.Float() {
				t.Errorf("%s day %d: spent only %v of %v", b.Name, day.Day, day.Spend.Float(), day.Budget.Float())
			}
		}
		if b.Days != nil && len(b.Days) != 7 {
			t.Errorf("%s: %d days in a week", b.Name, len(b.Days))
		}
		pending += b.Pending
	}
	capped, _ := snap.FindBidder("globex-capped")
	if total := s.Config.Bidders[3].Budget.Total.Float(); capped.Spend.Float() < 0.97*total || capped.Spend.Float() > total {
		t.Errorf("globex-capped spent %v of its total %v", capped.Spend.Float(), total)
	}
	fc := s.Config.Bidders[3].FrequencyCap
	if fc == nil || fc.Impressions != 3 || fc.Per != sim.Day || s.Config.Traffic.Users == nil || s.Config.Traffic.Users.Count != 50000 {
		t.Fatalf("globex-capped's cap %+v, people %+v", fc, s.Config.Traffic.Users)
	}
	for _, b := range snap.Bidders {
		f := b.Frequency
		if f == nil {
			t.Fatalf("%s: no frequency distribution", b.Name)
		}
		t.Logf("%s: %d people reached, %.2f each, at most %d in a window, capped %d", b.Name, f.PeopleReached, f.MeanPerPerson, f.MaxInWindow, f.Capped)
		switch {
		case b.Name == "globex-capped" && (f.MaxInWindow > uint64(fc.Impressions) || f.Capped == 0 || f.PeopleReached == 0):
			t.Errorf("globex-capped: %d in a window (cap %d), capped %d, %d people", f.MaxInWindow, fc.Impressions, f.Capped, f.PeopleReached)
		case b.Name != "globex-capped" && (f.Capped != 0 || f.MaxInWindow <= 8*uint64(fc.Impressions)):
			t.Errorf("%s, uncapped: %d in a window, capped %d", b.Name, f.MaxInWindow, f.Capped)
		}
	}
	// globex-capped's holdout by person: about a fifth of the people it
	// reached are held out, and the interval covers the truth.
	if h := capped.Holdout; h == nil || h.Unit != sim.HoldoutByPerson || h.Share != 0.2 {
		t.Errorf("globex-capped's holdout %+v, want a fifth by person", h)
	} else {
		exposed := float64(h.TreatedPeople + h.ControlPeople)
		m, truth := h.MeasuredIncrementalROAS(), h.TrueIncrementalROAS()
		t.Logf("globex-capped's holdout: %d treated, %d control people; measured %.2f [%.2f, %.2f], true %.2f", h.TreatedPeople, h.ControlPeople, m.Mean, m.Lo, m.Hi, truth)
		if se := math.Sqrt(0.2 * 0.8 / exposed); math.Abs(float64(h.ControlPeople)/exposed-0.2) > 4*se {
			t.Errorf("globex-capped: %d of %.0f people exposed are held out, want a fifth", h.ControlPeople, exposed)
		}
		if h.TreatedPeople != capped.Frequency.PeopleReached || !m.Covers(truth) {
			t.Errorf("globex-capped: %d treated people, %d reached; measured %+v, true %.3f", h.TreatedPeople, capped.Frequency.PeopleReached, m, truth)
		}
	}
	goal, _ := snap.FindBidder("initech-cpa")
	budgets := 0.0
	for _, day := range goal.Days {
		budgets += day.Budget.Float()
	}
	if g := goal.Goal; g == nil || g.Target != 0.18 || math.Abs(g.Realised/g.Target-1) > 0.1 || goal.Spend.Float() > 0.9*budgets || g.BudgetBound {
		t.Errorf("initech-cpa: goal %+v, spent %.2f of its days' %.2f", g, goal.Spend.Float(), budgets)
	}
	even, _ := snap.FindBidder("acme-even")
	asap, _ := snap.FindBidder("acme-asap")
	if !(even.IncrementalProfit() > 2*asap.IncrementalProfit()) || !(asap.IncrementalProfit() > 0) {
		t.Errorf("incremental profit: acme-even %.2f, acme-asap %.2f", even.IncrementalProfit(), asap.IncrementalProfit())
	}
	if pending == 0 {
		t.Error("nothing pending at the stop")
	}
	// Let every pending conversion mature: no more bids, two weeks on.
	for _, b := range s.Config.Bidders {
		if err := e.Apply(sim.SetEnabled{Bidder: b.Name, Enabled: false}); err != nil {
			t.Fatal(err)
		}
	}
	e.RunUntil(s.Stop.Duration + 14*sim.Day)
	for _, b := range e.Snapshot().Bidders {
		if b.Pending != 0 {
			t.Fatalf("%s: %d still pending", b.Name, b.Pending)
		}
		all += b.Conversions + b.Organic
		unattributed += b.Unattributed
	}
	p, got := math.Exp(-2), float64(unattributed)/float64(all)
	se := math.Sqrt(p * (1 - p) / float64(all))
	t.Logf("%d of %d conversions unattributed: %.4f, theory %.4f ± %.4f", unattributed, all, got, p, 3*se)
	if math.Abs(got-p) > 3*se {
		t.Errorf("%d of %d conversions outside the window: %.4f, theory e^−2 = %.4f ± %.4f", unattributed, all, got, p, 3*se)
	}
}

// TestFlightWeekAllocatesNothing: flight-week's world (people, a cap,
// daily budgets, goal bidding, pending conversions) allocates nothing
// per auction in its steady state within a day.
func TestFlightWeekAllocatesNothing(t *testing.T) {
	_, e := bundledEngine(t, "flight-week")
	e.RunUntil(sim.Day + 8*sim.Hour)
	if allocs := testing.AllocsPerRun(3, func() { e.RunAuctions(4000) }); allocs > 0 {
		t.Errorf("%g allocations per 4,000 auctions", allocs)
	}
	if now := e.Snapshot().Now; now >= 2*sim.Day {
		t.Fatalf("ran into the next day: %v", now)
	}
}

// TestGoalBudgetBound checks sim's Goal.BudgetBound on flight-week's
// initech-cpa with a daily budget too small for its target: an hour in,
// with no day done and the day's budget not spent, nothing binds yet; at
// the stop every day spent its budget, its CPA is below the target, and
// the budget, not the target, binds.
func TestGoalBudgetBound(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): a flight run whole, ~11 s under -race")
	}
	s, _, err := ResolveWith("flight-week", []Set{{Flag: "--set", Path: "bidders.initech-cpa.budget.daily", Value: "2"}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(sim.Hour)
	if b, _ := e.Snapshot().FindBidder("initech-cpa"); b.Goal == nil || b.Goal.BudgetBound {
		t.Errorf("an hour in: goal %+v, days %+v: want not bound yet", b.Goal, b.Days)
	}
	e.RunUntil(s.Stop.Duration)
	b, _ := e.Snapshot().FindBidder("initech-cpa")
	if g := b.Goal; g == nil || !(g.Realised < g.Target) || !g.BudgetBound || b.Unspent != sim.UnspentNone {
		t.Errorf("at the stop: goal %+v, unspent %v, days %+v: want the budget bound", g, b.Unspent, b.Days)
	}
}

// TestUnspentLineDailyBudget: the run table's unspent line for a bidder
// with a daily budget alone (flight-week's initech-cpa, held down by its
// target) says what it left of its completed days' budgets, as sim's flag
// judges it, never a negative amount left of 0.
func TestUnspentLineDailyBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): a flight run whole, ~11 s under -race")
	}
	s, e := bundledEngine(t, "flight-week")
	e.RunUntil(s.Stop.Duration)
	snap := e.Snapshot()
	b, _ := snap.FindBidder("initech-cpa")
	left, of := b.Left(snap.Now)
	var budgets, spend sim.Money
	for _, d := range b.Days {
		budgets, spend = budgets+d.Budget, spend+d.Spend
	}
	if b.Unspent == sim.UnspentNone || of != budgets || left != budgets-spend || !(left > 0) {
		t.Errorf("initech-cpa: unspent %v, left %v of %v; want flagged, %v of its days' %v", b.Unspent, left.Float(), of.Float(), (budgets - spend).Float(), budgets.Float())
	}
	// The day in progress is not judged.
	e.RunUntil(s.Stop.Duration + 12*sim.Hour)
	snap = e.Snapshot()
	b, _ = snap.FindBidder("initech-cpa")
	if _, of := b.Left(snap.Now); of != budgets {
		t.Errorf("half a day on: judged %v, want the completed days' %v", of.Float(), budgets.Float())
	}
}

// bundledEngine is the bundled scenario name and a new engine of its
// world.
func bundledEngine(t *testing.T, name string) (*Scenario, *sim.Engine) {
	t.Helper()
	s, err := Bundled(name)
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	return s, e
}
