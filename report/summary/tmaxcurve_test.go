package summary

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// TestTmaxCurveSection: the run table answers "which tmax?" as the
// what-if panel does: the run's tmax, the knee, the most revenue and,
// when people leave slow pages, the most net revenue, as sim.AdviseTmax
// reads the curve; within 80 columns; and no section without a curve.
func TestTmaxCurveSection(t *testing.T) {
	cfg := sim.Config{
		Seed:    3,
		Traffic: sim.Traffic{QPS: 1000},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond,
			Abandonment: sim.Abandonment{Per100ms: 0.05, Grace: 50 * sim.Millisecond}},
	}
	for i, med := range []float64{30, 60, 90, 120} {
		cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{Name: string(rune('a' + i)), Value: sim.Uniform(1, 2),
			Latency: sim.LogNormalMedianP99(med*float64(sim.Millisecond), 2*med*float64(sim.Millisecond))})
	}
	cfg.Exchange.TmaxCurve = sim.FollowGrid(cfg.Exchange.Tmax)
	e := newEngine(t, cfg)
	e.RunUntil(5 * sim.Second)
	snap := e.Snapshot()
	a := sim.AdviseTmax(snap.TmaxCurve)
	if a.Knee95 == a.MaxRevenue {
		t.Fatalf("the world's knee is its most revenue (%v): the test would not tell them apart", a.Knee95)
	}
	pipe := Render(snap, Run{Scenario: "curve"}, Options{})
	row := func(out, label string) string {
		for _, l := range lines(out) {
			if strings.HasPrefix(strings.TrimSpace(l), label) {
				return l
			}
		}
		t.Fatalf("no %q row in:\n%s", label, out)
		return ""
	}
	for label, at := range map[string]sim.Time{"this run's tmax": cfg.Exchange.Tmax, "knee (95% of the most)": a.Knee95,
		"most revenue": a.MaxRevenue, "most net revenue": a.MaxNetRevenue} {
		p, _ := sim.CurveAt(snap.TmaxCurve, at)
		l := row(pipe, label)
		for _, want := range []string{format.Latency(at) + ": " + format.Fixed(p.RevenuePerAuction(), 3) + " CPM",
			"net " + format.Fixed(p.NetRevenuePerAuction(), 3), "late"} {
			if !strings.Contains(l, want) {
				t.Errorf("%s row lacks %q: %q", label, want, l)
			}
		}
	}
	narrow := Render(snap, Run{Scenario: "curve"}, Options{Width: 80})
	if !strings.Contains(narrow, "Tmax curve") {
		t.Fatalf("no Tmax curve section at 80 columns:\n%s", narrow)
	}
	for i, l := range lines(narrow) {
		if lipgloss.Width(l) > 80 {
			t.Errorf("80 columns: line %d is %d wide: %q", i, lipgloss.Width(l), l)
		}
	}
	snap.TmaxCurve = nil // off (tmax_curve: false), or on the wire
	if out := Render(snap, Run{Scenario: "curve"}, Options{}); strings.Contains(out, "Tmax curve") {
		t.Errorf("a Tmax curve section without a curve:\n%s", out)
	}
}

// TestTmaxCurveSkipRule: a run whose told deadline is under
// bidder_response_min sends no bid request: the exchange's table says
// how many were not sent, and the Tmax curve section names no knee nor
// best (there is no revenue anywhere) and blames the skip rule, not
// budgets or pacing.
func TestTmaxCurveSkipRule(t *testing.T) {
	e := skipRun(t)
	snap := e.Snapshot()
	if snap.Exchange.Unsent == 0 || snap.Exchange.Filled != 0 {
		t.Fatalf("unsent %d, filled %d: the skip rule did not keep every bid request back", snap.Exchange.Unsent, snap.Exchange.Filled)
	}
	out := Render(snap, Run{Scenario: "skip"}, Options{})
	for _, want := range []string{"not sent (told < min)", "no revenue", "bidder_response_min"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	for _, not := range []string{"knee (95% of the most)", "budgets, pacing"} {
		if strings.Contains(out, not) {
			t.Errorf("the table says %q with nothing sent:\n%s", not, out)
		}
	}
}

// TestSkippedDeadlineRow: a bidder that respects tmax answers a no-bid
// rather than bid late; the exchange's table counts those no-bids, which
// are where its timeouts went (the JSON's exchange.skipped_deadline).
func TestSkippedDeadlineRow(t *testing.T) {
	snap, out := beside(t, "skip", sim.BidderConfig{Name: "slow", Value: sim.Uniform(1, 2), RespectsTmax: true,
		Latency: sim.LogNormalMedianP99(float64(90*sim.Millisecond), float64(200*sim.Millisecond))})
	if snap.Exchange.SkippedDeadline == 0 {
		t.Fatal("no no-bid skipped for the deadline: the test shows nothing")
	}
	if !strings.Contains(out, "skipped (respect tmax)") || !strings.Contains(out, format.Count(snap.Exchange.SkippedDeadline)) {
		t.Errorf("the table does not count the %d no-bids skipped for the deadline:\n%s", snap.Exchange.SkippedDeadline, out)
	}
}

// TestRefusedRow: bid requests refused at once (a full queue; on the wire
// a refused connection) are not errors: the exchange's table counts them
// apart, as the JSON's exchange.refused.
func TestRefusedRow(t *testing.T) {
	snap, out := beside(t, "refused", sim.BidderConfig{Name: "full", Value: sim.Uniform(1, 2), Latency: sim.Constant(float64(10 * sim.Millisecond)),
		Capacity: &sim.Capacity{Workers: 1, Service: sim.Constant(float64(5 * sim.Millisecond)), Queue: 1}})
	if snap.Exchange.Refused == 0 {
		t.Fatal("nothing refused: the test shows nothing")
	}
	if !strings.Contains(out, "refused") || !strings.Contains(out, format.Count(snap.Exchange.Refused)) {
		t.Errorf("the table does not count the %d bid requests refused:\n%s", snap.Exchange.Refused, out)
	}
}

// beside runs b beside a plain bidder "fast" for two seconds of a
// second-price exchange (seed 3, 500 QPS, tmax 100 ms) and returns the
// snapshot and its table, the run named scenario.
func beside(t *testing.T, scenario string, b sim.BidderConfig) (*sim.Snapshot, string) {
	t.Helper()
	e := newEngine(t, sim.Config{
		Seed:     3,
		Traffic:  sim.Traffic{QPS: 500},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Bidders:  []sim.BidderConfig{b, {Name: "fast", Value: sim.Uniform(1, 2)}},
	})
	e.RunUntil(2 * sim.Second)
	snap := e.Snapshot()
	return snap, Render(snap, Run{Scenario: scenario}, Options{})
}

// TestTmaxCurveStopsAtTheSkipRule: where the skip rule kept every bid
// request back, the Tmax curve section stops at the longest tmax of the
// grid at which the rule applies (100 ms: bidders told 60 ms, under the
// 80 ms minimum; at 120 ms they are called), says so naming the skip
// rule, not the wire, and reads no revenue only up to there.
func TestTmaxCurveStopsAtTheSkipRule(t *testing.T) {
	e := skipRun(t)
	out := Render(e.Snapshot(), Run{Scenario: "skip"}, Options{Width: 100})
	i := strings.Index(out, "Tmax curve")
	if i < 0 {
		t.Fatalf("no Tmax curve section:\n%s", out)
	}
	section := strings.Join(strings.Fields(out[i:]), " ")
	for _, want := range []string{"every tmax up to 100ms no revenue", "skip rule", "bidder_response_min (80ms)", "the curve stops at 100ms"} {
		if !strings.Contains(section, want) {
			t.Errorf("the section lacks %q:\n%s", want, out[i:])
		}
	}
	for _, not := range []string{"wire", "every tmax of the grid"} {
		if strings.Contains(section, not) {
			t.Errorf("the section says %q:\n%s", not, out[i:])
		}
	}
	if n := strings.Count(section, "bidder_response_min"); n != 1 {
		t.Errorf("the section names bidder_response_min %d times, want once:\n%s", n, out[i:])
	}
}

// skipRun is 2 s of a world whose told deadline (60 ms) is under
// bidder_response_min (80 ms): the skip rule keeps every bid request back.
func skipRun(t *testing.T) *sim.Engine {
	t.Helper()
	cfg := sim.Config{
		Seed:    3,
		Traffic: sim.Traffic{QPS: 500},
		Exchange: sim.ExchangeConfig{Auction: sim.FirstPrice, Tmax: 100 * sim.Millisecond,
			TmaxAdjustments: sim.TmaxAdjustments{NetworkBuffer: 40 * sim.Millisecond, BidderResponseMin: 80 * sim.Millisecond}},
		Bidders: []sim.BidderConfig{{Name: "a", Value: sim.Uniform(1, 2)}, {Name: "b", Value: sim.Uniform(1, 2)}},
	}
	cfg.Exchange.TmaxCurve = sim.FollowGrid(cfg.Exchange.Tmax)
	e := newEngine(t, cfg)
	e.RunUntil(2 * sim.Second)
	return e
}

// TestTmaxCurveAdviceWhy: where the JSON says why the advice is null
// (tmax_advice_why), the run table says it too, in the same words, beside
// the advice, after the line saying why the curve stops: under the skip
// rule (no revenue anywhere, so no advice at all), and on the wire (the
// knee and the most revenue read "unknown"). A curve that is not censored
// has no such line.
func TestTmaxCurveAdviceWhy(t *testing.T) {
	flat := func(s string) string { return strings.Join(strings.Fields(ansi.Strip(s)), " ") }
	jsonWhy := func(snap *sim.Snapshot) string {
		var buf bytes.Buffer
		if err := report.WriteSummary(&buf, snap, report.Meta{}); err != nil {
			t.Fatal(err)
		}
		var m struct {
			Why string `json:"tmax_advice_why"`
		}
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		return m.Why
	}

	skip := skipRun(t).Snapshot()
	wire := wireCensored(t)
	for name, snap := range map[string]*sim.Snapshot{"skip rule": skip, "wire": wire} {
		why := jsonWhy(snap)
		if why == "" {
			t.Fatalf("%s: no tmax_advice_why in the JSON: the test shows nothing", name)
		}
		for _, w := range []int{0, 80} {
			out := flat(Render(snap, Run{Scenario: "why"}, Options{Width: w}))
			if !strings.Contains(out, "advice: "+flat(why)) {
				t.Errorf("%s, width %d: the table lacks the advice's why %q:\n%s", name, w, why, out)
			}
			// Why the curve stops comes first: the advice's why follows
			// from it.
			if stops := strings.Index(out, flat(report.CurveStopsWhy(snap))); stops < 0 || stops > strings.Index(out, "advice: ") {
				t.Errorf("%s, width %d: the curve's why is not before the advice's:\n%s", name, w, out)
			}
		}
	}
	if out := Render(wire, Run{Scenario: "why"}, Options{}); !strings.Contains(out, "unknown: settled only up to") {
		t.Errorf("wire: the advice does not read unknown, the test shows less than it says:\n%s", out)
	}

	e := newEngine(t, wireConfig())
	e.RunUntil(2 * sim.Second)
	if out := Render(e.Snapshot(), Run{Scenario: "why"}, Options{}); strings.Contains(out, "advice: ") {
		t.Errorf("an uncensored curve has an advice's why:\n%s", out)
	}
}

// wireConfig is a world whose revenue still rises at 100 ms.
func wireConfig() sim.Config {
	cfg := sim.Config{
		Seed:     3,
		Traffic:  sim.Traffic{QPS: 1000},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
	}
	for i, med := range []float64{30, 60, 90, 120} {
		cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{Name: string(rune('a' + i)), Value: sim.Uniform(1, 2),
			Latency: sim.LogNormalMedianP99(med*float64(sim.Millisecond), 2*med*float64(sim.Millisecond))})
	}
	cfg.Exchange.TmaxCurve = sim.FollowGrid(cfg.Exchange.Tmax)
	return cfg
}

// wireCensored is a snapshot as on the wire with a deadline of 100 ms:
// the curve of wireConfig settled only up to there, revenue still rising.
func wireCensored(t *testing.T) *sim.Snapshot {
	t.Helper()
	e := newEngine(t, wireConfig())
	e.RunUntil(2 * sim.Second)
	snap := e.Snapshot()
	above := 100 * sim.Millisecond
	var kept []sim.TmaxPoint
	for _, p := range snap.TmaxCurve {
		if p.Tmax <= above {
			kept = append(kept, p)
		}
	}
	snap.TmaxCurve, snap.TmaxCurveCensoredAbove, snap.TmaxCurveCensoredBy = kept, above, sim.CensoredOnTheWire
	return snap
}

// TestTmaxCurveFlat: in a world where every bidder answers at once
// (classroom-vickrey's) the curve is the same at every tmax, and the run
// table named its knee and most revenue at the grid's shortest, 20ms, as
// if tmax should be cut to it. It now says the curve is flat; a world
// with late bids keeps both rows.
func TestTmaxCurveFlat(t *testing.T) {
	cfg := sim.Config{Seed: 3, Traffic: sim.Traffic{QPS: 1000},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond}}
	for i := range 5 {
		cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{Name: string(rune('a' + i)), Value: sim.Uniform(0, 1)})
	}
	cfg.Exchange.TmaxCurve = sim.FollowGrid(cfg.Exchange.Tmax)
	e := newEngine(t, cfg)
	e.RunUntil(5 * sim.Second)
	out := Render(e.Snapshot(), Run{Scenario: "flat"}, Options{})
	if !strings.Contains(out, "every tmax of the grid") || !strings.Contains(out, "the same revenue: no bid late even at 20ms") {
		t.Errorf("a flat curve is not said so:\n%s", out)
	}
	for _, not := range []string{"knee", "most revenue"} {
		if strings.Contains(out, not) {
			t.Errorf("a flat curve names its %s:\n%s", not, out)
		}
	}
	cfg.Bidders[0].Latency = sim.LogNormalMedianP99(90*float64(sim.Millisecond), 200*float64(sim.Millisecond))
	e = newEngine(t, cfg)
	e.RunUntil(5 * sim.Second)
	if out := Render(e.Snapshot(), Run{Scenario: "late"}, Options{}); !strings.Contains(out, "knee (95% of the most)") || strings.Contains(out, "every tmax of the grid") {
		t.Errorf("with late bids the knee goes:\n%s", out)
	}
}
