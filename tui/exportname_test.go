package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportLongScenarioName: a scenario name validation accepts, however
// long or wide, gives an export a file it can create (a 300-character
// name made one past the 255 bytes a file name may take: "file name too
// long"), its characters kept as ASCII.
func TestExportLongScenarioName(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{strings.Repeat("S", 300), strings.Repeat("中文🎯", 100), "../x/y"} {
		base := fmt.Sprintf("auctionsim-%s-%d", safeName(name), uint64(1<<63))
		path, err := reserve(dir, base)
		if err != nil {
			t.Errorf("%.20q…: %v", name, err)
			continue
		}
		if filepath.Dir(path) != dir {
			t.Errorf("%q: exported outside the directory: %s", name, path)
		}
		os.Remove(path)
	}
}
