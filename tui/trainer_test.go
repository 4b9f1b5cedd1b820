package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// The trainers' keys open and close their views, from the dashboard and
// the inspector, and leave the run alone.
func TestTrainerKeys(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	press(m, "w")
	if _, ok := m.ctx.top().(*whatIf); !ok {
		t.Fatalf("w opened %T", m.ctx.top())
	}
	press(m, "w")
	if !onDashboard(m) {
		t.Fatalf("w again left %T on top", m.ctx.top())
	}
	press(m, "P")
	if !fullScreen(m.ctx.top()) {
		t.Fatalf("P opened %T", m.ctx.top())
	}
	if v := m.View(); strings.Contains(v, "auctionsim test-demo") || !strings.Contains(v, "revenue per second") {
		t.Errorf("presentation mode shows the header or lacks its figures:\n%s", v)
	}
	press(m, "P")
	if !onDashboard(m) || !strings.Contains(m.View(), "auctionsim test-demo") {
		t.Fatalf("P again left %T on top", m.ctx.top())
	}
	cmd := press(m, "v")
	tl, ok := m.ctx.top().(*timeline)
	if !ok || cmd == nil || !tl.follow {
		t.Fatalf("v opened %T (a tick: %v), following: %v", m.ctx.top(), cmd != nil, ok && tl.follow)
	}
	if newest := m.ctx.Snap().Recent; tl.cur.ID != newest[len(newest)-1].ID {
		t.Errorf("the timeline opened on #%d, not the newest auction", tl.cur.ID)
	}
	press(m, "esc")
	if !onDashboard(m) {
		t.Fatalf("esc left %T on top", m.ctx.top())
	}
	// From the inspector, the timeline is the inspector's auction.
	press(m, "enter")
	press(m, "left")
	press(m, "left")
	in := insp(t, m)
	want := in.recs[in.idx].ID
	press(m, "v")
	tl, ok = m.ctx.top().(*timeline)
	if !ok || tl.follow || tl.cur.ID != want {
		t.Fatalf("v in the inspector: %T on #%d, want the held timeline of #%d", m.ctx.top(), tl.cur.ID, want)
	}
	press(m, "esc")
	if !inInspector(m) {
		t.Fatalf("esc from the timeline left %T, not the inspector", m.ctx.top())
	}
	press(m, "o")
	w, ok := m.ctx.top().(*wire)
	if !ok {
		t.Fatalf("o opened %T", m.ctx.top())
	}
	v := m.View()
	for _, s := range []string{fmt.Sprintf(`"id": "%d"`, want), `"banner"`, `"bidfloor"`, "OpenRTB 2.6"} {
		if !strings.Contains(v, s) {
			t.Errorf("the OpenRTB view lacks %s:\n%s", s, v)
		}
	}
	press(m, "down")
	press(m, "down")
	if w.vp.YOffset != 2 {
		t.Errorf("two ↓ scrolled to line %d", w.vp.YOffset)
	}
	press(m, "esc")
	if !inInspector(m) {
		t.Fatalf("esc from OpenRTB left %T", m.ctx.top())
	}
	for _, c := range l.cmds() {
		t.Errorf("a trainer's view sent %#v", c)
	}
}

// z fixes the latency scale: tmax changes then move the tmax line, not
// the scale; the panel says which scale is in use. Presentation mode
// starts fixed, and its z is its own.
func TestFixedLatencyScale(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	c := m.ctx
	if _, fixed := latencyScaleOf(c); fixed || !strings.Contains(m.View(), "auto scale") {
		t.Fatal("the dashboard does not start with the automatic scale, or does not say so")
	}
	press(m, "z")
	scale, fixed := latencyScaleOf(c)
	if !fixed || !strings.Contains(m.View(), "fixed scale") {
		t.Fatal("z did not fix the scale, or the panel does not say so")
	}
	mark := func() int { return strings.Index(latencyAxis(c.Shown.set.Tmax, scale, 60), "↑tmax") }
	before := mark()
	// The steps show at once (applied when the user settles).
	press(m, "T")
	press(m, "T")
	if s, _ := latencyScaleOf(c); s != scale {
		t.Errorf("tmax +20ms moved the fixed scale %v → %v", scale, s)
	}
	if after := mark(); after <= before {
		t.Errorf("the tmax mark stayed at %d after tmax +20ms (was %d)", after, before)
	}
	// Automatic, the scale follows tmax (1.5 × tmax or the slowest p99).
	press(m, "z")
	auto, _ := latencyScaleOf(c)
	if auto != autoLatencyScale(c.Snap(), c.Shown.set.Tmax) {
		t.Errorf("z again: scale %v, not the automatic one", auto)
	}
	// A tmax past nine tenths of a fixed scale widens it, so the line stays.
	press(m, "z")
	for range 30 {
		press(m, "T")
	}
	if s, _ := latencyScaleOf(c); s*9 < c.Shown.set.Tmax*10 {
		t.Errorf("tmax %v is off the fixed scale %v", c.Shown.set.Tmax, s)
	}
	press(m, "z") // back to automatic on the dashboard
	press(m, "P")
	if _, fixed := latencyScaleOf(c); !fixed {
		t.Error("presentation mode does not start with a fixed scale")
	}
	press(m, "z")
	if _, fixed := latencyScaleOf(c); fixed {
		t.Error("z in presentation mode did not free the scale")
	}
	press(m, "P")
	if _, fixed := latencyScaleOf(c); fixed {
		t.Error("presentation mode's z fixed the dashboard's scale")
	}
}

// tickTimeline advances the timeline on top by d of wall time in ticks.
func tickTimeline(m *model, d time.Duration) {
	tl := m.ctx.top().(*timeline)
	at := tl.last
	if at.IsZero() {
		at = t0
		m.Update(timelineTick{id: tl.id, at: at})
	}
	for step := tickEvery; d > 0; d -= step {
		at = at.Add(min(step, d))
		m.Update(timelineTick{id: tl.id, at: at})
	}
}

// The replay runs at the run's speed against the virtual clock: at 0.01×
// 6 s of wall time are 60 ms of the auction; it stops while the run is
// paused; ticks of a closed timeline are ignored; following, the newest
// auction starts once one has ended and its result has been on screen.
func TestTimelineReplay(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	m.ctx.Shown.speed = runner.MinSpeed
	press(m, "v")
	tl := m.ctx.top().(*timeline)
	tickTimeline(m, 6*time.Second)
	if tl.play < 59*sim.Millisecond || tl.play > 61*sim.Millisecond {
		t.Errorf("6s at 0.01×: the replay is at %v, want 60ms", tl.play)
	}
	v := m.View()
	if strings.Contains(v, "wins and pays") || strings.Contains(v, "Without the deadline") {
		t.Errorf("the result shows before the deadline:\n%s", v)
	}
	// Each response is drawn up to the clock: who arrived by 60 ms says
	// its bid, who did not says where it is.
	for i, r := range tl.cur.Responses {
		row := rowOf(v, m.ctx.Snap().Bidders[i].Name)
		arrived := r.Status >= sim.NoBid && r.Time <= tl.play
		if arrived != strings.Contains(row, "·") && r.Status >= sim.NoBid {
			t.Errorf("%s (%v at %v) at 60ms: %q", m.ctx.Snap().Bidders[i].Name, r.Status, r.Time, row)
		}
	}
	// Paused, the replay holds.
	m.ctx.Shown.paused = true
	at := tl.play
	tickTimeline(m, 2*time.Second)
	if tl.play != at {
		t.Errorf("paused, the replay moved %v → %v", at, tl.play)
	}
	m.ctx.Shown.paused = false
	tickTimeline(m, 20*time.Second)
	if tl.play != tl.end() {
		t.Errorf("after 26s at 0.01× the replay is at %v of %v", tl.play, tl.end())
	}
	v = m.View()
	for _, s := range []string{"Without the deadline", "clock " + fmtLatency(tl.end())} {
		if !strings.Contains(v, s) {
			t.Errorf("the end of the replay lacks %q:\n%s", s, v)
		}
	}
	// Following: a newer auction starts after the hold.
	old := tl.cur.ID
	sc := testScenario()
	eng := engineAt(t, sc, 5100*sim.Millisecond)
	m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0.Add(time.Second), 0)))
	m.ctx.Shown.speed = runner.MinSpeed
	tickTimeline(m, holdEnd+tickEvery)
	if tl.cur.ID == old || tl.play >= tl.end() {
		t.Errorf("following: still on #%d (was #%d) at %v", tl.cur.ID, old, tl.play)
	}
	// A closed timeline's ticks stop.
	id := tl.id
	press(m, "esc")
	if cmd := m.ctx.top().Update(timelineTick{id: id, at: t0}); cmd != nil {
		t.Error("a tick after the timeline closed asked for another")
	}
	if cmd := tl.Update(timelineTick{id: id, at: t0}); cmd != nil {
		t.Error("the closed timeline keeps ticking")
	}
}

// ←/→ hold the auctions and pick one; → past the newest follows again.
func TestTimelinePicks(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	press(m, "v")
	tl := m.ctx.top().(*timeline)
	recent := m.ctx.Snap().Recent
	press(m, "left")
	if tl.follow || tl.cur.ID != recent[len(recent)-2].ID || tl.play != 0 {
		t.Errorf("←: following %v on #%d at %v, want held on #%d from the start", tl.follow, tl.cur.ID, tl.play, recent[len(recent)-2].ID)
	}
	press(m, "right")
	if tl.follow || tl.cur.ID != recent[len(recent)-1].ID {
		t.Errorf("→: on #%d", tl.cur.ID)
	}
	press(m, "right")
	if !tl.follow {
		t.Error("→ past the newest does not follow")
	}
	// Paused, a picked auction shows whole: nothing would animate it.
	m.ctx.Shown.paused = true
	press(m, "left")
	if tl.play != tl.end() || !strings.Contains(m.View(), "Without the deadline") {
		t.Errorf("paused, the picked auction is at %v of %v", tl.play, tl.end())
	}
}

// pickLateAuction steps the timeline back to the newest auction that a
// late bid would have changed.
func pickLateAuction(t *testing.T, m *model) {
	t.Helper()
	recs := m.ctx.Snap().Recent
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].LostToTimeouts > 0 {
			for range len(recs) - 1 - i {
				press(m, "left")
			}
			// Held, the replay starts over: run it from the fan-out.
			m.ctx.top().(*timeline).play = 0
			return
		}
	}
	t.Fatal("no auction lost revenue to a late bid")
}

// rowOf is the timeline's row of the bidder name: the line that starts
// with it, past the selection's ▸ (the header's theory line may name a
// bidder too).
func rowOf(v, name string) string {
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " ▸"), name+" ") {
			return l
		}
	}
	return ""
}

func fmtLatency(t sim.Time) string { return fmt.Sprintf("%.0fms", float64(t)/float64(sim.Millisecond)) }

// The what-if panel reads the tmax curve: the point at the current tmax,
// the best one, and, with budgets, that the curve holds the bids fixed.
// After a frame or so it covers the recent window only.
func TestWhatIf(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	press(m, "w")
	v := m.View()
	snap := m.ctx.Snap()
	p, ok := sim.CurveAt(snap.TmaxCurve, 120*sim.Millisecond)
	if !ok {
		t.Fatal("no curve point at 120ms")
	}
	b := snap.TmaxCurve[sim.BestTmax(snap.TmaxCurve)]
	for _, s := range []string{"What if tmax were", "now 120ms: " + format2(p.RevenuePerAuction()),
		"best " + b.Tmax.String() + ": " + format2(b.RevenuePerAuction()), "the curve holds the bids fixed", "since the start"} {
		if !strings.Contains(v, s) {
			t.Errorf("the what-if panel lacks %q:\n%s", s, v)
		}
	}
	// Frames over more than the recent window: the curve is the recent
	// one, from the newest frame at least that old.
	sc := testScenario()
	eng := engineAt(t, sc, 1*sim.Second)
	old := eng.Snapshot()
	m.Update(frameMsg(frameOf(sc, old, t0.Add(time.Second), 0)))
	eng.RunUntil(12 * sim.Second)
	now := eng.Snapshot()
	m.Update(frameMsg(frameOf(sc, now, t0.Add(2*time.Second), 0)))
	curve, span := m.ctx.Trainer.recentCurve(now)
	if now.RecentSpan >= 11*sim.Second || span != 11*sim.Second ||
		curve[0].Auctions != now.TmaxCurve[0].Auctions-old.TmaxCurve[0].Auctions {
		t.Errorf("recent curve over %v (window %v) with %d auctions", span, now.RecentSpan, curve[0].Auctions)
	}
	if v := m.View(); !strings.Contains(v, "in the last 11.0s") {
		t.Errorf("the panel does not name its window:\n%s", v)
	}
}

// ←/→ in the what-if panel move tmax along the curve's grid (20 ms
// steps here), so that every press lands on a point; the panel shows the
// wait and the knee.
func TestWhatIfMovesTmax(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	press(m, "w")
	v := m.View()
	for _, want := range []string{"wait p95", "knee (95% of the best)", "+10 ms here"} {
		if !strings.Contains(v, want) {
			t.Errorf("the panel lacks %q:\n%s", want, v)
		}
	}
	// enter applies the steps taken (whatifsteps.go).
	for _, k := range []string{"left", "enter", "right", "right", "enter"} {
		press(m, k)
	}
	want := []runner.Command{runner.Apply{Change: sim.SetTmax{Tmax: 100 * sim.Millisecond}},
		runner.Apply{Change: sim.SetTmax{Tmax: 140 * sim.Millisecond}}}
	if got := l.cmds(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sent %v, want %v", got, want)
	}
	if v := m.View(); strings.Contains(v, "off the grid") {
		t.Errorf("after a step the panel is off the grid:\n%s", v)
	}
}

// eightBidders is the test world with eight bidders, as timeout-demo has.
func eightBidders() *scenarios.Scenario {
	sc := testScenario()
	bs := sc.Config.Bidders
	for i, b := range bs {
		b.Name += "2"
		b.Budget = nil
		bs = append(bs, b)
		_ = i
	}
	sc.Config.Bidders = bs
	return sc
}

// At 80×24 every bidder is reachable: the table scrolls with the
// selection, and the latency panel shows four bidders, the selected one
// among them.
func TestSmallScreenShowsEveryBidder(t *testing.T) {
	sc := eightBidders()
	eng := engineAt(t, sc, 5*sim.Second)
	m, _, _ := testModel(t, 80, 24)
	m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0.Add(time.Second), 0)))
	for i, b := range sc.Config.Bidders {
		if i > 0 {
			press(m, "j")
		}
		v := m.View()
		checkScreen(t, v, 80, 24)
		var table, lat int
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(l, "▸ "+b.Name+" ") && strings.Contains(l, "%") {
				table++
			}
			if strings.Contains(l, "▸ "+b.Name+" ") && strings.Contains(l, "ms") && !strings.Contains(l, "%") {
				lat++
			}
		}
		if table != 1 || lat != 1 {
			t.Errorf("%s selected: %d table rows, %d latency rows:\n%s", b.Name, table, lat, v)
		}
		if !strings.Contains(v, "Latency (") || m.ctx.views[0].(*dashboard).lay.latRows < 4 {
			t.Errorf("%s selected: the latency panel shows %d bidders", b.Name, m.ctx.views[0].(*dashboard).lay.latRows)
		}
	}
}

// The header shows the current arrival rate under a daily shape, and the
// latency panel both deadlines under Prebid Server's adjustments.
func TestRateAndToldDeadline(t *testing.T) {
	m, _, _ := testModel(t, 160, 48)
	s := *m.ctx.Snap()
	s.Settings.QPS, s.Settings.Rate = 50, 17.5
	s.Settings.TmaxAdjustments = sim.TmaxAdjustments{RequestProcessing: 10 * sim.Millisecond, NetworkBuffer: 15 * sim.Millisecond}
	sc := testScenario()
	m.Update(frameMsg(frameOf(sc, &s, t0.Add(time.Second), 0)))
	v := m.View()
	for _, want := range []string{"qps 17.5 of 50", "told 95ms", string(toldRune)} {
		if !strings.Contains(v, want) {
			t.Errorf("screen lacks %q:\n%s", want, v)
		}
	}
	m.Update(sizeMsg(80, 24))
	if v := m.View(); !strings.Contains(v, "qps 17.5 ") || strings.Contains(v, "qps 50") {
		t.Errorf("80×24 header:\n%s", v)
	}
}

// The golden screens of the trainers' views; refresh them with
//
//	go test ./tui -run TestViewGoldenTrainer -update
func TestViewGoldenTrainer(t *testing.T) {
	for _, tt := range []struct {
		name string
		keys []string
		play time.Duration // of the replay, at 1×
	}{
		{"present", []string{"P"}, 0},
		{"whatif", []string{"w"}, 0},
		{"timeline", []string{"v"}, 60 * time.Millisecond},
		{"timeline-late", []string{"v", "late"}, 300 * time.Millisecond},
		{"openrtb", []string{"enter", "o"}, 0},
	} {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("%s-%dx%d", tt.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := goldenModel(t, size[0], size[1])
				for _, k := range tt.keys {
					if k == "late" {
						pickLateAuction(t, m)
						continue
					}
					press(m, k)
				}
				if tt.play > 0 {
					tickTimeline(m, tt.play)
				}
				v := m.View()
				checkScreen(t, v, size[0], size[1])
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

// Within each of the trainers' views no key does two things.
func TestTrainerKeyRegistry(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	c := m.ctx
	press(m, "enter")
	press(m, "o")
	wireView := c.top()
	views := map[string]view{"what-if": newWhatIf(c), "present": &present{ctx: c},
		"timeline": &timeline{ctx: c}, "openrtb": wireView}
	for name, v := range views {
		checkHelpKeys(t, name, v)
	}
}

// With more bidders than rows, the timeline shows those around the
// selected one and says which.
func TestTimelineScrollsBidders(t *testing.T) {
	sc := eightBidders()
	bs := sc.Config.Bidders
	for _, suffix := range []string{"b", "c"} {
		for _, b := range sc.Config.Bidders[:8] {
			b.Name += suffix
			bs = append(bs, b)
		}
	}
	sc.Config.Bidders = bs
	eng := engineAt(t, sc, 2*sim.Second)
	m, _, _ := testModel(t, 80, 24)
	m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0.Add(time.Second), 0)))
	for range 20 {
		press(m, "j")
	}
	press(m, "v")
	v := m.View()
	checkScreen(t, v, 80, 24)
	sel := bs[20].Name
	if rowOf(v, sel) == "" || rowOf(v, bs[0].Name) != "" || !strings.Contains(v, "of 24") {
		t.Errorf("the timeline does not show the bidders around %s:\n%s", sel, v)
	}
	press(m, "k")
	if m.ctx.Selected != 19 {
		t.Errorf("↑ in the timeline: selected %d", m.ctx.Selected)
	}
}

// Under Prebid Server's tmax adjustments the timeline marks the deadline
// the bidders were told and the exchange's own time before the fan-out.
func TestTimelineToldDeadline(t *testing.T) {
	sc := testScenario()
	sc.Config.Exchange.TmaxAdjustments = sim.TmaxAdjustments{RequestProcessing: 10 * sim.Millisecond, NetworkBuffer: 15 * sim.Millisecond}
	eng := engineAt(t, sc, 2*sim.Second)
	m, _, _ := testModel(t, 160, 48)
	m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0.Add(time.Second), 0)))
	m.ctx.Shown.paused = true // shows the auction whole
	press(m, "v")
	v := m.View()
	for _, want := range []string{"told 95ms", string(toldRune), string(runeLead) + " exchange", "Without the deadline"} {
		if !strings.Contains(v, want) {
			t.Errorf("timeline lacks %q:\n%s", want, v)
		}
	}
	if row := rowOf(v, "swift"); !strings.Contains(row, string(runeLead)) {
		t.Errorf("swift's row does not start with the exchange's 10ms: %q", row)
	}
	// The told deadline runs from the fan-out: 10ms + 95ms = 105ms on the
	// ad request's time line, past 7/8 of the way to tmax (120ms).
	row := []rune(rowOf(v, "swift"))
	start, told, line := slices.Index(row, runeLead), slices.Index(row, toldRune), slices.Index(row, '│')
	if start < 0 || told < 0 || line < 0 {
		t.Fatalf("swift's row %q lacks its marks", string(row))
	}
	if at := float64(told-start) / float64(line-start); math.Abs(at-105.0/120) > 0.05 {
		t.Errorf("the told mark sits at %.2f of tmax, want 105/120: %q", at, string(row))
	}
	if !strings.Contains(v, "The page ") {
		t.Errorf("the timeline does not say when the page got its answer:\n%s", v)
	}
	// With request processing alone the told deadline falls on tmax:
	// no second mark.
	sc.Config.Exchange.TmaxAdjustments = sim.TmaxAdjustments{RequestProcessing: 40 * sim.Millisecond}
	eng = engineAt(t, sc, 2*sim.Second)
	m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0.Add(2*time.Second), 0)))
	press(m, "esc")
	press(m, "v")
	if v := m.View(); strings.ContainsRune(v, toldRune) {
		t.Errorf("a told mark where the told deadline is tmax:\n%s", v)
	}
}

// On prebid-server the what-if panel answers the trainer's question: the
// knee lies below the longest tmax on the grid, and with people leaving
// slow pages net revenue peaks inside the grid.
func TestWhatIfPrebidServer(t *testing.T) {
	sc := bundled(t, "prebid-server")
	eng := engineAt(t, sc, sc.Stop.Duration-100*sim.Millisecond)
	first := eng.Snapshot()
	eng.RunUntil(sc.Stop.Duration)
	now := eng.Snapshot()
	m, _, _ := recordingModel(t, sc, 160, 48, frameOf(sc, first, t0, 0), frameOf(sc, now, t0.Add(100*time.Millisecond), 0))
	press(m, "w")
	v := m.View()
	c := now.TmaxCurve
	a := sim.AdviseTmax(c)
	last := c[len(c)-1].Tmax
	if !(a.Knee95 < last) || !(a.MaxNetRevenue > c[0].Tmax && a.MaxNetRevenue < last) {
		t.Fatalf("advice %+v on a grid %v–%v", a, c[0].Tmax, last)
	}
	for _, want := range []string{"knee (95% of the best) " + a.Knee95.String(), "best net " + a.MaxNetRevenue.String(),
		"now 1s: ", "wait p95", ", net ",
		"chain: tmax 1s − exchange 20ms − network buffer 60ms − response 30ms = told 890ms · no bid request below 150ms"} {
		if !strings.Contains(v, want) {
			t.Errorf("the panel lacks %q:\n%s", want, v)
		}
	}
	if testing.Verbose() {
		t.Log("\n" + v)
	}
}

// An auction whose person had left says so below its price.
func TestPriceExplanationAbandoned(t *testing.T) {
	rec := &sim.AuctionRecord{Start: 0, Close: 800 * sim.Millisecond, Winner: 0, Price: sim.PriceOf(1.5), Reason: sim.FirstPriceBid,
		Abandoned: true, Responses: []sim.Response{{Status: sim.OnTime}}}
	lines := priceExplanation(asciiTheme(), rec, func(int) string { return "rapid" })
	if len(lines) != 2 || !strings.Contains(lines[1], "had left after 800ms") || !strings.Contains(lines[1], "rapid does not pay") {
		t.Errorf("%q", lines)
	}
	rec.Abandoned = false
	if lines := priceExplanation(asciiTheme(), rec, func(int) string { return "rapid" }); len(lines) != 1 {
		t.Errorf("%q", lines)
	}
}

// When the skip rule of tmax_adjustments keeps every bid request back at
// the current tmax, the what-if panel says that is why the curve cannot
// be trusted, not budgets (the world has none).
func TestWhatIfSaysTheSkipRuleHidesTheBids(t *testing.T) {
	sc := testScenario()
	sc.Config.Bidders = sc.Config.Bidders[:1] // swift: no budget, no pacing
	sc.Config.Exchange.TmaxAdjustments = sim.TmaxAdjustments{NetworkBuffer: 20 * sim.Millisecond, BidderResponseMin: 150 * sim.Millisecond}
	eng := engineAt(t, sc, 4900*sim.Millisecond)
	a := frameOf(sc, eng.Snapshot(), t0, 0)
	eng.RunUntil(5 * sim.Second)
	b := frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0)
	if s := eng.Snapshot(); s.TmaxCurveExact || s.Exchange.Unsent == 0 {
		t.Fatalf("the world must skip every bidder: exact %v, unsent %d", s.TmaxCurveExact, s.Exchange.Unsent)
	}
	m, _, _ := recordingModel(t, sc, 160, 48, a, b)
	press(m, "w")
	v := m.View()
	if !strings.Contains(v, "bidder_response_min") || strings.Contains(v, "budgets") {
		t.Errorf("the panel must name the skip rule, not budgets:\n%s", v)
	}
}

// The what-if panel's charts fill the space below its head to the last
// row, with Prebid Server's deadline chain and without: the head the
// charts are drawn for is the head the panel shows.
func TestWhatIfHeadFitsTheCharts(t *testing.T) {
	for _, name := range []string{"prebid-server", "timeout-demo"} {
		sc, err := scenarios.Bundled(name)
		if err != nil {
			t.Fatal(err)
		}
		eng := engineAt(t, sc, 2*sim.Second)
		snap := eng.Snapshot()
		m, _, _ := recordingModel(t, sc, 120, 40, frameOf(sc, snap, t0, 0), frameOf(sc, snap, t0.Add(100*time.Millisecond), 0))
		press(m, "w")
		v, ok := m.ctx.top().(*whatIf)
		if !ok {
			t.Fatalf("w opened %T", m.ctx.top())
		}
		chain := !sc.Config.Exchange.TmaxAdjustments.IsZero()
		lines := strings.Split(v.View(100, 30), "\n")
		charts := strings.Split(v.charts, "\n")
		head := whatIfHead(m.ctx, 100)
		if len(lines) != 30 || head != whatIfSummary+len(chainLines(m.ctx, 100)) || len(charts) != 30-head {
			t.Fatalf("%s: %d lines, head %d, %d chart lines", name, len(lines), head, len(charts))
		}
		if got := strings.HasPrefix(lines[whatIfSummary], "chain: "); got != chain {
			t.Errorf("%s: the head's line after the summary is %q (chain %v)", name, lines[whatIfSummary], chain)
		}
		// The chain is whole at 100 and at 80 columns: neither its told
		// deadline nor its skip rule is cut off.
		for _, cw := range []int{100, 80} {
			head := strings.Join(chainLines(m.ctx, cw), "\n")
			if chain && (!strings.Contains(head, "= told 890ms") || !strings.Contains(head, "no bid request below 150ms") || strings.Contains(head, "…")) {
				t.Errorf("%s: the chain is cut at %d columns:\n%s", name, cw, head)
			}
			for _, l := range chainLines(m.ctx, cw) {
				if ansi.StringWidth(l) > cw {
					t.Errorf("%s: a chain line is %d wide at %d columns: %q", name, ansi.StringWidth(l), cw, l)
				}
			}
		}
		if lines[head] != format.Fit(charts[0], 100) || lines[29] != format.Fit(charts[len(charts)-1], 100) {
			t.Errorf("%s: the charts do not start below the head and end on the last row:\n%s", name, strings.Join(lines, "\n"))
		}
	}
}

// After the curve starts afresh on the same grid (a change of the
// abandonment), the what-if panel covers the time since then, not a
// window reaching before it: subtracting the older curve wrapped its
// counts around (18,446,744,073,709,532,542 auctions, late bids 100%).
func TestWhatIfAfterCurveRestart(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	press(m, "w")
	sc := testScenario()
	eng := engineAt(t, sc, 1*sim.Second)
	m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0.Add(time.Second), 0)))
	eng.RunUntil(9 * sim.Second)
	if err := eng.Apply(sim.SetAbandonment{Abandonment: sim.Abandonment{Per100ms: 0.1}}); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(12 * sim.Second)
	now := eng.Snapshot()
	m.Update(frameMsg(frameOf(sc, now, t0.Add(2*time.Second), 0)))
	curve, span := m.ctx.Trainer.recentCurve(now)
	if span != 3*sim.Second || curve[0].Auctions != now.TmaxCurve[0].Auctions {
		t.Errorf("after a restart at 9s: curve over %v with %d auctions, want 3s and the new curve's %d", span, curve[0].Auctions, now.TmaxCurve[0].Auctions)
	}
	if v := m.View(); !strings.Contains(v, "in the last 3.00s") || !strings.Contains(v, format.Count(now.TmaxCurve[0].Auctions)+" auctions") {
		t.Errorf("the panel after a restart:\n%s", v)
	}
}

// The what-if panel reads the recent window, whose best net tmax can
// differ from the whole run's (640 ms against the 800 ms run --json
// advises on prebid-server): where they differ, it says the whole run's
// beside it, so that a trainer reading the figure aloud gives both.
func TestWhatIfWholeRunBestNet(t *testing.T) {
	sc := bundled(t, "prebid-server")
	eng := engineAt(t, sc, 5*sim.Second)
	m, _, _ := recordingModel(t, sc, 160, 48, frameOf(sc, eng.Snapshot(), t0, 0), frameOf(sc, eng.Snapshot(), t0, 0))
	for at := 10 * sim.Second; at <= sc.Stop.Duration; at += 5 * sim.Second {
		eng.RunUntil(at)
		m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0.Add(time.Duration(at)), 0)))
	}
	press(m, "w")
	v := m.View()
	snap := eng.Snapshot()
	recent, span := m.ctx.Trainer.recentCurve(snap)
	if span == 0 {
		t.Fatal("the panel reads the whole run: no recent window to tell apart")
	}
	r, a := sim.AdviseTmax(recent), sim.AdviseTmax(snap.TmaxCurve)
	if r.MaxNetRevenue == a.MaxNetRevenue {
		t.Fatalf("the window's best net tmax is the run's (%v): prebid-server at its seed no longer tells them apart, so the test needs another window", a.MaxNetRevenue)
	}
	want := "best net " + r.MaxNetRevenue.String() + " (over all " + format.ShortClock(snap.Now-snap.TmaxCurveFrom) + ": " + a.MaxNetRevenue.String() + ")"
	if !strings.Contains(v, want) {
		t.Errorf("the panel lacks %q:\n%s", want, v)
	}
}

// An auction the skip rule of tmax_adjustments left unsent reads, in the
// inspector and the timeline, as bidders not called for the told
// deadline, not as bidders switched off ("off (not sent)") nor as bids
// that missed it ("no bid arrived in time"): prebid-server at 200 ms
// tells its bidders 90 ms, under its 150 ms minimum, and calls nobody.
func TestInspectorSaysTheSkipRuleCalledNobody(t *testing.T) {
	sc, err := scenarios.Bundled("prebid-server")
	if err != nil {
		t.Fatal(err)
	}
	sc.Config.Exchange.Tmax = 200 * sim.Millisecond
	eng := engineAt(t, sc, 2*sim.Second)
	a := frameOf(sc, eng.Snapshot(), t0, 0)
	eng.RunUntil(2100 * sim.Millisecond)
	b := frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0)
	if s := eng.Snapshot(); s.Exchange.Unsent == 0 || s.Exchange.Filled != 0 {
		t.Fatalf("the skip rule must keep every bid request back: %+v", s.Exchange)
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m, _, _ := recordingModel(t, sc, size[0], size[1], a, b)
		press(m, "enter")
		v := m.View()
		for _, want := range []string{"not called", "No sale: no bidder was called: told 90ms < bidder_response_min (non-bid 100)."} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: the inspector lacks %q:\n%s", size[0], size[1], want, v)
			}
		}
		for _, bad := range []string{"off (not sent)", "no bid arrived in time"} {
			if strings.Contains(v, bad) {
				t.Errorf("%dx%d: the inspector says %q of bidders it did not call:\n%s", size[0], size[1], bad, v)
			}
		}
		press(m, "v")
		tl, ok := m.ctx.top().(*timeline)
		if !ok {
			t.Fatalf("v opened %T", m.ctx.top())
		}
		tl.play = 4 * tl.cur.Tmax // past its end: the whole story shows
		v = m.View()
		if !strings.Contains(v, "not sent (told < min)") || strings.Contains(v, "off (not sent)") {
			t.Errorf("%dx%d: the timeline must say the bidders were not sent for the told deadline:\n%s", size[0], size[1], v)
		}
		// Whole, not cut at 80 columns, and no bidder said to have
		// answered, nor a deadline to have changed anything.
		for _, want := range []string{"No sale: no bidder was called: told 90ms < bidder_response_min (non-bid 100).", "no bidder was called."} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: the timeline lacks %q:\n%s", size[0], size[1], want, v)
			}
		}
		for _, bad := range []string{"every bidder had answered", "Without the deadline"} {
			if strings.Contains(v, bad) {
				t.Errorf("%dx%d: the timeline says %q of an auction that called nobody:\n%s", size[0], size[1], bad, v)
			}
		}
	}
}
