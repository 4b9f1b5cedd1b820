//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd || solaris

package report

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// accessW asks the kernel whether the process may use path for mode
// (unix.W_OK …), as the effective user (AT_EACCESS): nothing is opened or
// created.
func accessW(path string, mode uint32) error {
	return unix.Faccessat(unix.AT_FDCWD, path, mode, unix.AT_EACCESS)
}

// inPlaceWritable reports whether path, a device, a pipe or a socket
// (InPlace) whose info is given, can be opened for writing, as
// writeInPlace opens it after the run. A device is opened (without
// creating or truncating) and closed: that also finds one with nothing
// behind it (/dev/tty without a terminal) or a socket, which cannot be
// opened. A named pipe is only asked about (accessW): opening and closing
// it would hand a reader already waiting an end of file, or, without
// one, fail for no fault of the path's.
func inPlaceWritable(path string, info os.FileInfo) error {
	if info.Mode()&os.ModeNamedPipe != 0 {
		return accessW(path, unix.W_OK)
	}
	// O_NONBLOCK: a device that waits to be ready (a modem line) must not
	// hold the check; O_NOCTTY: a terminal must not become the process's.
	f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return err
	}
	return f.Close()
}
