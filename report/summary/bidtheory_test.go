package summary

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// TestBidderTheoryRows: the Theory section lists each enabled bidder's
// win rate, payment and surplus per auction, theory beside simulated,
// within 80 columns; after a live change the simulated figures are those
// since the change (the surplus, not counted there, a dash); an increment
// keeps them; in the first-price equilibrium it says why each bidder has
// no closed form.
func TestBidderTheoryRows(t *testing.T) {
	cfg := vickrey3()
	cfg.Bidders[0].Value = sim.LogNormalMedianP99(0.6, 3)
	cfg.Bidders[1].Value = sim.Uniform(0, 2)
	e := newEngine(t, cfg)
	e.RunUntil(10 * sim.Second)
	row := func(out, name string) string {
		t.Helper()
		for _, l := range lines(out) {
			if f := strings.Fields(l); len(f) > 0 && f[0] == name {
				// Spaces collapsed: the figures are padded to line up.
				return strings.Join(f, " ")
			}
		}
		t.Fatalf("no row for %s in\n%s", name, out)
		return ""
	}
	snap := e.Snapshot()
	bt, why := snap.BidderTheory()
	if why != "" || len(bt) != 3 {
		t.Fatalf("%d bidders, why %q", len(bt), why)
	}
	out := Render(snap, Run{Scenario: "x"}, Options{Width: 80})
	if !strings.Contains(out, "each bidder, per auction: theory · simulated") {
		t.Fatalf("no per-bidder theory:\n%s", out)
	}
	for i, b := range bt {
		s := snap.Bidders[i]
		n := float64(snap.Exchange.Auctions)
		win := float64(s.Wins) / n
		pay := float64(s.Spend) / float64(sim.PriceUnit) / n
		surplus := float64(s.Value-s.Spend) / float64(sim.PriceUnit) / n
		r := row(out, b.Name)
		for _, want := range []string{
			format.Pct(b.WinRate) + " · " + format.Pct(win),
			format.Fixed(b.Payment, 3) + " · " + format.Fixed(pay, 3),
			format.Fixed(b.Surplus, 3) + " · " + format.Fixed(surplus, 3),
		} {
			if !strings.Contains(r, want) {
				t.Errorf("%s's row %q lacks %q", b.Name, r, want)
			}
		}
	}
	for i, l := range lines(out) {
		if lipgloss.Width(l) > 80 {
			t.Errorf("line %d is %d wide: %q", i, lipgloss.Width(l), l)
		}
	}

	if err := e.Apply(sim.SetFloor{Floor: sim.PriceOf(0.5)}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(20 * sim.Second)
	snap = e.Snapshot()
	bt, _ = snap.BidderTheory()
	out = Render(snap, Run{Scenario: "x"}, Options{Width: 80})
	p := snap.SinceChange.Bidders[0]
	n := float64(snap.SinceChange.Auctions)
	for _, want := range []string{
		format.Pct(bt[0].WinRate) + " · " + format.Pct(float64(p.Wins)/n),
		format.Fixed(bt[0].Payment, 3) + " · " + format.Fixed(float64(p.Spend)/float64(sim.PriceUnit)/n, 3),
		format.Fixed(bt[0].Surplus, 3) + " · " + format.Fixed(float64(p.Value-p.Spend)/float64(sim.PriceUnit)/n, 3),
	} {
		if r := row(out, "a"); !strings.Contains(r, want) {
			t.Errorf("since the change, a's row %q lacks %q", r, want)
		}
	}

	// An increment has its form too.
	if err := e.Apply(sim.SetIncrement{Increment: sim.PriceOf(0.05)}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(25 * sim.Second)
	snap = e.Snapshot()
	bt, why = snap.BidderTheory()
	out = Render(snap, Run{Scenario: "x"}, Options{Width: 80})
	if why != "" || !strings.Contains(row(out, "b"), format.Pct(bt[1].WinRate)+" · ") {
		t.Errorf("with an increment (why %q), b's row:\n%s", why, out)
	}

	// The first-price equilibrium: the exchange's form (revenue
	// equivalence), shared equally by symmetric bidders; with one bidder
	// erring none for each bidder, and the run table says why.
	cfg = vickrey3()
	cfg.Exchange.Auction = sim.FirstPrice
	for i := range cfg.Bidders {
		cfg.Bidders[i].Strategy = sim.Strategy{Kind: sim.Equilibrium}
	}
	e = newEngine(t, cfg)
	e.RunUntil(5 * sim.Second)
	out = Render(e.Snapshot(), Run{Scenario: "x"}, Options{Width: 80})
	if r := row(out, "a"); !strings.Contains(out, "each bidder, per auction") || !strings.Contains(r, "33.3% · ") {
		t.Errorf("the equilibrium, symmetric: a's row %q in\n%s", r, out)
	}
	cfg.Bidders[0].Errors = 0.1
	e = newEngine(t, cfg)
	e.RunUntil(5 * sim.Second)
	out = Render(e.Snapshot(), Run{Scenario: "x"}, Options{Width: 80})
	flat := strings.Join(strings.Fields(out), " ")
	if !strings.Contains(flat, "each bidder: no closed form here: the bidders bid the first-price equilibrium") ||
		strings.Contains(out, "each bidder, per auction") {
		t.Errorf("the equilibrium, a erring: no reason given:\n%s", out)
	}
}

// TestBidderTheoryAligned: down each column of the per-bidder theory the
// "·" between theory and simulated lines up, each figure padded to its
// side's widest ("52.7% · 52.7%" over " 8.0% ·  8.0%"); the whole cell was
// right-aligned, "  8.0% · 8.0%", its "·" a cell off. After a change the
// dashes of the surplus not counted are explained.
func TestBidderTheoryAligned(t *testing.T) {
	cfg := vickrey3()
	cfg.Bidders[0].Value = sim.Uniform(0, 4)
	cfg.Bidders[1].Value = sim.Uniform(0, 0.5)
	e := newEngine(t, cfg)
	e.RunUntil(10 * sim.Second)
	aligned := func(out string) {
		t.Helper()
		var at []int
		rows := 0
		for _, l := range lines(out) {
			f := strings.Fields(l)
			if len(f) == 0 || (f[0] != "a" && f[0] != "b" && f[0] != "c") || !strings.Contains(l, "·") {
				continue
			}
			rows++
			var dots []int
			for i, r := range []rune(l) {
				if r == '·' {
					dots = append(dots, i)
				}
			}
			if at == nil {
				at = dots
			} else if len(dots) != len(at) || !equalInts(dots, at) {
				t.Errorf("row %q: its · at %v, the first row's at %v\n%s", l, dots, at, out)
			}
		}
		if rows != 3 {
			t.Fatalf("%d bidder rows in\n%s", rows, out)
		}
	}
	out := Render(e.Snapshot(), Run{Scenario: "x"}, Options{Width: 80})
	aligned(out)
	if strings.Contains(out, "simulated since the change") {
		t.Errorf("since the change with no change:\n%s", out)
	}
	if err := e.Apply(sim.SetFloor{Floor: sim.PriceOf(0.2)}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(20 * sim.Second)
	out = Render(e.Snapshot(), Run{Scenario: "x"}, Options{Width: 80})
	aligned(out)
	if !strings.Contains(out, "theory · simulated since the change") {
		t.Errorf("since the change, the bidders' figures do not say so:\n%s", out)
	}
}

func equalInts(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// TestTheoryMeasuredOnTheWire: on the wire (run --endpoints, Measured)
// the Theory section sets theory beside the measured figures and says
// so, as the dashboard does on the wire; before, it called them
// simulated. Off the wire they stay simulated.
func TestTheoryMeasuredOnTheWire(t *testing.T) {
	e := newEngine(t, vickrey3())
	e.RunUntil(5 * sim.Second)
	section := func(out string) string {
		t.Helper()
		_, rest, ok := strings.Cut(out, "Theory")
		body, _, ok2 := strings.Cut(rest, "Bidders")
		if !ok || !ok2 {
			t.Fatalf("no Theory section in\n%s", out)
		}
		return body
	}
	wire := section(Render(e.Snapshot(), Run{Scenario: "x"}, Options{Width: 80, Measured: true}))
	for _, want := range []string{"· measured ", "each bidder, per auction: theory · measured"} {
		if !strings.Contains(wire, want) {
			t.Errorf("on the wire the Theory section lacks %q:\n%s", want, wire)
		}
	}
	if strings.Contains(wire, "simulated") {
		t.Errorf("on the wire the Theory section says simulated:\n%s", wire)
	}
	if off := section(Render(e.Snapshot(), Run{Scenario: "x"}, Options{Width: 80})); strings.Contains(off, "measured") || !strings.Contains(off, "· simulated ") {
		t.Errorf("off the wire the Theory section should say simulated:\n%s", off)
	}
}
