package sim

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The draw pipeline: a producer goroutine makes a single run's random
// draws on the machine's second core, ahead of the engine, which reads
// them in order. Each stream's draws do not depend on the engine's state
// (only how many of them the engine uses does), so the producer can draw a
// stream's values before the engine asks for them, and the engine reads
// exactly the values, in exactly the order, that it would have drawn
// itself: the run's output is byte for byte the one-core engine's
// (TestPipelineIdenticalRandom, TestPipelineBundledScenarios).
//
// Each piped stream has a ring of batches, written by the producer alone
// and read by the engine alone (single producer, single consumer): the
// handoff is one atomic store and one atomic load a batch of pipeBatch
// values, not a message per value. Each batch carries the stream's state
// before and after it, so that the engine knows at every moment the exact
// state the one-core engine's stream would have: StopPipeline writes
// those states back into the engine's streams, and Clone gives its copy
// them, so that neither can tell the pipeline was ever on.
//
// A live change of a latency distribution needs no flush: the engine
// draws the first batch after the change itself, from the exact state,
// and tells that stream's producer where to carry on; the batches the
// producer made with the old distribution are dropped as the engine meets
// them. No other stream's distribution can change during a run. The same
// restart serves when the engine finds a ring empty (the producer's core
// busy elsewhere): it never waits.
//
// The project's rule of no goroutines inside a run is relaxed for this
// producer alone, as its output is identical.

// pipeBatch is the number of values in a batch: a sampler's batch, so
// that a sampler's batches are the pipe's.
const pipeBatch = samplerBatch

// pipeSlots is the number of batches in a ring: 8192 values ahead, four
// milliseconds or more of the engine's work. The producer fills every
// ring, then sleeps until one of them is down to lowWater batches: waking
// it costs the engine a system call, once every 2048 values or so, and the
// rest of the ring gives the producer time to get a core before the
// engine would have to draw a batch itself. On a busy machine the wait for
// a core can be long: with 64 batches a ring (half of them as slack), the
// engine drew a quarter of its batches itself at load average 8, with
// three quarters about a tenth; at load average 2–4 still 12–42% with 64
// batches a ring, 0.1–24% (median 10) with 256 (BENCHMARKS.md, fourth
// pass). About 3.3 MB of rings on the perf world (43 streams).
const (
	pipeSlots = 256
	lowWater  = pipeSlots * 3 / 4
)

// slotLines is the number of cache lines sl spans: 296 bytes, five lines
// or six as it lies. The prefetches step a line at a time from sl, so
// they touch exactly these, never a line of the slot after alone.
func slotLines(sl *slot) int {
	p := uintptr(unsafe.Pointer(sl))
	return int((p+unsafe.Sizeof(*sl)-1)>>6-p>>6) + 1
}

// maxSlotLines is the most cache lines a slot spans.
const maxSlotLines = int(unsafe.Sizeof(slot{})+63)/64 + 1

// publishEvery is how many batches the producer writes between
// publishing its head. The store is atomic, a full fence on amd64 (XCHG):
// it waits until the batch's own stores are done, and those go to lines
// the engine's core read last, each a miss. Published after every batch,
// the producer sat out those misses one batch at a time (a quarter of its
// time on the perf world); every 16th, they overlap with the draws.
const publishEvery = 16

// pcgState is a PCG's whole state, as rand.PCG holds it.
type pcgState struct{ hi, lo uint64 }

// stateOf reads p's state: rand.PCG is its two words, hi then lo
// (TestPCGLayout checks), which Seed sets.
func stateOf(p *rand.PCG) pcgState { return *(*pcgState)(unsafe.Pointer(p)) }

// setState puts p at state s.
func setState(p *rand.PCG, s pcgState) { p.Seed(s.hi, s.lo) }

// pcgOf is the PCG r draws from (every stream is one: newStream).
func pcgOf(r *rand.Rand) *rand.PCG { return sourceOf(r).(*rand.PCG) }

// drawKind is how a piped stream turns its raw numbers into values.
type drawKind uint8

const (
	drawFloat drawKind = iota // Rand.Float64: decisions, pacing
	drawExp                   // Rand.ExpFloat64: arrivals
	drawDist                  // Dist.Sample: latencies, values, service times
)

// drawFn is one stream's draw.
type drawFn struct {
	kind drawKind
	dist Dist
}

// fill draws len(xs) values into xs, as that many draws one at a time
// would.
func (f *drawFn) fill(xs []float64, r *rand.Rand) {
	switch f.kind {
	case drawFloat:
		for k := range xs {
			xs[k] = r.Float64()
		}
	case drawExp:
		for k := range xs {
			xs[k] = r.ExpFloat64()
		}
	default:
		f.dist.fill(xs, r)
	}
}

// slot is one batch of a stream's values.
type slot struct {
	vals       [pipeBatch]float64
	start, end pcgState // the stream's state before and after the batch
	version    uint64   // the producer's start it was drawn from (ring.version)
}

// ring is one stream's batches. head and tail count the batches written
// and released; each is written by one side only, on a cache line of its
// own.
type ring struct {
	_     [64]byte
	head  atomic.Uint64 // written by the producer
	_     [56]byte
	tail  atomic.Uint64 // written by the engine
	_     [56]byte
	slots [pipeSlots]slot

	// The producer's own.
	pcg      rand.PCG
	r        *rand.Rand
	fn       drawFn
	version  uint64
	tailSeen uint64 // tail when last loaded

	// A new start for the stream, from the engine (after a batch it drew
	// itself): when ctlVersion passes version, the producer carries on
	// from ctl.
	ctlVersion atomic.Uint64
	ctlMu      sync.Mutex
	ctl        struct {
		state   pcgState
		fn      drawFn
		version uint64
	}
}

func newRing(state pcgState, fn drawFn) *ring {
	g := &ring{fn: fn}
	setState(&g.pcg, state)
	g.r = rand.New(&g.pcg)
	return g
}

// top fills the ring's free slots, reporting whether it filled any. The
// producer's.
func (g *ring) top() bool {
	if v := g.ctlVersion.Load(); v != g.version {
		// Taken only if it is a start the producer has not taken: a
		// start taken again would draw its batches a second time, under
		// the version the engine reads.
		g.ctlMu.Lock()
		if g.ctl.version != g.version {
			setState(&g.pcg, g.ctl.state)
			g.fn, g.version = g.ctl.fn, g.ctl.version
		}
		g.ctlMu.Unlock()
	}
	head := g.head.Load()
	if head-g.tailSeen == pipeSlots {
		g.tailSeen = g.tail.Load()
		if head-g.tailSeen == pipeSlots {
			return false
		}
	}
	for ; head-g.tailSeen < pipeSlots; head++ {
		s := &g.slots[head%pipeSlots]
		if free := pipeSlots - (head + 1 - g.tailSeen); free > 0 {
			// The next slot is free: ask for its lines, which the
			// engine's core read last, while this one is drawn; as
			// many as a slot spans at most, the last perhaps the start
			// of the slot after, drawn next. But only the slot's own
			// when the slot after may be the engine's, still being
			// read. (Six lines always measured some 10–20 ns an auction
			// cheaper than each slot's own five or six.)
			next := &g.slots[(head+1)%pipeSlots]
			n := maxSlotLines
			if free == 1 {
				n = slotLines(next)
			}
			prefetchWrite(unsafe.Pointer(next), n)
		}
		s.start = stateOf(&g.pcg)
		g.fn.fill(s.vals[:], g.r)
		s.end, s.version = stateOf(&g.pcg), g.version
		if (head+1)%publishEvery == 0 {
			g.head.Store(head + 1)
		}
	}
	g.head.Store(head)
	return true
}

// low reports whether the ring is down to lowWater batches or has a new
// start to take: what the engine wakes the producer for. The producer's.
func (g *ring) low() bool {
	g.tailSeen = g.tail.Load()
	return g.head.Load()-g.tailSeen <= lowWater || g.ctlVersion.Load() != g.version
}

// reader is the engine's end of a ring. It copies each batch out of the
// ring at once: the batch's cache lines come over from the producer's
// core together rather than one miss at a time, and the slot goes back
// to the producer straight away.
//
// The engine never waits for the producer: when the ring is empty (the
// producer's core is busy elsewhere) it draws the batch itself, from the
// exact state it knows, as the one-core engine would, and tells the
// producer to carry on after it; the batches the producer made meanwhile
// carry the older version and are dropped. A busy machine makes the
// pipeline no slower than the engine alone, give or take the handoff.
type reader struct {
	buf  [pipeBatch]float64
	j    int // buf[j:] are still to be read
	g    *ring
	p    *pipeline
	head uint64 // g.head when last loaded
	tail uint64 // batches taken
	// start and resume are the stream's states before and after the batch
	// in buf; before the first, both are the state the pipeline started
	// from.
	start, resume pcgState
	fn            drawFn
	// version numbers the producer's restarts; a batch of another version
	// is dropped. pending: the draw has changed (a sampler's distribution)
	// since the last batch, so the next is drawn here.
	version uint64
	pending bool
}

// next returns the stream's next value.
func (r *reader) next() float64 {
	if r.j == pipeBatch {
		r.advance()
	}
	x := r.buf[r.j]
	r.j++
	return x
}

// advance takes the next batch.
//
//go:noinline
func (r *reader) advance() {
	r.take(&r.buf)
	r.j = 0
}

// take puts the stream's next batch in buf.
func (r *reader) take(buf *[pipeBatch]float64) {
	for !r.pending {
		if r.head == r.tail {
			r.head = r.g.head.Load()
			if r.head == r.tail {
				break // empty: draw it here
			}
		}
		sl := &r.g.slots[r.tail%pipeSlots]
		fresh := sl.version == r.version
		if fresh {
			*buf, r.start, r.resume = sl.vals, sl.start, sl.end
		}
		r.release()
		if fresh {
			if r.head != r.tail {
				// The next batch is written: ask for its lines now,
				// so that they come over from the producer's core
				// while this one is used (about 20 ns an auction less
				// on the engine's thread, perf world).
				prefetchSlot(&r.g.slots[r.tail%pipeSlots])
			}
			return
		}
	}
	// Drawn here, from where the stream stands; the producer carries on
	// after it.
	r.p.setScratch(r.resume)
	r.fn.fill(buf[:], r.p.scratchR)
	r.start, r.resume = r.resume, stateOf(&r.p.scratch)
	r.version++
	r.pending = false
	g := r.g
	// ctlVersion is stored with ctl, under the lock, so that the two
	// never disagree where the producer can see them.
	g.ctlMu.Lock()
	g.ctl.state, g.ctl.fn, g.ctl.version = r.resume, r.fn, r.version
	g.ctlVersion.Store(r.version)
	g.ctlMu.Unlock()
	if r.p.parked.Load() {
		r.p.wake()
	}
	r.p.selfDrawn++
}

// prefetchSlot asks for sl's cache lines, written by the producer's
// core, ahead of the take that reads them: a hint, which changes no
// value.
func prefetchSlot(sl *slot) {
	prefetchLines(unsafe.Pointer(sl), slotLines(sl))
}

// release hands a batch back to the producer, and wakes the producer if
// it sleeps and the ring has just run down to lowWater.
func (r *reader) release() {
	r.tail++
	r.g.tail.Store(r.tail)
	if r.p.parked.Load() && r.head-r.tail <= lowWater && r.g.head.Load()-r.tail == lowWater {
		r.p.wake()
	}
}

// state is the stream's exact state now: as the one-core engine's stream
// would be having drawn the values read so far.
func (r *reader) state() pcgState {
	if r.j == pipeBatch {
		return r.resume
	}
	return r.p.replay(r.start, &r.fn, r.j)
}

// samplerPipe is a sampler's end of a ring. A sampler keeps its batch in
// its own buffer (the reader's j stays at the end), and its stream's
// exact state is always after the batch in hand: resume.
type samplerPipe struct {
	reader
}

// refill fills s.buf with the sampler's next batch.
func (q *samplerPipe) refill(s *sampler) { q.take(&s.buf) }

// changed notes that the sampler's distribution is now d: the batch in
// hand is dropped, and the next is drawn with d.
func (q *samplerPipe) changed(d Dist) {
	q.fn = drawFn{kind: drawDist, dist: d}
	q.pending = true
}

// bidderPipes are a bidder's piped streams besides its samplers.
type bidderPipes struct {
	decide, value, service, pace *reader
}

// pipeline is the producer goroutine and its rings. It holds nothing of
// the engine's, so an engine dropped with its pipeline on can be
// collected, and its cleanup stops the producer.
type pipeline struct {
	rings  []*ring
	stop   atomic.Bool
	parked atomic.Bool
	wakeC  chan struct{}
	done   chan struct{}

	traffic *reader
	bidders []bidderPipes

	// The engine's scratch stream, to replay a batch's first draws.
	scratch  rand.PCG
	scratchR *rand.Rand

	cleanup runtime.Cleanup

	running atomic.Bool // the producer has been started

	// selfDrawn counts the batches the engine drew itself (a test's
	// window on the fallback).
	selfDrawn int
}

// wake rouses the producer if it sleeps.
func (p *pipeline) wake() {
	select {
	case p.wakeC <- struct{}{}:
	default:
	}
}

func (p *pipeline) setScratch(s pcgState) { setState(&p.scratch, s) }

// replay is the state of a stream at state start after n draws of fn.
func (p *pipeline) replay(start pcgState, fn *drawFn, n int) pcgState {
	var buf [pipeBatch]float64
	p.setScratch(start)
	fn.fill(buf[:n], p.scratchR)
	return stateOf(&p.scratch)
}

// produce is the producer: it fills every ring, and sleeps while none
// is down to lowWater batches. The engine wakes it when one is (release),
// or when it has drawn a batch itself (take).
func (p *pipeline) produce() {
	defer close(p.done)
	for !p.stop.Load() {
		worked := false
		for _, g := range p.rings {
			if g.top() {
				worked = true
			}
		}
		if worked {
			continue
		}
		// Sleep; but first look again, after saying so, so that a batch
		// released meanwhile is not missed (release stores tail, then
		// loads parked).
		p.parked.Store(true)
		low := false
		for _, g := range p.rings {
			if g.low() {
				low = true
				break
			}
		}
		if !low && !p.stop.Load() {
			<-p.wakeC
		}
		p.parked.Store(false)
	}
}

// halt stops the producer and waits for it to end.
func (p *pipeline) halt() {
	if !p.running.Load() {
		return
	}
	p.stop.Store(true)
	p.wake()
	<-p.done
}

// trafficDraw is the next arrival's exponential draw, on the traffic
// stream.
func (e *Engine) trafficDraw() float64 {
	if e.pl != nil {
		return e.pl.traffic.next()
	}
	return e.traffic.ExpFloat64()
}

// newReader adds a ring for stream r, drawn by fn from where it stands.
// Every stream of a bidder's response is piped, even the uniforms that
// cost one step of PCG each: copied a batch at a time, they cost the
// engine less from the ring than drawn (measured: about 30 ns an auction
// on the perf world).
func (p *pipeline) newReader(r *rand.Rand, fn drawFn) *reader {
	s := stateOf(pcgOf(r))
	g := newRing(s, fn)
	p.rings = append(p.rings, g)
	return &reader{g: g, p: p, j: pipeBatch, start: s, resume: s, fn: fn}
}

// pipe puts sampler s on the pipeline.
func (p *pipeline) pipe(s *sampler) {
	q := &samplerPipe{reader: *p.newReader(s.r, drawFn{kind: drawDist, dist: s.dist})}
	s.p = q
}

// StartPipeline puts the engine's random draws on a producer goroutine,
// which draws ahead of the engine on another core: a single long run goes
// faster where a second core is free, with every output exactly as
// without it (where none is, the engine draws what the producer has not,
// and goes about as fast as alone). It is for a run on its own; replications, which use the
// cores already, should not. StopPipeline stops the goroutine; until then
// the engine must not be used from more than one goroutine at a time (as
// always). An engine dropped with its pipeline on stops it when it is
// collected. Calling it again while the pipeline is on does nothing.
func (e *Engine) StartPipeline() {
	if e.pl == nil {
		e.startPipeline()
		e.pl.run()
	}
}

// run starts the producer.
func (p *pipeline) run() {
	p.running.Store(true)
	go p.produce()
}

// startPipeline puts the engine on a pipeline whose producer is not
// running yet (run starts it): until it does, the engine draws every
// batch itself.
func (e *Engine) startPipeline() {
	p := &pipeline{wakeC: make(chan struct{}, 1), done: make(chan struct{})}
	p.scratchR = rand.New(&p.scratch)
	p.traffic = p.newReader(e.traffic, drawFn{kind: drawExp})
	p.bidders = make([]bidderPipes, len(e.bidders))
	for i := range e.bidders {
		b := &e.bidders[i]
		bp := &p.bidders[i]
		bp.decide = p.newReader(b.rDecide, drawFn{kind: drawFloat})
		bp.value = p.newReader(b.rValue, drawFn{kind: drawDist, dist: b.value})
		bp.pace = p.newReader(b.rPace, drawFn{kind: drawFloat})
		if b.station != nil {
			bp.service = p.newReader(b.rService, drawFn{kind: drawDist, dist: b.station.service})
		}
		p.pipe(&b.net)
		p.pipe(&b.errLatency)
		if b.hasRTT {
			p.pipe(&b.rtt)
			p.pipe(&b.errNetwork)
		}
		b.pipes = bp
	}
	e.pl = p
	p.cleanup = runtime.AddCleanup(e, func(p *pipeline) { p.halt() }, p)
}

// StopPipeline stops the producer and leaves every stream exactly where
// the one-core engine's would be, so that the engine carries on alone as
// if the pipeline had never been on. It does nothing when the pipeline is
// off.
func (e *Engine) StopPipeline() {
	p := e.pl
	if p == nil {
		return
	}
	p.cleanup.Stop()
	p.halt()
	p.syncTo(e)
	e.pl = nil
}

// Pipelined reports whether the draw pipeline is on.
func (e *Engine) Pipelined() bool { return e.pl != nil }

// syncTo puts the streams of c (e, or a clone of e) at the states the
// pipeline's readers stand at, and takes c off the pipeline. The engine's
// side only: the producer is not touched.
func (p *pipeline) syncTo(c *Engine) {
	setState(pcgOf(c.traffic), p.traffic.state())
	for i := range c.bidders {
		b := &c.bidders[i]
		bp := &p.bidders[i]
		for _, s := range []struct {
			r *rand.Rand
			p *reader
		}{{b.rDecide, bp.decide}, {b.rValue, bp.value}, {b.rPace, bp.pace}, {b.rService, bp.service}} {
			if s.p != nil {
				setState(pcgOf(s.r), s.p.state())
			}
		}
		for _, s := range []*sampler{&b.net, &b.errLatency, &b.rtt, &b.errNetwork} {
			if s.p != nil {
				setState(pcgOf(s.r), s.p.resume)
				s.p = nil
			}
		}
		b.pipes = nil
	}
	c.pl = nil
}
