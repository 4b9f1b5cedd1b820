package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/sim"
)

// TestTmaxKeysAreOneChange: t/T on the dashboard, as the what-if panel's
// steps, move the tmax shown at once but send nothing until the user
// settles; then the engine gets one change, to where they stopped.
// Before, each press was a change of its own (three here).
func TestTmaxKeysAreOneChange(t *testing.T) {
	stepsAreOneChange(t, nil, "t", 90*sim.Millisecond)
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
	programStepsSettle(t, nil, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("T")}, 3, 150*sim.Millisecond)
}
