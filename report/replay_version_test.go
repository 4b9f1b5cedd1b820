package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// scriptedExport is a version 2 export of classroom-vickrey with a
// scripted floor change, whose log entry has a set; and the line of its
// replay.version.
func scriptedExport(t *testing.T) ([]byte, int) {
	t.Helper()
	data := vickreyExport(t, scenarios.Set{Path: "script", Value: "[{at: 100ms, set: {exchange.floor: 0.2}}]"})
	if !bytes.Contains(data, []byte(`"set": {`)) {
		t.Fatalf("the export's change has no set:\n%s", data)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == fmt.Sprintf(`"version": %d,`, ReplayVersion) {
			return data, i + 1
		}
	}
	t.Fatal("no replay.version in the export")
	return nil, 0
}

// vickreyExport is the export of 300 auctions of classroom-vickrey with
// sets.
func vickreyExport(t *testing.T, sets ...scenarios.Set) []byte {
	t.Helper()
	sc, err := scenarios.Pick{Name: "classroom-vickrey", Sets: append([]scenarios.Set{{Path: "stop", Value: "{auctions: 300}"}}, sets...)}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	run, err := Execute(context.Background(), sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteJSON(&out, run.Snap, run.Meta()); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestReplayVersionRelabelled: a version 2 export relabelled version 1
// (or given a version this auctionsim does not read) is refused as it is
// read, naming the line of replay.version. Read as version 1, the file
// was replayed in version 1's world and ended "replay diverged" far from
// the cause, or not at all, replaying another run.
func TestReplayVersionRelabelled(t *testing.T) {
	data, line := scriptedExport(t)
	if _, err := ReadReplay(bytes.NewReader(data)); err != nil {
		t.Fatalf("the export itself: %v", err)
	}
	label := fmt.Sprintf(`"version": %d,`, ReplayVersion)
	for _, tc := range []struct{ version, want string }{
		{"1", fmt.Sprintf("line %d: replay.version 1, but changes[0] has a set", line)},
		{"3", fmt.Sprintf("line %d: replay.version 3: this auctionsim replays versions 1 to 2", line)},
		{"0", fmt.Sprintf("line %d: replay.version 0", line)},
	} {
		relabelled := bytes.Replace(data, []byte(label), []byte(`"version": `+tc.version+`,`), 1)
		_, err := ReadReplay(bytes.NewReader(relabelled))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("version %s: %v; want %q", tc.version, err, tc.want)
		}
	}
	gone := bytes.Replace(data, []byte(label), nil, 1)
	if _, err := ReadReplay(bytes.NewReader(gone)); err == nil || !strings.Contains(err.Error(), "replay.version is missing") {
		t.Errorf("no version: %v", err)
	}
}

// TestReplayVersionRelabelledNoChanges: a version 2 export whose log has
// no change (so no set to betray it) relabelled version 1 is refused by
// its exchange.net_revenue, which version 1 never wrote, naming both
// lines. Read as version 1, it replayed on the fixed grid of version 1's
// engine, not its own, and gave another tmax curve silently.
func TestReplayVersionRelabelledNoChanges(t *testing.T) {
	data := vickreyExport(t)
	if _, err := ReadReplay(bytes.NewReader(data)); err != nil {
		t.Fatalf("the export itself: %v", err)
	}
	label := fmt.Sprintf(`"version": %d,`, ReplayVersion)
	versionLine, netLine := 0, 0
	for i, l := range strings.Split(string(data), "\n") {
		switch {
		case strings.TrimSpace(l) == label:
			versionLine = i + 1
		case strings.HasPrefix(strings.TrimSpace(l), `"net_revenue":`) && netLine == 0:
			netLine = i + 1
		}
	}
	if versionLine == 0 || netLine == 0 {
		t.Fatalf("no replay.version or net_revenue in the export (%d, %d)", versionLine, netLine)
	}
	relabelled := bytes.Replace(data, []byte(label), []byte(`"version": 1,`), 1)
	_, err := ReadReplay(bytes.NewReader(relabelled))
	want := fmt.Sprintf("line %d: replay.version 1, but line %d has exchange.net_revenue", versionLine, netLine)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("relabelled: %v; want %q", err, want)
	}
}

// TestReplayV1CloseEarlyGiven: a version 1 export without the wait
// (exchange.wait_ms) is held open as the engine before 4aa89ea held every
// auction, unless its scenario gives close_early, which only a later
// engine read: then the scenario's value is kept (a file cut by hand).
func TestReplayV1CloseEarlyGiven(t *testing.T) {
	data, err := os.ReadFile("testdata/timeout-demo-v1-close-early.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		given    string // the line added to the scenario's exchange
		wantHeld bool   // the replay's scenario says close_early: false
	}{
		{"", true},
		{"  close_early: true\n", false},
		{"  close_early: false\n", true},
	} {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		delete(doc["exchange"].(map[string]any), "wait_ms")
		r := doc["replay"].(map[string]any)
		y := r["scenario_yaml"].(string)
		if !strings.Contains(y, "exchange:\n") {
			t.Fatal("no exchange section in the scenario")
		}
		r["scenario_yaml"] = strings.Replace(y, "exchange:\n", "exchange:\n"+tc.given, 1)
		cut, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ReadReplay(bytes.NewReader(cut))
		if err != nil {
			t.Fatalf("%q: %v", tc.given, err)
		}
		sc, err := scenarios.Parse("replay", rep.YAML)
		if err != nil {
			t.Fatal(err)
		}
		if held := sc.Config.Exchange.HoldOpen; held != tc.wantHeld {
			t.Errorf("given %q: held open %v, want %v", tc.given, held, tc.wantHeld)
		}
	}
}
