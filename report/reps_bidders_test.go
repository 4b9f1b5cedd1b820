package report

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// repsOf runs reps replications of the scenario name with sets, as run
// --reps does, and returns them with the scenario.
func repsOf(t *testing.T, name string, reps int, sets []scenarios.Set) (*experiment.Result, *scenarios.Scenario) {
	t.Helper()
	p, sc, err := resolvePoint(textOf(t, name), sets)
	if err != nil {
		t.Fatal(err)
	}
	spec := &experiment.Spec{Command: "run", Scenario: sc.Name, Seed: sc.Config.Seed, Reps: reps, Points: []experiment.PointSpec{p}}
	res, err := RunExperiment(context.Background(), ExperimentRun{Spec: spec, Workers: 1, Note: func(string) {}})
	if err != nil {
		t.Fatal(err)
	}
	return res, sc
}

// bidderRow is the line of the reps theory block for bidder name in the
// table whose header line contains column, or "".
func bidderRow(block, column, name string) string {
	in := false
	for _, line := range strings.Split(block, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && f[0] == "bidder" {
			in = strings.Contains(line, column)
			continue
		}
		if in && len(f) > 0 && f[0] == name {
			return line
		}
	}
	return ""
}

// squeeze is s with each run of spaces one space: a row's cells as the
// formatting helpers write them, without the padding that aligns them.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestRepsTheoryBidders: run --reps' theory block sets each bidder's
// closed form (theory.bidders.NAME) beside the replications' simulated
// figures per auction over the whole run (bidders.NAME.
// win_rate_per_auction, payment_per_auction, surplus_per_auction), as
// a single run's table does; it had the exchange's rows only.
func TestRepsTheoryBidders(t *testing.T) {
	res, sc := repsOf(t, "classroom-vickrey", 3, []scenarios.Set{{Path: "stop", Value: "{auctions: 3000}"}})
	got := RepsTheoryScripted(res, sc.Config)
	if !strings.Contains(got, "each bidder, per auction: theory · simulated") {
		t.Fatalf("no bidder rows:\n%s", got)
	}
	// The closed form each replication's catalogue has (the same world).
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	eng.RunAuctions(10)
	catalogue := sim.MetricValues(eng.Snapshot())
	for _, b := range sc.Config.Bidders {
		for _, c := range []struct{ column, theory, simulated string }{
			{"win rate", "win_rate", "win_rate_per_auction"},
			{"payment CPM", "payment_per_auction", "payment_per_auction"},
			{"surplus CPM", "surplus_per_auction", "surplus_per_auction"},
		} {
			th, ok := res.Agg.Stat(0, "theory.bidders."+b.Name+"."+c.theory)
			s, oks := res.Agg.Stat(0, "bidders."+b.Name+"."+c.simulated)
			if !ok || !oks || s.N != 3 {
				t.Fatalf("%s %s: theory %v, simulated %v (%d replications)", b.Name, c.column, ok, oks, s.N)
			}
			if want := catalogue["theory.bidders."+b.Name+"."+c.theory]; th.Mean != want {
				t.Errorf("%s %s: theory %v, the catalogue's %v", b.Name, c.column, th.Mean, want)
			}
			if math.Abs(s.Mean-th.Mean) > 0.1*th.Mean {
				t.Errorf("%s %s: simulated %v far from theory %v", b.Name, c.column, s.Mean, th.Mean)
			}
			row := bidderRow(got, c.column, b.Name)
			if want := FormatNum(th.Mean) + " · " + FormatPM(s); !strings.Contains(squeeze(row), want) {
				t.Errorf("%s %s: row %q, want %q in it:\n%s", b.Name, c.column, row, want, got)
			}
		}
	}
	for _, line := range strings.Split(got, "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("line of %d cells: %q", n, line)
		}
	}
}

// TestRepsTheoryBiddersScripted: with a script that changes the world
// during the run, the bidders' simulated side is since the change
// (since_change.bidders.NAME), as the exchange rows' is, beside the
// world's closed form after it, the surplus's too (it had no column:
// sim did not count it since a change).
func TestRepsTheoryBiddersScripted(t *testing.T) {
	res, sc := twoReps(t, "timeout-story", []scenarios.Set{{Path: "stop", Value: "{duration: 70s}"}})
	got := RepsTheoryScripted(res, sc.Config)
	if !strings.Contains(got, "simulated since the change at 1m0s") {
		t.Fatalf("not since the change:\n%s", got)
	}
	rows := 0
	for _, b := range sc.Config.Bidders {
		for _, c := range []struct{ column, theory, simulated string }{
			{"win rate", "win_rate", "win_rate"},
			{"payment CPM", "payment_per_auction", "payment_per_auction"},
			{"surplus CPM", "surplus_per_auction", "surplus_per_auction"},
		} {
			th, ok := res.Agg.Stat(0, "theory.bidders."+b.Name+"."+c.theory)
			if !ok {
				continue
			}
			s, oks := res.Agg.Stat(0, "since_change.bidders."+b.Name+"."+c.simulated)
			whole, _ := res.Agg.Stat(0, "bidders."+b.Name+"."+c.simulated)
			if !oks {
				t.Fatalf("%s: no since_change.bidders.%s.%s", b.Name, b.Name, c.simulated)
			}
			row := bidderRow(got, c.column, b.Name)
			if want := FormatNum(th.Mean) + " · " + FormatPM(s); !strings.Contains(squeeze(row), want) {
				t.Errorf("%s %s: row %q, want %q in it (the whole run's: %s):\n%s", b.Name, c.column, row, want, FormatPM(whole), got)
			}
			rows++
		}
	}
	if rows == 0 {
		t.Fatalf("no bidder with a closed form:\n%s", got)
	}
}

// TestRepsBidderTheoryWidth: eight bidders with ten-letter names and
// figures as wide as FormatPM writes them keep within 80 columns.
func TestRepsBidderTheoryWidth(t *testing.T) {
	agg := experiment.NewAgg(1, false)
	var names []string
	for i := range 8 {
		names = append(names, fmt.Sprintf("bidder%04d", i))
	}
	for rep := range 3 {
		v := experiment.Values{}
		for i, n := range names {
			x := 0.0001234 * float64(1+i) * (1 + 0.01*float64(rep))
			for _, f := range []string{"win_rate", "payment_per_auction", "surplus_per_auction"} {
				v["theory.bidders."+n+"."+f] = 123.4567 * float64(i+1)
			}
			for _, f := range []string{"win_rate_per_auction", "payment_per_auction", "surplus_per_auction"} {
				v["bidders."+n+"."+f] = 123.4567*float64(i+1) + x
			}
		}
		agg.Add(experiment.Item{Index: rep, Rep: rep, Values: v})
	}
	got := repsBidderTheory(agg, names, "exchange.")
	for _, n := range names {
		for _, col := range []string{"win rate", "payment CPM", "surplus CPM"} {
			if bidderRow(got, col, n) == "" {
				t.Errorf("no %s row for %s:\n%s", col, n, got)
			}
		}
	}
	for _, line := range strings.Split(got, "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("line of %d cells: %q\n%s", n, line, got)
		}
	}
}

// TestBidderPerAuctionMetrics: the catalogue's bidders.NAME.
// win_rate_per_auction, payment_per_auction and surplus_per_auction are
// Snapshot.BidderPerAuction's whole-run figures, which a single run's
// table sets beside theory.bidders.NAME.
func TestBidderPerAuctionMetrics(t *testing.T) {
	_, e := bundledEngine(t, "first-vs-second")
	e.RunAuctions(2000)
	snap := e.Snapshot()
	values := sim.MetricValues(snap)
	for _, b := range snap.Bidders {
		win, pay, surplus, _ := snap.BidderPerAuction(b.Name, false)
		for f, want := range map[string]float64{"win_rate_per_auction": win, "payment_per_auction": pay, "surplus_per_auction": surplus} {
			if got, ok := values["bidders."+b.Name+"."+f]; !ok || got != want {
				t.Errorf("bidders.%s.%s = %v (%v), want %v", b.Name, f, got, ok, want)
			}
		}
	}
}

// TestRepsDeviatorSimulated: run --reps sets the replications' simulated
// surplus of a lone deviator among several slots beside its own closed
// form, which the reason for no closed form gives.
func TestRepsDeviatorSimulated(t *testing.T) {
	res, sc := twoReps(t, "sponsored-search", []scenarios.Set{{Path: "bidders.ada.strategy", Value: "{kind: shade, factor: 0.7}"},
		{Path: "stop", Value: "{auctions: 5000}"}})
	cfg := sc.Config
	cfg.Bidders = append([]sim.BidderConfig(nil), cfg.Bidders...)
	cfg.Bidders[0].Strategy = sim.Strategy{Kind: sim.Shade, Factor: 0.7}
	got := strings.Join(strings.Fields(RepsTheory(res, sim.TheoryOf(cfg))), " ")
	s, ok := res.Agg.Stat(0, "bidders.ada.surplus_per_auction")
	if !ok {
		t.Fatal("no bidders.ada.surplus_per_auction")
	}
	if want := "0.1176 CPM per auction bidding shade 0.7"; !strings.Contains(got, want) {
		t.Fatalf("no %q in %s", want, got)
	}
	if want := "simulated, ada keeps " + FormatPM(s) + " CPM per auction"; !strings.Contains(got, want) {
		t.Errorf("no %q in %s", want, got)
	}
}
