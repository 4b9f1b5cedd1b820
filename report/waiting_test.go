package report

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// The summary carries what waiting costs as the snapshot has it: the
// wait, the impressions lost, the net revenue (= Σ spend), each curve
// point's wait and net revenue, the advice, and a bidder's network part.
func TestWaitingJSON(t *testing.T) {
	cfg := curveConfig()
	cfg.Exchange.Abandonment = sim.Abandonment{Per100ms: 0.3, Grace: 40 * sim.Millisecond}
	cfg.Bidders[1].Network = sim.Constant(float64(25 * sim.Millisecond))
	cfg.Bidders[1].Hangs = 0.05
	e, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(3000)
	snap := e.Snapshot()
	var buf bytes.Buffer
	if err := WriteSummary(&buf, snap, Meta{}); err != nil {
		t.Fatal(err)
	}
	var s struct {
		Exchange struct {
			Revenue          float64 `json:"revenue"`
			Net              float64 `json:"net_revenue"`
			Abandoned, Hangs uint64
			Wait             map[string]float64 `json:"wait_ms"`
		}
		Bidders []struct {
			Spend   float64
			Hangs   uint64
			Network map[string]float64 `json:"network_ms"`
		}
		TmaxCurve []map[string]any `json:"tmax_curve"`
		Advice    map[string]any   `json:"tmax_advice"`
	}
	if err := json.Unmarshal(buf.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	x := snap.Exchange
	if s.Exchange.Abandoned != x.Abandoned || x.Abandoned == 0 || s.Exchange.Hangs == 0 || s.Exchange.Hangs != x.Hangs {
		t.Errorf("abandoned %d (snapshot %d), hangs %d", s.Exchange.Abandoned, x.Abandoned, s.Exchange.Hangs)
	}
	spend := s.Bidders[0].Spend + s.Bidders[1].Spend
	if math.Abs(s.Exchange.Net-spend) > 1e-9 || !(s.Exchange.Net < s.Exchange.Revenue) {
		t.Errorf("net revenue %g, Σ spend %g, revenue %g", s.Exchange.Net, spend, s.Exchange.Revenue)
	}
	if s.Exchange.Wait["p95"] != x.Wait.P95.Milliseconds() || s.Exchange.Wait["mean"] <= 0 || s.Exchange.Wait["max"] > 100.5 {
		t.Errorf("wait_ms %v, snapshot %+v", s.Exchange.Wait, x.Wait)
	}
	if s.Bidders[1].Network["mean"] != 25 || s.Bidders[0].Network["mean"] != 0 || s.Bidders[1].Hangs == 0 {
		t.Errorf("network_ms %v and %v", s.Bidders[0].Network, s.Bidders[1].Network)
	}
	for i, p := range s.TmaxCurve {
		want := snap.TmaxCurve[i]
		if p["wait_ms_mean"] != want.WaitMean.Milliseconds() || p["wait_ms_p95"] != want.WaitP95.Milliseconds() ||
			p["net_revenue_per_auction"] != want.NetRevenuePerAuction() {
			t.Errorf("point %d: %v, snapshot %+v", i, p, want)
		}
	}
	a := sim.AdviseTmax(snap.TmaxCurve)
	if s.Advice["tmax_ms_95"] != a.Knee95.Milliseconds() || s.Advice["max_net_revenue_tmax_ms"] != a.MaxNetRevenue.Milliseconds() ||
		s.Advice["max_revenue_tmax_ms"] != a.MaxRevenue.Milliseconds() || s.Advice["tmax_ms_99"] != a.Knee99.Milliseconds() {
		t.Errorf("tmax_advice %v, sim %+v", s.Advice, a)
	}
}
