package report

import (
	"encoding/binary"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestOutputsProbeNamesNothing: the check of an output's directory never
// gives a file a name there, even for a moment: a probe file created and
// then removed was left behind when the process was killed in between.
// The directory is watched (inotify) for any entry made, removed or
// moved in while the check runs.
func TestOutputsProbeNamesNothing(t *testing.T) {
	dir := t.TempDir()
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		t.Skipf("no inotify: %v", err)
	}
	defer unix.Close(fd)
	if _, err := unix.InotifyAddWatch(fd, dir, unix.IN_CREATE|unix.IN_DELETE|unix.IN_MOVED_TO); err != nil {
		t.Skipf("no inotify watch: %v", err)
	}
	if err := (&Outputs{}).Add("--out", filepath.Join(dir, "x.json")).Check(); err != nil {
		t.Fatal(err)
	}
	// The events are queued as the calls make them: whatever the check
	// did is there to read now.
	buf := make([]byte, 4096)
	n, err := unix.Read(fd, buf)
	if err != nil && !errors.Is(err, unix.EAGAIN) {
		t.Fatal(err)
	}
	if n >= unix.SizeofInotifyEvent {
		// struct inotify_event: wd, mask, cookie, len, then the name.
		mask, l := binary.NativeEndian.Uint32(buf[4:]), int(binary.NativeEndian.Uint32(buf[12:]))
		name := strings.TrimRight(string(buf[unix.SizeofInotifyEvent:min(n, unix.SizeofInotifyEvent+l)]), "\x00")
		t.Errorf("the check named a file in the output's directory: %q (inotify mask %#x)", name, mask)
	}
}

// TestOutputsKernelFS: an output in /proc (or /sys) passed the check, as
// the kernel answers "writable" to root there, and failed once the run
// was done (no file can be created in a kernel filesystem): it is refused
// up front, saying why, naming the flag.
func TestOutputsKernelFS(t *testing.T) {
	for _, p := range []string{"/proc/x.json", "/sys/x.json"} {
		var st unix.Statfs_t
		if unix.Statfs(filepath.Dir(p), &st) != nil {
			t.Logf("no %s here", filepath.Dir(p))
			continue
		}
		err := (&Outputs{}).Add("--out", p).Check()
		if err == nil || !strings.HasPrefix(err.Error(), "--out "+p+": cannot write in directory") {
			t.Errorf("%s: %v", p, err)
		}
	}
}
