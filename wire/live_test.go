package wire

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// nextFrame is l's next frame that satisfies ok, within a generous
// limit: frames come about ten a second on the wall clock.
func nextFrame(t *testing.T, l *Live, what string, ok func(runner.Frame) bool) runner.Frame {
	t.Helper()
	limit := time.After(20 * time.Second)
	for {
		select {
		case f := <-l.Frames():
			if ok(f) {
				return f
			}
		case <-l.Done():
			t.Fatalf("Live stopped waiting for %s: %v", what, l.Err())
		case <-limit:
			t.Fatalf("no frame with %s", what)
		}
	}
}

// hasNote reports whether f carries a note containing s.
func hasNote(f runner.Frame, s string) bool {
	for _, n := range f.Notes {
		if strings.Contains(n.Text, s) {
			return true
		}
	}
	return false
}

// TestLiveRunsTheDashboardsCommandsOnTheWire: the exchange on the wire as
// a dashboard's source publishes frames of its engine with a line about
// the wire, makes the exchange's changes (tmax), the changes to the
// bidders it still simulates and whom it calls, refuses a change to a
// bidder on the wire naming it, and the simulation's pause, saying why;
// at the world's stop its frames say the run ended.
func TestLiveRunsTheDashboardsCommandsOnTheWire(t *testing.T) {
	cfg := closeWorld(false)
	srv, err := NewServer(cfg, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ts := serve(t, srv)
	eps := map[string]string{"steady": ts.URL + BidPath + "steady"} // broken stays simulated
	l, err := NewLive(runner.World{Name: "wire-test", Config: cfg, Stop: sim.Stop{Auctions: 40}}, ExchangeOptions{Endpoints: eps})
	if err != nil {
		t.Fatal(err)
	}
	var _ runner.Source = l
	l.Start()
	stopped := false
	defer func() {
		if !stopped {
			l.Stop()
		}
	}()
	f := nextFrame(t, l, "an auction", func(f runner.Frame) bool { return f.Snap.Exchange.Auctions > 0 })
	if !strings.Contains(f.Line, "on the wire: steady") || !strings.Contains(f.Line, "sent") || f.Paused || f.Speed != 1 {
		t.Errorf("frame: line %q paused %v speed %v", f.Line, f.Paused, f.Speed)
	}
	// The bidders on the wire, for the dashboard to refuse their keys.
	if !slices.Equal(f.Remote, []string{"steady"}) {
		t.Errorf("frame: remote %q, want [steady]", f.Remote)
	}
	// The frame's export section is what crossed the wire, as run
	// --endpoints --out writes it ("wire"): bid requests sent to steady.
	if len(f.Export) != 1 || f.Export[0].Name != "wire" {
		t.Errorf("frame's export sections %+v, want wire", f.Export)
	} else if ws, ok := f.Export[0].Value.(WireStats); !ok || ws.Sent == 0 {
		t.Errorf("frame's wire section %#v: want WireStats with requests sent", f.Export[0].Value)
	}
	send := func(seq uint64, c runner.Command) {
		t.Helper()
		if !l.Send(runner.Envelope{Seq: seq, Cmd: c}) {
			t.Fatal("Send refused a command with an empty queue")
		}
	}
	send(1, runner.Apply{Change: sim.SetTmax{Tmax: 2 * sim.Second}})
	send(2, runner.Apply{Change: sim.ScaleLatency{Bidder: "steady", Factor: 2}})
	send(3, runner.Apply{Change: sim.ScaleLatency{Bidder: "broken", Factor: 2}})
	send(4, runner.Pause{Paused: true})
	send(5, runner.Apply{Change: sim.SetEnabled{Bidder: "steady", Enabled: false}})
	var notes []runner.Note
	f = nextFrame(t, l, "the five commands", func(f runner.Frame) bool {
		notes = append(notes, f.Notes...)
		return f.Ack >= 5
	})
	f.Notes = notes
	if f.Snap.Settings.Tmax != 2*sim.Second {
		t.Errorf("tmax %v, want the 2s set", f.Snap.Settings.Tmax)
	}
	if !hasNote(f, "steady is on the wire: change it on its server") {
		t.Errorf("notes %+v: want steady's change refused", notes)
	}
	if !hasNote(f, "no pause") || f.Paused {
		t.Errorf("notes %+v, paused %v: want the pause refused", notes, f.Paused)
	}
	by := map[string]sim.BidderStats{}
	for _, b := range f.Snap.Bidders {
		by[b.Name] = b
	}
	if by["steady"].Enabled || by["broken"].LatencyDist.A == cfg.Bidders[1].Latency.A {
		t.Errorf("steady enabled %v, broken's latency %+v: want steady switched off, broken's latency doubled", by["steady"].Enabled, by["broken"].LatencyDist)
	}
	if len(f.Snap.Changes) != 3 {
		t.Errorf("change log %+v: want tmax, broken's latency, steady off", f.Snap.Changes)
	}
	f = nextFrame(t, l, "the end of the run", func(f runner.Frame) bool { return f.Ended })
	if f.Snap.Exchange.Auctions != 40 || !f.Reached() {
		t.Errorf("ended after %d auctions, want 40", f.Snap.Exchange.Auctions)
	}
	send(6, runner.Restart{})
	if f = nextFrame(t, l, "the restart refused", func(f runner.Frame) bool { return f.Ack >= 6 }); !hasNote(f, "this one world") {
		t.Errorf("notes %+v: want the restart refused", f.Notes)
	}
	l.Stop()
	stopped = true
	if l.Err() != nil {
		t.Errorf("Err %v after Stop", l.Err())
	}
}

// TestLiveStopsMidRun: Stop ends a run on the wire that has no stop of its
// own, promptly.
func TestLiveStopsMidRun(t *testing.T) {
	cfg := closeWorld(false)
	srv, err := NewServer(cfg, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ts := serve(t, srv)
	l, err := NewLive(runner.World{Name: "wire-test", Config: cfg}, ExchangeOptions{Endpoints: Endpoints(cfg, ts.URL)})
	if err != nil {
		t.Fatal(err)
	}
	l.Start()
	nextFrame(t, l, "an auction", func(f runner.Frame) bool { return f.Snap.Exchange.Auctions > 0 })
	done := make(chan struct{})
	go func() { l.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Stop did not return")
	}
	if _, err := NewLive(runner.World{Config: cfg}, ExchangeOptions{}); err == nil {
		t.Error("a Live with no endpoints was built")
	}
}

// TestLiveAddedDelayIsRecent: the dashboard's "added p50/p99" covers the
// recent window, as its other live figures: an overload half a minute ago
// (answers 400 ms late) is gone from it, though the run's whole figure
// (WireStats.AddedMS) keeps it; the line's counts have thousands separators.
func TestLiveAddedDelayIsRecent(t *testing.T) {
	l, x := steadyLive(t, closeWorld(false), 40*time.Second)
	for i := range 200 {
		x.recordAdded(2*time.Second+time.Duration(i)*time.Millisecond, 400*time.Millisecond, false, false)
	}
	for i := range 200 {
		x.recordAdded(38*time.Second+time.Duration(i)*time.Millisecond, 2*time.Millisecond, false, false)
	}
	if all := x.Wire().AddedMS; all == nil || all.P99 < 390 {
		t.Fatalf("whole run's added %+v: want the overload's 400ms at p99", all)
	}
	// Counts in the thousands read with separators, as the dashboard's.
	x.w.sent.Store(1234567)
	big := x.eng.Snapshot()
	for i := range big.Bidders {
		if big.Bidders[i].Name == "steady" {
			// 1,229,976 + 4,567 + 12 closed: 1,234,555 of 1,234,567 sent.
			big.Bidders[i].BidRequests, big.Bidders[i].OnTime, big.Bidders[i].Errors, big.Bidders[i].Late = 1234555, 1229976, 4567, 12
		}
	}
	line, forms := l.line(big)
	if !strings.Contains(line, "1,234,567 sent: 1,229,976 answered 4,567 errors 12 timeouts 12 calls in flight") {
		t.Errorf("line %q: want the counts with thousands separators", line)
	}
	// The last resort, for 80 columns, writes the large counts in k and
	// M and still has the calls in flight (1.23M = 1.23M + 4,567 + 12 +
	// 12 to three digits).
	if last := "1.23M sent: 1.23M answered 4,567 errors 12 timeouts 12 in flight"; len(forms) < 2 || len(forms[1]) == 0 || forms[1][len(forms[1])-1] != last {
		t.Errorf("the counts' shorter forms %q: want %q last", forms, last)
	}
	line, _ = l.line(x.eng.Snapshot())
	if !strings.Contains(line, "added p50/p99 2.0/2.0ms") {
		t.Errorf("line %q: want the recent added p50/p99 2.0/2.0ms, the overload forgotten", line)
	}
	// The wait reads as the exchange panel's does, not "438.3/1000.0ms".
	s := x.eng.Snapshot()
	s.Exchange.RecentWait = sim.LatencyStats{Count: 10, P50: 438300 * sim.Microsecond, P95: sim.Second}
	if line, _ := l.line(s); !strings.Contains(line, "wait p50/p95 438ms/1.00s") {
		t.Errorf("line %q: want the wait as wait p50/p95 438ms/1.00s", line)
	}
	if strings.Contains(line, "busy") {
		t.Errorf("line %q: busy, the overload forgotten", line)
	}
	// Within the window the overload shows, and the line says that the
	// machine is busy, as run --endpoints does on stderr (WireStats.Busy).
	x.start = time.Now().Add(-3 * time.Second)
	if r := x.RecentAdded(); r == nil || r.P99 < 390 {
		t.Errorf("recent added %+v three seconds on: want the overload's 400ms at p99", r)
	}
	if line, _ := l.line(x.eng.Snapshot()); !strings.Contains(line, "ms: machine busy") {
		t.Errorf("line %q in the overload: want it to say the machine is busy", line)
	}
	// Its shorter form, for a dashboard too narrow, keeps the tag whole.
	if _, forms := l.line(x.eng.Snapshot()); len(forms) == 0 || len(forms[len(forms)-1]) != 1 ||
		!strings.HasPrefix(forms[len(forms)-1][0], "added ") || !strings.HasSuffix(forms[len(forms)-1][0], "ms"+runner.LineBusy) {
		t.Errorf("the line's shorter forms %q: want the added delay's to end %q", forms, "ms"+runner.LineBusy)
	}
}

// TestLiveSaysNothingAnswers: the dashboard on the wire with nothing
// listening at the endpoints says so on its status line, once, asking
// whether a bidders' server runs there, as run --endpoints fails saying
// why; before, it showed a chart of "no bid on time" and zeros. With a
// server there it says nothing of the kind.
func TestLiveSaysNothingAnswers(t *testing.T) {
	cfg := closeWorld(false)
	cfg.Traffic.QPS = 200
	srv, err := NewServer(cfg, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	there := serve(t, srv).URL
	for _, c := range []struct {
		url  string
		says bool
	}{{closedURL(t), true}, {there, false}} {
		eps := map[string]string{"steady": c.url + BidPath + "steady", "picky": c.url + BidPath + "picky"}
		l, err := NewLive(runner.World{Name: "wire-test", Config: cfg, Stop: sim.Stop{Auctions: 40}}, ExchangeOptions{Endpoints: eps})
		if err != nil {
			t.Fatal(err)
		}
		l.Start()
		said := 0
		f := nextFrame(t, l, "the end of the run", func(f runner.Frame) bool {
			for _, n := range f.Notes {
				if strings.HasPrefix(n.Text, "nothing on the wire answers: is auctionsim bidders running at the endpoints?") && n.Warn {
					said++
				}
			}
			return f.Ended
		})
		l.Stop()
		if got := said == 1; got != c.says || said > 1 {
			t.Errorf("endpoints at %s (sent %s): said nothing answers %d times, want %v", c.url, f.Line, said, c.says)
		}
	}
}

// TestLiveLineCountsWhatThePanelCounts: the wire line's answered, errors,
// refused and timeouts cover the closed auctions' calls to the bidders
// on the wire, as the exchange panel's no-bids · errors and refused do,
// and say apart the calls of the auctions still open; a simulated
// bidder's errors are not the wire's. Before, the line took the wire's
// tallies, which count a call's error as it ends (its auction perhaps
// still open) and a refused connection among the errors: it read 9
// errors here (the panel 5), with no refused.
func TestLiveLineCountsWhatThePanelCounts(t *testing.T) {
	cfg := closeWorld(false)
	eps := map[string]string{"steady": "http://127.0.0.1:1" + BidPath + "steady", "picky": "http://127.0.0.1:1" + BidPath + "picky"}
	l, err := NewLive(runner.World{Name: "wire-test", Config: cfg, Stop: sim.Stop{Auctions: 40}}, ExchangeOptions{Endpoints: eps})
	if err != nil {
		t.Fatal(err)
	}
	x := l.Exchange()
	// The wire's tallies: 100 sent, of which the calls of 3 open auctions
	// (two each, 6 calls: 1 answered, 1 error); 2 refused connections
	// counted among its errors.
	x.w.sent.Store(100)
	x.w.answered.Store(75 + 1)
	x.w.httpErrors.Store(5 + 2 + 1 + 1) // 1 more: an error the close has not yet read
	x.w.timeouts.Store(9)
	s := x.eng.Snapshot()
	set := func(name string, onTime, noBids, errs, refused, late uint64) {
		for i := range s.Bidders {
			if b := &s.Bidders[i]; b.Name == name {
				b.OnTime, b.NoBids, b.Errors, b.Refused, b.Late = onTime, noBids, errs, refused, late
				b.Bids = onTime + late
				b.BidRequests = b.Bids + noBids + errs + refused
				return
			}
		}
		t.Fatalf("no bidder %s", name)
	}
	set("steady", 40, 10, 3, 2, 3) // 58 calls
	set("picky", 20, 5, 2, 0, 6)   // 33 calls
	set("broken", 0, 0, 91, 0, 0)  // simulated: not the wire's
	// The closed auctions' calls on the wire: 58 + 33 = 91 of 100 sent.
	// The calls in flight named as calls: the exchange panel's are its
	// auctions in flight.
	want := "100 sent: 75 answered 5 errors 2 refused 9 timeouts 9 calls in flight"
	line, forms := l.line(s)
	if !strings.Contains(line, want) {
		t.Errorf("line %q: want %q", line, want)
	}
	// Its shorter forms give up the word "calls", then (counts this
	// small being written whole) nothing more: each keeps the calls in
	// flight, so that the counts still add up to those sent.
	short := "100 sent: 75 answered 5 errors 2 refused 9 timeouts 9 in flight"
	if len(forms) < 2 || !slices.Equal(forms[1], []string{short, short}) {
		t.Errorf("the counts' shorter forms %q: want %q twice", forms, short)
	}
	// No refusals: none said, as the panel has no refused row then.
	set("steady", 40, 10, 3, 0, 3)
	if line, _ := l.line(s); strings.Contains(line, "refused") || !strings.Contains(line, "100 sent: 75 answered 5 errors 9 timeouts 11 calls in flight") {
		t.Errorf("line %q: want no refused and the counts of the closed auctions", line)
	}
}

// steadyLive is a Live on cfg whose bidder steady is on a wire nothing
// listens on, never started: its exchange (x) is fed answers at set
// instants (recordAdded), its wall clock begun since ago.
func steadyLive(t *testing.T, cfg sim.Config, since time.Duration) (*Live, *Exchange) {
	t.Helper()
	l, err := NewLive(runner.World{Name: "wire-test", Config: cfg, Stop: sim.Stop{Auctions: 40}},
		ExchangeOptions{Endpoints: map[string]string{"steady": "http://127.0.0.1:1" + BidPath + "steady"}})
	if err != nil {
		t.Fatal(err)
	}
	x := l.Exchange()
	x.start = time.Now().Add(-since)
	return l, x
}
