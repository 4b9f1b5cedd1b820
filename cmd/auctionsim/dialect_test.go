package main

import (
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
