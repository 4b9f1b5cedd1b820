package tui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/sim"
)

// settleAfter is how long after the last tmax step (t/T, or ←/→ in the
// what-if panel) the tmax it reached is applied: longer than the gap
// between the presses of someone walking the grid, short enough that the
// run follows at once after.
const settleAfter = 700 * time.Millisecond

// pendingTmax is the tmax steps not yet applied. Each t/T on the
// dashboard and in presentation mode, and each ←/→ in the what-if panel,
// moves the mark, the readings and the header at once, but the engine
// gets one change, to where the steps stopped, when the user settles: no step for settleAfter on the Context's clock, enter, or
// any other key. Nine presses from 1 s to 550 ms are then one entry in the
// change log, as :exchange.tmax=550ms is, rather than nine, and a replay,
// which replays the log, runs what the engine ran.
type pendingTmax struct {
	on       bool
	from, to sim.Time  // the tmax before the first step, and the last step's
	last     time.Time // the last step, on the Context's clock
	steps    int       // the steps taken since the last applied
	// seq counts the steps, so that a settle tick knows whether another
	// step came after its own.
	seq uint64
}

// tmaxSettle is the tick a tmax step schedules: if no step came after
// step seq, the pending tmax is applied.
type tmaxSettle struct{ seq uint64 }

// settleTick is the command that delivers tmaxSettle{seq} after d.
func settleTick(seq uint64, d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return tmaxSettle{seq: seq} })
}

// stepPending makes t the pending tmax, shown at once, and schedules its
// settling.
func (c *Context) stepPending(t sim.Time) tea.Cmd {
	p := &c.Trainer.pending
	if !p.on {
		p.on, p.from, p.steps = true, c.Shown.set.Tmax, 0
	}
	p.to, p.last = t, c.now()
	p.steps++
	p.seq++
	c.Shown.set.Tmax = t
	if t == p.from {
		c.Info(fmt.Sprintf("tmax %v, as it is", t))
	} else {
		c.Info(fmt.Sprintf("tmax %v → %v: applied when you stop (enter: now)", p.from, t))
	}
	return settleTick(p.seq, settleAfter)
}

// settlePending applies the pending tmax if step seq was the last and
// settleAfter has passed since it on the Context's clock; else, for the
// last step, it looks again when the rest has passed. Checking the clock
// rather than trusting the tick lets a test decide when the user settled.
func (c *Context) settlePending(seq uint64) tea.Cmd {
	p := &c.Trainer.pending
	if !p.on || seq != p.seq {
		return nil // applied already, or a later step has its own tick
	}
	if left := settleAfter - c.now().Sub(p.last); left > 0 {
		return settleTick(seq, left)
	}
	c.applyPending()
	return nil
}

// applyPending sends the pending tmax, if any, as one change; nothing
// when the steps came back to where they began. It reports whether there
// were steps, whose outcome the status line now says.
func (c *Context) applyPending() bool {
	p := &c.Trainer.pending
	if !p.on {
		return false
	}
	from, to := p.from, p.to
	p.on = false
	if to == from {
		c.Info(fmt.Sprintf("tmax %v, as it was", to))
		return true
	}
	what := fmt.Sprintf("tmax %v → %v", from, to)
	if p.steps > 1 {
		what += fmt.Sprintf(", one change for %d steps", p.steps)
	}
	// Shown goes back to where the steps began until the change is
	// made: a change refused, or dropped on a full queue, leaves it so.
	s := &c.Shown
	s.set.Tmax = from
	c.Change(sim.SetTmax{Tmax: to}, what, func() { s.set.Tmax = to })
	return true
}
