package experiment

import (
	"context"
	"slices"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// Agg counts the saturation marks of the replications, by point and
// metric, and averages none of them.
func TestAggCountsSaturation(t *testing.T) {
	a := NewAgg(2, true)
	for rep := range 3 {
		for p := range 2 {
			v := Values{"exchange.revenue": 1}
			if p == 1 && rep != 1 {
				v[SaturatedPrefix+"exchange.revenue"] = 1
			}
			a.Add(Item{Index: rep*2 + p, Point: p, Rep: rep, Values: v})
		}
	}
	got := a.Saturated()
	want := []Saturation{{Point: 1, Metric: "exchange.revenue", Reps: 2}}
	if !slices.Equal(got, want) {
		t.Fatalf("Saturated() = %+v, want %+v", got, want)
	}
	for p := range 2 {
		if m := a.Metrics(p); !slices.Equal(m, []string{"exchange.revenue"}) {
			t.Errorf("point %d metrics %q: a mark was averaged", p, m)
		}
	}
}

// Measure marks what saturated in an accepted world (order values of 10⁹
// over many conversions), and nothing in a bundled one.
func TestMeasureMarksSaturation(t *testing.T) {
	sc, err := scenarios.Resolve("../../scenarios/testdata/saturate.yaml") // shared with the other saturation tests
	if err != nil {
		t.Fatal(err)
	}
	v, err := Measure(context.Background(), Point{Name: sc.Name, Config: sc.Config, Stop: sc.Stop}, 7)
	if err != nil {
		t.Fatal(err)
	}
	if v[SaturatedPrefix+"bidders.big.incremental_value"] != 1 {
		t.Errorf("no mark for bidders.big.incremental_value (%v)", v["bidders.big.incremental_value"])
	}
	calm, err := scenarios.Bundled("first-vs-second")
	if err != nil {
		t.Fatal(err)
	}
	stop := calm.Stop
	stop.Auctions, stop.Duration = 2000, 0
	v, err = Measure(context.Background(), Point{Name: calm.Name, Config: calm.Config, Stop: stop}, 7)
	if err != nil {
		t.Fatal(err)
	}
	for k := range v {
		if len(k) > len(SaturatedPrefix) && k[:len(SaturatedPrefix)] == SaturatedPrefix {
			t.Errorf("mark %s in first-vs-second", k)
		}
	}
}
