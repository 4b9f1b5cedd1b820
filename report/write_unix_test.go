//go:build unix

package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWriteIntoPipe checks that an output naming a pipe (here through a
// symbolic link, as --out x.json -> /dev/stdout would) is written into
// it, and that the pipe stays one: a file renamed over it would replace
// the node itself, which for a device such as /dev/null, run as root,
// breaks the machine.
func TestWriteIntoPipe(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	link := filepath.Join(dir, "out.json")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until the write opens the pipe
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		data, _ := io.ReadAll(f)
		got <- string(data)
	}()
	err := WriteFileAtomic(link, func(w io.Writer) error {
		_, err := io.WriteString(w, "through the pipe\n")
		return err
	})
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the pipe is no longer one: %v, %v", info.Mode(), err)
	}
	select {
	case s := <-got:
		if s != "through the pipe\n" {
			t.Errorf("read from the pipe: %q", s)
		}
	case <-time.After(time.Minute):
		t.Fatal("nothing came through the pipe")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("files left: %v", entries)
	}
}

// TestWriteIntoProcessSubstitution checks an output a shell's >(...)
// names, /dev/fd/N: a link to a pipe that names no file on disk, which
// the guard must pass and the write must go into, as it must for
// /dev/stdout. Two outputs into one device (/dev/null twice) pass too.
func TestWriteIntoProcessSubstitution(t *testing.T) {
	if _, err := os.Stat(os.DevNull); err == nil {
		if err := (&Outputs{}).Add("--out", os.DevNull).Add("--openrtb-out", os.DevNull).Check(); err != nil {
			t.Errorf("%s twice: %v", os.DevNull, err)
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	path := fmt.Sprintf("/dev/fd/%d", w.Fd())
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no %s here: %v", path, err)
	}
	if err := (&Outputs{}).Add("--openrtb-out", path).Check(); err != nil {
		t.Fatalf("refused: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		data, _ := io.ReadAll(r)
		got <- string(data)
	}()
	if err := WriteFileAtomic(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "to the reader\n")
		return err
	}); err != nil {
		t.Fatalf("write: %v", err)
	}
	w.Close()
	select {
	case s := <-got:
		if s != "to the reader\n" {
			t.Errorf("read %q", s)
		}
	case <-time.After(time.Minute):
		t.Fatal("nothing came through the pipe")
	}
}

// TestOutputsRefuseReadOnlyDir checks that an output in a directory the
// command cannot write in is refused before the run, naming the flag: the
// atomic write's temporary file failed only once the run was done. Root
// writes anywhere, so the test runs for other users only.
func TestOutputsRefuseReadOnlyDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes in read-only directories")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	err := (&Outputs{}).Add("--out", filepath.Join(dir, "x.json")).Check()
	if err == nil || !strings.Contains(err.Error(), "--out "+filepath.Join(dir, "x.json")+": cannot write in directory "+dir) {
		t.Errorf("a read-only directory: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left in it: %v", entries)
	}
}
