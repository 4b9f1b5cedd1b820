package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/auctionsim/auctionsim/sim"
)

// TestPresentShowsTheLessonWithoutLatency: in a world where every bidder
// answers at once (classroom-vickrey), presentation mode showed late bids
// 0.0%, revenue lost to timeouts, tmax and five latency bars of 0.0ms,
// none of it the lesson. Now it shows the price, the revenue per auction,
// the fill rate and the bidders' surplus against their closed forms, and
// folds the latency panel to its line, as the dashboard does. For five
// truthful U[0,1] bidders in a second-price auction the price is the
// second-highest value, mean (n−1)/(n+1) = 0.667, and the winner keeps
// the highest less the second, mean 1/(n+1) = 0.167.
func TestPresentShowsTheLessonWithoutLatency(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	eng := engineAt(t, sc, 30*sim.Second)
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		m, _ := modelOn(t, sc, eng, sz[0], sz[1])
		press(m, "P")
		if !fullScreen(m.ctx.top()) {
			t.Fatalf("P opened %T", m.ctx.top())
		}
		v := m.View()
		checkScreen(t, v, sz[0], sz[1])
		for _, want := range []string{"mean clearing price", "CPM · theory 0.667", "revenue per auction", "fill rate",
			"theory 100.0%", "surplus per auction", "CPM · theory 0.167", "Latency none: every bidder answers at once",
			"P leaves"} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: no %q:\n%s", sz[0], sz[1], want, v)
			}
		}
		for _, not := range []string{"late bids", "timeouts", "tmax", "0.0ms", "p50", "z latency scale"} {
			if strings.Contains(v, not) {
				t.Errorf("%dx%d: %q in a world without latency:\n%s", sz[0], sz[1], not, v)
			}
		}
	}
	// The figures are the simulated ones, near the theory they stand
	// beside (30,000 auctions: a standard error near 0.001).
	m, _ := modelOn(t, sc, eng, 80, 24)
	figs := presentFigures(m.ctx)
	for i, want := range map[int]float64{0: 2.0 / 3, 1: 2.0 / 3, 3: 1.0 / 6} {
		got, err := strconv.ParseFloat(figs[i].value, 64)
		if err != nil || math.Abs(got-want) > 0.01 {
			t.Errorf("%s: %q, want near %.3f", figs[i].label, figs[i].value, want)
		}
	}
}

// TestPresentKeepsLatencyWithLatency: a world with latency keeps the
// timeout figures and the latency bars in presentation mode.
func TestPresentKeepsLatencyWithLatency(t *testing.T) {
	m, _, _ := testModel(t, 80, 24)
	press(m, "P")
	v := m.View()
	for _, want := range []string{"late bids", "tmax", "p50"} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q in presentation mode with latency:\n%s", want, v)
		}
	}
	if strings.Contains(v, "Latency none") {
		t.Errorf("latency folded in a world with latency:\n%s", v)
	}
}

// TestViewGoldenPresentLesson is presentation mode on classroom-vickrey
// at 30 s, a world without latency: the lesson's four figures and the
// latency panel's one line.
func TestViewGoldenPresentLesson(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	eng := engineAt(t, sc, 30*sim.Second)
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m, _ := modelOn(t, sc, eng, size[0], size[1])
			press(m, "P")
			v := m.View()
			checkScreen(t, v, size[0], size[1])
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// TestPresentHelpWithoutLatency: ? in presentation mode on
// classroom-vickrey, where every bidder answers at once and none has a
// budget, listed z (latency scale), t/T (tmax), l/L (latency) and b/B
// (budget): keys about a deadline, latencies and budgets the lesson has
// none of. Now it lists what applies there, and a world with latency
// still lists them all.
func TestPresentHelpWithoutLatency(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	eng := engineAt(t, sc, 30*sim.Second)
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		m, _ := modelOn(t, sc, eng, sz[0], sz[1])
		press(m, "P")
		press(m, "?")
		v := m.View()
		checkScreen(t, v, sz[0], sz[1])
		for _, want := range []string{"P   presentation", "space pause", "f/F floor", "1st/2nd price", "select up", "x   off/on", "?   all keys", "q   quit"} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: the help lacks %q:\n%s", sz[0], sz[1], want, v)
			}
		}
		for _, not := range []string{"latency scale", "t/T", "tmax", "l/L", "latency ×", "b/B", "budget"} {
			if strings.Contains(v, not) {
				t.Errorf("%dx%d: the help lists %q in a world without latency or budgets:\n%s", sz[0], sz[1], not, v)
			}
		}
	}
	m, _, _ := testModel(t, 120, 40) // latency and budgets
	press(m, "P")
	press(m, "?")
	v := m.View()
	for _, want := range []string{"z   latency scale", "t/T tmax", "l/L latency", "b/B budget"} {
		if !strings.Contains(v, want) {
			t.Errorf("with latency and budgets the help lacks %q:\n%s", want, v)
		}
	}
}

// TestDashboardHelpWithoutLatency: the dashboard on classroom-vickrey
// offered t/T (tmax) in its footer at 80 columns, and its full help and
// the changes panel's hint z, t/T, l/L, w (what-if tmax) and the budget
// keys, in a world with no latency and no budgets: a student pressing
// them sees nothing move. Now the footer offers the floor, and the help
// and the hint only what applies there.
func TestDashboardHelpWithoutLatency(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	eng := engineAt(t, sc, 10*sim.Second)
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		m, _ := modelOn(t, sc, eng, sz[0], sz[1])
		short := m.View()
		checkScreen(t, short, sz[0], sz[1])
		foot := short[strings.LastIndex(short, "\n")+1:]
		if !strings.Contains(foot, "f/F floor") || strings.Contains(foot, "t/T") {
			t.Errorf("%dx%d: footer %q: want the floor, not tmax", sz[0], sz[1], foot)
		}
		if !strings.Contains(short, "none yet: try f/F, a, x, g, or :") {
			t.Errorf("%dx%d: the changes hint is not the lesson's keys:\n%s", sz[0], sz[1], short)
		}
		press(m, "?")
		v := m.View()
		checkScreen(t, v, sz[0], sz[1])
		// The help is the last rows (eight at most: dashboard.FullHelp);
		// the header above it names tmax and the table budgets.
		lines := strings.Split(v, "\n")
		full := strings.Join(lines[len(lines)-8:], "\n")
		for _, want := range []string{"f/F floor", "1st/2nd price", "x   off/on", "choose strategy", "presentation", "restart", "q     quit"} {
			if !strings.Contains(full, want) {
				t.Errorf("%dx%d: the help lacks %q:\n%s", sz[0], sz[1], want, full)
			}
		}
		for _, not := range []string{"t/T", "tmax", "latency", "budget", "daily", "freq. cap", "what-if"} {
			if strings.Contains(full, not) {
				t.Errorf("%dx%d: the help lists %q in a world without latency or budgets:\n%s", sz[0], sz[1], not, full)
			}
		}
	}
}
