package report

import (
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestHorizonScaleAndScaledPoint checks that a run of 2 of budget-split's
// 10 minutes keeps a fifth of its horizon, says so, and gets a fifth of
// every budget, a changed one too; and that the point parses back to the
// world it was resolved to.
func TestHorizonScaleAndScaledPoint(t *testing.T) {
	short := []scenarios.Set{{Path: "stop", Value: "{duration: 2m}"}}
	s, err := HorizonScale(textOf(t, "budget-split"), nil, short)
	if err != nil || s.Factor != 0.2 {
		t.Fatalf("factor %v, %v; want 0.2", s.Factor, err)
	}
	if want := "the run keeps 0.2 of budget-split's horizon (2m0s of 10m0s): every budget is scaled by 0.2"; !strings.HasPrefix(s.Note(), want) {
		t.Errorf("note %q", s.Note())
	}
	// Longer than the horizon: a multiple of it, not "keeps 2 of".
	long, err := HorizonScale(textOf(t, "budget-split"), nil, []scenarios.Set{{Path: "stop", Value: "{duration: 20m}"}})
	if want := "the run lasts 2× budget-split's horizon (20m0s for its 10m0s): every budget is scaled by 2"; err != nil || !strings.HasPrefix(long.Note(), want) {
		t.Errorf("note %q (%v), want %q", long.Note(), err, want)
	}
	sets := append(short, scenarios.Set{Path: "bidders.acme-retarget.budget.total", Value: "300"})
	p, sc, all, err := ResolveScaled(textOf(t, "budget-split"), sets, s.Factor)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"acme-retarget": 60, "acme-prospect": 40, "acme-lookalike": 40}
	for _, b := range sc.Config.Bidders {
		if w, ok := want[b.Name]; ok && (b.Budget == nil || b.Budget.Total != sim.MoneyOf(w)) {
			t.Errorf("%s: budget %+v, want %v", b.Name, b.Budget, want[b.Name])
		}
	}
	if len(all) != len(sets)+len(want) || all[len(all)-1].Flag != "--duration/--auctions" {
		t.Errorf("overrides %v", all)
	}
	pts, err := Points(&experiment.Spec{Points: []experiment.PointSpec{p}})
	if err != nil || len(pts) != 1 || pts[0].Config.Bidders[0].Budget.Total != sim.MoneyOf(60) || pts[0].Stop != sc.Stop {
		t.Errorf("the point does not parse back: %v %+v", err, pts)
	}
	if _, _, _, err := ResolveScaled(badText(t), nil, 1); err == nil {
		t.Error("an unknown scenario resolved")
	}
	if _, err := Points(&experiment.Spec{Points: []experiment.PointSpec{{Name: "x", YAML: "exchange: ["}}}); err == nil || !strings.Contains(err.Error(), "point 0 (x)") {
		t.Errorf("a bad point: %v", err)
	}
}

// TestMoveSets checks that a move keeps the two budgets' sum and is
// refused when FROM has less than the amount.
func TestMoveSets(t *testing.T) {
	sc, err := scenarios.Resolve("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	sets, err := moveSets(sc, []string{"acme-retarget:acme-prospect=50"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range sets {
		got[s.Path] = s.Value
		if s.Flag != "--move" {
			t.Errorf("%v: flag %q", s, s.Flag)
		}
	}
	if got["bidders.acme-retarget.budget.total"] != "150" || got["bidders.acme-prospect.budget.total"] != "250" {
		t.Errorf("moved %v", got)
	}
	if _, err := moveSets(sc, []string{"acme-retarget:acme-prospect=500"}); err == nil || !strings.HasPrefix(err.Error(), "--move ") {
		t.Errorf("a move of more than FROM has: %v", err)
	}
	if _, err := moveSets(sc, []string{"nonsense"}); err == nil {
		t.Error("a malformed move was accepted")
	}
}

// TestShorten checks a single run cut to 2 of budget-split's 10 minutes:
// a fifth of each budget, the scaled budgets kept as overrides; whole
// budgets without scale; nothing scaled in a world without a budget.
func TestShorten(t *testing.T) {
	pick := scenarios.Pick{Name: "budget-split"}
	sc, err := pick.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	stop := scenarios.Stop{Duration: 2 * 60 * 1e9}
	short, s, err := Shorten(pick, sc, stop, true)
	if err != nil || s.Factor != 0.2 || short.Stop != stop || short.Config.Bidders[0].Budget.Total != sim.MoneyOf(40) ||
		!strings.Contains(string(short.YAML), "40") {
		t.Fatalf("scaled: %v, factor %v, budget %+v", err, s.Factor, short.Config.Bidders[0].Budget)
	}
	short, s, err = Shorten(pick, sc, stop, false)
	if err != nil || s.Factor != 1 || short.Config.Bidders[0].Budget.Total != sim.MoneyOf(200) {
		t.Errorf("--no-scale: %v, factor %v", err, s.Factor)
	}
	plain := scenarios.Pick{Name: "classroom-vickrey"}
	psc, err := plain.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if _, s, err := Shorten(plain, psc, scenarios.Stop{Auctions: 100}, true); err != nil || s.Factor != 1 {
		t.Errorf("no budget: factor %v, %v", s.Factor, err)
	}
}

// TestScaleNoteDaily: a shortened flight says its daily budgets stay
// whole, as ScaledBudgets leaves them, rather than that every budget is
// scaled.
func TestScaleNoteDaily(t *testing.T) {
	s, err := HorizonScale(textOf(t, "flight-week"), nil, []scenarios.Set{{Path: "stop", Value: "{duration: 24h}"}})
	if err != nil || !s.Said() {
		t.Fatalf("scale %+v, %v", s, err)
	}
	if n := s.Note(); strings.Contains(n, "every budget is") || !strings.Contains(n, "daily budgets stay whole") {
		t.Errorf("note %q", n)
	}
}

// TestScaleNotePeople: a shortened run of a world of people says that
// its people are not scaled with the budgets, naming the cap that binds
// otherwise (flight-week's first is acme-even's conversion period, once
// a person per run); budget-split, without people, says nothing of them.
func TestScaleNotePeople(t *testing.T) {
	s, err := HorizonScale(textOf(t, "flight-week"), nil, []scenarios.Set{{Path: "stop", Value: "{duration: 24h}"}})
	if err != nil {
		t.Fatal(err)
	}
	if n, want := s.Note(), "each person makes fewer requests in the shorter run, so acme-even's conversion period (once a person per run) binds less"; !strings.Contains(n, want) {
		t.Errorf("note %q\nwant it to say %q", n, want)
	}
	capped := []scenarios.Set{{Path: "stop", Value: "{duration: 24h}"},
		{Path: "bidders.*.outcome.conversion_period", Value: "10m"}}
	s, err = HorizonScale(textOf(t, "flight-week"), capped[1:], capped)
	if err != nil {
		t.Fatal(err)
	}
	if n, want := s.Note(), "so globex-capped's frequency cap (3 per 24h) binds less"; !strings.Contains(n, want) {
		t.Errorf("note %q\nwant it to say %q", n, want)
	}
	b, err := HorizonScale(textOf(t, "budget-split"), nil, []scenarios.Set{{Path: "stop", Value: "{duration: 2m}"}})
	if err != nil || strings.Contains(b.Note(), "person") {
		t.Errorf("budget-split's note %q (%v) speaks of people", b.Note(), err)
	}
}

// TestShortenShapedAuctions: flight-week's traffic sleeps at night, so
// 100,000 of its auctions take about 17h20m, not the 14h24m their share of
// its mean rate says: the horizon kept, and with it the factor and the
// scaled total (globex-capped's 120 for the week), follow the time the
// run takes, within 2%; the note gives the horizons to the second.
func TestShortenShapedAuctions(t *testing.T) {
	pick := scenarios.Pick{Name: "flight-week"}
	sc, err := pick.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	short, s, err := Shorten(pick, sc, scenarios.Stop{Auctions: 100_000}, true)
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(short.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunStop(short.Stop, ^uint64(0))
	took := e.Now()
	want := float64(took) / float64(sc.Config.Horizon)
	if rel := math.Abs(s.Factor-want) / want; rel > 0.02 || math.Abs(float64(s.Kept-took))/float64(took) > 0.02 {
		t.Errorf("kept %v (factor %.4g), the run took %v (%.4g)", s.Kept, s.Factor, took, want)
	}
	for _, b := range short.Config.Bidders {
		if b.Name != "globex-capped" {
			continue
		}
		if got, w := b.Budget.Total.Float(), 120*s.Factor; math.Abs(got-w) > 0.006 || math.Abs(got-120*want)/(120*want) > 0.02 {
			t.Errorf("globex-capped's total %v, want 120 × %.4g = %.2f (the run's share %.4g)", got, s.Factor, w, want)
		}
	}
	if n := s.Note(); !regexp.MustCompile(`\(17h[0-9]+m[0-9]+s of 168h0m0s\)`).MatchString(n) ||
		!strings.Contains(n, s.Kept.Duration().Round(time.Second).String()) {
		t.Errorf("note %q", n)
	}
}
