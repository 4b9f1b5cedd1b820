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

// TestWireRefusesTrafficScale: on the wire each simulated ad request is
// one HTTP call, and a real wire cannot thin traffic, so a traffic.scale
// above 1 is refused up front by run and the dashboard (exit 2, nothing
// run), naming the field and what puts the exchange on the wire
// (--endpoints, --endpoint, a bidder's endpoint). It ran: the closed
// auctions' counts were scaled and the calls sent were not.
func TestWireRefusesTrafficScale(t *testing.T) {
	ep, _ := editedBundled(t, "classroom-vickrey", "bidder ada", "{name: ada,", `{name: ada, endpoint: "http://127.0.0.1:1/openrtb2/ada",`)
	scale := []string{"--set", "traffic.scale=10", "--duration", "2s"}
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"-s", "classroom-vickrey", "--endpoints", "http://127.0.0.1:1"}, "--endpoints"},
		{[]string{"-s", "classroom-vickrey", "--endpoint", "ada=http://127.0.0.1:1/openrtb2/ada"}, "--endpoint"},
		{[]string{"-s", ep}, "bidders.ada.endpoint"},
	} {
		want := "traffic.scale 10 with " + c.flag + ": on the wire each simulated ad request is one HTTP call"
		r := inProcess(append(append([]string{"run"}, c.args...), scale...)...)
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, want) {
			t.Errorf("run %v: exit %d, stdout %d bytes, stderr %q; want exit 2 with %q", c.args, r.code, len(r.stdout), r.stderr, want)
		}
		var errb strings.Builder
		st := streams{out: &strings.Builder{}, err: &errb, getenv: func(string) string { return "" }}
		if _, code, ok := parseTUI(append(c.args, "--set", "stop={duration: 10s}", "--set", "traffic.scale=10"), st); ok || code != exitUsage || !strings.Contains(errb.String(), want) {
			t.Errorf("dashboard %v: ok %v, exit %d, stderr %q; want exit 2 with %q", c.args, ok, code, errb.String(), want)
		}
		// A scale of 1 is none: the dashboard goes on the wire.
		errb.Reset()
		if opts, code, ok := parseTUI(append(c.args, "--set", "stop={duration: 10s}", "--set", "traffic.scale=1"), st); !ok || code != exitOK || opts.Source == nil {
			t.Errorf("dashboard %v, traffic.scale=1: ok %v, exit %d, stderr %q", c.args, ok, code, errb.String())
		}
	}
}
