package tui

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// startProgram runs the program on sc in a 120×40 test terminal, its
// runner stopped when the test ends.
func startProgram(t *testing.T, sc *scenarios.Scenario, ro runner.Options, mo modelOptions) *teatest.TestModel {
	t.Helper()
	return startProgramSized(t, sc, ro, mo, 120, 40)
}

// startProgramSized is startProgram in a w×h test terminal.
func startProgramSized(t *testing.T, sc *scenarios.Scenario, ro runner.Options, mo modelOptions, w, h int) *teatest.TestModel {
	t.Helper()
	r, err := runner.New(worldOf(sc), ro)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(r, mo)
	r.Start()
	t.Cleanup(r.Stop)
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
}

// waitOutput waits up to limit for s on the program's output, looking
// every interval.
func waitOutput(t *testing.T, tm *teatest.TestModel, s string, limit, every time.Duration) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
		teatest.WithDuration(limit), teatest.WithCheckInterval(every))
}

// programOptions are the program tests' model options: the test theme
// and catalogue, exports discarded.
func programOptions(t *testing.T) modelOptions {
	return modelOptions{
		theme:     asciiTheme(),
		catalog:   testCatalog(),
		export:    func(string, *sim.Snapshot, report.Meta, ...report.Section) error { return nil },
		exportDir: t.TempDir(),
	}
}

// TestProgramFlow drives the real program (model, runner and engine)
// through start → pause → tmax down → one auction → inspect → quit, waiting
// at each step for the screen to show its effect.
func TestProgramFlow(t *testing.T) {
	tm := startProgram(t, testScenario(), runner.Options{}, programOptions(t))
	waitFor := func(s string) { t.Helper(); waitOutput(t, tm, s, waitLimit, 10*time.Millisecond) }

	waitFor("▶ running")
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor("‖ paused")
	tm.Type("t")
	waitFor("tmax 110ms")
	tm.Type(".")
	waitFor("one auction: #")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor("Auction #")
	tm.Type("q")

	fm, ok := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*model)
	if !ok {
		t.Fatalf("final model is %T", fm)
	}
	f := fm.ctx.Frame
	if !f.Paused || !inInspector(fm) {
		t.Errorf("paused %v view %T, want paused in the inspector", f.Paused, fm.ctx.top())
	}
	if got := f.Snap.Settings.Tmax; got != 110*sim.Millisecond {
		t.Errorf("engine's tmax %v, want 110ms", got)
	}
	if len(f.Snap.Changes) != 1 || f.Snap.Changes[0].Change != (sim.SetTmax{Tmax: 110 * sim.Millisecond}) {
		t.Errorf("change log %+v", f.Snap.Changes)
	}
	// The inspector shows the auction the step closed: the engine stopped
	// right after it.
	in := insp(t, fm)
	rec := in.recs[in.idx]
	if rec.Close != f.Snap.Now || in.idx != len(in.recs)-1 {
		t.Errorf("inspected auction #%d closed at %v; the step ended at %v", rec.ID, rec.Close, f.Snap.Now)
	}
	v := fm.View()
	for _, want := range []string{"Auction #" + format.Count(rec.ID), "‖ paused", "tmax 110ms"} {
		if !bytes.Contains([]byte(v), []byte(want)) {
			t.Errorf("final screen lacks %q:\n%s", want, v)
		}
	}
}

// TestProgramStartsPaused opens the program paused (--paused) at 4×
// (--speed 4): t = 0 until resumed, so a change made first applies from
// the start of the run.
func TestProgramStartsPaused(t *testing.T) {
	tm := startProgram(t, testScenario(), runner.Options{Paused: true, Speed: 4}, modelOptions{theme: asciiTheme(), catalog: testCatalog()})
	waitFor := func(s string) { t.Helper(); waitOutput(t, tm, s, waitLimit, 10*time.Millisecond) }
	waitFor("‖ paused  speed 4×")
	tm.Type("f")
	waitFor("floor 0.45")
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor("▶ running")
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*model)
	cs := fm.ctx.Frame.Snap.Changes
	if len(cs) != 1 || cs[0].At != 0 || cs[0].Event != 0 {
		t.Errorf("change log %+v, want the floor change at t = 0 before any event", cs)
	}
}

// TestProgramStrategyChooser drives the real program through g: the
// chooser opens, 2 makes the selected bidder shade, and the engine's
// change log holds exactly one change, the whole strategy as one path
// assignment.
func TestProgramStrategyChooser(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	tm := startProgram(t, sc, runner.Options{}, programOptions(t))
	waitFor := func(s string) { t.Helper(); waitOutput(t, tm, s, waitLimit, 10*time.Millisecond) }
	waitFor("▶ running")
	tm.Type("g")
	waitFor("Strategy of ada, now truthful")
	tm.Type("2")
	// The status and the engine's log of the change (the changes panel)
	// may come in one write: one wait for both.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("ada strategy truthful → shade 0.8")) && bytes.Contains(b, []byte("Changes (1, newest first)"))
	}, teatest.WithDuration(waitLimit), teatest.WithCheckInterval(10*time.Millisecond))
	tm.Type("q")
	fm, ok := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*model)
	if !ok {
		t.Fatalf("final model is %T", fm)
	}
	ch := fm.ctx.Frame.Snap.Changes
	if len(ch) != 1 {
		t.Fatalf("%d changes logged, want one: %+v", len(ch), ch)
	}
	sets, ok := scenarios.Assignments(ch[0].Change)
	if !ok || len(sets) != 1 || sets[0].Path != "bidders.ada.strategy" || sets[0].Value != "{kind: shade, factor: 0.8}" {
		t.Errorf("the change reads back as %+v", sets)
	}
}
