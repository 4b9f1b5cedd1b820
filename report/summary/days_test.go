package summary

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// TestDaysSection: a bidder with a daily budget gets a Days line with its
// budget per day, delivery, days begun and the least and most a whole day
// spent, as sim counted them; the budget column says per day; a run
// without daily budgets has no Days section.
func TestDaysSection(t *testing.T) {
	cfg := sim.Config{
		Seed:     2,
		Traffic:  sim.Traffic{QPS: 0.5},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Horizon:  3 * sim.Day,
		Bidders: []sim.BidderConfig{
			{Name: "flight", Value: sim.Uniform(1, 3), Budget: &sim.Budget{Daily: sim.MoneyOf(4), Pacing: sim.PacingMultiplier}},
			{Name: "rival", Value: sim.Uniform(0.5, 2.5)},
		},
	}
	e := newEngine(t, cfg)
	e.RunUntil(2*sim.Day + sim.Hour)
	snap := e.Snapshot()
	b := snap.Bidders[0]
	if len(b.Days) != 3 || b.Days[0].Spend == b.Days[1].Spend {
		t.Fatalf("days %+v", b.Days)
	}
	lo, hi := min(b.Days[0].Spend, b.Days[1].Spend), max(b.Days[0].Spend, b.Days[1].Spend)
	s := spaced(Render(snap, Run{Scenario: "d"}, Options{}))
	want := "4.00/day even 3 day(s) · a day spent " + format.Money(lo.Float()) + " to " + format.Money(hi.Float()) + " · last " + format.Money(b.Days[2].Spend.Float())
	if !strings.Contains(s, "Days") || !strings.Contains(s, want) {
		t.Errorf("no %q in:\n%s", want, s)
	}
	// Stopped at midnight, the last day is whole: it counts in the least
	// and most (a flight of 72h left its third day out). Its budget is
	// cut to 2 so that it spends less than the others.
	if err := e.Apply(sim.SetDaily{Bidder: "flight", Daily: sim.MoneyOf(2)}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(3 * sim.Day)
	snap = e.Snapshot()
	b = snap.Bidders[0]
	if len(b.Days) != 3 {
		t.Fatalf("at 72h: days %+v", b.Days)
	}
	lo, hi = min(b.Days[0].Spend, b.Days[1].Spend, b.Days[2].Spend), max(b.Days[0].Spend, b.Days[1].Spend, b.Days[2].Spend)
	if lo == min(b.Days[0].Spend, b.Days[1].Spend) && hi == max(b.Days[0].Spend, b.Days[1].Spend) {
		t.Fatalf("days %+v: the test needs a third day outside the first two's range", b.Days)
	}
	want = "a day spent " + format.Money(lo.Float()) + " to " + format.Money(hi.Float()) + " · last " + format.Money(b.Days[2].Spend.Float())
	if s := spaced(Render(snap, Run{Scenario: "d"}, Options{})); !strings.Contains(s, want) {
		t.Errorf("at 72h, no %q in:\n%s", want, s)
	}
	cfg.Bidders[0].Budget = &sim.Budget{Total: sim.MoneyOf(4)}
	e = newEngine(t, cfg)
	e.RunUntil(sim.Hour)
	if s := Render(e.Snapshot(), Run{Scenario: "x"}, Options{}); strings.Contains(s, "Days") || strings.Contains(s, "/day") {
		t.Errorf("a Days section without daily budgets:\n%s", s)
	}
}

// TestScaledTitle: at traffic scale the title gives the auctions at full
// scale, the simulated ones and the scale, and the speed of the engine
// over the simulated ones.
func TestScaledTitle(t *testing.T) {
	cfg := sim.Config{
		Seed:     2,
		Traffic:  sim.Traffic{QPS: 1000, Scale: 100},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Bidders:  []sim.BidderConfig{{Name: "a", Value: sim.Uniform(1, 3)}},
	}
	e := newEngine(t, cfg)
	e.RunUntil(10 * sim.Second)
	snap := e.Snapshot()
	n := e.Auctions()
	s := Render(snap, Run{Scenario: "s", WallSeconds: 2}, Options{})
	want := format.Count(100*n) + " auctions (" + format.Count(n) + " simulated, scale 100)"
	if snap.Exchange.Auctions != 100*n || !strings.Contains(s, want) || !strings.Contains(s, format.SI(float64(n)/2)+" auctions/s") {
		t.Errorf("no %q or the simulated speed in:\n%s", want, s)
	}
}

// spaced is s with every run of spaces made one, as the Days section's
// columns pad its words.
func spaced(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// TestDaysColumns: the Days section's rows line up: each bidder's
// budget ends, and its "a day spent" and "last" start, in the same
// column whatever the widths of its amounts and delivery words (the
// section was one right-aligned string a row, ragged on the left).
func TestDaysColumns(t *testing.T) {
	cfg := sim.Config{
		Seed:     3,
		Traffic:  sim.Traffic{QPS: 0.5},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Horizon:  2 * sim.Day,
		Bidders: []sim.BidderConfig{
			{Name: "a", Value: sim.Uniform(1, 3), Budget: &sim.Budget{Daily: sim.MoneyOf(2000), Pacing: sim.PacingThrottle, Delivery: sim.DeliveryFrontLoaded}},
			{Name: "bb", Value: sim.Uniform(1, 3), Budget: &sim.Budget{Daily: sim.MoneyOf(1)}},
			{Name: "rival", Value: sim.Uniform(0.5, 2.5)},
		},
	}
	e := newEngine(t, cfg)
	e.RunUntil(sim.Day + sim.Hour)
	var rows []string
	for _, l := range strings.Split(ansi.Strip(Render(e.Snapshot(), Run{Scenario: "d"}, Options{})), "\n") {
		if strings.Contains(l, "a day spent") {
			rows = append(rows, l)
		}
	}
	if len(rows) != 2 {
		t.Fatalf("Days rows %q", rows)
	}
	for _, w := range []string{"/day", "a day spent", "· last"} {
		if a, b := ansi.StringWidth(rows[0][:strings.Index(rows[0], w)]), ansi.StringWidth(rows[1][:strings.Index(rows[1], w)]); a != b {
			t.Errorf("%q at column %d and %d:\n%s\n%s", w, a, b, rows[0], rows[1])
		}
	}
}

// newEngine is a new engine for cfg; the test ends if sim refuses it.
func newEngine(t *testing.T, cfg sim.Config) *sim.Engine {
	t.Helper()
	e, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
