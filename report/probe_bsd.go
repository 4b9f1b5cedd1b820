//go:build darwin || dragonfly || freebsd || netbsd || openbsd || solaris

package report

import "golang.org/x/sys/unix"

// dirWritable reports whether a file can be created in dir by asking the
// kernel (accessW), so that no probe file is ever made: one left by a
// process killed while probing would litter the user's directory.
func dirWritable(dir string) error { return accessW(dir, unix.W_OK|unix.X_OK) }
