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
