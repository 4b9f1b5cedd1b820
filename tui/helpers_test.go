package tui

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// testScenario is a small world like the bundled timeout-demo, defined
// here so that the golden files do not change when the bundled scenarios
// are tuned: a fast bidder, a paced one, one that is often late, and one
// with finite capacity.
func testScenario() *scenarios.Scenario {
	lat := func(median, p99 float64) sim.Dist {
		return sim.LogNormalMedianP99(median*float64(sim.Millisecond), p99*float64(sim.Millisecond))
	}
	cfg := sim.Config{
		Name:    "test-demo",
		Seed:    7,
		Traffic: sim.Traffic{QPS: 200},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 120 * sim.Millisecond, Floor: sim.PriceOf(0.5), Increment: sim.PriceOf(0.01),
			TmaxCurve: sim.DefaultTmaxCurve},
		Horizon: 10 * sim.Minute,
		Bidders: []sim.BidderConfig{
			{Name: "swift", Latency: lat(30, 70), Value: sim.Uniform(0.5, 2.5),
				Outcome: &sim.Outcome{CTR: 0.05, CVR: 0.1, OrderValue: sim.MoneyOf(40), BaselineCVR: 0.002, Delay: sim.Exponential(float64(sim.Second))}},
			{Name: "steady", Latency: lat(60, 110), Value: sim.Normal(1.8, 0.5),
				Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.85}, Budget: &sim.Budget{Total: sim.MoneyOf(5), Pacing: sim.PacingThrottle}},
			{Name: "laggard", Latency: lat(100, 220), Value: sim.Uniform(1, 4)},
			{Name: "crowded", Latency: lat(20, 40), Capacity: &sim.Capacity{Workers: 4, Service: sim.Exponential(15 * float64(sim.Millisecond))},
				Value: sim.Uniform(0.8, 2), Strategy: sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(1.2)}, Budget: &sim.Budget{Total: sim.MoneyOf(2)}},
		},
	}
	return &scenarios.Scenario{Name: "test-demo", Description: "a test world", Source: "test",
		Stop: scenarios.Stop{Duration: 10 * sim.Minute}, Config: cfg}
}

// otherScenario is a second world for the picker.
func otherScenario() *scenarios.Scenario {
	sc := testScenario()
	sc.Name, sc.Config.Name = "other", "other"
	sc.Config.Bidders = sc.Config.Bidders[:2]
	return sc
}

// testCatalog lists the two test scenarios.
func testCatalog() catalog {
	return catalog{
		List: func() []scenarios.Info {
			return []scenarios.Info{{Name: "test-demo", Description: "a test world"}, {Name: "other", Description: "two bidders"}}
		},
		Load: func(name string) (*scenarios.Scenario, error) {
			switch name {
			case "test-demo":
				return testScenario(), nil
			case "other":
				return otherScenario(), nil
			}
			return nil, errors.New("no such scenario")
		},
	}
}

// asciiTheme is the theme without colour, as the golden files have it.
func asciiTheme() *theme.Theme { return theme.New(theme.FixedRenderer(termenv.Ascii)) }

// colourTheme is the theme in 256 colours.
func colourTheme() *theme.Theme { return theme.New(theme.FixedRenderer(termenv.ANSI256)) }

// setTheme redraws m in th.
func setTheme(m *model, th *theme.Theme) {
	m.ctx.Theme = th
	m.help.Styles = th.Help
	m.refresh()
}

// fakeLink records the commands the model sends.
type fakeLink struct {
	sent   []runner.Envelope
	full   bool // the queue is full: Send refuses
	frames chan runner.Frame
	done   chan struct{}
	err    error
}

func newFakeLink() *fakeLink {
	return &fakeLink{frames: make(chan runner.Frame, 1), done: make(chan struct{})}
}

func (f *fakeLink) Send(e runner.Envelope) bool {
	if f.full {
		return false
	}
	f.sent = append(f.sent, e)
	return true
}
func (f *fakeLink) Frames() <-chan runner.Frame { return f.frames }
func (f *fakeLink) Done() <-chan struct{}       { return f.done }
func (f *fakeLink) Err() error                  { return f.err }

// cmds returns the commands sent so far, without envelopes.
func (f *fakeLink) cmds() []runner.Command {
	out := make([]runner.Command, len(f.sent))
	for i, e := range f.sent {
		out[i] = e.Cmd
	}
	return out
}

// exportCall is one call of the fake exporter.
type exportCall struct {
	path string
	snap *sim.Snapshot
	meta report.Meta
}

// errBroken is a failure for fakes to return.
var errBroken = errors.New("broken")

// t0 is the wall time of the first test frame: fixed, so rates are too.
var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// engineAt runs sc's engine to virtual time at, deterministically, on the
// test's goroutine.
func engineAt(t testing.TB, sc *scenarios.Scenario, at sim.Time) *sim.Engine {
	t.Helper()
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(at)
	return eng
}

// frameOf wraps a snapshot the way the runner does.
func frameOf(sc *scenarios.Scenario, snap *sim.Snapshot, wall time.Time, ack uint64) runner.Frame {
	return runner.Frame{
		Snap: snap, Wall: wall, Ack: ack, Gen: 1, Speed: 1,
		World: sc.Name, Stop: sc.Stop, WallRun: snap.Now.Duration(),
	}
}

// testModel is a model at w×h that has seen two frames of the test
// scenario, at 4.9 s and 5 s of virtual time and 100 ms of wall time
// apart, so every panel, rate included, has something to show.
func testModel(t testing.TB, w, h int) (*model, *fakeLink, *[]exportCall) {
	t.Helper()
	return testModelWith(t, w, h, nil)
}

// goldenModel is testModel with two live changes made at 3 s, so the
// change log and the floor line have something to show.
func goldenModel(t testing.TB, w, h int) *model {
	t.Helper()
	m, _, _ := testModelWith(t, w, h, func(eng *sim.Engine) {
		eng.RunUntil(3 * sim.Second)
		for _, c := range []sim.Change{sim.SetFloor{Floor: sim.PriceOf(0.8)}, sim.ScaleLatency{Bidder: "laggard", Factor: 1.25}} {
			if err := eng.Apply(c); err != nil {
				t.Fatal(err)
			}
		}
	})
	return m
}

// testModelWith is testModel with prep run on the engine first.
func testModelWith(t testing.TB, w, h int, prep func(*sim.Engine)) (*model, *fakeLink, *[]exportCall) {
	t.Helper()
	sc := testScenario()
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	if prep != nil {
		prep(eng)
	}
	eng.RunUntil(4900 * sim.Millisecond)
	first := eng.Snapshot()
	eng.RunUntil(5 * sim.Second)
	second := eng.Snapshot()
	return recordingModel(t, nil, w, h, frameOf(sc, first, t0, 0), frameOf(sc, second, t0.Add(100*time.Millisecond), 0))
}

// recordingModel is a model on a fake link at w×h, opened on sc (nil:
// none), whose exports are recorded, that has seen frames a and then b.
func recordingModel(t testing.TB, sc *scenarios.Scenario, w, h int, a, b runner.Frame) (*model, *fakeLink, *[]exportCall) {
	t.Helper()
	l := newFakeLink()
	var calls []exportCall
	m := newModel(l, modelOptions{
		scenario: sc,
		theme:    asciiTheme(),
		catalog:  testCatalog(),
		export: func(path string, snap *sim.Snapshot, meta report.Meta, _ ...report.Section) error {
			calls = append(calls, exportCall{path, snap, meta})
			return nil
		},
		exportDir: t.TempDir(),
	})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(frameMsg(a))
	m.Update(frameMsg(b))
	return m, l, &calls
}

// press sends one key to the model and returns the command it produced.
func press(m *model, k string) tea.Cmd {
	var msg tea.KeyMsg
	switch k {
	case "enter":
		msg = tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		msg = tea.KeyMsg{Type: tea.KeyEsc}
	case "up":
		msg = tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		msg = tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		msg = tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		msg = tea.KeyMsg{Type: tea.KeyRight}
	case "ctrl+c":
		msg = tea.KeyMsg{Type: tea.KeyCtrlC}
	case "backspace":
		msg = tea.KeyMsg{Type: tea.KeyBackspace}
	case " ":
		msg = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	default:
		msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	}
	_, cmd := m.Update(msg)
	return cmd
}

// pressRun is press, then runs the command the key returned, if any, and
// hands its message back to the model, as the program would. Only for
// keys whose commands finish at once (not the frame listener).
func pressRun(m *model, k string) {
	if cmd := press(m, k); cmd != nil {
		if msg := cmd(); msg != nil {
			m.Update(msg)
		}
	}
}

// waitLimit bounds every wait for a screen or a frame. Waits end as soon
// as the condition holds; the limit only turns a hang into a failure, so
// it is generous: a busy CI machine under -race is many times slower than
// a quiet one.
const waitLimit = 90 * time.Second

// sizeMsg is a terminal of w×h.
func sizeMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// liveModel starts a paused runner on sc and a model driving it, sized
// 120×40 with the first frame read; opts gets sc, the ASCII theme and the
// test catalog. pump feeds the model frames until the runner has
// acknowledged every command sent. The runner stops when the test ends.
func liveModel(t *testing.T, sc *scenarios.Scenario, opts modelOptions) (m *model, r *runner.Runner, pump func()) {
	t.Helper()
	r, err := runner.New(worldOf(sc), runner.Options{Paused: true})
	if err != nil {
		t.Fatal(err)
	}
	opts.scenario, opts.theme, opts.catalog = sc, asciiTheme(), testCatalog()
	m = newModel(r, opts)
	r.Start()
	t.Cleanup(r.Stop)
	m.Update(frameMsg(<-r.Frames()))
	m.Update(sizeMsg(120, 40))
	pump = func() {
		t.Helper()
		deadline := time.After(waitLimit)
		for m.ctx.Frame.Ack < m.ctx.seq {
			select {
			case f := <-r.Frames():
				m.Update(frameMsg(f))
			case <-deadline:
				t.Fatal("the runner never acknowledged")
			}
		}
	}
	return m, r, pump
}

// readExport decodes the JSON file an export wrote at path into v.
func readExport(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

// exportReplay presses e on m and reads back the replay section of the
// file written.
func exportReplay(t *testing.T, m *model) (exportedMsg, *report.Replayable) {
	t.Helper()
	msg := press(m, "e")()
	em, ok := msg.(exportedMsg)
	if !ok || em.err != nil {
		t.Fatalf("export: %#v", msg)
	}
	f, err := os.Open(em.path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadReplay(f)
	if err != nil {
		t.Fatal(err)
	}
	return em, rep
}

// replayExport parses the export's own scenario, with its seed, and
// replays it to the export's point.
func replayExport(t *testing.T, rep *report.Replayable) *sim.Engine {
	t.Helper()
	again, err := scenarios.Parse("export", rep.YAML)
	if err != nil {
		t.Fatal(err)
	}
	return replayTo(t, again.WithSeed(rep.Seed).Config, rep)
}

// replayTo runs cfg with rep's changes up to rep's point.
func replayTo(t *testing.T, cfg sim.Config, rep *report.Replayable) *sim.Engine {
	t.Helper()
	cfg.Replay = rep.Changes
	eng, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := eng.RunToPoint(rep.Point, math.MaxUint64); !ok || err != nil {
		t.Fatalf("replay to %+v: %v %v", rep.Point, ok, err)
	}
	return eng
}

// steppedModel is the dashboard live on the bundled scenario name, paused
// after one step (".") whose frame it has drawn, and its pump.
func steppedModel(t *testing.T, name string) (*model, func()) {
	t.Helper()
	sc, err := scenarios.Bundled(name)
	if err != nil {
		t.Fatal(err)
	}
	m, _, pump := liveModel(t, sc, modelOptions{})
	pressRun(m, ".")
	pump()
	return m, pump
}
