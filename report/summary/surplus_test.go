package summary

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// The table has each bidder's surplus (Σ value − price over its wins):
// piped, at 100 columns, and at 80 for the classroom's short names; in
// classroom-vickrey with one bidder shading, the shader's is the least.
func TestSurplusColumn(t *testing.T) {
	sc, err := scenarios.Bundled("classroom-vickrey")
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Apply(sim.SetStrategy{Bidder: "ada", Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.8}}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(100_000)
	snap := e.Snapshot()
	for _, w := range []int{0, 80, 100} {
		out := Render(snap, Run{Scenario: sc.Name}, Options{Width: w})
		var heads []string
		rows := map[string][]string{}
		for _, l := range lines(out) {
			var cells []string
			for _, c := range strings.Split(l, "│") {
				if c = strings.TrimSpace(c); c != "" {
					cells = append(cells, c)
				}
			}
			switch {
			case len(cells) > 0 && cells[0] == "bidder":
				heads = cells
			case len(cells) > 0 && heads != nil:
				rows[cells[0]] = cells
			}
		}
		col := -1
		for i, h := range heads {
			if h == "surplus" {
				col = i
			}
		}
		if col < 0 {
			t.Errorf("width %d: no surplus column:\n%s", w, out)
			continue
		}
		least := ""
		for _, b := range snap.Bidders {
			if got, want := rows[b.Name][col], format.Money(b.Surplus().Float()); got != want {
				t.Errorf("width %d: %s's surplus %q, want %q", w, b.Name, got, want)
			}
			if least == "" || b.Surplus() < snap.Bidders[indexOf(snap, least)].Surplus() {
				least = b.Name
			}
		}
		if least != "ada" {
			t.Errorf("the shading bidder ada is not the one with the least surplus (%s is)", least)
		}
	}
}

func indexOf(s *sim.Snapshot, name string) int {
	for i, b := range s.Bidders {
		if b.Name == name {
			return i
		}
	}
	return -1
}
