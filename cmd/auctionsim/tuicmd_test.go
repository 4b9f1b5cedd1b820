package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim/runner"
)

func TestTUIFlags(t *testing.T) {
	var errb bytes.Buffer
	st := streams{out: &bytes.Buffer{}, err: &errb, getenv: func(string) string { return "" }}
	opts, code, ok := parseTUI([]string{"-s", "reserve-price", "--seed", "7", "--paused", "--speed", "4"}, st)
	if !ok || code != exitOK {
		t.Fatalf("code %d: %s", code, errb.String())
	}
	if opts.Scenario.Name != "reserve-price" || opts.Seed == nil || *opts.Seed != 7 || opts.Scenario.Config.Seed != 7 ||
		!opts.Paused || opts.Speed != 4 {
		t.Errorf("options %+v", opts)
	}
	opts, _, ok = parseTUI([]string{"--speed", "max"}, st)
	if !ok || opts.Speed != runner.Max || opts.Seed != nil || opts.Paused {
		t.Errorf("--speed max: %+v", opts)
	}
	for _, bad := range []string{"0", "2000", "fast"} {
		errb.Reset()
		_, code, ok := parseTUI([]string{"--speed", bad}, st)
		if ok || code != exitUsage || !strings.Contains(errb.String(), "speed") || !strings.Contains(errb.String(), "0.01 to 1024, or max") {
			t.Errorf("--speed %s: code %d, stderr %q", bad, code, errb.String())
		}
	}
}
