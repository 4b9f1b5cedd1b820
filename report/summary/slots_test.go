package summary

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestSlotsTable: a run of several slots shows each slot's weight, sales
// and prices per click and per impression, and VCG's and GSP's theory
// beside the simulation; a single-item run shows no Slots block.
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
		"VCG / GSP revenue", "theory 0.660 / 0.900 CPM per auction with truthful bids", "3 slots α = [1, 0.6, 0.3]"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if out := render("classroom-vickrey"); strings.Contains(out, "Slots") || strings.Contains(out, "VCG") {
		t.Errorf("a single-item run shows slots:\n%s", out)
	}
}
