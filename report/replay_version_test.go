package report

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// scriptedExport is a version 2 export of classroom-vickrey with a
// scripted floor change, whose log entry has a set; and the line of its
// replay.version.
func scriptedExport(t *testing.T) ([]byte, int) {
	t.Helper()
	sc, err := scenarios.Pick{Name: "classroom-vickrey", Sets: []scenarios.Set{
		{Path: "stop", Value: "{auctions: 300}"},
		{Path: "script", Value: "[{at: 100ms, set: {exchange.floor: 0.2}}]"},
	}}.Resolve()
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
	data := out.Bytes()
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
