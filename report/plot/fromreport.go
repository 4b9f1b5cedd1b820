package plot

import (
	"encoding/json"
	"math"

	"github.com/auctionsim/auctionsim/report"
)

// FromReport is what run --plot draws of a run's report: its tmax curve
// (nil when the scenario switches it off; on the wire, its points settled
// up to the deadline the wire enforced) and its time series with its
// changes.
//
// The curve's optional figures (each point's wait_ms_p95 and
// net_revenue_per_auction, and the summary's tmax_advice) are read from
// the report's JSON, the contract scripts read, so that they are drawn
// whenever the report carries them.
func FromReport(full *report.Full) Run {
	r := Run{Scenario: full.Scenario}
	// On the wire the curve may have no point settled (a deadline below
	// its grid): nothing to draw of it then.
	if len(full.TmaxCurve) > 0 {
		t := &TmaxCurve{CurrentMS: full.Settings.TmaxMS}
		for _, p := range full.TmaxCurve {
			t.TmaxMS = append(t.TmaxMS, p.TmaxMS)
			t.RevenuePerAuction = append(t.RevenuePerAuction, numOf(p.RevenuePerAuction))
		}
		if b, err := json.Marshal(full.Summary); err == nil {
			optionalCurve(b, t)
		}
		r.Tmax = t
	}
	r.Notes = curveNotes(full)
	s := &Series{IntervalSeconds: full.Series.IntervalSeconds, EndSeconds: full.VirtualSeconds}
	anyBids := false
	for _, p := range full.Series.Points {
		s.StartSeconds = append(s.StartSeconds, p.StartSeconds)
		s.Auctions = append(s.Auctions, p.Auctions)
		rpa := math.NaN()
		if p.Auctions > 0 {
			rpa = p.Revenue / float64(p.Auctions) * 1000
		}
		s.RevenuePerAuction = append(s.RevenuePerAuction, rpa)
		var bids, late uint64
		for _, b := range p.Bidders {
			bids += b.Bids
			late += b.Late
		}
		share := math.NaN()
		if bids > 0 {
			share, anyBids = float64(late)/float64(bids), true
		}
		s.LateShare = append(s.LateShare, share)
	}
	if !anyBids {
		s.LateShare = nil
	}
	for _, c := range full.Changes {
		s.Changes = append(s.Changes, Mark{AtSeconds: c.AtSeconds, Text: c.Text, Scripted: c.Scripted})
	}
	r.Series = s
	return r
}

// curveNotes are the words the run table says under its Tmax curve
// section (report/summary) of a censored curve: why the points above the
// cut are missing (tmax_curve_why) and, when it says more, why the advice
// is (tmax_advice_why). None when the curve is not censored.
func curveNotes(full *report.Full) []string {
	cc := full.CensoredCurve
	if cc == nil || cc.TmaxCurveWhy == "" {
		return nil
	}
	why := cc.TmaxCurveWhy
	if len(full.TmaxCurve) == 0 {
		why += report.BelowFirstPoint
	}
	notes := []string{"tmax curve: " + why}
	if a := cc.TmaxAdviceWhy; a != "" && a != cc.TmaxCurveWhy {
		notes = append(notes, "advice: "+a)
	}
	return notes
}

// numOf is a report number, NaN where it is null.
func numOf(n report.Num) float64 {
	if !n.Valid() {
		return math.NaN()
	}
	return float64(n)
}

// advice is the summary's tmax_advice.
type advice struct {
	MaxRevenue    *float64 `json:"max_revenue_tmax_ms"`
	MS95          *float64 `json:"tmax_ms_95"`
	MS99          *float64 `json:"tmax_ms_99"`
	MaxNetRevenue *float64 `json:"max_net_revenue_tmax_ms"`
}

// optionalCurve fills t's optional figures from the summary's JSON b,
// those it has.
func optionalCurve(b []byte, t *TmaxCurve) {
	var doc struct {
		TmaxCurve []struct {
			WaitP95 *float64 `json:"wait_ms_p95"`
			Net     *float64 `json:"net_revenue_per_auction"`
		} `json:"tmax_curve"`
		Advice   *advice `json:"tmax_advice"`
		Exchange struct {
			Advice *advice `json:"tmax_advice"`
		} `json:"exchange"`
	}
	if json.Unmarshal(b, &doc) != nil || len(doc.TmaxCurve) != len(t.TmaxMS) {
		return
	}
	var raw struct {
		TmaxCurve []map[string]json.RawMessage `json:"tmax_curve"`
	}
	if json.Unmarshal(b, &raw) != nil {
		return
	}
	has := func(key string) bool {
		for _, p := range raw.TmaxCurve {
			if _, ok := p[key]; !ok {
				return false
			}
		}
		return len(raw.TmaxCurve) > 0
	}
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	if has("wait_ms_p95") {
		for _, p := range doc.TmaxCurve {
			t.WaitP95MS = append(t.WaitP95MS, val(p.WaitP95))
		}
	}
	if has("net_revenue_per_auction") {
		var net []float64
		differs := false
		for i, p := range doc.TmaxCurve {
			v := val(p.Net)
			net = append(net, v)
			differs = differs || i >= len(t.RevenuePerAuction) || !sameValue(v, t.RevenuePerAuction[i])
		}
		// Without abandonment every run reports the net revenue, equal
		// to the revenue point for point: drawn, it was a second line
		// on the first and a legend "after abandonment" (and "most net
		// revenue") for a run where nobody left, which the run's table
		// does not show either.
		if differs {
			t.NetRevenuePerAuction = net
		}
	}
	a := doc.Advice
	if a == nil {
		a = doc.Exchange.Advice // where the summary may keep it instead
	}
	if a != nil {
		t.Advice = &TmaxAdvice{MaxRevenueMS: val(a.MaxRevenue), MS95: val(a.MS95), MS99: val(a.MS99), MaxNetRevenueMS: math.NaN()}
		if t.NetRevenuePerAuction != nil {
			t.Advice.MaxNetRevenueMS = val(a.MaxNetRevenue)
		}
	}
}

// sameValue reports whether two curve values are the same, NaN (no value)
// included.
func sameValue(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
