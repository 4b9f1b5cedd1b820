package sim

import (
	"math"
	"testing"
)

// A fork compares the eventual figures too, intervals and ROAS included:
// B − A on a group's eventual incremental value at the stop is what the
// two runs' matured figures reach once drained, where the matured B − A
// at the stop leaves out what is still pending (here, the rival switched
// off in B, its members buy more impressions whose conversions come
// seconds later).
func TestForkComparesEventualFigures(t *testing.T) {
	const forkAt, stop = 2 * Second, 10 * Second
	e := mustNew(t, eventualWorld(5, 0, 0, false))
	e.RunUntil(forkAt)
	at := e.Snapshot()
	f := NewFork(e, Second/4, nil)
	if err := f.Apply(SetEnabled{Bidder: "b2"}); err != nil {
		t.Fatal(err)
	}
	f.RunUntil(stop)
	byName := map[string]Difference{}
	for _, d := range f.Differences() {
		byName[d.Name] = d
	}
	for _, n := range []string{"groups.g.eventual.incremental_value", "groups.g.eventual.attributed_value",
		"groups.g.eventual.conversions", "bidders.b0.eventual.incremental_value", "groups.g.eventual.incremental_roas",
		"groups.g.eventual.attributed_roas", "bidders.b1.eventual.incremental_roas"} {
		d, ok := byName[n]
		if !ok {
			t.Errorf("%s: not compared", n)
			continue
		}
		// The same interval machinery as every other metric: batches, a
		// 95% interval, a ratio for a ROAS.
		if d.Batches < 2 || math.IsNaN(d.Lo) || math.IsNaN(d.Hi) || d.Ratio != (n[len(n)-4:] == "roas") {
			t.Errorf("%s: %+v", n, d)
		}
	}
	// Drain both runs: no more auctions, every pending conversion matured.
	for _, en := range []*Engine{f.A, f.B} {
		for _, b := range at.Bidders {
			if err := en.Apply(SetEnabled{Bidder: b.Name}); err != nil {
				t.Fatal(err)
			}
		}
		en.RunUntil(stop + 400*Second)
	}
	da, db := f.A.Snapshot().Groups[0], f.B.Snapshot().Groups[0]
	from := at.Groups[0].Eventual.IncrementalValue.Float()
	wantA, wantB := da.IncrementalValue.Float()-from, db.IncrementalValue.Float()-from
	ev, mat := byName["groups.g.eventual.incremental_value"], byName["groups.g.incremental_value"]
	if math.Abs(ev.A-wantA) > 1e-9 || math.Abs(ev.B-wantB) > 1e-9 {
		t.Errorf("eventual A %v, B %v at the stop; drained A %v, B %v", ev.A, ev.B, wantA, wantB)
	}
	if !(mat.Delta < ev.Delta) {
		t.Errorf("matured B − A %v not below the eventual %v: the test shows nothing", mat.Delta, ev.Delta)
	}
}
