package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestHelpListsTheoryMetrics: sweep's and compare's help name every
// theory.* metric of the catalogue (those of several slots too), so a
// student can find the closed form to set beside a simulated metric.
func TestHelpListsTheoryMetrics(t *testing.T) {
	sc, err := scenarios.Bundled("sponsored-search")
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(sim.Second)
	// A bidder's metrics are named with NAME, as every help names them.
	var theory []string
	snap := e.Snapshot()
	for _, name := range sim.MetricNames(snap) {
		if strings.HasPrefix(name, "theory.") {
			for _, b := range snap.Bidders {
				name = strings.Replace(name, "theory.bidders."+b.Name+".", "theory.bidders.NAME.", 1)
			}
			if !slices.Contains(theory, name) {
				theory = append(theory, name)
			}
		}
	}
	if len(theory) < 6 {
		t.Fatalf("only %v in the catalogue", theory)
	}
	for _, cmd := range []string{"sweep", "compare"} {
		r := inProcess(cmd, "--help")
		if r.code != exitOK {
			t.Fatalf("%s --help: exit %d", cmd, r.code)
		}
		help := strings.Join(strings.Fields(r.stdout), " ")
		for _, name := range theory {
			if !strings.Contains(help, name) {
				t.Errorf("%s --help does not list %s", cmd, name)
			}
		}
	}
}

// TestCompareHelpMoveSaysDaily: compare's help says what --move moves
// between a daily budget alone and another daily budget, alone or beside
// a total (their daily budgets, the daily sum kept), and that a daily
// budget alone and a total alone are not moved between, as
// sim.MovesDaily rules.
func TestCompareHelpMoveSaysDaily(t *testing.T) {
	r := inProcess("compare", "--help")
	if r.code != exitOK {
		t.Fatalf("compare --help: exit %d", r.code)
	}
	help := strings.Join(strings.Fields(r.stdout), " ")
	for _, want := range []string{"a daily budget alone (no total) and one with a daily budget (alone or beside a total, which stays) their budget.daily, the daily sum kept", "between a daily budget alone and a total alone is refused", "totals, or daily budgets between a daily budget alone and another daily budget"} {
		if !strings.Contains(help, want) {
			t.Errorf("compare --help does not say %q:\n%s", want, r.stdout)
		}
	}
}
