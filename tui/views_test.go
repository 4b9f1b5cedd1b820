package tui

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// A panic on the runner's goroutine quits the program, so the terminal is
// restored, and Run reports it.
func TestRunnerPanicQuits(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	l.err = &runner.PanicError{Value: "boom", Stack: []byte("stack")}
	close(l.done)
	msg := m.waitFrame()()
	if _, ok := msg.(runnerGone); !ok {
		t.Fatalf("message %T after the runner stopped", msg)
	}
	_, cmd := m.Update(msg)
	if cmd == nil {
		t.Fatal("no command after the runner panicked")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok || !errors.Is(m.err, l.err) {
		t.Errorf("not quit, or the panic was lost: %v", m.err)
	}
}

// After `s` loads a scenario the selection is on its first bidder; a
// restart keeps it where it was.
func TestLoadResetsSelection(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	press(m, "j")
	press(m, "j")
	f := m.ctx.Frame
	f.Gen, f.Ack = 2, m.ctx.seq
	m.Update(frameMsg(f)) // a restart: same bidders
	if m.ctx.Selected != 2 {
		t.Errorf("a restart moved the selection to %d", m.ctx.Selected)
	}
	press(m, "s")
	pressRun(m, "enter")
	f.Gen, f.Ack = 3, m.ctx.seq
	m.Update(frameMsg(f))
	if m.ctx.Selected != 0 {
		t.Errorf("after a load the selection is on %d, want the first bidder", m.ctx.Selected)
	}
}

// One registry: each key the design card sets aside belongs to its
// feature and to no other binding, and within a view no key does two
// things.
func TestKeyRegistry(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	k := m.ctx.Keys
	card := map[string]string{
		"m": "MoveBudget", "=": "SetBudget", "c": "Fork", "w": "WhatIf", "v": "Timeline",
		"P": "Present", "z": "FixScale", "g": "Strategy", "<": "StrategyDown", ">": "StrategyUp",
		"#": "Metric", ":": "Command", "d": "DailyDown", "D": "DailyUp", "u": "CapDown", "U": "CapUp",
	}
	km := reflect.ValueOf(k).Elem()
	for r, want := range card {
		if b := km.FieldByName(want).Interface().(key.Binding); !slices.Contains(b.Keys(), r) {
			t.Errorf("%q is not bound to %s", r, want)
		}
		for i := range km.NumField() {
			b, ok := km.Field(i).Interface().(key.Binding)
			if name := km.Type().Field(i).Name; ok && name != want && slices.Contains(b.Keys(), r) {
				t.Errorf("%q, set aside for %s, is also %s", r, want, name)
			}
		}
	}
	views := map[string]view{"dashboard": m.ctx.views[0], "inspector": newInspector(m.ctx), "picker": newPicker(m.ctx)}
	mv := newBudgetForm(m.ctx, true, 1)
	mv.dests = []string{"x"}
	views["move form"], views["budget form"], views["unfork"] = mv, newBudgetForm(m.ctx, false, 1), &unforkConfirm{ctx: m.ctx}
	views["command line"] = newCommandLine(m.ctx)
	openChooser(m.ctx)
	views["strategy chooser"] = m.ctx.top()
	m.ctx.Close()
	for name, v := range views {
		checkHelpKeys(t, name, v)
	}
}

// checkHelpKeys reports each key of v's full help that does two things.
func checkHelpKeys(t *testing.T, name string, v view) {
	t.Helper()
	seen := map[string]string{}
	for _, col := range v.FullHelp() {
		for _, b := range col {
			for _, bk := range b.Keys() {
				if other, ok := seen[bk]; ok && other != b.Help().Desc {
					t.Errorf("%s: %q is both %q and %q", name, bk, other, b.Help().Desc)
				}
				seen[bk] = b.Help().Desc
			}
		}
	}
}

// The help texts quote the step constants rather than repeat them.
func TestHelpQuotesSteps(t *testing.T) {
	k := newKeyMap()
	for b, want := range map[*key.Binding]string{
		&k.TmaxDown: fmt.Sprintf("%dms", tmaxStep), &k.FloorUp: fmt.Sprintf("%.2f", floorStep),
		&k.LatencySlower: fmt.Sprintf("%g", latencyScale), &k.BudgetUp: fmt.Sprintf("%g", budgetScale),
		&k.QPSUp: fmt.Sprintf("%g", qpsScale), &k.Faster: fmt.Sprint(runner.SpeedStep),
		&k.DailyUp: fmt.Sprintf("%g", dailyScale), &k.CapUp: fmt.Sprint(capStep),
	} {
		if !strings.Contains(b.Help().Desc, want) {
			t.Errorf("%q does not say %s", b.Help().Desc, want)
		}
	}
}

// With every bidder off, auctions close unfilled: the chart says so
// rather than wait for a price.
func TestChartWhenNothingSells(t *testing.T) {
	sc := testScenario()
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range sc.Config.Bidders {
		if err := eng.Apply(sim.SetEnabled{Bidder: b.Name}); err != nil {
			t.Fatal(err)
		}
	}
	eng.RunUntil(5 * sim.Second)
	m, _, _ := testModel(t, 120, 40)
	m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0.Add(100e6), 0)))
	v := m.View()
	if strings.Contains(v, "waiting for auctions") || !strings.Contains(v, "auctions closed unfilled") {
		t.Errorf("the chart with every bidder off:\n%s", v)
	}
	// Nor does the price's estimate wait for an interval.
	if strings.Contains(v, "no whole interval yet") || !strings.Contains(v, "(nothing sold since the start)") {
		t.Errorf("the price's estimate with every bidder off:\n%s", v)
	}
}

// The price explanation names why the winner had no rival: bids on time
// under the floor are not "no other bid in time".
func TestNoSecondBidWording(t *testing.T) {
	th := asciiTheme()
	name := func(i int) string { return fmt.Sprint("b", i) }
	rec := sim.AuctionRecord{Winner: 0, Reason: sim.FloorPrice, Floor: sim.PriceOf(1), Price: sim.PriceOf(1),
		Responses: []sim.Response{{Status: sim.OnTime}, {Status: sim.BelowFloor}, {Status: sim.NoBid}}}
	if got := priceExplanation(th, &rec, name)[0]; !strings.Contains(got, "1 on time under it") || strings.Contains(got, "in time)") {
		t.Errorf("below the floor: %q", got)
	}
	rec.Responses[1].Status = sim.Late
	if got := priceExplanation(th, &rec, name)[0]; !strings.Contains(got, "no other bid in time: 1 late") {
		t.Errorf("late: %q", got)
	}
	rec.Responses[1].Status = sim.NoBid
	if got := priceExplanation(th, &rec, name)[0]; !strings.Contains(got, "(no other bid)") {
		t.Errorf("none: %q", got)
	}
}

// After a change, the values it affects show since the change beside the
// whole run's, each labelled.
func TestSinceChangeShown(t *testing.T) {
	m := goldenModel(t, 160, 48)
	v := m.View()
	snap := m.ctx.Snap()
	for _, want := range []string{"since 3.00s", "Since 3.00s, the last change", "Exchange since the start",
		"late% last " + "5.00s", format2(snap.SinceChange.MeanPrice())} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q", want)
		}
	}
}

func format2(x float64) string { return fmt.Sprintf("%.2f", x) }

// The price explanation names an increment only where there is one
// ("the second bid 1.20", not "+ increment 0.00"), as the export does.
func TestPriceExplanationIncrement(t *testing.T) {
	name := func(i int) string { return fmt.Sprint("b", i) }
	rec := sim.AuctionRecord{Winner: 0, Reason: sim.SecondBid, SecondBid: sim.PriceOf(1.2), Price: sim.PriceOf(1.2),
		Floor: sim.PriceOf(0.1), Responses: []sim.Response{{Status: sim.OnTime}, {Status: sim.OnTime}}}
	if got := priceExplanation(asciiTheme(), &rec, name)[0]; strings.Contains(got, "increment") || !strings.Contains(got, "the second bid 1.20") {
		t.Errorf("increment 0: %q", got)
	}
	rec.Increment, rec.Price = sim.PriceOf(0.01), sim.PriceOf(1.21)
	if got := priceExplanation(asciiTheme(), &rec, name)[0]; !strings.Contains(got, "the second bid 1.20 + increment 0.01") {
		t.Errorf("increment 0.01: %q", got)
	}
}

// A chart with prices to plot but no room (help open on a small
// terminal) does not say it waits for auctions.
func TestChartWithoutRoom(t *testing.T) {
	sc := testScenario()
	m, _, _ := testModel(t, 120, 40)
	m.Update(frameMsg(frameOf(sc, engineAt(t, sc, 5*sim.Second).Snapshot(), t0.Add(100e6), 0)))
	got := renderChart(m.ctx, 60, 3)
	if strings.Contains(got, "waiting for auctions") || !strings.Contains(got, "no room for the chart") {
		t.Errorf("a chart in 60×3 after 5 s of auctions:\n%s", got)
	}
	if got := renderChart(m.ctx, 60, 12); strings.Contains(got, "no room") || strings.Contains(got, "waiting") {
		t.Errorf("a chart in 60×12:\n%s", got)
	}
}

// allOffAt1850 is reserve-price run to 1.85 s, then every bidder
// switched off.
func allOffAt1850(t *testing.T) (*scenarios.Scenario, *sim.Engine) {
	t.Helper()
	sc := bundled(t, "reserve-price")
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(1850 * sim.Millisecond)
	for _, b := range sc.Config.Bidders {
		if err := eng.Apply(sim.SetEnabled{Bidder: b.Name}); err != nil {
			t.Fatal(err)
		}
	}
	return sc, eng
}

// TestNothingSoldAfterAChange: every bidder switched off at 1.85 s, so
// that the estimate's window starts a deadline later, inside the interval
// that still sold before the change. Seconds later the header said "no
// whole interval yet", as if a price were coming; it says nothing sold.
func TestNothingSoldAfterAChange(t *testing.T) {
	sc, eng := allOffAt1850(t)
	eng.RunUntil(8 * sim.Second)
	for _, w := range []int{80, 120} {
		m, _ := modelOn(t, sc, eng, w, 24)
		if h := theoryHeader(m); strings.Contains(h, "no whole interval yet") || !strings.Contains(h, "(nothing sold from 1.95s)") {
			t.Errorf("%d columns: the price's estimate 6 s after every bidder went off: %q", w, h)
		}
	}
}

// TestChartRunsOnWhenSalesStop: after every bidder went off the price's
// chart kept its time axis at the last sale (1.30s at 13 s of virtual
// time), as if the run had stopped. The axis runs to the newest interval
// and the line ends where the sales did.
func TestChartRunsOnWhenSalesStop(t *testing.T) {
	sc, eng := allOffAt1850(t)
	eng.RunUntil(12 * sim.Second)
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m, _ := modelOn(t, sc, eng, size[0], size[1])
		v := m.View()
		checkScreen(t, v, size[0], size[1])
		var last time.Duration
		for _, l := range strings.Split(v, "\n") {
			// The line ends at the last sale, not turned down to the
			// bottom of the scale and along the axis as if a price.
			if strings.Contains(l, "└") && strings.Contains(l, "┴") {
				t.Errorf("%dx%d: the price's line runs down to the axis:\n%s", size[0], size[1], v)
			}
			f := strings.Fields(l)
			if len(f) < 3 || f[0] != "500ms" {
				continue
			}
			for _, x := range f {
				d, err := time.ParseDuration(x)
				if err != nil {
					break
				}
				last = d
			}
		}
		if last < 8*time.Second { // the axis labels ticks, the last short of the end
			t.Errorf("%dx%d at 12 s: the chart's time axis ends at %v:\n%s", size[0], size[1], last, v)
		}
	}
}

// TestIntervalSaysItsLevel: at 80 columns the header's interval lost
// its window, "(95%, 5 intervals from 2.00s)", and with it what the ±
// was. It keeps "(95%)" where the window does not fit.
func TestIntervalSaysItsLevel(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	eng := engineAt(t, sc, 8*sim.Second)
	for _, c := range []struct {
		w    int
		want string
	}{{80, " (95%)"}, {160, " (95%, 8 intervals since the start)"}} {
		m, _ := modelOn(t, sc, eng, c.w, 24)
		if h := theoryHeader(m); !strings.Contains(h, " ± ") || !strings.Contains(h, c.want) {
			t.Errorf("%d columns: %q lacks %q", c.w, h, c.want)
		}
	}
}
