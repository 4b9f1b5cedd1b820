package summary

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestSlotsTable: a run of several slots shows each slot's weight, sales
// and prices per click and per impression, what the mean clearing price
// is there (their sum: 0.900 beside slots of 0.60, 0.24 and 0.06 read as
// a mistake), and VCG's and GSP's theory beside the simulation, its
// values' law spelt as every other formula spells it (U[0, 1], not
// uniform(0, 1)); a single-item run shows no Slots block.
func TestSlotsTable(t *testing.T) {
	render := func(name string) string {
		sc, err := scenarios.Bundled(name)
		if err != nil {
			t.Fatal(err)
		}
		e, err := sim.New(sc.Config)
		if err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(20000)
		return Render(e.Snapshot(), Run{Scenario: name}, Options{})
	}
	out := render("sponsored-search")
	for _, want := range []string{"Slots", "slot 1  α 1 ", "slot 3  α 0.3", "CPM per click", "CPM per impression",
		"VCG / GSP revenue", "theory 0.660 / 0.900 CPM per auction with truthful bids", "3 slots α = [1, 0.6, 0.3]",
		SlotsPriceNote, "values i.i.d. U[0, 1], floor 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if out := render("classroom-vickrey"); strings.Contains(out, "Slots") || strings.Contains(out, "VCG") || strings.Contains(out, SlotsPriceNote) {
		t.Errorf("a single-item run shows slots:\n%s", out)
	}
}

// TestDeviatorSimulated: where several slots have no closed form for the
// exchange but the lone deviator's own surplus has one (ada shading in
// sponsored-search), the run's Theory sets the simulated surplus beside
// it; it gave the theory's alone (0.1176 CPM per auction).
func TestDeviatorSimulated(t *testing.T) {
	sc, err := scenarios.Bundled("sponsored-search")
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.Config
	cfg.Bidders = append([]sim.BidderConfig(nil), cfg.Bidders...)
	cfg.Bidders[0].Strategy = sim.Strategy{Kind: sim.Shade, Factor: 0.7}
	e, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(20000)
	snap := e.Snapshot()
	th := snap.Theory()
	if th.Applies || th.Deviator != "ada" || !strings.Contains(th.Why, "ada's own surplus has one: 0.1176") {
		t.Fatalf("theory %+v", th)
	}
	_, _, surplus, _ := snap.BidderPerAuction("ada", false)
	want := "simulated, ada keeps " + fmt.Sprintf("%.4f", surplus) + " CPM per auction"
	out := strings.Join(strings.Fields(Render(snap, Run{Scenario: "sponsored-search"}, Options{Width: 80})), " ")
	if !strings.Contains(out, want) || math.Abs(surplus-0.1176) > 0.01 {
		t.Errorf("no %q (near 0.1176) in\n%s", want, out)
	}
	// On the wire (run --endpoints) the figure is measured, and so is the
	// run's time: the wall clock's, not virtual. Before, both said
	// simulated and virtual there.
	out = strings.Join(strings.Fields(Render(snap, Run{Scenario: "sponsored-search", WallSeconds: 21.5}, Options{Width: 80, Measured: true})), " ")
	if want := "measured, ada keeps"; !strings.Contains(out, want) || strings.Contains(out, "simulated, ada") {
		t.Errorf("on the wire: no %q in\n%s", want, out)
	}
	if want := "on the wall clock (21.50s in all)"; !strings.Contains(out, want) || strings.Contains(out, "virtual") {
		t.Errorf("on the wire: the title lacks %q or says virtual:\n%s", want, out)
	}
}
