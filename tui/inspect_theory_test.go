package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/charmbracelet/x/ansi"
)

// asymYAML is classroom-vickrey with one bidder of another law: the
// independent form, whose formula runs to eight lines at 80 columns.
const asymYAML = `name: asym
seed: 1
stop: {auctions: 100000}
traffic: {qps: 1000}
exchange: {auction: second-price, tmax: 100ms, floor: 0, increment: 0}
bidders:
  - {name: ada,  value: {dist: uniform, min: 0, max: 1}}
  - {name: bo,   value: {dist: uniform, min: 0, max: 1}}
  - {name: cyd,  value: {dist: uniform, min: 0, max: 1}}
  - {name: dana, value: {dist: uniform, min: 0, max: 1}}
  - {name: eli,  value: {dist: uniform, min: 0, max: 2}}
`

// TestInspectorTheoryFits: at 80×24 the inspector's theory keeps what it
// expects (the figures are its point) when the whole formula does not fit
// under the auction: it gives the formula's heading and where the whole
// one is. Cut by the screen's bottom, the independent form's figures were
// lost below its integral. At 160×48 the whole formula shows.
func TestInspectorTheoryFits(t *testing.T) {
	sc, eng := worldAt(t, "asym.yaml", asymYAML, 5*sim.Second)
	th := eng.Snapshot().Theory()
	if !th.Applies {
		t.Fatalf("no closed form: %s", th.Why)
	}
	rev := "revenue per auction " + format.CPM(th.RevenuePerAuction)
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		m, _ := modelOn(t, sc, eng, size[0], size[1])
		press(m, "enter")
		v := m.View()
		checkScreen(t, v, size[0], size[1])
		flat := strings.Join(strings.Fields(v), " ")
		for _, want := range []string{"Theory: second price, 5 bidders with independent values", "Expected: ", rev} {
			if !strings.Contains(flat, want) {
				t.Errorf("%dx%d: the inspector lacks %q:\n%s", size[0], size[1], want, v)
			}
		}
		if whole := strings.Contains(flat, "eli bids its value"); whole != (size[1] == 48) {
			t.Errorf("%dx%d: whole formula shown %v:\n%s", size[0], size[1], whole, v)
		}
	}
}

// TestInspectorSaysEquilibrium: the inspector's sentences name an
// equilibrium bidder's strategy in words; the column's "equilib." ended
// the surplus line as "bidding equilib..".
func TestInspectorSaysEquilibrium(t *testing.T) {
	src := strings.Replace(strings.Replace(asymYAML, "second-price", "first-price", 1), "max: 2}}", "max: 1}}", 1)
	src += "  - {name: fay,  value: {dist: uniform, min: 0, max: 1}, strategy: {kind: equilibrium}}\n"
	src = strings.ReplaceAll(src, "max: 1}}", "max: 1}, strategy: {kind: equilibrium}}")
	sc, eng := worldAt(t, "eq.yaml", src, 5*sim.Second)
	m, _ := modelOn(t, sc, eng, 160, 48)
	press(m, "enter")
	flat := strings.Join(strings.Fields(m.View()), " ")
	for _, want := range []string{"bidding the equilibrium.", "ada's strategy: the equilibrium since"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the inspector lacks %q:\n%s", want, m.View())
		}
	}
	if strings.Contains(flat, "equilib..") {
		t.Errorf("the inspector says equilib..:\n%s", m.View())
	}
}

// TestInspectorEachBidder: where the screen has room the inspector sets
// each bidder's closed form beside the simulation, per auction (win rate,
// payment, surplus); with less, the selected bidder's alone; at 80×24 it
// keeps what it showed before (the screen is full) and still fits.
func TestInspectorEachBidder(t *testing.T) {
	sc, eng := worldAt(t, "asym.yaml", asymYAML, 5*sim.Second)
	snap := eng.Snapshot()
	bt, why := snap.BidderTheory()
	if why != "" || len(bt) != 5 {
		t.Fatalf("%d bidders, why %q", len(bt), why)
	}
	figure := func(b sim.BidderTheory) string {
		win, pay, _, _ := snap.BidderPerAuction(b.Name, false)
		return b.Name + " wins " + format.Pct(b.WinRate) + " · " + format.Pct(win) + ", pays " +
			format.Fixed(b.Payment, 3) + " · " + format.Fixed(pay, 3) + " CPM, keeps " + format.Fixed(b.Surplus, 3)
	}
	for _, c := range []struct {
		w, h int
		want []string // bidders whose figures show
	}{
		{160, 48, []string{"ada", "bo", "cyd", "dana", "eli"}},
		{100, 30, []string{"ada"}},
		{80, 24, nil},
	} {
		m, _ := modelOn(t, sc, eng, c.w, c.h)
		press(m, "enter")
		v := m.View()
		checkScreen(t, v, c.w, c.h)
		flat := strings.Join(strings.Fields(v), " ")
		if got := strings.Contains(flat, "Each bidder per auction, theory · simulated: "); got != (len(c.want) > 0) {
			t.Errorf("%dx%d: each bidder's theory shown %v:\n%s", c.w, c.h, got, v)
		}
		for _, b := range bt {
			if shown := strings.Contains(flat, figure(b)); shown != slices.Contains(c.want, b.Name) {
				t.Errorf("%dx%d: %q shown %v:\n%s", c.w, c.h, figure(b), shown, v)
			}
		}
	}
}

// TestInspectorNoTheoryWhole: with no closed form the inspector's reason
// ends as a sentence at every size, the whole of it where it fits, else
// its first clause (with, room permitting, where the whole one is); at
// 80×24 asymmetric first-price bidders' reason, three lines long, was
// cut by the screen's bottom after "ada's are uniform(0, 2),".
func TestInspectorNoTheoryWhole(t *testing.T) {
	src := strings.ReplaceAll(strings.Replace(asymYAML, "second-price", "first-price", 1), "}}\n", "}, strategy: {kind: equilibrium}}\n")
	sc, eng := worldAt(t, "asym-fp.yaml", src, 5*sim.Second)
	th := eng.Snapshot().Theory()
	if th.Applies || !strings.HasPrefix(th.Why, "values are not identically distributed: ") {
		t.Fatalf("a closed form, or another reason: %+v", th)
	}
	for _, size := range [][2]int{{80, 24}, {80, 26}, {160, 48}} {
		m, _ := modelOn(t, sc, eng, size[0], size[1])
		press(m, "enter")
		v := m.View()
		checkScreen(t, v, size[0], size[1])
		flat := strings.Join(strings.Fields(v), " ")
		i := strings.Index(flat, "No closed form: ")
		if i < 0 {
			t.Fatalf("%dx%d: no reason:\n%s", size[0], size[1], v)
		}
		reason := flat[i+len("No closed form: "):]
		whole := strings.HasPrefix(reason, th.Why+".")
		head := strings.HasPrefix(reason, "values are not identically distributed.") ||
			strings.HasPrefix(reason, "values are not identically distributed (the whole reason: ")
		if !whole && !head {
			t.Errorf("%dx%d: the reason cut: %q", size[0], size[1], reason)
		}
		if size[1] == 48 && !whole {
			t.Errorf("%dx%d: the whole reason not shown: %q", size[0], size[1], reason)
		}
	}
}

// TestInspectorPointerWhole: at 80 columns the inspector's pointer to the
// whole formula stays one phrase, "run --json's theory.formula": in this
// world (the first-price equilibrium, values U[0.0625, 20.015625], floor
// 1.015625) the line's end fell inside "json's", and the wrapper broke
// after the flag's dashes, "run --" over "json's". Asymmetric bidders'
// reason has the same pointer, to theory.why. Where not even the
// heading with its pointer fits under five bidders (80×24), the figures
// expected still show: the screen's bottom cut them.
func TestInspectorPointerWhole(t *testing.T) {
	src := strings.Replace(asymYAML, "second-price", "first-price", 1)
	src = strings.Replace(src, "floor: 0", "floor: 1.015625", 1)
	src = strings.ReplaceAll(src, "}}\n", "}, strategy: {kind: equilibrium}}\n")
	sym := strings.ReplaceAll(strings.ReplaceAll(src, "max: 2}", "max: 1}"), "min: 0, max: 1", "min: 0.0625, max: 20.015625")
	for _, c := range []struct{ name, src, want string }{
		{"formula", sym, "run --json's theory.formula"},
		{"reason", src, "run --json's theory.why"},
	} {
		sc, eng := worldAt(t, c.name+".yaml", c.src, 2*sim.Second)
		seen := false
		for _, h := range []int{24, 25, 26, 27, 28, 30} {
			m, _ := modelOn(t, sc, eng, 80, h)
			press(m, "enter")
			v := m.View()
			checkScreen(t, v, 80, h)
			lines := strings.Split(v, "\n")
			for _, l := range lines {
				if l := strings.TrimRight(ansi.Strip(l), " "); strings.HasSuffix(l, "-") {
					t.Errorf("%s, 80x%d: a line breaks at a hyphen: %q\n%s", c.name, h, l, v)
				}
			}
			flat := strings.Join(strings.Fields(ansi.Strip(v)), " ")
			seen = seen || strings.Contains(flat, "run --")
			if th := eng.Snapshot().Theory(); th.Applies && !strings.Contains(flat, "fill rate "+format.Pct(th.FillRate)) {
				t.Errorf("%s, 80x%d: the figures expected are cut:\n%s", c.name, h, v)
			}
			if strings.Contains(flat, "run --") && !strings.Contains(flat, c.want) {
				t.Errorf("%s, 80x%d: the pointer is not whole, want %q:\n%s", c.name, h, c.want, v)
			}
		}
		if !seen {
			t.Errorf("%s: no height showed the pointer", c.name)
		}
	}
}
