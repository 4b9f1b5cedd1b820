package sim

import (
	"math"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
)

// perfConfig is the perf world of BENCHMARKS.md ("The floor"): the
// benchmark world's eight bidders with latency mixtures (three with a
// lognormal tail, one with a 400 ms constant tail), two with finite
// capacity (one with a bounded queue that refuses), budgets with every
// pacing, outcomes, and the default tmax curve on.
func perfConfig() Config {
	cfg := benchConfig()
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	for i := range cfg.Bidders {
		b := &cfg.Bidders[i]
		med := float64(30+15*i) * float64(Millisecond)
		if i%3 == 1 {
			b.Latency = Mixture(Part{0.85, LogNormalMedianP99(med, 2*med)},
				Part{0.15, LogNormalMedianP99(3*med, 6*med)})
		}
		switch i {
		case 2:
			b.Capacity = &Capacity{Workers: 32, Service: LogNormalMedianP99(float64(20*Millisecond), float64(60*Millisecond))}
		case 5:
			b.Capacity = &Capacity{Workers: 4, Queue: 8, Service: Exponential(float64(3500 * Microsecond))}
		}
	}
	return cfg
}

// floorLoop is the floor the engine's speed is measured against: a tight
// loop that makes every random draw the engine makes, on the same streams
// and from the same distributions (each bidder's own respond: decision,
// latency, capacity, value, pacing; the exchange's tie-breaks; the
// winner's click, conversion and delay draws), and clears each auction by
// the same rule, but schedules no events: each auction is resolved as soon
// as its bids are drawn. It keeps no statistics beyond what it needs to
// show it did the work (TestFloorMatchesEngine). Pacing controllers keep
// their start-up settings (their updates are a few a second of virtual
// time, nothing per auction).
type floorLoop struct {
	e    *Engine // a fresh engine: its bidders, streams and settings
	a    auctionState
	rs   []Response
	next Time    // the next ad request
	frac float64 // its fraction of a nanosecond (Engine.arrivalFrac)
	gap  float64 // the mean gap, ns

	auctions, filled, late, conversions uint64
	revenue                             Money
	delays                              Time // the conversions' delays, drawn and summed
}

func newFloor(tb testing.TB, cfg Config) *floorLoop {
	e := mustNew(tb, cfg)
	if e.shape != nil || e.remote != nil || e.slots != nil || e.holdouts || e.learners || e.adjusted || e.abandon.On() {
		tb.Fatal("the floor covers the perf world's features only")
	}
	// New drew the first arrival, as the engine's arrive draws each next.
	return &floorLoop{e: e, rs: make([]Response, len(e.bidders)), next: e.nextArrival, frac: e.arrivalFrac, gap: float64(Second) / e.qps}
}

// run resolves n auctions.
func (f *floorLoop) run(n int) {
	e, a, rs := f.e, &f.a, f.rs
	for range n {
		now := f.next
		g := e.traffic.ExpFloat64()*f.gap + f.frac
		d := timeOf(g)
		if f.frac = g - float64(d); !(f.frac < 1) {
			f.frac = 0
		}
		f.next = addTime(now, d)
		f.auctions++
		*a = auctionState{id: f.auctions, start: now, tmax: e.tmax, told: e.tmax, auction: e.auction,
			floor: e.floor, increment: e.increment, stay: math.Inf(1)}
		for i := range e.bidders {
			e.bidders[i].respond(a, &rs[i])
		}
		win, ties, eligible := -1, 0, 0
		var best, second Price
		for i := range rs {
			r := &rs[i]
			if r.Status < Late {
				continue
			}
			b := &e.bidders[i]
			b.affordable(r)
			if r.Status < Late {
				continue
			}
			b.reserved -= r.Bid.Cost()
			switch r.Status {
			case Late:
				f.late++
				continue
			case BelowFloor:
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
		if win < 0 {
			continue
		}
		price, _ := clear(a, best, second, eligible)
		cost := price.Cost()
		f.filled++
		f.revenue = addMoney(f.revenue, cost)
		b := &e.bidders[win]
		b.stats.Spend = addMoney(b.stats.Spend, cost)
		if o := b.outcome; o != nil {
			r := b.rOutcome
			clicked := o.CTR > 0 && r.Float64() < o.CTR
			if clicked {
				b.stats.Clicks++
			}
			if o.BaselineCVR > 0 && r.Float64() < o.BaselineCVR ||
				clicked && o.CVR > 0 && r.Float64() < o.CVR {
				f.conversions++
				f.delays += timeOf(o.Delay.Sample(r))
			}
		}
	}
}

// timingFree is the perf world made one whose results do not depend on
// when things happen, only on the draws: no budgets (a budget's
// reservations and pacing depend on which auctions are still open) and
// every auction held to its deadline, so that the engine closes them in
// the order they arrived.
func timingFree() Config {
	cfg := perfConfig()
	cfg.Exchange.HoldOpen = true
	for i := range cfg.Bidders {
		cfg.Bidders[i].Budget = nil
	}
	return cfg
}

// TestFloorMatchesEngine shows the floor does the engine's work: where
// timing does not matter, its revenue, fill, late bids, clicks and
// conversions are the engine's exactly (a skipped or extra draw on any
// stream would change them).
func TestFloorMatchesEngine(t *testing.T) {
	const n = 60_000
	cfg := timingFree()
	e := mustNew(t, cfg)
	e.RunAuctions(n)
	f := newFloor(t, cfg)
	f.run(n)
	var late, clicks, conversions uint64
	for i := range e.bidders {
		b := &e.bidders[i]
		late += b.count[Late]
		clicks += b.stats.Clicks
		conversions += b.stats.Conversions + b.stats.Organic + b.stats.Pending
		if fb := &f.e.bidders[i]; fb.stats.Spend != b.stats.Spend || fb.stats.Clicks != b.stats.Clicks {
			t.Errorf("%s: floor spend %v, clicks %d; engine %v, %d", b.name, fb.stats.Spend, fb.stats.Clicks, b.stats.Spend, b.stats.Clicks)
		}
	}
	if e.x.Auctions != f.auctions || e.x.Revenue != f.revenue || e.x.Filled != f.filled || late != f.late || conversions != f.conversions {
		t.Errorf("floor: %d auctions, revenue %v, filled %d, late %d, conversions %d; engine: %d, %v, %d, %d, %d",
			f.auctions, f.revenue, f.filled, f.late, f.conversions, e.x.Auctions, e.x.Revenue, e.x.Filled, late, conversions)
	}
	if f.late == 0 || f.filled == 0 || f.conversions == 0 || clicks == 0 || refused(e) == 0 {
		t.Errorf("the world should have late bids, fills, clicks, conversions and refusals: %d %d %d %d %d", f.late, f.filled, clicks, f.conversions, refused(e))
	}
}

func refused(e *Engine) (n uint64) {
	for i := range e.bidders {
		n += e.bidders[i].count[Refused]
	}
	return n
}

// BenchmarkFloor is the floor on the perf world: b.N auctions after
// 200,000 into steady state, with the user CPU time of its thread per
// auction beside wall time.
func BenchmarkFloor(b *testing.B) {
	f := newFloor(b, perfConfig())
	f.run(200_000)
	timeAuctions(b, func(n int) { f.run(n) })
}

// BenchmarkEnginePerf is the engine on the perf world, measured as
// BenchmarkFloor is.
func BenchmarkEnginePerf(b *testing.B) {
	e := mustNew(b, perfConfig())
	e.RunAuctions(200_000)
	timeAuctions(b, func(n int) { e.RunAuctions(uint64(n)) })
}

// BenchmarkEnginePipeline is the engine on the perf world with its draw
// pipeline on, measured as BenchmarkFloor is (its cpu-ns/auction is the
// engine's thread alone, not the producer's).
func BenchmarkEnginePipeline(b *testing.B) {
	e := mustNew(b, perfConfig())
	e.StartPipeline()
	defer e.StopPipeline()
	e.RunAuctions(200_000)
	timeAuctions(b, func(n int) { e.RunAuctions(uint64(n)) })
}

func timeAuctions(b *testing.B, run func(n int)) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	cpu := threadCPU()
	b.ResetTimer()
	run(b.N)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "auctions/s")
	b.ReportMetric(float64(threadCPU()-cpu)/float64(b.N), "cpu-ns/auction")
}

// BenchmarkFloorRatio measures the floor and the engine alternately, both
// on the perf world and warmed up: b.N auctions of each, in rounds of at
// most 250,000 auctions of the floor then as many of the engine. The user
// CPU time of this thread (which a busy machine's time slicing disturbs
// far less than wall time) is summed per side. It reports the engine's
// speed as a fraction of the floor's (engine/floor: the floor's CPU per
// auction over the engine's), and the median and range of the rounds'
// ratios.
func BenchmarkFloorRatio(b *testing.B) {
	const chunk = 250_000
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	f := newFloor(b, perfConfig())
	e := mustNew(b, perfConfig())
	f.run(200_000)
	e.RunAuctions(200_000)
	var floorCPU, engineCPU time.Duration
	var ratios []float64
	b.ResetTimer()
	for done := 0; done < b.N; done += chunk {
		k := min(chunk, b.N-done)
		t0 := threadCPU()
		f.run(k)
		t1 := threadCPU()
		e.RunAuctions(uint64(k))
		t2 := threadCPU()
		floorCPU += t1 - t0
		engineCPU += t2 - t1
		if t2 > t1 {
			ratios = append(ratios, float64(t1-t0)/float64(t2-t1))
		}
	}
	b.StopTimer()
	auctions := float64(b.N)
	b.ReportMetric(float64(floorCPU)/auctions, "floor-cpu-ns/auction")
	b.ReportMetric(float64(engineCPU)/auctions, "engine-cpu-ns/auction")
	if engineCPU > 0 {
		b.ReportMetric(float64(floorCPU)/float64(engineCPU), "engine/floor")
	}
	if len(ratios) > 0 {
		slices.Sort(ratios)
		b.ReportMetric(ratios[len(ratios)/2], "round-median")
		b.ReportMetric(ratios[0], "round-min")
		b.ReportMetric(ratios[len(ratios)-1], "round-max")
	}
}

// threadCPU is the user CPU time of the calling OS thread (the caller
// locks it).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1, &ru); err != nil { // RUSAGE_THREAD
		return 0
	}
	return time.Duration(ru.Utime.Nano())
}

// BenchmarkFloorRatioPipeline measures the floor, the one-core engine and
// the engine with its draw pipeline on (StartPipeline) alternately, all on
// the perf world and warmed up: b.N auctions of each, in rounds of at most
// 250,000 auctions of each in turn. The pipeline uses a second core, so
// its speed is wall time, which a busy machine disturbs: its load average
// belongs beside the figures. It reports each side's wall time per
// auction, the pipelined engine's speed as a multiple of the floor's
// (pipeline/floor: the floor's wall time over the pipelined engine's) and
// of the one-core engine's (pipeline/engine), and the median and range of
// the rounds' pipeline/floor. Beside them, CPU time (user and system):
// each side's thread, and the producer's (the process's CPU time during
// the pipelined rounds less the engine thread's), and what two idle cores
// would make of them: pipeline/floor-cpu, the floor's CPU time per auction
// over the larger of the engine thread's and the producer's. self-drawn%
// is the share of the pipelined engine's batches it drew itself, finding
// the producer behind.
func BenchmarkFloorRatioPipeline(b *testing.B) {
	const chunk = 250_000
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	f := newFloor(b, perfConfig())
	e := mustNew(b, perfConfig())
	p := mustNew(b, perfConfig())
	p.StartPipeline()
	defer p.StopPipeline()
	f.run(200_000)
	e.RunAuctions(200_000)
	p.RunAuctions(200_000)
	self0 := p.pl.selfDrawn
	var batches int
	var floorWall, engineWall, pipeWall time.Duration
	var floorCPU, engineCPU, pipeCPU, producerCPU time.Duration
	var ratios []float64
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += chunk {
		k := min(chunk, b.N-done)
		t0, c0 := time.Now(), cpuTime(rusageThread)
		f.run(k)
		t1, c1 := time.Now(), cpuTime(rusageThread)
		e.RunAuctions(uint64(k))
		t2, c2, s2 := time.Now(), cpuTime(rusageThread), cpuTime(rusageSelf)
		p.RunAuctions(uint64(k))
		t3, c3, s3 := time.Now(), cpuTime(rusageThread), cpuTime(rusageSelf)
		floorWall += t1.Sub(t0)
		engineWall += t2.Sub(t1)
		pipeWall += t3.Sub(t2)
		floorCPU += c1 - c0
		engineCPU += c2 - c1
		pipeCPU += c3 - c2
		producerCPU += max(s3-s2-(c3-c2), 0)
		if t3.After(t2) {
			ratios = append(ratios, float64(t1.Sub(t0))/float64(t3.Sub(t2)))
		}
	}
	b.StopTimer()
	per := func(d time.Duration) float64 { return float64(d) / float64(b.N) }
	b.ReportMetric(per(floorWall), "floor-ns/auction")
	b.ReportMetric(per(engineWall), "engine-ns/auction")
	b.ReportMetric(per(pipeWall), "pipeline-ns/auction")
	b.ReportMetric(per(floorCPU), "floor-cpu-ns/auction")
	b.ReportMetric(per(engineCPU), "engine-cpu-ns/auction")
	b.ReportMetric(per(pipeCPU), "pipeline-cpu-ns/auction")
	b.ReportMetric(per(producerCPU), "producer-cpu-ns/auction")
	if pipeWall > 0 {
		b.ReportMetric(float64(floorWall)/float64(pipeWall), "pipeline/floor")
		b.ReportMetric(float64(engineWall)/float64(pipeWall), "pipeline/engine")
	}
	for _, g := range p.pl.rings {
		batches += int(g.tail.Load())
	}
	if self := p.pl.selfDrawn - self0; batches+self > 0 {
		b.ReportMetric(100*float64(self)/float64(batches+self), "self-drawn%")
	}
	if busy := max(pipeCPU, producerCPU); busy > 0 {
		b.ReportMetric(float64(floorCPU)/float64(busy), "pipeline/floor-cpu")
	}
	if len(ratios) > 0 {
		slices.Sort(ratios)
		b.ReportMetric(ratios[len(ratios)/2], "round-median")
		b.ReportMetric(ratios[0], "round-min")
		b.ReportMetric(ratios[len(ratios)-1], "round-max")
	}
}

// getrusage's who: the process, or the calling thread.
const (
	rusageSelf   = 0
	rusageThread = 1
)

// cpuTime is the user and system CPU time of the process or of the
// calling (locked) thread.
func cpuTime(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
