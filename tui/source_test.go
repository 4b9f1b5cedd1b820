package tui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// fakeSource is a runner.Source that records its commands (fakeLink)
// and whether it was started.
type fakeSource struct {
	*fakeLink
	started, stopped bool
}

func (f *fakeSource) Start() { f.started = true }
func (f *fakeSource) Stop()  { f.stopped = true; close(f.done) }

// TestDashboardOnASource: given a source, the dashboard runs on it rather
// than on a simulation of its own; it draws the source's header line
// (on the wire: what crossed it), sends a key's change to the source as
// any change, and shows the source's refusal in the status line, the
// shown value going back to the frame's.
func TestDashboardOnASource(t *testing.T) {
	src := &fakeSource{fakeLink: newFakeLink()}
	if got, err := sourceOf(Options{Scenario: testScenario(), Source: src}); err != nil || got != runner.Source(src) {
		t.Fatalf("sourceOf: %v, %v: want the source given", got, err)
	}
	if got, err := sourceOf(Options{Scenario: testScenario()}); err != nil {
		t.Fatal(err)
	} else if _, ok := got.(*runner.Runner); !ok {
		t.Fatalf("sourceOf without a source: %T, want a runner", got)
	}

	sc := testScenario()
	eng := engineAt(t, sc, 2*sim.Second)
	a := frameOf(sc, eng.Snapshot(), t0, 0)
	eng.RunUntil(2100 * sim.Millisecond)
	b := frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0)
	const line = "on the wire: 4 bidders · 812 sent 790 answered 2 errors 20 timeouts · wait p50/p95 61ms/120ms"
	a.Line, b.Line = line, line
	l := src.fakeLink
	m := newModel(src, modelOptions{scenario: sc, theme: asciiTheme(), catalog: testCatalog(), exportDir: t.TempDir()})
	m.Update(sizeMsg(130, 40))
	m.Update(frameMsg(a))
	m.Update(frameMsg(b))
	if v := m.View(); !strings.Contains(v, "on the wire: 4 bidders") || !strings.Contains(v, "wait p50/p95 61ms/120ms") {
		t.Fatalf("the source's line is not in the header:\n%s", v)
	}
	// The estimate beside the closed form is the wire's, not a simulation's.
	if v := m.View(); strings.Contains(v, "simulated") || !strings.Contains(v, "measured ") {
		t.Errorf("on the wire the header's estimate must read measured:\n%s", v)
	}

	// l (slower) on the first bidder, which is on the wire.
	before := m.ctx.Shown.bidders[0].latency
	press(m, "l")
	if reflect.DeepEqual(m.ctx.Shown.bidders[0].latency, before) {
		t.Error("l changed nothing shown: the refusal below would prove nothing")
	}
	cmds := l.cmds()
	if len(cmds) != 1 {
		t.Fatalf("sent %v, want one change", cmds)
	}
	if _, ok := cmds[0].(runner.Apply); !ok {
		t.Fatalf("sent %T, want an Apply", cmds[0])
	}
	refused := b
	refused.Ack = l.sent[0].Seq
	refused.Wall = b.Wall.Add(100 * time.Millisecond)
	refused.Notes = []runner.Note{{Text: "swift is on the wire: change it on its server", Warn: true}}
	m.Update(frameMsg(refused))
	v := m.View()
	if !strings.Contains(v, "swift is on the wire: change it on its server") {
		t.Errorf("the refusal is not in the status line:\n%s", v)
	}
	if got := m.ctx.Shown.bidders[0].latency; !reflect.DeepEqual(got, before) {
		t.Errorf("shown latency %+v after the refusal, want the frame's %+v", got, before)
	}
}
