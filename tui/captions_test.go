package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// captionScenario is the test world with a script: a step with a caption
// at 2 s, a caption alone at 3 s, a step without one at 8 s.
func captionScenario() *scenarios.Scenario {
	sc := testScenario()
	sc.Config.Script = []sim.Scheduled{
		{At: 2 * sim.Second, Changes: []sim.Change{sim.SetTmax{Tmax: 100 * sim.Millisecond}}},
		{At: 3 * sim.Second},
		{At: 8 * sim.Second, Changes: []sim.Change{sim.SetTmax{Tmax: 300 * sim.Millisecond}}},
	}
	sc.Steps = []scenarios.Step{
		{At: 2 * sim.Second, Sets: []string{"exchange.tmax=100ms"}, Say: "tmax down: watch the late bids"},
		{At: 3 * sim.Second, Say: "revenue falls with them"},
		{At: 8 * sim.Second, Sets: []string{"exchange.tmax=300ms"}},
	}
	return sc
}

// captionModel is a model at w×h on sc, timed by the clock *now, that has
// seen no frame yet; frame(at, gen) runs sc's engine to at and hands the
// model its frame, returning the command the model gave back.
func captionModel(t *testing.T, sc *scenarios.Scenario, w, h int, now *time.Time) (*model, func(at sim.Time, gen uint64) bool) {
	t.Helper()
	m := newModel(newFakeLink(), modelOptions{scenario: sc, theme: asciiTheme(), catalog: testCatalog(), now: func() time.Time { return *now }})
	m.Update(sizeMsg(w, h))
	return m, func(at sim.Time, gen uint64) bool {
		t.Helper()
		f := frameOf(sc, engineAt(t, sc, at).Snapshot(), *now, 0)
		f.Gen = gen
		_, cmd := m.Update(frameMsg(f))
		return cmd != nil
	}
}

// statusOf is the screen's last line but the help's: the status line.
func statusOf(m *model) string {
	lines := strings.Split(m.View(), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], "?") && strings.Contains(lines[i], "quit") {
			continue
		}
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return ""
}

func TestCaptions(t *testing.T) {
	now := t0
	m, frame := captionModel(t, captionScenario(), 120, 40, &now)
	frame(1*sim.Second, 1)
	if got := statusOf(m); got != "next at 0:02: exchange.tmax=100ms" {
		t.Errorf("before the first step the status line previews it: %q", got)
	}
	now = now.Add(time.Second)
	frame(2500*sim.Millisecond, 1)
	if got := statusOf(m); got != "▶ tmax down: watch the late bids  · next at 0:03: “revenue falls with them”" {
		t.Errorf("the first step's caption: %q", got)
	}
	// Its few seconds of wall time, however the run goes meanwhile.
	now = now.Add(captionFor - time.Millisecond)
	m.Update(captionDone{})
	if !strings.Contains(m.View(), "tmax down: watch the late bids") {
		t.Error("the caption left before its time")
	}
	now = now.Add(time.Millisecond)
	m.Update(captionDone{})
	if v := m.View(); strings.Contains(v, "tmax down") || statusOf(m) != "next at 0:03: “revenue falls with them”" {
		t.Errorf("after its time the caption is gone, the preview stays: %q", statusOf(m))
	}

	// A key's message takes the line from a caption.
	frame(3500*sim.Millisecond, 1)
	if got := statusOf(m); !strings.HasPrefix(got, "▶ revenue falls with them  · next at 0:08: exchange.tmax=300ms") {
		t.Errorf("the caption alone: %q", got)
	}
	press(m, "t")
	if got := statusOf(m); strings.Contains(got, "revenue falls") || !strings.Contains(got, "tmax") {
		t.Errorf("a key's message after the caption: %q", got)
	}
	// The change log keeps the next step in view all the while.
	if v := m.View(); !strings.Contains(v, "8.00s  next: exchange.tmax=300ms") {
		t.Errorf("the changes panel lacks the next step:\n%s", v)
	}

	// A new run (restart, another scenario) starts the script over.
	frame(1*sim.Second, 2)
	if m.ctx.captions.passed != 0 || m.ctx.preview() != "next at 0:02: exchange.tmax=100ms" {
		t.Errorf("after a restart: passed %d, preview %q", m.ctx.captions.passed, m.ctx.preview())
	}
}

// Steps passed at once (a fast run) show the newest caption among them;
// the script done, nothing is previewed. A caption ending asks for a tick
// so it leaves on time while paused.
func TestCaptionsFastAndDone(t *testing.T) {
	now := t0
	m, frame := captionModel(t, captionScenario(), 120, 40, &now)
	frame(1*sim.Second, 1)
	if !frame(9*sim.Second, 1) {
		t.Fatal("no command after the frame")
	}
	if m.ctx.caption() != "revenue falls with them" {
		t.Errorf("caption %q", m.ctx.caption())
	}
	if tick := m.ctx.captionTick(); tick != nil {
		t.Error("the tick was asked for twice")
	}
	if got := statusOf(m); got != "▶ revenue falls with them" {
		t.Errorf("the newest caption, nothing to preview: %q", got)
	}
}

// In presentation mode the caption takes its status line too.
func TestCaptionsPresent(t *testing.T) {
	now := t0
	m, frame := captionModel(t, captionScenario(), 100, 30, &now)
	frame(1*sim.Second, 1)
	press(m, "P")
	if !fullScreen(m.ctx.top()) {
		t.Fatal("not in presentation mode")
	}
	frame(2100*sim.Millisecond, 1)
	lines := strings.Split(m.View(), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, "▶ tmax down: watch the late bids") {
		t.Errorf("presentation mode's last line: %q", last)
	}
	now = now.Add(captionFor)
	m.Update(captionDone{})
	lines = strings.Split(m.View(), "\n")
	if last := lines[len(lines)-1]; strings.Contains(last, "tmax down") {
		t.Errorf("the caption outstayed its time: %q", last)
	}
}

// The tick that ends a caption is part of the frame's command, timed to
// the caption's end on the Context's clock.
func TestCaptionTick(t *testing.T) {
	now := t0
	m, _ := captionModel(t, captionScenario(), 120, 40, &now)
	m.ctx.Frame = runner.Frame{}
	m.ctx.onCaptions(2*sim.Second, false)
	if m.ctx.captionTick() == nil || m.ctx.captions.until != t0.Add(captionFor) {
		t.Errorf("tick for a caption until %v", m.ctx.captions.until)
	}
}
