//go:build !amd64

package sim

// prefetch is a hint that other processors go without.
func prefetch(*uint64) {}
