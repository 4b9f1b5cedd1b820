package split_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// splitJSON runs a short split of group g in the world sc and returns its
// JSON's top level.
func splitJSON(t *testing.T, sc *scenarios.Scenario) (*split.Result, map[string]json.RawMessage) {
	t.Helper()
	s, err := split.New(pointOf(sc), "g", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	s.Reps, s.Workers, s.NoCurves = 2, 1, true
	res, err := s.Run(context.Background(), s.Current(), 50)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	return res, top
}

// Split's JSON names what saturated in its runs, as reps, compare and
// sweep do, a sorted "saturated" list of metric names; a calm split has
// no such key.
func TestSplitJSONSaturated(t *testing.T) {
	sc, err := scenarios.Resolve("testdata/saturate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, top := splitJSON(t, sc)
	var names []string
	if raw, ok := top["saturated"]; !ok {
		t.Fatal(`no "saturated" in a split whose group's value passed MaxMoney`)
	} else if err := json.Unmarshal(raw, &names); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"bidders.big.incremental_value", "groups.g.incremental_value"} {
		if !slices.Contains(names, want) || !slices.IsSorted(names) {
			t.Errorf("saturated %q, want %s among them, sorted", names, want)
		}
	}
	// The same world with order values far from MaxMoney.
	calm := sc.Config
	calm.Bidders = slices.Clone(calm.Bidders)
	o := *calm.Bidders[0].Outcome
	o.OrderValue = sim.MoneyOf(1)
	calm.Bidders[0].Outcome = &o
	sc.Config = calm
	res, top := splitJSON(t, sc)
	if _, ok := top["saturated"]; ok || res.Saturated != nil {
		t.Errorf(`"saturated" %q in a calm split`, res.Saturated)
	}
}
