package runner

import (
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock that moves only when told: pacing tests check
// exact bounds without sleeping. Tests move a running runner's clock with
// advanceAsleep, never with Advance.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, ch: make(chan time.Time, 1), at: c.now.Add(d)}
	if d <= 0 {
		t.ch <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves the clock on by d and fires the timers due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			kept = append(kept, t)
			continue
		}
		t.ch <- c.now
	}
	c.timers = kept
}

// advanceAsleep waits until the runner sleeps on a timer of this clock,
// then advances by d. A runner that is awake reads the clock several times
// in one step (the pacing target, whether a frame is due, the timer's
// length); moving the clock between two of those readings, a jump no real
// clock makes, mixes two times in one step: a frame stamped with the new
// time but holding the engine at the old one, or a timer set a full
// interval after the new time, so that the frame the test awaits never
// comes. A pending timer means the step is over: the runner removes its
// timer whenever it wakes for anything else. The wait ends as soon as the
// timer is set; the limit only turns a hang into a failure.
func (c *fakeClock) advanceAsleep(t *testing.T, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		c.mu.Lock()
		asleep := len(c.timers) > 0
		c.mu.Unlock()
		if asleep {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the runner did not go to sleep within %v", waitLimit)
		}
		time.Sleep(time.Millisecond)
	}
	c.Advance(d)
}

type fakeTimer struct {
	c  *fakeClock
	ch chan time.Time
	at time.Time
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	for i, o := range t.c.timers {
		if o == t {
			t.c.timers = append(t.c.timers[:i], t.c.timers[i+1:]...)
			return true
		}
	}
	return false
}
