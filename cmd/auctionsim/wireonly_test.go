package main

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/wire"
)

// TestWireOnlyFlagsRefusedOffTheWire checks that --late-grace, --notices
// and --no-notices, which act only on the wire, are refused (exit 2,
// naming the flag) by run and the dashboard when nothing puts them on
// it: before, they were ignored unseen.
func TestWireOnlyFlagsRefusedOffTheWire(t *testing.T) {
	// A scenario whose bidder has an endpoint: the wire-only flags are
	// refused before --reps refuses the endpoint.
	ep, _ := editedBundled(t, "classroom-vickrey", "bidder ada", "{name: ada,", `{name: ada, endpoint: "http://127.0.0.1:1/openrtb2/ada",`)
	for _, wireFlag := range [][]string{{"--late-grace", "1s"}, {"--notices", "all"}, {"--no-notices"}} {
		for _, args := range [][]string{
			{"run", "-s", "classroom-vickrey", "--auctions", "100"},
			{"run", "-s", "classroom-vickrey", "--auctions", "100", "--reps", "2"},
			{"run", "-s", ep, "--auctions", "100", "--reps", "2"},
		} {
			args := append(args, wireFlag...)
			r := inProcess(args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, wireFlag[0]+" ") || !strings.Contains(r.stderr, "on the wire") || r.stdout != "" {
				t.Errorf("%v: exit %d, stdout %d bytes, stderr %q; want exit 2 naming %s, nothing run", args, r.code, len(r.stdout), r.stderr, wireFlag[0])
			}
		}
		var errb strings.Builder
		_, code, ok := parseTUI(append([]string{"-s", "classroom-vickrey"}, wireFlag...), streams{out: &strings.Builder{}, err: &errb, getenv: func(string) string { return "" }})
		if ok || code != exitUsage || !strings.Contains(errb.String(), wireFlag[0]+" ") || !strings.Contains(errb.String(), wire.DashboardWire+")") {
			t.Errorf("dashboard %v: ok %v, exit %d, stderr %q; want exit 2 naming it", wireFlag, ok, code, errb.String())
		}
	}
}
