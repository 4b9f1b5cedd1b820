package summary

import (
	"regexp"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// scenarioSnap is the bundled scenario name run for d.
func scenarioSnap(t *testing.T, name string, d sim.Time) *sim.Snapshot {
	t.Helper()
	sc, _, err := scenarios.ResolveWith(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(d)
	return e.Snapshot()
}

// TestNarrowSectionsKeepToWidth: at 40 to 80 columns, piped or in a
// terminal, the Exchange and Bidders headings, the Theory rows (the
// classroom's and sponsored search's), the Slots, the Days rows and the
// Goals table keep to the width (the Goals table was 64 wide, the theory
// rows 78 and the headings 49 at 40), and nothing is lost: every figure
// of the theory rows and every column of the Goals table is there.
func TestNarrowSectionsKeepToWidth(t *testing.T) {
	flight := flightSnap(t, "acme-even")
	flight.Bidders[0].Goal = &sim.Goal{Kind: sim.TargetCPA, Target: 0.18, Realised: 0.1818, Multiplier: 1.001}
	snaps := map[string]*sim.Snapshot{
		"flight":            flight,
		"sponsored-search":  scenarioSnap(t, "sponsored-search", 20*sim.Second),
		"classroom-vickrey": scenarioSnap(t, "classroom-vickrey", 20*sim.Second),
	}
	for name, snap := range snaps {
		for w := 40; w <= 80; w += 5 {
			for _, whole := range []bool{true, false} {
				out := Render(snap, Run{Scenario: name}, Options{Width: w, Whole: whole})
				for _, l := range lines(out) {
					if n := format.Width(l); n > w {
						t.Errorf("%s at %d (whole %v): a line %d wide: %q", name, w, whole, n, l)
					}
				}
				flat := spaced(out)
				if th := snap.Theory(); th.Applies {
					for _, want := range []string{"theory " + format.Fixed(th.RevenuePerAuction, 3) + " · simulated " + format.Fixed(snap.Exchange.RevenuePerAuction(), 3) + " CPM",
						"money in currency units · prices in CPM"} {
						if !strings.Contains(flat, want) {
							t.Errorf("%s at %d (whole %v): %q not on one line:\n%s", name, w, whole, want, out)
						}
					}
				}
				if name == "flight" {
					for _, h := range []string{"goal", "target", "realised", "off by", "bid factor"} {
						if !strings.Contains(section(t, out, "Goals")[1], "│ "+h+" ") && !strings.Contains(strings.Join(section(t, out, "Goals"), "\n"), "│ "+h+" ") {
							t.Errorf("at %d (whole %v): the Goals table lost %q:\n%s", w, whole, h, out)
						}
					}
				}
			}
		}
	}
}

// TestDaysCountBesideItsWord: however narrow, the Days rows keep a
// bidder's count of days beside its word ("2 day(s)"): a split section
// ended on a bare "7" and the next began "day(s) · a day spent" (60
// columns, flight-week).
func TestDaysCountBesideItsWord(t *testing.T) {
	snap := flightSnap(t, "globex-capped-north")
	counted := regexp.MustCompile(`\b\d+ day\(s\)`)
	for w := 40; w <= 100; w += 5 {
		for _, whole := range []bool{true, false} {
			body := section(t, Render(snap, Run{Scenario: "flight"}, Options{Width: w, Whole: whole}), "Days")
			n := 0
			for _, l := range body {
				if strings.Contains(l, "day(s)") {
					n++
					if !counted.MatchString(spaced(l)) {
						t.Errorf("at %d (whole %v): day(s) without its count: %q\n%s", w, whole, l, strings.Join(body, "\n"))
					}
				}
			}
			if n != 2 {
				t.Errorf("at %d (whole %v): %d rows with day(s), want the 2 bidders':\n%s", w, whole, n, strings.Join(body, "\n"))
			}
		}
	}
}
