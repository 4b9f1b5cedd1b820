package sim

import (
	"testing"
	"unsafe"
)

// TestResponseSize: a Response is 64 bytes, one cache line: the close
// reads every bidder's in turn, and the wire's flags (NoAnswer, Open)
// took the struct's padding rather than a line more.
func TestResponseSize(t *testing.T) {
	if n := unsafe.Sizeof(Response{}); n != 64 {
		t.Errorf("Response is %d bytes, want 64", n)
	}
}
