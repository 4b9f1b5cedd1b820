package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// waitLimit bounds every wait for a frame. Waits end as soon as the frame
// arrives; the limit only turns a hang into a failure.
const waitLimit = 10 * time.Second

// startRunner starts a runner on sc, paused or not, and stops it when the
// test ends.
func startRunner(t *testing.T, sc *scenarios.Scenario, paused bool) *runner {
	t.Helper()
	r, err := newRunner(sc, nil, paused)
	if err != nil {
		t.Fatal(err)
	}
	r.start()
	t.Cleanup(r.stop)
	return r
}

// next returns the next frame.
func next(t *testing.T, r *runner) frame {
	t.Helper()
	select {
	case f := <-r.Frames():
		return f
	case <-time.After(waitLimit):
		t.Fatal("no frame")
	}
	panic("unreachable")
}

// until returns the first frame that satisfies ok.
func until(t *testing.T, r *runner, what string, ok func(frame) bool) frame {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		select {
		case f := <-r.Frames():
			if ok(f) {
				return f
			}
		case <-deadline:
			t.Fatalf("no frame with %s", what)
		}
	}
}

// do sends a command with sequence number seq and returns the first frame
// that has handled it.
func do(t *testing.T, r *runner, seq uint64, c command) frame {
	t.Helper()
	if !r.Send(envelope{Seq: seq, Cmd: c}) {
		t.Fatal("queue full")
	}
	return until(t, r, "the command handled", func(f frame) bool { return f.Ack >= seq })
}

func TestRunnerPausedDoesNotAdvance(t *testing.T) {
	r := startRunner(t, testScenario(), true)
	f := next(t, r)
	if !f.Paused || f.Snap.Now != 0 || f.Gen != 1 || f.Scenario != "test-demo" {
		t.Fatalf("first frame: paused %v now %v gen %d scenario %q", f.Paused, f.Snap.Now, f.Gen, f.Scenario)
	}
	f = do(t, r, 1, setSpeed{Index: speedMax})
	if f.Snap.Now != 0 || f.Snap.Events != 0 || f.Speed != speedMax {
		t.Errorf("paused engine moved: now %v events %d", f.Snap.Now, f.Snap.Events)
	}
	// Paused, the runner sends nothing unasked.
	select {
	case f := <-r.Frames():
		t.Errorf("unasked frame while paused at %v", f.Snap.Now)
	default:
	}
}

func TestRunnerStepsOneAuction(t *testing.T) {
	r := startRunner(t, testScenario(), true)
	next(t, r)
	for i := uint64(1); i <= 3; i++ {
		f := do(t, r, i, stepOne{})
		if got := f.Snap.Exchange.Auctions; got != i {
			t.Fatalf("after %d steps: %d auctions", i, got)
		}
		last := f.Snap.Recent[len(f.Snap.Recent)-1]
		if last.Close != f.Snap.Now {
			t.Errorf("step %d stopped at %v, after the auction closed at %v", i, f.Snap.Now, last.Close)
		}
	}
}

func TestRunnerAppliesChanges(t *testing.T) {
	r := startRunner(t, testScenario(), true)
	next(t, r)
	f := do(t, r, 1, applyChange{sim.SetTmax{Tmax: 100 * sim.Millisecond}})
	if f.Snap.Settings.Tmax != 100*sim.Millisecond || len(f.Snap.Changes) != 1 {
		t.Errorf("tmax %v, %d changes", f.Snap.Settings.Tmax, len(f.Snap.Changes))
	}
	f = do(t, r, 2, applyChange{sim.SetTmax{Tmax: 0}})
	if len(f.Notes) != 1 || !f.Notes[0].Warn || !strings.HasPrefix(f.Notes[0].Text, "refused") {
		t.Errorf("an invalid change gave notes %+v", f.Notes)
	}
	if f.Snap.Settings.Tmax != 100*sim.Millisecond || len(f.Snap.Changes) != 1 {
		t.Errorf("an invalid change changed the engine: tmax %v, %d changes", f.Snap.Settings.Tmax, len(f.Snap.Changes))
	}
}

// TestRunnerRestartReplays runs 300 auctions with two live changes,
// restarts, runs 300 again and expects the very same run.
func TestRunnerRestartReplays(t *testing.T) {
	r := startRunner(t, testScenario(), true)
	next(t, r)
	seq := uint64(0)
	cmd := func(c command) frame { seq++; return do(t, r, seq, c) }
	steps := func(n int) (f frame) {
		for range n {
			f = cmd(stepOne{})
		}
		return f
	}
	steps(100)
	cmd(applyChange{sim.SetFloor{Floor: 1}})
	steps(100)
	cmd(applyChange{sim.ScaleLatency{Bidder: "laggard", Factor: 0.5}})
	want := steps(100).Snap

	f := cmd(restart{})
	if f.Gen != 2 || f.Snap.Now != 0 || f.Snap.Exchange.Auctions != 0 {
		t.Fatalf("after restart: gen %d now %v auctions %d", f.Gen, f.Snap.Now, f.Snap.Exchange.Auctions)
	}
	if len(f.Notes) == 0 || !strings.Contains(f.Notes[0].Text, "replaying 2 change(s)") {
		t.Errorf("notes %+v", f.Notes)
	}
	// Restarting again before the replayed changes come round keeps them.
	steps(50)
	f = cmd(restart{})
	if len(f.Notes) == 0 || !strings.Contains(f.Notes[0].Text, "replaying 2 change(s)") {
		t.Errorf("second restart: notes %+v", f.Notes)
	}
	got := steps(300).Snap
	if got.Now != want.Now || got.Exchange != want.Exchange || got.Settings != want.Settings {
		t.Errorf("the replay differs:\n got now %v %+v\nwant now %v %+v", got.Now, got.Exchange, want.Now, want.Exchange)
	}
	if len(got.Changes) != 2 || got.Changes[0] != want.Changes[0] || got.Changes[1] != want.Changes[1] {
		t.Errorf("changes %+v, want %+v", got.Changes, want.Changes)
	}
}

func TestRunnerLoadsScenario(t *testing.T) {
	r := startRunner(t, testScenario(), true)
	next(t, r)
	f := do(t, r, 1, load{Scenario: otherScenario()})
	if f.Gen != 2 || f.Scenario != "other" || len(f.Snap.Bidders) != 2 {
		t.Errorf("gen %d scenario %q bidders %d", f.Gen, f.Scenario, len(f.Snap.Bidders))
	}
	bad := otherScenario()
	bad.Config.Traffic.QPS = 0
	f = do(t, r, 2, load{Scenario: bad})
	if f.Gen != 2 || len(f.Notes) != 1 || !f.Notes[0].Warn {
		t.Errorf("an invalid scenario: gen %d notes %+v", f.Gen, f.Notes)
	}
}

func TestRunnerSeedOverride(t *testing.T) {
	seed := uint64(99)
	r, err := newRunner(testScenario(), &seed, true)
	if err != nil {
		t.Fatal(err)
	}
	r.start()
	defer r.stop()
	if f := next(t, r); f.Snap.Seed != 99 {
		t.Errorf("seed %d, want 99", f.Snap.Seed)
	}
}

// TestRunnerMaxSpeedAndPause runs flat out, then pauses: the engine stops
// where the pause found it.
func TestRunnerMaxSpeedAndPause(t *testing.T) {
	r := startRunner(t, testScenario(), false)
	if f := do(t, r, 1, setSpeed{Index: speedMax}); f.Speed != speedMax {
		t.Fatalf("speed %d", f.Speed)
	}
	until(t, r, "20 virtual seconds", func(f frame) bool { return f.Snap.Now > 20*sim.Second })
	p := do(t, r, 2, setPaused{Paused: true})
	q := do(t, r, 3, setSpeed{Index: speedNormal})
	if !p.Paused || q.Snap.Now != p.Snap.Now || q.Snap.Events != p.Snap.Events {
		t.Errorf("paused at %v (%d events), then at %v (%d events)", p.Snap.Now, p.Snap.Events, q.Snap.Now, q.Snap.Events)
	}
}

// TestRunnerPacesRealTime checks that 1× is paced rather than flat out:
// after half a second of wall time the virtual clock is nowhere near where
// max speed would take it. (A slow machine can only make it smaller.)
func TestRunnerPacesRealTime(t *testing.T) {
	r := startRunner(t, testScenario(), false)
	start := time.Now()
	f := until(t, r, "half a second", func(f frame) bool { return f.Wall.Sub(start) >= 500*time.Millisecond })
	el := f.Wall.Sub(start)
	if f.Snap.Now <= 0 || f.Snap.Now.Duration() > el+200*time.Millisecond {
		t.Errorf("1×: %v of virtual time in %v", f.Snap.Now, el)
	}
}

// TestRunnerCommandsPromptAtMax checks that a command sent while the engine
// runs flat out is handled within a slice, not at the end of a long batch.
func TestRunnerCommandsPromptAtMax(t *testing.T) {
	r := startRunner(t, testScenario(), false)
	do(t, r, 1, setSpeed{Index: speedMax})
	until(t, r, "a running frame", func(f frame) bool { return f.Snap.Now > 5*sim.Second })
	var worst time.Duration
	for i := uint64(2); i < 12; i++ {
		start := time.Now()
		do(t, r, i, applyChange{sim.SetFloor{Floor: float64(i) / 10}})
		worst = max(worst, time.Since(start))
	}
	t.Logf("slowest command at max speed: %v", worst)
	// Generous: a slice is ~8ms, but the machine is shared.
	if worst > time.Second {
		t.Errorf("a command took %v at max speed", worst)
	}
}

func TestRunnerStopsAtScenarioEnd(t *testing.T) {
	sc := testScenario()
	sc.Stop = scenarios.Stop{Duration: 3 * sim.Second}
	r := startRunner(t, sc, false)
	// The frame that confirms the speed may already be the last one.
	f := do(t, r, 1, setSpeed{Index: speedMax})
	if !f.Ended {
		f = until(t, r, "the end", func(f frame) bool { return f.Ended })
	}
	if f.Snap.Now != 3*sim.Second || f.Paused {
		t.Errorf("ended at %v (paused %v), want 3s", f.Snap.Now, f.Paused)
	}
	if !reachedStop(f) {
		t.Error("reachedStop is false at the end")
	}
	// Space runs on past the end.
	do(t, r, 2, setPaused{Paused: false})
	until(t, r, "time past the end", func(f frame) bool { return f.Snap.Now > 3*sim.Second && !f.Ended })
}

func TestRunnerStopsAtAuctionCount(t *testing.T) {
	sc := testScenario()
	sc.Stop = scenarios.Stop{Auctions: 500}
	r := startRunner(t, sc, false)
	f := do(t, r, 1, setSpeed{Index: speedMax})
	if !f.Ended {
		f = until(t, r, "the end", func(f frame) bool { return f.Ended })
	}
	if f.Snap.Exchange.Auctions != 500 {
		t.Errorf("ended after %d auctions, want 500", f.Snap.Exchange.Auctions)
	}
}

// TestPublishKeepsNewest checks the frame hand-off: an undelivered frame
// is replaced by the newer one, and its notes are kept.
func TestPublishKeepsNewest(t *testing.T) {
	r, err := newRunner(testScenario(), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	r.info("one")
	r.publish(time.Now())
	r.eng.RunAuctions(5)
	r.warn("two")
	r.publish(time.Now())
	f := <-r.frames
	if f.Snap.Exchange.Auctions != 5 {
		t.Errorf("got the older frame (%d auctions)", f.Snap.Exchange.Auctions)
	}
	if len(f.Notes) != 2 || f.Notes[0].Text != "one" || f.Notes[1] != (note{"two", true}) {
		t.Errorf("notes %+v", f.Notes)
	}
}

func TestSpeedLabels(t *testing.T) {
	want := []string{"0.01×", "1/64×", "1/32×", "1/16×", "1/8×", "1/4×", "1/2×", "1×", "2×", "4×", "8×", "16×",
		"32×", "64×", "128×", "256×", "512×", "1024×", "max"}
	for i := range speeds {
		if got := speedLabel(i); got != want[i] {
			t.Errorf("speed %d: %q, want %q", i, got, want[i])
		}
	}
	if speeds[speedNormal] != 1 || speeds[speedMax] != 0 {
		t.Error("speedNormal or speedMax is off")
	}
	for i := 2; i < speedMax; i++ {
		if speeds[i] != 2*speeds[i-1] {
			t.Errorf("speed %d is not ×2 the one before", i)
		}
	}
}

func TestRunRequiresScenario(t *testing.T) {
	if err := Run(Options{}); err == nil {
		t.Error("Run without a scenario succeeded")
	}
}
