package scenarios

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestLiveFieldsAreLive checks the refusals' list of live fields
// (liveFields) against what sim.Diff, which decides, accepts: every field
// of the exchange, the traffic and each bidder of flight-week (people,
// daily budgets, a cap, a goal) is changed alone, one at a time. A change
// Diff accepts must be to a listed field, every listed field must be
// changeable, and a field Diff refuses must not be listed.
func TestLiveFieldsAreLive(t *testing.T) {
	sc, err := Bundled("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	old := sc.Config
	fresh := func() sim.Config {
		s, err := Bundled("flight-week")
		if err != nil {
			t.Fatal(err)
		}
		return s.Config
	}
	// Each field to change, as a route from the Config: field indices,
	// with bidders[i] as the index into Bidders.
	type route struct {
		bidder int // -1: not under a bidder
		index  []int
	}
	var routes []route
	distType := reflect.TypeOf(sim.Dist{})
	var walk func(v reflect.Value, bidder int, index []int)
	walk = func(v reflect.Value, bidder int, index []int) {
		switch {
		case v.Type() == distType:
			routes = append(routes, route{bidder, slices.Clone(index)})
			return
		case v.Kind() == reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), bidder, index)
			}
			return
		case v.Kind() != reflect.Struct:
			switch v.Kind() {
			case reflect.Bool, reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint8, reflect.Uint32, reflect.Uint64, reflect.Float64, reflect.String:
				routes = append(routes, route{bidder, slices.Clone(index)})
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walk(v.Field(i), bidder, append(index, i))
			}
		}
	}
	cv := reflect.ValueOf(old)
	for _, f := range []string{"Exchange", "Traffic"} {
		sf, _ := cv.Type().FieldByName(f)
		walk(cv.FieldByIndex(sf.Index), -1, sf.Index)
	}
	for i := range old.Bidders {
		walk(reflect.ValueOf(old.Bidders[i]), i, nil)
	}
	field := func(c *sim.Config, r route) reflect.Value {
		v := reflect.ValueOf(c).Elem()
		if r.bidder >= 0 {
			v = v.FieldByName("Bidders").Index(r.bidder)
		}
		for _, i := range r.index {
			for v.Kind() == reflect.Pointer {
				v = v.Elem()
			}
			v = v.Field(i)
		}
		return v
	}
	listed := slices.Concat(exchangeLeaves, bidderLeaves)
	leafOf := func(path string) string {
		for _, b := range old.Bidders {
			if rest, ok := strings.CutPrefix(path, "bidders."+b.Name+"."); ok {
				return rest
			}
		}
		return path
	}
	changed := map[string]bool{}
	for _, r := range routes {
		cfg := fresh()
		v := field(&cfg, r)
		switch v.Kind() {
		case reflect.Bool:
			v.SetBool(!v.Bool())
		case reflect.Int, reflect.Int32, reflect.Int64:
			v.SetInt(v.Int() + 1)
		case reflect.Uint8, reflect.Uint32, reflect.Uint64:
			v.SetUint(v.Uint() + 1)
		case reflect.Float64:
			v.SetFloat(v.Float()*1.5 + 0.25)
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Struct: // a distribution
			v.Set(reflect.ValueOf(sim.Constant(0.123)))
		}
		changes, err := sim.Diff(old, cfg)
		if err != nil {
			for _, fe := range sim.FieldErrors(err) {
				if !errors.Is(fe.Err, sim.ErrNotLive) {
					t.Errorf("%v: %v", r, fe)
				}
				if slices.Contains(listed, leafOf(fe.Field)) {
					t.Errorf("%s is listed as live, and Diff refused a change to it", fe.Field)
				}
			}
			continue
		}
		if len(changes) == 0 {
			t.Errorf("%v: no change and no refusal", r)
		}
		for _, c := range changes {
			sets, ok := Assignments(c)
			if !ok || len(sets) != 1 {
				t.Errorf("%s: no canonical assignment", c)
				continue
			}
			leaf := leafOf(sets[0].Path)
			if !slices.Contains(listed, leaf) {
				t.Errorf("Diff accepts %s, not listed as live", sets[0].Path)
			}
			changed[leaf] = true
		}
	}
	t.Logf("%d fields changed one at a time; live: %v", len(routes), changed)
	// A budget removed is the one change no field change above makes;
	// it has no daily budget, which is neither added nor removed live.
	totalOnly := fresh()
	totalOnly.Bidders[0].Budget = &sim.Budget{Total: sim.MoneyOf(100)}
	if cs, err := sim.Diff(totalOnly, func() sim.Config { c := fresh(); c.Bidders[0].Budget = nil; return c }()); err != nil || len(cs) != 1 {
		t.Errorf("removing a budget: %v, %v", cs, err)
	} else if sets, _ := Assignments(cs[0]); len(sets) == 1 {
		changed[leafOf(sets[0].Path)] = true
	}
	if fe := sim.FieldErrors(func() error {
		_, err := sim.Diff(old, func() sim.Config { c := fresh(); c.Bidders[0].Budget = nil; return c }())
		return err
	}()); len(fe) != 1 || !errors.Is(fe[0].Err, sim.ErrNotLive) || !strings.Contains(fe[0].Error(), "budget.total=null") {
		t.Errorf("removing a budget with a daily budget: %v", fe)
	}
	for _, f := range listed {
		if !changed[f] {
			t.Errorf("%s is listed as live, and no change to any field made it", f)
		}
	}
	// The refusals list them all, a live change's and a script's.
	src, err := Source("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLive("flight-week.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Set([]Set{{Path: "bidders.acme-even.capacity", Value: "{workers: 3, service: 1ms}"}})
	if err == nil {
		t.Fatal("a capacity changed live")
	}
	for _, f := range listed {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("the refusal does not list %s: %v", f, err)
		}
	}
}
