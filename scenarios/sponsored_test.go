package scenarios

import (
	"math"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestSponsoredSearchClaims checks what sponsored-search's description
// says: truthful GSP earns 0.90 and VCG 0.66 (theory and simulation);
// truthful bidders earn 0.095 per auction in GSP and 0.155 in VCG; ada
// shading by 0.7 earns 0.118 in GSP (more: truthful is not an
// equilibrium) and 0.140 in VCG (less: truthful is dominant), by the lone
// deviator's closed form (SlotDeviatorSurplus) and simulated; every
// bidder bidding the GSP envy-free equilibrium brings revenue down to
// VCG's 0.66 and each bidder's surplus up to 0.155.
func TestSponsoredSearchClaims(t *testing.T) {
	s, err := Bundled("sponsored-search")
	if err != nil {
		t.Fatal(err)
	}
	for _, claim := range []string{"0.90", "0.66", "0.095", "0.118", "0.155", "0.140", "Try"} {
		if !strings.Contains(s.Description, claim) {
			t.Errorf("the description no longer says %s", claim)
		}
	}
	auctions := uint64(300_000)
	if testing.Short() {
		auctions = 150_000
	}
	// Surplus per auction (CPM) of ada, the mean over all bidders, and
	// revenue per auction, with the assignments applied.
	run := func(sets ...string) (ada, mean, revenue float64, th sim.Theory) {
		t.Helper()
		var list []Set
		for _, a := range sets {
			p, v, _ := strings.Cut(a, "=")
			list = append(list, Set{Path: p, Value: v, Flag: "--set"})
		}
		sc, _, err := ResolveWith("sponsored-search", list)
		if err != nil {
			t.Fatal(err)
		}
		e, err := sim.New(sc.Config)
		if err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(auctions)
		snap := e.Snapshot()
		n := float64(snap.Exchange.Auctions)
		for i, b := range snap.Bidders {
			x := (b.Value - b.Spend).Float() * 1000 / n
			if i == 0 {
				ada = x
			}
			mean += x / float64(len(snap.Bidders))
		}
		return ada, mean, snap.Exchange.RevenuePerAuction(), snap.Theory()
	}
	near := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s: %.4f, want %.4f ± %g", what, got, want, tol)
		}
	}
	const vcg = "exchange.auction=vcg"
	const shade = "bidders.ada.strategy={kind: shade, factor: 0.7}"

	_, gspSurplus, gspRev, th := run()
	near("truthful GSP theory", th.RevenuePerAuction, 0.90, 1e-9)
	near("truthful GSP revenue", gspRev, 0.90, 0.004)
	near("truthful GSP surplus", gspSurplus, 0.095, 0.003)
	if th.Slots == nil || math.Abs(th.Slots.VCG-0.66) > 1e-9 {
		t.Errorf("theory's VCG beside GSP: %+v", th.Slots)
	}

	adaShades, _, _, th := run(shade)
	near("GSP, ada shading", adaShades, 0.118, 0.003)
	if adaShades < gspSurplus+0.015 {
		t.Errorf("GSP: ada shading earns %.4f, truthful %.4f: shading should pay", adaShades, gspSurplus)
	}
	if th.Applies || !strings.Contains(th.Why, "ada's own surplus has one: 0.1176 CPM per auction bidding shade 0.7 against truthful rivals, 0.0950 bidding truthfully") {
		t.Errorf("one bidder shading in GSP: revenue has no closed form, ada's surplus has: %+v", th)
	}

	_, vcgSurplus, vcgRev, th := run(vcg)
	near("VCG theory", th.RevenuePerAuction, 0.66, 1e-9)
	near("VCG revenue", vcgRev, 0.66, 0.004)
	near("VCG surplus", vcgSurplus, 0.155, 0.003)

	adaShadesVCG, _, _, th := run(vcg, shade)
	if !strings.Contains(th.Why, "0.1398 CPM per auction bidding shade 0.7 against truthful rivals, 0.1550 bidding truthfully") {
		t.Errorf("VCG, ada shading: theory %+v", th)
	}
	near("VCG, ada shading", adaShadesVCG, 0.140, 0.003)
	if adaShadesVCG > vcgSurplus-0.008 {
		t.Errorf("VCG: ada shading earns %.4f, truthful %.4f: shading should cost", adaShadesVCG, vcgSurplus)
	}

	_, eqSurplus, eqRev, th := run("bidders.*.strategy={kind: equilibrium}")
	near("GSP equilibrium theory", th.RevenuePerAuction, 0.66, 1e-9)
	near("GSP equilibrium revenue", eqRev, 0.66, 0.004)
	near("GSP equilibrium surplus", eqSurplus, 0.155, 0.003)
	if !strings.Contains(th.Formula, "envy-free") {
		t.Errorf("the equilibrium's formula does not say which: %s", th.Formula)
	}
}

// TestSlotsLive: the auction switches between gsp and vcg live; slots
// cannot change during a run, and a switch to a single-item auction with
// several slots is refused, each saying why.
func TestSlotsLive(t *testing.T) {
	src, err := Source("sponsored-search")
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLive("sponsored-search.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := l.Set([]Set{{Path: "exchange.auction", Value: "vcg"}})
	if err != nil || len(cs) != 1 || cs[0] != (sim.SetAuction{Auction: sim.VCG}) {
		t.Errorf("auction=vcg: %v, %v", cs, err)
	}
	for _, c := range []struct{ set, says string }{
		{"exchange.slots=[1, 0.5]", "exchange.slots: cannot change during a run"},
		{"exchange.auction=second-price", "with 3 slots the auction is gsp or vcg"},
	} {
		p, v, _ := strings.Cut(c.set, "=")
		if _, err := l.Set([]Set{{Path: p, Value: v}}); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want it refused saying %q", c.set, err, c.says)
		}
	}
}
