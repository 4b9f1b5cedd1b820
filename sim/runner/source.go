package runner

// Source is what a dashboard runs on: it takes commands and publishes
// frames. A Runner is one, pacing a simulated engine against its clock;
// another driver of an engine can be one too (the exchange on the wire,
// wire.Live, whose clock is the wall clock and whose bidders answer over
// HTTP). Send never blocks; Frames delivers the newest frame, older
// undelivered ones replaced; Done closes when the source has stopped, by
// Stop or by a panic, which Err then returns.
type Source interface {
	// Start starts the source's goroutine; call it once.
	Start()
	// Stop ends it and waits for it; call it once, after Start.
	Stop()
	Send(Envelope) bool
	Frames() <-chan Frame
	Done() <-chan struct{}
	Err() error
}

var _ Source = (*Runner)(nil)
