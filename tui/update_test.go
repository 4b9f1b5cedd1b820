package tui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestKeysSendCommands checks, key by key, the command each one sends the
// runner from the test model's state (running, 1×, tmax 120ms, floor 0.50,
// second price, the first bidder selected).
func TestKeysSendCommands(t *testing.T) {
	tests := []struct {
		keys []string
		want []command
	}{
		{[]string{" "}, []command{setPaused{Paused: true}}},
		{[]string{" ", " "}, []command{setPaused{Paused: true}, setPaused{Paused: false}}},
		{[]string{"+"}, []command{setSpeed{Index: speedNormal + 1}}},
		{[]string{"="}, []command{setSpeed{Index: speedNormal + 1}}},
		{[]string{"-"}, []command{setSpeed{Index: speedNormal - 1}}},
		{[]string{"-", "-"}, []command{setSpeed{Index: speedNormal - 1}, setSpeed{Index: speedNormal - 2}}},
		{[]string{" ", "."}, []command{setPaused{Paused: true}, stepOne{}}},
		{[]string{"t"}, []command{applyChange{sim.SetTmax{Tmax: 110 * sim.Millisecond}}}},
		// Optimistic: the second press steps from the value the first set,
		// not from the snapshot's, which has not caught up yet.
		{[]string{"t", "t"}, []command{applyChange{sim.SetTmax{Tmax: 110 * sim.Millisecond}}, applyChange{sim.SetTmax{Tmax: 100 * sim.Millisecond}}}},
		{[]string{"T"}, []command{applyChange{sim.SetTmax{Tmax: 130 * sim.Millisecond}}}},
		// Keys typed faster than they are read arrive together.
		{[]string{"tt"}, []command{applyChange{sim.SetTmax{Tmax: 110 * sim.Millisecond}}, applyChange{sim.SetTmax{Tmax: 100 * sim.Millisecond}}}},
		{[]string{"f"}, []command{applyChange{sim.SetFloor{Floor: 0.45}}}},
		{[]string{"F"}, []command{applyChange{sim.SetFloor{Floor: 0.55}}}},
		{[]string{"a"}, []command{applyChange{sim.SetAuction{Auction: sim.FirstPrice}}}},
		{[]string{"a", "a"}, []command{applyChange{sim.SetAuction{Auction: sim.FirstPrice}}, applyChange{sim.SetAuction{Auction: sim.SecondPrice}}}},
		{[]string{"]"}, []command{applyChange{sim.SetQPS{QPS: 250}}}},
		{[]string{"["}, []command{applyChange{sim.SetQPS{QPS: 160}}}},
		{[]string{"l"}, []command{applyChange{sim.ScaleLatency{Bidder: "swift", Factor: latencyScale}}}},
		{[]string{"L"}, []command{applyChange{sim.ScaleLatency{Bidder: "swift", Factor: 1 / latencyScale}}}},
		{[]string{"j", "l"}, []command{applyChange{sim.ScaleLatency{Bidder: "steady", Factor: latencyScale}}}},
		{[]string{"down", "b"}, []command{applyChange{sim.SetBudget{Bidder: "steady", Total: 4}}}},
		{[]string{"down", "B"}, []command{applyChange{sim.SetBudget{Bidder: "steady", Total: 6.25}}}},
		{[]string{"down", "B", "b"}, []command{applyChange{sim.SetBudget{Bidder: "steady", Total: 6.25}}, applyChange{sim.SetBudget{Bidder: "steady", Total: 5}}}},
		{[]string{"x"}, []command{applyChange{sim.SetEnabled{Bidder: "swift", Enabled: false}}}},
		{[]string{"x", "x"}, []command{applyChange{sim.SetEnabled{Bidder: "swift", Enabled: false}}, applyChange{sim.SetEnabled{Bidder: "swift", Enabled: true}}}},
		{[]string{"j", "j", "k", "x"}, []command{applyChange{sim.SetEnabled{Bidder: "steady", Enabled: false}}}},
		{[]string{"down", "down", "down", "down", "up", "x"}, []command{applyChange{sim.SetEnabled{Bidder: "laggard", Enabled: false}}}},
		{[]string{"r"}, []command{restart{}}},
		{[]string{"s", "down", "enter"}, []command{load{Scenario: otherScenario()}}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			m, l, _ := testModel(t, 120, 40)
			for _, k := range tt.keys {
				pressRun(m, k)
			}
			if got := l.cmds(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("sent %#v\nwant %#v", got, tt.want)
			}
			for i, e := range l.sent {
				if e.Seq != uint64(i+1) {
					t.Errorf("command %d has seq %d", i, e.Seq)
				}
			}
		})
	}
}

// TestKeysThatSendNothing covers the keys and states where a key must not
// reach the runner, and what the user is told instead.
func TestKeysThatSendNothing(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(m *model)
		keys   []string
		status string
	}{
		{"step while running", nil, []string{"."}, "press space first"},
		{"unlimited budget down", nil, []string{"b"}, "swift has no budget"},
		{"unlimited budget up", nil, []string{"B"}, "swift has no budget"},
		{"speed at max", func(m *model) { m.show.speed = speedMax }, []string{"+"}, "already max"},
		{"speed at min", func(m *model) { m.show.speed = 0 }, []string{"-"}, "already 0.01×"},
		{"tmax at min", func(m *model) { m.show.set.Tmax = 10 * sim.Millisecond }, []string{"t"}, "minimum"},
		{"floor at 0", func(m *model) { m.show.set.Floor = 0 }, []string{"f"}, "already 0"},
		{"selection", nil, []string{"up", "k", "down", "j"}, ""},
		{"help", nil, []string{"?"}, ""},
		{"inspect", nil, []string{"enter", "left", "right", "esc"}, ""},
		{"picker cancelled", nil, []string{"s", "down", "esc"}, ""},
		{"keys in the inspector", nil, []string{"enter", "t", "x", " "}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, l, _ := testModel(t, 120, 40)
			if tt.setup != nil {
				tt.setup(m)
			}
			for _, k := range tt.keys {
				press(m, k)
			}
			if len(l.sent) != 0 {
				t.Errorf("sent %#v, want nothing", l.cmds())
			}
			if !strings.Contains(m.status, tt.status) {
				t.Errorf("status %q, want it to contain %q", m.status, tt.status)
			}
		})
	}
}

func TestOptimisticValuesShowAtOnce(t *testing.T) {
	m, _, _ := testModel(t, 160, 48)
	press(m, "t")
	press(m, "F")
	press(m, "a")
	press(m, " ")
	press(m, "+")
	v := m.View()
	for _, want := range []string{"tmax 110ms", "floor 0.55", "first-price", "paused", "speed 2×"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q right after the key", want)
		}
	}
	if !strings.Contains(m.status, "speed 1× → 2×") {
		t.Errorf("status %q", m.status)
	}
}

// TestFrameConfirmsOptimisticValues checks that a frame that predates the
// last command does not undo its optimistic value, and one that has
// handled it replaces the optimistic values with the engine's.
func TestFrameConfirmsOptimisticValues(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	sc := testScenario()
	press(m, "t") // seq 1: tmax 110ms
	stale := frameOf(sc, m.cur.Snap, t0.Add(200*time.Millisecond), 0)
	m.Update(frameMsg(stale))
	if got := m.show.set.Tmax; got != 110*sim.Millisecond {
		t.Fatalf("a frame before the command reset tmax to %v", got)
	}
	// The engine refused it (say), so the acknowledged frame still says
	// 120ms: the display follows the engine.
	acked := frameOf(sc, m.cur.Snap, t0.Add(300*time.Millisecond), 1)
	acked.Notes = []note{{Text: "refused: tmax", Warn: true}}
	m.Update(frameMsg(acked))
	if got := m.show.set.Tmax; got != 120*sim.Millisecond {
		t.Errorf("after the acknowledging frame tmax shows %v, want the engine's 120ms", got)
	}
	if m.status != "refused: tmax" || !m.warn {
		t.Errorf("status %q warn %v, want the runner's note", m.status, m.warn)
	}
}

func TestStepWhenPausedSendsOneStep(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	f := m.cur
	f.Paused, f.Ack = true, 0
	m.Update(frameMsg(f))
	press(m, ".")
	press(m, ".")
	if want := []command{stepOne{}, stepOne{}}; !reflect.DeepEqual(l.cmds(), want) {
		t.Errorf("sent %#v, want %#v", l.cmds(), want)
	}
}

func TestEndedRunResumesWithSpace(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	f := m.cur
	f.Ended = true
	m.Update(frameMsg(f))
	if !strings.Contains(m.View(), "ended") {
		t.Error("the header does not say the run ended")
	}
	press(m, " ")
	if want := []command{setPaused{Paused: false}}; !reflect.DeepEqual(l.cmds(), want) {
		t.Errorf("sent %#v, want %#v", l.cmds(), want)
	}
}

func TestFullQueueDropsKeyVisibly(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	l.full = true
	press(m, "t")
	if m.seq != 0 || m.show.set.Tmax != 120*sim.Millisecond {
		t.Errorf("a dropped key changed the state: seq %d tmax %v", m.seq, m.show.set.Tmax)
	}
	if !m.warn || !strings.Contains(m.status, "busy") {
		t.Errorf("status %q warn %v", m.status, m.warn)
	}
}

func TestSelectionClamps(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	for _, k := range []string{"up", "k"} {
		press(m, k)
		if m.selected != 0 {
			t.Fatalf("%s from the top: selected %d", k, m.selected)
		}
	}
	for range 10 {
		press(m, "j")
	}
	if m.selected != 3 {
		t.Errorf("selected %d after 10 × j, want the last bidder, 3", m.selected)
	}
	press(m, "down")
	press(m, "k")
	if m.selected != 2 {
		t.Errorf("selected %d, want 2", m.selected)
	}
	if v := m.View(); !strings.Contains(v, "▸ laggard") {
		t.Error("the selected bidder is not marked")
	}
}

func TestInspector(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	recent := m.cur.Snap.Recent
	press(m, "enter")
	if m.mode != modeInspect || m.insp.idx != len(recent)-1 {
		t.Fatalf("mode %v idx %d: want the inspector on the last auction", m.mode, m.insp.idx)
	}
	v := m.View()
	if want := "Auction #" + count(recent[len(recent)-1].ID); !strings.Contains(v, want) {
		t.Errorf("inspector lacks %q", want)
	}
	press(m, "left")
	press(m, "left")
	if m.insp.idx != len(recent)-3 {
		t.Errorf("idx %d after ← ←", m.insp.idx)
	}
	press(m, "right")
	if m.insp.idx != len(recent)-2 {
		t.Errorf("idx %d after →", m.insp.idx)
	}
	// Frames keep coming while it is open; it keeps showing its auction.
	m.Update(frameMsg(m.cur))
	if m.mode != modeInspect {
		t.Error("a frame closed the inspector")
	}
	press(m, "esc")
	if m.mode != modeMain {
		t.Errorf("esc left mode %v", m.mode)
	}
	press(m, "enter")
	press(m, "enter")
	if m.mode != modeMain {
		t.Errorf("enter did not close the inspector")
	}
}

func TestInspectorNeedsAnAuction(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	f := m.cur
	s := *f.Snap
	s.Recent = nil
	f.Snap = &s
	m.Update(frameMsg(f))
	press(m, "enter")
	if m.mode != modeMain || !strings.Contains(m.status, "no auction") {
		t.Errorf("mode %v status %q", m.mode, m.status)
	}
}

func TestNewEngineClosesInspector(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	press(m, "enter")
	f := m.cur
	f.Gen++
	m.Update(frameMsg(f))
	if m.mode != modeMain {
		t.Error("the inspector stayed open on a restarted run")
	}
}

func TestPicker(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	press(m, "s")
	if m.mode != modePicker {
		t.Fatalf("mode %v after s", m.mode)
	}
	v := m.View()
	for _, want := range []string{"test-demo  (running)", "other", "two bidders"} {
		if !strings.Contains(v, want) {
			t.Errorf("picker lacks %q", want)
		}
	}
	pressRun(m, "enter") // the running one: reloads it
	if want := []command{load{Scenario: testScenario()}}; !reflect.DeepEqual(l.cmds(), want) {
		t.Errorf("sent %#v", l.cmds())
	}
	if m.mode != modeMain {
		t.Errorf("mode %v after enter", m.mode)
	}
}

func TestPickerLoadError(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	m.cat.Load = func(string) (*scenarios.Scenario, error) { return nil, errBroken }
	press(m, "s")
	pressRun(m, "enter")
	if len(l.sent) != 0 || !m.warn || !strings.Contains(m.status, "broken") {
		t.Errorf("sent %v status %q", l.cmds(), m.status)
	}
}

func TestExport(t *testing.T) {
	m, l, calls := testModel(t, 120, 40)
	cmd := press(m, "e")
	if cmd == nil {
		t.Fatal("e returned no command")
	}
	if len(l.sent) != 0 {
		t.Errorf("export went to the runner: %v", l.cmds())
	}
	msg := cmd()
	if len(*calls) != 1 {
		t.Fatalf("%d export calls", len(*calls))
	}
	c := (*calls)[0]
	if want := "exports/auctionsim-test-demo-7.json"; c.path != want {
		t.Errorf("path %q, want %q", c.path, want)
	}
	if c.snap != m.cur.Snap || c.meta.Scenario != "test-demo" || !c.meta.Partial || c.meta.WallSeconds != 5 {
		t.Errorf("exported %+v", c.meta)
	}
	m.Update(msg)
	if m.status != "exported to exports/auctionsim-test-demo-7.json" {
		t.Errorf("status %q", m.status)
	}
	m.Update(exportedMsg{err: errBroken})
	if !m.warn || !strings.Contains(m.status, "export failed") {
		t.Errorf("status %q after a failed export", m.status)
	}
}

func TestHelpToggles(t *testing.T) {
	m, _, _ := testModel(t, 100, 40)
	short := m.View()
	press(m, "?")
	if !m.help.ShowAll {
		t.Fatal("? did not open the full help")
	}
	full := m.View()
	for _, want := range []string{"budget −20%", "restart", "export", "1st/2nd price"} {
		if strings.Contains(short, want) || !strings.Contains(full, want) {
			t.Errorf("%q: in short help %v, in full help %v", want, strings.Contains(short, want), strings.Contains(full, want))
		}
	}
	press(m, "?")
	if m.help.ShowAll {
		t.Error("? did not close the full help")
	}
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		for _, size := range [][2]int{{120, 40}, {40, 10}} {
			m, _, _ := testModel(t, size[0], size[1])
			cmd := press(m, k)
			if cmd == nil {
				t.Fatalf("%s at %v: no command", k, size)
			}
			if _, ok := cmd().(tea.QuitMsg); !ok {
				t.Errorf("%s at %v: not quit", k, size)
			}
		}
	}
	// q quits from the overlays too.
	for _, open := range []string{"enter", "s"} {
		m, _, _ := testModel(t, 120, 40)
		press(m, open)
		if cmd := press(m, "q"); cmd == nil {
			t.Errorf("q in overlay %s: no command", open)
		} else if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("q in overlay %s: not quit", open)
		}
	}
}

func TestTooSmall(t *testing.T) {
	m, l, _ := testModel(t, 79, 24)
	v := m.View()
	if !strings.Contains(v, "terminal too small (need 80×24)") {
		t.Errorf("view at 79×24:\n%s", v)
	}
	press(m, "t")
	press(m, " ")
	if len(l.sent) != 0 {
		t.Errorf("keys acted on a too-small screen: %v", l.cmds())
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 23})
	if v := m.View(); !strings.Contains(v, "terminal too small") {
		t.Error("80×23 is too small too")
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if v := m.View(); strings.Contains(v, "too small") {
		t.Error("80×24 is big enough")
	}
}

func TestRatesFromSuccessiveFrames(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	// 100 ms of virtual time in 100 ms of wall time: the rates agree.
	if m.wallRate <= 0 || m.virtRate <= 0 || m.wallRate != m.virtRate {
		t.Errorf("wall %v/s virtual %v/s", m.wallRate, m.virtRate)
	}
	// The same frames at 10× speed: ten times the wall rate.
	sc := testScenario()
	eng := engineAt(t, sc, 5*sim.Second)
	f := frameOf(sc, eng.Snapshot(), t0, 0)
	m2, _, _ := testModel(t, 120, 40)
	m2.samples = nil
	m2.Update(frameMsg(f))
	eng.RunUntil(6 * sim.Second)
	f2 := frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0)
	m2.Update(frameMsg(f2))
	n := float64(f2.Snap.Exchange.Auctions - f.Snap.Exchange.Auctions)
	if m2.wallRate != n*10 || m2.virtRate != n {
		t.Errorf("wall %v/s virtual %v/s, want %v and %v", m2.wallRate, m2.virtRate, n*10, n)
	}
}

func TestResizeRedraws(t *testing.T) {
	m, _, _ := testModel(t, 160, 48)
	for _, size := range [][2]int{{80, 24}, {100, 30}, {200, 60}, {160, 48}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		checkScreen(t, m.View(), size[0], size[1])
	}
}

// checkScreen fails unless v is exactly h lines of at most w cells: more
// would scroll the terminal and flicker.
func checkScreen(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("%d×%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%d×%d: line %d is %d cells: %q", w, h, i, lw, l)
		}
	}
}

// The late% column covers the latest intervals, so a bidder made faster
// stops showing late bids at once, while its whole-run share stays high.
func TestLateShareIsRecent(t *testing.T) {
	sc := testScenario()
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(20 * sim.Second)
	if err := eng.Apply(sim.ScaleLatency{Bidder: "laggard", Factor: 0.1}); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(40 * sim.Second)
	m, _, _ := testModel(t, 160, 48)
	m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0.Add(time.Second), 0)))
	i := 2 // laggard
	b := m.cur.Snap.Bidders[i]
	if b.Name != "laggard" {
		t.Fatalf("bidder %d is %s", i, b.Name)
	}
	late, bids := m.recentLate(i)
	if whole := b.TimeoutRate(); whole < 0.1 || bids == 0 || ratio(late, bids) > 0.01 {
		t.Errorf("laggard late: recent %d of %d, whole run %.3f; want recent under 1%%, whole run over 10%%", late, bids, whole)
	}
	cols := columns(160, []string{"laggard"})
	row, _ := m.bidderRow(i, b, m.show.bidders[i], cols, m.show.set.Tmax)
	for k, c := range cols {
		if c.id == colLate && strings.TrimSpace(row[k]) != pct(ratio(late, bids)) {
			t.Errorf("late%% cell %q, want the recent share %s", row[k], pct(ratio(late, bids)))
		}
	}
}
