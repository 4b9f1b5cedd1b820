package tui

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// bundled loads a bundled scenario.
func bundled(t testing.TB, name string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Bundled(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// modelOn is a model at w×h showing one frame: eng's snapshot now.
func modelOn(t testing.TB, sc *scenarios.Scenario, eng *sim.Engine, w, h int) (*model, *fakeLink) {
	t.Helper()
	l := newFakeLink()
	m := newModel(l, modelOptions{scenario: sc, theme: asciiTheme(), catalog: testCatalog(), exportDir: t.TempDir()})
	m.Update(sizeMsg(w, h))
	m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0, 0)))
	return m, l
}

// theoryHeader is the header's theory line (two lines, joined by a
// newline, when the reason for no closed form has a line of its own).
func theoryHeader(m *model) string {
	return strings.Join(theoryLines(m.ctx, m.ctx.Width, true), "\n")
}

var theoryRE = regexp.MustCompile(`^(.+?)  theory (\S+) · simulated (\S+) ± (\S+)`)

// parseMetric reads a figure as the header prints it: CPM, or a share in
// percent.
func parseMetric(t *testing.T, s string) float64 {
	t.Helper()
	scale := 1.0
	if p, ok := strings.CutSuffix(s, "%"); ok {
		s, scale = p, 0.01
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q in the header is not a number: %v", s, err)
	}
	return x * scale
}

// TestTheoryAgreesOnScreen is the student's check: after a run of each
// teaching scenario, the header shows the closed form and the simulated
// 95% interval for each of the chart's metrics (# cycles them), the
// figures are sim's own, and the interval covers the theory. It also
// holds after a live change that keeps the closed form: a bidder switched
// off in classroom-vickrey (n = 4: 0.6). It checks what a student sees
// with the bundled seed; that the interval covers the theory 95% of the
// time over many seeds is sim's TestBatchMeansCoverage.
func TestTheoryAgreesOnScreen(t *testing.T) {
	for _, tt := range []struct {
		scenario string
		change   sim.Change // at 10 s, when not nil
		want     float64    // the mean clearing price's closed form
	}{
		{"classroom-vickrey", nil, 4.0 / 6},
		{"classroom-vickrey", sim.SetEnabled{Bidder: "eli", Enabled: false}, 3.0 / 5},
		{"reserve-price", nil, (5.0 / 12) / 0.75},
		{"first-vs-second", nil, 0.6},
	} {
		name := tt.scenario
		if tt.change != nil {
			name += "/" + tt.change.String()
		}
		t.Run(name, func(t *testing.T) {
			sc := bundled(t, tt.scenario)
			eng := engineAt(t, sc, 10*sim.Second)
			if tt.change != nil {
				if err := eng.Apply(tt.change); err != nil {
					t.Fatal(err)
				}
			}
			eng.RunUntil(130 * sim.Second)
			m, _ := modelOn(t, sc, eng, 120, 40)
			snap := m.ctx.Snap()
			th := snap.Theory()
			if !th.Applies {
				t.Fatalf("no closed form: %s", th.Why)
			}
			if math.Abs(th.MeanClearingPrice-tt.want) > 1e-9 {
				t.Errorf("mean clearing price in theory %v, want %v", th.MeanClearingPrice, tt.want)
			}
			for i, metric := range sim.TheoryMetrics {
				if i > 0 {
					press(m, "#")
				}
				if m.ctx.Metric != metric {
					t.Fatalf("after %d × #: metric %v, want %v", i, m.ctx.Metric, metric)
				}
				line := theoryHeader(m)
				g := theoryRE.FindStringSubmatch(line)
				if g == nil {
					t.Fatalf("header %q: no theory and simulated interval", line)
				}
				b := snap.BatchMeans(metric)
				want := []string{metric.String(), metricValue(metric, metric.Expected(th)), metricValue(metric, b.Mean), metricValue(metric, b.HalfWidth())}
				for k, w := range want {
					if strings.TrimSpace(g[k+1]) != w {
						t.Errorf("%v: header shows %q, sim computes %q: %q", metric, g[k+1], w, line)
					}
				}
				if b.N < 100 {
					t.Errorf("%v: %d batches over %v–%v, want 100 or more", metric, b.N, b.From, b.To)
				}
				theory, simulated, hw := parseMetric(t, g[2]), parseMetric(t, g[3]), parseMetric(t, g[4])
				if !b.Covers(metric.Expected(th)) || math.Abs(simulated-theory) > hw+0.0011 {
					t.Errorf("%v: the simulated interval does not cover the theory: %q (exact %v ± %v, theory %v)",
						metric, line, b.Mean, b.HalfWidth(), metric.Expected(th))
				} else {
					t.Logf("%s", line)
				}
				if !strings.Contains(m.View(), string(theoryRune)) {
					t.Errorf("%v: no theory line on the chart", metric)
				}
			}
		})
	}
}

// TestTheoryBreaksOnScreen: a live change that breaks the closed form (a
// bidder bidding a fixed price, whatever its value) turns the header to "no closed form",
// with the short reason where it fits and the whole one in the inspector,
// and takes the theory line off the chart; the simulated interval stays.
func TestTheoryBreaksOnScreen(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	eng := engineAt(t, sc, 10*sim.Second)
	if err := eng.Apply(sim.SetStrategy{Bidder: "ada", Strategy: sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(0.5)}}); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(20 * sim.Second)
	m, _ := modelOn(t, sc, eng, 160, 48)
	line := theoryHeader(m)
	for _, want := range []string{"no closed form", "simulated ", " ± ", "ada bids a fixed 0.5"} {
		if !strings.Contains(line, want) {
			t.Errorf("header %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "theory ") {
		t.Errorf("header %q shows a theory", line)
	}
	if v := m.View(); strings.ContainsRune(v, theoryRune) {
		t.Error("a theory line on the chart without a closed form")
	}
	press(m, "enter")
	if v := m.View(); !strings.Contains(v, "No closed form") || !strings.Contains(v, "bids that follow values") {
		t.Errorf("the inspector does not say why there is no closed form:\n%s", v)
	}
}

// TestTheoryLineFits: at 80 columns the header's theory line fits and
// keeps the essentials, whatever the metric.
func TestTheoryLineFits(t *testing.T) {
	sc := bundled(t, "reserve-price")
	eng := engineAt(t, sc, 30*sim.Second)
	m, _ := modelOn(t, sc, eng, 80, 24)
	for range sim.TheoryMetrics {
		line := theoryHeader(m)
		checkScreen(t, m.View(), 80, 24)
		if !theoryRE.MatchString(line) {
			t.Errorf("80 columns: %q", line)
		}
		press(m, "#")
	}
}

// TestMetricKey: # cycles the chart through mean clearing price, revenue
// per auction and fill rate and back; the chart's title, the header and
// the status line follow, and the chart is drawn again.
func TestMetricKey(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	titles := []string{"Clearing price", "Revenue / auction", "Fill rate", "Clearing price"}
	prev := m.View()
	for i, title := range titles {
		if i > 0 {
			press(m, "#")
		}
		want := sim.TheoryMetrics[i%len(sim.TheoryMetrics)]
		if m.ctx.Metric != want {
			t.Fatalf("after %d × #: %v, want %v", i, m.ctx.Metric, want)
		}
		v := m.View()
		if !strings.Contains(v, title) {
			t.Errorf("after %d × #: no %q title", i, title)
		}
		if !strings.Contains(theoryHeader(m), want.String()) {
			t.Errorf("after %d × #: header %q", i, theoryHeader(m))
		}
		if i > 0 && !strings.Contains(m.ctx.status, "chart: "+want.String()) {
			t.Errorf("status %q", m.ctx.status)
		}
		if i > 0 && i < len(sim.TheoryMetrics) && v == prev {
			t.Errorf("after %d × #: the screen did not change", i)
		}
		prev = v
	}
	if len(l.sent) != 0 {
		t.Errorf("# sent %v to the engine", l.cmds())
	}
}

// TestMetricSeries checks what the chart plots for each metric, per
// interval and per auction.
func TestMetricSeries(t *testing.T) {
	sc := testScenario()
	eng := engineAt(t, sc, 10*sim.Second)
	s := eng.Snapshot()
	for _, metric := range sim.TheoryMetrics {
		pts, _ := metricSeries(s, metric)
		var want []float64
		for _, p := range s.Series.Points {
			if x := metric.Of(p); !math.IsNaN(x) {
				want = append(want, x)
			}
		}
		if len(pts) != len(want) {
			t.Fatalf("%v: %d points, want %d", metric, len(pts), len(want))
		}
		for i := range pts {
			if pts[i].price != want[i] {
				t.Errorf("%v point %d: %v, want %v", metric, i, pts[i].price, want[i])
			}
		}
	}
	// Per auction (the first seconds): fill rate is 1 or 0 per auction,
	// revenue its price or 0, the mean price only sold auctions.
	early := engineAt(t, sc, 2*sim.Second).Snapshot()
	if !perAuction(early) {
		t.Fatal("two seconds in, the chart should plot auctions one by one")
	}
	sold := 0
	for _, r := range early.Recent {
		if r.Winner >= 0 {
			sold++
		}
	}
	for metric, n := range map[sim.TheoryMetric]int{sim.TheoryMeanPrice: sold, sim.TheoryRevenuePerAuction: len(early.Recent), sim.TheoryFillRate: len(early.Recent)} {
		pts, _ := metricSeries(early, metric)
		if len(pts) != n {
			t.Errorf("%v per auction: %d points, want %d", metric, len(pts), n)
		}
		for _, p := range pts {
			if metric == sim.TheoryFillRate && p.price != 0 && p.price != 1 {
				t.Errorf("fill rate point %v", p.price)
			}
		}
	}
}

// TestViewTheory: golden screens of a world with a closed form, at 80×24
// and 160×48, for each metric; and the inspector with its closed form.
func TestViewTheory(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for i, metric := range sim.TheoryMetrics {
			t.Run(fmt.Sprintf("%s-%dx%d", strings.ReplaceAll(metric.String(), " ", "-"), size[0], size[1]), func(t *testing.T) {
				sc := bundled(t, "reserve-price")
				eng := engineAt(t, sc, 20*sim.Second)
				if err := eng.Apply(sim.SetFloor{Floor: sim.PriceOf(0.3)}); err != nil {
					t.Fatal(err)
				}
				eng.RunUntil(40 * sim.Second)
				m, _ := modelOn(t, sc, eng, size[0], size[1])
				for range i {
					press(m, "#")
				}
				v := m.View()
				checkScreen(t, v, size[0], size[1])
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
	t.Run("inspector", func(t *testing.T) {
		sc := bundled(t, "classroom-vickrey")
		eng := engineAt(t, sc, 20*sim.Second)
		m, _ := modelOn(t, sc, eng, 80, 24)
		press(m, "enter")
		v := m.View()
		checkScreen(t, v, 80, 24)
		golden.RequireEqual(t, []byte(v))
	})
}

// TestTheoryFollowsKeys: through the runner, switching a bidder off with
// x moves the header's theory from 0.667 to 0.600 (n = 5 → 4); shading
// one with g 2 moves it off 0.667 (one bidder deviating, integrated), a
// fixed bid (g 3) turns it to "no closed form", and equilibrium (g 4; in
// second price it bids its value) and truthful (g 1) restore it.
func TestTheoryFollowsKeys(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	m, _, pump := liveModel(t, sc, modelOptions{exportDir: t.TempDir()})
	expect := func(when, want string) {
		t.Helper()
		if line := theoryHeader(m); !strings.Contains(line, want) {
			t.Errorf("%s: header %q, want %q", when, line, want)
		}
	}
	expect("at the start", "theory 0.667")
	press(m, "x") // ada off
	pump()
	expect("ada off", "theory 0.600")
	press(m, "x")
	press(m, "j") // bo shades
	press(m, "g")
	press(m, "2")
	pump()
	expect("bo shading", "theory ")
	if line := theoryHeader(m); strings.Contains(line, "theory 0.667") {
		t.Errorf("bo shading: header %q still shows every bidder truthful", line)
	}
	press(m, "g")
	press(m, "3")
	pump()
	expect("bo bidding a fixed price", "no closed form")
	press(m, "g")
	press(m, "4")
	pump()
	expect("bo bidding the equilibrium (its value, in second price)", "theory 0.667")
	press(m, "g")
	press(m, "1")
	pump()
	expect("bo truthful again", "theory 0.667")
}

// TestTheoryReasonReadable: without a closed form the header says why in
// full words at 80, 100 and 120 columns (timeout-demo's values differ
// between bidders): on the theory line where it fits, else on a line of
// its own below; never cut, and the screen still fits.
func TestTheoryReasonReadable(t *testing.T) {
	sc := bundled(t, "timeout-demo")
	eng := engineAt(t, sc, 20*sim.Second)
	why := shortWhy(eng.Snapshot().Theory().Why)
	if why == "" || eng.Snapshot().Theory().Applies {
		t.Fatal("timeout-demo should have no closed form")
	}
	for _, size := range [][2]int{{80, 24}, {100, 30}, {120, 36}} {
		w, h := size[0], size[1]
		m, _ := modelOn(t, sc, eng, w, h)
		head := theoryHeader(m)
		if !strings.Contains(head, "no closed form") || !strings.Contains(head, " ± ") {
			t.Errorf("%d columns: header %q lacks the estimate", w, head)
		}
		if !strings.Contains(head, why) {
			t.Errorf("%d columns: header %q does not say %q whole", w, head, why)
		}
		v := m.View()
		checkScreen(t, v, w, h)
		if !strings.Contains(v, why) {
			t.Errorf("%d columns: the screen does not say %q:\n%s", w, why, v)
		}
	}
}

// TestMetricIntervalNeverReadsZero: a narrow interval (hundreds of
// intervals in) shows enough digits that a half-width that is not 0 does
// not read 0.000 (or 0.0%), the mean to the same decimals; a wider one is
// as the header always wrote it.
func TestMetricIntervalNeverReadsZero(t *testing.T) {
	for _, tt := range []struct {
		m          sim.TheoryMetric
		mean, half float64
		want       string
	}{
		{sim.TheoryMeanPrice, 0.55512, 0.006, "0.555 ± 0.006"},
		{sim.TheoryMeanPrice, 0.55512, 0.0005, "0.555 ± 0.001"},
		{sim.TheoryMeanPrice, 0.55512, 0.00042, "0.55512 ± 0.00042"},
		{sim.TheoryMeanPrice, 0.55512, 0.0000031, "0.5551200 ± 0.0000031"},
		{sim.TheoryMeanPrice, 0.55512, 0, "0.555 ± 0.000"},
		{sim.TheoryFillRate, 0.75, 0.004, "75.0% ± 0.4%"},
		{sim.TheoryFillRate, 0.7501234, 0.0002, "75.012% ± 0.020%"},
	} {
		if got := metricInterval(tt.m, tt.mean, tt.half); got != tt.want {
			t.Errorf("%s %g ± %g: %q, want %q", tt.m, tt.mean, tt.half, got, tt.want)
		}
	}
}
