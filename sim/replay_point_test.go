package sim

import (
	"strings"
	"testing"
)

// TestReplayRefusesAPointNotPassed: a replayed change stands where it was
// applied, after its events and at its instant, with no event due in
// between; a log edited so that a change stands elsewhere (its instant
// before its events' time, or past the next event's; its events moved)
// is refused as a diverged replay naming the change, rather than applied
// with the clock moved back or past events still due, and logged at
// another point than the file's.
func TestReplayRefusesAPointNotPassed(t *testing.T) {
	cfg := world(2, Uniform(0, 1))
	rec := mustNew(t, cfg)
	rec.RunUntil(50 * Millisecond) // between two events: the clock moves on alone
	if err := rec.Apply(SetFloor{Floor: PriceOf(0.3)}); err != nil {
		t.Fatal(err)
	}
	rec.RunUntil(200 * Millisecond)
	end, log := rec.Point(), rec.ChangeLog()
	if len(log) != 1 || log[0].Event < 10 {
		t.Fatalf("recorded %+v: want one change after some events", log)
	}
	replay := func(c AppliedChange) (*Engine, error) {
		cfg := cfg
		cfg.Replay = []AppliedChange{c}
		e := mustNew(t, cfg)
		for {
			done, err := e.RunToPoint(end, 1000)
			if err != nil || done {
				return e, err
			}
		}
	}
	e, err := replay(log[0])
	if err != nil {
		t.Fatalf("the recorded log: %v", err)
	}
	if got := e.ChangeLog(); len(got) != 1 || got[0].At != log[0].At || got[0].Event != log[0].Event {
		t.Fatalf("the recorded log replays as %+v, want %+v", got, log)
	}
	edited := func(at Time, event uint64) AppliedChange {
		c := log[0]
		c.At, c.Event = at, event
		return c
	}
	n := log[0].Event
	for name, c := range map[string]AppliedChange{
		"instant past the next event": edited(150*Millisecond, n),
		"instant before its events":   edited(0, n),
		"events too few":              edited(50*Millisecond, n-5),
		"events too many":             edited(50*Millisecond, n+5),
	} {
		_, err := replay(c)
		if err == nil || !strings.Contains(err.Error(), "replay diverged: replay[0]") {
			t.Errorf("%s (%v after %d events): %v; want a diverged replay naming replay[0]", name, c.At, c.Event, err)
		}
	}
}
