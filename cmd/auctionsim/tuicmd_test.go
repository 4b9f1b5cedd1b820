package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/theme"
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

// --theme picks the palette (auto by default); a theme it does not know is
// refused with the ones it does.
func TestThemeFlag(t *testing.T) {
	var errb bytes.Buffer
	st := streams{out: &bytes.Buffer{}, err: &errb, getenv: func(string) string { return "" }}
	opts, _, ok := parseTUI([]string{"--theme", "light"}, st)
	if !ok || opts.Theme != theme.LightMode {
		t.Errorf("--theme light: %v %v", ok, opts.Theme)
	}
	opts, _, ok = parseTUI(nil, st)
	if !ok || opts.Theme != theme.Auto {
		t.Errorf("default: %v %v", ok, opts.Theme)
	}
	_, code, ok := parseTUI([]string{"--theme", "sepia"}, st)
	if ok || code != exitUsage || !strings.Contains(errb.String(), "light, dark or auto") {
		t.Errorf("--theme sepia: %d %q", code, errb.String())
	}
	if r := run(t, "", "run", "-s", "timeout-demo", "--auctions", "100", "--theme", "sepia"); r.code != exitUsage || !strings.Contains(r.stderr, "light, dark or auto") {
		t.Errorf("run --theme sepia: %d %q", r.code, r.stderr)
	}
	if r := run(t, "", "run", "-s", "timeout-demo", "--auctions", "100", "--theme", "light"); r.code != exitOK || !strings.Contains(r.stdout, "Bidders") {
		t.Errorf("run --theme light: %d %q", r.code, r.stderr)
	}
}

// --record is refused before the dashboard opens when it is not a .cast
// file, sits in no directory, or names the scenario it runs.
func TestRecordFlag(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../scenarios/bundled/timeout-demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	scen := filepath.Join(dir, "world.cast")
	if err := os.WriteFile(scen, src, 0o644); err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	st := streams{out: &bytes.Buffer{}, err: &errb, getenv: func(string) string { return "" }}
	good := filepath.Join(dir, "demo.cast")
	opts, _, ok := parseTUI([]string{"--record", good}, st)
	if !ok || opts.Record != good {
		t.Fatalf("--record %s: %v %q: %s", good, ok, opts.Record, errb.String())
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--record", filepath.Join(dir, "demo.yaml")}, "must end in .cast"},
		{[]string{"--record", filepath.Join(dir, "none", "demo.cast")}, "none"},
		{[]string{"-s", scen, "--record", scen}, "input"},
	} {
		errb.Reset()
		_, code, ok := parseTUI(c.args, st)
		if ok || code != exitUsage || !strings.Contains(errb.String(), c.want) || !strings.Contains(errb.String(), "--record") {
			t.Errorf("%v: code %d, %q; want 2 and %q", c.args, code, errb.String(), c.want)
		}
	}
	if b, _ := os.ReadFile(scen); !bytes.Equal(b, src) {
		t.Error("the scenario was touched")
	}
}
