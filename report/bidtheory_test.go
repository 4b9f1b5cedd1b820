package report

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestJSONTheoryBidders: run --json's theory carries each enabled
// bidder's closed form under theory.bidders, with exactly the fields
// name, win_rate, payment_per_auction and surplus_per_auction, the
// numbers Snapshot.BidderTheory gives; a disabled bidder has none; an
// increment keeps them, and so do symmetric bidders with several slots;
// where each bidder's form does not apply (several slots, one bidder
// unlike the others) theory.bidders is absent and theory.bidders_why says why, while
// the exchange's theory stays.
func TestJSONTheoryBidders(t *testing.T) {
	summary := func(scenario string, sets ...string) (map[string]any, *sim.Snapshot) {
		t.Helper()
		var list []scenarios.Set
		for _, a := range sets {
			p, v, _ := strings.Cut(a, "=")
			list = append(list, scenarios.Set{Path: p, Value: v, Flag: "--set"})
		}
		sc, _, err := scenarios.ResolveWith(scenario, list)
		if err != nil {
			t.Fatal(err)
		}
		e, err := sim.New(sc.Config)
		if err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(2000)
		snap := e.Snapshot()
		var buf bytes.Buffer
		if err := WriteSummary(&buf, snap, Meta{Scenario: sc.Name}); err != nil {
			t.Fatal(err)
		}
		var out map[string]any
		if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		return out["theory"].(map[string]any), snap
	}

	th, snap := summary("classroom-vickrey",
		"bidders.ada.value={dist: lognormal, median: 0.6, p99: 3}",
		"bidders.bo.value={dist: uniform, min: 0, max: 2}",
		"bidders.eli.disabled=true")
	want, why := snap.BidderTheory()
	if why != "" || len(want) != 4 {
		t.Fatalf("BidderTheory: %d bidders, why %q", len(want), why)
	}
	items, ok := th["bidders"].([]any)
	if !ok || len(items) != len(want) {
		t.Fatalf("theory.bidders is %v, want %d bidders", th["bidders"], len(want))
	}
	if _, ok := th["bidders_why"]; ok {
		t.Errorf("theory.bidders_why present where each bidder's form applies: %v", th["bidders_why"])
	}
	for i, it := range items {
		b := it.(map[string]any)
		var keys []string
		for k := range b {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"name", "payment_per_auction", "surplus_per_auction", "win_rate"}) {
			t.Errorf("theory.bidders[%d] has fields %v", i, keys)
		}
		w := want[i]
		if b["name"] != w.Name {
			t.Errorf("theory.bidders[%d].name %v, want %s", i, b["name"], w.Name)
		}
		for _, f := range []struct {
			key  string
			want float64
		}{{"win_rate", w.WinRate}, {"payment_per_auction", w.Payment}, {"surplus_per_auction", w.Surplus}} {
			if got, ok := b[f.key].(float64); !ok || math.Abs(got-f.want) > 1e-15 || !(got > 0) {
				t.Errorf("theory.bidders[%d] (%s).%s is %v, want %v", i, w.Name, f.key, b[f.key], f.want)
			}
		}
	}
	if names := func() (n []string) {
		for _, it := range items {
			n = append(n, it.(map[string]any)["name"].(string))
		}
		return
	}(); slices.Contains(names, "eli") {
		t.Errorf("the disabled eli has a closed form: %v", names)
	}

	// An increment (timeout-story's 0.01) has each bidder's form too.
	th, _ = summary("timeout-story")
	if items, _ := th["bidders"].([]any); len(items) != 5 {
		t.Errorf("timeout-story: theory.bidders is %v (why %v)", th["bidders"], th["bidders_why"])
	}
	// Several slots, symmetric bidders: the slots' totals over n each.
	th, _ = summary("sponsored-search")
	if th["applies"] != true {
		t.Fatalf("sponsored-search's exchange theory no longer applies: %v", th["why"])
	}
	rev, _ := th["revenue_per_auction"].(float64)
	if items, _ := th["bidders"].([]any); len(items) != 4 {
		t.Errorf("sponsored-search: theory.bidders is %v (why %v)", th["bidders"], th["bidders_why"])
	} else if pay, _ := items[0].(map[string]any)["payment_per_auction"].(float64); math.Abs(4*pay-rev) > 1e-9 {
		t.Errorf("sponsored-search: each bidder pays %v, the exchange earns %v", pay, rev)
	}
	// Several slots, one bidder unlike the others: the exchange's form
	// stays, none for each bidder, and why.
	th, _ = summary("sponsored-search", "bidders.ada.errors=0.2")
	if th["applies"] != true {
		t.Fatalf("sponsored-search, ada erring: the exchange theory no longer applies: %v", th["why"])
	}
	if _, ok := th["bidders"]; ok {
		t.Errorf("theory.bidders present with several slots and asymmetric bidders: %v", th["bidders"])
	}
	if why, _ := th["bidders_why"].(string); !strings.Contains(why, "slots") {
		t.Errorf("theory.bidders_why is %q, want the slots named", why)
	}
}
