package sim

import (
	"bytes"
	"testing"

	"pgregory.net/rapid"
)

// TestCloneStream: a cloned stream draws what the original draws next,
// and drawing from one leaves the other where it was.
func TestCloneStream(t *testing.T) {
	r := newStream(7, "x")
	for range 5 {
		r.Uint64()
	}
	c := cloneStream(r)
	ref := cloneStream(r)
	for range 100 {
		c.Uint64() // must not move r
	}
	c2 := cloneStream(r)
	for i := range 100 {
		x, y, z := r.Uint64(), ref.Uint64(), c2.Uint64()
		if x != y || x != z {
			t.Fatalf("draw %d: %d, %d, %d", i, x, y, z)
		}
	}
}

// genPlanned is genConfig with some bidders in groups and some holdouts.
func genPlanned(t *rapid.T) Config {
	cfg := genConfig(t)
	for i := range cfg.Bidders {
		b := &cfg.Bidders[i]
		b.Group = rapid.SampledFrom([]string{"", "g", "h"}).Draw(t, "group")
		// A holdout needs an outcome model to measure (Validate).
		if b.Outcome != nil && b.Outcome.Modelled() && rapid.Bool().Draw(t, "holdout") {
			b.Outcome.Holdout = rapid.Float64Range(0, 1).Draw(t, "holdout share")
		}
	}
	return cfg
}

func genSteps(t *rapid.T, e *Engine, cfg *Config, label string) []step {
	var steps []step
	for range rapid.IntRange(0, 4).Draw(t, label) {
		s := step{auctions: rapid.Uint64Range(0, 400).Draw(t, label+" auctions")}
		e.RunAuctions(s.auctions)
		switch rapid.IntRange(0, 2).Draw(t, label+" change") {
		case 1:
			s.change = genChange(t, e, cfg)
			if err := e.Apply(s.change); err != nil {
				t.Fatalf("valid change %v refused: %v", s.change, err)
			}
		case 2:
			// A budget move, kept when the engine accepts it.
			m := MoveBudget{
				From:   rapid.SampledFrom(cfg.Bidders).Draw(t, "from").Name,
				To:     rapid.SampledFrom(cfg.Bidders).Draw(t, "to").Name,
				Amount: MoneyOf(rapid.Float64Range(0, 0.3).Draw(t, "amount")),
			}
			if e.Apply(m) == nil {
				s.change = m
			}
		}
		steps = append(steps, s)
	}
	return steps
}

// runSteps runs the steps on e. The steps were drawn as valid on an
// engine without the extra change x; where e has had x, a budget move may
// no longer fit and is refused: lenient skips it, as the run it is
// compared with (which had x too) does.
func runSteps(t *rapid.T, e *Engine, steps []step, lenient bool) *Snapshot {
	for _, s := range steps {
		e.RunAuctions(s.auctions)
		if s.change != nil {
			if err := e.Apply(s.change); err != nil && !lenient {
				t.Fatalf("valid change %v refused: %v", s.change, err)
			}
		}
	}
	return e.Snapshot()
}

// TestCloneIdentical forks random worlds with live changes at a random
// point. Run alike, the clone and the original stay identical byte for
// byte, and both match the run that was never cloned, whichever ran
// first; a change made to one clone alone makes it the run that had that
// change, and leaves the original as it was.
func TestCloneIdentical(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := genPlanned(t)
		e, err := New(cfg)
		if err != nil {
			t.Fatalf("generated config invalid: %v", err)
		}
		before := genSteps(t, e, &cfg, "before")
		c := e.Clone()
		d := e.Clone()
		x := genChange(t, d, &cfg)
		if err := d.Apply(x); err != nil {
			t.Fatalf("valid change %v refused: %v", x, err)
		}
		probe := e.Clone()
		after := genSteps(t, probe, &cfg, "after") // draws the steps; probe runs them

		// The clones run first: they must not touch the original.
		gotC := marshal(t, runSteps(t, c, after, false))
		gotD := marshal(t, runSteps(t, d, after, true))
		snapE := runSteps(t, e, after, false)
		checkInvariants(t, snapE) // with groups and holdouts in the world
		gotE := marshal(t, snapE)
		if !bytes.Equal(gotC, gotE) {
			t.Fatal("an unchanged clone diverged from its original")
		}
		if !bytes.Equal(marshal(t, probe.Snapshot()), gotE) {
			t.Fatal("a clone run step by step diverged from its original")
		}
		ref := marshal(t, run(t, cfg, append(append([]step(nil), before...), after...)))
		if !bytes.Equal(gotE, ref) {
			t.Fatal("after cloning, the original differs from a run never cloned")
		}
		withX := mustNewRapid(t, cfg)
		runSteps(t, withX, before, false)
		if err := withX.Apply(x); err != nil {
			t.Fatalf("valid change %v refused: %v", x, err)
		}
		refX := marshal(t, runSteps(t, withX, after, true))
		if !bytes.Equal(gotD, refX) {
			t.Fatal("the clone with a change differs from the run that had that change")
		}
	})
}

// BenchmarkClone forks the benchmark world after 200,000 auctions.
func BenchmarkClone(b *testing.B) {
	e := mustNew(b, benchConfig())
	e.RunAuctions(200_000)
	b.ReportAllocs()
	for b.Loop() {
		_ = e.Clone()
	}
}

func mustNewRapid(t *rapid.T, cfg Config) *Engine {
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
