package tui

import (
	"fmt"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// link is the dashboard's side of the runner: it sends commands without
// blocking and receives frames. Tests replace it with a recorder.
type link interface {
	Send(runner.Envelope) bool
	Frames() <-chan runner.Frame
	Done() <-chan struct{}
	Err() error
}

// catalog lists and loads the bundled scenarios for the picker.
type catalog struct {
	List func() []scenarios.Info
	Load func(name string) (*scenarios.Scenario, error)
}

// exportFunc writes a run's files, with the sections its source adds (on
// the wire: "wire"); report.WriteWith in the program.
type exportFunc func(path string, snap *sim.Snapshot, meta report.Meta, more ...report.Section) error

// Context is what every view shares, as gh-dash's ProgramContext: the
// theme, the key map, the screen's size, the newest frame and the values
// shown for it, the selected bidder, the status line, and the way to the
// runner. Views hold a pointer to the one Context; only the root model
// replaces the frame and the size.
type Context struct {
	Theme *theme.Theme
	Keys  *KeyMap

	Width, Height int
	// BodyW and BodyH are the room between the header and the footer:
	// what the view on top fills.
	BodyW, BodyH int

	Frame runner.Frame
	Have  bool  // a frame has arrived
	Shown shown // the values the user can change, as shown

	// Selected is the bidder the per-bidder keys act on.
	Selected int

	// Trainer is the trainers' views' shared state (trainer.go).
	Trainer trainer
	// Metric is what the chart plots and the header sets beside its
	// closed form (#); theory caches both for the newest snapshot.
	Metric sim.TheoryMetric
	// LearnChart: the chart plots a learning bidder's factor instead of
	// Metric (# past the metrics, learnchart.go).
	LearnChart bool
	theory     theoryView
	// strategies remembers each bidder's last shade factor and fixed bid
	// (g, <, >).
	strategies strategyMemory
	// movedTo is the bidder the last budget move (m) went to, which the
	// next m moves from when the selected bidder has nothing left to move
	// (moveSource).
	movedTo string

	// Auctions per second of wall time and of virtual time, over the
	// rate window; negative when unknown.
	WallRate, VirtRate float64
	samples            []rateSample

	status string
	warn   bool
	// statusSeq counts the status line's messages, so that a caption
	// knows whether one came after it.
	statusSeq uint64
	// captions are the script's captions on screen (captions.go).
	captions captions
	// clock is the wall clock captions are timed by: time.Now, or a
	// test's.
	clock func() time.Time

	link link
	seq  uint64
	// sc is the scenario running (its YAML goes into exports, so that
	// `run --replay` can re-run them); loading is the one a Load sent.
	sc, loading *scenarios.Scenario
	loadSeq     uint64 // the Load command whose frame resets the selection
	stepSeq     uint64 // the Step command whose auction the status reports
	cat         catalog
	export      exportFunc
	exportDir   string

	// views is the stack of views; the last one is on screen.
	views []view

	// lv follows the scenario through the change log, for assignments
	// (command.go); history is the command lines applied, oldest first.
	lv      liveState
	history []string
}

// shown is what the dashboard displays for the values the user can change:
// the newest frame's, updated at once by each key (optimistically) until a
// frame confirms the command.
type shown struct {
	paused  bool
	speed   float64
	set     sim.Settings
	bidders []shownBidder
}

type shownBidder struct {
	enabled   bool
	budget    sim.Money
	unlimited bool
	latency   sim.Dist
	strategy  sim.Strategy
	daily     sim.Money // its daily budget at full scale; 0: none
	people    bool      // the world has people: a frequency cap applies
	cap       *sim.FrequencyCap
}

func shownFrom(f runner.Frame) shown {
	s := shown{paused: f.Paused || f.Ended, speed: f.Speed, set: f.Snap.Settings}
	s.bidders = make([]shownBidder, len(f.Snap.Bidders))
	for i, b := range f.Snap.Bidders {
		s.bidders[i] = shownBidder{enabled: b.Enabled, budget: b.Budget, unlimited: b.Unlimited, latency: b.LatencyDist, strategy: b.Strategy,
			daily: b.Daily, people: b.Frequency != nil}
		if f := b.Frequency; f != nil && f.Cap != nil {
			c := *f.Cap
			s.bidders[i].cap = &c
		}
	}
	return s
}

// rateSample is one point of the auctions-per-second window.
type rateSample struct {
	wall     time.Time
	virtual  sim.Time
	auctions uint64
}

// rateWindow is how much recent history the auctions-per-second figures
// average over: long enough to be steady at 0.01×, short enough to follow
// a speed change within a second.
const rateWindow = time.Second

// Snap is the newest snapshot.
func (c *Context) Snap() *sim.Snapshot { return c.Frame.Snap }

// onWire reports whether the frames are the exchange on the wire's (a
// source's own header line, wire.Live).
func (c *Context) onWire() bool { return c.Frame.Line != "" }

// Info and Warn set the status line.
func (c *Context) Info(s string) { c.setStatus(s, false) }

// Warn sets the status line as a warning.
func (c *Context) Warn(s string) { c.setStatus(s, true) }

// setStatus puts a message on the status line and counts it, so that a
// caption knows whether one came after it.
func (c *Context) setStatus(s string, warn bool) {
	c.status, c.warn = s, warn
	c.statusSeq++
}

// now is the wall time on the Context's clock.
func (c *Context) now() time.Time {
	if c.clock == nil {
		return time.Now()
	}
	return c.clock()
}

// Send queues a command for the runner. A full queue (the engine is busy
// with something long) drops the key with a message rather than block.
func (c *Context) Send(cmd runner.Command) bool {
	if !c.link.Send(runner.Envelope{Seq: c.seq + 1, Cmd: cmd}) {
		c.Warn("the engine is busy; press the key again")
		return false
	}
	c.seq++
	switch cmd.(type) {
	case runner.Load:
		c.loadSeq = c.seq
	case runner.Step:
		c.stepSeq = c.seq
	}
	return true
}

// Change sends a live change and, once queued, shows its effect at once.
func (c *Context) Change(ch sim.Change, what string, optimistic func()) {
	c.Changes([]sim.Change{ch}, what, optimistic)
}

// Changes sends live changes made together (a daily budget move's two
// assignments) and, once queued, shows their effect at once.
func (c *Context) Changes(chs []sim.Change, what string, optimistic func()) {
	// Changes that are assignments are made as such (command.go), so
	// that they are what their log entries read back to; a named kind (a
	// budget move) goes as it is.
	if c.canAssign() {
		var sets []scenarios.Set
		for _, ch := range chs {
			s, ok := scenarios.Assignments(ch)
			if !ok {
				sets = nil
				break
			}
			sets = append(sets, s...)
		}
		if sets != nil {
			if err := c.Assign(sets, what, optimistic); err != nil {
				c.Warn("refused: " + keyRefusal(err, sets))
			}
			return
		}
	}
	for _, ch := range chs {
		if !c.Send(runner.Apply{Change: ch}) {
			return
		}
	}
	if optimistic != nil {
		optimistic()
	}
	c.Info(what)
}

// SelectedBidder is the bidder the per-bidder keys act on, with its shown
// (optimistic) values.
func (c *Context) SelectedBidder() (sim.BidderStats, *shownBidder) {
	return c.Snap().Bidders[c.Selected], &c.Shown.bidders[c.Selected]
}

// Open puts v on top of the screen; the root model refreshes it.
func (c *Context) Open(v view) { c.views = append(c.views, v) }

// Close takes the top view off, down to the dashboard.
func (c *Context) Close() {
	if len(c.views) > 1 {
		c.views = c.views[:len(c.views)-1]
	}
}

// top is the view on screen.
func (c *Context) top() view { return c.views[len(c.views)-1] }

// beneath is the view under the top one, which an overlay at the bottom
// (the command line, a form) draws above itself: the dashboard, or the
// what-if panel or presentation mode the command line was opened from.
func (c *Context) beneath() view { return c.views[max(len(c.views)-2, 0)] }

// onFrame takes a new frame: rates, confirmation of optimistic values,
// the selection and the notes.
func (c *Context) onFrame(f runner.Frame) {
	newRun := c.Have && f.Gen != c.Frame.Gen
	if newRun {
		c.samples = c.samples[:0]
		if c.loadSeq > 0 && f.Ack >= c.loadSeq {
			// Another world: its first bidder, not the old position.
			c.Selected, c.loadSeq, c.sc = 0, 0, c.loading
		}
	}
	c.Frame, c.Have = f, true
	c.sample(f)
	c.Trainer.onFrame(f, newRun)
	// Optimistic values stand until a frame reflects every command sent,
	// or until the bidders themselves change (another world).
	if f.Ack >= c.seq || len(c.Shown.bidders) != len(f.Snap.Bidders) {
		c.Shown = shownFrom(f)
	}
	if p := c.Trainer.pending; p.on {
		// The what-if panel's steps, not yet applied, stay shown.
		c.Shown.set.Tmax = p.to
	}
	if n := len(f.Snap.Bidders); c.Selected >= n {
		c.Selected = max(n-1, 0)
	}
	for _, n := range f.Notes {
		c.setStatus(n.Text, n.Warn)
	}
	if c.stepSeq > 0 && f.Ack >= c.stepSeq {
		c.stepSeq = 0
		if r := f.Snap.Recent; len(r) > 0 {
			c.Info(stepReport(r[len(r)-1]))
		}
	}
	c.onCaptions(f.Snap.Now, newRun)
}

// stepReport says which auction a step closed and how it ended.
func stepReport(r sim.AuctionRecord) string {
	s := fmt.Sprintf("one auction: #%s closed at %s, ", format.Count(r.ID), format.Clock(r.Close))
	if r.Winner < 0 {
		return s + "no sale (enter for details)"
	}
	return s + fmt.Sprintf("sold at %s CPM (enter for details)", format.Price(r.Price))
}

// sample adds f to the rate window and recomputes the rates. While paused
// the rates are zero: nothing is running.
func (c *Context) sample(f runner.Frame) {
	s := rateSample{wall: f.Wall, virtual: f.Snap.Now, auctions: f.Snap.Exchange.Auctions}
	c.samples = append(c.samples, s)
	for len(c.samples) > 2 && s.wall.Sub(c.samples[1].wall) >= rateWindow {
		c.samples = c.samples[1:]
	}
	if f.Paused || f.Ended {
		c.WallRate, c.VirtRate = 0, 0
		c.samples = append(c.samples[:0], s)
		return
	}
	first := c.samples[0]
	n := float64(s.auctions - first.auctions)
	c.WallRate, c.VirtRate = -1, -1
	if dw := s.wall.Sub(first.wall).Seconds(); dw > 0 {
		c.WallRate = n / dw
	}
	if dv := (s.virtual - first.virtual).Seconds(); dv > 0 {
		c.VirtRate = n / dv
	}
}
