package report

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteErrorNamesTheFileOnce: a write that fails (a link to
// /dev/full, written in place) says the file once and keeps the cause for
// errors.Is. It said "write full.json: write JSON: write full.json: no
// space left on device".
func TestWriteErrorNamesTheFileOnce(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.json")
	if err := os.Symlink("/dev/full", full); err != nil {
		t.Fatal(err)
	}
	err := WriteFileAtomic(full, func(w io.Writer) error {
		_, err := w.Write(make([]byte, 1<<16)) // past bufio's buffer: the device's error
		return err
	})
	if err == nil || strings.Count(err.Error(), "full.json") != 1 || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("in place: %v; want full.json once and ENOSPC", err)
	}

}
