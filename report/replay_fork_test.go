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
