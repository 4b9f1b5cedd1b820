package wire

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// Live is the exchange on the wire as a dashboard's source
// (runner.Source): it runs an Exchange on its own goroutine, on the wall
// clock, and publishes a frame of its engine about ten times a second,
// with a header line of what crossed the wire. The dashboard's keys and
// its command line reach the exchange's side of the world (tmax, floor,
// auction type, increment, qps, and whom it calls) and the bidders it
// still simulates; a change to a bidder on the wire is refused, as it is
// the bidder's server's to make. Nothing pauses the wall clock: pause,
// step, speed, restart, another scenario and the fork are refused with a
// note too.
type Live struct {
	x      *Exchange
	world  runner.World
	remote map[string]bool // the bidders on the wire, by name
	names  []string        // the same, sorted: the header's and Frame.Remote

	cmds   chan runner.Envelope
	frames chan runner.Frame
	quit   chan struct{}
	done   chan struct{}
	err    *runner.PanicError // set before done closes

	// The driver's goroutine's.
	ack     uint64
	notes   []runner.Note
	ended   bool
	started time.Time
	// saidUnanswered: the status line has said that nothing on the wire
	// answers (unheard), once.
	saidUnanswered bool
	// lateShown: the wire line shows the machine-late tag (keepMachineLate).
	lateShown bool
	// quiet says when a wire that answered stops, and when it answers
	// again.
	quiet silence
}

// NewLive builds the exchange of w with opts.Endpoints' bidders on the
// wire, ready to Start. w.Stop ends the run on the wire (a zero one:
// never, until Stop); the frames then say it ended.
func NewLive(w runner.World, opts ExchangeOptions) (*Live, error) {
	cfg := w.Config
	if cfg.Name == "" {
		cfg.Name = w.Name
	}
	x, err := NewExchange(cfg, opts)
	if err != nil {
		return nil, err
	}
	x.jobs = make(chan func())
	l := &Live{x: x, world: w, remote: map[string]bool{},
		cmds: make(chan runner.Envelope, 64), frames: make(chan runner.Frame, 1),
		quit: make(chan struct{}), done: make(chan struct{})}
	for n := range opts.Endpoints {
		l.remote[n] = true
		l.names = append(l.names, n)
	}
	sort.Strings(l.names)
	return l, nil
}

var _ runner.Source = (*Live)(nil)

// Exchange is the exchange Live runs, for its wire statistics; its
// engine is Live's goroutine's until Done.
func (l *Live) Exchange() *Exchange { return l.x }

// Start runs the exchange on a new goroutine; call it once.
func (l *Live) Start() { go l.loop() }

// Stop ends the run on the wire and waits for it; call it once, after
// Start. The bid requests in flight are cut, and the notices due get
// StopNotices (Exchange.Run).
func (l *Live) Stop() {
	close(l.quit)
	<-l.done
}

// Send queues a command without blocking; false when the queue is full.
func (l *Live) Send(e runner.Envelope) bool {
	select {
	case l.cmds <- e:
		return true
	default:
		return false
	}
}

// Frames delivers the newest frame.
func (l *Live) Frames() <-chan runner.Frame { return l.frames }

// Done is closed when Live has stopped.
func (l *Live) Done() <-chan struct{} { return l.done }

// Err is the panic that ended Live, or nil; valid once Done is closed.
func (l *Live) Err() error {
	select {
	case <-l.done:
	default:
		return nil
	}
	if l.err == nil {
		return nil
	}
	return l.err
}

func (l *Live) loop() {
	defer close(l.done)
	defer func() {
		if v := recover(); v != nil {
			l.err = &runner.PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan struct{})
	left := make(chan *runner.Envelope, 1)
	go func() { left <- l.pump(ctx, ran) }()
	l.started = time.Now()
	l.publish()
	stop := l.world.Stop
	if stop.IsZero() {
		stop = sim.Stop{Duration: sim.EndOfTime}
	}
	go func() {
		select {
		case <-l.quit:
			cancel()
		case <-ran:
		case <-ctx.Done(): // a panic ended the loop
		}
	}()
	err := l.x.Run(ctx, stop)
	close(ran)
	e := <-left // the pump has stopped: the engine is this goroutine's alone
	if err != nil {
		return // stopped
	}
	if e != nil {
		l.handle(*e) // taken by the pump, not by the run
	}
	l.ended = true
	l.info("the run on the wire reached its stop: q quits")
	l.publish()
	// The engine stands still: commands are answered here.
	for {
		select {
		case e := <-l.cmds:
			l.handle(e)
			l.publish()
		case <-l.quit:
			return
		}
	}
}

// pump hands the driver its work while the exchange runs: a frame
// runner.FrameInterval after the last one was made, and each command,
// both as jobs on the driver's goroutine between events. It returns the
// command it held when the run ended, if any, for the loop to handle.
//
// The interval runs from the end of the last frame, not on a ticker: on a
// loaded machine (under -race on 2 vCPUs) a frame took some 110 ms, longer
// than the interval, so a ticker had the next one waiting as each ended,
// the driver made frames and little else, and the engine fell behind the
// wall clock by seconds, every call failing unsent at its deadline.
func (l *Live) pump(ctx context.Context, ran <-chan struct{}) *runner.Envelope {
	tick := time.NewTimer(runner.FrameInterval)
	defer tick.Stop()
	for {
		var (
			job   func()
			cmd   *runner.Envelope
			frame chan struct{} // closed once the frame is made
		)
		select {
		case <-tick.C:
			frame = make(chan struct{})
			job = func() { l.publish(); close(frame) }
		case e := <-l.cmds:
			cmd, job = &e, func() { l.handle(e); l.publish() }
		case <-ran:
			return nil
		case <-ctx.Done():
			return nil
		}
		select {
		case l.x.jobs <- job:
		case <-ran:
			return cmd
		case <-ctx.Done():
			return nil
		}
		if frame == nil {
			continue
		}
		// The driver runs a job as it takes it: the frame is being made.
		select {
		case <-frame:
			tick.Reset(runner.FrameInterval)
		case <-ctx.Done(): // a panic in the frame ended the loop
			return nil
		}
	}
}

// handle makes one command, on the driver's goroutine.
func (l *Live) handle(e runner.Envelope) {
	l.ack = e.Seq
	switch c := e.Cmd.(type) {
	case runner.Apply:
		if name := l.onWire(c.Change); name != "" {
			l.warn(name + " is on the wire: change it on its server")
			return
		}
		if err := l.x.eng.Apply(c.Change); err != nil {
			l.warn("refused: " + err.Error())
		} else if _, ok := c.Change.(sim.SetTmax); ok {
			// Which answers the model has on time, and which the wire
			// made late, is the new tmax's from now: the tag says
			// what the deadline on screen does.
			l.x.restartMachineLate()
		}
	case runner.Pause, runner.SetSpeed, runner.Step:
		l.warn("on the wire the clock is the wall clock: no pause, step or speed (q quits)")
	case runner.Restart, runner.Load, runner.Fork, runner.Unfork:
		l.warn("on the wire the exchange runs this one world: quit and start it again for another")
	default:
		l.warn(fmt.Sprintf("not on the wire: %T", c))
	}
}

// onWire names the bidder on the wire that ch would change, or "". Whom
// the exchange calls (a bidder switched on or off) is the exchange's.
func (l *Live) onWire(ch sim.Change) string {
	switch c := ch.(type) {
	case sim.SetEnabled:
		return ""
	case sim.MoveBudget:
		for _, n := range []string{c.From, c.To} {
			if l.remote[n] {
				return n
			}
		}
		return ""
	}
	if n := sim.BidderOf(ch); l.remote[n] {
		return n
	}
	return ""
}

func (l *Live) info(s string) { l.notes = append(l.notes, runner.Note{Text: s}) }
func (l *Live) warn(s string) { l.notes = append(l.notes, runner.Note{Text: s, Warn: true}) }

// publish sends a frame of the engine and the wire, replacing an
// undelivered older one (its notes kept) so that it never blocks.
func (l *Live) publish() {
	now := time.Now()
	snap := l.x.eng.Snapshot()
	l.unheard(snap)
	w := l.x.Wire()
	if n, warn := l.quiet.observe(snap.Now, w.Answered+w.LateAnswers, w.HTTPErrors+w.Timeouts, w.ErrorsByCause[CauseRefused]); n != "" {
		l.notes = append(l.notes, runner.Note{Text: n, Warn: warn})
	}
	f := runner.Frame{
		Snap: snap, Wall: now, Ack: l.ack, Gen: 1, Speed: 1, Ended: l.ended,
		World: l.world.Name, Stop: l.world.Stop, WallRun: now.Sub(l.started),
		Notes: l.notes,
		// The export's "wire", as run --endpoints --out writes it, taken
		// with the snapshot so that the two agree.
		Export: []runner.Section{{Name: "wire", Value: l.x.Wire()}},
	}
	f.Line, f.LineForms = l.line(snap)
	f.Silent = l.quiet.since()
	f.Remote = l.names
	l.notes = nil
	select {
	case l.frames <- f:
		return
	default:
	}
	select {
	case old := <-l.frames:
		f.Notes = append(old.Notes, f.Notes...)
	default:
	}
	l.frames <- f
}

// unheardAfter is how many bid requests the wire sends before the
// dashboard says that none was answered: a handful could all be cut by a
// machine that stalled at the start.
const unheardAfter = 20

// unheard warns, once, on the status line when not one of the bid
// requests sent on the wire has been answered, in time or late (most
// often no bidders' server at the endpoints), as run --endpoints fails
// saying why (WireStats.Unanswered): else the dashboard showed only a
// chart of "no bid on time at or above the floor" and zeros.
func (l *Live) unheard(s *sim.Snapshot) {
	if l.saidUnanswered || s.Exchange.Auctions == 0 {
		return
	}
	w := l.x.Wire()
	if w.Sent < unheardAfter || w.Unanswered() == "" {
		return
	}
	l.saidUnanswered = true
	l.quiet.unheard()
	// What to check first, within 80 columns: the status line is cut at
	// the screen's width.
	hint := "is auctionsim bidders running at the endpoints?"
	if w.ErrorsByCause[CauseStatus(http.StatusNotFound)] > 0 {
		hint = w.unansweredHint()
	}
	l.warn(fmt.Sprintf("nothing on the wire answers: %s (%s sent: %s HTTP errors or refused connections, %s timeouts)",
		hint, format.Count(w.Sent), format.Count(w.HTTPErrors), format.Count(w.Timeouts)))
}

// counts is the wire line's part of counts, and its shorter forms,
// shortest last: the bid requests sent, counted as they leave, then how
// they ended: the calls of the closed auctions, counted from the engine's
// own counters of the bidders on the wire, so that they cover the
// auctions and the categories the exchange panel's do (its no-bids ·
// errors and refused, its bid requests of closed auctions), and the calls
// of the auctions still in flight, "calls in flight" where there is room,
// as the panel's are its "auctions in flight" (an auction has a call a
// bidder). The wire's own tallies (WireStats) count a call's error when
// it ends, its auction perhaps still open, and a refused connection or a
// 503 among the errors: on a projector the header read "9 errors" beside
// the panel's 8, and nothing listening "1,510 errors" beside its "0".
// Every form but the last resort keeps sent = answered + errors + refused
// + timeouts + in flight exact; the last writes counts of five digits and
// more in k and M (12.3M), so that an hour's counts still hold the calls
// in flight at 80 columns (rounded, they still add up to three digits).
func (l *Live) counts(s *sim.Snapshot, sent uint64) (string, []string) {
	var closed, answered, errs, refused, timeouts uint64
	for i := range s.Bidders {
		b := &s.Bidders[i]
		if !l.remote[b.Name] {
			continue
		}
		closed += b.BidRequests
		answered += b.OnTime + b.NoBids
		errs += b.Errors
		refused += b.Refused
		// Late: every timeout, an answer read in the late grace too (the
		// bidders table counts them as late bids with no price); Hangs:
		// none on the wire, counted in case.
		timeouts += b.Late + b.Hangs
	}
	compact := func(n uint64) string {
		if n < 10_000 {
			return format.Count(n)
		}
		return format.SI(float64(n))
	}
	form := func(c func(uint64) string) string {
		s := fmt.Sprintf("%s sent: %s answered %s errors", c(sent), c(answered), c(errs))
		if refused > 0 {
			// As the exchange panel, which has its row only with some.
			s += " " + c(refused) + " refused"
		}
		return s + " " + c(timeouts) + " timeouts"
	}
	short := form(format.Count)
	if s.Settings.Scale > 1 || sent < closed {
		// Scaled counts (traffic.scale, which NewExchange refuses) would
		// not be the calls', which sent is.
		return short, nil
	}
	flight := format.Count(sent - closed)
	return short + " " + flight + " calls in flight", []string{
		short + " " + flight + " in flight",
		form(compact) + " " + compact(sent-closed) + " in flight",
	}
}

// line is the header's line about the wire: the bidders on it, what
// crossed it, the auctions' measured wait and the wire's added delay;
// and, by part, their shorter forms (runner.Frame.LineForms).
func (l *Live) line(s *sim.Snapshot) (string, [][]string) {
	w := l.x.Wire()
	on := fmt.Sprintf("%d bidders", len(l.names))
	if len(l.names) < 4 {
		on = strings.Join(l.names, ", ")
	}
	whole, shorter := l.counts(s, w.Sent)
	parts := []string{"on the wire: " + on, whole}
	// A bare "wire" last: 8-digit counts and the calls in flight fill 80
	// columns.
	forms := [][]string{{"on the wire", "wire"}, shorter}
	if wt := s.Exchange.RecentWait; wt.Count > 0 {
		// As the exchange panel and presentation mode write a wait
		// ("1.00s", not "1000.0ms").
		parts = append(parts, runner.LineWait+format.Latency(wt.P50)+"/"+format.Latency(wt.P95))
		forms = append(forms, nil)
	}
	// Recent, as the wait: an overload that has passed leaves it.
	if a := l.x.RecentAdded(); a != nil {
		figures := fmt.Sprintf("%.1f/%.1fms", a.P50, a.P99)
		added, shorter := "added p50/p99 "+figures, "added "+figures
		tag := ""
		late, onTime := l.x.RecentMachineLate()
		l.lateShown = keepMachineLate(late, onTime, l.lateShown)
		if a.P50 > BusyAddedP50MS || a.P95 > BusyAddedP95MS {
			// run --endpoints says so on stderr (WireStats.Busy); on a
			// projector the late shares would otherwise pass for the
			// bidders' while they measure the machine. Its shorter form
			// keeps the tag whole.
			tag = runner.LineBusy
		} else if l.lateShown {
			// Not busy, but the delay is large beside tmax: the measured
			// price excluded the theory (sponsored-search at 10 ms) with
			// nothing on screen saying why.
			tag = runner.LineMachineLate + format.Pct(float64(late)/float64(onTime)) + " late"
		}
		added += tag
		shorter += tag
		parts = append(parts, added)
		forms = append(forms, []string{shorter})
	}
	return strings.Join(parts, " · "), forms
}
