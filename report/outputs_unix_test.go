//go:build unix

package report

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestOutputsInPlaceChecked: an output written in place (a device, a
// pipe, a socket) is checked up front as a file is: one that cannot be
// opened for writing was found only once the run was done. A socket
// cannot be opened at all (as root too), and is refused as one; a named pipe with no reader yet
// passes, without the check waiting for one; a device passes.
func TestOutputsInPlaceChecked(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "s.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("no unix socket: %v", err)
	}
	defer l.Close()
	// Said as a socket, not in the system's words for the failed open
	// ("no such device or address"), through a link too.
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(sock, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{sock, link} {
		err = (&Outputs{}).Add("--out", p).Check()
		if err == nil || !strings.Contains(err.Error(), "--out "+p+": is a Unix socket") || strings.Contains(err.Error(), "no such device") {
			t.Errorf("a socket: %v; want refused naming --out, saying it is a socket", err)
		}
	}
	fifo := filepath.Join(dir, "p")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := (&Outputs{}).Add("--out", fifo).Add("--plot", os.DevNull).Check(); err != nil {
		t.Errorf("a named pipe without a reader yet and %s: %v", os.DevNull, err)
	}
	if os.Geteuid() == 0 {
		return // root writes to anything
	}
	ro := filepath.Join(dir, "ro")
	if err := syscall.Mkfifo(ro, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := (&Outputs{}).Add("--out", ro).Check(); err == nil || !strings.Contains(err.Error(), "--out "+ro+": cannot write to it") {
		t.Errorf("a read-only named pipe: %v; want refused naming --out", err)
	}
}

// TestOutputsRefuseStdoutFile: an output that is the regular file
// standard output goes to (`--out /dev/stdout > f`, `--out f > f`) is
// refused up front: replaced atomically, it lost the table the command
// had printed to stdout. A device on stdout (/dev/null) is written into
// in turn, as before.
func TestOutputsRefuseStdoutFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, link, "/dev/fd/" + strconv.Itoa(int(f.Fd()))} {
		err := (&Outputs{stdout: f}).Add("--out", p).Check()
		if err == nil || !strings.Contains(err.Error(), "--out "+p+" is the file standard output goes to") {
			t.Errorf("--out %s with stdout %s: %v; want refused", p, path, err)
		}
	}
	if err := (&Outputs{stdout: f}).Add("--out", filepath.Join(dir, "other.json")).Check(); err != nil {
		t.Errorf("another file: %v", err)
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if err := (&Outputs{stdout: null}).Add("--out", os.DevNull).Check(); err != nil {
		t.Errorf("--out %s with stdout %s: %v", os.DevNull, os.DevNull, err)
	}
}
