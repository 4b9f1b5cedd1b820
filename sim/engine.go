package sim

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
)

// Defaults for optional Config fields.
const (
	DefaultInterval = Second
	DefaultRecent   = 32
	defaultEpsilon  = 0.5
	defaultMaxMu    = 100
	pacingSteps     = 200 // pacing updates over the horizon, by default
)

// never is a time later than any event.
const never Time = math.MaxInt64

// Engine is one simulated world. It is not safe for concurrent use: one
// goroutine drives it and hands Snapshots to others.
type Engine struct {
	name   string
	seed   uint64
	now    Time
	events uint64
	seq    uint64
	q      eventQueue
	closes eventFIFO // auction closes in time order; see eventFIFO

	// The next ad request is kept beside the queue rather than in it: it
	// is always exactly one event, and a rate change must redraw it.
	nextArrival Time
	arrivalSeq  uint64
	requestID   uint64
	// changedAt is requestID when a change last applied: the auctions
	// fanned out until then may hold bids a change made unaffordable
	// (close, affordable).
	changedAt uint64
	// markedAt is requestID at the last live change (markChange): the
	// auctions fanned out until then ran in the world before it
	// (closeAcross). Apart from changedAt, which a test moves alone.
	markedAt uint64
	// waitsFrom is requestID, and waitsAt the instant, at the last change
	// that could move the wait (movesWait), at which the recent wait
	// started afresh: the auctions fanned out until then waited in the
	// world before it (closeAcross). 0 before any.
	waitsFrom uint64
	waitsAt   Time
	// arrivalFrac is the fraction of a nanosecond by which the next
	// arrival's exact time passes nextArrival: carried into the next gap,
	// so whole-nanosecond times do not bias the rate at high qps.
	arrivalFrac float64
	gap, gapQPS float64 // the mean gap in ns, for the rate gapQPS

	traffic  *rand.Rand
	exchange *rand.Rand // tie-breaks
	// pl is the draw pipeline, when on (StartPipeline); nil: off.
	pl       *pipeline
	qps      float64
	shape    []float64
	shapeDay float64 // Σ shape[i] × the length of part i, ns

	auction   AuctionType
	tmax      Time
	floor     Price
	increment Price
	holdOpen  bool      // close_early: false
	waits     latencies // each auction's wait, from the ad request to the close
	// abandon is what waiting costs; rAbandon draws, per ad request, the
	// uniform that says how long its person stays (Abandonment.leaves),
	// on a stream of its own so that every other draw is unchanged.
	abandon  Abandonment
	rAbandon *rand.Rand

	horizon        Time
	dailies        bool    // some bidder has a daily budget
	scale          float64 // ad requests per simulated one (traffic.scale), 1 without
	pacingInterval Time
	lastPace       Time // the last pacing update
	searching      bool // a multiplier bidder's start-up search is under way
	paceTicks      int  // pacing updates so far
	epsilon, maxMu float64

	bidders []bidder
	pool    auctionPool
	x       ExchangeStats
	series  series
	recent  recentRing

	log    []AppliedChange
	replay []AppliedChange
	// replayed counts the replayed changes applied, to name the next one
	// (replay[i]); diverged is why the replay was given up, nil while it
	// holds: a change due at a point the run does not pass through.
	replayed int
	diverged error

	curve    *tmaxCurve      // nil: no tmax curve
	grid     TmaxGrid        // the scenario's grid: a grid that follows tmax moves with it
	adj      TmaxAdjustments // Prebid Server's deadline chain
	adjusted bool            // adj is not zero
	// curveHeld: a budget at the start fed back on tmax (see tmaxCurveExact)
	curveHeld bool
	script    scriptState
	// sinceChange is the counters at the last live change (see markChange).
	sinceChange SeriesPoint

	// theory is the scenario as the closed form reads it; each snapshot
	// updates a copy with the live settings.
	theory TheoryInput

	holdouts bool // some bidder holds bids back (sim/holdout.go)
	// holders are the bidders with a holdout, whose tests count their
	// conversions due at each close (holdout.mature); set once.
	holders  []int32
	learners bool // some bidder learns its shade factor (sim/learn.go)
	enabledN int  // enabled bidders, as of the last change (refreshEquilibrium)

	remote *remotes // bidders reached over a wire (sim/remote.go); nil: none

	slots *slotState // several slots (sim/slots.go); nil: one item

	people *people // who each ad request belongs to (sim/people.go); nil: no people
}

// auctionState is an auction between fan-out and close. Its responses live
// in the pool's flat slice.
type auctionState struct {
	id        uint64
	start     Time
	tmax      Time
	auction   AuctionType
	floor     Price
	increment Price
	told      Time // the deadline bidders are told
	lead      Time // the exchange's time before fan-out
	unsent    bool // the told deadline is too short: no bid requests
	// keptBack: unsent, and some enabled bidder's bid request with it
	// (an auction with none enabled gets no bids at any deadline).
	keptBack bool
	// answered is when the last called bidder's answer (or error) came
	// back, from the ad request; never when one never answers. With no
	// bidder called it is lead: the exchange answers at once.
	answered Time
	stay     float64 // the person's draw (Abandonment.leaves); +Inf when nobody leaves
	person   uint32  // whose ad request, 1 … n; 0 without people
}

// auctionPool recycles in-flight auctions so that steady state allocates
// nothing.
type auctionPool struct {
	n      int
	states []auctionState
	resp   []Response
	free   []int32
}

func (p *auctionPool) get() int32 {
	if k := len(p.free); k > 0 {
		slot := p.free[k-1]
		p.free = p.free[:k-1]
		return slot
	}
	p.states = append(p.states, auctionState{})
	for range p.n {
		p.resp = append(p.resp, Response{})
	}
	return int32(len(p.states) - 1)
}

func (p *auctionPool) put(slot int32) { p.free = append(p.free, slot) }

func (p *auctionPool) responses(slot int32) []Response {
	i := int(slot) * p.n
	return p.resp[i : i+p.n : i+p.n]
}

// New validates cfg and builds an engine at virtual time 0.
func New(cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("invalid config: %w", err)
	}
	for i := 1; i < len(cfg.Replay); i++ {
		a, b := cfg.Replay[i-1], cfg.Replay[i]
		if b.Event < a.Event || b.Event == a.Event && b.At < a.At {
			return nil, fmt.Errorf("invalid config: replay[%d]: changes must be in the order they were applied", i)
		}
	}
	e := build(cfg)
	if err := e.loadScript(cfg.Script); err != nil {
		return nil, fmt.Errorf("invalid script or replay: %w", err)
	}
	return e, nil
}

// build makes the engine for cfg, which New has validated. The engine's
// own tests also build worlds beyond the supported ranges with it, to
// show that its arithmetic holds (saturates, never wraps or panics) even
// there.
func build(cfg Config) *Engine {
	n := len(cfg.Bidders)
	e := &Engine{
		name:      cfg.Name,
		seed:      cfg.Seed,
		traffic:   newStream(cfg.Seed, "traffic"),
		exchange:  newStream(cfg.Seed, "exchange"),
		qps:       cfg.Traffic.Simulated().QPS,
		scale:     cfg.Traffic.scale(),
		shape:     append([]float64(nil), cfg.Traffic.Shape...),
		auction:   cfg.Exchange.Auction,
		tmax:      cfg.Exchange.Tmax,
		floor:     cfg.Exchange.Floor,
		increment: cfg.Exchange.Increment,
		holdOpen:  cfg.Exchange.HoldOpen,
		waits:     newLatencies(),
		abandon:   cfg.Exchange.Abandonment,
		rAbandon:  newStream(cfg.Seed, "exchange/abandonment"),
		grid:      cfg.Exchange.TmaxCurve,
		horizon:   cfg.Horizon,
		epsilon:   cmp0(cfg.Pacing.Epsilon, defaultEpsilon),
		maxMu:     cmp0(cfg.Pacing.MaxMu, defaultMaxMu),
		bidders:   make([]bidder, n),
		pool:      auctionPool{n: n},
		series:    newSeries(cmp0(cfg.Interval, DefaultInterval), n),
		replay:    append([]AppliedChange(nil), cfg.Replay...),
		curve:     newTmaxCurve(cfg.Exchange.TmaxCurve.For(cfg.Exchange.Tmax), n, cfg.Exchange.Abandonment, cfg.Exchange.HoldOpen, cfg.Exchange.TmaxAdjustments),
		adj:       cfg.Exchange.TmaxAdjustments,
		adjusted:  !cfg.Exchange.TmaxAdjustments.IsZero(),
		curveHeld: heldBids(cfg),
		script:    scriptState{at: never}, // New loads the script
		theory:    NewTheoryInput(cfg),
		slots:     newSlotState(cfg.Exchange.Slots),
	}
	if len(e.shape) > 0 {
		// Σ multiplier × part length: the expected requests of a day, per
		// request per ns at multiplier 1.
		for i, m := range e.shape {
			e.shapeDay += m * float64(e.partStart(i+1)-e.partStart(i))
		}
	}
	recent := cfg.Recent
	if recent == 0 {
		recent = DefaultRecent
	}
	e.recent = newRecentRing(recent)
	e.series.settings(e.now, e.floor, e.tmax)
	var plan *dayPlan
	for i := range cfg.Bidders {
		e.bidders[i] = newBidder(cfg.Seed, &cfg.Bidders[i])
		if e.scale > 1 {
			e.bidders[i].scaleBudgets(e.scale)
		}
		if e.bidders[i].hold != nil {
			e.holdouts = true
			e.holders = append(e.holders, int32(i))
		}
		if d := e.bidders[i].day; d != nil {
			if plan == nil {
				plan = newDayPlan(e.shape, e.partStart)
			}
			d.plan = plan
			e.dailies = true
		}
	}
	e.startPeople(cfg)
	e.refreshEquilibrium()
	e.refreshLearners()
	e.scheduleArrival()
	if e.horizon > 0 {
		e.pacingInterval = cfg.Pacing.Interval
		if e.pacingInterval == 0 {
			e.pacingInterval = max(e.horizon/pacingSteps, Millisecond)
		}
		e.startPacing()
	}
	return e
}

func cmp0[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Now is the engine's virtual clock.
func (e *Engine) Now() Time { return e.now }

// Events is the number of events processed so far.
func (e *Engine) Events() uint64 { return e.events }

// Auctions is the number of auctions closed so far.
func (e *Engine) Auctions() uint64 { return e.x.Auctions }

// ChangeLog returns a copy of the changes applied so far.
func (e *Engine) ChangeLog() []AppliedChange { return append([]AppliedChange(nil), e.log...) }

// Apply makes a live change at the current virtual instant and records it
// in the change log. An invalid change is refused with an error and not
// recorded.
func (e *Engine) Apply(c Change) error {
	if c == nil {
		return fmt.Errorf("nil change")
	}
	if err := c.apply(e); err != nil {
		return fmt.Errorf("change %q: %w", c, err)
	}
	e.log = append(e.log, AppliedChange{At: e.now, Event: e.events, Change: c})
	e.changedAt = e.requestID
	if movesEquilibrium(c) {
		e.refreshEquilibrium()
	}
	e.refreshLearners()
	e.markChange()
	if e.movesWait(c) && (e.x.Auctions > 0 || e.x.InFlight > 0) {
		// The recent wait would mix two worlds for up to 16,384 auctions:
		// it starts afresh (a change before any auction has none to mix).
		e.waits.restart()
		e.waitsFrom, e.waitsAt = e.requestID, e.now
	}
	for i := range e.bidders {
		// The world has changed: multiplier pacing's next step is a
		// full one, however small it had become while μ settled.
		e.bidders[i].muStep = 0
	}
	return nil
}

// bidder finds a bidder by name, for changes.
func (e *Engine) bidder(name string) (*bidder, error) {
	for i := range e.bidders {
		if e.bidders[i].name == name {
			return &e.bidders[i], nil
		}
	}
	return nil, fmt.Errorf("no bidder named %q", name)
}

// Step processes the next event.
func (e *Engine) Step() {
	e.applyReplay(never)
	if e.nextTime() == never {
		return // the end of virtual time: nothing left to do
	}
	e.step()
}

// RunUntil processes every event up to and including virtual time t, then
// sets the clock to t.
func (e *Engine) RunUntil(t Time) { e.RunTo(t, math.MaxUint64) }

// RunAuctions processes events until n more auctions have closed.
func (e *Engine) RunAuctions(n uint64) { e.RunTo(never, e.x.Auctions+n) }

// RunTo runs until virtual time t or until auctions auctions have closed
// in all, whichever comes first: a run's stop. When t comes first the
// clock is set to t, as RunUntil does; otherwise it stays at the close of
// the last auction.
func (e *Engine) RunTo(t Time, auctions uint64) { e.runTo(t, auctions, math.MaxUint64) }

// runTo is RunTo that also returns after maxEvents events, wherever the
// run stands; calling it again carries on exactly as one call would have.
func (e *Engine) runTo(t Time, auctions, maxEvents uint64) {
	for n := uint64(0); e.x.Auctions < auctions; n++ {
		if n >= maxEvents {
			return
		}
		if len(e.replay) > 0 || e.script.at != never { // else nothing to apply: no call
			e.applyReplay(t)
		}
		if next := e.nextTime(); next > t || next == never {
			// Past EndOfTime nothing is scheduled: the run is over.
			e.now = max(e.now, min(t, EndOfTime))
			return
		}
		e.step()
	}
	// Changes made right after this point in the recorded run belong here.
	e.applyReplay(e.now)
}

// nextTime is when the next event fires.
func (e *Engine) nextTime() Time {
	t := e.nextArrival
	if e.q.Len() > 0 {
		t = min(t, e.q.top().at)
	}
	if e.closes.Len() > 0 {
		t = min(t, e.closes.front().at)
	}
	return t
}

// applyReplay applies the replayed changes due before the next event, if
// their instant is at most limit.
func (e *Engine) applyReplay(limit Time) {
	for len(e.replay) > 0 && e.replay[0].Event <= e.events && e.replay[0].At <= limit {
		c := e.replay[0]
		if err := e.replayFits(c); err != nil {
			// Applied anyway, it would move the clock back or past
			// events still due, and log another point than the file's.
			e.diverged = fmt.Errorf("replay diverged: replay[%d] (%s): %w", e.replayed, c.Change, err)
			e.replay = nil
			break
		}
		e.replay = e.replay[1:]
		e.replayed++
		e.now = max(e.now, c.At)
		// A replayed change was valid when first applied, and the replay
		// reproduces that state, so it cannot fail here.
		_ = e.Apply(c.Change)
		e.markScripted(c)
	}
	e.applyScript(limit)
}

// replayFits checks that the run stands where c was applied in the
// recorded run: c.Event events processed, none after c.At, and none
// still due before it. A change recorded live or by a script always was
// (Apply logs the clock and the events as they stand), so a log that
// does not fit was edited, or made by another engine.
func (e *Engine) replayFits(c AppliedChange) error {
	switch next := e.nextTime(); {
	case c.Event < e.events:
		return fmt.Errorf("applied after %d events at %v, but the run is past them: %d events by then", c.Event, c.At, e.events)
	case c.At < e.now:
		return fmt.Errorf("applied at %v after %d events, but the run is at %v after them", c.At, c.Event, e.now)
	case c.At > next:
		return fmt.Errorf("applied at %v after %d events, but the next event is due before it, at %v", c.At, c.Event, next)
	}
	return nil
}

// step fires the earliest of the next arrival, the earliest close and the
// heap's top, in (time, sequence) order: together they behave as one
// priority queue.
func (e *Engine) step() {
	e.events++
	next := &event{at: e.nextArrival, seq: e.arrivalSeq} // the arrival
	src := 0
	if e.closes.Len() > 0 {
		if f := e.closes.front(); f.before(next) {
			next, src = f, 1
		}
	}
	if e.q.Len() > 0 {
		if top := e.q.top(); top.before(next) {
			src = 2
		}
	}
	var ev event
	switch src {
	case 0:
		e.now = e.nextArrival
		e.arrive()
		return
	case 1:
		ev = e.closes.pop()
	case 2:
		ev = e.q.pop()
	}
	e.now = ev.at
	switch ev.kind {
	case evClose:
		if e.pool.states[ev.ref].id <= e.markedAt {
			e.closeAcross(ev.ref)
		} else {
			e.close(ev.ref)
		}
	case evConversion:
		e.bidders[ev.ref].convert(ev.arg, ev.person)
	case evPacing:
		switch ev.arg {
		case paceUpdate:
			e.pace()
		case paceMark:
			for i := range e.bidders {
				e.bidders[i].markSearch(e.now, e.tmax)
			}
		case paceProbe:
			e.stepSearch()
		case paceMidnight:
			e.midnight()
		}
	}
}

// startupTicks is how many pacing updates share the first pacing
// interval. Before the first update little is known of what a bidder's
// bids cost (throttle pacing starts from its cost prior): updating often
// at first keeps the controllers' first corrections to a small part of an
// interval instead of a whole one. Multiplier pacing's search keeps its
// own, shorter steps (searchStep).
const startupTicks = 16

// What a pacing event does (its arg): the controllers' update, or a step
// of multiplier pacing's start-up search (opening a probe's window,
// judging the probe).
const (
	paceUpdate = iota
	paceMark
	paceProbe
	paceMidnight // a virtual day begins: daily budgets start again
)

// startPacing starts every budgeted bidder's controller and schedules the
// first pacing update.
func (e *Engine) startPacing() {
	for i := range e.bidders {
		e.startController(&e.bidders[i])
	}
	e.push(event{at: e.nextPace(), kind: evPacing, arg: paceUpdate})
	if e.dailies {
		e.push(event{at: Day, kind: evPacing, arg: paceMidnight})
	}
}

// midnight starts the pacing of every bidder with a daily budget afresh
// for the day that begins, as if the run began now with the day's
// budget: a controller that held its bids back at the end of yesterday's
// budget would take many updates to open again. It schedules the next
// midnight.
func (e *Engine) midnight() {
	for i := range e.bidders {
		b := &e.bidders[i]
		if b.day == nil {
			continue
		}
		b.day.roll(e.now)
		e.startController(b)
	}
	if next := addTime(e.now, Day); next < EndOfTime {
		e.push(event{at: next, kind: evPacing, arg: paceMidnight})
	}
}

// startController starts b's pacing from what is known before anything
// has been spent at its current budget: throttle pacing at the probability
// its cost prior gives, multiplier pacing with the search for μ. A live
// change that gives a bidder pacing calls it too, so that pacing never
// starts unpaced.
func (e *Engine) startController(b *bidder) {
	if !b.budgeted {
		return
	}
	switch b.pacing {
	case PacingThrottle:
		b.throttleFromCost(e.now, e.evenRate(b), e.requestRate())
	case PacingMultiplier:
		b.startMultiplier(e.now, e.evenRate(b), e.requestRate(), e.maxMu)
		if b.search.active && !e.searching {
			e.searching = true
			e.scheduleProbe()
		}
	}
}

// evenRate is the spend per ns that would use b's remaining budget evenly
// over the rest of the horizon.
func (e *Engine) evenRate(b *bidder) float64 {
	r := float64(max(b.budget-b.stats.Spend, 0)) / float64(max(e.horizon-e.now, 1))
	if b.day != nil {
		r = min(r, b.day.rate(e.now)) // the day's plan, when tighter
	}
	return r
}

// scheduleProbe schedules the start-up search's next probe: its window
// opens tmax from now and it is judged a searchStep from now.
func (e *Engine) scheduleProbe() {
	e.push(event{at: addTime(e.now, e.tmax), kind: evPacing, arg: paceMark})
	e.push(event{at: addTime(e.now, e.searchStep()), kind: evPacing, arg: paceProbe})
}

// searchStep is the time from one probe of the start-up search to the
// next: tmax for the auctions bid before the probe to close, then a
// window of at least tmax (a startupTicks-th of the pacing interval on
// long runs) to measure the probe's spend.
func (e *Engine) searchStep() Time {
	return addTime(e.tmax, max(e.tmax, e.pacingInterval/startupTicks, 1))
}

// longestWindow is the longest a probe's window stays open waiting for
// wins: four windows.
func (e *Engine) longestWindow() Time {
	return 4 * (e.searchStep() - e.tmax)
}

// stepSearch judges every searching bidder's probe and schedules the next
// probe's window while any bidder still searches.
func (e *Engine) stepSearch() {
	e.searching = false
	for i := range e.bidders {
		b := &e.bidders[i]
		if !b.search.active {
			continue
		}
		if b.pacing != PacingMultiplier || !b.budgeted {
			b.search.active = false // a live change ended its pacing
			continue
		}
		b.stepSearch(e.now, e.evenRate(b), e.maxMu, e.longestWindow())
		e.searching = e.searching || b.search.active
	}
	if e.searching {
		e.scheduleProbe()
	}
}

// nextPace is when the pacing update after paceTicks updates is due: every
// startupTicks-th of the first interval, then every interval.
func (e *Engine) nextPace() Time {
	if k := Time(e.paceTicks + 1); k < startupTicks {
		if step := e.startupStep(); step < e.pacingInterval/k && step*k > e.now {
			return step * k
		}
	}
	if e.now < e.pacingInterval {
		return e.pacingInterval
	}
	return addTime(e.now, e.pacingInterval)
}

// requestRate is the ad requests expected per ns at the current instant.
func (e *Engine) requestRate() float64 {
	r := e.qps / float64(Second)
	if e.shape != nil {
		r *= e.shapeAt(e.now)
	}
	return r
}

// startupStep is the time between start-up updates: a startupTicks-th of
// the interval, but at least twice tmax, as spend shows only when auctions
// close, tmax after the bids: a controller updated more often than that
// would react to its own past many times over.
func (e *Engine) startupStep() Time {
	return max(e.pacingInterval/startupTicks, addTime(e.tmax, e.tmax), 1)
}

// pace updates every bidder's pacing for the time since the last update
// and schedules the next update; none is scheduled at EndOfTime.
func (e *Engine) pace() {
	dt := e.now - e.lastPace
	startup := e.now <= e.pacingInterval
	rate := e.requestRate()
	for i := range e.bidders {
		e.bidders[i].pace(e.now, dt, e.horizon, e.epsilon, e.maxMu, rate, startup)
		e.bidders[i].stepGoal(e.now, dt)
	}
	e.lastPace = e.now
	e.paceTicks++
	if next := e.nextPace(); next < EndOfTime {
		e.push(event{at: next, kind: evPacing, arg: paceUpdate})
	}
}

// push schedules ev, giving it the next sequence number.
func (e *Engine) push(ev event) {
	e.seq++
	ev.seq = e.seq
	if ev.kind == evClose && e.closes.accepts(&ev) {
		e.closes.push(ev)
		return
	}
	e.q.push(ev)
}

// scheduleArrival draws the next ad request after now: a Poisson process,
// at the rate of the daily shape's part when there is one. Times are whole
// nanoseconds, but each gap carries the fraction of a nanosecond the last
// one left over, so arrival times are the exact process's rounded down and
// the rate is unbiased at any qps; several requests may share a
// nanosecond. A request that would come after EndOfTime never comes.
func (e *Engine) scheduleArrival() {
	var t Time
	var frac float64
	if e.shape != nil {
		t, frac = e.shapedArrival()
	} else {
		if e.qps != e.gapQPS { // set at start and by live rate changes
			e.gap, e.gapQPS = float64(Second)/e.qps, e.qps
		}
		g := e.trafficDraw()*e.gap + e.arrivalFrac
		d := timeOf(g) // rounds down: g ≥ 0
		frac = g - float64(d)
		if !(frac < 1) { // saturated, or a gap too long for fractions
			frac = 0
		}
		t = addTime(e.now, d)
	}
	if t >= EndOfTime {
		t, frac = never, 0
	}
	e.seq++
	e.nextArrival, e.arrivalSeq, e.arrivalFrac = t, e.seq, frac
}

// shapedArrival draws the next arrival of the shaped process by inversion:
// an exponential amount of expected arrivals is used up part by part of
// the day at each part's rate, whole days at a time when it is more than
// a day's worth. Unlike thinning, its work does not grow with the ratio of
// the highest part to the others: at most two days' parts per arrival.
func (e *Engine) shapedArrival() (Time, float64) {
	const day = 24 * Hour
	rate := e.qps / float64(Second) // per ns at multiplier 1
	need := e.trafficDraw()
	start := e.now - e.now%day              // the day's first instant
	x := float64(e.now%day) + e.arrivalFrac // ns into the day, exactly
	i := e.part(e.now % day)
	for pass := 0; pass < 3; pass++ {
		for ; i < len(e.shape); i++ {
			r := rate * e.shape[i]
			end := float64(e.partStart(i + 1))
			if avail := (end - x) * r; r > 0 && avail >= need {
				x += need / r
				whole := math.Floor(x)
				return addTime(start, Time(whole)), x - whole
			} else if avail > 0 {
				need -= avail
			}
			x = max(x, end)
		}
		// The day is used up: skip the whole days the rest needs.
		start = addTime(start, day)
		if perDay := rate * e.shapeDay; need >= perDay {
			days := math.Floor(need / perDay)
			if !(days < float64(EndOfTime/day)) {
				return EndOfTime, 0
			}
			need -= days * perDay
			start = addTime(start, Time(days)*day)
		}
		if start >= EndOfTime {
			return EndOfTime, 0
		}
		i, x = 0, 0
	}
	return start, 0 // only by rounding at the very end of a day
}

// part is the index of the daily shape's part that holds offset ns into
// the day, computed in 128 bits so that any number of parts is exact.
func (e *Engine) part(offset Time) int {
	const day = 24 * Hour
	hi, lo := bits.Mul64(uint64(offset), uint64(len(e.shape)))
	i, _ := bits.Div64(hi, lo, uint64(day)) // hi < day: no panic
	return int(i)
}

// partStart is the first instant of part i of the day: the least offset
// whose part is i.
func (e *Engine) partStart(i int) Time { return partStartOf(i, len(e.shape)) }

// partStartOf is the first instant of part i of a day cut into n equal
// parts, 0 ≤ i ≤ n: the least offset whose part is i.
func partStartOf(i, n int) Time {
	const day = 24 * Hour
	hi, lo := bits.Mul64(uint64(i), uint64(day))
	q, r := bits.Div64(hi, lo, uint64(n)) // i ≤ n: hi < n
	if r != 0 {
		q++
	}
	return Time(q)
}

// shapeAt is the daily multiplier at t ≥ 0.
func (e *Engine) shapeAt(t Time) float64 {
	return e.shape[e.part(t%(24*Hour))]
}

// arrive fans an ad request out to every enabled bidder and schedules the
// auction's close at the deadline.
func (e *Engine) arrive() {
	e.scheduleArrival()
	e.requestID++
	e.x.Requests++
	e.x.InFlight++
	slot := e.pool.get()
	a := &e.pool.states[slot]
	*a = auctionState{
		id:        e.requestID,
		start:     e.now,
		tmax:      e.tmax,
		auction:   e.auction,
		floor:     e.floor,
		increment: e.increment,
		stay:      math.Inf(1), // nobody leaves an auction fanned out while nobody leaves
	}
	e.deadlines(a)
	if e.people != nil {
		a.person = e.people.draw()
		e.fetchRow(e.people.ahead)
	}
	if e.abandon.On() {
		a.stay = e.rAbandon.Float64()
	}
	rs := e.pool.responses(slot)
	last, hung, awaits := a.lead, false, false
	if e.remote == nil {
		// The usual case, in two passes: a loop that only calls keeps no
		// values a call would spill (Go keeps no register across a call).
		for i := range e.bidders {
			e.bidders[i].respond(a, &rs[i])
		}
		for i := range rs {
			// Not sent and refused have Time 0, at most lead.
			last = max(last, rs[i].Time)
			hung = hung || rs[i].Status == Hang
		}
	} else {
		for i := range e.bidders {
			r := &rs[i]
			if e.sendRemote(a, i, r) {
				// A remote answer is known only at the close: the auction
				// waits for its deadline unless the wire says every call
				// has ended (CloseRemote, sim/remote.go).
				awaits = awaits || r.Status != NotSent
				continue
			}
			e.bidders[i].respond(a, r)
			last = max(last, r.Time)
			hung = hung || r.Status == Hang
		}
	}
	if hung {
		last = never
	}
	a.answered = last
	deadline := addTime(a.start, a.tmax)
	if e.holdOpen || awaits || last >= a.tmax {
		e.push(event{at: deadline, kind: evClose, ref: slot})
		if awaits {
			e.remote.open[a.id] = slot
		}
		return
	}
	// Closing early: the close leaves the deadlines' time order, so it
	// goes to the heap, leaving the FIFO to the closes at deadlines.
	e.seq++
	e.q.push(event{at: addTime(a.start, last), seq: e.seq, kind: evClose, ref: slot})
}

// opening is what a close, of one item or of slots, starts from: the
// auction in slot, its responses (a remote run's collected first), and
// the series point of now with its bidders' points.
func (e *Engine) opening(slot int32) (a *auctionState, rs []Response, pt *SeriesPoint, bps []BidderPoint) {
	a = &e.pool.states[slot]
	rs = e.pool.responses(slot)
	if e.remote != nil {
		e.collectRemote(a, rs)
	}
	pt, bps = e.seriesAt(e.now)
	return a, rs, pt, bps
}

// close resolves an auction when every called bidder has answered, or at
// its deadline, with the bids that arrived in time, settles every bidder,
// and records the metrics.
func (e *Engine) close(slot int32) {
	if e.slots != nil {
		e.closeSlots(slot)
		return
	}
	a, rs, pt, bps := e.opening(slot)

	// Passes over the responses, each with few values to keep in
	// registers (Go spills them around a call, and a loop doing it all
	// kept too many): bids their bidders can no longer pay are withdrawn;
	// the tmax curve buckets the bids; the top two eligible on-time bids
	// are found, ties broken uniformly at random, and the top two of
	// on-time and late bids together, for the price the auction would
	// have cleared at had no bid been late; each bidder is settled.
	at := e.now
	if a.id <= e.changedAt || e.people != nil || e.remote != nil {
		e.recheck(a, rs, at)
	}
	var curveMask uint64
	curveLeft, masked := 0, false
	curve := e.curveFor(a)
	if curve != nil {
		curveLeft, masked = curve.start(a)
		if masked {
			curveMask = curve.bucket(a, e.curveView(rs))
		}
	}
	win, best, second, eligible, tied := topTwo(rs)
	if tied {
		// A tie draws: again, with the draws, in the order they come.
		win, best, second, eligible = e.topTwoTied(rs)
	}
	// Without a branch (late or not is a coin toss to the processor): a
	// bid that does not count is taken as 0, which changes neither of the
	// top two, and a bid above the best pushes it down to second.
	allN := uint64(0)
	var allBest, allSecond Price
	late := uint64(0)
	for i := range rs {
		r := &rs[i]
		isLate := b2u(r.Status == Late)
		in := b2u(r.Status == OnTime) | isLate&b2u(r.Bid >= a.floor)
		late += isLate
		allN += in
		bid := r.Bid & Price(-int64(in))
		allSecond = max(allSecond, min(allBest, bid))
		allBest = max(allBest, bid)
	}
	var cut []bool // on the wire: the calls whose times the close does not know
	if e.remote != nil {
		cut = e.remote.cut
	}
	for i := range rs {
		if rs[i].Status != NotSent {
			b := &e.bidders[i]
			b.settle(&rs[i], a.lead, cut != nil && cut[i])
			if rs[i].held {
				b.freq.release(a.person)
			}
		}
	}
	if masked {
		curve.sweep(a, curveMask, curveLeft)
	} else if curve != nil {
		curve.addSorted(a, e.curveView(rs), curveLeft)
	}
	if e.remote != nil {
		allBest, allSecond, allN = e.remote.foldLate(a.floor, allBest, allSecond, allN)
	}
	price, reason := clear(a, best, second, eligible)
	whatIf, _ := clear(a, allBest, allSecond, int(allN))
	lost := whatIf - price
	var kept *lateAuction
	if e.remote != nil {
		kept = e.keepLate(a, at, rs, allBest, allSecond, int(allN), whatIf, false)
	}

	wait := e.closed(pt, at-a.start, late, lost.Cost())
	gone := e.abandon.On() && e.abandon.leaves(wait, a.stay)
	if e.holdouts {
		e.ghosts(a, rs, best, eligible, gone)
	}
	left := win >= 0 && gone
	if win >= 0 {
		cost := price.Cost()
		e.x.Filled++
		e.x.Revenue = addMoney(e.x.Revenue, cost)
		e.x.MaxPrice = max(e.x.MaxPrice, price)
		pt.Filled++
		pt.Revenue = addMoney(pt.Revenue, cost)
		pt.MaxPrice = max(pt.MaxPrice, price)
		if left {
			// Cleared, but the person has left: the impression is not
			// rendered and the winner does not pay.
			e.x.Abandoned++
			e.x.AbandonedRevenue = addMoney(e.x.AbandonedRevenue, cost)
		} else {
			e.credit(&bps[win], win, cost, rs[win].Value.Cost(), 1, a.person)
		}
	} else {
		e.x.Unfilled++
	}
	e.counterfactuals(a, rs, win, price, best, second, eligible, left)
	if e.learners {
		for i := range rs {
			if rs[i].arm != 0 {
				e.bidders[i].learnFrom(&rs[i], i == win && !left, price)
				bps[i].LearnFactor = e.bidders[i].learnedFactor()
			}
		}
	}

	free := slot
	if len(e.recent.recs) > 0 {
		if kept != nil {
			kept.rec = e.recent.next // where add puts it
		}
		var rec *AuctionRecord
		rec, free = e.recent.add(slot)
		*rec = AuctionRecord{
			ID: a.id, Start: a.start, Close: at, Auction: a.auction, Tmax: a.tmax,
			BidderTmax: a.told, RequestProcessing: a.lead, Floor: a.floor, Increment: a.increment, Winner: win, Price: price,
			Reason: reason, LostToTimeouts: lost, Abandoned: left, Person: a.person,
		}
		if eligible > 1 {
			rec.SecondBid = second
		}
		if e.remote != nil {
			e.remote.showLate(rs)
		}
	}
	if free >= 0 {
		e.pool.put(free)
	}
}

// closeAcross closes an auction fanned out before the last change: what
// its close adds to the counters is added to the change's baseline too,
// so that SinceChange counts only the auctions fanned out after the
// change, in the world the change made (a floor raised at a change fills
// nothing since it, however many auctions were in flight). Only the
// auctions in flight at a change close here.
//
// The wait of one fanned out before the recent wait last started afresh
// goes with the waits set aside then, not with those since (latencies.aside).
func (e *Engine) closeAcross(slot int32) {
	e.sinceChange.shift(e, false)
	if e.pool.states[slot].id <= e.waitsFrom {
		e.waits.aside(func() { e.close(slot) })
	} else {
		e.close(slot)
	}
	e.sinceChange.shift(e, true)
}

// recheck withdraws the bids of rs their bidders can no longer pay, or
// that a frequency cap now blocks. A bid can become unaffordable only by a
// change made while it was in flight: each bid reserves its cost, and
// every bid's bidder keeps spend + reserved within its budget from the
// bid on (a close moves at most a bid's reservation into spend; a later
// bid reserves at most what is left), so the close calls this only for
// an auction fanned out before the last change, with people (caps) or on
// the wire, whose answers reserve nothing (TestRecheckNeeded).
func (e *Engine) recheck(a *auctionState, rs []Response, at Time) {
	for i := range rs {
		if rs[i].Status >= Late {
			b := &e.bidders[i]
			b.affordable(&rs[i])
			if b.freq != nil {
				b.capAtClose(&rs[i], a.person, at)
			}
		}
	}
}

// credit books an impression bidder i won at cost, worth value to it, in
// a slot of click-through weight w (1: the single item): its wins, spend
// (and its day's), value, the series, the person's frequency and the
// outcomes drawn. One place for the single-item close and the slots'.
func (e *Engine) credit(bp *BidderPoint, i int, cost, value Money, w float64, person uint32) {
	b := &e.bidders[i]
	b.stats.Wins++
	b.stats.Spend = addMoney(b.stats.Spend, cost)
	if d := b.day; d != nil {
		d.charge(e.now, cost)
		bp.DaySpend, bp.dayStamp = d.days[len(d.days)-1].Spend, int32(len(d.days))
	}
	b.stats.Value = addMoney(b.stats.Value, value)
	e.x.Value = addMoney(e.x.Value, value)
	bp.Wins++
	bp.Spend = addMoney(bp.Spend, cost)
	if b.freq != nil {
		b.freq.saw(person, e.now)
	}
	b.outcomesAt(e, int32(i), w, person)
}

// topTwo finds the top two eligible (on-time) bids of rs, eligible of
// them, and the first of the best, win (−1: none), without a branch:
// whether a bid is on time, and how it compares with the others, are coin
// tosses to the processor. A bid that is not eligible is taken as −2,
// below every bid and the start's −1. tied reports a bid equal to the
// best before it, whose winner is drawn, or a bid below 0, which no floor
// lets through: topTwoTied settles either as the rules say.
func topTwo(rs []Response) (win int, best, second Price, eligible int, tied bool) {
	win, best = -1, -1 // raw: a sentinel below every bid, not an amount
	var ties uint64
	for i := range rs {
		r := &rs[i]
		in := b2u(r.Status == OnTime)
		// raw: −2 is a sentinel below the start's −1, not an amount.
		bid := r.Bid&Price(-int64(in)) | -2&Price(int64(in)-1)
		eligible += int(in)
		ties |= b2u(bid == best) | in&(uint64(bid)>>63)
		if bid > best {
			win = i
		}
		second = max(second, min(best, bid))
		best = max(best, bid)
	}
	return win, max(best, 0), second, eligible, ties != 0
}

// topTwoTied is topTwo for an auction with a tie, broken uniformly at
// random on the exchange's stream.
func (e *Engine) topTwoTied(rs []Response) (win int, best, second Price, eligible int) {
	win, ties := -1, 0
	for i := range rs {
		r := &rs[i]
		if r.Status != OnTime {
			continue
		}
		eligible++
		switch bid := r.Bid; {
		case win < 0:
			win, best, ties = i, bid, 1
		case bid > best:
			second, best, win, ties = best, bid, i, 1
		case bid == best:
			second = bid
			ties++
			if e.exchange.IntN(ties) == 0 {
				win = i
			}
		case bid > second:
			second = bid
		}
	}
	return win, best, second, eligible
}

// closed counts an auction closed after wait, with late late bids and
// lost revenue lost to them, in both close and closeSlots. Money totals
// saturate at MaxMoney rather than wrap.
func (e *Engine) closed(pt *SeriesPoint, wait Time, late uint64, lost Money) Time {
	e.x.InFlight--
	e.x.Auctions++
	e.waits.record(wait)
	e.x.RevenueLost = addMoney(e.x.RevenueLost, lost)
	pt.Auctions++
	pt.Timeouts += late
	pt.RevenueLost = addMoney(pt.RevenueLost, lost)
	return wait
}

// clear is the price of an auction whose top eligible bids are best and
// second (n of them), and what set it. Second price: max(second, floor) +
// increment, never more than the winner's bid; first price: the bid.
func clear(a *auctionState, best, second Price, n int) (Price, PriceReason) {
	switch {
	case n == 0:
		return 0, NoSale
	case a.auction == FirstPrice:
		return best, FirstPriceBid
	}
	base, reason := second, SecondBid
	if n < 2 || second < a.floor {
		base, reason = a.floor, FloorPrice
	}
	if p := base + a.increment; p <= best {
		return p, reason
	}
	return best, CappedAtBid
}

// Snapshot returns an immutable copy of the engine's state and metrics.
func (e *Engine) Snapshot() *Snapshot {
	s := &Snapshot{
		Name:   e.name,
		Seed:   e.seed,
		Now:    e.now,
		Events: e.events,
		Settings: Settings{
			Auction: e.auction, Tmax: e.tmax, Floor: e.floor,
			Increment: e.increment, QPS: e.qps * e.scale,
			Rate: e.Rate(), BidderTmax: e.adj.BidderTmax(e.tmax), TmaxAdjustments: e.adj,
			Abandonment: e.abandon, HoldOpen: e.holdOpen, Scale: e.scale,
		},
		TmaxCurve:       e.curve.snapshot(),
		TmaxCurveRecent: e.curve.recentSnapshot(),
		TmaxCurveExact:  e.curve != nil && e.tmaxCurveExact(),
		TmaxCurveFrom:   e.curve.startedAt(),
		ScriptRefused:   append([]string(nil), e.script.refused...),
		Exchange:        e.x,
		Bidders:         make([]BidderStats, len(e.bidders)),
		Series:          e.seriesSnapshot(),
		Recent:          e.recent.snapshot(&e.pool),
		Changes:         e.ChangeLog(),
	}
	s.TmaxCurveCensoredAbove, s.TmaxCurveCensoredBy = e.curve.censoredBy()
	if e.slots != nil {
		s.Slots = append([]SlotStats(nil), e.slots.stats...)
	}
	x := &s.Exchange
	x.Wait, x.RecentWait = e.waits.stats()
	if x.RecentWaitCover = e.waits.cover(); x.RecentWaitCover != WaitLatest {
		x.RecentWaitFrom = e.waitsAt
	}
	for i := range e.bidders {
		b := &e.bidders[i]
		st := b.counters()
		st.Strategy = b.strategy
		st.Pacing = b.pacing
		st.Throttle = b.throttle
		st.Mu = b.mu
		if b.strategy.Kind == Learn {
			st.Learn = b.learn.stats()
		}
		st.Goal = b.goalStats()
		st.Searching = b.search.active
		if b.day != nil {
			st.Daily, st.Delivery, st.Days = b.day.budget, b.day.delivery, b.day.daysAt(e.now)
		}
		b.peopleFigures(&st, e.now)
		st.LatencyDist, st.NetworkDist = b.net.dist, b.rtt.dist
		st.Latency, st.RecentLatency = b.times.stats()
		if b.hasRTT {
			st.Network, _ = b.network.stats()
		}
		s.Bidders[i] = st
		x.add(&st)
	}
	e.derive(s)
	e.scaleUp(s)
	s.theory = e.theory
	e.planners(s)
	return s
}

// counters is b's counters as Snapshot and Counters both give them: its
// own, the bids by how they ended, its name, group and budget.
func (b *bidder) counters() BidderStats {
	st := b.stats
	c := &b.count
	st.Name, st.Enabled, st.Group = b.name, b.enabled, b.group
	st.Late, st.BelowFloor = c[Late], c[BelowFloor]
	st.OnTime = c[OnTime] + c[BelowFloor]
	st.Counterfactual.Auctions = b.counterfactualAuctions()
	st.Bids = st.OnTime + st.Late
	st.Errors, st.Refused, st.NoBids, st.Hangs = c[Error], c[Refused], c[NoBid], c[Hang]
	st.BidRequests = st.Bids + st.NoBids + st.Errors + st.Refused + st.Hangs
	st.NoBudget, st.Throttled = b.noBids[NoBudget], b.noBids[Throttled]
	st.SkippedDeadline = b.noBids[MissesDeadline]
	st.Budget, st.Unlimited = b.budget, !b.budgeted
	if b.noTotal {
		st.Budget, st.Unlimited = 0, true
	}
	st.HasOutcome = b.outcome != nil
	if st.HasOutcome {
		st.OrderValue = b.outcome.OrderValue
	}
	return st
}

// peopleFigures sets st's figures of a world with people, as Snapshot and
// Counters both give them: its frequency (which says the world has
// people) and the conversions without its ads, from which its
// incremental figures are taken (BidderStats.IncrementalConversions).
func (b *bidder) peopleFigures(st *BidderStats, now Time) {
	if b.freq != nil {
		st.Frequency = b.freq.stats(b.noBids[FrequencyCapped])
	}
	if b.wo != nil {
		st.WithoutAd = b.wo.at(now)
		st.ValueWithoutAd = moneyTimes(b.outcome.OrderValue, st.WithoutAd)
		st.WithoutAdPending = b.wo.drawn() - st.WithoutAd
	}
}

// add counts a bidder's bid requests, by how they ended, into the
// exchange's (which counts auctions and money itself).
func (x *ExchangeStats) add(st *BidderStats) {
	x.BidRequests += st.BidRequests
	x.Bids += st.Bids
	x.OnTime += st.OnTime
	x.Late += st.Late
	x.BelowFloor += st.BelowFloor
	x.NoBids += st.NoBids
	x.Errors += st.Errors
	x.Refused += st.Refused
	x.Hangs += st.Hangs
	x.SkippedDeadline += st.SkippedDeadline
}
