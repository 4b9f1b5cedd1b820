package report

import (
	"encoding/json"
	"math"
	"testing"
)

// TestBidderSurplus checks the JSON's surplus: value − spend per bidder,
// under its contract name.
func TestBidderSurplus(t *testing.T) {
	snap := snapshot(t)
	s := NewSummary(snap, Meta{})
	for i, b := range s.Bidders {
		want := snap.Bidders[i].Value.Float() - snap.Bidders[i].Spend.Float()
		if math.Abs(b.Surplus-want) > 1e-9 || math.Abs(b.Surplus-(b.Value-b.Spend)) > 1e-9 {
			t.Errorf("%s: surplus %g, want value − spend %g", b.Name, b.Surplus, want)
		}
		if b.Wins > 0 && b.Surplus == 0 {
			t.Errorf("%s: %d wins and no surplus", b.Name, b.Wins)
		}
	}
	raw, err := json.Marshal(s.Bidders[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["surplus"].(float64); !ok {
		t.Errorf("bidder JSON has no numeric surplus: %s", raw)
	}
}
