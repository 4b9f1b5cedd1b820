package tui

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// identicalForkModel is a model at w×h on planScenario forked at 5 s
// with no change to B, its frames at 64.9 s and 65 s: past two of the
// world's memories, so every difference has its interval, [0, 0].
func identicalForkModel(t *testing.T, w, h int) *model {
	t.Helper()
	return forkedModel(t, planScenario(), w, h, 65*sim.Second)
}

// TestForkIdenticalSoFar: a fork whose B has not differed from A shows
// each B − A as 0 without "± 0" and says "identical so far", and its
// export says so too; the panel read "0 ± 0 can't tell yet" (and, with
// the intervals after the last whole batch left out of the interval but
// not of B − A, "+200.0 ± 0" just after a change).
func TestForkIdenticalSoFar(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := identicalForkModel(t, size[0], size[1])
		for _, d := range m.ctx.Frame.Fork.Differences {
			if !d.Identical || d.Batches < 2 || d.SD != 0 {
				t.Fatalf("%s: %+v, want identical with an interval of 0", d.Name, d)
			}
		}
		v := m.View()
		i := strings.Index(v, "A/B fork")
		if i < 0 {
			t.Fatalf("%d×%d: no fork panel:\n%s", size[0], size[1], v)
		}
		rows := 0
		for _, l := range strings.Split(v[i:], "\n")[2:] {
			if !strings.Contains(l, "incr+pend") && !strings.Contains(l, "incr eventual") && !strings.Contains(l, " wins ") {
				continue
			}
			rows++
			if strings.Contains(l, "±") || !strings.Contains(l, " 0  identical so far") {
				t.Errorf("%d×%d: %q, want B − A 0 without ± and identical so far", size[0], size[1], l)
			}
		}
		if rows == 0 {
			t.Errorf("%d×%d: no fork rows:\n%s", size[0], size[1], v[i:])
		}
		if got := exportedVerdict(t, m, "groups.acme.incremental_value"); got != "identical so far" {
			t.Errorf("%d×%d: the export's verdict %q, want identical so far", size[0], size[1], got)
		}
	}
}

// TestForkZeroWideNotIdentical: a zero-wide interval of batches all alike
// that did differ shows B − A alone, without "± 0", and sim's verdict
// (undecided: 5 batches alike are no evidence, stats.SignTestN).
func TestForkZeroWideNotIdentical(t *testing.T) {
	m := identicalForkModel(t, 120, 40)
	fr := m.ctx.Frame
	fork := *fr.Fork
	fork.Differences = []sim.Difference{{Name: "groups.acme.eventual.incremental_value", A: 10, B: 15, Delta: 5,
		BatchMean: sim.BatchMean{N: 50, Batches: 5, Mean: 0.1, SD: 0, Lo: 0.1, Hi: 0.1}}}
	fr.Fork = &fork
	m.Update(frameMsg(fr))
	v := m.View()
	v = v[max(strings.Index(v, "A/B fork"), 0):]
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "Σ acme") {
			if strings.Contains(l, "±") || !strings.Contains(l, "+5.000 ") ||
				!strings.Contains(l, "not distinguishable") && !strings.Contains(l, "can't tell") {
				t.Errorf("%q, want +5.000 without ± and undecided", l)
			}
			return
		}
	}
	t.Errorf("no Σ acme row in the fork panel:\n%s", v)
}
