package sim

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"pgregory.net/rapid"
)

// TestPCGLayout: stateOf reads rand.PCG's state as its own encoding
// gives it, and setState puts a PCG where another stands.
func TestPCGLayout(t *testing.T) {
	r := newStream(3, "layout")
	for range 17 {
		r.NormFloat64()
	}
	p := pcgOf(r)
	enc, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	s := stateOf(p)
	if len(enc) != 20 || binary.BigEndian.Uint64(enc[4:]) != s.hi || binary.BigEndian.Uint64(enc[12:]) != s.lo {
		t.Fatalf("state %x, encoding %x", s, enc)
	}
	var q rand.PCG
	setState(&q, s)
	for i := range 100 {
		if x, y := p.Uint64(), q.Uint64(); x != y {
			t.Fatalf("draw %d: %d, %d", i, x, y)
		}
	}
}

// noPipelineLeft fails t unless the goroutines running are back to
// before's count within a generous time (a producer ends at once; a busy
// machine may take a while to schedule it), naming any producer left.
func noPipelineLeft(t testing.TB, before int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines, %d before; a producer left: %v", runtime.NumGoroutine(), before,
				strings.Contains(string(buf), "(*pipeline).produce"))
		}
		time.Sleep(time.Millisecond)
	}
}

// snapJSON is the snapshot's JSON, every output of the run.
func snapJSON(t testing.TB, e *Engine) []byte {
	t.Helper()
	b, err := json.Marshal(e.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPipelineIdenticalRandom runs random worlds with random live changes
// (latency set and scaled, strategies, pacing, budgets, bidders on and
// off) with the pipeline on, and the same without: the snapshots are
// byte-identical, so is a clone taken mid-run with the pipeline on and
// run alone, and so are the two engines run on after the pipeline stops
// (the streams were left exactly where the one-core engine's are). No
// producer is left running.
func TestPipelineIdenticalRandom(t *testing.T) {
	before := runtime.NumGoroutine()
	rapid.Check(t, func(t *rapid.T) {
		cfg := genPlanned(t)
		e := mustNewRapid(t, cfg)
		e.StartPipeline()
		defer e.StopPipeline()
		steps := genSteps(t, e, &cfg, "steps")
		var c *Engine
		if rapid.Bool().Draw(t, "clone") {
			c = e.Clone()
			if c.Pipelined() {
				t.Fatal("a clone is on its parent's pipeline")
			}
		}
		more := rapid.Uint64Range(0, 300).Draw(t, "more")
		e.RunAuctions(more)
		got := marshal(t, e.Snapshot())

		ref := mustNewRapid(t, cfg)
		runSteps(t, ref, steps, false)
		refClone := marshal(t, ref.Snapshot())
		ref.RunAuctions(more)
		if want := marshal(t, ref.Snapshot()); !bytes.Equal(got, want) {
			t.Fatal("the pipelined run differs from the one-core run")
		}
		if c != nil {
			if !bytes.Equal(marshal(t, c.Snapshot()), refClone) {
				t.Fatal("a clone of the pipelined run differs from the one-core run where it was taken")
			}
			c.RunAuctions(more)
			if !bytes.Equal(marshal(t, c.Snapshot()), got) {
				t.Fatal("a clone of the pipelined run, run on alone, diverged")
			}
		}
		e.StopPipeline()
		if e.Pipelined() {
			t.Fatal("still pipelined after StopPipeline")
		}
		e.RunAuctions(200)
		ref.RunAuctions(200)
		if !bytes.Equal(marshal(t, e.Snapshot()), marshal(t, ref.Snapshot())) {
			t.Fatal("after the pipeline stopped, the run diverged from the one-core run")
		}
	})
	noPipelineLeft(t, before)
}

// liveLatencies are latency changes that change a stream's draws in every
// way: parameters alone, the family, a mixture's parts, a constant (no
// draws at all), a truncated normal (a count of draws that depends on the
// parameters), twice in a row with no draw between.
func liveLatencies() []Change {
	ms := float64(Millisecond)
	return []Change{
		SetLatency{Bidder: "dsp1", Latency: LogNormalMedianP99(90*ms, 200*ms)},
		ScaleLatency{Bidder: "dsp1", Factor: 0.5},
		SetLatency{Bidder: "dsp2", Latency: Mixture(Part{0.7, LogNormalMedianP99(40*ms, 90*ms)}, Part{0.3, Constant(300 * ms)})},
		SetLatency{Bidder: "dsp3", Latency: Constant(50 * ms)},
		SetLatency{Bidder: "dsp4", Latency: Normal(60*ms, 40*ms)},
		SetLatency{Bidder: "dsp4", Latency: Normal(20*ms, 40*ms)},
		ScaleLatency{Bidder: "dsp0", Factor: 3},
		SetLatency{Bidder: "dsp5", Latency: Exponential(70 * ms)},
		SetLatency{Bidder: "dsp6", Latency: Uniform(10*ms, 200*ms)},
		SetEnabled{Bidder: "dsp3", Enabled: false},
		SetQPS{QPS: 3000},
		SetTmax{Tmax: 80 * Millisecond},
		SetEnabled{Bidder: "dsp3", Enabled: true},
	}
}

// TestPipelineLiveChanges replays the perf world (and the same with a
// network round trip apart, and every bidder respecting the deadline it
// is told, which peeks at its draws) with latency changes of every kind
// mid-run, some of them in the same instant: the pipelined run's snapshot
// is byte-identical to the one-core run's at every change.
func TestPipelineLiveChanges(t *testing.T) {
	worlds := map[string]func() Config{
		"perf": perfConfig,
		"network and told deadlines": func() Config {
			cfg := perfConfig()
			for i := range cfg.Bidders {
				cfg.Bidders[i].Network = LogNormalMedianP99(float64(10*Millisecond), float64(40*Millisecond))
				cfg.Bidders[i].RespectsTmax = i%2 == 0
				cfg.Bidders[i].Errors = 0.05
			}
			return cfg
		},
	}
	for name, world := range worlds {
		t.Run(name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			e, ref := mustNew(t, world()), mustNew(t, world())
			e.StartPipeline()
			defer e.StopPipeline()
			changes := liveLatencies()
			for i, c := range changes {
				n := uint64(1 + 997*(i%3)) // 1: changes in a row, before any batch is drawn
				e.RunAuctions(n)
				ref.RunAuctions(n)
				if err := e.Apply(c); err != nil {
					t.Fatal(err)
				}
				if err := ref.Apply(c); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(snapJSON(t, e), snapJSON(t, ref)) {
					t.Fatalf("after change %d (%v): the pipelined run differs", i, c)
				}
			}
			e.RunAuctions(20_000)
			ref.RunAuctions(20_000)
			if !bytes.Equal(snapJSON(t, e), snapJSON(t, ref)) {
				t.Fatal("the pipelined run differs at the end")
			}
			e.StopPipeline()
			noPipelineLeft(t, before)
		})
	}
}

// TestPipelineAllocs: with the pipeline on, auctions allocate nothing.
func TestPipelineAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier: 320,000 auctions of the perf world (under -race, half a minute)")
	}
	e := mustNew(t, perfConfig())
	e.StartPipeline()
	defer e.StopPipeline()
	e.RunAuctions(200_000)
	if allocs := testing.AllocsPerRun(5, func() { e.RunAuctions(20_000) }); allocs > 0 {
		t.Fatalf("%v allocations per 20,000 auctions", allocs)
	}
}

// TestPipelineDropped: an engine dropped with its pipeline on stops its
// producer when it is collected.
func TestPipelineDropped(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		e := mustNew(t, perfConfig())
		e.StartPipeline()
		e.StartPipeline() // a second start does nothing
		e.RunAuctions(1000)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	noPipelineLeft(t, before)
}

// TestPipelineFallback runs the perf world with latency changes on a
// pipeline whose producer starts late, or never: the engine draws the
// batches it finds missing itself, drops the producer's batches made
// before its own, and every output is still the one-core engine's.
func TestPipelineFallback(t *testing.T) {
	for _, late := range []uint64{0, 3000, 1 << 62} {
		before := runtime.NumGoroutine()
		e, ref := mustNew(t, perfConfig()), mustNew(t, perfConfig())
		e.startPipeline()
		for i, c := range liveLatencies() {
			if uint64(i)*1000 >= late && !e.pl.running.Load() {
				e.pl.run()
			}
			for _, x := range []*Engine{e, ref} {
				x.RunAuctions(1000)
				if err := x.Apply(c); err != nil {
					t.Fatal(err)
				}
			}
		}
		e.RunAuctions(5000)
		ref.RunAuctions(5000)
		if e.pl.selfDrawn == 0 {
			t.Errorf("producer from auction %d: the engine drew no batch itself", late)
		}
		if !bytes.Equal(snapJSON(t, e), snapJSON(t, ref)) {
			t.Errorf("producer from auction %d: the pipelined run differs", late)
		}
		e.StopPipeline()
		e.RunAuctions(500)
		ref.RunAuctions(500)
		if !bytes.Equal(snapJSON(t, e), snapJSON(t, ref)) {
			t.Errorf("producer from auction %d: after the pipeline stopped, the run diverged", late)
		}
		noPipelineLeft(t, before)
	}
}

// TestRingTakesAStartOnce: the producer carries on from an engine's new
// start (a batch the engine drew itself) once, and then from where it
// stands, even while it sees the start before the start's version: the
// engine used to store ctlVersion after unlocking ctl, and a producer
// that ran in between took the start again at every top (ctlVersion ≠
// its version), drawing the same batches twice under the version the
// engine reads (TestPipelineBundledScenarios on a busy machine: Bids
// 545110 against 545133 in pacing-showdown). Here, on one goroutine,
// the engine's second start is written and ctlVersion still names its
// first, for good; every batch must still be the stream's next.
func TestRingTakesAStartOnce(t *testing.T) {
	want := newStream(5, "ring")
	g := newRing(pcgState{}, drawFn{kind: drawFloat})
	g.ctl.state, g.ctl.fn, g.ctl.version = stateOf(pcgOf(want)), drawFn{kind: drawFloat}, 2
	g.ctlVersion.Store(1)
	var tail uint64
	for round := range 3 {
		g.top()
		for head := g.head.Load(); tail < head; tail++ {
			sl := &g.slots[tail%pipeSlots]
			if sl.version != 2 {
				t.Fatalf("round %d, batch %d: version %d, want 2", round, tail, sl.version)
			}
			for k, x := range sl.vals {
				if y := want.Float64(); x != y {
					t.Fatalf("round %d, batch %d, value %d: %v, want the stream's next, %v", round, tail, k, x, y)
				}
			}
			g.tail.Store(tail + 1)
		}
	}
	if tail < 3*pipeSlots {
		t.Fatalf("%d batches in three rounds, want %d", tail, 3*pipeSlots)
	}
}

// TestRingPublishesWhatItWrote: the producer publishes its head every
// publishEvery batches, not every batch, but a top must leave every batch
// it wrote published, however few the engine released: a batch written
// and not published would be drawn again by the engine, which finds the
// ring empty, and the producer would sleep on a ring it thinks full.
func TestRingPublishesWhatItWrote(t *testing.T) {
	want := newStream(7, "ring")
	g := newRing(stateOf(pcgOf(want)), drawFn{kind: drawFloat})
	g.top()
	if h := g.head.Load(); h != pipeSlots {
		t.Fatalf("head %d after the first top, want %d", h, pipeSlots)
	}
	var tail uint64
	for _, n := range []uint64{1, publishEvery - 1, publishEvery + 3, 5} {
		tail += n
		g.tail.Store(tail)
		g.top()
		if h := g.head.Load(); h != tail+pipeSlots {
			t.Fatalf("released %d in all: head %d, want %d", tail, h, tail+pipeSlots)
		}
	}
	// And every batch carries on from the one before it.
	for k := tail; k < tail+pipeSlots-1; k++ {
		if a, b := g.slots[k%pipeSlots].end, g.slots[(k+1)%pipeSlots].start; a != b {
			t.Fatalf("batch %d ends at %v, the next starts at %v", k, a, b)
		}
	}
}

// TestSlotLines: the lines a prefetch of a slot touches (slotLines of
// them, a line apart from its start) are exactly the lines the slot lies
// on, wherever it lies: a prefetch for writing that reached a line of
// the slot after alone would take it from the engine, which may be
// reading it.
func TestSlotLines(t *testing.T) {
	g := newRing(pcgState{}, drawFn{kind: drawFloat})
	size := unsafe.Sizeof(g.slots[0])
	five, six := 0, 0
	for k := range g.slots {
		sl := &g.slots[k]
		p := uintptr(unsafe.Pointer(sl))
		first, last := p/64, (p+size-1)/64
		n := slotLines(sl)
		if got := (p + uintptr(n-1)*64) / 64; got != last || uint64(n) != uint64(last-first+1) {
			t.Fatalf("slot %d at line offset %d: %d lines prefetched, the last line %d; the slot lies on lines %d to %d", k, p%64, n, got, first, last)
		}
		switch n {
		case 5:
			five++
		case 6:
			six++
		}
	}
	if five+six != pipeSlots {
		t.Fatalf("%d slots of five lines and %d of six, want %d in all", five, six, pipeSlots)
	}
}

// TestSlotLinesAtMost: maxSlotLines, what the producer prefetches of a
// slot while the one after it is free, is the most slotLines gives.
func TestSlotLinesAtMost(t *testing.T) {
	g := newRing(pcgState{}, drawFn{kind: drawFloat})
	most := 0
	for k := range g.slots {
		most = max(most, slotLines(&g.slots[k]))
	}
	if most != maxSlotLines {
		t.Fatalf("slots span up to %d lines; maxSlotLines is %d", most, maxSlotLines)
	}
}
