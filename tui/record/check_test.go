package record

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckPath checks each refusal of a --record path, and that a good
// one passes.
func TestCheckPath(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "w.yaml")
	if err := os.WriteFile(in, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	busy := filepath.Join(dir, "busy.cast")
	if err := os.Mkdir(busy+PartSuffix, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "ok.cast"), ""},
		{filepath.Join(dir, "OK.CAST"), ""},
		{filepath.Join(dir, "x.txt"), "the file name must end in .cast"},
		{filepath.Join(dir, "missing", "x.cast"), "--record"},
		{busy, "is a directory"},
	} {
		err := CheckPath(c.path, []string{in})
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v; want %q", c.path, err, c.want)
		}
	}
	link := filepath.Join(dir, "w.cast")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	if err := CheckPath(link, []string{in}); err == nil || !strings.Contains(err.Error(), "overwrite") {
		t.Errorf("a link to the input: %v", err)
	}
}
