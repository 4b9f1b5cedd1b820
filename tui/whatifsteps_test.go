package tui

import (
	"bytes"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// pendingSeq is the settle tick the newest what-if step scheduled.
func pendingSeq(m *model) tmaxSettle { return tmaxSettle{seq: m.ctx.Trainer.pending.seq} }

// TestWhatIfStepsAreOneChange: ←/→ in the what-if panel move the mark at
// once but send nothing until the user settles; then the engine gets one
// change, to where the steps stopped. Before, each step was a change of
// its own (three here, nine from 1 s to 550 ms on prebid-server).
func TestWhatIfStepsAreOneChange(t *testing.T) {
	stepsAreOneChange(t, []string{"w"}, "left", 60*sim.Millisecond, "now 60ms: ")
}

// stepsAreOneChange presses open, then step three times, a press every
// half a settling apart, on a 120 ms world: the tmax shown (and shown,
// in the view) moves at once, the engine gets nothing, and an old step's
// tick applies nothing; once the user settles, one change to to, said on
// the status line, and a tick again sends no other.
func stepsAreOneChange(t *testing.T, open []string, step string, to sim.Time, shown ...string) {
	t.Helper()
	m, l, _ := testModel(t, 120, 40)
	now := t0
	m.ctx.clock = func() time.Time { return now }
	for _, k := range open {
		press(m, k)
	}
	first := tmaxSettle{}
	for i := range 3 {
		if cmd := press(m, step); cmd == nil {
			t.Fatal("a step scheduled no settling")
		}
		if i == 0 {
			first = pendingSeq(m)
		}
		now = now.Add(settleAfter / 2) // a press every 350 ms: still stepping
		if cmd := deliver(m, pendingSeq(m)); cmd == nil {
			t.Error("a tick before the user settled neither applied nor looked again")
		}
	}
	if got := appliedChanges(l.cmds()); len(got) != 0 {
		t.Fatalf("while stepping the engine got %v", got)
	}
	// A frame confirming nothing new keeps the steps shown.
	m.Update(frameMsg(m.ctx.Frame))
	v := m.View()
	for _, want := range append(shown, fmt.Sprintf("tmax %v", to), fmt.Sprintf("tmax 120ms → %v: applied when you stop", to)) {
		if !strings.Contains(v, want) {
			t.Errorf("while stepping the screen lacks %q:\n%s", want, v)
		}
	}
	now = now.Add(settleAfter)
	deliver(m, first) // the first step's tick, late: a later step has its own
	if got := appliedChanges(l.cmds()); len(got) != 0 {
		t.Fatalf("an old step's tick applied %v", got)
	}
	deliver(m, pendingSeq(m))
	got := appliedChanges(l.cmds())
	if len(got) != 1 || got[0] != (sim.SetTmax{Tmax: to}) {
		t.Fatalf("settled, the engine got %v, want one change to %v", got, to)
	}
	if v := m.View(); !strings.Contains(v, fmt.Sprintf("tmax 120ms → %v, one change for 3 steps", to)) {
		t.Errorf("settled, the status line does not say so:\n%s", v)
	}
	deliver(m, pendingSeq(m)) // again: applied already
	if n := len(appliedChanges(l.cmds())); n != 1 {
		t.Errorf("the tick again sent %d changes", n)
	}
}

// deliver hands msg to m and returns the command it produced.
func deliver(m *model, msg tea.Msg) tea.Cmd {
	_, cmd := m.Update(msg)
	return cmd
}

// TestWhatIfStepsApplyBeforeOtherKeys: any other key than a step applies
// the steps first, so that it acts on the run as they left it: enter
// alone, space before its pause, esc before closing; steps that come back
// to where they began send nothing.
func TestWhatIfStepsApplyBeforeOtherKeys(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		want string // the commands sent, in order
	}{
		{[]string{"left", "left", "enter"}, "[{tmax 80ms}]"},
		{[]string{"T", "right", " "}, "[{tmax 140ms} {true}]"},
		{[]string{"right", "esc"}, "[{tmax 140ms}]"},
		{[]string{"left", "right", "enter"}, "[]"},
	} {
		m, l, _ := testModel(t, 120, 40)
		m.ctx.clock = func() time.Time { return t0 } // never settles by itself
		press(m, "w")
		for _, k := range tc.keys {
			press(m, k)
		}
		if got := fmt.Sprint(l.cmds()); got != tc.want {
			t.Errorf("%q sent %s, want %s", tc.keys, got, tc.want)
		}
		if m.ctx.Trainer.pending.on {
			t.Errorf("%q left steps pending", tc.keys)
		}
	}
}

// TestWhatIfStepsReplay: on prebid-server, nine ← in the what-if panel
// (1 s to 550 ms along its 50 ms grid) are one entry in the change log,
// the same as :exchange.tmax=550ms typed, and the export replays the run
// exactly.
func TestWhatIfStepsReplay(t *testing.T) {
	sc := bundled(t, "prebid-server")
	var now atomic.Int64 // the model's clock, in ns past t0
	clock := func() time.Time { return t0.Add(time.Duration(now.Load())) }
	m, _, pump := liveModel(t, sc, modelOptions{export: report.WriteWith, exportDir: t.TempDir(), now: clock})
	step := func(n int) {
		for range n {
			press(m, ".")
			pump()
		}
	}
	step(20)
	press(m, "w")
	for range 9 {
		press(m, "left")
		now.Add(int64(settleAfter / 4))
	}
	if !m.ctx.Trainer.pending.on || m.ctx.Trainer.pending.to != 550*sim.Millisecond {
		t.Fatalf("nine ← from 1s: pending %+v", m.ctx.Trainer.pending)
	}
	now.Add(int64(settleAfter))
	m.Update(pendingSeq(m))
	pump()
	step(20)
	snap := m.ctx.Snap()
	want := []sim.Change{sim.SetTmax{Tmax: 550 * sim.Millisecond}}
	if len(snap.Changes) != 1 || snap.Changes[0].Change != want[0] {
		t.Fatalf("the change log is %+v, want one change to 550ms", snap.Changes)
	}
	press(m, "esc") // to the dashboard, where e exports
	_, rep := exportReplay(t, m)
	if len(rep.Changes) != 1 {
		t.Fatalf("%d changes in the export", len(rep.Changes))
	}
	got := replayExport(t, rep).Snapshot()
	if got.Now != snap.Now || got.Exchange != snap.Exchange || fmt.Sprint(got.Changes) != fmt.Sprint(snap.Changes) {
		t.Errorf("the replay differs:\n got %v %+v\nwant %v %+v", got.Now, got.Exchange, snap.Now, snap.Exchange)
	}
}

// TestProgramWhatIfSettles drives the real program: steps in the what-if
// panel wait, and once the (test's) clock says the user settled, the
// next tick applies them as one change, without a key.
func TestProgramWhatIfSettles(t *testing.T) {
	open := func(tm *teatest.TestModel, waitFor func(string)) {
		tm.Type("w")
		waitFor("What if tmax were")
	}
	fm := programStepsSettle(t, open, tea.KeyMsg{Type: tea.KeyLeft}, 2, 80*sim.Millisecond)
	if !bytes.Contains([]byte(fm.View()), []byte("now 80ms")) {
		t.Errorf("the panel does not show 80ms:\n%s", fm.View())
	}
}

// programStepsSettle drives the real program, paused on a 120 ms world:
// an auction first (its report would overwrite the status line the steps
// write), then open, then n presses of step, which wait until the test's
// clock says the user settled; the next tick then applies them as one
// change to to, said on the status line, which the change log holds
// alone. It returns the final model.
func programStepsSettle(t *testing.T, open func(tm *teatest.TestModel, waitFor func(string)), step tea.KeyMsg, n int, to sim.Time) *model {
	t.Helper()
	var now atomic.Int64
	mo := programOptions(t)
	mo.now = func() time.Time { return t0.Add(time.Duration(now.Load())) }
	tm := startProgram(t, testScenario(), runner.Options{Paused: true}, mo)
	waitFor := func(s string) { t.Helper(); waitOutput(t, tm, s, waitLimit, 10*time.Millisecond) }
	waitFor("‖ paused")
	tm.Type(".")
	waitFor("one auction: #")
	if open != nil {
		open(tm, waitFor)
	}
	for range n {
		tm.Send(step)
	}
	waitFor(fmt.Sprintf("tmax 120ms → %v: applied when you stop", to))
	now.Add(int64(settleAfter)) // the user settles
	waitFor(fmt.Sprintf("tmax 120ms → %v, one change for %d steps", to, n))
	tm.Type(".") // a step's report comes with the frame that has the change
	waitFor("one auction: #")
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*model)
	ch := fm.ctx.Snap().Changes
	if len(ch) != 1 || ch[0].Change != (sim.SetTmax{Tmax: to}) {
		t.Errorf("the change log is %+v, want one change to %v", ch, to)
	}
	return fm
}
