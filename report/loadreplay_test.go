package report

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// shortVickrey is classroom-vickrey stopped after 300 auctions: a run
// to export and replay in a moment.
func shortVickrey(t *testing.T) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Pick{Name: "classroom-vickrey", Sets: []scenarios.Set{{Path: "stop", Value: "{auctions: 300}"}}}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestLoadReplay checks that an export replays to its scenario, seed and
// stop, and that the files that cannot be replayed are refused with why.
func TestLoadReplay(t *testing.T) {
	dir := t.TempDir()
	sc := shortVickrey(t)
	sc = sc.WithSeed(7)
	run, err := Execute(context.Background(), sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "run.json")
	if err := Write(good, run.Snap, run.Meta()); err != nil {
		t.Fatal(err)
	}
	got, rep, err := LoadReplay(context.Background(), good)
	if err != nil || rep == nil || got.Name != sc.Name || got.Config.Seed != 7 || got.Stop != sc.Stop {
		t.Fatalf("replayed %+v, %v", got, err)
	}

	data, _ := os.ReadFile(good)
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte(strings.Replace(string(data), "exchange:", "exchange: [", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		dir:                           "is a directory",
		filepath.Join(dir, "no.json"): "no such file",
		broken:                        "no longer parses",
	} {
		_, _, err := LoadReplay(context.Background(), path)
		var bad *ReplayError
		if !errors.As(err, &bad) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q", path, err, want)
		}
		if path == broken && (bad == nil || bad.Scenario == nil) {
			t.Errorf("%s: the embedded scenario's errors are not kept", path)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := LoadReplay(ctx, good); !errors.Is(err, ErrInterrupted) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestLoadReplayOlderHorizon: a run whose script changes the rate,
// stopped at n auctions, has its horizon planned with the changes; an
// export of auctionsim before that recorded the starting rate's, and
// still replays, with that horizon, as it ran; any other is refused.
func TestLoadReplayOlderHorizon(t *testing.T) {
	src := `name: doubles
stop: {duration: 1m}
traffic: {qps: 100}
exchange: {tmax: 100ms}
bidders:
  - {name: a, value: 1, budget: {total: 5, pacing: throttle}}
  - {name: b, value: 2}
script:
  - at: 2s
    set: {traffic.qps: 200}
`
	sc, err := scenarios.Parse("doubles.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = sc.WithStop(scenarios.Stop{Auctions: 600}); err != nil {
		t.Fatal(err)
	}
	// 200 by 2s, 400 more at 200 qps: 4s; at the starting rate, 6s.
	if sc.Config.Horizon != 4*sim.Second || sc.OlderHorizon() != 6*sim.Second {
		t.Fatalf("horizon %v, older %v", sc.Config.Horizon, sc.OlderHorizon())
	}
	run, err := Execute(context.Background(), sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "run.json")
	if err := Write(path, run.Snap, run.Meta()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	now := fmt.Sprintf(`"horizon_ns": %d`, int64(4*sim.Second))
	if !strings.Contains(string(data), now) {
		t.Fatalf("the export does not record %s", now)
	}
	for h, want := range map[sim.Time]string{4 * sim.Second: "", 6 * sim.Second: "", 5 * sim.Second: "plans a pacing horizon of 4s, the run had 5s"} {
		p := filepath.Join(dir, fmt.Sprintf("h%d.json", h))
		if err := os.WriteFile(p, []byte(strings.Replace(string(data), now, fmt.Sprintf(`"horizon_ns": %d`, int64(h)), 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		got, _, err := LoadReplay(context.Background(), p)
		switch {
		case want == "" && (err != nil || got.Config.Horizon != h):
			t.Errorf("horizon %v: %v, replayed with %v", h, err, got)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("horizon %v: %v, want %q", h, err, want)
		}
	}
}
