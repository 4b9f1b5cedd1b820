package wire

import (
	"fmt"
	"time"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// silentAfter is how long the wire must go without an answer, its calls
// failing, before the dashboard says it stopped answering: long enough
// that the gaps between answers of a quiet scenario do not trip it, short
// enough to say so while the room still looks at the screen.
const silentAfter = sim.Second

// silence watches a wire that has answered for the moment it stops (a
// bidders' server stopped mid-demo) and for the moment it answers again.
// Before, only a wire that never answered was said (Live.unheard): a
// server stopped later showed stale latencies and a growing "refused"
// count, with nothing on the status line, and nothing said when it came
// back.
type silence struct {
	heard  bool     // an answer came
	silent bool     // the wire has been said to have stopped answering
	last   sim.Time // when the answers last grew
	// The totals when the answers last grew.
	answered, failed, refused uint64
}

// observe takes the wire's totals at now (answers in time or late; calls
// failed: HTTP errors, refused connections and timeouts; of them the
// refused connections) and returns what the status line should say, and
// whether as a warning; "" for nothing new.
func (s *silence) observe(now sim.Time, answered, failed, refused uint64) (string, bool) {
	if answered > s.answered || !s.heard && answered > 0 {
		was, since, first := s.silent, s.last, !s.heard
		s.heard, s.silent, s.last = true, false, now
		s.answered, s.failed, s.refused = answered, failed, refused
		switch {
		case was && first:
			// Said never to answer (Live.unheard): the server started late.
			return fmt.Sprintf("the wire answers at %s", seconds(now)), false
		case was:
			return fmt.Sprintf("the wire answers again at %s (no answer for %s)",
				seconds(now), seconds(now-since)), false
		}
		return "", false
	}
	if !s.heard || s.silent || now-s.last < silentAfter || failed-s.failed < unheardAfter {
		return "", false
	}
	s.silent = true
	n, r := failed-s.failed, refused-s.refused
	why := fmt.Sprintf("%s calls failed since, none answered", format.Count(n))
	if r > 0 {
		// The question first: the status line is cut at 80 columns.
		return fmt.Sprintf("the wire stopped answering at %s: is auctionsim bidders still running? (%s, %s refused)",
			seconds(s.last), why, format.Count(r)), true
	}
	return fmt.Sprintf("the wire stopped answering at %s: %s (HTTP errors and timeouts)", seconds(s.last), why), true
}

// seconds writes t to a tenth of a second, as a trainer reads it out
// ("6.8s", not "6.784s").
func seconds(t sim.Time) string { return t.Duration().Round(100 * time.Millisecond).String() }

// unheard marks the wire as said never to have answered (Live.unheard),
// so that its first answer is said too.
func (s *silence) unheard() { s.silent = true }

// since is when the wire last answered where it has answered and has
// been said to have stopped since (runner.Frame.Silent), else 0. A wire
// that stopped at 0 (its last answer in the run's first instant) reads
// as a nanosecond, so that it still reads as stopped.
func (s *silence) since() sim.Time {
	if !s.heard || !s.silent {
		return 0
	}
	return max(s.last, 1)
}
