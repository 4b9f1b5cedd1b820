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

// TestReplayVersion1 replays exports of version 1 and checks that the
// replay ends in the summary the export holds, number for number; only
// what later versions add (each change's set, the replay's version, and
// in the oldest files the wait and the other waiting figures) and the
// wall time differ, and the latency and wait figures that version 1 gave
// above the longest time (boundLatencies). Version 1 was written by two
// engines, both with a fixed default tmax grid, which ReadReplay gives
// each world: until 4aa89ea auctions were held open to their deadline
// (commit 094a4e7: every kind of change by hand on budget-split, a
// script and changes by hand on timeout-story); from 4aa89ea until
// 071c165 they closed early, as now, and the export has exchange.wait_ms
// (timeout-story to past its script's first step, by 4aa89ea: held open,
// its replay diverges; timeout-demo, by b1af0c7: held open, it replays
// to another wait, silently).
func TestReplayVersion1(t *testing.T) {
	for _, c := range []struct {
		name    string
		held    bool // written by the engine that held auctions open
		changes bool // the log has changes to replay
	}{
		{"budget-split-v1", true, true},
		{"timeout-story-v1", true, true},
		{"timeout-story-v1-close-early", false, true},
		{"timeout-demo-v1-close-early", false, false},
	} {
		name := c.name
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			rep, err := ReadReplay(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			sc, err := scenarios.Parse("export", rep.YAML)
			if err != nil {
				t.Fatal(err)
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
			// Partial as the export was: the dashboard's e (partial) or a
			// run to its stop.
			var head struct{ Partial bool }
			if err := json.Unmarshal(data, &head); err != nil {
				t.Fatal(err)
			}
			meta := Meta{Scenario: rep.Scenario, Partial: head.Partial, ScenarioYAML: rep.YAML, Stop: rep.Stop, Horizon: rep.Horizon}
			if err := WriteJSON(&out, eng.Snapshot(), meta); err != nil {
				t.Fatal(err)
			}
			// What later versions add (the wait, hangs, net revenue, each
			// bidder's network, the tmax advice) is not in the export: the
			// replay is compared on what the export holds.
			want, got := comparable(t, data), comparable(t, out.Bytes())
			got = restrict(got, want).(map[string]any)
			// The replayed world says how its engine ran: auctions held
			// open to their deadline or not, its fixed default grid.
			if y := got["replay"].(map[string]any)["scenario_yaml"].(string); strings.Contains(y, "close_early: false") != c.held || !strings.Contains(y, "tmax_curve:") {
				t.Errorf("the re-export's scenario does not hold the engine that wrote it (held open: %v):\n%s", c.held, y)
			}
			delete(got["replay"].(map[string]any), "scenario_yaml")
			delete(want["replay"].(map[string]any), "scenario_yaml")
			boundLatencies(t, want, got)
			// Theory is the closed forms of the version that writes the
			// summary, not something the run did: where version 1 had
			// none, a later version may have one (the independent form),
			// or name another reason first.
			if th, ok := want["theory"].(map[string]any); ok && th["applies"] == false {
				delete(want, "theory")
				delete(got, "theory")
			}
			if !reflect.DeepEqual(got, want) {
				for k := range want {
					if !reflect.DeepEqual(got[k], want[k]) {
						t.Errorf("%s differs:\n got %v\nwant %v", k, got[k], want[k])
					}
				}
			}
			if c.changes && len(rep.Changes) == 0 {
				t.Error("no changes to replay")
			}
			// The new export replays too, from its assignments.
			again, err := ReadReplay(bytes.NewReader(out.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range again.Changes {
				if !sameChange(c.Change, rep.Changes[i].Change) && c.Change.Kind() != sim.KindLatency {
					t.Errorf("changes[%d]: read back %v, was %v", i, c.Change, rep.Changes[i].Change)
				}
			}
		})
	}
}

// boundLatencies moves each bidder's latency figures in want, a version
// 1 export, to what the engine now reports of the same response times:
// version 1 gave a histogram bucket's top, up to 1% above the longest
// time (and 1µs for 0); now every percentile is at most the longest time,
// the max exactly (sim.LatencyStats). The export's max must be the top
// of the replay's max's bucket: at most 1% and 1µs above it.
func boundLatencies(t *testing.T, want, got map[string]any) {
	t.Helper()
	wb, gb := want["bidders"].([]any), got["bidders"].([]any)
	for i := range min(len(wb), len(gb)) {
		w, ok := wb[i].(map[string]any)["latency_ms"].(map[string]any)
		g, ok2 := gb[i].(map[string]any)["latency_ms"].(map[string]any)
		if ok && ok2 {
			boundLatency(t, fmt.Sprintf("bidders[%d].latency_ms", i), w, g)
		}
	}
	// The wait, in the files that have it, is the same histogram's.
	w, ok := want["exchange"].(map[string]any)["wait_ms"].(map[string]any)
	g, ok2 := got["exchange"].(map[string]any)["wait_ms"].(map[string]any)
	if ok && ok2 {
		boundLatency(t, "exchange.wait_ms", w, g)
	}
}

// boundLatency moves one latency figure w of a version 1 export to what
// the engine now reports, g (boundLatencies).
func boundLatency(t *testing.T, field string, w, g map[string]any) {
	t.Helper()
	hi, old := g["max"].(float64), w["max"].(float64)
	if !(hi <= old && old <= hi*1.01+0.001) {
		t.Errorf("%s: max %v, the export's %v is no histogram bucket's top above it", field, hi, old)
		return
	}
	w["max"] = hi
	for _, p := range []string{"p50", "p95", "p99"} {
		w[p] = min(w[p].(float64), hi)
	}
}

// restrict is got with only the object keys that want has, at every
// depth.
func restrict(got, want any) any {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return got
		}
		out := map[string]any{}
		for k := range w {
			if v, ok := g[k]; ok {
				out[k] = restrict(v, w[k])
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return got
		}
		out := make([]any, len(g))
		for i := range g {
			out[i] = restrict(g[i], w[i])
		}
		return out
	}
	return got
}

// comparable is an export as JSON values, without what version 2 adds
// and the wall time.
func comparable(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "wall_seconds")
	delete(m["replay"].(map[string]any), "version")
	for _, c := range m["changes"].([]any) {
		delete(c.(map[string]any), "set")
	}
	return m
}

// testdataExport is the export testdata/name, decoded.
func testdataExport(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var export map[string]any
	if err := json.Unmarshal(data, &export); err != nil {
		t.Fatal(err)
	}
	return export
}

// TestReplayVersion1Grid checks that a version 1 replay gives the
// scenario version 1's fixed default tmax grid exactly when the file
// gives no tmax_curve: a description that names the field, or a null,
// leaves it to the default; a grid written stays.
func TestReplayVersion1Grid(t *testing.T) {
	export := testdataExport(t, "budget-split-v1.json")
	replay := export["replay"].(map[string]any)
	yaml := replay["scenario_yaml"].(string)
	v1 := sim.TmaxGrid{From: 20 * sim.Millisecond, To: 400 * sim.Millisecond, Step: 20 * sim.Millisecond}
	mine := sim.TmaxGrid{From: 50 * sim.Millisecond, To: 100 * sim.Millisecond, Step: 50 * sim.Millisecond}
	for _, c := range []struct {
		name, from, to string
		want           sim.TmaxGrid
	}{
		{"as written", "", "", v1},
		{"named in the description", "description: >-\n", "description: |-\n  tmax_curve: the revenue at each tmax.\n", v1},
		{"null", "  tmax: 120ms\n", "  tmax: 120ms\n  tmax_curve: null\n", v1},
		{"given", "  tmax: 120ms\n", "  tmax: 120ms\n  tmax_curve: {from: 50ms, to: 100ms, step: 50ms}\n", mine},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(yaml, c.from) {
				t.Fatalf("the export's scenario has no %q", c.from)
			}
			replay["scenario_yaml"] = strings.Replace(yaml, c.from, c.to, 1)
			edited, err := json.Marshal(export)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := ReadReplay(bytes.NewReader(edited))
			if err != nil {
				t.Fatal(err)
			}
			sc, err := scenarios.Parse("export", rep.YAML)
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.Config.Exchange.TmaxCurve; got != c.want {
				t.Errorf("tmax curve %+v, want %+v", got, c.want)
			}
		})
	}
}
