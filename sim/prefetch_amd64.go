package sim

// prefetch asks the processor to bring *p's cache line in, without
// waiting for it: a hint, which changes no value.
//
//go:noescape
func prefetch(p *uint64)
