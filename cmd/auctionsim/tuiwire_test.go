package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/wire"
)

// TestTUIOnTheWireFlags: --endpoints puts the dashboard on the wire (the
// exchange of the scenario, with the seed given, every bidder remote);
// --endpoint one bidder; the flags that pace a simulation and a bad
// endpoint are refused up front, exit 2, nothing started.
func TestTUIOnTheWireFlags(t *testing.T) {
	var errb bytes.Buffer
	st := streams{out: &bytes.Buffer{}, err: &errb, getenv: func(string) string { return "" }}
	opts, code, ok := parseTUI([]string{"-s", "timeout-demo", "--seed", "9", "--endpoints", "http://127.0.0.1:9"}, st)
	if !ok || code != exitOK {
		t.Fatalf("code %d: %s", code, errb.String())
	}
	live, isLive := opts.Source.(*wire.Live)
	if !isLive {
		t.Fatalf("source %T, want the exchange on the wire", opts.Source)
	}
	if s := live.Exchange().Engine().Snapshot(); s.Seed != 9 || s.Name != "timeout-demo" {
		t.Errorf("the exchange's world: seed %d name %q", s.Seed, s.Name)
	}
	if opts, _, ok = parseTUI([]string{"-s", "timeout-demo"}, st); !ok || opts.Source != nil {
		t.Errorf("without --endpoints: source %v, want the simulation", opts.Source)
	}
	if opts, _, ok = parseTUI([]string{"-s", "timeout-demo", "--endpoint", "metro=http://127.0.0.1:9/openrtb2/metro"}, st); !ok || opts.Source == nil {
		t.Errorf("--endpoint: %v %v", ok, opts.Source)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--endpoints", "http://127.0.0.1:9", "--speed", "4"}, "--speed cannot be combined with the dashboard on the wire"},
		{[]string{"--endpoints", "http://127.0.0.1:9", "--paused"}, "--paused cannot be combined"},
		{[]string{"--endpoints", "ftp://127.0.0.1:9"}, `--endpoints "ftp://127.0.0.1:9": not an http:// or https:// URL`},
		{[]string{"--endpoint", "nobody=http://127.0.0.1:9"}, `--endpoint "nobody=http://127.0.0.1:9": no bidder named "nobody"`},
		{[]string{"--endpoint", "swfit=http://127.0.0.1:9"}, `no bidder named "swfit"; did you mean swift?`},
		{[]string{"--endpoint", "metro"}, "want NAME=URL"},
	} {
		errb.Reset()
		_, code, ok := parseTUI(append([]string{"-s", "timeout-demo"}, c.args...), st)
		if ok || code != exitUsage || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: code %d, stderr %q, want %q", c.args, code, errb.String(), c.want)
		}
	}
}
