package runner

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// waitLimit bounds every wait for a frame. Waits end as soon as the frame
// arrives; the limit only turns a hang into a failure, so it is generous:
// under -race on a busy CI machine a run to 60 virtual seconds at max
// speed (TestForkChangeInBOnly) has taken more than 10 s.
const waitLimit = 90 * time.Second

// paceWorld is a small world: four bidders, 200 auctions a second, one of
// them often late.
func paceWorld() World {
	lat := func(median, p99 float64) sim.Dist {
		return sim.LogNormalMedianP99(median*float64(sim.Millisecond), p99*float64(sim.Millisecond))
	}
	cfg := sim.Config{
		Name:     "pace",
		Seed:     7,
		Traffic:  sim.Traffic{QPS: 200},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 120 * sim.Millisecond, Floor: sim.PriceOf(0.5), Increment: sim.PriceOf(0.01)},
		Horizon:  10 * sim.Minute,
		Bidders: []sim.BidderConfig{
			{Name: "swift", Latency: lat(30, 70), Value: sim.Uniform(0.5, 2.5)},
			{Name: "steady", Latency: lat(60, 110), Value: sim.Normal(1.8, 0.5), Budget: &sim.Budget{Total: sim.MoneyOf(5), Pacing: sim.PacingThrottle}},
			{Name: "laggard", Latency: lat(100, 220), Value: sim.Uniform(1, 4)},
		},
	}
	return World{Name: "pace", Config: cfg, Stop: sim.Stop{Duration: 10 * sim.Minute}}
}

// slowWorld closes one auction every ~1000 s of virtual time while a paced
// bidder's controller ticks every millisecond: billions of events between
// two auctions.
func slowWorld() World {
	cfg := sim.Config{
		Name:     "slow",
		Seed:     3,
		Traffic:  sim.Traffic{QPS: 0.001},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Horizon:  1000 * sim.Hour,
		Pacing:   sim.PacingParams{Interval: sim.Millisecond},
		Bidders: []sim.BidderConfig{
			{Name: "paced", Value: sim.Uniform(0, 1), Budget: &sim.Budget{Total: sim.MoneyOf(100), Pacing: sim.PacingMultiplier}},
		},
	}
	return World{Name: "slow", Config: cfg, Stop: sim.Stop{Auctions: 1_000_000}}
}

func start(t *testing.T, w World, o Options) *Runner {
	t.Helper()
	r, err := New(w, o)
	if err != nil {
		t.Fatal(err)
	}
	r.Start()
	t.Cleanup(func() {
		select {
		case <-r.Done():
		default:
			r.Stop()
		}
	})
	return r
}

func next(t *testing.T, r *Runner) Frame {
	t.Helper()
	select {
	case f := <-r.Frames():
		return f
	case <-time.After(waitLimit):
		t.Fatal("no frame")
	}
	panic("unreachable")
}

func until(t *testing.T, r *Runner, what string, ok func(Frame) bool) Frame {
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
func do(t *testing.T, r *Runner, seq uint64, c Command) Frame {
	t.Helper()
	if !r.Send(Envelope{Seq: seq, Cmd: c}) {
		t.Fatal("queue full")
	}
	return until(t, r, "the command handled", func(f Frame) bool { return f.Ack >= seq })
}

// doUntil sends a command and returns the first frame, from the one that
// handled it on, for which ok holds. The frame that acknowledges the
// command may already hold ok (a run at max speed may end before its
// acknowledgement is read: publish replaces an unread frame with a newer
// one), and a runner that has ended and waits for commands sends no
// other: so that frame is checked before waiting for more.
func doUntil(t *testing.T, r *Runner, seq uint64, c Command, what string, ok func(Frame) bool) Frame {
	t.Helper()
	if f := do(t, r, seq, c); ok(f) {
		return f
	}
	return until(t, r, what, ok)
}

// TestPacingBounds runs on a fake clock: after each 100 ms of wall time
// the virtual clock is exactly speed × the wall time elapsed: not ahead of
// it (too fast) and not behind it (too slow).
func TestPacingBounds(t *testing.T) {
	for _, speed := range []float64{1, 4, 0.25, 1.0 / 64} {
		t.Run(SpeedLabel(speed), func(t *testing.T) {
			clk := newFakeClock()
			r := start(t, paceWorld(), Options{Clock: clk, Speed: speed})
			t0 := next(t, r).Wall
			for range 20 {
				clk.advanceAsleep(t, FrameInterval)
				now := clk.Now()
				f := until(t, r, "a frame at "+now.String(), func(f Frame) bool { return !f.Wall.Before(now) })
				want := sim.Time(float64(f.Wall.Sub(t0)) * speed)
				if f.Snap.Now > want {
					t.Fatalf("too fast: %v virtual after %v wall at %v", f.Snap.Now, f.Wall.Sub(t0), SpeedLabel(speed))
				}
				if f.Snap.Now < want-want/100 {
					t.Fatalf("too slow: %v virtual after %v wall at %v", f.Snap.Now, f.Wall.Sub(t0), SpeedLabel(speed))
				}
				if f.Lagging {
					t.Fatal("lagging on a fake clock")
				}
			}
		})
	}
}

// TestPausedDoesNotAdvance: paused at t = 0, however much wall time
// passes, and a paused runner sends nothing unasked.
func TestPausedDoesNotAdvance(t *testing.T) {
	clk := newFakeClock()
	r := start(t, paceWorld(), Options{Clock: clk, Paused: true})
	f := next(t, r)
	if !f.Paused || f.Snap.Now != 0 || f.Gen != 1 || f.World != "pace" {
		t.Fatalf("first frame: paused %v now %v gen %d world %q", f.Paused, f.Snap.Now, f.Gen, f.World)
	}
	clk.Advance(time.Hour)
	f = do(t, r, 1, SetSpeed{Speed: Max})
	if f.Snap.Now != 0 || f.Snap.Events != 0 || !math.IsInf(f.Speed, 1) {
		t.Errorf("paused engine moved: now %v events %d", f.Snap.Now, f.Snap.Events)
	}
	select {
	case f := <-r.Frames():
		t.Errorf("unasked frame while paused at %v", f.Snap.Now)
	case <-time.After(50 * time.Millisecond):
	}
	// Resumed, pacing starts from the resume, not from the start.
	do(t, r, 2, SetSpeed{Speed: 1})
	do(t, r, 3, Pause{Paused: false})
	clk.advanceAsleep(t, FrameInterval)
	now := clk.Now()
	f = until(t, r, "a frame", func(f Frame) bool { return !f.Wall.Before(now) })
	if f.Snap.Now != sim.FromDuration(FrameInterval) {
		t.Errorf("100ms after resuming: %v virtual", f.Snap.Now)
	}
}

func TestStepsOneAuction(t *testing.T) {
	r := start(t, paceWorld(), Options{Paused: true})
	next(t, r)
	for i := uint64(1); i <= 3; i++ {
		f := do(t, r, i, Step{})
		if got := f.Snap.Exchange.Auctions; got != i {
			t.Fatalf("after %d steps: %d auctions", i, got)
		}
		last := f.Snap.Recent[len(f.Snap.Recent)-1]
		if last.Close != f.Snap.Now {
			t.Errorf("step %d stopped at %v, after the auction closed at %v", i, f.Snap.Now, last.Close)
		}
	}
}

func TestAppliesChanges(t *testing.T) {
	r := start(t, paceWorld(), Options{Paused: true})
	next(t, r)
	f := do(t, r, 1, Apply{sim.SetTmax{Tmax: 100 * sim.Millisecond}})
	if f.Snap.Settings.Tmax != 100*sim.Millisecond || len(f.Snap.Changes) != 1 {
		t.Errorf("tmax %v, %d changes", f.Snap.Settings.Tmax, len(f.Snap.Changes))
	}
	f = do(t, r, 2, Apply{sim.SetTmax{Tmax: 0}})
	if len(f.Notes) != 1 || !f.Notes[0].Warn || !strings.HasPrefix(f.Notes[0].Text, "refused") {
		t.Errorf("an invalid change gave notes %+v", f.Notes)
	}
	if f.Snap.Settings.Tmax != 100*sim.Millisecond || len(f.Snap.Changes) != 1 {
		t.Errorf("an invalid change changed the engine: tmax %v, %d changes", f.Snap.Settings.Tmax, len(f.Snap.Changes))
	}
}

// TestRestartReplays runs 300 auctions with two live changes, restarts,
// runs 300 again and expects the very same run.
func TestRestartReplays(t *testing.T) {
	r := start(t, paceWorld(), Options{Paused: true})
	next(t, r)
	seq := uint64(0)
	cmd := func(c Command) Frame { seq++; return do(t, r, seq, c) }
	steps := func(n int) (f Frame) {
		for range n {
			f = cmd(Step{})
		}
		return f
	}
	steps(100)
	cmd(Apply{sim.SetFloor{Floor: sim.PriceOf(1)}})
	steps(100)
	cmd(Apply{sim.ScaleLatency{Bidder: "laggard", Factor: 0.5}})
	want := steps(100).Snap

	f := cmd(Restart{})
	if f.Gen != 2 || f.Snap.Now != 0 || f.Snap.Exchange.Auctions != 0 {
		t.Fatalf("after restart: gen %d now %v auctions %d", f.Gen, f.Snap.Now, f.Snap.Exchange.Auctions)
	}
	if len(f.Notes) == 0 || !strings.Contains(f.Notes[0].Text, "replaying 2 change(s)") {
		t.Errorf("notes %+v", f.Notes)
	}
	// Restarting again before the replayed changes come round keeps them.
	steps(50)
	f = cmd(Restart{})
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

func TestLoadsWorld(t *testing.T) {
	r := start(t, paceWorld(), Options{Paused: true})
	next(t, r)
	other := paceWorld()
	other.Name = "other"
	other.Config.Bidders = other.Config.Bidders[:2]
	f := do(t, r, 1, Load{World: other})
	if f.Gen != 2 || f.World != "other" || len(f.Snap.Bidders) != 2 {
		t.Errorf("gen %d world %q bidders %d", f.Gen, f.World, len(f.Snap.Bidders))
	}
	other.Config.Traffic.QPS = 0
	f = do(t, r, 2, Load{World: other})
	if f.Gen != 2 || len(f.Notes) != 1 || !f.Notes[0].Warn {
		t.Errorf("an invalid world: gen %d notes %+v", f.Gen, f.Notes)
	}
}

// The seed option holds for every world loaded later.
func TestSeedOverride(t *testing.T) {
	seed := uint64(99)
	r := start(t, paceWorld(), Options{Seed: &seed, Paused: true})
	if f := next(t, r); f.Snap.Seed != 99 {
		t.Errorf("seed %d, want 99", f.Snap.Seed)
	}
	if f := do(t, r, 1, Load{World: paceWorld()}); f.Snap.Seed != 99 {
		t.Errorf("after a load: seed %d, want 99", f.Snap.Seed)
	}
}

// TestMaxSpeedAndPause runs flat out, then pauses: the engine stops where
// the pause found it.
func TestMaxSpeedAndPause(t *testing.T) {
	r := start(t, paceWorld(), Options{Speed: Max})
	until(t, r, "20 virtual seconds", func(f Frame) bool { return f.Snap.Now > 20*sim.Second })
	p := do(t, r, 1, Pause{Paused: true})
	q := do(t, r, 2, SetSpeed{Speed: 1})
	if !p.Paused || q.Snap.Now != p.Snap.Now || q.Snap.Events != p.Snap.Events {
		t.Errorf("paused at %v (%d events), then at %v (%d events)", p.Snap.Now, p.Snap.Events, q.Snap.Now, q.Snap.Events)
	}
}

// promptLimit is how long a command may take to be acknowledged in the
// real-time tests: the aim is 200 ms, and a slice is ~8 ms, but the
// machine is shared, so the bound is generous.
const promptLimit = time.Second

// TestPromptWhenAuctionsCloseSlowly: with auctions closing 1000 s of
// virtual time apart and a pacing tick every millisecond, pause and stop
// still act within a slice at max speed.
func TestPromptWhenAuctionsCloseSlowly(t *testing.T) {
	r := start(t, slowWorld(), Options{Speed: Max})
	until(t, r, "a first frame", func(Frame) bool { return true })
	time.Sleep(100 * time.Millisecond) // let the slices grow
	t0 := time.Now()
	f := do(t, r, 1, Pause{Paused: true})
	if took := time.Since(t0); took > promptLimit {
		t.Errorf("pause took %v", took)
	}
	if !f.Paused || f.Snap.Events == 0 {
		t.Errorf("paused %v after %d events", f.Paused, f.Snap.Events)
	}
	do(t, r, 2, Pause{Paused: false})
	time.Sleep(50 * time.Millisecond)
	t0 = time.Now()
	r.Stop()
	if took := time.Since(t0); took > promptLimit {
		t.Errorf("stop took %v", took)
	}
}

// The same world on the fake clock at 1×: each frame interval holds 100
// pacing ticks, the frame comes at once, and a pause is acknowledged in
// the next frame.
func TestSlowAuctionsPacedOnFakeClock(t *testing.T) {
	clk := newFakeClock()
	r := start(t, slowWorld(), Options{Clock: clk})
	t0 := next(t, r).Wall
	for range 5 {
		clk.advanceAsleep(t, FrameInterval)
		now := clk.Now()
		f := until(t, r, "a frame", func(f Frame) bool { return !f.Wall.Before(now) })
		if want := sim.FromDuration(f.Wall.Sub(t0)); f.Snap.Now != want {
			t.Fatalf("virtual %v, want %v", f.Snap.Now, want)
		}
	}
	f := do(t, r, 1, Pause{Paused: true})
	if !f.Paused {
		t.Error("not paused")
	}
}

func TestStopsAtWorldEnd(t *testing.T) {
	w := paceWorld()
	w.Stop = sim.Stop{Duration: 3 * sim.Second}
	r := start(t, w, Options{Speed: Max})
	f := until(t, r, "the end", func(f Frame) bool { return f.Ended })
	if f.Snap.Now != 3*sim.Second || f.Paused || !f.Reached() {
		t.Errorf("ended at %v (paused %v, reached %v), want 3s", f.Snap.Now, f.Paused, f.Reached())
	}
	// Resuming runs on past the end.
	do(t, r, 1, Pause{Paused: false})
	until(t, r, "time past the end", func(f Frame) bool { return f.Snap.Now > 3*sim.Second && !f.Ended })
}

func TestStopsAtAuctionCount(t *testing.T) {
	w := paceWorld()
	w.Stop = sim.Stop{Auctions: 500}
	r := start(t, w, Options{Speed: Max})
	f := until(t, r, "the end", func(f Frame) bool { return f.Ended })
	if f.Snap.Exchange.Auctions != 500 {
		t.Errorf("ended after %d auctions, want 500", f.Snap.Exchange.Auctions)
	}
}

// TestPublishKeepsNewest checks the frame hand-off: an undelivered frame
// is replaced by the newer one, and its notes are kept.
func TestPublishKeepsNewest(t *testing.T) {
	r, err := New(paceWorld(), Options{Paused: true})
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
	if len(f.Notes) != 2 || f.Notes[0].Text != "one" || f.Notes[1] != (Note{"two", true}) {
		t.Errorf("notes %+v", f.Notes)
	}
}

// A panic on the runner's goroutine ends the runner and is kept for its
// owner, with the stack.
func TestPanicIsKept(t *testing.T) {
	r, err := New(paceWorld(), Options{Paused: true})
	if err != nil {
		t.Fatal(err)
	}
	r.hook = func(c Command) {
		if _, ok := c.(Restart); ok {
			panic("boom")
		}
	}
	r.Start()
	next(t, r)
	if r.Err() != nil {
		t.Fatal("error before the panic")
	}
	r.Send(Envelope{Seq: 1, Cmd: Restart{}})
	select {
	case <-r.Done():
	case <-time.After(waitLimit):
		t.Fatal("runner still running after a panic")
	}
	err = r.Err()
	if err == nil || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), "runner.(*Runner).handle") {
		t.Errorf("err = %v", err)
	}
}

func TestSpeeds(t *testing.T) {
	want := []string{"0.01×", "1/64×", "1/32×", "1/16×", "1/8×", "1/4×", "1/2×", "1×", "2×", "4×", "8×", "16×",
		"32×", "64×", "128×", "256×", "512×", "1024×", "max"}
	for i, s := range Speeds {
		if got := SpeedLabel(s); got != want[i] {
			t.Errorf("speed %d: %q, want %q", i, got, want[i])
		}
		if i > 0 && Slower(s) != Speeds[i-1] || i < len(Speeds)-1 && Faster(s) != Speeds[i+1] {
			t.Errorf("steps around %v: %v, %v", s, Slower(s), Faster(s))
		}
	}
	for i := 2; i < len(Speeds)-1; i++ {
		if Speeds[i] != SpeedStep*Speeds[i-1] {
			t.Errorf("speed %d is not ×%d the one before", i, SpeedStep)
		}
	}
	if Faster(3) != 4 || Slower(3) != 2 || Faster(Max) != Max || Slower(MinSpeed) != MinSpeed || SpeedLabel(3) != "3×" {
		t.Error("steps from a speed between the steps")
	}
	for in, want := range map[string]float64{"1": 1, "0.01": 0.01, "1024": 1024, "max": Max, "2.5": 2.5, "4x": 4} {
		if got, err := ParseSpeed(in); err != nil || got != want {
			t.Errorf("ParseSpeed(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"0", "0.001", "2000", "fast", "NaN", "-1", "inf"} {
		if _, err := ParseSpeed(in); err == nil {
			t.Errorf("ParseSpeed(%q) accepted", in)
		}
	}
}
