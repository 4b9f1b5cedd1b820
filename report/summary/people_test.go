package summary

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// TestPeopleSection: with people each bidder gets a People line with its
// reach, impressions per person, the most within its cap's window, its
// capped no-bids and repeat conversions, as sim counted them; without
// people there is no section.
func TestPeopleSection(t *testing.T) {
	cfg := sim.Config{
		Seed:     3,
		Traffic:  sim.Traffic{QPS: 100, Users: &sim.Users{Count: 50}},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Bidders: []sim.BidderConfig{
			{Name: "capped", Value: sim.Uniform(1, 3), FrequencyCap: &sim.FrequencyCap{Impressions: 2, Per: sim.Minute}},
			{Name: "rival", Value: sim.Uniform(0.5, 2.5)},
		},
	}
	e := newEngine(t, cfg)
	e.RunAuctions(3000)
	snap := e.Snapshot()
	s := Render(snap, Run{Scenario: "p"}, Options{})
	f := snap.Bidders[0].Frequency
	if f.Capped == 0 {
		t.Fatal("the cap never bound")
	}
	// Counts with separators, as every other table's, and the window as
	// the scenario writes it (1m, not 1m0s).
	want := fmt.Sprintf(`capped\s+%s\s+people, each saw\s+%.2f\s+most in 1m \(cap 2\)\s+%s\s+capped\s+%s\s+repeat conversions\s+0`,
		format.Count(f.PeopleReached), f.MeanPerPerson, format.Count(f.MaxInWindow), format.Count(f.Capped))
	if f.Capped < 1000 {
		t.Fatalf("capped %d: the test needs a count with a separator", f.Capped)
	}
	if !strings.Contains(s, "People") || !regexp.MustCompile(want).MatchString(s) {
		t.Errorf("no %q in:\n%s", want, s)
	}
	cfg.Traffic.Users, cfg.Bidders[0].FrequencyCap = nil, nil
	e = newEngine(t, cfg)
	e.RunAuctions(100)
	if s := Render(e.Snapshot(), Run{Scenario: "x"}, Options{}); strings.Contains(s, "People") {
		t.Errorf("a People section without people:\n%s", s)
	}
}
