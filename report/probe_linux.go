package report

import (
	"errors"
	"fmt"

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
		// The kernel's own filesystems (/proc, /sys) have no O_TMPFILE
		// either, and access says yes to root there, yet they take no
		// new file: --out /proc/x.json failed once the run was done.
		var st unix.Statfs_t
		if unix.Statfs(dir, &st) == nil {
			if name, ok := kernelFS[int64(st.Type)]; ok {
				return fmt.Errorf("it is on %s, a kernel filesystem: no file can be created there", name)
			}
		}
		return accessW(dir, unix.W_OK|unix.X_OK)
	}
	return err
}

// kernelFS are the filesystems, by statfs magic number, whose directories
// take no file a program creates: what the kernel shows, not storage.
var kernelFS = map[int64]string{
	unix.PROC_SUPER_MAGIC:    "proc",
	unix.SYSFS_MAGIC:         "sysfs",
	unix.CGROUP_SUPER_MAGIC:  "cgroup",
	unix.CGROUP2_SUPER_MAGIC: "cgroup2",
	unix.DEBUGFS_MAGIC:       "debugfs",
	unix.TRACEFS_MAGIC:       "tracefs",
	unix.SECURITYFS_MAGIC:    "securityfs",
	unix.DEVPTS_SUPER_MAGIC:  "devpts",
}
