package main

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestBidderNamedAlike: every door that names a bidder refuses a
// mistyped name in the same words, with the same suggestion (sim's
// NoBidder): a path of --set, --change or --vary, play's --as, compare's
// --move and run's --endpoint. They said it five ways ("no bidder
// named", "no bidder %q; did you mean %q?", "no bidder NAME", "is not a
// bidder of the scenario").
func TestBidderNamedAlike(t *testing.T) {
	const tmx = `no bidder named "metrp"; did you mean metro?`
	const acme = `no bidder named "acme-retarge"; did you mean acme-retarget?`
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "-s", "timeout-demo", "--auctions", "10", "--set", "bidders.metrp.no_bid=0.1"}, tmx},
		{[]string{"compare", "timeout-demo", "--change", "bidders.metrp.no_bid=0.1", "--reps", "2", "--auctions", "10"}, tmx},
		{[]string{"sweep", "-s", "timeout-demo", "--vary", "bidders.metrp.no_bid=0,0.1", "--reps", "2", "--auctions", "10"}, tmx},
		{[]string{"play", "-s", "timeout-demo", "--as", "metrp"}, tmx},
		{[]string{"run", "-s", "timeout-demo", "--auctions", "10", "--endpoint", "metrp=http://127.0.0.1:9"}, tmx},
		{[]string{"compare", "budget-split", "--move", "acme-retarge:acme-prospect=10", "--reps", "2", "--auctions", "10"}, acme},
	} {
		r := run(t, "", c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d, %q\nwant exit %d and %q", strings.Join(c.args, " "), r.code, r.stderr, exitUsage, c.want)
		}
	}
}

// TestMetricsListed: auctionsim metrics lists a world's metric names,
// the catalogue every command checks --metric and --metrics against:
// run --reps takes the whole list as --metrics and reports exactly those,
// compare's JSON spells its metrics from it, and a name it does not list
// is refused pointing to it.
func TestMetricsListed(t *testing.T) {
	r := run(t, "", "metrics", "-s", "budget-split")
	if r.code != exitOK {
		t.Fatalf("metrics: exit %d: %s", r.code, r.stderr)
	}
	names := strings.Fields(r.stdout)
	if !slices.IsSorted(names) {
		t.Error("the list is not sorted")
	}
	for _, want := range []string{"exchange.revenue", "bidders.acme-retarget.spend", "groups.acme.incremental_value", "bidders.rival-a.latency_ms.p99"} {
		if !slices.Contains(names, want) {
			t.Errorf("%s is not listed", want)
		}
	}
	reps := run(t, "", "run", "-s", "budget-split", "--reps", "2", "--auctions", "300", "--json", "--metrics", strings.Join(names, ","))
	var got struct {
		Metrics map[string]json.RawMessage `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(reps.stdout), &got); reps.code != exitOK || err != nil {
		t.Fatalf("run --reps --metrics (every name listed): exit %d, %v: %s", reps.code, err, reps.stderr)
	}
	if keys := slices.Sorted(maps.Keys(got.Metrics)); !slices.Equal(keys, names) {
		t.Errorf("run --reps reports %d metrics, the list has %d", len(keys), len(names))
	}
	cmp := run(t, "", "compare", "budget-split", "--change", "exchange.floor=0.2", "--reps", "2", "--auctions", "300", "--json")
	if err := json.Unmarshal([]byte(cmp.stdout), &got); cmp.code != exitOK || err != nil {
		t.Fatalf("compare: exit %d, %v: %s", cmp.code, err, cmp.stderr)
	}
	for name := range got.Metrics {
		if !slices.Contains(names, name) {
			t.Errorf("compare's JSON has %s, which metrics does not list", name)
		}
	}
	bad := run(t, "", "compare", "budget-split", "--change", "exchange.floor=0.2", "--metric", "groups.acme.incremental_valu")
	if bad.code != exitUsage || !strings.Contains(bad.stderr, "did you mean groups.acme.incremental_value?") || !strings.Contains(bad.stderr, "auctionsim metrics -s SCENARIO lists them") {
		t.Errorf("a name not listed: exit %d, %q", bad.code, bad.stderr)
	}
}

// TestMetricFlagsSayAlike: every flag that takes metric names says it
// takes the catalogue's, and where to list them, in the same words.
func TestMetricFlagsSayAlike(t *testing.T) {
	for _, def := range []func() *command{newRunCmd, newCompareCmd, newSweepCmd, newSplitCmd} {
		c := def()
		for _, name := range []string{"metric", "metrics"} {
			if f := c.Flags.Lookup(name); f != nil && !strings.Contains(f.Usage, catalogueNames) {
				t.Errorf("%s --%s: %q does not say %q", c.Name, name, f.Usage, catalogueNames)
			}
		}
	}
}
