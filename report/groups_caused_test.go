package report

import (
	"encoding/json"
	"math"
	"testing"
)

// TestGroupsCausedJSON: with people (flight-week, two days), a group's
// caused figures are its members' as a bidder's are: caused_roas (caused
// value / spend, a planner's ROAS before displacement) and
// without_ad_conversions (added up), so that incremental = caused +
// organic − without ad holds for the group as for each member. The group
// rows had caused_conversions and caused_value only.
func TestGroupsCausedJSON(t *testing.T) {
	snap, _ := flightWeek(t, nil)
	data, err := json.Marshal(NewSummary(snap, Meta{}))
	if err != nil {
		t.Fatal(err)
	}
	type figures struct {
		Name       string   `json:"name"`
		Group      string   `json:"group"`
		Spend      float64  `json:"spend"`
		Caused     uint64   `json:"caused_conversions"`
		CausedVal  float64  `json:"caused_value"`
		CausedROAS *float64 `json:"caused_roas"`
		WithoutAd  *uint64  `json:"without_ad_conversions"`
		Organic    uint64   `json:"organic_conversions"`
		Incr       int64    `json:"incremental_conversions"`
	}
	var got struct {
		Groups  []figures `json:"groups"`
		Bidders []figures `json:"bidders"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Groups) == 0 {
		t.Fatal("flight-week has no groups")
	}
	for _, g := range got.Groups {
		if g.CausedROAS == nil || g.WithoutAd == nil {
			t.Fatalf("group %s: caused_roas %v, without_ad_conversions %v: want both", g.Name, g.CausedROAS, g.WithoutAd)
		}
		var without, organic uint64
		for _, b := range got.Bidders {
			if b.Group == g.Name {
				without += *b.WithoutAd
				organic += b.Organic
			}
		}
		if *g.WithoutAd != without || without == 0 {
			t.Errorf("group %s: without_ad_conversions %d, members' %d", g.Name, *g.WithoutAd, without)
		}
		if want := g.CausedVal / g.Spend; math.Abs(*g.CausedROAS-want) > 1e-12*want {
			t.Errorf("group %s: caused_roas %g, want caused value / spend %g", g.Name, *g.CausedROAS, want)
		}
		if g.Incr != int64(g.Caused+organic)-int64(without) {
			t.Errorf("group %s: incremental %d ≠ caused %d + organic %d − without ad %d", g.Name, g.Incr, g.Caused, organic, without)
		}
	}
}
