package report

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestJSONSinceChangeBidders: after a change, run --json's since_change
// has each bidder's figures over the auctions since it (name, wins,
// spend, win_rate, payment_per_auction, surplus_per_auction: the simulated side of
// theory.bidders, which is the world's after the change), the numbers
// the run table sets beside the theory (Snapshot.BidderPerAuction), and
// the catalogue has them as since_change.bidders.NAME.*. Without them a
// reader had only the whole run's wins over its auctions, which mix in
// the world before the change (a floor raised from 0 to 0.5 here).
func TestJSONSinceChangeBidders(t *testing.T) {
	sc, e := bundledEngine(t, "classroom-vickrey")
	e.RunAuctions(5000)
	if err := e.Apply(sim.SetFloor{Floor: sim.PriceOf(0.5)}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(5000)
	snap := e.Snapshot()
	var buf bytes.Buffer
	if err := WriteSummary(&buf, snap, Meta{Scenario: sc.Name}); err != nil {
		t.Fatal(err)
	}
	var out struct {
		SinceChange struct {
			Auctions uint64 `json:"auctions"`
			Bidders  []map[string]any
		} `json:"since_change"`
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.SinceChange.Bidders) != len(snap.Bidders) {
		t.Fatalf("since_change.bidders: %d entries, want %d:\n%s", len(out.SinceChange.Bidders), len(snap.Bidders), buf.String())
	}
	values := sim.MetricValues(snap)
	for i, b := range out.SinceChange.Bidders {
		name := snap.Bidders[i].Name
		if b["name"] != name || len(b) != 6 {
			t.Errorf("entry %d: %v, want %s's name, wins, spend, win_rate, payment_per_auction and surplus_per_auction", i, b, name)
			continue
		}
		win, pay, surplus, _ := snap.BidderPerAuction(name, true)
		p := snap.SinceChange.Bidders[i]
		for _, c := range []struct {
			field string
			want  float64
		}{{"wins", float64(p.Wins)}, {"spend", p.Spend.Float()}, {"win_rate", win}, {"payment_per_auction", pay}, {"surplus_per_auction", surplus}} {
			got, _ := b[c.field].(float64)
			if math.Abs(got-c.want) > 1e-12*max(1, c.want) {
				t.Errorf("%s's %s %v, want %v", name, c.field, b[c.field], c.want)
			}
			if v, ok := values["since_change.bidders."+name+"."+c.field]; !ok || math.Abs(v-c.want) > 1e-12*max(1, c.want) {
				t.Errorf("catalogue since_change.bidders.%s.%s = %v (%v), want %v", name, c.field, v, ok, c.want)
			}
		}
	}
}
