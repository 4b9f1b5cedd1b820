package tui

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// forkTitleAt is the A/B panel's title at 160×48 for the world yaml
// describes, forked at 5 s and shown at until.
func forkTitleAt(t *testing.T, yaml string, until sim.Time) string {
	t.Helper()
	sc, err := scenarios.Parse("fork-level.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	m := forkedModel(t, sc, 160, 48, until)
	v := m.View()
	i := strings.Index(v, "A/B fork")
	if i < 0 {
		t.Fatalf("no fork panel:\n%s", v)
	}
	title, _, _ := strings.Cut(v[i:], "\n")
	return title
}

// TestForkLevelAuctionStop: a world that stops after a number of
// auctions (first-vs-second's million) has a stop in time too; a fork
// whose two memories end after it says "no 95% before the stop" rather
// than promising an interval at an instant the run never reaches. The
// title read "95% from 53s" for a run that ends at 20 s (its memory, 12
// pacing intervals of 2 s, is 24 s).
func TestForkLevelAuctionStop(t *testing.T) {
	yaml := `name: paced-auctions
seed: 3
stop: {auctions: 20000}
traffic: {qps: 1000}
exchange: {auction: second-price, tmax: 120ms, floor: 0.10, increment: 0.01}
pacing: {interval: 2s}
bidders:
  - {name: paced, value: {dist: uniform, min: 0, max: 2}, budget: {total: 5, pacing: multiplier}}
  - {name: rival, value: {dist: uniform, min: 0, max: 1}}
`
	title := forkTitleAt(t, yaml, 10*sim.Second)
	if !strings.Contains(title, "no 95% before the stop") || strings.Contains(title, "95% from") {
		t.Errorf("title %q, want no 95%% before the stop (20,000 auctions at 1000 qps end at 20 s)", title)
	}
}

// TestForkLevelLearner: a learner's memory is its age, so a fork of a
// world with one never gets two memories past it; the title says so
// ("no 95% while ada learns") rather than "95% from 1m35s", a time that
// moved on as the run reached it.
func TestForkLevelLearner(t *testing.T) {
	yaml := `name: learning
seed: 3
stop: {duration: 1h}
traffic: {qps: 500}
exchange: {auction: first-price, tmax: 120ms}
bidders:
  - {name: ada, value: {dist: uniform, min: 0, max: 1}, strategy: {kind: learn}}
  - {name: bo, value: {dist: uniform, min: 0, max: 1}, strategy: {kind: shade, factor: 0.5}}
`
	title := forkTitleAt(t, yaml, 50*sim.Second)
	if !strings.Contains(title, "no 95% while ada learns") || strings.Contains(title, "95% from") {
		t.Errorf("title %q, want no 95%% while ada learns", title)
	}
}

// TestForkLevelGoalWaits: on flight-week, whose goal bidder calibrates
// on its people's conversions, the fork's batches are held to a floor
// (26 hours) until those conversions are due, then to days. The title
// read "95% from 52h00m" in the fork's first seconds and "no 95% before
// the stop" within its first hours: while the memory waits it says so
// rather than promise an interval it will withdraw.
func TestForkLevelGoalWaits(t *testing.T) {
	sc, err := scenarios.Bundled("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	title := forkTitleOf(t, forkedModel(t, sc, 80, 24, 10*sim.Second))
	if !strings.Contains(title, "95% waits for conversions") || strings.Contains(title, "95% from") {
		t.Errorf("title at 10s %q, want 95%% waits for conversions", title)
	}
	title = forkTitleOf(t, forkedModel(t, sc, 160, 48, 12*sim.Hour))
	if !strings.Contains(title, "no 95% before the stop") {
		t.Errorf("title at 12h %q, want no 95%% before the stop", title)
	}
}

// forkTitleOf is m's A/B panel's title.
func forkTitleOf(t *testing.T, m *model) string {
	t.Helper()
	v := m.View()
	i := strings.Index(v, "A/B fork")
	if i < 0 {
		t.Fatalf("no fork panel:\n%s", v)
	}
	title, _, _ := strings.Cut(v[i:], "\n")
	return title
}

// forkedModel is a model at w×h on sc forked at 5 s with no change to
// B, its intervals a second, that has seen frames at until − 100 ms and
// until.
func forkedModel(t *testing.T, sc *scenarios.Scenario, w, h int, until sim.Time) *model {
	t.Helper()
	eng := engineAt(t, sc, 5*sim.Second)
	f := sim.NewFork(eng, sim.Second, nil)
	frame := func(at sim.Time) runner.Frame {
		f.RunUntil(at)
		fr := frameOf(sc, f.B.Snapshot(), t0, 0)
		fr.Fork = &runner.ForkFrame{A: f.A.Snapshot(), At: 5 * sim.Second, Every: sim.Second, Batch: f.Batch(), Waits: f.MemoryWaits(), Differences: f.Differences()}
		return fr
	}
	first := frame(until - 100*sim.Millisecond)
	m, _, _ := recordingModel(t, sc, w, h, first, frame(until))
	return m
}
