//go:build !amd64

package sim

import "unsafe"

// prefetch is a hint that other processors go without.
func prefetch(*uint64) {}

// prefetchWrite is a hint that other processors go without.
func prefetchWrite(unsafe.Pointer, int) {}

// prefetchLines is a hint that other processors go without.
func prefetchLines(unsafe.Pointer, int) {}
