package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// wireModel is a dashboard on a fake source whose frames carry line as
// the source's header line, at w×h, and a snapshot of an engine whose
// bidder laggard is on the wire (wireRemote): the tmax curve settled up
// to the deadline, as the wire's engine has it.
func wireModel(t *testing.T, line string, w, h int) (*model, *fakeSource) {
	t.Helper()
	src := &fakeSource{fakeLink: newFakeLink()}
	sc := testScenario()
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.SetRemote(&wireRemote{told: map[uint64]sim.Time{}}, "laggard"); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(2 * sim.Second)
	f := frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0)
	f.Line = line
	m := newModel(src, modelOptions{scenario: sc, theme: asciiTheme(), catalog: testCatalog(), exportDir: t.TempDir()})
	m.Update(sizeMsg(w, h))
	m.Update(frameMsg(f))
	return m, src
}

// wireRemote answers as wire.Exchange collects a call: a bid at its
// arrival (40 to 200 ms, drawn from the auction) when that is within the
// told deadline, else a timeout at the deadline with no bid.
type wireRemote struct{ told map[uint64]sim.Time }

func (r *wireRemote) Send(req sim.RemoteRequest) { r.told[req.Auction] = req.Lead + req.Told }
func (r *wireRemote) Collect(id uint64, _ int) sim.RemoteAnswer {
	at := sim.Time(40+id*7919%161) * sim.Millisecond
	if told := r.told[id]; at > told {
		return sim.RemoteAnswer{Status: sim.Late, Time: told}
	}
	return sim.RemoteAnswer{Status: sim.OnTime, Time: at, Bid: sim.PriceOf(3)}
}

// TestWhatIfOnTheWireStopsAtTheDeadline: on the wire the what-if panel
// draws the curve up to the deadline the wire enforced (120 ms) and says
// why it stops there; the best tmax and the knee, which might lie above,
// read unknown; → steps tmax on past the settled points, along the grid.
func TestWhatIfOnTheWireStopsAtTheDeadline(t *testing.T) {
	m, src := wireModel(t, "on the wire: 4 bidders · 812 sent 790 answered 2 errors 20 timeouts", 100, 30)
	snap := m.ctx.Snap()
	if snap.TmaxCurveCensoredAbove != 120*sim.Millisecond || snap.Exchange.Late == 0 {
		t.Fatalf("censored above %v with %d late: want 120ms, some", snap.TmaxCurveCensoredAbove, snap.Exchange.Late)
	}
	press(m, "w")
	v := m.View()
	for _, want := range []string{"the curve stops at 120ms: an unanswered call's arrival is unknown", "best unknown above 120ms", "knee 95% unknown", "now 120ms: "} {
		if !strings.Contains(v, want) {
			t.Errorf("the what-if panel on the wire lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "exchange.tmax_curve: false") || strings.Contains(v, " 140 ") || strings.Contains(v, " 400") {
		t.Errorf("the what-if panel on the wire draws past the deadline or calls the curve off:\n%s", v)
	}
	press(m, "right")
	press(m, "enter") // applies the step now
	got := appliedChanges(src.cmds())
	if len(got) != 1 || got[0] != (sim.SetTmax{Tmax: 140 * sim.Millisecond}) {
		t.Errorf("→ at the settled edge applied %v, want tmax 140ms", got)
	}
}

// TestWireLineFoldsOnAProjector: at 100 columns the wire's header line,
// too long for one line, is folded at its separators so that its end
// (the wait and the wire's added delay) is shown, not cut off.
func TestWireLineFoldsOnAProjector(t *testing.T) {
	const line = "on the wire: 8 bidders · 21,264 sent 15,186 answered 10 errors 6,001 timeouts · wait p50/p95 120ms/120ms · added p50/p99 1.4/3.1ms"
	m, _ := wireModel(t, line, 100, 30)
	v := m.View()
	for _, want := range []string{"on the wire: 8 bidders", "6,001 timeouts", "wait p50/p95 120ms/120ms", "added p50/p99 1.4/3.1ms"} {
		if !strings.Contains(v, want) {
			t.Errorf("at 100 columns the header lacks %q:\n%s", want, v)
		}
	}
	if got := strings.Count(v, "\n") + 1; got != 30 {
		t.Errorf("the screen is %d lines, want 30", got)
	}
	// Wide enough, it stays one line.
	if got := foldLine(line, 160); len(got) != 1 || got[0] != line {
		t.Errorf("at 160 columns: %q", got)
	}
}

// TestPresentTmaxUnitFitsAProjector: in presentation mode at 100×30 the
// tmax figure's unit (the told deadline and the pages' wait) is wrapped
// beside the digits, not cut off.
func TestPresentTmaxUnitFitsAProjector(t *testing.T) {
	m, _, _ := testModel(t, 100, 30)
	s := *m.ctx.Snap()
	s.Settings.TmaxAdjustments = sim.TmaxAdjustments{RequestProcessing: 20 * sim.Millisecond, NetworkBuffer: 60 * sim.Millisecond, ResponsePreparation: 30 * sim.Millisecond}
	s.Exchange.RecentWait = sim.LatencyStats{Count: 100, P50: 400 * sim.Millisecond, P95: 987 * sim.Millisecond}
	m.Update(frameMsg(frameOf(testScenario(), &s, t0.Add(time.Second), 0)))
	press(m, "P")
	v := m.View()
	for _, want := range []string{"bidders told", "pages wait p95 987ms"} {
		if !strings.Contains(v, want) {
			t.Errorf("presentation mode at 100×30 lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "…") {
		t.Errorf("presentation mode at 100×30 cuts a figure:\n%s", v)
	}
}

// TestEndedRunRateSaysEnded: once the run has reached its stop the
// exchange panel's rate says ended, as the header does, not paused.
func TestEndedRunRateSaysEnded(t *testing.T) {
	m, _, _ := testModel(t, 120, 40)
	f := m.ctx.Frame
	f.Ended = true
	m.Update(frameMsg(f))
	found := false
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(l, "auctions/s") {
			found = true
			if strings.Contains(l, "paused") || !strings.Contains(l, "ended") {
				t.Errorf("the ended run's rate reads %q", l)
			}
		}
	}
	if !found {
		t.Fatalf("no auctions/s row:\n%s", m.View())
	}
}

// wireEngine is the test scenario's engine, its bidder laggard on the
// wire through link, run for 2 s, and a dashboard at 130×40 on a fake
// source to show it.
func wireEngine(t *testing.T, link sim.Remote) (*scenarios.Scenario, *sim.Engine, *model) {
	t.Helper()
	sc := testScenario()
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.SetRemote(link, "laggard"); err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(2 * sim.Second)
	src := &fakeSource{fakeLink: newFakeLink()}
	m := newModel(src, modelOptions{scenario: sc, theme: asciiTheme(), catalog: testCatalog(), exportDir: t.TempDir()})
	m.Update(sizeMsg(130, 40))
	return sc, eng, m
}

// timedOutFrame gives m a paused frame of eng at at, under a header line
// whose every call timed out: a timeline opened paused shows its auction
// whole.
func timedOutFrame(m *model, sc *scenarios.Scenario, eng *sim.Engine, at time.Duration) {
	f := frameOf(sc, eng.Snapshot(), t0.Add(at), 0)
	f.Line = "on the wire: laggard · 400 sent 0 answered 0 errors 400 timeouts"
	f.Paused = true
	m.Update(frameMsg(f))
}

// openRTBView leaves the timeline (esc) for the inspected auction's
// OpenRTB view (o), and returns it.
func openRTBView(t *testing.T, m *model) *wire {
	t.Helper()
	press(m, "esc")
	press(m, "o")
	v, ok := m.ctx.top().(*wire)
	if !ok {
		t.Fatalf("o opened %T", m.ctx.top())
	}
	return v
}

// rowStarting is the line of v that begins, past its indent and
// selection mark, with prefix; the test fails without one.
func rowStarting(t *testing.T, v, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " ▸"), prefix) {
			return l
		}
	}
	t.Fatalf("no %s row in:\n%s", prefix, v)
	return ""
}

// timingOut is a sim.Remote whose every request times out, as
// wire.Exchange.Collect answers one the wire left unanswered by the
// auction's close: Late, at the told deadline, with no bid.
type timingOut struct{}

func (timingOut) Send(sim.RemoteRequest) {}
func (timingOut) Collect(uint64, int) sim.RemoteAnswer {
	return sim.RemoteAnswer{Status: sim.Late, Time: 120 * sim.Millisecond}
}

// TestWireTimeoutShownAsNoAnswer: on the wire the inspector and the
// timeline show a request the wire left unanswered as no answer, not as
// a late bid of 0.00 from a bidder that values the impression at 0.00.
func TestWireTimeoutShownAsNoAnswer(t *testing.T) {
	sc, eng, m := wireEngine(t, timingOut{})
	for _, at := range []time.Duration{0, 100 * time.Millisecond} {
		timedOutFrame(m, sc, eng, at)
	}
	press(m, "enter")
	if l := rowStarting(t, m.View(), "laggard"); !strings.Contains(l, "no answer") || strings.Contains(l, "late") || strings.Contains(l, "0.00") || strings.Contains(l, "…") {
		t.Errorf("the inspector shows the wire's timeout as %q", l)
	}
	press(m, "v")
	if l := rowStarting(t, m.View(), "laggard"); strings.Contains(l, "LATE") || !strings.Contains(l, "no answer") {
		t.Errorf("the timeline shows the wire's timeout as %q", l)
	}
	// The inspector's OpenRTB view: the call is one Prebid Server gave up
	// on (no response read, nothing unread), not a late bid of 0.
	v := openRTBView(t, m)
	at := strings.Index(v.text, `"seat": "laggard"`)
	if at < 0 {
		t.Fatalf("no laggard in the OpenRTB view:\n%s", v.text)
	}
	laggard := v.text[at:]
	if end := strings.Index(laggard[1:], `"seat": "`); end > 0 {
		laggard = laggard[:end]
	}
	if strings.Contains(laggard, `"status": "late"`) || strings.Contains(laggard, "unread_response") || !strings.Contains(laggard, `"status": "hang"`) {
		t.Errorf("the OpenRTB view shows the wire's timeout as:\n%s", laggard)
	}
}

// TestChartSaysTheSkipRule: when the told deadline is under
// bidder_response_min no bid request goes out, and the chart, with no
// sale to plot, says that this is why, whole at 100 columns.
func TestChartSaysTheSkipRule(t *testing.T) {
	sc := testScenario()
	sc.Config.Exchange.TmaxAdjustments = sim.TmaxAdjustments{NetworkBuffer: 40 * sim.Millisecond, BidderResponseMin: 100 * sim.Millisecond}
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(2 * sim.Second)
	if x := eng.Snapshot().Exchange; x.Unsent == 0 || x.Filled != 0 {
		t.Fatalf("unsent %d filled %d: the skip rule kept nothing back", x.Unsent, x.Filled)
	}
	src := &fakeSource{fakeLink: newFakeLink()}
	m := newModel(src, modelOptions{scenario: sc, theme: asciiTheme(), catalog: testCatalog(), exportDir: t.TempDir()})
	m.Update(sizeMsg(100, 30))
	for _, at := range []time.Duration{0, 100 * time.Millisecond} {
		m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0.Add(at), 0)))
	}
	v := m.View()
	if !strings.Contains(v, "bidder_response_min") || !strings.Contains(v, "no bid request was sent") {
		t.Errorf("the chart does not say why nothing sold:\n%s", v)
	}
}

// TestExportOnTheWireSaysSo: the dashboard's e on the wire marks the
// export as the wire's (report.Meta.Wire), which run --replay refuses
// saying why; a simulation's export is not marked.
func TestExportOnTheWireSaysSo(t *testing.T) {
	sc := testScenario()
	eng := engineAt(t, sc, 2*sim.Second)
	for _, line := range []string{"", "on the wire: 4 bidders · 812 sent 790 answered 2 errors 20 timeouts"} {
		a := frameOf(sc, eng.Snapshot(), t0, 0)
		b := frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0)
		a.Line, b.Line = line, line
		m, _, calls := recordingModel(t, sc, 120, 40, a, b)
		if cmd := press(m, "e"); cmd != nil {
			cmd()
		}
		if len(*calls) != 1 {
			t.Fatalf("line %q: %d exports", line, len(*calls))
		}
		if got, want := (*calls)[0].meta.Wire, line != ""; got != want {
			t.Errorf("line %q: the export's Wire is %v, want %v", line, got, want)
		}
	}
}

// TestWireFooterOffersWhatWorks: on the wire the dashboard's footer does
// not offer pause and speed (refused there: the clock is the wall
// clock); in a simulation it does.
func TestWireFooterOffersWhatWorks(t *testing.T) {
	for _, w := range []int{100, 160} {
		wired, _ := wireModel(t, "on the wire: 4 bidders · 812 sent 790 answered 2 errors 20 timeouts", w, 30)
		foot := lastLine(wired.View())
		if strings.Contains(foot, "pause") || strings.Contains(foot, "speed") || !strings.Contains(foot, "tmax") {
			t.Errorf("%d columns, on the wire, the footer reads %q", w, foot)
		}
		sim, _, _ := testModel(t, w, 30)
		if foot := lastLine(sim.View()); !strings.Contains(foot, "pause") {
			t.Errorf("%d columns, simulated, the footer reads %q", w, foot)
		}
	}
}

func lastLine(v string) string {
	lines := strings.Split(strings.TrimRight(v, "\n"), "\n")
	return lines[len(lines)-1]
}

// leftOpen is a sim.Remote whose every request is still open at its
// auction's close, as wire.Exchange.Collect answers one: Late, at the
// told deadline, with no bid, Open: the wire may yet read it in its late
// grace and tell the engine (sim.Engine.LateAnswer).
type leftOpen struct{}

func (leftOpen) Send(sim.RemoteRequest) {}
func (leftOpen) Collect(uint64, int) sim.RemoteAnswer {
	return sim.RemoteAnswer{Status: sim.Late, Time: 120 * sim.Millisecond, Open: true}
}

// TestWireLateAnswerShownInTheHeldAuction: on the wire a call the close
// timed out may be read later, and the engine then updates the auction's
// record; the inspector holding that auction, the timeline replaying it
// and its OpenRTB view show the late bid and what it cost, as the
// exchange's totals count it, rather than the copy taken at the hold.
func TestWireLateAnswerShownInTheHeldAuction(t *testing.T) {
	sc, eng, m := wireEngine(t, leftOpen{})
	at := time.Duration(0)
	frame := func() {
		timedOutFrame(m, sc, eng, at)
		at += 100 * time.Millisecond
	}
	frame()
	frame()
	press(m, "enter")
	press(m, "left") // holds the auctions, on the one before the newest
	in := insp(t, m)
	held := in.recs[in.idx]
	if held.LostToTimeouts != 0 || held.Responses[2].Bid != 0 {
		t.Fatalf("auction %d before its late answer: lost %v, laggard bid %v", held.ID, held.LostToTimeouts, held.Responses[2].Bid)
	}
	// laggard's call is read in the late grace: a bid of 9, above every
	// on-time bid (values up to 4), so the price would have been higher.
	eng.LateAnswer(held.ID, 2, sim.RemoteAnswer{Status: sim.OnTime, Time: 200 * sim.Millisecond, Bid: sim.PriceOf(9)})
	frame()
	v := m.View()
	if l := rowStarting(t, v, "laggard"); !strings.Contains(l, "late") || !strings.Contains(l, "9.00") {
		t.Errorf("the held inspector shows the late bid as %q", l)
	}
	if !strings.Contains(v, "Late bids cost the exchange") {
		t.Errorf("the held inspector does not say what the late bid cost:\n%s", v)
	}
	rec := insp(t, m).recs[insp(t, m).idx]
	if rec.ID != held.ID || rec.LostToTimeouts <= 0 {
		t.Fatalf("the inspector holds auction %d lost %v, want %d with a loss", rec.ID, rec.LostToTimeouts, held.ID)
	}
	// The timeline of the held auction, told of a late bid once open.
	press(m, "left")
	press(m, "v")
	tl, ok := m.ctx.top().(*timeline)
	if !ok {
		t.Fatalf("v opened %T", m.ctx.top())
	}
	// Read at 140 ms, past the 120 ms deadline and before the timeline's
	// clock (150 ms): it shows arrived, at its time.
	eng.LateAnswer(tl.cur.ID, 2, sim.RemoteAnswer{Status: sim.OnTime, Time: 140 * sim.Millisecond, Bid: sim.PriceOf(8)})
	frame()
	v = m.View()
	if l := rowStarting(t, v, "laggard"); !strings.Contains(l, "LATE") {
		t.Errorf("the timeline shows the late bid as %q", l)
	}
	if !strings.Contains(v, "Without the deadline laggard would win") {
		t.Errorf("the timeline does not say laggard's late bid would have won:\n%s", v)
	}
	// Its OpenRTB view: the late bid unread, the outcome's lost_to_timeouts
	// the record's.
	w := openRTBView(t, m)
	seat := w.text[strings.Index(w.text, `"seat": "laggard"`):]
	if end := strings.Index(seat[1:], `"seat": "`); end > 0 {
		seat = seat[:end]
	}
	if !strings.Contains(seat, `"status": "late"`) || !strings.Contains(seat, "unread_response") || !strings.Contains(seat, `"price": 8`) {
		t.Errorf("the OpenRTB view shows the late bid as:\n%s", seat)
	}
	if strings.Contains(w.text, `"lost_to_timeouts": 0,`) || !strings.Contains(w.text, `"lost_to_timeouts"`) {
		t.Errorf("the OpenRTB view's outcome has no loss to timeouts:\n%s", w.text)
	}
}

// TestPresentWaitSaysBeforeTheChange: after tmax 1s → 500ms, the pages'
// recent wait holds auctions of the old tmax until sim.SinceEnough of
// the new have closed (sim.WaitMixed), and read "pages wait p95 725ms"
// beside 500 on a projector: it says so, at 80×24 and at 100×30, then
// that it covers the auctions since the change (sim.WaitSince).
func TestPresentWaitSaysBeforeTheChange(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}} {
		m, _, _ := testModel(t, size[0], size[1])
		s := *m.ctx.Snap()
		s.Settings.Tmax = 500 * sim.Millisecond
		s.Changes = []sim.AppliedChange{{At: 3 * sim.Second, Event: 100, Change: sim.SetTmax{Tmax: 500 * sim.Millisecond}}}
		s.SinceChange = sim.SeriesPoint{Start: 3 * sim.Second, Auctions: 2000}
		s.Exchange.RecentWait = sim.LatencyStats{Count: 9000, P50: 400 * sim.Millisecond, P95: 725 * sim.Millisecond}
		s.Exchange.RecentWaitCover, s.Exchange.RecentWaitFrom = sim.WaitMixed, 3*sim.Second
		m.Update(frameMsg(frameOf(testScenario(), &s, t0.Add(time.Second), 0)))
		press(m, "P")
		if v := m.View(); !strings.Contains(v, "725ms") || !strings.Contains(v, "(partly before the") || strings.Contains(v, "…") {
			t.Errorf("%v: the wait does not say it reaches before the change:\n%s", size, v)
		}
		// Once the window is the change's own, it says so.
		s.SinceChange.Auctions = 2000
		s.Exchange.RecentWait = sim.LatencyStats{Count: 2000, P50: 400 * sim.Millisecond, P95: 500 * sim.Millisecond}
		s.Exchange.RecentWaitCover = sim.WaitSince
		m.Update(frameMsg(frameOf(testScenario(), &s, t0.Add(2*time.Second), 0)))
		if v := m.View(); strings.Contains(v, "before the") || !strings.Contains(v, "pages wait p95 500ms") || !strings.Contains(v, "(since the change)") {
			t.Errorf("%v: the window is after the change:\n%s", size, v)
		}
	}
}

// TestWireAt80x24KeepsFourBidders: prebid-server on the wire at 80×24,
// its header's two lines about the wire beside the reason there is no
// closed form: the latency panel keeps the four bidders README promises
// (it had three), the reason going beside the metric on its line; with
// the help open the reason keeps its line.
func TestWireAt80x24KeepsFourBidders(t *testing.T) {
	m, _ := steppedModel(t, "prebid-server")
	f := m.ctx.Frame
	f.Line = "on the wire: 5 bidders · 21,105 sent 20,283 answered 165 errors 274 timeouts · wait p50/p95 412ms/1.00s · added p50/p99 1.6/11.1ms"
	m.Update(frameMsg(f))
	m.Update(sizeMsg(80, 24))
	v := m.View()
	checkScreen(t, v, 80, 24)
	if !strings.Contains(v, "Latency (1–4 of 5)") || !strings.Contains(v, "added p50/p99 1.6/11.1ms") {
		t.Errorf("at 80×24 on the wire the latency panel lacks its four bidders:\n%s", v)
	}
	// Off the wire, the reason keeps its own line as before.
	f.Line = ""
	m.Update(frameMsg(f))
	if v := m.View(); !strings.Contains(v, "\n  why: ") {
		t.Errorf("off the wire the reason lost its line:\n%s", v)
	}
}

// TestWireAt80x24KeepsThreeTableRows: timeout-demo on the wire at 80×24
// (trainer trial) showed "Bidders (1–1 of 8)": the header's two lines
// about the wire and the theory line, the exchange panel's six rows and
// the latency panel's four bidders left the table one row. Without a
// closed form the theory line yields and the change log keeps one line,
// its newest change beside its title: three rows, with the latency
// panel's four bidders, the exchange panel's wait p95 and lost to
// timeouts, and the wire's added delay kept.
func TestWireAt80x24KeepsThreeTableRows(t *testing.T) {
	m, pump := steppedModel(t, "timeout-demo")
	f := m.ctx.Frame
	f.Line = "on the wire: 8 bidders · 38,552 sent 24 answered 10,068 errors 27,948 timeouts · wait p50/p95 120ms/120ms · added p50/p99 488.2/1163.3ms"
	m.Update(frameMsg(f))
	m.Update(sizeMsg(80, 24))
	if m.ctx.theoryNow().theory.Applies {
		t.Fatal("timeout-demo has a closed form: the test needs a world without one")
	}
	v := m.View()
	checkScreen(t, v, 80, 24)
	for _, want := range []string{"Bidders (1–3 of 8)", "Latency (1–4 of 8)", "wait p95", "lost to timeouts", "added p50/p99 488.2/1163.3ms", "Changes (0) · none yet: try"} {
		if !strings.Contains(v, want) {
			t.Errorf("at 80×24 on the wire, no %q:\n%s", want, v)
		}
	}
	// After a change of tmax the change log's one line names the change
	// and explains the exchange panel's mark beside it (the wait reaches
	// before the change), then, once the wait is the change's own, names
	// the change alone. (Before, the mark's explanation took the
	// change's place while the wait reached before it, 8 to 16 s.)
	press(m, "T")
	press(m, "enter") // applies the step now
	pump()
	f = m.ctx.Frame
	f.Line = "on the wire: 8 bidders · 38,552 sent 24 answered 10,068 errors 27,948 timeouts · wait p50/p95 120ms/120ms · added p50/p99 488.2/1163.3ms"
	m.Update(frameMsg(f))
	if v := m.View(); !strings.Contains(v, "wait p95 (recent)*") || !strings.Contains(v, "exchange.tmax=130ms · * partly before the change") || !strings.Contains(v, "Bidders (1–3 of 8)") {
		t.Errorf("after a change, the change log's line does not name it and explain the mark:\n%s", v)
	}
	s := *f.Snap
	s.SinceChange.Auctions = s.Exchange.RecentWait.Count
	s.Exchange.RecentWaitCover = sim.WaitSince
	f.Snap = &s
	m.Update(frameMsg(f))
	if v := m.View(); !strings.Contains(v, "Changes (1) · ") || !strings.Contains(v, "exchange.tmax=130ms") || !strings.Contains(v, "Bidders (1–3 of 8)") {
		t.Errorf("after a change, the change log's line lacks it:\n%s", v)
	}
	// Off the wire the theory line stays (its reason takes a line of
	// its own), and the change log keeps one line so that the table
	// still has three rows (it had two, at the default scenario's 80×24).
	f.Line = ""
	m.Update(frameMsg(f))
	if v := m.View(); !strings.Contains(v, "no closed form") || !strings.Contains(v, "Changes (1) · ") || !strings.Contains(v, "Bidders (1–3 of 8)") {
		t.Errorf("off the wire the theory line is gone, or the table lost its third row to the change log:\n%s", v)
	}
}

// TestWireWaitSaysBeforeTheChange: after tmax 1s → 500ms the wire
// header's "wait p50/p95" and the exchange panel's "wait p95 (recent)"
// still hold auctions of the old tmax until sim.SinceEnough of the new
// have closed, and read above 500ms: they say so as presentation mode
// does, within the screen, then that they cover the auctions since.
func TestWireWaitSaysBeforeTheChange(t *testing.T) {
	const line = "on the wire: 5 bidders · 21,105 sent 20,283 answered 165 errors 274 timeouts · wait p50/p95 412ms/725ms · added p50/p99 1.6/11.1ms"
	for _, size := range [][2]int{{80, 24}, {120, 32}} {
		m, _ := wireModel(t, line, size[0], size[1])
		s := *m.ctx.Snap()
		s.Settings.Tmax = 500 * sim.Millisecond
		s.Changes = []sim.AppliedChange{{At: sim.Second, Event: 100, Change: sim.SetTmax{Tmax: 500 * sim.Millisecond}}}
		s.SinceChange = sim.SeriesPoint{Start: sim.Second, Auctions: 2000}
		s.Exchange.RecentWait = sim.LatencyStats{Count: 9000, P50: 411 * sim.Millisecond, P95: 725 * sim.Millisecond}
		s.Exchange.RecentWaitCover, s.Exchange.RecentWaitFrom = sim.WaitMixed, sim.Second
		f := m.ctx.Frame
		f.Snap = &s
		m.Update(frameMsg(f))
		v := m.View()
		checkScreen(t, v, size[0], size[1])
		var header, panel bool
		for _, l := range strings.Split(v, "\n") {
			header = header || strings.Contains(l, "wait p50/p95 412ms/725ms (partly before")
			panel = panel || strings.Contains(l, "725ms") && (strings.Contains(l, "wait p95 (partly before the change)") ||
				strings.Contains(l, "wait p95 (recent, partly before the change)") ||
				// At 80 columns a mark, explained beside the change.
				strings.Contains(l, "wait p95 (recent)*") && strings.Contains(v, "exchange.tmax=500ms · * partly before the change"))
		}
		if !header || !panel || !strings.Contains(v, "added p50/p99 1.6/11.1ms") {
			t.Errorf("%v: the wait does not say it reaches before the change (header %v, panel %v):\n%s", size, header, panel, v)
		}
		// Once the window is the change's own, it says so where it fits;
		// once it is the latest auctions, all after the change, nothing
		// is said.
		s.SinceChange.Auctions, s.Exchange.RecentWait.Count = 2000, 2000
		s.Exchange.RecentWaitCover = sim.WaitSince
		m.Update(frameMsg(f))
		v = m.View()
		if strings.Contains(v, "before") || !strings.Contains(v, "wait p50/p95 412ms/725ms (since") ||
			!strings.Contains(v, "wait p95 (since") && !strings.Contains(v, "wait p95 (recent)") {
			t.Errorf("%v: the window is the change's own:\n%s", size, v)
		}
		s.SinceChange.Auctions, s.Exchange.RecentWait.Count = 9000, 9000
		s.Exchange.RecentWaitCover, s.Exchange.RecentWaitFrom = sim.WaitLatest, 0
		m.Update(frameMsg(f))
		if v := m.View(); strings.Contains(v, "before") || strings.Contains(v, "since the change)") || !strings.Contains(v, "wait p95 (recent)") {
			t.Errorf("%v: the window is after the change:\n%s", size, v)
		}
	}
}

// graceOpen is a sim.Remote whose every call is still open at its
// auction's close, as wire.Exchange.Collect answers one its late grace is
// still reading: Late at the deadline, Open, until the driver tells the
// engine how it ended (LateAnswer).
type graceOpen struct{}

func (graceOpen) Send(sim.RemoteRequest) {}
func (graceOpen) Collect(uint64, int) sim.RemoteAnswer {
	return sim.RemoteAnswer{Status: sim.Late, Time: 120 * sim.Millisecond, Open: true}
}

// TestWireLateNoBidShownAtItsTime: on the wire a no-bid the late grace
// read is shown in the inspector, the timeline and the OpenRTB view as a
// late no-bid at its measured time, where a call never answered stays no
// answer and one the grace still reads is no answer yet. (Before, all
// three read "no answer": the views took every late response without a
// bid for a hang, though the record held its time.)
func TestWireLateNoBidShownAtItsTime(t *testing.T) {
	sc, eng, m := wireEngine(t, graceOpen{})
	recent := eng.Snapshot().Recent
	if len(recent) < 2 {
		t.Fatalf("%d auctions", len(recent))
	}
	const laggard = 2
	newest, before := recent[len(recent)-1], recent[len(recent)-2]
	at := newest.Tmax + 190*sim.Millisecond
	eng.LateAnswer(newest.ID, laggard, sim.RemoteAnswer{Status: sim.Late, Time: at, Arrived: true})
	eng.LateAnswer(before.ID, laggard, sim.RemoteAnswer{Status: sim.Late, Time: before.Tmax + 500*sim.Millisecond})
	for _, d := range []time.Duration{0, 100 * time.Millisecond} {
		timedOutFrame(m, sc, eng, d)
	}
	when := format.Latency(at)
	press(m, "enter")
	if l := rowStarting(t, m.View(), "laggard"); !strings.Contains(l, "late no bid") || !strings.Contains(l, when) || strings.Contains(l, "no answer") {
		t.Errorf("the inspector shows a no-bid read %s in the grace as %q", when, l)
	}
	press(m, "v")
	if l := rowStarting(t, m.View(), "laggard"); !strings.Contains(l, "late no bid · "+when) || strings.Contains(l, "no answer") {
		t.Errorf("the timeline shows a no-bid read %s in the grace as %q", when, l)
	}
	v := openRTBView(t, m)
	at0 := strings.Index(v.text, `"seat": "laggard"`)
	if at0 < 0 {
		t.Fatalf("no laggard in the OpenRTB view:\n%s", v.text)
	}
	if l := v.text[at0:]; !strings.Contains(l[:min(len(l), 600)], `"status": "no bid"`) {
		t.Errorf("the OpenRTB view shows the no-bid read in the grace as:\n%s", l)
	}
	// The auction before, whose call the grace read nothing of.
	press(m, "esc")
	press(m, "left")
	if l := rowStarting(t, m.View(), "laggard"); !strings.Contains(l, "no answer") || strings.Contains(l, "late") || strings.Contains(l, "yet") {
		t.Errorf("the inspector shows a call never answered as %q", l)
	}
	// The one before that, whose call the engine was not told of: the
	// grace still reads it (or the ring let the record go first).
	press(m, "left")
	if l := rowStarting(t, m.View(), "laggard"); !strings.Contains(l, "no answer yet") {
		t.Errorf("the inspector shows a call still open as %q", l)
	}
	press(m, "v")
	if l := rowStarting(t, m.View(), "laggard"); !strings.Contains(l, "no answer yet") {
		t.Errorf("the timeline shows a call still open as %q", l)
	}
}

// TestWireChangeHintOffersWhatWorks: the change log's hint before any
// change names, on the wire, only keys that work there, as the footer
// does: not l/L, b/B or g, which a bidder on the wire refuses ("change
// it on its server"); in a simulation it names them.
func TestWireChangeHintOffersWhatWorks(t *testing.T) {
	for _, w := range []int{80, 160} {
		wired, _ := wireModel(t, "on the wire: 4 bidders · 812 sent 790 answered 2 errors 20 timeouts", w, 40)
		hint := changeHint(wired.ctx)
		for _, refused := range []string{"l/L", "b/B", "g"} {
			if strings.Contains(hint, refused+",") {
				t.Errorf("%d columns, on the wire, the hint offers %s: %q", w, refused, hint)
			}
		}
		if !strings.Contains(wired.View(), "none yet: try t/T, f/F, a, x") {
			t.Errorf("%d columns, on the wire, the change log reads:\n%s", w, wired.View())
		}
		sim, _, _ := testModel(t, w, 40)
		if hint := changeHint(sim.ctx); !strings.Contains(hint, "l/L") || !strings.Contains(hint, "g,") {
			t.Errorf("%d columns, simulated, the hint reads %q", w, hint)
		}
	}
}

// TestWireViewsOfferWhatWorks: on the wire the what-if panel, the
// timeline, the inspector and presentation mode, and the dashboard's
// full help, do not offer pause, speed, step, restart or another
// scenario, which the wall clock refuses, as the dashboard's footer does
// not (before, they offered them); in a simulation they do.
func TestWireViewsOfferWhatWorks(t *testing.T) {
	const line = "on the wire: 4 bidders · 812 sent 790 answered 2 errors 20 timeouts"
	for _, c := range []struct {
		key string
		sim string // what the view's footer offers in a simulation
	}{
		{"w", "pause"},
		{"v", "speed"},
		{"enter", "step"},
		{"P", "pause"},
	} {
		for _, wired := range []bool{true, false} {
			var m *model
			if wired {
				m, _ = wireModel(t, line, 160, 40)
			} else {
				m, _, _ = testModel(t, 160, 40)
			}
			press(m, c.key)
			var short, full []string
			for _, b := range m.ctx.top().ShortHelp() {
				short = append(short, b.Help().Desc)
			}
			for _, col := range m.ctx.top().FullHelp() {
				for _, b := range col {
					full = append(full, b.Help().Desc)
				}
			}
			all := strings.Join(short, " | ") + " || " + strings.Join(full, " | ")
			if wired {
				for _, refused := range []string{"pause", "speed", "step", "faster", "slower"} {
					if strings.Contains(all, refused) {
						t.Errorf("%s on the wire offers %q: %s", c.key, refused, all)
					}
				}
			} else if !strings.Contains(strings.Join(short, " | "), c.sim) {
				t.Errorf("%s simulated does not offer %q: %s", c.key, c.sim, all)
			}
		}
	}
	m, _ := wireModel(t, line, 160, 40)
	var full []string
	for _, col := range m.ctx.top().FullHelp() {
		for _, b := range col {
			full = append(full, b.Help().Desc)
		}
	}
	for _, refused := range []string{"pause", "restart", "scenario", "fork"} {
		for _, d := range full {
			if strings.Contains(d, refused) {
				t.Errorf("the dashboard's full help on the wire offers %q", d)
			}
		}
	}
}

// TestWireTimelineLegendSaysMeasured: on the wire the timeline draws a
// bidder on the wire's answer whole, as measured, in the bidder's part,
// and its legend says so, whole at 80 and 160 columns (before, it named
// that part the bidder's own processing and listed a network, queue and
// service a bidder on the wire never shows); in a simulation it does not.
func TestWireTimelineLegendSaysMeasured(t *testing.T) {
	for _, w := range []int{80, 160} {
		sc, eng, m := wireEngine(t, timingOut{})
		m.Update(sizeMsg(w, 40))
		for _, at := range []time.Duration{0, 100 * time.Millisecond} {
			timedOutFrame(m, sc, eng, at)
		}
		press(m, "v")
		if v := m.View(); !strings.Contains(v, "▒ bidder (on the wire: ") || !strings.Contains(v, "● arrives │ tmax") {
			t.Errorf("%d columns, on the wire, the timeline's legend:\n%s", w, v)
		}
		sim, _, _ := testModel(t, w, 40)
		press(sim, "v")
		if v := sim.View(); !strings.Contains(v, "▒ bidder ░ queue") || strings.Contains(v, "on the wire") {
			t.Errorf("%d columns, simulated, the timeline's legend:\n%s", w, v)
		}
	}
}

// busyLine and busyForms are a wire header line as wire.Live writes it
// for eight bidders with the machine busy, and its parts' shorter forms.
const busyLine = "on the wire: 8 bidders · 21,264 sent: 15,186 answered 10 errors 6,001 timeouts 67 calls in flight · wait p50/p95 412ms/725ms · added p50/p99 2.0/54.6ms: machine busy"

var busyForms = [][]string{{"on the wire", "wire"}, {"21,264 sent: 15,186 answered 10 errors 6,001 timeouts 67 in flight", "21.3k sent: 15.2k answered 10 errors 6,001 timeouts 67 in flight"}, nil, {"added 2.0/54.6ms: machine busy"}}

// busyAfterAChange is m's frame with busyLine as its header line, after
// tmax 1s → 500ms, the recent wait still holding auctions of the old
// tmax (sim.WaitMixed).
func busyAfterAChange(m *model) {
	s := *m.ctx.Snap()
	s.Settings.Tmax = 500 * sim.Millisecond
	s.Changes = []sim.AppliedChange{{At: sim.Second, Event: 100, Change: sim.SetTmax{Tmax: 500 * sim.Millisecond}}}
	s.SinceChange = sim.SeriesPoint{Start: sim.Second, Auctions: 2000}
	s.Exchange.RecentWait = sim.LatencyStats{Count: 9000, P50: 411 * sim.Millisecond, P95: 725 * sim.Millisecond}
	s.Exchange.RecentWaitCover, s.Exchange.RecentWaitFrom = sim.WaitMixed, sim.Second
	f := m.ctx.Frame
	f.Snap, f.Line, f.LineForms = &s, busyLine, busyForms
	m.Update(frameMsg(f))
}

// TestWireBusyTagWholeAt80x24: at 80×24 the wire header's two lines keep
// every tag whole: the wait's "(partly before change)" and "machine
// busy", the wire's line giving up the bidders' names and "p50/p99" for
// them (wireLine, by the parts' shorter forms), the counts adding up to
// the calls sent with the calls in flight; before, the second line read
// "wait p50/p95 412ms/725ms (partly pre-change) · added p50/p99
// 2.0/54.6ms: machin…". At 160 columns the line is whole. The 80×24
// screen is a golden file.
func TestWireBusyTagWholeAt80x24(t *testing.T) {
	m, _ := wireModel(t, busyLine, 80, 24)
	busyAfterAChange(m)
	v := m.View()
	checkScreen(t, v, 80, 24)
	lines := strings.Split(v, "\n")
	header := strings.Join(lines[:4], "\n")
	for _, want := range []string{"on the wire · 21,264 sent: 15,186 answered 10 errors 6,001 timeouts 67 in flight", "wait p50/p95 412ms/725ms (partly before change)", "added 2.0/54.6ms: machine busy"} {
		if !strings.Contains(header, want) {
			t.Errorf("at 80 columns the header lacks %q:\n%s", want, header)
		}
	}
	if strings.Contains(header, "…") {
		t.Errorf("at 80 columns the header cuts a tag:\n%s", header)
	}
	golden.RequireEqual(t, []byte(v))
	m.Update(sizeMsg(160, 48))
	v = m.View()
	for _, want := range []string{"21,264 sent: 15,186 answered 10 errors 6,001 timeouts 67 calls in flight", "wait p50/p95 412ms/725ms (partly before the change)", "added p50/p99 2.0/54.6ms: machine busy"} {
		if !strings.Contains(v, want) {
			t.Errorf("at 160 columns the wire's line lacks %q:\n%s", want, v)
		}
	}
}

// TestWireLineGivesUpOnlyWhatItMust: at 80 columns the wire's line drops
// the bidders' names, which make the first line too long, and keeps the
// calls in flight, without which the counts do not add up to the calls
// sent (6,696 = 4,808 + 2 + 1,782 + 104; before, it kept "8 bidders" and
// the sum missed 104), and the added delay's "p50/p99", which the second
// line holds: a shorter form taken on the way to the one that fits is
// given back.
func TestWireLineGivesUpOnlyWhatItMust(t *testing.T) {
	const line = "on the wire: 8 bidders · 6,696 sent: 4,808 answered 2 errors 1,782 timeouts 104 in flight · wait p50/p95 120ms/120ms · added p50/p99 2.0/36.4ms"
	forms := [][]string{{"on the wire"}, {"6,696 sent: 4,808 answered 2 errors 1,782 timeouts"}, nil, {"added 2.0/36.4ms"}}
	m, _ := wireModel(t, line, 80, 24)
	got := foldLine(wireLine(m.ctx.Snap(), line, forms, 80), 80)
	want := []string{"on the wire · 6,696 sent: 4,808 answered 2 errors 1,782 timeouts 104 in flight", "wait p50/p95 120ms/120ms · added p50/p99 2.0/36.4ms"}
	if !slices.Equal(got, want) {
		t.Errorf("at 80 columns: %q, want %q", got, want)
	}
	if got := foldLine(wireLine(m.ctx.Snap(), line, forms, 160), 160); len(got) != 1 || got[0] != line {
		t.Errorf("at 160 columns: %q, want the line whole", got)
	}
}

// TestKeysRefuseABidderOnTheWireAtOnce: on the wire the keys that change
// a bidder's own settings (l, b, g, m, <) on a bidder on the wire
// (Frame.Remote) say at once what the exchange would, "laggard is on the
// wire: change it on its server", on the dashboard and in presentation
// mode, and send nothing; before, l built its change from the settings
// the wire does not have ("refused: bidders.laggard.latency={dist:
// none}: …" where the scenario gives none) and b offered a budget the
// wire would refuse. A simulated bidder beside it still takes l.
func TestKeysRefuseABidderOnTheWireAtOnce(t *testing.T) {
	m, src := wireModel(t, busyLine, 100, 30)
	f := m.ctx.Frame
	f.Remote = []string{"laggard"}
	m.Update(frameMsg(f))
	at := slices.IndexFunc(m.ctx.Snap().Bidders, func(b sim.BidderStats) bool { return b.Name == "laggard" })
	if at < 0 || len(m.ctx.Snap().Bidders) < 2 {
		t.Fatalf("no laggard beside another bidder in %d bidders", len(m.ctx.Snap().Bidders))
	}
	const want = "laggard is on the wire: change it on its server"
	for _, k := range []string{"l", "L", "b", "g", "m", "<"} {
		m.ctx.Selected = at
		press(m, k)
		if v := m.View(); !strings.Contains(v, want) {
			t.Errorf("%s on laggard: the status line lacks %q:\n%s", k, want, v)
		}
		press(m, "esc") // whatever k might have opened
	}
	press(m, "P")
	m.ctx.Selected = at
	press(m, "l")
	if v := m.View(); !strings.Contains(v, want) {
		t.Errorf("l in presentation mode: the status line lacks %q:\n%s", want, v)
	}
	press(m, "P")
	if cmds := src.cmds(); len(cmds) != 0 {
		t.Fatalf("sent %v for a bidder on the wire, want nothing", cmds)
	}
	m.ctx.Selected = (at + 1) % len(m.ctx.Snap().Bidders)
	press(m, "l")
	if cmds := src.cmds(); len(cmds) != 1 {
		t.Errorf("l on a simulated bidder sent %v, want one change", cmds)
	}
}

// TestLatencyKeyOnABidderWithoutLatency: l on a bidder whose scenario
// gives it no latency (sponsored-search's) says there is none to scale
// and how to give one, sends nothing, and the command line it names
// gives one, which l then scales; before, the status line read
// "refused: bidders.ada.latency={dist: none}: dist: "none" is not a
// distribution…".
func TestLatencyKeyOnABidderWithoutLatency(t *testing.T) {
	sc := bundled(t, "sponsored-search")
	m, l := modelOn(t, sc, engineAt(t, sc, sim.Second), 100, 30)
	b, sb := m.ctx.SelectedBidder()
	if sb.latency.Kind != sim.DistNone {
		t.Fatalf("%s has latency %+v: the test needs none", b.Name, sb.latency)
	}
	press(m, "l")
	want := b.Name + " has no latency to scale: :bidders." + b.Name + ".latency=30ms gives one"
	if v := m.View(); !strings.Contains(v, want) || strings.Contains(v, "dist: none") {
		t.Errorf("l on %s: the status line lacks %q:\n%s", b.Name, want, v)
	}
	if cmds := l.cmds(); len(cmds) != 0 {
		t.Fatalf("l sent %v, want nothing", cmds)
	}
	if err := m.ctx.Assign([]scenarios.Set{{Path: "bidders." + b.Name + ".latency", Value: "30ms"}}, "", nil); err != nil {
		t.Fatalf("the hint's assignment is refused: %v", err)
	}
	if cmds := l.cmds(); len(cmds) != 1 {
		t.Errorf("the hint's assignment sent %v, want one change", cmds)
	}
}
