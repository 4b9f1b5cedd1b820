package scenarios

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteList checks the listing: every bundled scenario once, the
// default marked, descriptions indented.
func TestWriteList(t *testing.T) {
	var b bytes.Buffer
	if err := WriteList(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, Default+" (default)\n    ") {
		t.Errorf("the default not marked:\n%s", out)
	}
	for _, info := range List() {
		if !strings.Contains(out, info.Name) {
			t.Errorf("%s missing", info.Name)
		}
	}
}

// TestCheck checks validate's lines: ok, a missing file, and a bad field
// with its position.
func TestCheck(t *testing.T) {
	if lines, ok := Check(Default); !ok || len(lines) != 1 || lines[0] != Default+": ok" {
		t.Errorf("%s: %q, %v", Default, lines, ok)
	}
	if lines, ok := Check("nosuch.yaml"); ok || len(lines) == 0 || !strings.HasPrefix(lines[0], "nosuch.yaml") {
		t.Errorf("nosuch.yaml: %q, %v", lines, ok)
	}
	src, err := Source(Default)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	text := strings.Replace(string(src), "exchange:", "exchange:\n  bogus_field: 1", 1)
	if err := os.WriteFile(bad, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if lines, ok := Check(bad); ok || len(lines) == 0 || !strings.HasPrefix(lines[0], bad+":") {
		t.Errorf("bad.yaml: %q, %v", lines, ok)
	}
}
