package summary

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
)

// snapshot runs a small world: a bidder with an outcome model, one
// without, one that never wins (floor above its values), one disabled.
func snapshot(t *testing.T, name string) *sim.Snapshot {
	t.Helper()
	cfg := sim.Config{
		Seed:     1,
		Traffic:  sim.Traffic{QPS: 500},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond, Floor: sim.PriceOf(0.5)},
		Bidders: []sim.BidderConfig{
			{Name: name, Value: sim.Uniform(1, 2), Latency: sim.Constant(float64(20 * sim.Millisecond)),
				Outcome: &sim.Outcome{CTR: 0.1, CVR: 0.1, OrderValue: sim.MoneyOf(50), Delay: sim.Constant(0)}},
			{Name: "plain", Value: sim.Uniform(1, 2), Latency: sim.Constant(float64(150 * sim.Millisecond))},
			{Name: "poor", Value: sim.Uniform(0, 0.4),
				Outcome: &sim.Outcome{CTR: 0.1, CVR: 0.1, OrderValue: sim.MoneyOf(50), Delay: sim.Constant(0)}},
			{Name: "off", Value: sim.Uniform(1, 2)},
		},
	}
	e := newEngine(t, cfg)
	if err := e.Apply(sim.SetEnabled{Bidder: "off", Enabled: false}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(5 * sim.Second)
	return e.Snapshot()
}

func lines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }

// At 80 columns nothing wraps; at 160 more columns show; piped output
// (width 0) has every column and no escape codes.
func TestFitsTheTerminal(t *testing.T) {
	snap := snapshot(t, "swift")
	run := Run{Scenario: "fit", WallSeconds: 0.5}
	narrow := Render(snap, run, Options{Width: 80})
	wide := Render(snap, run, Options{Width: 160})
	pipe := Render(snap, run, Options{})
	for name, c := range map[string]struct {
		out string
		w   int
	}{"80": {narrow, 80}, "160": {wide, 160}} {
		for i, l := range lines(c.out) {
			if lipgloss.Width(l) > c.w {
				t.Errorf("%s columns: line %d is %d wide: %q", name, i, lipgloss.Width(l), l)
			}
		}
	}
	head := func(s string) string {
		for _, l := range lines(s) {
			if strings.Contains(l, "│ bidder") { // the table's head, not the theory's words
				return l
			}
		}
		return ""
	}
	if n, w, p := strings.Count(head(narrow), "│"), strings.Count(head(wide), "│"), strings.Count(head(pipe), "│"); !(n < w && w <= p) {
		t.Errorf("columns: %d at 80, %d at 160, %d piped; want more as the width grows\n%s\n%s", n, w, p, narrow, wide)
	}
	for _, want := range []string{"late%", "win%", "spend", "aROAS", "iROAS"} {
		if !strings.Contains(head(narrow), want) {
			t.Errorf("80 columns lost %q: %s", want, head(narrow))
		}
	}
	if strings.Contains(pipe, "\x1b[") {
		t.Error("escape codes in plain output")
	}
	if c := Render(snap, run, Options{Color: true, Width: 160}); !strings.Contains(c, "\x1b[") || ansi.Strip(c) != wide {
		t.Error("colour output differs from plain apart from escape codes")
	}
}

// A value that does not apply prints a dash: ROAS without an outcome
// model or without spend, a mean price with no wins.
func TestDashes(t *testing.T) {
	snap := snapshot(t, "swift")
	out := Render(snap, Run{Scenario: "dash"}, Options{})
	row := func(name string) []string {
		for _, l := range lines(out) {
			if strings.Contains(l, "│ "+name) {
				var cells []string
				for _, c := range strings.Split(l, "│") {
					if c = strings.TrimSpace(c); c != "" {
						cells = append(cells, c)
					}
				}
				return cells
			}
		}
		t.Fatalf("no row for %s in\n%s", name, out)
		return nil
	}
	heads := row("bidder")
	col := func(cells []string, h string) string {
		for i, x := range heads {
			if x == h {
				return cells[i]
			}
		}
		t.Fatalf("no column %s", h)
		return ""
	}
	if p := row("plain"); col(p, "aROAS") != format.Dash || col(p, "iROAS") != format.Dash || col(p, "conv") != format.Dash {
		t.Errorf("no outcome model: %v", p)
	}
	if p := row("poor"); col(p, "price") != format.Dash || col(p, "aROAS") != format.Dash {
		t.Errorf("no wins: %v", p)
	}
	if p := row("swift"); col(p, "aROAS") == format.Dash || col(p, "price") == format.Dash {
		t.Errorf("a bidder with wins and an outcome: %v", p)
	}
	if !strings.Contains(out, "off (off)") {
		t.Error("the disabled bidder is not marked")
	}
}

// Names too long for the essential columns at 80: one block per bidder,
// still within 80.
func TestBlocksWhenTooNarrow(t *testing.T) {
	snap := snapshot(t, strings.Repeat("a-very-long-bidder-name-", 3))
	out := Render(snap, Run{Scenario: "long", Partial: true}, Options{Width: 80})
	for i, l := range lines(out) {
		if lipgloss.Width(l) > 80 {
			t.Errorf("line %d is %d wide: %q", i, lipgloss.Width(l), l)
		}
	}
	if strings.Contains(out, "╭") || !strings.Contains(out, "PARTIAL") {
		t.Errorf("want blocks, not a grid:\n%s", out)
	}
}

// --theme light draws the table in the light palette, the same text; the
// default is the dark one.
func TestLightTheme(t *testing.T) {
	snap := snapshot(t, "swift")
	run := Run{Scenario: "light"}
	dark := Render(snap, run, Options{Color: true, Width: 120})
	light := Render(snap, run, Options{Color: true, Width: 120, Palette: theme.Light()})
	if ansi.Strip(dark) != ansi.Strip(light) {
		t.Error("the themes print different text")
	}
	if !strings.Contains(light, "38;5;25m") || strings.Contains(light, "38;5;39m") {
		t.Error("the light table is not in the light palette")
	}
	if !strings.Contains(dark, "38;5;39m") {
		t.Error("the default table is not in the dark palette")
	}
}

// The exchange's table says how long pages waited (here tmax, 100ms, in
// every auction: plain answers after it) and, only when people leave
// slow pages, what that cost.
func TestExchangeWait(t *testing.T) {
	snap := snapshot(t, "swift")
	out := Render(snap, Run{Scenario: "wait"}, Options{})
	if !strings.Contains(out, "wait mean / p95") || !strings.Contains(out, "100ms / 100ms") {
		t.Errorf("no wait of 100ms (tmax, as plain answers at 150ms) in:\n%s", out)
	}
	if strings.Contains(out, "net revenue") {
		t.Errorf("net revenue shown with nobody leaving:\n%s", out)
	}
	snap.Settings.Abandonment = sim.Abandonment{Per100ms: 0.1}
	snap.Exchange.Abandoned, snap.Exchange.AbandonedRevenue = 7, sim.MoneyOf(0.5)
	out = Render(snap, Run{Scenario: "wait"}, Options{})
	if !strings.Contains(out, "net revenue") || !strings.Contains(out, "abandoned") {
		t.Errorf("no net revenue with people leaving:\n%s", out)
	}
}

// TestTimeoutsSayHangs: a bidder that never answers shows in the run
// table beside the timeouts (late bids), which leave it out where Prebid
// Server and the wire count it as one; without hangs the pair is the
// timeouts alone. Before, the hangs showed nowhere in the table.
func TestTimeoutsSayHangs(t *testing.T) {
	cfg := sim.Config{
		Seed:     1,
		Traffic:  sim.Traffic{QPS: 500},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Bidders: []sim.BidderConfig{
			{Name: "late", Value: sim.Uniform(1, 2), Latency: sim.Constant(float64(150 * sim.Millisecond))},
			{Name: "mute", Value: sim.Uniform(1, 2), Hangs: 0.5},
		},
	}
	e := newEngine(t, cfg)
	e.RunUntil(2 * sim.Second)
	snap := e.Snapshot()
	x := snap.Exchange
	if x.Hangs == 0 || x.Late == 0 {
		t.Fatalf("hangs %d, late %d: the world needs both", x.Hangs, x.Late)
	}
	out := Render(snap, Run{Scenario: "hangs"}, Options{})
	if want := "timeouts · hangs   " + format.Count(x.Late) + " · " + format.Count(x.Hangs); !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(want), " ")) {
		t.Errorf("no %q in:\n%s", want, out)
	}
	out = Render(snapshot(t, "swift"), Run{Scenario: "calm"}, Options{})
	if strings.Contains(out, "hangs") || !strings.Contains(out, "timeouts") {
		t.Errorf("without hangs the table reads:\n%s", out)
	}
}

// TestTheoryRow: the run table sets the closed form beside the simulation
// ("theory 0.667 · simulated 0.666") under a line saying what it assumes,
// and says why when there is none.
func TestTheoryRow(t *testing.T) {
	e := newEngine(t, vickrey3())
	e.RunUntil(20 * sim.Second)
	snap := e.Snapshot()
	out := Render(snap, Run{Scenario: "vickrey"}, Options{Width: 80})
	want := "theory 0.500 · simulated " + format.Fixed(snap.Exchange.RevenuePerAuction(), 3) + " CPM"
	for _, s := range []string{"Theory  second price, 3 truthful bidders", want} {
		if !strings.Contains(out, s) {
			t.Errorf("run table lacks %q:\n%s", s, out)
		}
	}
	for i, l := range lines(out) {
		if lipgloss.Width(l) > 80 {
			t.Errorf("line %d is %d wide: %q", i, lipgloss.Width(l), l)
		}
	}
	if err := e.Apply(sim.SetStrategy{Bidder: "a", Strategy: sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(0.5)}}); err != nil {
		t.Fatal(err)
	}
	out = Render(e.Snapshot(), Run{Scenario: "vickrey"}, Options{})
	// On the heading's line, as every section says what it holds there.
	if !strings.Contains(out, "Theory  no closed form: a bids a fixed 0.5 CPM whatever its value") || strings.Contains(out, "theory 0.") {
		t.Errorf("with a bidder shading, the run table should say why there is no closed form:\n%s", out)
	}
}

// TestUnits: the exchange and bidders tables say their money is in
// currency units and their prices in CPM, as the figures have no unit of
// their own.
func TestUnits(t *testing.T) {
	s := Render(snapshot(t, "solo"), Run{Scenario: "x"}, Options{})
	for _, title := range []string{"Exchange", "Bidders"} { // Groups: TestGroups
		if !strings.Contains(s, title+"  "+UnitsNote) {
			t.Errorf("%s's title lacks the units:\n%s", title, s)
		}
	}
}

// TestTheoryRowSinceChange: the closed form is the world's after the last
// change, so the simulated figures beside it are those since that change,
// not the whole run's (a scripted timeout-story showed theory 2.314 beside
// the whole run's 2.205, its degraded half minute included).
func TestTheoryRowSinceChange(t *testing.T) {
	e := newEngine(t, vickrey3())
	e.RunUntil(20 * sim.Second)
	if err := e.Apply(sim.SetEnabled{Bidder: "c", Enabled: false}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(40 * sim.Second)
	snap := e.Snapshot()
	th := snap.Theory()
	since, whole := snap.SinceChange.RevenuePerAuction(), snap.Exchange.RevenuePerAuction()
	if math.Abs(since-th.RevenuePerAuction) > 0.02 || math.Abs(whole-th.RevenuePerAuction) < 0.05 {
		t.Fatalf("world: theory %.4f, since the change %.4f, whole run %.4f", th.RevenuePerAuction, since, whole)
	}
	out := Render(snap, Run{Scenario: "vickrey"}, Options{Width: 80})
	want := "theory " + format.Fixed(th.RevenuePerAuction, 3) + " · simulated " + format.Fixed(since, 3) + " CPM"
	for _, s := range []string{want, "simulated since the change at 20s"} {
		if !strings.Contains(out, s) {
			t.Errorf("run table lacks %q:\n%s", s, out)
		}
	}
}

// vickrey3 is three truthful bidders of values U[0, 1] in second price:
// theory 0.5 a sale.
func vickrey3() sim.Config {
	cfg := sim.Config{
		Seed:     1,
		Traffic:  sim.Traffic{QPS: 1000},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
	}
	for _, n := range []string{"a", "b", "c"} {
		cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{Name: n, Value: sim.Uniform(0, 1)})
	}
	return cfg
}
