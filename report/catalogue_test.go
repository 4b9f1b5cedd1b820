package report

import (
	"bytes"
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

func sameNumber(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

// TestCatalogueIsTheJSON: sim's metric catalogue and the numeric leaves of
// run --json (but notMetrics, each excluded for its reason) (the JSON summary, flattened as the experiments name
// metrics: bidders and groups by name) are the same set of names with the
// same values, to the bit (null as NaN, true/false as 1/0), for every
// bundled scenario (holdouts, groups, budgets, closed forms) and with the
// tmax curve off, at the start of a run and after it, and every
// catalogue accessor reads the value from the snapshot.
func TestCatalogueIsTheJSON(t *testing.T) {
	worlds := map[string]*scenarios.Scenario{}
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Bundled(name)
		if err != nil {
			t.Fatal(err)
		}
		worlds[name] = sc
	}
	off, _, err := scenarios.ResolveWith("timeout-demo", []scenarios.Set{{Path: "exchange.tmax_curve", Value: "false", Flag: "--set"}})
	if err != nil {
		t.Fatal(err)
	}
	worlds["timeout-demo without a tmax curve"] = off
	learn, _, err := scenarios.ResolveWith("first-vs-second", []scenarios.Set{{Path: "bidders.dana.strategy", Value: "{kind: learn, arms: 10}", Flag: "--set"}})
	if err != nil {
		t.Fatal(err)
	}
	worlds["first-vs-second with a learner"] = learn
	goal, _, err := scenarios.ResolveWith("pacing-showdown", []scenarios.Set{{Path: "bidders.multiplier.strategy", Value: "{kind: target_cpa, cpa: 0.4}", Flag: "--set"}})
	if err != nil {
		t.Fatal(err)
	}
	worlds["pacing-showdown with a goal bidder"] = goal
	people, _, err := scenarios.ResolveWith("budget-split", []scenarios.Set{
		{Path: "traffic.users", Value: "{count: 500, skew: 1}", Flag: "--set"},
		{Path: "bidders.rival-a.frequency_cap", Value: "{impressions: 2, per: 1m}", Flag: "--set"},
	})
	if err != nil {
		t.Fatal(err)
	}
	worlds["budget-split with people and a cap"] = people
	byPerson, _, err := scenarios.ResolveWith("incrementality-test", []scenarios.Set{
		{Path: "traffic.users", Value: "{count: 2000, skew: 1}", Flag: "--set"},
		{Path: "bidders.retarget.frequency_cap", Value: "{impressions: 3, per: 1m}", Flag: "--set"},
	})
	if err != nil {
		t.Fatal(err)
	}
	worlds["incrementality-test by person"] = byPerson
	// A world changed after its start has the figures since the change.
	changed := map[string]sim.Change{"classroom-vickrey with a live change": sim.SetFloor{Floor: sim.PriceOf(0.3)}}
	worlds["classroom-vickrey with a live change"] = worlds["classroom-vickrey"]
	seen := map[string]bool{} // leaf kinds met, by the last part of the name
	for label, sc := range worlds {
		eng, err := sim.New(sc.Config)
		if err != nil {
			t.Fatal(err)
		}
		for _, auctions := range []uint64{0, 3000} {
			if c := changed[label]; c != nil && auctions > 0 {
				eng.RunAuctions(auctions)
				if err := eng.Apply(c); err != nil {
					t.Fatal(err)
				}
			}
			eng.RunAuctions(auctions)
			snap := eng.Snapshot()
			var buf bytes.Buffer
			if err := WriteSummary(&buf, snap, Meta{Scenario: sc.Name, Partial: true, WallSeconds: 1.5}); err != nil {
				t.Fatal(err)
			}
			tree, err := ParseTree(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			leaves := map[string]float64{}
			tree.Leaves("", func(name string, leaf *Tree) {
				if _, dup := leaves[name]; dup {
					t.Errorf("%s: two leaves named %s", label, name)
				}
				leaves[name] = leaf.Number()
			})
			cat := sim.Catalogue(snap)
			values := sim.MetricValues(snap)
			if len(values) != len(cat) {
				t.Errorf("%s: %d values, %d metrics in the catalogue", label, len(values), len(cat))
			}
			for _, m := range cat {
				leaf, ok := leaves[m.Name]
				switch {
				case !ok:
					t.Errorf("%s at %d auctions: catalogue metric %s is not in run --json", label, auctions, m.Name)
				case !sameNumber(leaf, m.Of(snap)) || !sameNumber(leaf, values[m.Name]):
					t.Errorf("%s at %d auctions: %s is %v in run --json, %v from the catalogue, %v in MetricValues",
						label, auctions, m.Name, leaf, m.Of(snap), values[m.Name])
				}
				seen[m.Name[max(0, len(m.Name)-12):]] = true
			}
			for name := range leaves {
				if _, ok := values[name]; !ok && notMetrics[name] == "" {
					t.Errorf("%s: run --json's %s is not in the catalogue", label, name)
				}
			}
			for name := range notMetrics {
				if _, ok := leaves[name]; !ok {
					t.Errorf("%s: %s, excluded from the catalogue, is no longer in run --json: drop it from the list", label, name)
				}
			}
			if len(cat) < 100 {
				t.Errorf("%s: only %d metrics", label, len(cat))
			}
		}
	}
	// The worlds cover the optional parts: a holdout, groups, a closed
	// form and a tmax curve, present and absent.
	for _, part := range []string{"holdout.held", "cost.value", "ental_value", ".holdout", "tmax_curve", "e.fill_rate", "ve_exact", "oal.realised", "ncy.capped", "_in_window", "rol_people", "person.hi", "rt_seconds"} {
		found := false
		for k := range seen {
			if len(k) >= len(part) && k[len(k)-len(part):] == part {
				found = true
			}
		}
		if !found {
			t.Errorf("no world has a metric ending in %s", part)
		}
	}
}
