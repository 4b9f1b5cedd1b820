package sim_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// saturateAll sets every Money in v (a pointer), however deep, to
// MaxMoney.
func saturateAll(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			saturateAll(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				saturateAll(f)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			saturateAll(v.Index(i))
		}
	case reflect.Int64:
		if v.Type() == reflect.TypeFor[sim.Money]() {
			v.SetInt(int64(sim.MaxMoney))
		}
	}
}

// Saturated names are catalogue metrics, and every catalogue metric that
// reads as MaxMoney when every Money of a snapshot is there is named:
// worlds with slots, groups, holdouts and a tmax curve.
func TestSaturatedNamesEveryTotal(t *testing.T) {
	for _, name := range []string{"sponsored-search", "budget-split", "incrementality-test", "timeout-demo"} {
		sc, err := scenarios.Bundled(name)
		if err != nil {
			t.Fatal(err)
		}
		e, err := sim.New(sc.Config)
		if err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(500)
		s := e.Snapshot()
		if got := s.Saturated(); got != nil {
			t.Fatalf("%s: Saturated() = %q before any change", name, got)
		}
		saturateAll(reflect.ValueOf(s))
		got := s.Saturated()
		values := sim.MetricValues(s)
		for _, n := range got {
			if _, ok := values[n]; !ok {
				t.Errorf("%s: Saturated() names %s, not a metric", name, n)
			}
		}
		for n, x := range values {
			// A bidder's budget is one configured amount, at most
			// MaxAmount: never a sum.
			configured := strings.HasPrefix(n, "bidders.") && strings.HasSuffix(n, ".budget")
			if x == sim.MaxMoney.Float() && !configured && !slices.Contains(got, n) {
				t.Errorf("%s: %s reads MaxMoney but Saturated() does not name it", name, n)
			}
		}
	}
}
