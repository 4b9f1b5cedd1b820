package scenarios

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// A daily budget is a live assignment: by the quick route and the full
// one alike it is sim.SetDaily, whose canonical assignment reads back to
// the same change; the total changes without losing the daily budget;
// adding or removing a daily budget is refused, naming the field.
func TestDailyBudgetLive(t *testing.T) {
	quick, full := liveOf(t, "flight-week"), liveOf(t, "flight-week")
	full.full = true
	for _, set := range []Set{
		{Path: "bidders.acme-even.budget.daily", Value: "30"},
		{Path: "bidders.globex-capped.budget.daily", Value: "12.5"},
		{Path: "bidders.globex-capped.budget.total", Value: "200"},
		{Path: "bidders.acme-even.budget.daily", Value: "20"},
	} {
		cq, errQ := quick.Set([]Set{set})
		cf, errF := full.Set([]Set{set})
		if errQ != nil || errF != nil || len(cq) != 1 || fmt.Sprint(cq) != fmt.Sprint(cf) {
			t.Fatalf("%s: quick %v %v, full %v %v", set, cq, errQ, cf, errF)
		}
		if quick.pending == nil {
			t.Errorf("%s: not by the quick route", set)
		}
		sets, ok := Assignments(cq[0])
		if !ok || len(sets) != 1 {
			t.Fatalf("%v: no assignment", cq[0])
		}
		back, err := liveOf(t, "flight-week").Set(sets)
		if err != nil || len(back) != 1 || back[0] != cq[0] {
			t.Errorf("%v as %s read back as %v %v", cq[0], sets[0], back, err)
		}
	}
	if got := quick.Config().Bidders[0].Budget.Daily; got != sim.MoneyOf(20) {
		t.Errorf("acme-even's daily budget %v", got)
	}
	if b := quick.Config().Bidders[3].Budget; b.Daily != sim.MoneyOf(12.5) || b.Total != sim.MoneyOf(200) {
		t.Errorf("globex-capped's budget %+v", b)
	}
	if !reflect.DeepEqual(quick.Config(), full.Config()) {
		t.Errorf("quick %+v, full %+v", quick.Config(), full.Config())
	}
	for _, set := range []Set{
		{Path: "bidders.rival.budget", Value: "{total: 10, daily: 3}"},
		{Path: "bidders.acme-asap.budget.daily", Value: "0"},
	} {
		if _, err := liveOf(t, "flight-week").Set([]Set{set}); err == nil || !strings.Contains(err.Error(), "budget.daily") {
			t.Errorf("%s: %v", set, err)
		}
	}
}

// TestTotalBesideDailyAgrees: a total of 0 beside a daily budget means
// one thing everywhere: it is refused (it would spend nothing) in a file,
// by --set, by a script and live, by the quick route as by the full one
// (the quick route took it for a cap of 0); and no total cap, a daily
// budget alone, is budget.total=null everywhere: live it removes the
// total cap and keeps the daily budget (sim.SetBudget with KeepDaily),
// reads back from its canonical assignment, and a script's null does the
// same (it was a cap of 0), while the whole budget removed live, daily
// budget and all, is refused.
func TestTotalBesideDailyAgrees(t *testing.T) {
	const spends = "a total of 0 with a daily budget spends nothing"
	quick, full := liveOf(t, "flight-week"), liveOf(t, "flight-week")
	full.full = true
	for _, l := range []*Live{quick, full} {
		if cs, err := l.Set([]Set{{Path: "bidders.globex-capped.budget.total", Value: "0"}}); err == nil || !strings.Contains(err.Error(), spends) {
			t.Errorf("full %v: total 0 beside a daily budget: %v %v", l.full, cs, err)
		}
	}
	if _, _, err := ResolveWith("flight-week", []Set{{Path: "bidders.globex-capped.budget.total", Value: "0"}}); err == nil || !strings.Contains(err.Error(), spends) {
		t.Errorf("--set total 0 beside a daily budget: %v", err)
	}
	want := sim.SetBudget{Bidder: "globex-capped", Unlimited: true, KeepDaily: true}
	for _, l := range []*Live{quick, full} {
		cs, err := l.Set([]Set{{Path: "bidders.globex-capped.budget.total", Value: "null"}})
		if err != nil || len(cs) != 1 || cs[0] != sim.Change(want) {
			t.Fatalf("full %v: total null: %v %v, want %v", l.full, cs, err, want)
		}
		if b := l.Config().Bidders[3].Budget; b == nil || b.Total != 0 || b.Daily != sim.MoneyOf(25) {
			t.Errorf("full %v: budget after total null: %+v", l.full, b)
		}
	}
	sets, ok := Assignments(want)
	if !ok || len(sets) != 1 || sets[0].Path != "bidders.globex-capped.budget.total" || sets[0].Value != "null" {
		t.Fatalf("%v: assignment %v", want, sets)
	}
	// An older log's budget=null for it replays as what the engine did.
	if err := liveOf(t, "flight-week").Follow(sim.SetBudget{Bidder: "globex-capped", Unlimited: true}); err != nil {
		t.Errorf("following an older log's unlimited: %v", err)
	}
	if cs, err := liveOf(t, "flight-week").Set([]Set{{Path: "bidders.globex-capped.budget", Value: "null"}}); err == nil ||
		!strings.Contains(err.Error(), "budget.total=null removes the total cap alone") {
		t.Errorf("the whole budget removed live: %v %v", cs, err)
	}
	// A script: null removes the total cap; 0 is refused at its line.
	src, err := Source("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	script := "\nscript:\n  - at: 1h\n    set: {bidders.globex-capped.budget.total: %s}\n"
	s, err := Parse("fw.yaml", []byte(string(src)+fmt.Sprintf(script, "null")))
	if err != nil || len(s.Config.Script) != 1 || !reflect.DeepEqual(s.Config.Script[0].Changes, []sim.Change{want}) {
		t.Errorf("script total null: %v %v", s, err)
	}
	if _, err := Parse("fw.yaml", []byte(string(src)+fmt.Sprintf(script, "0"))); err == nil || !strings.Contains(err.Error(), spends) {
		t.Errorf("script total 0: %v", err)
	}
}
