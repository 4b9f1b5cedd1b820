package report

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestCSVPartial checks that an interrupted run's time series CSV says it
// is partial, as its JSON does, in a column every row has (CSVPartial),
// and a run that reached its stop says false. The interruption is the
// context Ctrl-C cancels, done once the run has a few intervals; the file
// is written as run --out writes it (Write with the run's Meta).
func TestCSVPartial(t *testing.T) {
	base, err := scenarios.Bundled("classroom-vickrey")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := base.WithStop(scenarios.Stop{Duration: sim.Minute})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, interrupt := range []bool{true, false} {
		ctx, cancel := context.WithCancel(context.Background())
		pre := func(eng *sim.Engine) error {
			if interrupt {
				eng.RunTo(3*sim.Second, math.MaxUint64) // no auction limit: the stop is by time
				cancel()
			}
			return nil
		}
		res, err := Execute(ctx, sc, nil, nil, pre)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if res.Partial != interrupt || interrupt && res.Snap.Now >= sim.Minute {
			t.Fatalf("interrupted %v: partial %v at %v", interrupt, res.Partial, res.Snap.Now)
		}
		path := filepath.Join(dir, "series.csv")
		if err := Write(path, res.Snap, res.Meta()); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		col := slices.Index(rows[0], CSVPartial)
		if col != len(rows[0])-1 {
			t.Fatalf("header %q: want %q last", rows[0], CSVPartial)
		}
		if len(rows) < 3 {
			t.Fatalf("interrupted %v: %d rows", interrupt, len(rows))
		}
		want := "false"
		if interrupt {
			want = "true"
		}
		for i, r := range rows[1:] {
			if r[col] != want {
				t.Errorf("interrupted %v: row %d has partial %q, want %q", interrupt, i+1, r[col], want)
			}
		}
	}
}
