package report

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
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
