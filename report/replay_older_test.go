package report

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestReplayOlderScriptDailyBudgetNull replays an export written by
// auctionsim as it was before a00a28a (446b8ae), trimmed to what a replay
// reads and the bidders' spend and wins: its scenario's script removes the
// whole budget of two bidders with daily budgets (budget: null), which
// that engine took as the total cap removed, the daily budget kept. A
// file's script may no longer say so (budget.total=null does), but the
// export must still replay, to the spend and wins it records.
func TestReplayOlderScriptDailyBudgetNull(t *testing.T) {
	rep := replayOlder(t, "testdata/daily-budget-null-script.json", 2)
	// A file's script is still refused it, pointing at budget.total=null.
	if _, err := scenarios.Parse("file.yaml", rep.YAML); err == nil || !strings.Contains(err.Error(), "budget.total=null") {
		t.Errorf("a file's script removing a daily budget: %v", err)
	}
}

// TestReplayOlderLiveTotalZeroBesideDaily replays an export written by
// auctionsim at 446b8ae (its own code: scenarios.Live.Set, sim.Engine,
// report.Write), trimmed as above: a live bidders.capped.budget.total=0
// (the dashboard's :) beside capped's daily budget, which that version's
// quick route took for a cap of 0, and the engine then spent no more of
// capped's money. A live change may no longer say so (it is refused as
// the file refuses it), but the export must still replay, to the spend and
// wins it records.
func TestReplayOlderLiveTotalZeroBesideDaily(t *testing.T) {
	replayOlder(t, "testdata/daily-total-zero-live.json", 1)
}

// TestReplayOlderScriptTotalNullBesideDaily replays an export written
// by 446b8ae, trimmed as above, whose script sets budget.total: null
// beside capped's daily budget, which that engine applied as a cap of 0
// (logged as budget.total=0, scripted): the replayed script must make that
// same change, or the replay refuses the log as another script's.
func TestReplayOlderScriptTotalNullBesideDaily(t *testing.T) {
	replayOlder(t, "testdata/daily-total-null-script.json", 1)
}

// replayOlder loads the export at path, replays it and checks that every
// bidder ends with the spend and wins the export records, and that the
// replay applied changes changes.
func replayOlder(t *testing.T, path string, changes int) *Replayable {
	t.Helper()
	sc, rep, err := LoadReplay(context.Background(), path)
	if err != nil {
		var bad *ReplayError
		if errors.As(err, &bad) && bad.Scenario != nil {
			t.Fatalf("%v: %v", err, bad.Scenario)
		}
		t.Fatal(err)
	}
	run, err := Execute(context.Background(), sc, rep, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Bidders []struct {
			Name  string  `json:"name"`
			Spend float64 `json:"spend"`
			Wins  uint64  `json:"wins"`
		} `json:"bidders"`
	}
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if len(want.Bidders) != len(run.Snap.Bidders) || len(want.Bidders) == 0 {
		t.Fatalf("%d bidders replayed, the export has %d", len(run.Snap.Bidders), len(want.Bidders))
	}
	for i, w := range want.Bidders {
		g := run.Snap.Bidders[i]
		if g.Name != w.Name || g.Spend.Float() != w.Spend || g.Wins != w.Wins {
			t.Errorf("%s: spend %v, wins %d; the export has %s: %v, %d", g.Name, g.Spend.Float(), g.Wins, w.Name, w.Spend, w.Wins)
		}
	}
	if len(run.Snap.Changes) != changes {
		t.Errorf("%d changes replayed, want %d", len(run.Snap.Changes), changes)
	}
	return rep
}

// TestReplayScriptTotalNullBesideDaily: the same script run by this
// version removes the total cap alone (KeepDaily), and its export replays
// to the same spend and wins too: the older reading is taken only where
// the log says the run had it. The two runs differ, the older capping the
// bidder at 0.
func TestReplayScriptTotalNullBesideDaily(t *testing.T) {
	older := replayOlder(t, "testdata/daily-total-null-script.json", 1)
	sc, err := scenarios.Parse("daily-total-null-script.yaml", older.YAML)
	if err != nil {
		t.Fatal(err)
	}
	want := sim.SetBudget{Bidder: "capped", Unlimited: true, KeepDaily: true}
	if len(sc.Config.Script) != 1 || !reflect.DeepEqual(sc.Config.Script[0].Changes, []sim.Change{want}) {
		t.Fatalf("the script reads %+v, want %v", sc.Config.Script, want)
	}
	run, err := Execute(context.Background(), sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "now.json")
	if err := Write(path, run.Snap, run.Meta()); err != nil {
		t.Fatal(err)
	}
	again, rep, err := LoadReplay(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	replayed, err := Execute(context.Background(), again, rep, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range run.Snap.Bidders {
		if r := replayed.Snap.Bidders[i]; r.Spend != b.Spend || r.Wins != b.Wins {
			t.Errorf("%s: replayed spend %v, wins %d; the run: %v, %d", b.Name, r.Spend.Float(), r.Wins, b.Spend.Float(), b.Wins)
		}
	}
	if c, _ := run.Snap.FindBidder("capped"); c.Spend <= sim.MoneyOf(5.46) {
		t.Errorf("capped spent %v with its total cap removed, no more than under a cap of 0", c.Spend.Float())
	}
}

// TestReplayMeanRateHorizon replays an export written by auctionsim at
// 071c165 (trimmed as above) of budget-split with a daily shape, stopped
// at 3000 auctions: that engine planned the paced budgets' horizon at the
// mean rate (2m35s), before the horizon followed the shape (7ac57fe: the
// night's slower rate, 7m8s now). It was refused ("plans a pacing
// horizon of 7m8.571428571s, the run had 2m35.239327296s"); it replays
// with the horizon it recorded, to the spend and wins it records, which
// the horizon planned now would not give.
func TestReplayMeanRateHorizon(t *testing.T) {
	const path = "testdata/shaped-mean-rate-horizon.json"
	rep := replayOlder(t, path, 0)
	sc, err := scenarios.ParseReplay(path, rep.YAML, false)
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = sc.WithSeed(rep.Seed).WithStop(rep.Stop); err != nil {
		t.Fatal(err)
	}
	if sc.Config.Horizon == rep.Horizon || sc.MeanRateHorizon() != rep.Horizon {
		t.Fatalf("planned %v, at the mean rate %v; the export had %v", sc.Config.Horizon, sc.MeanRateHorizon(), rep.Horizon)
	}
	// The horizon matters: planned now, the budgets pace otherwise.
	now, err := Execute(context.Background(), sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sc.Config.Horizon = rep.Horizon
	then, err := Execute(context.Background(), sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(now.Snap.Bidders, then.Snap.Bidders) {
		t.Error("the two horizons spend alike: the export shows nothing")
	}
}
