package report

import (
	"strings"
	"testing"
)

// TestReplayForkExport: the dashboard's e during an A/B fork writes a
// fork export (baseline, variant, metrics), which has no replay section;
// replaying it says what it is and what to export instead, not that only
// the dashboard's exports replay (it is one: issue 20, item 7).
func TestReplayForkExport(t *testing.T) {
	fork := `{"baseline": {"scenario": "x"}, "variant": {"scenario": "x"}, "fork_seconds": 3, "interval_seconds": 1, "intervals": [], "metrics": {}}`
	_, err := ReadReplay(strings.NewReader(fork))
	if err == nil || !strings.Contains(err.Error(), "A/B fork") || strings.Contains(err.Error(), "only a JSON export") {
		t.Errorf("fork export: %v", err)
	}
	_, err = ReadReplay(strings.NewReader(`{"scenario": "x", "seed": 1}`))
	if err != ErrNoReplay {
		t.Errorf("summary: %v, want ErrNoReplay", err)
	}
}

// TestReplayRepsResult: run --reps --json keeps the run's shape with a
// statistic in place of every number; replayed, its tmax curve's
// statistics used to fail to decode ("not a valid export: tmax_curve:
// json: cannot unmarshal object ..."), which reads as a damaged export.
// It is refused as what it is.
func TestReplayRepsResult(t *testing.T) {
	stat := `{"mean": 120, "sd": 0, "n": 4, "lo": 120, "hi": 120, "alike": true}`
	reps := `{"scenario": "reserve-price", "seed": 1, "partial": false, "replications": 4, "changes": [],
		"tmax_curve": [{"name": "120ms", "tmax_ms": ` + stat + `}], "tmax_advice": {"max_revenue_tmax_ms": ` + stat + `}}`
	_, err := ReadReplay(strings.NewReader(reps))
	if err != ErrRepsResult {
		t.Errorf("replications result: %v, want ErrRepsResult", err)
	}
	// A run's summary with a replay section is still read past its
	// own fields: the flag is the replications result's key alone.
	_, err = ReadReplay(strings.NewReader(`{"scenario": "x", "tmax_curve": [{"tmax_ms": 120}]}`))
	if err != ErrNoReplay {
		t.Errorf("summary: %v, want ErrNoReplay", err)
	}
}

// TestReplayShardFile: a shard (--shard K/N --out) is a header line and
// its items' lines; replayed, it used to read as a damaged export ("data
// after the top-level object"). It is refused as what it is.
func TestReplayShardFile(t *testing.T) {
	shard := `{"format":"auctionsim-shard/2","fingerprint":"ab","k":0,"n":2,"points":1,"replications":4,"spec":{"command":"run"}}
{"point":0,"rep":0,"metrics":{}}
`
	_, err := ReadReplay(strings.NewReader(shard))
	if err != ErrShardFile {
		t.Errorf("shard: %v, want ErrShardFile", err)
	}
}
