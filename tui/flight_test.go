package tui

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// flightModel is a 160×48 model on flight-week that has seen frames at
// at-100ms and at, with bidder sel selected.
func flightModel(t *testing.T, at sim.Time, sel string) (*model, *fakeLink) {
	t.Helper()
	sc, err := scenarios.Bundled("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	eng := engineAt(t, sc, at-100*sim.Millisecond)
	first := eng.Snapshot()
	eng.RunUntil(at)
	m, l, _ := recordingModel(t, sc, 160, 48, frameOf(sc, first, t0, 0), frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0))
	for m.ctx.Snap().Bidders[m.ctx.Selected].Name != sel {
		press(m, "j")
	}
	return m, l
}

func capOf(k int, per sim.Time) *sim.FrequencyCap { return &sim.FrequencyCap{Impressions: k, Per: per} }

// TestFlightKeys: d/D step the selected bidder's daily budget by
// dailyScale, in whole cents, and u/U its frequency cap by one, each one
// live change, compounding before a frame confirms them; U starts a cap
// on a bidder with people and none; a bidder without a daily budget is
// told so, and nothing is sent.
func TestFlightKeys(t *testing.T) {
	m, l := flightModel(t, 10*sim.Minute, "globex-capped")
	for _, k := range []string{"D", "D", "d", "U", "u", "u"} {
		press(m, k)
	}
	want := []sim.Change{
		sim.SetDaily{Bidder: "globex-capped", Daily: sim.MoneyOf(31.25)},
		sim.SetDaily{Bidder: "globex-capped", Daily: sim.MoneyOf(39.06)},
		sim.SetDaily{Bidder: "globex-capped", Daily: sim.MoneyOf(31.24)},
		sim.SetFrequencyCap{Bidder: "globex-capped", Cap: capOf(4, 24*sim.Hour)},
		sim.SetFrequencyCap{Bidder: "globex-capped", Cap: capOf(3, 24*sim.Hour)},
		sim.SetFrequencyCap{Bidder: "globex-capped", Cap: capOf(2, 24*sim.Hour)},
	}
	if got := appliedChanges(l.cmds()); !reflect.DeepEqual(got, want) {
		t.Errorf("changes sent\n %v\nwant\n %v", got, want)
	}

	m, l = flightModel(t, 10*sim.Minute, "rival")
	press(m, "D")
	if v := m.View(); !strings.Contains(v, "rival has no daily budget") {
		t.Errorf("D on a bidder without a daily budget says nothing:\n%s", v)
	}
	press(m, "u")
	if v := m.View(); !strings.Contains(v, "rival has no frequency cap: U sets one") {
		t.Errorf("u on an uncapped bidder says nothing:\n%s", v)
	}
	press(m, "U")
	want = []sim.Change{sim.SetFrequencyCap{Bidder: "rival", Cap: capOf(capStart, capPerDefault)}}
	if got := appliedChanges(l.cmds()); !reflect.DeepEqual(got, want) {
		t.Errorf("changes sent %v, want %v", got, want)
	}

	// Without people there is no cap to set.
	gm, gl, _ := goalModel(t, "{kind: shade, factor: 0.8}", 10*sim.Second)
	press(gm, "U")
	if v := gm.View(); !strings.Contains(v, "a frequency cap needs people") || len(appliedChanges(gl.cmds())) != 0 {
		t.Errorf("U without people: %v\n%s", appliedChanges(gl.cmds()), v)
	}
}

// TestSetFormFlight: = on a bidder with a daily budget and people offers
// its total, its daily budget and its cap (↑/↓), each with its current
// value; a daily-only bidder opens on its daily budget; enter sets the
// one picked; 0 takes the cap off; a cap that is not a whole number is
// refused with the form left open.
func TestSetFormFlight(t *testing.T) {
	m, l := flightModel(t, 10*sim.Minute, "globex-capped")
	press(m, "=")
	if v := m.View(); !strings.Contains(v, "Set total budget of globex-capped") || !strings.Contains(v, "▸total  daily  cap") {
		t.Fatalf("= does not offer total, daily and cap:\n%s", v)
	}
	press(m, "down")
	if v := m.View(); !strings.Contains(v, "Set daily budget") || !strings.Contains(v, "amount 25") {
		t.Fatalf("↓ does not pick the daily budget, at 25:\n%s", v)
	}
	for _, k := range []string{"4", "0", "enter"} {
		press(m, k)
	}
	press(m, "=")
	press(m, "up")
	if v := m.View(); !strings.Contains(v, "Set frequency cap") || !strings.Contains(v, "amount 3") {
		t.Fatalf("↑ from total does not wrap to the cap, at 3:\n%s", v)
	}
	for _, k := range []string{"2", ".", "5", "enter"} {
		press(m, k)
	}
	if v := m.View(); !strings.Contains(v, "a whole number of impressions") || !strings.Contains(v, "Set frequency cap") {
		t.Errorf("a cap of 2.5 is not refused in the open form:\n%s", v)
	}
	for _, k := range []string{"backspace", "backspace", "backspace", "6", "enter"} {
		press(m, k)
	}
	press(m, "=")
	for _, k := range []string{"down", "down", "0", "enter"} {
		press(m, k)
	}
	want := []sim.Change{
		sim.SetDaily{Bidder: "globex-capped", Daily: sim.MoneyOf(40)},
		sim.SetFrequencyCap{Bidder: "globex-capped", Cap: capOf(6, 24*sim.Hour)},
		sim.SetFrequencyCap{Bidder: "globex-capped", Cap: nil},
	}
	if got := appliedChanges(l.cmds()); !reflect.DeepEqual(got, want) {
		t.Errorf("changes sent\n %v\nwant\n %v", got, want)
	}

	// flight-week's daily-only bidder opens on its daily budget.
	m, _ = flightModel(t, 10*sim.Minute, "acme-even")
	press(m, "=")
	if v := m.View(); !strings.Contains(v, "Set daily budget of acme-even") || !strings.Contains(v, "amount 20") {
		t.Errorf("= on a daily-only bidder:\n%s", v)
	}
}

// TestFlightKeysReplay: a daily budget and a frequency cap changed with
// the keys and the = form are logged as their path assignments
// (bidders.NAME.budget.daily, bidders.NAME.frequency_cap), and the
// export replays to the very same state.
func TestFlightKeysReplay(t *testing.T) {
	sc, err := scenarios.Bundled("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m, _, pump := liveModel(t, sc, modelOptions{export: report.Write, exportDir: dir})
	step := func(n int) {
		for range n {
			press(m, ".")
			pump()
		}
	}
	step(30)
	for m.ctx.Snap().Bidders[m.ctx.Selected].Name != "globex-capped" {
		press(m, "j")
	}
	press(m, "D")
	pump()
	step(30)
	press(m, "u")
	pump()
	step(30)
	press(m, "=")
	for _, k := range []string{"down", "1", "2", "enter"} {
		press(m, k)
	}
	pump()
	step(30)
	exported := m.ctx.Snap()
	b, _ := exported.FindBidder("globex-capped")
	if b.Daily != sim.MoneyOf(12) || b.Frequency.Cap == nil || b.Frequency.Cap.Impressions != 2 {
		t.Fatalf("after the keys: daily %v, cap %+v", b.Daily, b.Frequency.Cap)
	}
	em, rep := exportReplay(t, m)
	m.Update(em)
	if len(rep.Changes) != 3 {
		t.Fatalf("%d changes in the export", len(rep.Changes))
	}
	data, err := os.ReadFile(em.path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Changes []struct {
			Set map[string]string `json:"set"`
		} `json:"changes"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var sets []string
	for _, c := range doc.Changes {
		for p, v := range c.Set {
			sets = append(sets, p+"="+v)
		}
	}
	want := []string{"bidders.globex-capped.budget.daily=31.25", "bidders.globex-capped.frequency_cap={impressions: 2, per: 24h0m0s}",
		"bidders.globex-capped.budget.daily=12"}
	if !reflect.DeepEqual(sets, want) {
		t.Errorf("the change log's assignments %q, want %q", sets, want)
	}
	got := replayExport(t, rep).Snapshot()
	gb, _ := got.FindBidder("globex-capped")
	if got.Exchange != exported.Exchange || !reflect.DeepEqual(gb.Days, b.Days) || fmt.Sprintf("%+v", *gb.Frequency) != fmt.Sprintf("%+v", *b.Frequency) { // NaN ≠ NaN
		t.Errorf("the replay differs:\n got %+v %+v\nwant %+v %+v", got.Exchange, gb.Days, exported.Exchange, b.Days)
	}
}
