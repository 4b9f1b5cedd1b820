package record

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestRecordThroughALink checks that --record naming a symbolic link is
// written through it, as every output is: the link stays and its target
// gets the recording.
func TestRecordThroughALink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.cast")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.cast")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	recordHello(t, link)
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v", err)
	}
	data, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if _, evs := lines(t, data); len(evs) != 1 {
		t.Errorf("the target holds %d events, want 1: %q", len(evs), data)
	}
}

// recordHello records one line, "hello", into path and closes the
// recording, the test failing on an error of either.
func recordHello(t *testing.T, path string) {
	t.Helper()
	r, err := Create(context.Background(), path, 80, 24, "demo", newClock().now)
	if err != nil {
		t.Fatal(err)
	}
	r.Output([]byte("hello\r\n"))
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}
