package tui

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestTmaxKeysAreOneChange: t/T on the dashboard, as the what-if panel's
// steps, move the tmax shown at once but send nothing until the user
// settles; then the engine gets one change, to where they stopped.
// Before, each press was a change of its own (three here).
func TestTmaxKeysAreOneChange(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	now := t0
	m.ctx.clock = func() time.Time { return now }
	first := tmaxSettle{}
	for i := range 3 {
		if cmd := press(m, "t"); cmd == nil {
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
	for _, want := range []string{"tmax 90ms", "tmax 120ms → 90ms: applied when you stop"} {
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
	if len(got) != 1 || got[0] != (sim.SetTmax{Tmax: 90 * sim.Millisecond}) {
		t.Fatalf("settled, the engine got %v, want one change to 90ms", got)
	}
	if v := m.View(); !strings.Contains(v, "tmax 120ms → 90ms, one change for 3 steps") {
		t.Errorf("settled, the status line does not say so:\n%s", v)
	}
}

// TestTmaxKeysApplyBeforeOtherKeys: on the dashboard and in presentation
// mode, any other key than a step applies t/T's steps first, so that it
// acts on the run as they left it; enter applies them alone (on the
// dashboard it opens the inspector only when no step waits); steps that
// come back to where they began send nothing.
func TestTmaxKeysApplyBeforeOtherKeys(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		want string // the commands sent, in order
		top  string // the view on top after
	}{
		{[]string{"t", "t", "enter"}, "[{tmax 100ms}]", "*tui.dashboard"},
		{[]string{"T", "f"}, "[{tmax 130ms} {floor 0.45}]", "*tui.dashboard"},
		{[]string{"T", " "}, "[{tmax 130ms} {true}]", "*tui.dashboard"},
		{[]string{"t", "T", "enter"}, "[]", "*tui.dashboard"},
		{[]string{"enter"}, "[]", "*tui.inspector"},
		{[]string{"t", "w"}, "[{tmax 110ms}]", "*tui.whatIf"},
		{[]string{"P", "T", "T", "f"}, "[{tmax 140ms} {floor 0.45}]", "*tui.present"},
		{[]string{"P", "T", "P"}, "[{tmax 130ms}]", "*tui.dashboard"},
	} {
		m, l, _ := testModel(t, 120, 40)
		m.ctx.clock = func() time.Time { return t0 } // never settles by itself
		for _, k := range tc.keys {
			press(m, k)
		}
		if got := fmt.Sprint(l.cmds()); got != tc.want {
			t.Errorf("%q sent %s, want %s", tc.keys, got, tc.want)
		}
		if m.ctx.Trainer.pending.on {
			t.Errorf("%q left steps pending", tc.keys)
		}
		if got := fmt.Sprintf("%T", m.ctx.top()); got != tc.top {
			t.Errorf("%q: %s on top, want %s", tc.keys, got, tc.top)
		}
	}
}

// TestTmaxKeysRefusedShowTheRun: a step the engine's checks refuse, or a
// full queue drops, when applied leaves the tmax shown where the run is,
// not where the steps went.
func TestTmaxKeysRefusedShowTheRun(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	m.ctx.clock = func() time.Time { return t0 }
	l.full = true
	press(m, "t")
	if got := m.ctx.Shown.set.Tmax; got != 110*sim.Millisecond {
		t.Fatalf("the step shows tmax %v, want 110ms", got)
	}
	press(m, "enter")
	if got := m.ctx.Shown.set.Tmax; got != 120*sim.Millisecond {
		t.Errorf("dropped, the step still shows tmax %v, want the run's 120ms", got)
	}
	if !m.ctx.warn || !strings.Contains(m.ctx.status, "busy") {
		t.Errorf("status %q warn %v", m.ctx.status, m.ctx.warn)
	}
}

// TestProgramTmaxKeysSettle drives the real program: t/T on the
// dashboard wait, and once the (test's) clock says the user settled, the
// next tick applies them as one change, without a key, which the change
// log then shows alone.
func TestProgramTmaxKeysSettle(t *testing.T) {
	var now atomic.Int64
	mo := programOptions(t)
	mo.now = func() time.Time { return t0.Add(time.Duration(now.Load())) }
	tm := startProgram(t, testScenario(), runner.Options{Paused: true}, mo)
	waitFor := func(s string) { t.Helper(); waitOutput(t, tm, s, waitLimit, 10*time.Millisecond) }
	waitFor("‖ paused")
	// An auction first, its report awaited: it would overwrite the
	// status line the steps write.
	tm.Type(".")
	waitFor("one auction: #")
	tm.Type("T")
	tm.Type("T")
	tm.Type("T")
	waitFor("tmax 120ms → 150ms: applied when you stop")
	now.Add(int64(settleAfter)) // the user settles
	waitFor("tmax 120ms → 150ms, one change for 3 steps")
	tm.Type(".") // a step's report comes with the frame that has the change
	waitFor("one auction: #")
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*model)
	ch := fm.ctx.Snap().Changes
	if len(ch) != 1 || ch[0].Change != (sim.SetTmax{Tmax: 150 * sim.Millisecond}) {
		t.Errorf("the change log is %+v, want one change to 150ms", ch)
	}
}
