package summary

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
)

// TestCensoredLatency: a percentile that ranks among the calls the wire
// censored (timed out) reads "> DEADLINE" in the bidders table, and in
// the JSON keeps the deadline beside censored, censored_at_ms and past;
// a bidder with nothing censored has none of the three. (Before, the
// table read the deadline as if measured, 980ms.)
func TestCensoredLatency(t *testing.T) {
	snap := snapshot(t, "swift")
	l := &snap.Bidders[0].Latency
	l.P99, l.P99Past, l.Censored, l.CensoredAt = 980*sim.Millisecond, true, 37, 980*sim.Millisecond
	out := Render(snap, Run{Scenario: "censored"}, Options{})
	var row string
	for _, line := range lines(out) {
		if strings.Contains(line, "│ "+snap.Bidders[0].Name+" ") {
			row = line
		}
	}
	if !strings.Contains(row, "> 980ms") {
		t.Errorf("the censored p99 does not read > 980ms in\n%s", out)
	}
	s := report.NewSummary(snap, report.Meta{})
	b, err := json.Marshal(s.Bidders[0].Latency)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"p99":980,`) || !strings.HasSuffix(string(b), `"censored":37,"censored_at_ms":980,"past":["p99"]}`) {
		t.Errorf("latency_ms %s: want p99 980, censored 37 at 980 ms, past [p99]", b)
	}
	if b, _ := json.Marshal(s.Bidders[1].Latency); strings.Contains(string(b), "censored") || strings.Contains(string(b), "past") {
		t.Errorf("a bidder with nothing censored: %s", b)
	}
}
