package tui

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestKeysSendCommands checks, key by key, the command each one sends the
// runner from the test model's state (running, 1×, tmax 120ms, floor 0.50,
// second price, the first bidder selected).
func TestKeysSendCommands(t *testing.T) {
	tests := []struct {
		keys []string
		want []runner.Command
	}{
		{[]string{" "}, []runner.Command{runner.Pause{Paused: true}}},
		{[]string{" ", " "}, []runner.Command{runner.Pause{Paused: true}, runner.Pause{Paused: false}}},
		{[]string{"+"}, []runner.Command{runner.SetSpeed{Speed: 2}}},
		{[]string{"-"}, []runner.Command{runner.SetSpeed{Speed: 0.5}}},
		{[]string{"-", "-"}, []runner.Command{runner.SetSpeed{Speed: 0.5}, runner.SetSpeed{Speed: 0.25}}},
		{[]string{" ", "."}, []runner.Command{runner.Pause{Paused: true}, runner.Step{}}},
		// t/T are pending steps, applied as one change when the user
		// settles; enter applies them now (TestTmaxKeysAreOneChange).
		{[]string{"t", "enter"}, []runner.Command{runner.Apply{Change: sim.SetTmax{Tmax: 110 * sim.Millisecond}}}},
		// The second press steps from the value the first showed, not from
		// the snapshot's: one change, to where they stopped.
		{[]string{"t", "t", "enter"}, []runner.Command{runner.Apply{Change: sim.SetTmax{Tmax: 100 * sim.Millisecond}}}},
		{[]string{"T", "enter"}, []runner.Command{runner.Apply{Change: sim.SetTmax{Tmax: 130 * sim.Millisecond}}}},
		// Keys typed faster than they are read arrive together.
		{[]string{"tt", "enter"}, []runner.Command{runner.Apply{Change: sim.SetTmax{Tmax: 100 * sim.Millisecond}}}},
		// Any other key applies the steps first, in the order the keys came.
		{[]string{"t", "f"}, []runner.Command{runner.Apply{Change: sim.SetTmax{Tmax: 110 * sim.Millisecond}}, runner.Apply{Change: sim.SetFloor{Floor: sim.PriceOf(0.45)}}}},
		{[]string{"f"}, []runner.Command{runner.Apply{Change: sim.SetFloor{Floor: sim.PriceOf(0.45)}}}},
		{[]string{"F"}, []runner.Command{runner.Apply{Change: sim.SetFloor{Floor: sim.PriceOf(0.55)}}}},
		{[]string{"a"}, []runner.Command{runner.Apply{Change: sim.SetAuction{Auction: sim.FirstPrice}}}},
		{[]string{"a", "a"}, []runner.Command{runner.Apply{Change: sim.SetAuction{Auction: sim.FirstPrice}}, runner.Apply{Change: sim.SetAuction{Auction: sim.SecondPrice}}}},
		{[]string{"]"}, []runner.Command{runner.Apply{Change: sim.SetQPS{QPS: 250}}}},
		{[]string{"["}, []runner.Command{runner.Apply{Change: sim.SetQPS{QPS: 160}}}},
		{[]string{"l"}, []runner.Command{runner.Apply{Change: sim.ScaleLatency{Bidder: "swift", Factor: latencyScale}}}},
		{[]string{"L"}, []runner.Command{runner.Apply{Change: sim.ScaleLatency{Bidder: "swift", Factor: 1 / latencyScale}}}},
		{[]string{"j", "l"}, []runner.Command{runner.Apply{Change: sim.ScaleLatency{Bidder: "steady", Factor: latencyScale}}}},
		{[]string{"down", "b"}, []runner.Command{runner.Apply{Change: sim.SetBudget{Bidder: "steady", Total: sim.MoneyOf(4)}}}},
		{[]string{"down", "B"}, []runner.Command{runner.Apply{Change: sim.SetBudget{Bidder: "steady", Total: sim.MoneyOf(6.25)}}}},
		{[]string{"down", "B", "b"}, []runner.Command{runner.Apply{Change: sim.SetBudget{Bidder: "steady", Total: sim.MoneyOf(6.25)}}, runner.Apply{Change: sim.SetBudget{Bidder: "steady", Total: sim.MoneyOf(5)}}}},
		{[]string{"x"}, []runner.Command{runner.Apply{Change: sim.SetEnabled{Bidder: "swift", Enabled: false}}}},
		{[]string{"x", "x"}, []runner.Command{runner.Apply{Change: sim.SetEnabled{Bidder: "swift", Enabled: false}}, runner.Apply{Change: sim.SetEnabled{Bidder: "swift", Enabled: true}}}},
		{[]string{"j", "j", "k", "x"}, []runner.Command{runner.Apply{Change: sim.SetEnabled{Bidder: "steady", Enabled: false}}}},
		{[]string{"down", "down", "down", "down", "up", "x"}, []runner.Command{runner.Apply{Change: sim.SetEnabled{Bidder: "laggard", Enabled: false}}}},
		{[]string{"r"}, []runner.Command{runner.Restart{}}},
		{[]string{"s", "down", "enter"}, []runner.Command{runner.Load{World: worldOf(otherScenario())}}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			m, l, _ := testModel(t, 120, 40)
			for _, k := range tt.keys {
				if strings.Trim(k, "tT") == "" {
					// A tmax step's command is its settle tick, 0.7 s
					// on the wall clock: enter or another key applies
					// the steps here (TestTmaxKeysAreOneChange).
					press(m, k)
					continue
				}
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
		{"speed at max", func(m *model) { m.ctx.Shown.speed = runner.Max }, []string{"+"}, "already max"},
		{"speed at min", func(m *model) { m.ctx.Shown.speed = runner.MinSpeed }, []string{"-"}, "already 0.01×"},
		{"tmax at min", func(m *model) { m.ctx.Shown.set.Tmax = 10 * sim.Millisecond }, []string{"t"}, "minimum"},
		{"floor at 0", func(m *model) { m.ctx.Shown.set.Floor = 0 }, []string{"f"}, "already 0"},
		{"selection", nil, []string{"up", "k", "down", "j"}, ""},
		{"help", nil, []string{"?"}, ""},
		{"inspect", nil, []string{"enter", "left", "right", "esc"}, ""},
		{"picker cancelled", nil, []string{"s", "down", "esc"}, ""},
		{"keys in the inspector", nil, []string{"enter", "t", "x", "b", "a"}, ""},
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
			if !strings.Contains(m.ctx.status, tt.status) {
				t.Errorf("status %q, want it to contain %q", m.ctx.status, tt.status)
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
	if !strings.Contains(m.ctx.status, "speed 1× → 2×") {
		t.Errorf("status %q", m.ctx.status)
	}
}

// TestFrameConfirmsOptimisticValues checks that a frame that predates the
// last command does not undo its optimistic value, and one that has
// handled it replaces the optimistic values with the engine's.
func TestFrameConfirmsOptimisticValues(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	sc := testScenario()
	press(m, "t")
	press(m, "enter") // seq 1: tmax 110ms
	stale := frameOf(sc, m.ctx.Frame.Snap, t0.Add(200*time.Millisecond), 0)
	m.Update(frameMsg(stale))
	if got := m.ctx.Shown.set.Tmax; got != 110*sim.Millisecond {
		t.Fatalf("a frame before the command reset tmax to %v", got)
	}
	// The engine refused it (say), so the acknowledged frame still says
	// 120ms: the display follows the engine.
	acked := frameOf(sc, m.ctx.Frame.Snap, t0.Add(300*time.Millisecond), 1)
	acked.Notes = []runner.Note{{Text: "refused: tmax", Warn: true}}
	m.Update(frameMsg(acked))
	if got := m.ctx.Shown.set.Tmax; got != 120*sim.Millisecond {
		t.Errorf("after the acknowledging frame tmax shows %v, want the engine's 120ms", got)
	}
	if m.ctx.status != "refused: tmax" || !m.ctx.warn {
		t.Errorf("status %q warn %v, want the runner's note", m.ctx.status, m.ctx.warn)
	}
}

func TestStepWhenPausedSendsOneStep(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	f := m.ctx.Frame
	f.Paused, f.Ack = true, 0
	m.Update(frameMsg(f))
	press(m, ".")
	press(m, ".")
	if want := []runner.Command{runner.Step{}, runner.Step{}}; !reflect.DeepEqual(l.cmds(), want) {
		t.Errorf("sent %#v, want %#v", l.cmds(), want)
	}
}

func TestEndedRunResumesWithSpace(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	f := m.ctx.Frame
	f.Ended = true
	m.Update(frameMsg(f))
	if !strings.Contains(m.View(), "ended") {
		t.Error("the header does not say the run ended")
	}
	press(m, " ")
	if want := []runner.Command{runner.Pause{Paused: false}}; !reflect.DeepEqual(l.cmds(), want) {
		t.Errorf("sent %#v, want %#v", l.cmds(), want)
	}
}

func TestFullQueueDropsKeyVisibly(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	l.full = true
	press(m, "t")
	press(m, "enter") // the step is sent, and dropped
	if m.ctx.seq != 0 || m.ctx.Shown.set.Tmax != 120*sim.Millisecond {
		t.Errorf("a dropped key changed the state: seq %d tmax %v", m.ctx.seq, m.ctx.Shown.set.Tmax)
	}
	if !m.ctx.warn || !strings.Contains(m.ctx.status, "busy") {
		t.Errorf("status %q warn %v", m.ctx.status, m.ctx.warn)
	}
}

func TestSelectionClamps(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	for _, k := range []string{"up", "k"} {
		press(m, k)
		if m.ctx.Selected != 0 {
			t.Fatalf("%s from the top: selected %d", k, m.ctx.Selected)
		}
	}
	for range 10 {
		press(m, "j")
	}
	if m.ctx.Selected != 3 {
		t.Errorf("selected %d after 10 × j, want the last bidder, 3", m.ctx.Selected)
	}
	press(m, "down")
	press(m, "k")
	if m.ctx.Selected != 2 {
		t.Errorf("selected %d, want 2", m.ctx.Selected)
	}
	if v := m.View(); !strings.Contains(v, "▸ laggard") {
		t.Error("the selected bidder is not marked")
	}
}

func TestInspector(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	recent := m.ctx.Frame.Snap.Recent
	press(m, "enter")
	if !inInspector(m) || insp(t, m).idx != len(recent)-1 || !insp(t, m).follow {
		t.Fatalf("view %T: want the inspector following the newest auction", m.ctx.top())
	}
	v := m.View()
	if want := "Auction #" + format.Count(recent[len(recent)-1].ID); !strings.Contains(v, want) || !strings.Contains(v, "following") {
		t.Errorf("inspector lacks %q or says it is not following", want)
	}
	// Following: a newer frame brings a newer auction.
	eng := engineAt(t, testScenario(), 6*sim.Second)
	m.Update(frameMsg(frameOf(testScenario(), eng.Snapshot(), t0.Add(time.Second), 0)))
	newest := m.ctx.Frame.Snap.Recent[len(m.ctx.Frame.Snap.Recent)-1]
	if got := insp(t, m).recs[insp(t, m).idx]; got.ID != newest.ID {
		t.Errorf("following shows #%d, want the newest #%d", got.ID, newest.ID)
	}
	// ← holds: frames keep coming, it keeps showing its auction.
	press(m, "left")
	press(m, "left")
	held := insp(t, m).recs[insp(t, m).idx]
	// Auctions are in the order they closed, which is not their ad
	// requests' when some close early.
	want := m.ctx.Frame.Snap.Recent[len(m.ctx.Frame.Snap.Recent)-3].ID
	if insp(t, m).follow || held.ID != want {
		t.Errorf("after ← ←: follow %v, auction #%d, want #%d held", insp(t, m).follow, held.ID, want)
	}
	if !strings.Contains(m.View(), "held") {
		t.Error("the inspector does not say it holds")
	}
	eng.RunUntil(7 * sim.Second)
	m.Update(frameMsg(frameOf(testScenario(), eng.Snapshot(), t0.Add(2*time.Second), 0)))
	if got := insp(t, m).recs[insp(t, m).idx]; got.ID != held.ID {
		t.Errorf("a frame moved the held inspector to #%d", got.ID)
	}
	press(m, "right")
	press(m, "right")
	if insp(t, m).follow {
		t.Error("→ onto the newest held auction already follows")
	}
	press(m, "right")
	if !insp(t, m).follow {
		t.Error("→ past the newest does not follow again")
	}
	press(m, "esc")
	if !onDashboard(m) {
		t.Errorf("esc left view %T", m.ctx.top())
	}
	press(m, "enter")
	press(m, "enter")
	if !onDashboard(m) {
		t.Errorf("enter did not close the inspector")
	}
}

// '.' steps one auction from inside the inspector, which then follows it.
func TestInspectorSteps(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	press(m, "enter")
	press(m, "left")
	press(m, " ")
	press(m, ".")
	if want := []runner.Command{runner.Pause{Paused: true}, runner.Step{}}; !reflect.DeepEqual(l.cmds(), want) {
		t.Errorf("sent %#v, want %#v", l.cmds(), want)
	}
	if !inInspector(m) || !insp(t, m).follow {
		t.Error("after a step the inspector does not follow the new auction")
	}
}

func TestInspectorNeedsAnAuction(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	f := m.ctx.Frame
	s := *f.Snap
	s.Recent = nil
	f.Snap = &s
	m.Update(frameMsg(f))
	press(m, "enter")
	if !onDashboard(m) || !strings.Contains(m.ctx.status, "no auction") {
		t.Errorf("mode %v status %q", m.ctx.top(), m.ctx.status)
	}
}

func TestNewEngineClosesInspector(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	press(m, "enter")
	f := m.ctx.Frame
	f.Gen++
	m.Update(frameMsg(f))
	if !onDashboard(m) {
		t.Error("the inspector stayed open on a restarted run")
	}
}

func TestPicker(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	press(m, "s")
	if !inPicker(m) {
		t.Fatalf("view %T after s", m.ctx.top())
	}
	v := m.View()
	for _, want := range []string{"test-demo  (running)", "other", "a test world"} {
		if !strings.Contains(v, want) {
			t.Errorf("picker lacks %q", want)
		}
	}
	// The description beside the list is the highlighted scenario's.
	press(m, "down")
	if v := m.View(); !strings.Contains(v, "two bidders") || strings.Contains(v, "a test world") {
		t.Errorf("after ↓ the picker does not describe other:\n%s", v)
	}
	press(m, "up")
	pressRun(m, "enter") // the running one: reloads it
	if want := []runner.Command{runner.Load{World: worldOf(testScenario())}}; !reflect.DeepEqual(l.cmds(), want) {
		t.Errorf("sent %#v", l.cmds())
	}
	if !onDashboard(m) {
		t.Errorf("view %T after enter", m.ctx.top())
	}
}

func TestPickerLoadError(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	m.ctx.cat.Load = func(string) (*scenarios.Scenario, error) { return nil, errBroken }
	press(m, "s")
	pressRun(m, "enter")
	if len(l.sent) != 0 || !m.ctx.warn || !strings.Contains(m.ctx.status, "broken") {
		t.Errorf("sent %v status %q", l.cmds(), m.ctx.status)
	}
}

// Each export gets a name of its own, and the status shows its full path.
func TestExport(t *testing.T) {
	m, l, calls := testModel(t, 120, 40)
	dir := m.ctx.exportDir
	for n := 1; n <= 2; n++ {
		cmd := press(m, "e")
		if cmd == nil {
			t.Fatal("e returned no command")
		}
		if len(l.sent) != 0 {
			t.Errorf("export went to the runner: %v", l.cmds())
		}
		msg := cmd()
		if len(*calls) != n {
			t.Fatalf("%d export calls", len(*calls))
		}
		c := (*calls)[n-1]
		want := filepath.Join(dir, fmt.Sprintf("auctionsim-test-demo-7-%d.json", n))
		if c.path != want || !filepath.IsAbs(c.path) {
			t.Errorf("path %q, want %q", c.path, want)
		}
		if c.snap != m.ctx.Frame.Snap || c.meta.Scenario != "test-demo" || !c.meta.Partial || c.meta.WallSeconds != 5 {
			t.Errorf("exported %+v", c.meta)
		}
		m.Update(msg)
		if m.ctx.status != "exported to "+want {
			t.Errorf("status %q", m.ctx.status)
		}
	}
	m.Update(exportedMsg{err: errBroken})
	if !m.ctx.warn || !strings.Contains(m.ctx.status, "export failed") {
		t.Errorf("status %q after a failed export", m.ctx.status)
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
	for _, want := range []string{"budget ÷/×1.25", "move/set budget", "restart", "export", "1st/2nd price"} {
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
	if m.ctx.WallRate <= 0 || m.ctx.VirtRate <= 0 || m.ctx.WallRate != m.ctx.VirtRate {
		t.Errorf("wall %v/s virtual %v/s", m.ctx.WallRate, m.ctx.VirtRate)
	}
	// The same frames at 10× speed: ten times the wall rate.
	sc := testScenario()
	eng := engineAt(t, sc, 5*sim.Second)
	f := frameOf(sc, eng.Snapshot(), t0, 0)
	m2, _, _ := testModel(t, 120, 40)
	m2.ctx.samples = nil
	m2.Update(frameMsg(f))
	eng.RunUntil(6 * sim.Second)
	f2 := frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0)
	m2.Update(frameMsg(f2))
	n := float64(f2.Snap.Exchange.Auctions - f.Snap.Exchange.Auctions)
	if m2.ctx.WallRate != n*10 || m2.ctx.VirtRate != n {
		t.Errorf("wall %v/s virtual %v/s, want %v and %v", m2.ctx.WallRate, m2.ctx.VirtRate, n*10, n)
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

// The late% column shows sim's recent share, so a bidder made faster
// stops showing late bids at once, while its whole-run share stays high.
func TestLateShareIsRecent(t *testing.T) {
	sc := testScenario()
	eng := engineAt(t, sc, 20*sim.Second)
	if err := eng.Apply(sim.ScaleLatency{Bidder: "laggard", Factor: 0.1}); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(40 * sim.Second)
	m, _, _ := testModel(t, 160, 48)
	m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0.Add(time.Second), 0)))
	i := 2 // laggard
	b := m.ctx.Frame.Snap.Bidders[i]
	if b.Name != "laggard" {
		t.Fatalf("bidder %d is %s", i, b.Name)
	}
	if whole, recent := b.TimeoutRate(), b.RecentTimeoutRate(); whole < 0.1 || b.RecentBids == 0 || recent > 0.01 {
		t.Errorf("laggard late: recent %.3f of %d bids, whole run %.3f; want recent under 1%%, whole run over 10%%", recent, b.RecentBids, whole)
	}
	cols := tableColumns(160, []string{"laggard"})
	row, _ := bidderRow(m.ctx, i, cols, m.ctx.Shown.set.Tmax, tableNames(m.ctx.Snap()))
	for k, c := range cols {
		if c.id == colLate && strings.TrimSpace(row[k]) != format.Pct(b.RecentTimeoutRate()) {
			t.Errorf("late%% cell %q, want the recent share %s", row[k], format.Pct(b.RecentTimeoutRate()))
		}
	}
}

// inInspector, inPicker and onDashboard say which view is on top; insp
// is the inspector on top.
func inInspector(m *model) bool { _, ok := m.ctx.top().(*inspector); return ok }
func inPicker(m *model) bool    { _, ok := m.ctx.top().(*picker); return ok }
func onDashboard(m *model) bool { _, ok := m.ctx.top().(*dashboard); return ok }

func insp(t *testing.T, m *model) *inspector {
	t.Helper()
	v, ok := m.ctx.top().(*inspector)
	if !ok {
		t.Fatalf("view %T, want the inspector", m.ctx.top())
	}
	return v
}

func TestRunRequiresScenario(t *testing.T) {
	if err := Run(Options{}); err == nil {
		t.Error("Run without a scenario succeeded")
	}
}
