package tui

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestMoveDailyForm: m on flight-week's acme-even, a daily budget alone
// (20 a day), moves daily budget to acme-asap, the other daily budget
// alone in group acme, as compare --move does: the form opens on a tenth
// of the group's daily sum (40), enter sends the two daily budgets
// (bidders.NAME.budget.daily), their sum kept, and the shown budgets move
// at once.
func TestMoveDailyForm(t *testing.T) {
	m, l := flightModel(t, 10*sim.Minute, "acme-even")
	press(m, "m")
	f, ok := m.ctx.top().(*budgetForm)
	if !ok {
		t.Fatalf("m opened %T (status %q)", m.ctx.top(), m.ctx.status)
	}
	if !f.movesDaily() || f.input.Value() != "4" || !reflect.DeepEqual(f.dests, []string{"acme-asap"}) {
		t.Errorf("daily %v, default amount %q, destinations %v", f.movesDaily(), f.input.Value(), f.dests)
	}
	v := m.View()
	for _, want := range []string{"Move daily budget from acme-even", "group acme, daily sum 40.00/day (kept)", "a day: budget 20.00", "▸acme-asap"} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q in the form:\n%s", want, v)
		}
	}
	for _, k := range []string{"5", ".", "5", "enter"} {
		press(m, k)
	}
	want := []sim.Change{
		sim.SetDaily{Bidder: "acme-even", Daily: sim.MoneyOf(14.5)},
		sim.SetDaily{Bidder: "acme-asap", Daily: sim.MoneyOf(25.5)},
	}
	if got := appliedChanges(l.cmds()); !reflect.DeepEqual(got, want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	if _, ok := m.ctx.top().(*dashboard); !ok {
		t.Error("the form stayed open after enter")
	}
	a, b := m.ctx.Shown.bidders[0].daily, m.ctx.Shown.bidders[1].daily
	if a != sim.MoneyOf(14.5) || b != sim.MoneyOf(25.5) || a+b != sim.MoneyOf(40) {
		t.Errorf("shown daily budgets %v and %v", a.Float(), b.Float())
	}
	if !strings.Contains(m.ctx.status, "move 5.50/day of daily budget acme-even → acme-asap") || !strings.Contains(m.ctx.status, "group acme daily sum stays 40.00/day") {
		t.Errorf("status %q", m.ctx.status)
	}
	// Before a frame confirms it, a second move starts from the first's
	// budgets.
	press(m, "m")
	for _, k := range []string{"1", "4", ".", "5", "enter"} {
		press(m, k)
	}
	if v := m.View(); !strings.Contains(v, "would leave it no daily budget") || !strings.Contains(v, "Move daily budget") {
		t.Errorf("moving all of a daily budget is not refused in the open form:\n%s", v)
	}
	for _, k := range []string{"backspace", "backspace", "backspace", "backspace", "2", "0", "enter"} {
		press(m, k)
	}
	if v := m.View(); !strings.Contains(v, "acme-even has 14.50/day of daily budget, less than the move") {
		t.Errorf("a move of more than the daily budget is not refused:\n%s", v)
	}
	press(m, "esc")
	if got := appliedChanges(l.cmds()); len(got) != 2 {
		t.Errorf("sent %v after the refusals", got)
	}
}

// TestMoveDailyBesideTotal: m on flight-week's globex-front (30 a day,
// no total) moves daily budget to globex-capped (25 a day beside its 120
// in all), as split divides them and compare --move moves them: the form
// reads "Move daily budget", its default a tenth of the group's daily sum
// (55, globex-capped's counted), and enter sends the two daily budgets,
// globex-capped's total kept. The other way, from globex-capped, moves
// daily budgets too.
func TestMoveDailyBesideTotal(t *testing.T) {
	m, l := flightModel(t, 10*sim.Minute, "globex-front")
	press(m, "m")
	f, ok := m.ctx.top().(*budgetForm)
	if !ok {
		t.Fatalf("m opened %T (status %q)", m.ctx.top(), m.ctx.status)
	}
	if !f.movesDaily() || f.input.Value() != "5.5" || !reflect.DeepEqual(f.dests, []string{"globex-capped"}) {
		t.Errorf("daily %v, default amount %q, destinations %v", f.movesDaily(), f.input.Value(), f.dests)
	}
	v := m.View()
	for _, want := range []string{"Move daily budget from globex-front", "group globex, daily sum 55.00/day (kept)", "a day: budget 30.00", "▸globex-capped"} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q in the form:\n%s", want, v)
		}
	}
	for _, k := range []string{"1", "1", "enter"} {
		press(m, k)
	}
	want := []sim.Change{
		sim.SetDaily{Bidder: "globex-front", Daily: sim.MoneyOf(19)},
		sim.SetDaily{Bidder: "globex-capped", Daily: sim.MoneyOf(36)},
	}
	if got := appliedChanges(l.cmds()); !reflect.DeepEqual(got, want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	i := bidderIndex(m.ctx.Snap(), "globex-capped")
	if sb := m.ctx.Shown.bidders[i]; sb.daily != sim.MoneyOf(36) || sb.budget != sim.MoneyOf(120) || sb.unlimited {
		t.Errorf("globex-capped shown at %v a day, total %v (unlimited %v); want 36 a day, its 120 kept", sb.daily.Float(), sb.budget.Float(), sb.unlimited)
	}
	if !strings.Contains(m.ctx.status, "move 11.00/day of daily budget globex-front → globex-capped") || !strings.Contains(m.ctx.status, "group globex daily sum stays 55.00/day") {
		t.Errorf("status %q", m.ctx.status)
	}

	m, l = flightModel(t, 10*sim.Minute, "globex-capped")
	press(m, "m")
	if f, ok := m.ctx.top().(*budgetForm); !ok || !f.movesDaily() || !reflect.DeepEqual(f.dests, []string{"globex-front"}) {
		t.Fatalf("m on globex-capped: %T (status %q)", m.ctx.top(), m.ctx.status)
	}
	for _, k := range []string{"4", "enter"} {
		press(m, k)
	}
	// The live assignments come back in the scenario's order.
	want = []sim.Change{
		sim.SetDaily{Bidder: "globex-front", Daily: sim.MoneyOf(34)},
		sim.SetDaily{Bidder: "globex-capped", Daily: sim.MoneyOf(21)},
	}
	if got := appliedChanges(l.cmds()); !reflect.DeepEqual(got, want) {
		t.Errorf("from globex-capped: sent %v, want %v", got, want)
	}
}

// TestMoveDailyAndTotalRefused: a daily budget alone and a total alone
// are not moved between, either way, as compare --move refuses them: m
// on globex-front (30 a day, no total) or globex-capped given a total
// alone (120, no daily budget), the only budgeted members of group
// globex, says why and how to give globex-front a total, and sends
// nothing. A bidder with a total and a daily budget beside it still
// moves its total (sim.MoveBudget) to another such.
func TestMoveDailyAndTotalRefused(t *testing.T) {
	sc, _, err := scenarios.ResolveWith("flight-week", []scenarios.Set{{Path: "bidders.globex-capped.budget", Value: "{total: 120}", Flag: "--set"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{"globex-front", "globex-capped"} {
		eng := engineAt(t, sc, 10*sim.Minute)
		m, l, _ := recordingModel(t, sc, 160, 48, frameOf(sc, eng.Snapshot(), t0, 0), frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0))
		for m.ctx.Snap().Bidders[m.ctx.Selected].Name != sel {
			press(m, "j")
		}
		press(m, "m")
		v := m.View()
		for _, want := range []string{"can't move between globex-front's daily budget alone and globex-capped's total alone",
			":bidders.globex-front.budget.total=AMOUNT gives it a total"} {
			if !strings.Contains(v, want) {
				t.Errorf("m on %s: no %q on screen:\n%s", sel, want, v)
			}
		}
		if _, ok := m.ctx.top().(*dashboard); !ok || len(l.sent) != 0 {
			t.Errorf("m on %s: top %T, sent %v", sel, m.ctx.top(), l.cmds())
		}
	}

	sc, _, err = scenarios.ResolveWith("flight-week", []scenarios.Set{{Path: "bidders.globex-front.budget.total", Value: "200", Flag: "--set"}})
	if err != nil {
		t.Fatal(err)
	}
	eng := engineAt(t, sc, 10*sim.Minute)
	m, l, _ := recordingModel(t, sc, 160, 48, frameOf(sc, eng.Snapshot(), t0, 0), frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0))
	for m.ctx.Snap().Bidders[m.ctx.Selected].Name != "globex-front" {
		press(m, "j")
	}
	press(m, "m")
	f, ok := m.ctx.top().(*budgetForm)
	if !ok || f.movesDaily() || !reflect.DeepEqual(f.dests, []string{"globex-capped"}) {
		t.Fatalf("m on globex-front with a total: %T %+v (status %q)", m.ctx.top(), f, m.ctx.status)
	}
	press(m, "1")
	press(m, "enter")
	want := []sim.Change{sim.MoveBudget{From: "globex-front", To: "globex-capped", Amount: sim.MoneyOf(1)}}
	if got := appliedChanges(l.cmds()); !reflect.DeepEqual(got, want) {
		t.Errorf("sent %v, want %v", got, want)
	}
}

// TestMoveDailyReplay: a daily move made on the running world is logged
// as its two path assignments, bidders.acme-even.budget.daily and
// bidders.acme-asap.budget.daily, at one instant; the group's daily sum
// is kept, and the export replays to the very same days.
func TestMoveDailyReplay(t *testing.T) {
	exported := moveDailyReplay(t, "acme-asap", "6", []string{"budget_daily bidders.acme-even.budget.daily=26", "budget_daily bidders.acme-asap.budget.daily=14"})
	even, _ := exported.FindBidder("acme-even")
	asap, _ := exported.FindBidder("acme-asap")
	g, _ := exported.FindGroup("acme")
	if even.Daily != sim.MoneyOf(26) || asap.Daily != sim.MoneyOf(14) || g.Daily != sim.MoneyOf(40) {
		t.Errorf("after the move: acme-even %v, acme-asap %v a day, group %v", even.Daily.Float(), asap.Daily.Float(), g.Daily.Float())
	}
}

// TestMoveDailyBesideTotalReplay: a move of daily budget from
// globex-front (a daily budget alone) to globex-capped (a daily budget
// beside its total of 120) is logged as the two budget.daily
// assignments, globex-capped's total kept, and replays identically.
func TestMoveDailyBesideTotalReplay(t *testing.T) {
	exported := moveDailyReplay(t, "globex-front", "11", []string{"budget_daily bidders.globex-front.budget.daily=19", "budget_daily bidders.globex-capped.budget.daily=36"})
	front, _ := exported.FindBidder("globex-front")
	capped, _ := exported.FindBidder("globex-capped")
	if front.Daily != sim.MoneyOf(19) || capped.Daily != sim.MoneyOf(36) || capped.Budget != sim.MoneyOf(120) || capped.Unlimited {
		t.Errorf("after the move: globex-front %v a day, globex-capped %v a day and %v in all (unlimited %v)",
			front.Daily.Float(), capped.Daily.Float(), capped.Budget.Float(), capped.Unlimited)
	}
}

// moveDailyReplay runs flight-week on the dashboard for 30 steps, moves
// amount of daily budget from sel with m to the form's first
// destination, runs 30 steps more and exports: the change log must be
// the two assignments want (kind path=value) at one instant, and the
// export must replay to the same days, spend and wins of the two and the
// same exchange. It returns the exported snapshot.
func moveDailyReplay(t *testing.T, sel, amount string, want []string) *sim.Snapshot {
	t.Helper()
	sc := bundled(t, "flight-week")
	m, _, pump := liveModel(t, sc, modelOptions{export: report.WriteWith, exportDir: t.TempDir()})
	step := func(n int) {
		for range n {
			press(m, ".")
			pump()
		}
	}
	step(30)
	for m.ctx.Snap().Bidders[m.ctx.Selected].Name != sel {
		press(m, "j")
	}
	press(m, "m")
	f, ok := m.ctx.top().(*budgetForm)
	if !ok || !f.movesDaily() {
		t.Fatalf("m on %s: %T (status %q), want the daily move form", sel, m.ctx.top(), m.ctx.status)
	}
	names := []string{sel, f.dests[f.dest]}
	for _, k := range append(strings.Split(amount, ""), "enter") {
		press(m, k)
	}
	pump()
	step(30)
	exported := m.ctx.Snap()
	if c := exported.Changes; len(c) != 2 || c[0].At != c[1].At || c[0].Event != c[1].Event {
		t.Fatalf("change log %+v, want the two daily budgets at one instant", c)
	}
	em, rep := exportReplay(t, m)
	m.Update(em)
	var doc struct {
		Changes []struct {
			Kind string            `json:"kind"`
			Set  map[string]string `json:"set"`
		} `json:"changes"`
	}
	readExport(t, em.path, &doc)
	var sets []string
	for _, c := range doc.Changes {
		for p, v := range c.Set {
			sets = append(sets, c.Kind+" "+p+"="+v)
		}
	}
	if !reflect.DeepEqual(sets, want) {
		t.Errorf("the change log's assignments %q, want %q", sets, want)
	}
	got := replayExport(t, rep).Snapshot()
	for _, name := range names {
		gb, _ := got.FindBidder(name)
		b, _ := exported.FindBidder(name)
		if gb.Daily != b.Daily || gb.Budget != b.Budget || !reflect.DeepEqual(gb.Days, b.Days) || gb.Spend != b.Spend || gb.Wins != b.Wins {
			t.Errorf("%s replays differently: daily %v budget %v days %+v, want %v %v %+v", name, gb.Daily.Float(), gb.Budget.Float(), gb.Days, b.Daily.Float(), b.Budget.Float(), b.Days)
		}
	}
	if got.Exchange != exported.Exchange || !reflect.DeepEqual(got.Changes, exported.Changes) {
		t.Errorf("the replay differs:\n got %+v\nwant %+v", got.Exchange, exported.Exchange)
	}
	return exported
}

// TestProgramMoveDaily drives the real program through m on flight-week:
// the daily form opens on acme-even, 3 then enter moves 3 a day to
// acme-asap, and the screen shows the move and the engine's log of its two
// changes.
func TestProgramMoveDaily(t *testing.T) {
	sc := bundled(t, "flight-week")
	mo := programOptions(t)
	mo.scenario = sc
	tm := startProgramSized(t, sc, runner.Options{Paused: true}, mo, 160, 48)
	waitFor := func(s string) { t.Helper(); waitOutput(t, tm, s, waitLimit, 10*time.Millisecond) }
	waitFor("‖ paused")
	tm.Type("m")
	waitFor("Move daily budget from acme-even")
	tm.Type("3")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("move 3.00/day of daily budget acme-even → acme-asap")) && bytes.Contains(b, []byte("Changes (2, newest first)"))
	}, teatest.WithDuration(waitLimit), teatest.WithCheckInterval(10*time.Millisecond))
	tm.Type("q")
	fm, ok := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*model)
	if !ok {
		t.Fatalf("final model is %T", fm)
	}
	var sets []string
	for _, c := range fm.ctx.Frame.Snap.Changes {
		s, _ := scenarios.Assignments(c.Change)
		for _, x := range s {
			sets = append(sets, x.Path+"="+x.Value)
		}
	}
	if want := []string{"bidders.acme-even.budget.daily=17", "bidders.acme-asap.budget.daily=23"}; !reflect.DeepEqual(sets, want) {
		t.Errorf("the engine logged %q, want %q", sets, want)
	}
}
