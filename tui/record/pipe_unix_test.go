//go:build unix

package record

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestRecordIntoPipe checks that --record naming a pipe (through a
// link, as x.cast -> /dev/null would) records into it and leaves it a
// pipe: the .part file renamed over it would replace the node itself.
func TestRecordIntoPipe(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	link := filepath.Join(dir, "link.cast")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until the recording opens the pipe
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		data, _ := io.ReadAll(f)
		got <- data
	}()
	recordHello(t, link)
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the pipe is no longer one: %v, %v", info.Mode(), err)
	}
	select {
	case data := <-got:
		if _, evs := lines(t, data); len(evs) != 1 {
			t.Errorf("the pipe carried %d events, want 1: %q", len(evs), data)
		}
	case <-time.After(time.Minute):
		t.Fatal("nothing came through the pipe")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("files left: %v", entries)
	}
}
