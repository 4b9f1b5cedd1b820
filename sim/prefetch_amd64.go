package sim

import "unsafe"

// prefetch asks the processor to bring *p's cache line in, without
// waiting for it: a hint, which changes no value.
//
//go:noescape
func prefetch(p *uint64)

// prefetchWrite asks the processor to bring the lines cache lines from p
// in, to be written, without waiting for them: a hint, which changes no
// value.
//
//go:noescape
func prefetchWrite(p unsafe.Pointer, lines int)

// prefetchLines asks the processor to bring the lines cache lines from p
// in, without waiting for them: one call for a span, as a call costs more
// than the hint.
//
//go:noescape
func prefetchLines(p unsafe.Pointer, lines int)
