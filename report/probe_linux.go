package report

import (
	"errors"

	"golang.org/x/sys/unix"
)

// dirWritable reports whether a file can be created in dir, leaving
// nothing behind at any moment: an O_TMPFILE file has no name, so a
// process killed while probing leaves no probe file in the user's
// directory. On a filesystem without O_TMPFILE (an older overlayfs, some
// network filesystems) it asks the kernel instead (accessW).
func dirWritable(dir string) error {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
	if err == nil {
		return unix.Close(fd)
	}
	// EOPNOTSUPP: the filesystem has no O_TMPFILE; EISDIR: a kernel
	// without it took the flag for O_DIRECTORY.
	if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EISDIR) || errors.Is(err, unix.EINVAL) {
		return accessW(dir, unix.W_OK|unix.X_OK)
	}
	return err
}
