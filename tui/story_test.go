package tui

import (
	"bytes"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// fastClock is a wall clock that runs k times faster than the real one,
// so a paced run of minutes takes seconds and is still paced (frames,
// speed, the replay) as the program paces it.
type fastClock struct {
	k    float64
	base time.Time // real
}

func newFastClock(k float64) *fastClock { return &fastClock{k: k, base: time.Now()} }

func (c *fastClock) Now() time.Time {
	return c.base.Add(time.Duration(float64(time.Since(c.base)) * c.k))
}

func (c *fastClock) NewTimer(d time.Duration) runner.Timer {
	t := &fastTimer{c: make(chan time.Time, 1)}
	t.t = time.AfterFunc(time.Duration(float64(d)/c.k), func() { t.c <- c.Now() })
	return t
}

type fastTimer struct {
	t *time.Timer
	c chan time.Time
}

func (t *fastTimer) C() <-chan time.Time { return t.c }
func (t *fastTimer) Stop() bool          { return t.t.Stop() }

// storyScenario is the bundled timeout-story, or, in a build without it,
// a world that tells the same story by a script: a bidder degrades at
// 30 s, tmax is raised at 60 s.
func storyScenario(t *testing.T) (*scenarios.Scenario, []sim.Time) {
	if sc, err := scenarios.Bundled("timeout-story"); err == nil {
		var at []sim.Time
		for _, s := range sc.Config.Script {
			for range s.Changes {
				at = append(at, s.At)
			}
		}
		return sc, at
	}
	sc := testScenario()
	sc.Name, sc.Config.Name = "story", "story"
	sc.Stop = scenarios.Stop{Duration: 2 * sim.Minute}
	sc.Config.Script = []sim.Scheduled{
		{At: 30 * sim.Second, Changes: []sim.Change{sim.ScaleLatency{Bidder: "steady", Factor: 3}}},
		{At: 60 * sim.Second, Changes: []sim.Change{sim.SetTmax{Tmax: 350 * sim.Millisecond}}},
	}
	return sc, []sim.Time{30 * sim.Second, 60 * sim.Second}
}

// `auctionsim -s timeout-story --speed 4` tells its story without a key:
// the dashboard, paced at 4× (on a clock twenty times faster than the
// wall's, so the two minutes take a few seconds), applies each scripted
// change at its virtual instant, logs it as scripted, and pauses at the
// stop with the raised tmax on screen.
func TestTimeoutStoryUntouched(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): the whole story, 80 s under -race, 2 s without")
	}
	sc, want := storyScenario(t)
	if len(want) == 0 {
		t.Fatal("the story has no script")
	}
	tm := startProgram(t, sc, runner.Options{Speed: 4, Clock: newFastClock(20)}, modelOptions{theme: asciiTheme(), catalog: testCatalog()})
	// 1.5 s at full speed; under the race detector the engine, not the
	// clock, sets the pace (half a minute on a quiet machine), so the
	// limit is generous: it only turns a hang into a failure.
	waitOutput(t, tm, "■ ended", 4*waitLimit, 20*time.Millisecond)
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*model)
	snap := fm.ctx.Snap()
	if snap.Now != sc.Stop.Duration {
		t.Errorf("ended at %v, want the stop %v", snap.Now, sc.Stop.Duration)
	}
	if len(snap.Changes) != len(want) {
		t.Fatalf("change log %+v, want the script's %d changes", snap.Changes, len(want))
	}
	for i, c := range snap.Changes {
		if c.At != want[i] || !c.Scripted {
			t.Errorf("change %d (%v) at %v, scripted %v; want at %v by the script", i, c.Change, c.At, c.Scripted, want[i])
		}
	}
	if v := fm.View(); !bytes.Contains([]byte(v), []byte("tmax 350ms")) || !bytes.Contains([]byte(v), []byte("script ")) {
		t.Errorf("the raised tmax, or the scripted changes, are not on screen:\n%s", v)
	}
	if fm.ctx.seq != 0 {
		t.Errorf("%d commands sent: the story was touched", fm.ctx.seq)
	}
	if got := runner.SpeedLabel(fm.ctx.Frame.Speed); got != "4×" {
		t.Errorf("speed %s, want 4×", got)
	}
}
