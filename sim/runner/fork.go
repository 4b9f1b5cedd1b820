package runner

import (
	"fmt"
	"math"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// Fork splits the running world in two: from this instant the runner
// advances A, the baseline frozen to the changes made so far, and B, an
// exact clone of it, in lock-step over the same virtual intervals. Every
// change applied while forked goes to B only, and frames carry A's
// snapshot and the paired differences B − A (Frame.Fork). Refused while
// already forked.
type Fork struct{}

// Unfork ends the fork and keeps B, the variant, as the world; A is
// dropped.
type Unfork struct{}

func (Fork) command()   {}
func (Unfork) command() {}

// ForkFrame is a forked run's side of a frame.
type ForkFrame struct {
	// A is the baseline's snapshot: at the same virtual instant as the
	// frame's (B's) snapshot when paused, and at most one slice behind it
	// while running (the differences are always paired).
	A *sim.Snapshot
	// At is when the fork was made; Every the length of the paired
	// intervals; Batch the shortest batch of them (sim.Fork.Batch): no
	// difference has an interval before At + 2·Batch.
	At, Every, Batch sim.Time
	// Waits names a goal bidder whose memory waits for its first
	// conversions (sim.Fork.MemoryWaits): until they are due, Batch is
	// only a floor, so no instant of a first interval can be told.
	Waits string
	// Differences are B − A since the fork for each compared metric
	// (sim.ForkMetrics), with 95% intervals from the paired per-interval
	// differences.
	Differences []sim.Difference
}

// forkState is the runner's fork while one runs; the engine B is r.eng.
type forkState struct {
	f  *sim.Fork
	at sim.Time
	// synced: A stands where B does, with every paired interval up to
	// there added. B runs ahead by at most one slice, and never past the
	// next interval boundary before A has caught up.
	synced bool
}

// startFork forks the engine: A keeps the engine so far, B (a clone)
// becomes the runner's engine, so that Apply, the stop and the frames'
// snapshot follow it.
func (r *Runner) startFork() {
	if r.fork != nil {
		r.warn("already forked: c again ends the fork")
		return
	}
	f := sim.NewFork(r.eng, 0, nil)
	r.fork = &forkState{f: f, at: r.eng.Now(), synced: true}
	r.eng = f.B
	r.diverged = true // a restart replays B's log, not a stale one
	r.info(fmt.Sprintf("forked at %s: A is the baseline, changes now go to B", time.Duration(r.eng.Now()).Round(time.Millisecond)))
}

// endFork keeps B and drops A.
func (r *Runner) endFork() {
	if r.fork == nil {
		r.warn("not forked")
		return
	}
	r.fork = nil
	r.info("fork ended: B runs on, A is dropped")
}

// nextBoundary is the first paired-interval boundary after B's clock.
func (r *Runner) nextBoundary() sim.Time {
	fs := r.fork
	every := fs.f.Every
	k := (r.eng.Now()-fs.at)/every + 1
	if k > (never-fs.at)/every {
		return never
	}
	return fs.at + k*every
}

// syncFork runs A up to B in a slice of at most maxEvents events; true
// once A has caught up.
func (r *Runner) syncFork(maxEvents uint64) bool {
	fs := r.fork
	if !fs.synced {
		fs.synced = fs.f.RunSlice(r.eng.Now(), maxEvents)
	}
	return fs.synced
}

// forkSlice runs the fork one slice toward the virtual time target: B
// first, up to the target, the world's stop or the next paired interval's
// boundary, whichever comes first, then A up to where B stands. So a stop
// by auctions is exact (B's count), and both engines pass each boundary
// before either goes beyond it.
func (r *Runner) forkSlice(target sim.Time) {
	if !r.syncFork(r.slice) {
		return
	}
	stop := sim.Stop{Duration: min(target, r.nextBoundary())}
	if r.armed {
		stop.Auctions = r.world.Stop.Auctions
		if d := r.world.Stop.Duration; d > 0 {
			stop.Duration = min(stop.Duration, d)
		}
	}
	r.eng.RunStop(stop, r.slice)
	r.fork.synced = false
	r.syncFork(r.slice)
}

// forkStep runs exactly one more auction of B, and A to the same instant.
func (r *Runner) forkStep() {
	r.syncFork(math.MaxUint64)
	want := r.eng.Auctions() + 1
	for r.eng.Auctions() < want {
		r.eng.RunTo(r.nextBoundary(), want)
		r.fork.synced = false
		r.syncFork(math.MaxUint64)
	}
}

// forkFrame is the fork's part of a frame, or nil when not forked.
func (r *Runner) forkFrame() *ForkFrame {
	fs := r.fork
	if fs == nil {
		return nil
	}
	if !r.running() {
		// Paused or ended: A at B's instant, so that what the frame
		// shows and exports of the two sides compares like with like.
		r.syncFork(math.MaxUint64)
	}
	return &ForkFrame{A: fs.f.A.Snapshot(), At: fs.at, Every: fs.f.Every, Batch: fs.f.Batch(), Waits: fs.f.MemoryWaits(), Differences: fs.f.Differences()}
}

// forkSynced reports whether A stands where B does; true when not forked.
func (r *Runner) forkSynced() bool { return r.fork == nil || r.fork.synced }
