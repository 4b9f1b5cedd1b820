package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestReplayOlderGrid replays exports of version 2 whose scenario gives
// no tmax_curve, written by auctionsim when the default tmax grid was
// another (testdata, trimmed to what a replay reads and the curve): fixed
// at 20–400 ms (a7f62e6, tmax 150 ms), following tmax as c1a2a8f did
// (from 20 ms, tmax 150 ms off it), and as 855f756 did (prebid-server,
// tmax 1 s: 40, 100, …, 2020 ms). Replayed in this auctionsim's grid
// (30, 50, … ms; 50, 100, … ms) each gave another tmax curve and advice,
// exit 0. The replay must give the curve the export holds: its deadlines,
// and at each the auctions, fills, bids, late bids and revenue, and the
// advice read from it.
func TestReplayOlderGrid(t *testing.T) {
	for _, name := range []string{"tmax150-fixed-grid-a7f62e6", "tmax150-follow-grid-c1a2a8f", "prebid-server-follow-grid-855f756"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			want := curveOf(t, data)
			if len(want["tmax_curve"].([]any)) == 0 {
				t.Fatal("the export has no tmax curve")
			}
			// The grid this auctionsim would have given it is another, or
			// the test shows nothing.
			rep, err := ReadReplay(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			sc, err := scenarios.Parse("export", rep.YAML)
			if err != nil {
				t.Fatal(err)
			}
			var export struct {
				Replay struct {
					ScenarioYAML string `json:"scenario_yaml"`
				} `json:"replay"`
			}
			if err := json.Unmarshal(data, &export); err != nil {
				t.Fatal(err)
			}
			as, err := scenarios.Parse("export", []byte(export.Replay.ScenarioYAML))
			if err != nil {
				t.Fatal(err)
			}
			if g := sim.FollowGrid(as.Config.Exchange.Tmax); g == sc.Config.Exchange.TmaxCurve {
				t.Fatalf("the export's grid %v is this auctionsim's: it tests nothing", g)
			}
			if sc, err = sc.WithSeed(rep.Seed).WithStop(rep.Stop); err != nil {
				t.Fatal(err)
			}
			cfg := sc.Config
			cfg.Name, cfg.Replay = rep.Scenario, rep.Changes
			eng, err := sim.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := eng.RunToPoint(rep.Point, math.MaxUint64); !ok || err != nil {
				t.Fatalf("replay to %+v: %v %v", rep.Point, ok, err)
			}
			var out bytes.Buffer
			if err := WriteJSON(&out, eng.Snapshot(), Meta{Scenario: rep.Scenario, ScenarioYAML: rep.YAML, Stop: rep.Stop, Horizon: rep.Horizon}); err != nil {
				t.Fatal(err)
			}
			// What later versions add (the net revenue, the advice) is
			// not in the older exports.
			got := restrict(curveOf(t, out.Bytes()), want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the replay's tmax curve differs from the export's:\n got %v\nwant %v", got, want)
			}
		})
	}
}

// curveOf is an export's tmax curve and advice, each point's figures
// kept but its wait (a histogram's, whose percentiles older versions gave
// as a bucket's top: boundLatencies).
func curveOf(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	if a, ok := m["tmax_advice"]; ok {
		out["tmax_advice"] = a
	}
	pts, _ := m["tmax_curve"].([]any)
	for _, p := range pts {
		for k := range p.(map[string]any) {
			if strings.HasPrefix(k, "wait_ms") {
				delete(p.(map[string]any), k)
			}
		}
	}
	out["tmax_curve"] = pts
	return out
}

// TestReplayGridKept checks that ReadReplay leaves the scenario of an
// export as written where its grid needs no help: one made by this
// auctionsim (the curve is the default grid's), one whose curve was cut
// from the file (nothing to follow), and one whose log changes tmax and
// whose curve is the grid this auctionsim follows the new tmax with (the
// grid moved as its engine moves it). And that a curve whose deadlines
// are no grid is refused, naming its line.
func TestReplayGridKept(t *testing.T) {
	export := testdataExport(t, "prebid-server-follow-grid-855f756.json")
	yaml := export["replay"].(map[string]any)["scenario_yaml"].(string)
	sc, err := scenarios.Parse("export", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	points := func(g sim.TmaxGrid) []any {
		var pts []any
		for k := range g.Len() {
			pts = append(pts, map[string]any{"tmax_ms": float64(g.At(k)) / float64(sim.Millisecond)})
		}
		return pts
	}
	mine := points(sim.FollowGrid(sc.Config.Exchange.Tmax))
	curve := export["tmax_curve"]
	read := func(t *testing.T) (*Replayable, error) {
		t.Helper()
		edited, err := json.Marshal(export)
		if err != nil {
			t.Fatal(err)
		}
		return ReadReplay(bytes.NewReader(edited))
	}
	for _, c := range []struct {
		name string
		edit func()
	}{
		{"this auctionsim's grid", func() { export["tmax_curve"] = mine }},
		{"no curve", func() { delete(export, "tmax_curve") }},
		{"tmax changed", func() {
			export["tmax_curve"] = points(sim.FollowGrid(900 * sim.Millisecond))
			export["changes"] = []any{map[string]any{"kind": "tmax", "value": 900, "set": map[string]string{"exchange.tmax": "900ms"}, "at_ns": 1, "event": 1}}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.edit()
			rep, err := read(t)
			if err != nil {
				t.Fatal(err)
			}
			if string(rep.YAML) != yaml {
				t.Errorf("the scenario was changed:\n%s", rep.YAML)
			}
		})
	}
	// The curve's line, as MarshalIndent writes it.
	line := func(t *testing.T) int {
		t.Helper()
		text, err := json.MarshalIndent(export, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		return 1 + bytes.Count(text[:bytes.Index(text, []byte(`"tmax_curve": [`))], []byte{'\n'})
	}
	readIndented := func(t *testing.T) error {
		t.Helper()
		text, err := json.MarshalIndent(export, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		_, err = ReadReplay(bytes.NewReader(text))
		return err
	}
	t.Run("no grid", func(t *testing.T) {
		export["changes"] = []any{}
		pts := curve.([]any)
		export["tmax_curve"] = append([]any{map[string]any{"tmax_ms": 1.5}}, pts...)
		want := fmt.Sprintf("line %d: tmax_curve: its deadlines are not a grid", line(t))
		if err := readIndented(t); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a curve that is no grid: %v, want %q", err, want)
		}
	})
	// A censored curve holds its grid's first points: on this auctionsim's
	// grid it is kept; on another, the rest of that grid is unknown.
	export["tmax_curve_censored_above_ms"] = 250
	t.Run("censored, this grid", func(t *testing.T) {
		export["tmax_curve"] = mine[:5]
		rep, err := read(t)
		if err != nil {
			t.Fatal(err)
		}
		if string(rep.YAML) != yaml {
			t.Errorf("the scenario was changed:\n%s", rep.YAML)
		}
	})
	t.Run("censored, another grid", func(t *testing.T) {
		export["tmax_curve"] = curve.([]any)[:5]
		want := fmt.Sprintf("line %d: tmax_curve: its 5 deadlines (from 40ms) are not those of the default grid", line(t))
		if err := readIndented(t); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a censored curve on another grid: %v, want %q", err, want)
		}
	})
}

// TestReplayMovedGridRefused replays an export by c1a2a8f (testdata,
// trimmed as above) whose script moves tmax from 150 ms to 350 ms: that
// engine's grid followed tmax from 20 ms (20, 40, … ms, then to 700 ms),
// and moved at the change, its curve starting afresh; this one's would be
// 30, 50, … ms, and how that engine's moved cannot be rebuilt from the
// log. The file is refused, naming the curve's line, not replayed to
// another curve with exit 0.
func TestReplayMovedGridRefused(t *testing.T) {
	const name = "testdata/tmax-moved-follow-grid-c1a2a8f.json"
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	line := 1 + bytes.Count(data[:bytes.Index(data, []byte(`"tmax_curve": [`))], []byte{'\n'})
	_, err = ReadReplay(bytes.NewReader(data))
	if want := fmt.Sprintf("line %d: tmax_curve: its 35 deadlines (20ms to 700ms) are on no grid", line); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
	// The same log with the tmax this auctionsim's grid starts from and
	// moves to: the curve, 20 … 700 ms, is FollowGrid's for no tmax of
	// the run, so nothing but the grid's history refuses it.
	for _, tmax := range []sim.Time{150 * sim.Millisecond, 350 * sim.Millisecond} {
		if g := sim.FollowGrid(tmax); g.From == 20*sim.Millisecond && g.To == 700*sim.Millisecond {
			t.Fatalf("FollowGrid(%v) is the export's grid: the test shows nothing", tmax)
		}
	}
}

// TestReplayThisGridKept checks that an export by this auctionsim is
// replayed in its own scenario, untouched, whatever its grid: the default
// one for a tmax off the 20 ms grid, a long tmax, and a curve the skip
// rule of tmax_adjustments censored (it holds the grid's first points
// only).
func TestReplayThisGridKept(t *testing.T) {
	for _, c := range []struct {
		name     string
		sets     []scenarios.Set
		censored bool
	}{
		{"timeout-demo", []scenarios.Set{{Path: "exchange.tmax", Value: "150ms"}}, false},
		{"prebid-server", nil, false},
		{"prebid-server", []scenarios.Set{{Path: "exchange.tmax", Value: "60ms"}}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			sets := append(c.sets, scenarios.Set{Path: "stop", Value: "{auctions: 1000}"})
			sc, err := scenarios.Pick{Name: c.name, Sets: sets}.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			run, err := Execute(t.Context(), sc, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := run.Snap.TmaxCurveCensoredAbove != 0; got != c.censored {
				t.Fatalf("censored %v, want %v: the case tests another", got, c.censored)
			}
			var out bytes.Buffer
			meta := run.Meta()
			if err := WriteJSON(&out, run.Snap, meta); err != nil {
				t.Fatal(err)
			}
			rep, err := ReadReplay(&out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(rep.YAML, meta.ScenarioYAML) {
				t.Errorf("the scenario was changed:\n%s", rep.YAML)
			}
		})
	}
}
