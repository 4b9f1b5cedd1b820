package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestFrequencyOnDashboard drives the real program on a world with
// people and a cap of 2 a minute on the selected bidder: the bidders
// table's title shows, as the screen comes to say, the people it
// reached, its impressions per person, the most one person saw in the
// window against the cap, and the no-bids the cap made, each as the
// engine counts them.
func TestFrequencyOnDashboard(t *testing.T) {
	sc, _, err := scenarios.ResolveWith("timeout-demo", []scenarios.Set{
		{Path: "traffic.users", Value: "{count: 200, skew: 1}", Flag: "--set"},
		{Path: "bidders.swift.frequency_cap", Value: "{impressions: 2, per: 1m}", Flag: "--set"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tm := startProgramSized(t, sc, runner.Options{Speed: 4}, modelOptions{theme: asciiTheme(), catalog: testCatalog()}, 220, 48)
	// The cap binds within a few seconds: the most one person saw is
	// the cap.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("swift reach ")) && bytes.Contains(b, []byte("max 2 in 1m (cap 2) · capped "))
	}, teatest.WithDuration(waitLimit), teatest.WithCheckInterval(20*time.Millisecond))
	// Down selects tail, which has no cap.
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	waitOutput(t, tm, "tail reach ", waitLimit, 20*time.Millisecond)
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*model)
	snap := fm.ctx.Frame.Snap
	o := snap.Bidders[1].Frequency
	if o == nil || o.Cap != nil || o.Capped != 0 || o.PeopleReached == 0 {
		t.Fatalf("tail: frequency %+v", o)
	}
	want := "tail reach " + format.Count(o.PeopleReached) + " · " + format.Fixed(o.MeanPerPerson, 2) + "/person · max " + format.Count(o.MaxInWindow) + " per person, uncapped"
	if v := fm.View(); !strings.Contains(v, want) {
		t.Errorf("no %q on the final screen:\n%s", want, v)
	}
	press(fm, "up")
	b := snap.Bidders[0]
	f := b.Frequency
	if b.Name != "swift" || f == nil || f.Cap == nil || f.MaxInWindow != 2 || f.Capped == 0 || f.PeopleReached == 0 {
		t.Fatalf("%s: frequency %+v", b.Name, f)
	}
	want = "swift reach " + format.Count(f.PeopleReached) + " · " + format.Fixed(f.MeanPerPerson, 2) + "/person · max 2 in 1m (cap 2) · capped " + format.Count(f.Capped)
	if v := fm.View(); !strings.Contains(v, want) {
		t.Errorf("no %q on the screen:\n%s", want, v)
	}
}
