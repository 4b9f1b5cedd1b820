//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd || solaris)

package report

import "os"

// dirWritable reports whether a file can be created in dir by creating
// one and removing it at once. Here no call asks the system without
// creating (as O_TMPFILE or faccessat do elsewhere): a process killed
// between the two can leave a .auctionsim-probe-* file behind.
func dirWritable(dir string) error {
	probe, err := os.CreateTemp(dir, ".auctionsim-probe-*")
	if err != nil {
		return err
	}
	// Closed first: Windows removes no open file.
	probe.Close()
	return os.Remove(probe.Name())
}

// inPlaceWritable reports whether path, a device or a pipe (InPlace),
// can be opened for writing, as writeInPlace opens it after the run:
// opened (without creating or truncating) and closed.
func inPlaceWritable(path string, _ os.FileInfo) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	return f.Close()
}
