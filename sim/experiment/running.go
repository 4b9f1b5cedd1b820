package experiment

import (
	"context"
	"math"
	"sync/atomic"
)

// Running tells how far an experiment's replications have gone between
// their ends: each worker's replication in progress reports the share of
// its stop it has reached, so that progress can say how long a command
// takes before its first replications end (long runs on few workers).
// It is read from any goroutine.
type Running struct {
	shares []atomic.Uint64 // each worker's run in progress: its share done, as float64 bits
	ended  atomic.Int64    // runs ended without an error
}

// NewRunning returns the tracker of an experiment of workers workers.
func NewRunning(workers int) *Running {
	return &Running{shares: make([]atomic.Uint64, max(workers, 1))}
}

// Done is the runs ended plus the shares done of those in progress, in
// runs. A run ended counts whole at once, whether or not the runs before
// it have ended.
func (r *Running) Done() float64 {
	if r == nil {
		return 0
	}
	d := float64(r.ended.Load())
	for i := range r.shares {
		d += math.Float64frombits(r.shares[i].Load())
	}
	return d
}

// share is worker w's slot, which its runs report to.
func (r *Running) share(w int) *atomic.Uint64 {
	if r == nil {
		return nil
	}
	return &r.shares[w%len(r.shares)]
}

// end says worker w's run ended, ok if it made a result.
func (r *Running) end(w int, ok bool) {
	if r == nil {
		return
	}
	r.shares[w%len(r.shares)].Store(0)
	if ok {
		r.ended.Add(1)
	}
}

type shareKey struct{}

// withShare gives a run's context the slot it reports its share to.
func withShare(ctx context.Context, s *atomic.Uint64) context.Context {
	if s == nil {
		return ctx
	}
	return context.WithValue(ctx, shareKey{}, s)
}

// reportShare tells ctx's experiment, if it tracks its runs (Running),
// that the run has done share f (0 to 1) of its work.
func reportShare(ctx context.Context, f float64) {
	if s, ok := ctx.Value(shareKey{}).(*atomic.Uint64); ok {
		s.Store(math.Float64bits(min(max(f, 0), 1)))
	}
}
