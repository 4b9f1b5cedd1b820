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
