package report

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exportAt writes a short run of classroom-vickrey (a second-price
// auction, no latency) to dir/name and returns its text.
func exportAt(t *testing.T, dir, name string) string {
	t.Helper()
	sc := shortVickrey(t)
	run, err := Execute(context.Background(), sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := Write(path, run.Snap, run.Meta()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// replayFile loads and replays the export at path.
func replayFile(t *testing.T, path string) (*Run, error) {
	t.Helper()
	sc, rep, err := LoadReplay(context.Background(), path)
	if err != nil {
		return nil, err
	}
	return Execute(context.Background(), sc, rep, nil)
}

// TestReplayEditedPrices: an export whose embedded scenario was edited
// in a way that keeps every event (a floor, the bidders' values) reaches
// the point with the file's events and auctions, at other prices. It
// used to replay without a word, another run's figures presented as the
// export's; it is refused as diverged, naming the file's revenue line.
func TestReplayEditedPrices(t *testing.T) {
	dir := t.TempDir()
	export := exportAt(t, dir, "run.json")
	if _, err := replayFile(t, filepath.Join(dir, "run.json")); err != nil {
		t.Fatalf("the export as written: %v", err)
	}
	// classroom-vickrey has a floor of 0: raise it in the embedded YAML.
	const from, to = `floor: 0\n  increment`, `floor: 0.3\n  increment`
	if !strings.Contains(export, from) {
		t.Fatalf("the export's scenario_yaml has no %q to edit", from)
	}
	for name, edited := range map[string]string{
		"floor":   strings.Replace(export, from, to, 1),
		"revenue": strings.Replace(export, `"revenue": `, `"revenue": 1`, 1),
	} {
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := replayFile(t, path)
		var bad BadInput
		if !errors.As(err, &bad) || !strings.Contains(err.Error(), "replay diverged") || !strings.Contains(err.Error(), "exchange.revenue (line ") {
			t.Errorf("%s edited: %v; want a refusal, replay diverged, naming exchange.revenue's line", name, err)
		}
	}
}

// TestReplayBOM: an export saved by an editor that puts a byte order
// mark first (Notepad) replays as the file without it; it was refused
// as "want an object, got 'ï'". Errors after it count the mark's bytes.
func TestReplayBOM(t *testing.T) {
	dir := t.TempDir()
	export := exportAt(t, dir, "run.json")
	path := filepath.Join(dir, "bom.json")
	if err := os.WriteFile(path, []byte("\uFEFF"+export), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := replayFile(t, path); err != nil {
		t.Errorf("with a BOM: %v", err)
	}
	_, err := ReadReplay(strings.NewReader("\uFEFF{]"))
	if err == nil || !strings.Contains(err.Error(), "line 1 (byte 5)") {
		t.Errorf("a BOM then bad JSON: %v; want the error at byte 5 of the file", err)
	}
}
