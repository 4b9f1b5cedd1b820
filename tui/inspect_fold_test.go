package tui

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// inspectorTheory is the inspector's theory in v, its words joined by
// single spaces: from "No closed form: " or "Theory: " to the status
// line's "following"/"holding"; "" when it is not on the screen.
func inspectorTheory(v string) string {
	flat := strings.Join(strings.Fields(v), " ")
	i := max(strings.LastIndex(flat, "No closed form: "), strings.LastIndex(flat, "Theory: "))
	if i < 0 {
		return ""
	}
	rest := flat[i:]
	for _, end := range []string{" following the newest auction", " holding these auctions"} {
		if j := strings.Index(rest, end); j >= 0 {
			return rest[:j]
		}
	}
	return rest
}

// TestInspectorKeepsTheory: at 80×24 the inspector of a paced bidder
// (its pacing explained at length, the winner's surplus line saying it
// again) pushed the theory off the screen under timeout-demo's eight
// rows, and cut pacing-showdown's reason to its first clause. The
// explanation folds where the screen is short, so the theory's reason
// ends as a sentence on the screen at every instant and with each
// bidder selected; at 160×48 the explanation is whole.
func TestInspectorKeepsTheory(t *testing.T) {
	for _, name := range []string{"timeout-demo", "pacing-showdown"} {
		sc := bundled(t, name)
		eng := engineAt(t, sc, 0)
		for at := 1500 * sim.Millisecond; at <= 12*sim.Second; at += 1500 * sim.Millisecond {
			eng.RunUntil(at)
			why := eng.Snapshot().Theory().Why
			if why == "" {
				t.Fatalf("%s: a closed form; the test wants a paced bidder's reason there is none", name)
			}
			for sel := range sc.Config.Bidders {
				m, _ := modelOn(t, sc, eng, 80, 24)
				for range sel {
					press(m, "j")
				}
				press(m, "enter")
				v := m.View()
				checkScreen(t, v, 80, 24)
				got := inspectorTheory(v)
				if !strings.HasPrefix(got, "No closed form: "+whyHead(why)) || !strings.HasSuffix(got, ".") {
					t.Fatalf("%s at %v, bidder %d selected: the theory %q is not on the screen whole:\n%s", name, at, sel, got, v)
				}
			}
		}
	}
}

// TestInspectorPacedFolds: an auction pacing-showdown's multiplier won,
// with it selected. At 80×24 its pacing is said in brief, once (the
// study line; the surplus line leaves it out), and the theory's whole
// reason shows; at 160×48 both lines say it at length, as before.
func TestInspectorPacedFolds(t *testing.T) {
	sc := bundled(t, "pacing-showdown")
	const paced = 2 // multiplier
	if sc.Config.Bidders[paced].Name != "multiplier" {
		t.Fatalf("bidder %d is %s", paced, sc.Config.Bidders[paced].Name)
	}
	eng := engineAt(t, sc, 2*sim.Second)
	for at := 2 * sim.Second; ; at += 5 * sim.Millisecond {
		eng.RunUntil(at)
		if r := eng.Snapshot().Recent; len(r) > 0 && r[len(r)-1].Winner == paced {
			break
		}
		if at > 20*sim.Second {
			t.Fatal("the multiplier never won")
		}
	}
	why := eng.Snapshot().Theory().Why
	for _, c := range []struct {
		w, h  int
		whole bool
	}{{80, 24, false}, {160, 48, true}} {
		m, _ := modelOn(t, sc, eng, c.w, c.h)
		for range paced {
			press(m, "j")
		}
		press(m, "enter")
		v := m.View()
		checkScreen(t, v, c.w, c.h)
		flat := strings.Join(strings.Fields(v), " ")
		long := strings.Contains(flat, "multiplier's strategy: truthful, paced by a multiplier: bids value/(1+μ), μ ")
		brief := strings.Contains(flat, "multiplier's strategy: truthful, paced by a multiplier (μ ")
		twice := strings.Contains(flat, "wins, bidding truthful, paced by a multiplier (μ ")
		if c.whole != long || c.whole == brief || c.whole != twice {
			t.Errorf("%dx%d: pacing at length %v, in brief %v, in the surplus line %v:\n%s", c.w, c.h, long, brief, twice, v)
		}
		if got := inspectorTheory(v); got != "No closed form: "+why+"." {
			t.Errorf("%dx%d: the theory %q, not the whole reason %q:\n%s", c.w, c.h, got, why, v)
		}
	}
}
