package report

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestRepsTableWideFigures: figures wide in themselves (a week's wins,
// 117710 ± 18011; spend to many decimals) would push run --reps' tables
// past 80 columns with short names: the columns split into tables that
// each start with the name column, every figure kept.
func TestRepsTableWideFigures(t *testing.T) {
	names := []string{"acme-even", "acme-asap", "globex-capped-north", "rival"}
	agg := experiment.NewAgg(1, false)
	for rep, x := range []float64{1, 1.3, 0.8} {
		v := experiment.Values{"exchange.revenue": 1600 * x}
		for i, n := range names {
			p := "bidders." + n + "."
			f := x + float64(i)/1000
			v[p+"bid_requests"], v[p+"wins"] = 1e6, 117710*f
			v[p+"spend"], v[p+"win_rate"] = 139.99862+0.00055*f, 0.05186+0.00076*f
			v[p+"incremental_roas"], v[p+"attributed_roas"] = 2.86*f, 3.87*f
			v[p+"attributed_value"], v[p+"incremental_value"] = 539123*f, 399456*f
		}
		v["groups.acme.budget"], v["groups.acme.attributed_value"] = 280, 1078246*x
		v["groups.acme.incremental_value"] = 798912 * x
		v["groups.acme.attributed_roas"], v["groups.acme.incremental_roas"] = 3.87*x, 2.86*x
		agg.Add(experiment.Item{Index: rep, Rep: rep, Values: v})
	}
	res := &experiment.Result{Spec: &experiment.Spec{Scenario: "s", Seed: 1}, Agg: agg}
	if whole := repsBidderTables(agg, names, nil, 0); widest(whole) <= 80 {
		t.Fatalf("the whole tables are %d wide: the test would test nothing:\n%s", widest(whole), whole)
	}
	out := RepsTable(res, names)
	for i, l := range strings.Split(out, "\n") {
		if w := format.Width(l); w > 80 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
	// Every column's header and every row's figures are there, each
	// table headed by the name column.
	for _, h := range append(bidderCols, "attr. value", "incr. value", "attr. ROAS", "incr. ROAS") {
		if !strings.Contains(out, " "+h) {
			t.Errorf("column %q lost:\n%s", h, out)
		}
	}
	for _, n := range names {
		s, _ := agg.Stat(0, "bidders."+n+".wins")
		if !strings.Contains(out, FormatPM(s)) {
			t.Errorf("%s's wins %s lost:\n%s", n, FormatPM(s), out)
		}
		if c := strings.Count(out, "\n"+n+" "); c < 2 {
			t.Errorf("%s heads %d rows, want one in each of the split tables:\n%s", n, c, out)
		}
	}
	if c := strings.Count(out, "\nbidder "); c < 2 {
		t.Errorf("%d tables headed 'bidder', want the bidders' split in two at least:\n%s", c, out)
	}
}
