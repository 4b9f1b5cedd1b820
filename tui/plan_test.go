package tui

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// planYAML is a planner's world defined here, so that the golden files do
// not change when the bundled budget-split is tuned: one advertiser, acme,
// with two campaigns in a group, a rival without a budget and a budgeted
// bidder of its own.
const planYAML = "name: plan-demo\nseed: 11\n" + demoRules + `bidders:
  - name: acme-retarget
    group: acme
    latency: {dist: lognormal, median: 25ms, p99: 70ms}
    value: {dist: lognormal, median: 2.5, p99: 8}
    budget: {total: 100, pacing: multiplier}
    outcome: {ctr: 0.05, cvr: 0.4, order_value: 1, baseline_cvr: 0.012, delay: {dist: exponential, mean: 1s}}
  - name: acme-prospect
    group: acme
    latency: {dist: lognormal, median: 25ms, p99: 70ms}
    value: {dist: lognormal, median: 2.0, p99: 9}
    budget: {total: 100, pacing: multiplier}
    outcome: {ctr: 0.05, cvr: 0.4, order_value: 1, baseline_cvr: 0.0005, delay: {dist: exponential, mean: 1s}}
  - name: rival
    latency: {dist: lognormal, median: 25ms, p99: 70ms}
    value: {dist: uniform, min: 0.5, max: 4}
  - name: solo
    latency: {dist: lognormal, median: 25ms, p99: 70ms}
    value: {dist: uniform, min: 0.2, max: 1}
    budget: {total: 50, pacing: throttle}
`

// demoRules are the stop, traffic and exchange that the worlds the tests
// define here share (planYAML, mixedGroupYAML, longNamesYAML): they
// differ in their bidders.
const demoRules = `stop: {duration: 2m}
traffic: {qps: 500}
exchange: {auction: second-price, tmax: 120ms, floor: 0.10, increment: 0.01}
`

func planScenario() *scenarios.Scenario {
	sc, err := scenarios.Parse("plan-demo.yaml", []byte(planYAML))
	if err != nil {
		panic(err)
	}
	return sc
}

// planModel is a model at w×h on planScenario that has seen frames at
// 9.9 s and 10 s; with fork, the world was forked at 5 s and B's rival
// disabled, and the frames are at 29.9 s and 30 s, so the fork panel has
// differences to show.
func planModel(t testing.TB, w, h int, fork bool) (*model, *fakeLink, *[]exportCall) {
	t.Helper()
	sc := planScenario()
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	var f *sim.Fork
	if fork {
		eng.RunUntil(5 * sim.Second)
		f = sim.NewFork(eng, sim.Second, nil)
		if err := f.Apply(sim.SetEnabled{Bidder: "rival", Enabled: false}); err != nil {
			t.Fatal(err)
		}
	}
	frame := func(at sim.Time, wall time.Time) runner.Frame {
		if f == nil {
			eng.RunUntil(at)
			return frameOf(sc, eng.Snapshot(), wall, 0)
		}
		f.RunUntil(at)
		fr := frameOf(sc, f.B.Snapshot(), wall, 0)
		fr.Fork = &runner.ForkFrame{A: f.A.Snapshot(), At: 5 * sim.Second, Every: sim.Second, Batch: f.Batch(), Differences: f.Differences()}
		return fr
	}
	at := 10 * sim.Second
	if fork {
		// 60 intervals after the fork: the batches span the world's
		// memory (sim.Engine.Memory), so that after 25 the rival's
		// absence was, rightly, not yet distinguishable.
		at = 65 * sim.Second
	}
	first := frame(at-100*sim.Millisecond, t0)
	return recordingModel(t, sc, w, h, first, frame(at, t0.Add(100*time.Millisecond)))
}

// TestMoveBudgetForm: m opens the form with a tenth of the group's total,
// typed digits replace it, ↑/↓ pick another member of the group, enter
// sends one MoveBudget, and the shown budgets move at once with the total
// kept.
func TestMoveBudgetForm(t *testing.T) {
	m, l, _ := planModel(t, 120, 40, false)
	press(m, "m")
	f, ok := m.ctx.top().(*budgetForm)
	if !ok {
		t.Fatalf("m opened %T (status %q)", m.ctx.top(), m.ctx.status)
	}
	if f.input.Value() != "20" || !reflect.DeepEqual(f.dests, []string{"acme-prospect"}) {
		t.Errorf("default amount %q, destinations %v", f.input.Value(), f.dests)
	}
	if v := m.View(); !strings.Contains(v, "Move budget from acme-retarget") || !strings.Contains(v, "▸acme-prospect") {
		t.Errorf("the form is not on screen:\n%s", v)
	}
	for _, k := range []string{"3", "5", ".", "5"} {
		press(m, k)
	}
	press(m, "down") // one destination: stays
	press(m, "enter")
	want := []runner.Command{runner.Apply{Change: sim.MoveBudget{From: "acme-retarget", To: "acme-prospect", Amount: sim.MoneyOf(35.5)}}}
	if got := l.cmds(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sent %#v, want %#v", got, want)
	}
	if _, ok := m.ctx.top().(*dashboard); !ok {
		t.Error("the form stayed open after enter")
	}
	a, b := m.ctx.Shown.bidders[0].budget, m.ctx.Shown.bidders[1].budget
	if a != sim.MoneyOf(64.5) || b != sim.MoneyOf(135.5) || a+b != sim.MoneyOf(200) {
		t.Errorf("shown budgets %v and %v", a.Float(), b.Float())
	}
	if !strings.Contains(m.ctx.status, "group acme total stays 200") {
		t.Errorf("status %q", m.ctx.status)
	}
}

// TestMoveFormAfterEmptying: once a move has taken all a member has left
// to move, m on it opens the form from the move's destination, which
// has budget left, the emptied member its first destination, and says
// so; before, the form moved from the emptied member (0.00 left), which
// sim could only refuse. With no move made, the member with budget left
// is the source; a member with budget left stays its own.
func TestMoveFormAfterEmptying(t *testing.T) {
	m, l, _ := planModel(t, 120, 40, false)
	snap := m.ctx.Snap()
	left := snap.Bidders[0].Budget - snap.Bidders[0].Spend
	all := centsDown(left.Float())
	press(m, "m")
	for _, k := range strconv.FormatFloat(all, 'f', 2, 64) {
		press(m, string(k))
	}
	press(m, "enter")
	if got := l.cmds(); len(got) != 1 {
		t.Fatalf("the move sent %#v", got)
	}
	if rest := m.ctx.Shown.bidders[0].budget - snap.Bidders[0].Spend; rest >= sim.MoneyOf(0.01) {
		t.Fatalf("acme-retarget has %v left after moving %v of %v", rest.Float(), all, left.Float())
	}
	press(m, "m")
	f, ok := m.ctx.top().(*budgetForm)
	if !ok {
		t.Fatalf("m on the emptied member opened %T (status %q)", m.ctx.top(), m.ctx.status)
	}
	if f.from != "acme-prospect" || len(f.dests) == 0 || f.dests[0] != "acme-retarget" {
		t.Errorf("after emptying acme-retarget the form moves from %s to %v; want from acme-prospect, to acme-retarget first", f.from, f.dests)
	}
	if v := m.View(); !strings.Contains(v, "Move budget from acme-prospect") || !strings.Contains(v, "acme-retarget has no budget left to move: moving from acme-prospect") {
		t.Errorf("the form or the status does not say where it moves from:\n%s", v)
	}
	press(m, "enter")
	want := runner.Apply{Change: sim.MoveBudget{From: "acme-prospect", To: "acme-retarget", Amount: sim.MoneyOf(20)}}
	if got := l.cmds(); len(got) != 2 || !reflect.DeepEqual(got[1], want) {
		t.Errorf("enter sent %#v, want %#v", got, want)
	}

	// No move made: the member with budget left.
	from := func() string {
		if f, ok := m.ctx.top().(*budgetForm); ok {
			return f.from
		}
		return fmt.Sprintf("no form (%T)", m.ctx.top())
	}
	m, _, _ = planModel(t, 120, 40, false)
	m.ctx.Shown.bidders[0].budget = m.ctx.Snap().Bidders[0].Spend
	press(m, "m")
	if got := from(); got != "acme-prospect" {
		t.Errorf("m on a member with nothing left moves from %s, want acme-prospect", got)
	}
	press(m, "esc")
	m.ctx.Shown.bidders[0].budget += sim.MoneyOf(1)
	press(m, "m")
	if got := from(); got != "acme-retarget" {
		t.Errorf("m on a member with 1.00 left moves from %s, want itself", got)
	}
}

// TestMoveBudgetUngrouped: a bidder without a group moves budget to any
// other bidder with a budget; ↑/↓ cycle through them.
func TestMoveBudgetUngrouped(t *testing.T) {
	m, l, _ := planModel(t, 120, 40, false)
	for range 3 {
		press(m, "j")
	}
	press(m, "m")
	f := m.ctx.top().(*budgetForm)
	if !reflect.DeepEqual(f.dests, []string{"acme-retarget", "acme-prospect"}) || f.input.Value() != "5" {
		t.Fatalf("destinations %v, amount %q", f.dests, f.input.Value())
	}
	press(m, "down")
	press(m, "enter")
	want := []runner.Command{runner.Apply{Change: sim.MoveBudget{From: "solo", To: "acme-prospect", Amount: sim.MoneyOf(5)}}}
	if got := l.cmds(); !reflect.DeepEqual(got, want) {
		t.Errorf("sent %#v, want %#v", got, want)
	}
}

// TestBudgetFormRefusals: nothing is sent for a bidder without a budget,
// for esc, or for an amount that is not a number (the form stays open).
func TestBudgetFormRefusals(t *testing.T) {
	m, l, _ := planModel(t, 120, 40, false)
	press(m, "j")
	press(m, "j") // rival: no budget
	press(m, "m")
	if _, ok := m.ctx.top().(*dashboard); !ok || !m.ctx.warn || !strings.Contains(m.ctx.status, "no budget") {
		t.Errorf("m on an unlimited bidder: top %T, status %q", m.ctx.top(), m.ctx.status)
	}
	press(m, "k")
	press(m, "m")
	press(m, "esc")
	if _, ok := m.ctx.top().(*dashboard); !ok {
		t.Error("esc did not close the form")
	}
	press(m, "m")
	press(m, ".")
	press(m, "enter")
	if _, ok := m.ctx.top().(*budgetForm); !ok || !m.ctx.warn {
		t.Errorf("a bad amount: top %T, status %q", m.ctx.top(), m.ctx.status)
	}
	press(m, "x") // not a digit: refused, not typed
	if !strings.Contains(m.ctx.status, "digits") {
		t.Errorf("status %q", m.ctx.status)
	}
	if len(l.sent) != 0 {
		t.Errorf("sent %#v", l.cmds())
	}
}

// TestSetBudgetForm: = sets the selected bidder's budget to the typed
// amount.
func TestSetBudgetForm(t *testing.T) {
	m, l, _ := planModel(t, 120, 40, false)
	press(m, "j")
	press(m, "=")
	if f, ok := m.ctx.top().(*budgetForm); !ok || f.move || f.input.Value() != "100" {
		t.Fatalf("= opened %T", m.ctx.top())
	}
	press(m, "1")
	press(m, "5")
	press(m, "0")
	press(m, "enter")
	want := []runner.Command{runner.Apply{Change: sim.SetBudget{Bidder: "acme-prospect", Total: sim.MoneyOf(150)}}}
	if got := l.cmds(); !reflect.DeepEqual(got, want) {
		t.Errorf("sent %#v, want %#v", got, want)
	}
	if m.ctx.Shown.bidders[1].budget != sim.MoneyOf(150) {
		t.Errorf("shown budget %v", m.ctx.Shown.bidders[1].budget.Float())
	}
	// A group member's: the status says the group's total drifts, as b's
	// does.
	if !strings.Contains(m.ctx.status, "group acme's total changes: m moves budget and keeps it") {
		t.Errorf("status %q, want the group's total drifting, as b says it", m.ctx.status)
	}
}

// TestBudgetFormsEditTheEnd: in the = and m forms, backspace edits the
// amount from its end, as in any field: 100, backspace and 5 is 105.
func TestBudgetFormsEditTheEnd(t *testing.T) {
	for _, key := range []string{"=", "m"} {
		m, _, _ := planModel(t, 120, 40, false)
		press(m, "j")
		press(m, key)
		f, ok := m.ctx.top().(*budgetForm)
		if !ok {
			t.Fatalf("%s opened %T", key, m.ctx.top())
		}
		typed := strings.TrimSuffix(f.input.Value(), "0") + "5" // 100 → 105
		press(m, "backspace")
		press(m, "5")
		if got := f.input.Value(); got != typed {
			t.Errorf("%s: %q after backspace and 5, want %q", key, got, typed)
		}
	}
}

// TestBudgetStepOnGroupPointsToMove: b on a group member still steps its
// budget, and the status says the group's total changes and m keeps it.
func TestBudgetStepOnGroupPointsToMove(t *testing.T) {
	m, l, _ := planModel(t, 120, 40, false)
	press(m, "b")
	if len(l.sent) != 1 || !strings.Contains(m.ctx.status, "m moves budget and keeps it") {
		t.Errorf("sent %d, status %q", len(l.sent), m.ctx.status)
	}
}

// TestForkKeys: c forks; forked, c asks before dropping A: n keeps the
// fork, y ends it.
func TestForkKeys(t *testing.T) {
	m, l, _ := planModel(t, 120, 40, false)
	press(m, "c")
	if got := l.cmds(); !reflect.DeepEqual(got, []runner.Command{runner.Fork{}}) {
		t.Fatalf("c sent %#v", got)
	}
	m, l, _ = planModel(t, 120, 40, true)
	press(m, "c")
	if _, ok := m.ctx.top().(*unforkConfirm); !ok {
		t.Fatalf("c while forked opened %T", m.ctx.top())
	}
	if v := m.View(); !strings.Contains(v, "End the fork and keep B?") {
		t.Error("no question on screen")
	}
	press(m, "n")
	press(m, "c")
	press(m, "esc")
	if len(l.sent) != 0 {
		t.Errorf("n or esc sent %#v", l.cmds())
	}
	press(m, "c")
	press(m, "y")
	if got := l.cmds(); !reflect.DeepEqual(got, []runner.Command{runner.Unfork{}}) {
		t.Errorf("y sent %#v", got)
	}
	if _, ok := m.ctx.top().(*dashboard); !ok {
		t.Error("the question stayed")
	}
}

// TestForkPanel: forked, the panel shows A, B and B − A for the group and
// each bidder, with the verdicts sim gives.
func TestForkPanel(t *testing.T) {
	m, _, _ := planModel(t, 160, 48, true)
	v := m.View()
	for _, want := range []string{"A/B fork", "since 5.00s", "Σ acme", "B higher", "B lower"} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q on the forked screen:\n%s", want, v)
		}
	}
	for _, d := range m.ctx.Frame.Fork.Differences {
		if (d.Name == "groups.acme.incremental_value" || d.Name == "groups.acme.eventual.incremental_value") && !(d.Lo > 0) {
			t.Errorf("rival off in B: acme's incremental value %+v", d)
		}
	}
	// The group's row compares the eventual incremental value (the
	// conversions pending counted), with room the matured one under it.
	var rows []string
	for _, l := range strings.Split(v[strings.Index(v, "A/B fork"):], "\n") {
		if strings.Contains(l, "Σ acme") || len(rows) > 0 && len(rows) < 3 {
			rows = append(rows, strings.Join(strings.Fields(l), " "))
		}
	}
	if len(rows) != 3 || !strings.HasPrefix(rows[0], "Σ acme incr eventual ") || !strings.HasPrefix(rows[1], "spend ") || !strings.HasPrefix(rows[2], "incr matured ") {
		t.Errorf("acme's rows %q, want incr eventual, spend, incr matured", rows)
	}
}

// TestForkPanelFigures: A and B are written so that B − A can be checked
// from them: money to B − A's decimals, its thousands separated ("3,966
// 11,734 +176 ± 92"; it read "4.0k 11.7k +176 ± 92"), and where that
// does not fit the column, both compact as the groups write money
// ("4.0k" beside "1.2M", never "3966" beside "11.7k"); a count (wins) as
// the bidders table, its thousands separated.
func TestForkPanelFigures(t *testing.T) {
	for _, c := range []struct {
		w, h        int
		a, b        float64
		acme, rival []string
	}{
		{80, 24, 3966, 11734, []string{" 3,966 ", " 11,734 ", " +176 ± 92 "}, []string{" 3,966 ", " 11,734 "}},
		{160, 48, 3966, 11734, []string{" 3,966 ", " 11,734 ", " +176 ± 92 "}, []string{" 3,966 ", " 11,734 "}},
		// 1,234,567 passes the 6 cells at 80 columns: both compact.
		{80, 24, 3966, 1234567, []string{" 4.0k ", " 1.2M "}, []string{" 3,966 ", " 1.23M "}},
		{160, 48, 3966, 1234567, []string{" 3,966 ", " 1,234,567 "}, []string{" 3,966 ", " 1,234,567 "}},
	} {
		m, _, _ := planModel(t, c.w, c.h, true)
		ff := m.ctx.Frame.Fork
		found := 0
		for i, d := range ff.Differences {
			switch d.Name {
			case "bidders.rival.wins", "groups.acme.eventual.incremental_value":
				ff.Differences[i].A, ff.Differences[i].B = c.a, c.b
				found++
			}
		}
		if found != 2 {
			t.Fatalf("%d of the 2 differences the test sets", found)
		}
		// rival's row is below the room at 80×24: select it.
		for range 2 {
			press(m, "j")
		}
		v := m.View()
		i := strings.Index(v, "A/B fork")
		if i < 0 {
			t.Fatalf("%d×%d: no fork panel:\n%s", c.w, c.h, v)
		}
		lines := strings.Split(v[i:], "\n")
		row := func(name string) string {
			for _, l := range lines {
				if strings.Contains(l, name) {
					return l
				}
			}
			t.Fatalf("%d×%d: no %q row:\n%s", c.w, c.h, name, strings.Join(lines, "\n"))
			return ""
		}
		for name, want := range map[string][]string{"Σ acme": c.acme, "rival  ": c.rival} {
			l := row(name)
			for _, w := range want {
				if !strings.Contains(l, w) {
					t.Errorf("%d×%d: the %q row lacks %q: %q", c.w, c.h, name, w, l)
				}
			}
			if strings.Contains(l, "3966 ") {
				t.Errorf("%d×%d: the %q row writes 3966 unformatted: %q", c.w, c.h, name, l)
			}
		}
	}
}

// TestForkFigures: A and B take B − A's decimals and unit, fewer (both
// alike) where they do not fit, and the compact money format where even
// none do not or B − A has no precision to share; a count stays whole.
func TestForkFigures(t *testing.T) {
	for _, c := range []struct {
		short, diff string
		a, b        float64
		w           int
		wa, wb      string
	}{
		{"incremental_value", "+98 ± 80", 1567.4, 1665.2, 6, "1,567", "1,665"},
		{"spend", "+0.1 ± 1.4", 599.69, 599.78, 9, "599.7", "599.8"},
		{"spend", "-0.94 ± 0.28", 12.5, 11.56, 6, "12.50", "11.56"},
		{"spend", "-0.94 ± 0.28", 1212.6, 1211.56, 6, "1,213", "1,212"}, // fewer decimals, both alike
		{"spend", "+1.23k ± 0.00k", 1000, 2234.5, 6, "1.00k", "2.23k"},
		{"spend", "0", 1234.6, 1234.6, 9, "1,235", "1,235"},
		{"spend", "-0.001", -0.0004, 0.2, 9, "0.000", "0.200"},                // not "-0.000"
		{"incremental_value", "+98 ± 80", 1567.4, 1234567, 6, "1.6k", "1.2M"}, // too wide: compact
		{"incremental_value", "–", 1567.4, 1665.2, 6, "1.6k", "1.7k"},
		{"incremental_value", "+1.235e+06", 1, 1234568, 9, "1.00", "1.2M"},
		{"wins", "+98 ± 80", 1567, 1665, 6, "1,567", "1,665"},
	} {
		a, b := forkFigures(c.short, c.a, c.b, c.w, c.diff)
		if a != c.wa || b != c.wb {
			t.Errorf("forkFigures(%q, %v, %v, %d, %q) = %q, %q; want %q, %q", c.short, c.a, c.b, c.w, c.diff, a, b, c.wa, c.wb)
		}
	}
}

// TestForkMaturedRowFills: the group's spend and matured incremental
// value rows come whenever the panel has the rows for them with every
// bidder shown: at budget-split's 160×48 a blank row was left under the
// bidders and no incr matured row shown.
func TestForkMaturedRowFills(t *testing.T) {
	m, _, _ := planModel(t, 160, 48, true)
	snap := m.ctx.Snap()
	// The title and header, each group's three rows and each bidder's.
	h := 2 + 3*len(snap.Groups) + len(snap.Bidders)
	panel := ansi.Strip(renderFork(m.ctx, 160, h))
	if !strings.Contains(panel, "incr matured") || !strings.Contains(panel, " spend ") {
		t.Errorf("%d rows, room for spend and incr matured:\n%s", h, panel)
	}
	for _, b := range snap.Bidders {
		if !strings.Contains(panel, b.Name) {
			t.Errorf("%d rows: no %s:\n%s", h, b.Name, panel)
		}
	}
	if panel := ansi.Strip(renderFork(m.ctx, 160, h-1)); strings.Contains(panel, "incr matured") {
		t.Errorf("%d rows: incr matured in place of a bidder:\n%s", h-1, panel)
	}
}

// TestChangesMarkB: forked, a change made after the fork, which went to
// B alone, is marked "B: " in the change log, unlike the same change
// made before the fork (in both): two identical lines read apart. The
// one-line change log marks it too; unforked, nothing is marked.
func TestChangesMarkB(t *testing.T) {
	sc := planScenario()
	eng := engineAt(t, sc, 2*sim.Second)
	move := sim.MoveBudget{From: "acme-retarget", To: "acme-prospect", Amount: sim.MoneyOf(10)}
	if err := eng.Apply(move); err != nil {
		t.Fatal(err)
	}
	f := sim.NewFork(eng, sim.Second, nil)
	if err := f.Apply(move); err != nil {
		t.Fatal(err)
	}
	frame := func(at sim.Time) runner.Frame {
		f.RunUntil(at)
		fr := frameOf(sc, f.B.Snapshot(), t0, 0)
		fr.Fork = &runner.ForkFrame{A: f.A.Snapshot(), At: 2 * sim.Second, Every: sim.Second, Batch: f.Batch(), Differences: f.Differences()}
		return fr
	}
	m, _, _ := recordingModel(t, sc, 120, 40, frame(3*sim.Second), frame(4*sim.Second))
	text := scenarios.ChangeText(move)
	var rows []string
	for _, l := range strings.Split(ansi.Strip(changesPanel(m.ctx, 120, 6)), "\n") {
		if strings.Contains(l, text) {
			rows = append(rows, strings.TrimSpace(l))
		}
	}
	if want := []string{"2.00s  B: " + text, "2.00s  " + text}; !slices.Equal(rows, want) {
		t.Errorf("the change log's rows %q, want %q", rows, want)
	}
	if l := ansi.Strip(changesLine(m.ctx, 120, "")); !strings.Contains(l, "2.00s B: "+text) {
		t.Errorf("one line: %q, want B: marked", l)
	}
	fr := m.ctx.Frame
	fr.Fork = nil
	m.Update(frameMsg(fr))
	if p := ansi.Strip(changesPanel(m.ctx, 120, 6)); strings.Contains(p, "B: ") {
		t.Errorf("unforked, a change marked B:\n%s", p)
	}
}

// TestForkExport: e while forked writes both summaries and the
// differences.
func TestForkExport(t *testing.T) {
	m, _, _ := planModel(t, 120, 40, true)
	msg := press(m, "e")()
	em, ok := msg.(exportedMsg)
	if !ok || em.err != nil || !strings.Contains(em.path, "-fork-1.json") {
		t.Fatalf("export: %#v", msg)
	}
	var out struct {
		Baseline, Variant struct {
			Bidders []struct {
				Name    string `json:"name"`
				Enabled bool   `json:"enabled"`
			} `json:"bidders"`
		}
		BatchSeconds *float64 `json:"batch_seconds"`
		Metrics      map[string]struct {
			Baseline, Variant float64
			Diff              struct{ Mean, Lo, Hi *float64 }
			Verdict           string
		}
	}
	readExport(t, em.path, &out)
	if !out.Baseline.Bidders[2].Enabled || out.Variant.Bidders[2].Enabled {
		t.Error("the rival is off in the baseline or on in the variant")
	}
	if want := m.ctx.Frame.Fork.Batch.Seconds(); out.BatchSeconds == nil || *out.BatchSeconds != want || want <= 1 {
		t.Errorf("batch_seconds %v, want %g, the world's memory", out.BatchSeconds, want)
	}
	w, ok := out.Metrics["bidders.rival.wins"]
	if !ok || w.Diff.Mean == nil || *w.Diff.Mean != w.Variant-w.Baseline || w.Diff.Hi == nil || !(*w.Diff.Hi < 0) || w.Verdict != "B lower" {
		t.Errorf("bidders.rival.wins: %+v", w)
	}
	// Differences of money are whole micro-units, not float noise such as
	// -7.1e-14; value and ROAS both ways are compared for the group and
	// each bidder with an outcome.
	for name, x := range out.Metrics {
		if !strings.HasSuffix(name, ".spend") && name != "exchange.revenue" {
			continue
		}
		if micro := *x.Diff.Mean * float64(sim.MoneyUnit); math.Abs(micro-math.Round(micro)) > 1e-6 {
			t.Errorf("%s: B − A %v is not a whole amount of money", name, *x.Diff.Mean)
		}
	}
	for _, who := range []string{"groups.acme", "bidders.acme-retarget", "bidders.acme-prospect"} {
		v, s := out.Metrics[who+".attributed_value"], out.Metrics[who+".spend"]
		if !(v.Baseline > 0) || !(s.Baseline > 0) {
			t.Errorf("%s: attributed value %+v, spend %+v", who, v, s)
			continue
		}
		for _, kind := range []string{"attributed", "incremental"} {
			r, ok := out.Metrics[who+"."+kind+"_roas"]
			num := out.Metrics[who+"."+kind+"_value"]
			if !ok || math.Abs(r.Baseline-num.Baseline/s.Baseline) > 1e-9 || math.Abs(r.Variant-num.Variant/s.Variant) > 1e-9 {
				t.Errorf("%s %s ROAS %+v, value %+v, spend %+v", who, kind, r, num, s)
			}
		}
	}
}

// TestGroupRows: the table has a total row for the group under its
// members, and a member behind its budget is flagged with the reason.
func TestGroupRows(t *testing.T) {
	m, _, _ := planModel(t, 160, 48, false)
	lines := strings.Split(m.View(), "\n")
	row := -1
	for i, l := range lines {
		if strings.Contains(l, "Σ acme") {
			row = i
		}
	}
	if row < 2 || !strings.Contains(lines[row-1], "acme-prospect") {
		t.Fatalf("no group row under acme-prospect:\n%s", strings.Join(lines, "\n"))
	}
	g, _ := m.ctx.Snap().FindGroup("acme")
	if !strings.Contains(lines[row], fmt.Sprintf("/%.0f", g.Budget.Float())) {
		t.Errorf("the group row does not show its budget %v: %q", g.Budget.Float(), lines[row])
	}
	// The flag, on a bidder sim flags: solo's values are below the market.
	for range 3 {
		press(m, "j")
	}
	b := m.ctx.Snap().Bidders[3]
	if b.Unspent == sim.UnspentNone {
		t.Skip("solo is not behind its budget at 10 s; nothing to show")
	}
	if v := m.View(); !strings.Contains(v, "solo unspent: "+b.Unspent.Explain()[:20]) {
		t.Errorf("no reason for solo's flag on screen")
	}
}

// TestViewGoldenPlanner: the move form and the forked panels at 80×24 and
// 160×48 (refresh with -update and read the diff).
func TestViewGoldenPlanner(t *testing.T) {
	for _, tt := range []struct {
		name string
		fork bool
		keys []string
		w, h int
	}{
		{"move-80x24", false, []string{"m"}, 80, 24},
		{"move-160x48", false, []string{"m"}, 160, 48},
		{"forked-80x24", true, nil, 80, 24},
		{"forked-160x48", true, nil, 160, 48},
		{"unfork-question-80x24", true, []string{"c"}, 80, 24},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, _, _ := planModel(t, tt.w, tt.h, tt.fork)
			for _, k := range tt.keys {
				press(m, k)
			}
			v := m.View()
			checkScreen(t, v, tt.w, tt.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// TestPlannerFlow is the planner's session end to end on the real runner:
// paused at t = 0, move budget within the group (the total unchanged),
// fork, make a change in B, run, read whether B beats A with an interval,
// end the fork keeping B, and export a run whose change log replays the
// move.
func TestPlannerFlow(t *testing.T) {
	sc := planScenario()
	dir := t.TempDir()
	m, r, pump := liveModel(t, sc, modelOptions{export: report.WriteWith, exportDir: dir})
	// Move 30 from retarget to prospect at t = 0.
	press(m, "m")
	press(m, "3")
	press(m, "0")
	press(m, "enter")
	pump()
	snap := m.ctx.Snap()
	g, _ := snap.FindGroup("acme")
	if snap.Now != 0 || g.Budget != sim.MoneyOf(200) || snap.Bidders[0].Budget != sim.MoneyOf(70) || snap.Bidders[1].Budget != sim.MoneyOf(130) {
		t.Fatalf("after the move at %v: group %v, members %v and %v", snap.Now, g.Budget.Float(), snap.Bidders[0].Budget.Float(), snap.Bidders[1].Budget.Float())
	}
	if c := snap.Changes; len(c) != 1 || c[0].Change.Kind() != sim.KindMoveBudget || c[0].At != 0 {
		t.Fatalf("change log %+v", c)
	}
	// Fork, and in B switch the rival off.
	press(m, "c")
	pump()
	if m.ctx.Frame.Fork == nil {
		t.Fatal("not forked")
	}
	press(m, "j")
	press(m, "j")
	press(m, "x")
	pump()
	if a, b := m.ctx.Frame.Fork.A.Bidders[2].Enabled, m.ctx.Snap().Bidders[2].Enabled; !a || b {
		t.Fatalf("rival enabled: A %v, B %v", a, b)
	}
	press(m, "+") // 2×, then max
	for m.ctx.Shown.speed < math.Inf(1) {
		press(m, "+")
	}
	press(m, " ")
	pump()
	deadline := time.After(waitLimit)
	for m.ctx.Snap().Now < 60*sim.Second {
		select {
		case f := <-r.Frames():
			m.Update(frameMsg(f))
		case <-deadline:
			t.Fatal("the run did not reach 60 s")
		}
	}
	press(m, " ")
	pump()
	var acme sim.Difference
	for _, d := range m.ctx.Frame.Fork.Differences {
		if d.Name == "groups.acme.incremental_value" {
			acme = d
		}
	}
	if !(acme.Lo > 0) || acme.Verdict() != "B higher" {
		t.Errorf("without the rival acme should gain: %+v", acme)
	}
	if v := m.View(); !strings.Contains(v, "B higher") {
		t.Errorf("the screen does not say B is higher:\n%s", v)
	}
	// End the fork, keeping B; export; the export replays the move.
	press(m, "c")
	press(m, "y")
	pump()
	if m.ctx.Frame.Fork != nil {
		t.Fatal("still forked")
	}
	exported := m.ctx.Snap()
	_, rep := exportReplay(t, m)
	if len(rep.Changes) != 2 || rep.Changes[0].Change != (sim.MoveBudget{From: "acme-retarget", To: "acme-prospect", Amount: sim.MoneyOf(30)}) {
		t.Fatalf("replayed changes %+v", rep.Changes)
	}
	cfg := sc.WithSeed(rep.Seed).Config
	eng := replayTo(t, cfg, rep)
	if got := eng.Snapshot(); got.Exchange != exported.Exchange || !reflect.DeepEqual(got.Groups, exported.Groups) {
		t.Errorf("the replay differs:\n got %+v\nwant %+v", got.Exchange, exported.Exchange)
	}
}

// TestHoldoutNote: a selected bidder with a holdout shows its measured
// incremental ROAS with the interval sim computes, beside the attributed
// and the true figure.
func TestHoldoutNote(t *testing.T) {
	sc := bundled(t, "incrementality-test")
	m := ranModel(t, sc, 120*sim.Second, 160)
	for i, b := range m.ctx.Snap().Bidders {
		if b.Holdout == nil {
			continue
		}
		m.ctx.Selected = i
		m.refresh()
		iv := b.Holdout.MeasuredIncrementalROAS()
		want := fmt.Sprintf("measured iROAS %.2f [%.2f, %.2f]", iv.Mean, iv.Lo, iv.Hi)
		profit := "profit " + format.CompactMoney(b.IncrementalProfit())
		if v := m.View(); !strings.Contains(v, want) || !strings.Contains(v, profit) {
			t.Errorf("no %q or %q for %s on screen", want, profit, b.Name)
		}
		return
	}
	t.Fatal("incrementality-test has no bidder with a holdout")
}

// TestForkVerdictFits: at every common width the fork panel's verdict is
// whole words, never cut to "not distinguisha…".
func TestForkVerdictFits(t *testing.T) {
	for _, w := range []int{80, 90, 100, 110, 120, 130, 140, 160, 200} {
		m, _, _ := planModel(t, w, 40, true)
		found := false
		for _, l := range strings.Split(m.View(), "\n") {
			if !strings.Contains(l, "solo") || !strings.Contains(l, " ± ") {
				continue
			}
			found = true
			whole := false
			for _, v := range []string{"not distinguishable", "can't tell", "B higher", "B lower"} {
				whole = whole || strings.Contains(l, v)
			}
			if !whole || strings.Contains(l, "distinguisha…") {
				t.Errorf("at %d columns the verdict is cut: %q", w, l)
			}
		}
		if !found {
			t.Errorf("at %d columns no fork row for solo", w)
		}
	}
}

// TestDailySpendBar: a bidder with a daily budget alone shows the day in
// progress against it in the spend column, as sim counts it, rather than
// "no cap".
func TestDailySpendBar(t *testing.T) {
	sc := bundled(t, "flight-week")
	eng := engineAt(t, sc, 30*sim.Hour)
	snap := eng.Snapshot()
	m := newModel(newFakeLink(), modelOptions{scenario: sc, theme: asciiTheme(), catalog: testCatalog()})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m.Update(frameMsg(frameOf(sc, snap, t0, 0)))
	b, _ := snap.FindBidder("acme-even")
	today := b.Days[len(b.Days)-1]
	if today.Day != 1 || today.Spend == 0 {
		t.Fatalf("today %+v", today)
	}
	want := fmt.Sprintf("day 1 %s/%s", format.CompactMoney(today.Spend.Float()), format.CompactMoney(today.Budget.Float()))
	v := m.View()
	if !strings.Contains(v, want) {
		t.Errorf("no %q on screen:\n%s", want, v)
	}
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "acme-even") && strings.Contains(l, "no cap") {
			t.Errorf("a daily budget shown as no cap: %s", l)
		}
	}
}

// TestHoldoutNoteByPerson: a holdout by person says it holds out people,
// and its true figure is the test's own truth, which is the bidder's
// incremental ROAS, not its caused conversions'.
func TestHoldoutNoteByPerson(t *testing.T) {
	sc, _, err := scenarios.ResolveWith("incrementality-test", []scenarios.Set{
		{Path: "traffic.users", Value: "{count: 5000, skew: 1}", Flag: "--set"},
		{Path: "bidders.retarget.outcome.baseline_cvr", Value: "0.05", Flag: "--set"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := ranModel(t, sc, 90*sim.Second, 200)
	i := slices.IndexFunc(m.ctx.Snap().Bidders, func(b sim.BidderStats) bool { return b.Name == "retarget" })
	if i < 0 {
		t.Fatal("no retarget")
	}
	b := m.ctx.Snap().Bidders[i]
	h := b.Holdout
	if h == nil || h.Unit != sim.HoldoutByPerson {
		t.Fatalf("retarget's holdout %+v, want one by person", h)
	}
	truth, caused := format.ROAS(h.TrueIncrementalROAS()), format.ROAS(b.CausedROAS())
	if truth == caused || truth != format.ROAS(b.IncrementalROAS()) {
		t.Fatalf("the test's truth %s, the bidder's incremental ROAS %s, caused %s: want the first two alike, the third apart",
			truth, format.ROAS(b.IncrementalROAS()), caused)
	}
	m.ctx.Selected = i
	m.refresh()
	v := m.View()
	for _, want := range []string{"retarget holdout 10.0% of people: measured iROAS", "true " + truth} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q on screen:\n%s", want, v)
		}
	}
}

// ranModel is a dashboard of width w (48 rows) showing sc's engine run
// until at, as one frame.
func ranModel(t *testing.T, sc *scenarios.Scenario, at sim.Time, w int) *model {
	t.Helper()
	eng := engineAt(t, sc, at)
	m := newModel(newFakeLink(), modelOptions{scenario: sc, theme: asciiTheme(), catalog: testCatalog()})
	m.Update(tea.WindowSizeMsg{Width: w, Height: 48})
	m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0, 0)))
	return m
}

// TestForkDiffPrecisionAndEnd: the fork panel prints B − A and its
// half-width to the same decimals, as compare does (42 ± 88.53 reads
// "+42 ± 89", not "+42 ± 88.53"; large ones in thousands, both alike),
// and an undecided difference is "not distinguishable yet" while the run
// goes on, "not distinguishable" once it has ended.
func TestForkDiffPrecisionAndEnd(t *testing.T) {
	m, _, _ := planModel(t, 200, 50, true)
	fr := m.ctx.Frame
	fork := *fr.Fork
	// 10 intervals, each B − A 4.2 ± 8.853: in total 42 ± 88.53, undecided;
	// and 1,234,567,890 ± 456,789,010, decided, too wide for the column
	// (20 cells) but in thousands.
	undecided := sim.Difference{Name: "groups.acme.eventual.incremental_value", A: 100, B: 142, Delta: 42,
		BatchMean: sim.BatchMean{N: 10, Batches: 10, Mean: 4.2, SD: 1, Lo: 4.2 - 8.853, Hi: 4.2 + 8.853}}
	large := sim.Difference{Name: "groups.acme.spend", A: 1e9, B: 2.23456789e9, Delta: 1.23456789e9,
		BatchMean: sim.BatchMean{N: 10, Batches: 10, Mean: 1.23456789e8, SD: 1, Lo: 1.23456789e8 - 4.5678901e7, Hi: 1.23456789e8 + 4.5678901e7}}
	if undecided.Verdict() != "not distinguishable yet" || large.Verdict() != "B higher" {
		t.Fatalf("verdicts %q, %q", undecided.Verdict(), large.Verdict())
	}
	fork.Differences = []sim.Difference{undecided, large}
	fr.Fork = &fork
	row := func(name string) string {
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, name) && strings.Contains(l, " ± ") {
				return l
			}
		}
		t.Fatalf("no fork row %q:\n%s", name, m.View())
		return ""
	}
	m.Update(frameMsg(fr))
	l := row("Σ acme")
	if !strings.Contains(l, "+42 ± 89 ") || strings.Contains(l, "88.5") || !strings.HasSuffix(strings.TrimSpace(l), "not distinguishable yet") {
		t.Errorf("running: %q, want +42 ± 89 and not distinguishable yet", l)
	}
	if v := exportedVerdict(t, m, "groups.acme.eventual.incremental_value"); v != "not distinguishable yet" {
		t.Errorf("running: the export's verdict is %q, want not distinguishable yet", v)
	}
	spend := ""
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(l, " spend ") && strings.Contains(l, "B higher") {
			spend = l
		}
	}
	if want := "+1234568k ± 456789k"; !strings.Contains(spend, want) {
		t.Errorf("large: %q, want %q", spend, want)
	}
	ended := fr
	ended.Ended = true
	m.Update(frameMsg(ended))
	l = row("Σ acme")
	if !strings.HasSuffix(strings.TrimSpace(l), "not distinguishable") || strings.Contains(l, "yet") || !strings.Contains(m.View(), "ended") {
		t.Errorf("ended: %q, want not distinguishable, no yet", l)
	}
	// The export (e) says what the panel says: no "yet" once ended.
	if v := exportedVerdict(t, m, "groups.acme.eventual.incremental_value"); v != "not distinguishable" {
		t.Errorf("ended: the export's verdict is %q, want not distinguishable as on screen", v)
	}
}

// exportedVerdict presses e on a forked dashboard and reads metric's
// verdict from the export.
func exportedVerdict(t *testing.T, m *model, metric string) string {
	t.Helper()
	em, ok := press(m, "e")().(exportedMsg)
	if !ok || em.err != nil {
		t.Fatalf("export: %#v", em)
	}
	var out struct {
		Metrics map[string]struct{ Verdict string }
	}
	readExport(t, em.path, &out)
	return out.Metrics[metric].Verdict
}

// TestForkDiffSeparated: B − A ± its half-width has its thousands
// separated as the panel's A and B are, its decimals as compare's;
// where the separators alone would not fit, it reads as compare prints
// it.
func TestForkDiffSeparated(t *testing.T) {
	for _, c := range []struct {
		mean, half float64
		width      int
		want       string
	}{
		{38590, 562, 15, "+38,590 ± 562"},
		{-3484, 118, 15, "-3,484 ± 118"},
		{1234.5, 0.25, 17, "+1,234.50 ± 0.25"},
		{82, 43, 15, "+82 ± 43"},
		{-0.94, 0.28, 15, "-0.94 ± 0.28"},
		{1234.5, 0.25, 16, "+1234.50 ± 0.25"}, // separated, 16 cells: too wide
		{123456, 1234, 15, "+123456 ± 1234"},  // as much
		{-1.5e6, 2e4, 15, "-1,500k ± 20k"},    // too wide in units: in thousands
		// A narrow half-width: in thousands with fewer decimals, not
		// compare's five, which would push it on to billions.
		{1234.5, 0.25, 15, "+1.23k ± 0.00k"},
		{-98765.4, 3.2, 14, "-98.8k ± 0.0k"},
	} {
		if got := forkDiff(c.mean, c.half, c.width); got != c.want {
			t.Errorf("forkDiff(%v, %v, %d) = %q, want %q", c.mean, c.half, c.width, got, c.want)
		}
	}
}

// TestForkLevel: the title says when a fork's first interval comes while
// its batches, held to the world's memory, have not yet passed twice, and
// how long they are once they have; a world without memory says "95%".
func TestForkLevel(t *testing.T) {
	ff := &runner.ForkFrame{At: 5 * sim.Second, Every: sim.Second, Batch: 2 * sim.Hour}
	for _, c := range []struct {
		ff          *runner.ForkFrame
		n           int
		level, shrt string
	}{
		{ff, 100, "95% from 4h00m (batches ≥ 2h)", "95% from 4h00m"},
		{ff, 4*3600 - 1, "95% from 4h00m (batches ≥ 2h)", "95% from 4h00m"},
		{ff, 4 * 3600, "95%, batches ≥ 2h", "95%"},
		{&runner.ForkFrame{At: 5 * sim.Second, Every: sim.Second, Batch: sim.Second}, 3, "95%", "95%"},
		// A memory longer than the run has left: no interval will come.
		{&runner.ForkFrame{At: 36 * sim.Hour, Every: sim.Second, Batch: 128 * sim.Hour}, 100, "no 95% before the stop (batches ≥ 128h)", "no 95% before the stop"},
		// A goal's memory waiting for its first conversions: its batches'
		// floor tells no instant, unless it already ends after the stop.
		{&runner.ForkFrame{At: 5 * sim.Second, Every: sim.Second, Batch: 26 * sim.Hour, Waits: "initech-cpa"}, 100,
			"95% waits for initech-cpa's first conversions (batches ≥ 26h so far)", "95% waits for conversions"},
		{&runner.ForkFrame{At: 130 * sim.Hour, Every: sim.Second, Batch: 26 * sim.Hour, Waits: "initech-cpa"}, 100,
			"no 95% before the stop (batches ≥ 26h)", "no 95% before the stop"},
	} {
		if level, short := forkLevel(c.ff, c.n, 168*sim.Hour, ""); level != c.level || short != c.shrt {
			t.Errorf("batch %v, %d intervals: %q, %q; want %q, %q", c.ff.Batch, c.n, level, short, c.level, c.shrt)
		}
	}
}

// TestForkRowsWithoutInterval: where no 95% interval will ever come (a
// learner in the world: the title's "no 95% while … learns"), a row
// without one says "no interval" rather than "not distinguishable yet",
// a promise never kept; without a learner it may still come, and the row
// says so. A count's B − A without an interval is whole ("+967", not
// "+967.0").
func TestForkRowsWithoutInterval(t *testing.T) {
	m, _, _ := planModel(t, 200, 50, true)
	fr := m.ctx.Frame
	fork := *fr.Fork
	const name = "solo" // its row shows wins (no outcome model)
	found := false
	var diffs []sim.Difference
	for _, d := range fork.Differences {
		if d.Name == "bidders."+name+".wins" {
			found = true
			// One batch so far: no interval.
			d = sim.Difference{Name: d.Name, A: 1000, B: 1967, Delta: 967,
				BatchMean: sim.BatchMean{N: 8, Batches: 1, Mean: 120.875, SD: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}}
		}
		diffs = append(diffs, d)
	}
	if !found {
		t.Fatalf("no %s wins among %+v", name, fork.Differences)
	}
	fork.Differences = diffs
	row := func(fork runner.ForkFrame) string {
		f := fr
		f.Fork = &fork
		m.Update(frameMsg(f))
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, " "+name+" ") && strings.Contains(l, " wins ") {
				return l
			}
		}
		t.Fatalf("no fork row for %s:\n%s", name, m.View())
		return ""
	}
	l := row(fork)
	if !strings.Contains(l, " +967  ") || strings.Contains(l, "967.0") || !strings.Contains(l, "not distinguishable yet") {
		t.Errorf("no learner: %q, want +967 and not distinguishable yet", l)
	}
	a := *fork.A
	a.Bidders = slices.Clone(a.Bidders)
	a.Bidders[len(a.Bidders)-1].Learn = &sim.LearnStats{}
	fork.A = &a
	l = row(fork)
	if !strings.Contains(m.View(), "no 95% while") {
		t.Fatalf("the title does not say no 95%%:\n%s", m.View())
	}
	if !strings.HasSuffix(strings.TrimSpace(l), "no interval") || strings.Contains(l, "distinguishable") || strings.Contains(l, "967.0") {
		t.Errorf("learner: %q, want +967 and no interval", l)
	}
	// The export (e) says what the panel says.
	if v := exportedVerdict(t, m, "bidders."+name+".wins"); v != "no interval" {
		t.Errorf("learner: the export's verdict is %q, want no interval as on screen", v)
	}
}

// TestForkCount: a count's B − A without an interval is whole, signed,
// its thousands separated, in a larger unit only when it does not fit.
func TestForkCount(t *testing.T) {
	for _, c := range []struct {
		mean  float64
		width int
		want  string
	}{
		{967, 15, "+967"}, {-1454, 15, "-1,454"}, {0.3, 15, "0"}, {-0.3, 15, "0"}, {1234567890, 12, "+1,234,568k"},
	} {
		if got := forkCount(c.mean, c.width); got != c.want {
			t.Errorf("forkCount(%v, %d) = %q, want %q", c.mean, c.width, got, c.want)
		}
	}
}

// TestChangesForkedWrapAtPath: forked, a change to B alone too long for
// the change log's panel with its "B: " goes on under itself broken
// after a '.', '=' or ',' of its path, never inside a part: format.Wordwrap
// fell back to cutting it anywhere ("…disabled=tru" over "e"). Every
// width where it takes two or three rows is tried, so that the cut falls
// at each of its characters in turn.
func TestChangesForkedWrapAtPath(t *testing.T) {
	sc := planScenario()
	eng := engineAt(t, sc, 2*sim.Second)
	f := sim.NewFork(eng, sim.Second, nil)
	off := sim.SetEnabled{Bidder: "acme-retarget", Enabled: false}
	if err := f.Apply(off); err != nil {
		t.Fatal(err)
	}
	frame := func(at sim.Time) runner.Frame {
		f.RunUntil(at)
		fr := frameOf(sc, f.B.Snapshot(), t0, 0)
		fr.Fork = &runner.ForkFrame{A: f.A.Snapshot(), At: 2 * sim.Second, Every: sim.Second, Batch: f.Batch(), Differences: f.Differences()}
		return fr
	}
	m, _, _ := recordingModel(t, sc, 120, 40, frame(3*sim.Second), frame(4*sim.Second))
	text := forkOnlyBTag + scenarios.ChangeText(off)
	if text != "B: bidders.acme-retarget.disabled=true" {
		t.Fatalf("the change reads %q", text)
	}
	for w := 30; w <= len(text)+10; w++ {
		var rows []string
		for _, l := range strings.Split(ansi.Strip(changesPanel(m.ctx, w, 8)), "\n") {
			l = strings.TrimRight(l, " ")
			switch {
			case strings.HasPrefix(strings.TrimSpace(l), "2.00s  B:"):
				rows = append(rows, strings.TrimPrefix(strings.TrimSpace(l), "2.00s  "))
			case len(rows) > 0 && strings.HasPrefix(l, strings.Repeat(" ", 10)) && strings.TrimSpace(l) != "":
				rows = append(rows, strings.TrimSpace(l))
			}
		}
		if strings.Join(rows, "") != strings.ReplaceAll(text, "B: ", "B:") && strings.Join(rows, "") != text {
			t.Errorf("width %d: rows %q do not make %q", w, rows, text)
			continue
		}
		for _, r := range rows[:len(rows)-1] {
			if !strings.ContainsAny(r[len(r)-1:], ".=,:") {
				t.Errorf("width %d: a row ends inside a part of the path: %q", w, rows)
				break
			}
		}
	}
}
