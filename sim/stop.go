package sim

import (
	"fmt"
	"math"
)

// Stop ends a run at whichever limit comes first: a number of closed
// auctions or a virtual duration. A zero field is no limit; a Stop with no
// limit is never reached.
type Stop struct {
	Auctions uint64
	Duration Time
}

// IsZero reports whether the stop has no limit at all.
func (st Stop) IsZero() bool { return st.Auctions == 0 && st.Duration <= 0 }

// Reached reports whether a run at virtual time now with auctions closed
// has got to the stop.
func (st Stop) Reached(now Time, auctions uint64) bool {
	return st.Auctions > 0 && auctions >= st.Auctions || st.Duration > 0 && now >= st.Duration
}

// Fraction is how far a run at (now, auctions) is toward the stop, in
// [0, 1]: the larger of the two limits' fractions. It is 0 for a stop with
// no limit.
func (st Stop) Fraction(now Time, auctions uint64) float64 {
	f := 0.0
	if st.Auctions > 0 {
		f = float64(auctions) / float64(st.Auctions)
	}
	if st.Duration > 0 {
		f = max(f, float64(now)/float64(st.Duration))
	}
	return min(max(f, 0), 1)
}

// String describes the stop: "1000000 auctions or 10m0s, whichever comes
// first".
func (st Stop) String() string {
	switch {
	case st.Auctions > 0 && st.Duration > 0:
		return fmt.Sprintf("%d auctions or %v, whichever comes first", st.Auctions, st.Duration)
	case st.Auctions > 0:
		return fmt.Sprintf("%d auctions", st.Auctions)
	case st.Duration > 0:
		return st.Duration.String()
	}
	return "no limit"
}

// RunStop runs toward stop, processing at most maxEvents events, and
// reports whether the stop has been reached. Callers that must answer a
// person (Ctrl-C, a key) call it in slices of events rather than of
// auctions: when auctions close slowly, a slice of auctions can be hours of
// events. A stop with no limit is never reached. A run that has Ended
// counts as having reached its stop: nothing more can happen in it.
func (e *Engine) RunStop(stop Stop, maxEvents uint64) bool {
	if stop.Reached(e.now, e.x.Auctions) || e.Ended() {
		return true
	}
	t, n := never, uint64(math.MaxUint64)
	if stop.Duration > 0 {
		t = stop.Duration
	}
	if stop.Auctions > 0 {
		n = stop.Auctions
	}
	e.runTo(t, n, maxEvents)
	return stop.Reached(e.now, e.x.Auctions) || e.Ended()
}

// Ended reports whether nothing is left to happen: the run has come to
// EndOfTime, where no traffic arrives and pacing stops, and everything in
// flight there has finished.
func (e *Engine) Ended() bool { return e.nextTime() == never }
