package summary

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// TestBiddersWithoutLatency: in a world where every bidder answers at once
// (the classroom scenarios) the run's bidders table has no late, late%,
// p50 or p99 column (0, 0.0% and 0.0ms on every row), nor, without an
// outcome model, conv, aROAS and iROAS (dashes); the title says why,
// within the width. At 80 columns in a terminal the columns the latency
// ones pushed out (bids, wins) come back. One bidder with latency brings
// every latency column back.
func TestBiddersWithoutLatency(t *testing.T) {
	run := func(lat sim.Dist) *sim.Snapshot {
		cfg := sim.Config{
			Seed:     1,
			Traffic:  sim.Traffic{QPS: 1000},
			Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		}
		for i := range 5 {
			cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{Name: string(rune('a' + i)), Value: sim.Uniform(0, 1)})
		}
		cfg.Bidders[0].Latency = lat
		e, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.RunUntil(2 * sim.Second)
		return e.Snapshot()
	}
	heads := func(out string) []string {
		var hs []string
		for _, l := range strings.Split(ansi.Strip(out[strings.Index(out, "Bidders"):]), "\n") {
			if strings.HasPrefix(l, "│ bidder ") {
				for _, c := range strings.Split(l, "│") {
					if c = strings.TrimSpace(c); c != "" && c != "bidder" {
						hs = append(hs, c)
					}
				}
			}
		}
		return hs
	}
	gone := []string{"late", "late%", "p50", "p99", "conv", "aROAS", "iROAS"}
	instant := run(sim.Dist{})
	for _, o := range []Options{{Width: 80}, {Width: 80, Whole: true}, {Width: 120, Whole: true}, {}} {
		out := Render(instant, Run{Scenario: "nolat"}, o)
		hs := heads(out)
		for _, g := range gone {
			for _, h := range hs {
				if h == g {
					t.Errorf("width %d whole %v: the table has %s in a world without latency:\n%s", o.Width, o.Whole, g, out)
				}
			}
		}
		if !strings.Contains(out, "every bidder answers at once: no latency columns") {
			t.Errorf("width %d whole %v: the title does not say why:\n%s", o.Width, o.Whole, out)
		}
		for _, l := range strings.Split(out[strings.Index(out, "Bidders"):], "\n") {
			if o.Width > 0 && lipgloss.Width(l) > o.Width {
				t.Errorf("width %d whole %v: a line of %d cells: %q", o.Width, o.Whole, lipgloss.Width(l), l)
			}
		}
		if j := strings.Join(hs, " "); o.Width == 80 && !o.Whole && !strings.Contains(j, "bids wins win% spend budget price surplus") {
			t.Errorf("at 80 columns in a terminal the columns are %q", hs)
		}
	}
	slow := run(sim.Constant(float64(30 * sim.Millisecond)))
	out := Render(slow, Run{Scenario: "lat"}, Options{Width: 200})
	if hs := strings.Join(heads(out), " "); !strings.Contains(hs, "late late%") || !strings.Contains(hs, "p50 p99") {
		t.Errorf("with latency the columns are %q", hs)
	}
	if strings.Contains(out, "no latency columns") {
		t.Errorf("with latency the title says there is none:\n%s", out)
	}
}
