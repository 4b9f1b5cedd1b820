package sim

import (
	"reflect"
	"runtime"
	"testing"
)

// longLog is a change log of n floor changes, two per event, as a long
// session's export holds: recorded by a run, so that each change stands
// at a point the replay passes through.
func longLog(t testing.TB, n int) []AppliedChange {
	e := mustNew(t, world(2, Uniform(0, 1)))
	for i := range n {
		if i > 0 && i%2 == 0 {
			e.Step()
		}
		if err := e.Apply(SetFloor{Floor: PriceOf(float64(i%7) / 100)}); err != nil {
			t.Fatal(err)
		}
	}
	return e.ChangeLog()
}

// replayBytes replays a log of n changes and returns the bytes the replay
// allocated and the engine, for its change log.
func replayBytes(t testing.TB, n int) (uint64, *Engine) {
	cfg := world(2, Uniform(0, 1))
	cfg.Replay = longLog(t, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	e := mustNew(t, cfg)
	e.RunTo(never, uint64(n)) // far more events than the log needs
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, e
}

// TestReplayLinear: replaying a change log costs the same per change
// whatever its length. Each change used to copy the whole log (markChange
// took a full Snapshot), so four times the changes cost sixteen times the
// bytes; the bound allows twice, not four times, the per-change bytes at
// 40,000 changes as at 10,000. Counted in bytes allocated, not wall time.
func TestReplayLinear(t *testing.T) {
	const small, big = 10_000, 40_000
	bs, es := replayBytes(t, small)
	bb, eb := replayBytes(t, big)
	if got := len(es.ChangeLog()); got != small {
		t.Fatalf("replayed %d changes of %d", got, small)
	}
	if got := len(eb.ChangeLog()); got != big {
		t.Fatalf("replayed %d changes of %d", got, big)
	}
	per := func(b uint64, n int) float64 { return float64(b) / float64(n) }
	ratio := per(bb, big) / per(bs, small)
	t.Logf("bytes per change: %.0f at %d, %.0f at %d (ratio %.2f)", per(bs, small), small, per(bb, big), big, ratio)
	if ratio > 2 {
		t.Errorf("replay is not linear: %.0f bytes per change at %d changes, %.0f at %d (ratio %.2f, want < 2)",
			per(bs, small), small, per(bb, big), big, ratio)
	}
}

// BenchmarkReplay200k replays a change log of 200,000 entries.
func BenchmarkReplay200k(b *testing.B) {
	cfg := world(2, Uniform(0, 1))
	cfg.Replay = longLog(b, 200_000)
	for b.Loop() {
		e, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		e.RunTo(never, 200_000)
	}
}

// TestTotalsMatchSnapshot: the baseline markChange keeps without a
// snapshot is the snapshot's own, at any point of a run with late bids,
// errors and spend.
func TestTotalsMatchSnapshot(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	cfg.Bidders[0].Latency = Uniform(50e6, 150e6) // 50 to 150 ms: about half late
	cfg.Exchange.Floor = PriceOf(0.2)
	e := mustNew(t, cfg)
	for i := range 6 {
		e.RunAuctions(uint64(50 * (i + 1)))
		want := e.Snapshot().totals()
		want.Start = e.Now()
		got := e.totals()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("after %d auctions: totals %+v, snapshot's %+v", e.Auctions(), got, want)
		}
		if want.Timeouts == 0 && i == 5 {
			t.Errorf("no late bids: the world does not test Timeouts")
		}
	}
}
