package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// textOf is the scenario name's text, read once as the commands read it.
func textOf(t testing.TB, name string) scenarios.Text {
	t.Helper()
	src, err := scenarios.ReadText(name)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// badText is a scenario's text that does not parse.
func badText(t testing.TB) scenarios.Text {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(p, []byte("exchange: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return textOf(t, p)
}
