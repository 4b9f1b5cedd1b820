package report

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// TestSlotsJSON: run --json of several slots has slots[] (each slot's
// weight, sales and prices) and theory.slots (VCG's and GSP's revenue);
// a single-item run has neither key, as before slots existed.
func TestSlotsJSON(t *testing.T) {
	summary := func(name string) map[string]any {
		_, e := bundledEngine(t, name)
		e.RunAuctions(20000)
		var buf bytes.Buffer
		if err := WriteSummary(&buf, e.Snapshot(), Meta{Scenario: name}); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := summary("sponsored-search")
	slots, _ := m["slots"].([]any)
	if len(slots) != 3 {
		t.Fatalf("slots %v", m["slots"])
	}
	total := 0.0
	for j, w := range []float64{1, 0.6, 0.3} {
		s := slots[j].(map[string]any)
		if s["weight"] != w || s["name"] != string(rune('1'+j)) || s["fill_rate"] != 1.0 {
			t.Errorf("slot %d: %v", j+1, s)
		}
		click, imp := s["mean_price_per_click"].(float64), s["mean_price_per_impression"].(float64)
		if math.Abs(imp-w*click) > 1e-6 {
			t.Errorf("slot %d: per impression %g, want weight × per click %g", j+1, imp, w*click)
		}
		total += s["revenue_per_auction"].(float64)
	}
	x := m["exchange"].(map[string]any)
	if got := x["revenue_per_auction"].(float64); math.Abs(got-total) > 1e-9 {
		t.Errorf("exchange revenue per auction %g, slots' sum %g", got, total)
	}
	th := m["theory"].(map[string]any)
	ts, _ := th["slots"].(map[string]any)
	if ts == nil || math.Abs(ts["vcg_revenue_per_auction"].(float64)-0.66) > 1e-9 || math.Abs(ts["gsp_revenue_per_auction"].(float64)-0.9) > 1e-9 {
		t.Errorf("theory %v", th)
	}
	m = summary("classroom-vickrey")
	if _, ok := m["slots"]; ok {
		t.Error("a single-item run has slots")
	}
	if _, ok := m["theory"].(map[string]any)["slots"]; ok {
		t.Error("a single-item run has theory.slots")
	}
}
