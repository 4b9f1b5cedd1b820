package report

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// TestReplayOldNames replays an export written, unmodified, by auctionsim
// at db5436b, before names that cannot be typed back were refused: its
// scenario is named "old names " (a space at its end), a bidder " lead",
// a bidder and a group "café" written decomposed (not NFC), and Swift
// beside swift, whose script disables swift at 10s. A file with those
// names is refused now, but the export must still replay as it ran: to
// every figure it records (wall_seconds aside).
func TestReplayOldNames(t *testing.T) {
	const path = "testdata/old-names-db5436b.json"
	rep := replayOlder(t, path, 1)

	// A file (and so --set, which edits one) still refuses each name.
	_, err := scenarios.Parse("file.yaml", rep.YAML)
	if err == nil {
		t.Fatal("a file with the names parses")
	}
	for _, says := range []string{
		`name: "old names " begins or ends with a space`,
		`bidders[0].name: " lead" begins or ends with a space`,
		`bidders[1].group: "cafe\u0301" is not in Unicode's composed form`,
		`bidders[2].name: "swift" differs from bidders[1]'s name "Swift" only in case`,
		`bidders[3].name: "cafe\u0301" is not in Unicode's composed form`,
	} {
		if !strings.Contains(err.Error(), says) {
			t.Errorf("a file's errors do not say %q:\n%v", says, err)
		}
	}

	// The replay's export has every figure of the old one.
	sc, rp, err := LoadReplay(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	run, err := Execute(context.Background(), sc, rp, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "again.json")
	if err := Write(out, run.Snap, run.Meta()); err != nil {
		t.Fatal(err)
	}
	var old, again map[string]any
	for p, v := range map[string]*map[string]any{path: &old, out: &again} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatal(err)
		}
	}
	delete(old, "wall_seconds")
	for _, d := range missing(old, again, "") {
		t.Error(d)
	}
}

// missing lists where got lacks or differs from what want holds; fields
// got has beyond want's (added since want was written) are not compared.
func missing(want, got any, at string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %v, want an object", at, got)}
		}
		var out []string
		for k, v := range w {
			out = append(out, missing(v, g[k], at+"."+k)...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: %v, want %d elements", at, got, len(w))}
		}
		var out []string
		for i := range w {
			out = append(out, missing(w[i], g[i], fmt.Sprintf("%s[%d]", at, i))...)
		}
		return out
	}
	if !reflect.DeepEqual(want, got) {
		return []string{fmt.Sprintf("%s: %v, want %v", at, got, want)}
	}
	return nil
}
