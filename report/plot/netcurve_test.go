package plot

import (
	"context"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// fullOf runs a bundled scenario for d and gives its report.
func fullOf(t *testing.T, name string, d sim.Time) *report.Full {
	t.Helper()
	sc, err := scenarios.Bundled(name)
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = sc.WithStop(scenarios.Stop{Duration: d}); err != nil {
		t.Fatal(err)
	}
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runner.Headless(context.Background(), eng, sc.Stop, runner.HeadlessOptions{}); err != nil {
		t.Fatal(err)
	}
	full := report.NewFull(eng.Snapshot(), report.Meta{Scenario: sc.Name})
	return &full
}

// The net revenue is drawn, with the tmax of its best, where people
// leave slow pages (exchange.abandonment), as the run's table shows it:
// without abandonment it equals the revenue at every point, and the plot
// of timeout-demo said "net revenue per auction (after abandonment)" and
// "most net revenue at 400 ms" for a run where nobody left.
func TestRunPlotNetRevenueOnlyWithAbandonment(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		net      bool
	}{{"timeout-demo", false}, {"prebid-server", true}} {
		r := FromReport(fullOf(t, tc.scenario, 20*sim.Second))
		if r.Tmax == nil || r.Tmax.Advice == nil {
			t.Fatalf("%s: no curve or advice: %+v", tc.scenario, r.Tmax)
		}
		if got := r.Tmax.NetRevenuePerAuction != nil; got != tc.net {
			t.Errorf("%s: net revenue drawn %v, want %v", tc.scenario, got, tc.net)
		}
		if got := finite(r.Tmax.Advice.MaxNetRevenueMS); got != tc.net {
			t.Errorf("%s: the most net revenue marked %v (%v), want %v", tc.scenario, got, r.Tmax.Advice.MaxNetRevenueMS, tc.net)
		}
		c, err := RunChart(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(svgText(t, c), "net revenue"); got != tc.net {
			t.Errorf("%s: the plot says net revenue %v, want %v", tc.scenario, got, tc.net)
		}
		if !finite(r.Tmax.Advice.MS95) {
			t.Errorf("%s: the knee is gone too", tc.scenario)
		}
	}
}
