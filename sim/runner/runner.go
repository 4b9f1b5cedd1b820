package runner

import (
	"fmt"
	"math"
	"runtime/debug"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// FrameInterval is how often a running engine publishes a frame: about
// ten a second is smooth to read and costs the engine almost nothing.
const FrameInterval = 100 * time.Millisecond

// sliceBudget is the wall time one slice of events aims for. Between
// slices the runner reads its commands, so a key takes effect within about
// this long at any speed.
const sliceBudget = 8 * time.Millisecond

// Slice sizes in events: the first, before any timing, and the bounds the
// adaptation keeps to.
const (
	paceFirstSlice = 4096
	paceMinSlice   = 64
	paceMaxSlice   = 1 << 20
)

// maxLag is how far the engine may fall behind its pacing target before
// the runner stops catching up and moves the anchor: the engine is then
// the bottleneck (Frame.Lagging), and no debt builds up that would make
// the run sprint later.
const maxLag = 250 * time.Millisecond

// World is what a runner runs: a config, its planned stop and a name for
// people. A zero Stop runs until the user stops it.
type World struct {
	Name   string
	Config sim.Config
	Stop   sim.Stop
}

// Options configure New.
type Options struct {
	// Seed, when not nil, replaces the config's seed, for this world and
	// every world loaded later.
	Seed *uint64
	// Paused opens the run paused at t = 0, so that changes apply from
	// the start.
	Paused bool
	// Speed is the pacing factor (MinSpeed to MaxSpeed, or Max); 0 means
	// real time (1×).
	Speed float64
	// Clock is the wall clock; nil means SystemClock.
	Clock Clock
}

// A Command is a request to the runner, sent in an Envelope.
type Command interface{ command() }

// Pause pauses or resumes the engine. Resuming a run that reached its
// stop runs on past it.
type Pause struct{ Paused bool }

// SetSpeed sets the pacing factor (MinSpeed to MaxSpeed, or Max).
type SetSpeed struct{ Speed float64 }

// Step runs exactly one more auction; only while paused.
type Step struct{}

// Apply makes a live change through the engine's change API.
type Apply struct{ Change sim.Change }

// Restart builds a new engine with the same seed that replays the change
// log of the current one.
type Restart struct{}

// Load replaces the world.
type Load struct{ World World }

func (Pause) command()    {}
func (SetSpeed) command() {}
func (Step) command()     {}
func (Apply) command()    {}
func (Restart) command()  {}
func (Load) command()     {}

// Envelope numbers a command so that frames can say which commands they
// already reflect (Frame.Ack). Sequence numbers increase.
type Envelope struct {
	Seq uint64
	Cmd Command
}

// Frame is what the runner publishes: an immutable snapshot and the
// runner's state. The snapshot is shared read-only.
type Frame struct {
	Snap    *sim.Snapshot
	Wall    time.Time     // when the snapshot was taken, on the runner's clock
	Ack     uint64        // Seq of the last command handled before it
	Gen     uint64        // engine generation: changes on restart and load
	Paused  bool          // paused by the user
	Speed   float64       // pacing factor; Max is as fast as it goes
	Lagging bool          // the engine cannot keep up with the speed
	Ended   bool          // reached the world's stop and paused there
	World   string        // the world's name
	Stop    sim.Stop      // the world's planned stop
	WallRun time.Duration // wall time this engine has spent running
	// Notes are messages for people (refused changes, loads), kept until
	// a frame carrying them is delivered.
	Notes []Note
	// Fork is the baseline and the paired differences while the run is
	// forked (see Fork); nil otherwise. Snap is then the variant, B.
	Fork *ForkFrame
	// Line is a line a Source other than a Runner adds to the header
	// (on the wire: what crossed it); "" for a simulation. Its parts are
	// parted by " · "; one that starts with LineWait gives the recent
	// wait, which a view may qualify.
	Line string
	// LineForms are shorter forms of Line's parts, by part, each part's
	// shortest last (nil or short: none), for a view too narrow for the
	// line to take where it must: the wire's drops its bidders' names,
	// then its calls in flight, keeps "machine busy" whole (LineBusy), and
	// "machine made 3.1% late" (LineMachineLate).
	LineForms [][]string
	// Remote names the bidders on the wire, sorted (nil for a
	// simulation): their latency, budget and strategy are their servers',
	// which a view refuses to change at the key, as the source would.
	Remote []string
	// Export is what a Source other than a Runner adds to an export of
	// the frame (the dashboard's e), as run adds it to its own: on the
	// wire, what crossed it, as "wire"; nil for a simulation.
	Export []Section
	// Silent is, on the wire, when the wire last answered, where it has
	// stopped answering since (a bidders' server stopped mid-run): the
	// bidders' recent latencies are from before it, and a view says so.
	// Zero while it answers, and for a simulation.
	Silent sim.Time
}

// Section is a part of a frame's export after the JSON's own: Value is
// written as JSON under Name (report.Section).
type Section struct {
	Name  string
	Value any
}

// LineWait begins the part of a Frame's Line that gives the auctions'
// recent wait (p50 and p95), so that the source that writes it and a view
// that qualifies it (after a change, what the window still holds from
// before it) agree on it.
const LineWait = "wait p50/p95 "

// LineBusy ends the part of a Frame's Line that gives the wire's added
// delay when the machine, not the bidders, makes the answers late: a view
// keeps it whole.
const LineBusy = ": machine busy"

// LineMachineLate begins the tag, in place of LineBusy, that ends the
// wire's added delay when the machine is not busy by those bounds but
// its delay still made answers late that the model had on time (a tmax
// tight for the machine): ": machine made 3.1% late". A view keeps it
// whole.
const LineMachineLate = ": machine made "

// Reached reports whether the run in f got to its world's stop, so that
// an export of it is complete rather than partial.
func (f Frame) Reached() bool {
	return !f.Stop.IsZero() && f.Stop.Reached(f.Snap.Now, f.Snap.Exchange.Auctions)
}

// Note is one message from the runner.
type Note struct {
	Text string
	Warn bool
}

// PanicError is a panic on the runner's goroutine, kept for its owner.
type PanicError struct {
	Value any
	Stack []byte
}

func (p *PanicError) Error() string {
	return fmt.Sprintf("engine panic: %v\n\n%s", p.Value, p.Stack)
}

// Runner owns one engine on its own goroutine. Use it through Send,
// Frames, Done and Err; nothing else touches the engine.
type Runner struct {
	cmds   chan Envelope
	frames chan Frame
	quit   chan struct{}
	done   chan struct{}
	clock  Clock
	err    *PanicError // set before done closes

	// Everything below belongs to the runner's goroutine.
	eng      *sim.Engine
	world    World
	cfg      sim.Config // the world's config with the seed applied
	seed     *uint64
	replay   []sim.AppliedChange
	diverged bool // a live change since the engine started
	gen      uint64
	ack      uint64
	paused   bool
	speed    float64
	lagging  bool
	ended    bool
	armed    bool          // the world's stop has not been reached yet
	wallRun  time.Duration // wall time spent running, up to since
	since    time.Time
	notes    []Note
	slice    uint64     // events per slice, adapted to sliceBudget
	fork     *forkState // while forked; eng is then B (fork.go)

	// Pacing anchor: virtual time anchorV was reached at wall time
	// anchorW; the target is anchorV + (now − anchorW) × speed.
	anchorW   time.Time
	anchorV   sim.Time
	lastFrame time.Time

	hook func(Command) // tests: called before each command is handled
}

// New builds the engine for w and returns a runner ready to Start. It
// fails when the world's config is invalid.
func New(w World, o Options) (*Runner, error) {
	clock := o.Clock
	if clock == nil {
		clock = SystemClock()
	}
	speed := o.Speed
	if speed == 0 {
		speed = 1
	}
	r := &Runner{
		cmds:   make(chan Envelope, 64),
		frames: make(chan Frame, 1),
		quit:   make(chan struct{}),
		done:   make(chan struct{}),
		clock:  clock,
		seed:   o.Seed,
		paused: o.Paused,
		speed:  speed,
	}
	if err := r.load(w); err != nil {
		return nil, err
	}
	return r, nil
}

// Start runs the runner's loop on a new goroutine; call it once.
func (r *Runner) Start() { go r.loop() }

// Stop ends the loop and waits for it; call it once, after Start.
func (r *Runner) Stop() {
	close(r.quit)
	<-r.done
}

// Send queues a command without blocking; false when the queue is full
// (the caller then says so rather than stall).
func (r *Runner) Send(e Envelope) bool {
	select {
	case r.cmds <- e:
		return true
	default:
		return false
	}
}

// Frames delivers the newest frame; older undelivered ones are replaced.
func (r *Runner) Frames() <-chan Frame { return r.frames }

// Done is closed when the runner has stopped, by Stop or by a panic.
func (r *Runner) Done() <-chan struct{} { return r.done }

// Err is the panic that ended the runner, or nil; valid once Done is
// closed.
func (r *Runner) Err() error {
	select {
	case <-r.done:
	default:
		return nil
	}
	if r.err == nil {
		return nil
	}
	return r.err
}

// load replaces the engine with a fresh one for w.
func (r *Runner) load(w World) error {
	cfg := w.Config
	if r.seed != nil {
		cfg.Seed = *r.seed
	}
	if cfg.Name == "" {
		cfg.Name = w.Name
	}
	cfg.Replay = nil
	eng, err := sim.New(cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", w.Name, err)
	}
	r.world, r.cfg, r.replay = w, cfg, nil
	r.install(eng)
	return nil
}

// restart rebuilds the engine with the same seed, replaying the change
// log. When nothing was changed live since the last (re)start, the whole
// previous replay is kept, so restarting twice in a row loses nothing;
// after a live change the run has diverged, and the replay is what this
// run actually applied.
func (r *Runner) restart() error {
	replay := r.replay
	if r.diverged {
		replay = r.eng.ChangeLog()
	}
	cfg := r.cfg
	cfg.Replay = replay
	eng, err := sim.New(cfg)
	if err != nil {
		return err
	}
	r.replay = replay
	r.install(eng)
	r.info(fmt.Sprintf("restarted with seed %d, replaying %d change(s)", cfg.Seed, len(replay)))
	return nil
}

func (r *Runner) install(eng *sim.Engine) {
	r.eng = eng
	r.fork = nil
	r.gen++
	r.diverged = false
	r.ended = false
	r.armed = !r.world.Stop.IsZero()
	r.wallRun = 0
	r.since = r.clock.Now()
	r.lagging = false
	r.slice = paceFirstSlice
	r.reanchor(r.since)
}

func (r *Runner) reanchor(now time.Time) { r.anchorW, r.anchorV = now, r.eng.Now() }

// running reports whether the engine should advance on its own.
func (r *Runner) running() bool { return !r.paused && !r.ended }

func (r *Runner) loop() {
	defer close(r.done)
	defer func() {
		if v := recover(); v != nil {
			r.err = &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	r.publish(r.clock.Now())
	for {
		select {
		case <-r.quit:
			return
		default:
		}
		if !r.running() {
			// Paused: block until told otherwise, using no CPU.
			select {
			case e := <-r.cmds:
				r.handle(e)
				r.drain()
				r.publish(r.clock.Now())
			case <-r.quit:
				return
			}
			continue
		}
		if r.drain() {
			// Confirm commands at once rather than at the next frame, so
			// the dashboard's optimistic display settles quickly.
			r.publish(r.clock.Now())
			continue
		}
		caughtUp := r.work()
		now := r.clock.Now()
		if now.Sub(r.lastFrame) >= FrameInterval || !r.running() {
			r.publish(now)
		}
		if !caughtUp || !r.running() {
			continue
		}
		// Ahead of the wall clock: sleep until the next frame is due or
		// a command arrives.
		wait := r.clock.NewTimer(FrameInterval - r.clock.Now().Sub(r.lastFrame))
		select {
		case e := <-r.cmds:
			wait.Stop()
			r.handle(e)
			r.drain()
			r.publish(r.clock.Now())
		case <-wait.C():
		case <-r.quit:
			wait.Stop()
			return
		}
	}
}

// drain handles every queued command without blocking; true if any.
func (r *Runner) drain() bool {
	any := false
	for {
		select {
		case e := <-r.cmds:
			r.handle(e)
			any = true
		default:
			return any
		}
	}
}

// never is a virtual time later than any run.
const never = sim.Time(math.MaxInt64)

// target is the virtual time the pacing asks for at wall time now.
func (r *Runner) target(now time.Time) sim.Time {
	if math.IsInf(r.speed, 1) {
		return never
	}
	d := float64(now.Sub(r.anchorW)) * r.speed
	if d >= float64(never-r.anchorV) {
		return never
	}
	return r.anchorV + sim.Time(d)
}

// work runs one slice of events toward the pacing target and reports
// whether the engine has caught up with it.
func (r *Runner) work() (caughtUp bool) {
	start := r.clock.Now()
	target := r.target(start)
	if target <= r.eng.Now() && r.forkSynced() {
		r.lagging = false
		return true
	}
	stop := sim.Stop{Duration: target}
	if r.armed {
		stop.Auctions = r.world.Stop.Auctions
		if d := r.world.Stop.Duration; d > 0 {
			stop.Duration = min(stop.Duration, d)
		}
	}
	if r.fork != nil {
		r.forkSlice(target)
	} else {
		r.eng.RunStop(stop, r.slice)
	}
	switch took := r.clock.Now().Sub(start); {
	case took < sliceBudget/4:
		r.slice = min(r.slice*2, paceMaxSlice)
	case took > sliceBudget:
		r.slice = max(r.slice/2, paceMinSlice)
	}
	if r.armed && r.world.Stop.Reached(r.eng.Now(), r.eng.Auctions()) && r.forkSynced() {
		r.tick(r.clock.Now())
		r.armed, r.ended, r.lagging = false, true, false
		r.info("reached the end of the run: resume runs on, restart starts over")
		return true
	}
	if r.eng.Now() >= target && r.forkSynced() {
		r.lagging = false
		return true
	}
	if math.IsInf(r.speed, 1) {
		return false
	}
	// Behind the wall clock. Past maxLag the engine is the bottleneck:
	// move the anchor so the target stays maxLag ahead.
	if lag := time.Duration(float64(target-r.eng.Now()) / r.speed); lag > maxLag {
		r.lagging = true
		r.anchorW = r.anchorW.Add(lag - maxLag)
	}
	return false
}

// tick adds the wall time since the last tick to the run's wall time when
// the engine is running; call it before the running state changes.
func (r *Runner) tick(now time.Time) {
	if r.running() {
		r.wallRun += now.Sub(r.since)
	}
	r.since = now
}

// handle applies one command.
func (r *Runner) handle(e Envelope) {
	if r.hook != nil {
		r.hook(e.Cmd)
	}
	r.ack = e.Seq
	now := r.clock.Now()
	r.tick(now)
	switch c := e.Cmd.(type) {
	case Pause:
		if c.Paused == r.paused && !r.ended {
			return
		}
		r.paused = c.Paused
		if !c.Paused {
			r.ended = false
		}
		r.lagging = false
		r.reanchor(now)
	case SetSpeed:
		f := c.Speed
		if !math.IsInf(f, 1) {
			f = min(max(f, MinSpeed), MaxSpeed)
		}
		r.speed = f
		r.lagging = false
		r.reanchor(now)
	case Step:
		if r.running() {
			return
		}
		if r.fork != nil {
			r.forkStep()
		} else {
			r.eng.RunAuctions(1)
		}
		// Stepping is running too, for the export's wall time.
		r.wallRun += r.clock.Now().Sub(now)
		r.reanchor(now)
	case Apply:
		if err := r.eng.Apply(c.Change); err != nil {
			r.warn("refused: " + err.Error())
			return
		}
		r.diverged = true
	case Restart:
		if r.fork != nil {
			r.warn("forked: end the fork (c) before restarting")
			return
		}
		if err := r.restart(); err != nil {
			r.warn("restart failed: " + err.Error())
		}
	case Load:
		if err := r.load(c.World); err != nil {
			r.warn("could not load: " + err.Error())
			return
		}
		r.info("loaded " + c.World.Name)
	case Fork:
		r.startFork()
	case Unfork:
		r.endFork()
	}
}

func (r *Runner) info(s string) { r.notes = append(r.notes, Note{Text: s}) }
func (r *Runner) warn(s string) { r.notes = append(r.notes, Note{Text: s, Warn: true}) }

// publish sends a frame, replacing an undelivered older one so the reader
// always gets the newest state and the runner never blocks.
func (r *Runner) publish(now time.Time) {
	r.tick(now)
	f := Frame{
		Snap:    r.eng.Snapshot(),
		Wall:    now,
		Ack:     r.ack,
		Gen:     r.gen,
		Paused:  r.paused,
		Speed:   r.speed,
		Lagging: r.lagging,
		Ended:   r.ended,
		World:   r.world.Name,
		Stop:    r.world.Stop,
		WallRun: r.wallRun,
		Notes:   r.notes,
		Fork:    r.forkFrame(),
	}
	r.notes = nil
	r.lastFrame = now
	select {
	case r.frames <- f:
		return
	default:
	}
	// The reader has not taken the previous frame: take it back and keep
	// its notes. The runner is the only sender, so once the buffer is
	// empty the send below cannot block.
	select {
	case old := <-r.frames:
		f.Notes = append(old.Notes, f.Notes...)
	default:
	}
	r.frames <- f
}

// Snapshot is the engine's state once the runner has stopped; nil while it
// runs (the engine is the runner's goroutine's alone until then).
func (r *Runner) Snapshot() *sim.Snapshot {
	select {
	case <-r.done:
		return r.eng.Snapshot()
	default:
		return nil
	}
}
