package wire

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestMachineMadeLateRule: the wire's delay matters when it made at least
// one in a hundred of the answers the model has on time late, whatever
// its size in ms: the rule is relative to the deadline through the
// answers themselves; it says nothing on fewer than 100 answers.
func TestMachineMadeLateRule(t *testing.T) {
	for _, c := range []struct {
		late, onTime uint64
		want         bool
	}{
		{0, 0, false},
		{0, 1000, false},
		{9, 1000, false},
		{10, 1000, true}, // 1%
		{84, 6000, true}, // sponsored-search at 10 ms on loopback: 1.4%
		{1, 1, false},    // too few answers to say
		{99, 99, false},  // likewise
		{1, 100, true},
		{1, 101, false},
	} {
		if got := MachineMadeLate(c.late, c.onTime); got != c.want {
			t.Errorf("MachineMadeLate(%d, %d) = %v, want %v", c.late, c.onTime, got, c.want)
		}
	}
}

// TestLiveLineSaysTheMachineMadeAnswersLate: with the wire's added delay
// under the busy bounds (2 ms at the median, 8 ms at p95) but 2.9% of the
// answers the model has on time made late by it, the wire line ends with
// "machine made 2.9% late", in its shorter form too; at 0.5% it says
// nothing, and past the busy bounds "machine busy" takes its place. Before,
// sponsored-search at a 10 ms tmax read a measured price excluding the
// theory with nothing on screen saying why. The answers are recorded as
// the calls record them, at set instants: no wall clock.
func TestLiveLineSaysTheMachineMadeAnswersLate(t *testing.T) {
	cfg := closeWorld(false)
	l, x := steadyLive(t, cfg, 5*time.Second)
	at := func(i int) time.Duration { return 4*time.Second + time.Duration(i)*time.Millisecond }
	for i := range 1000 {
		d := 2 * time.Millisecond
		if i%20 == 0 {
			d = 8 * time.Millisecond
		}
		x.recordAdded(at(i), d, true, i < 5) // 0.5% late
	}
	line, _ := l.line(x.eng.Snapshot())
	if strings.Contains(line, runner.LineMachineLate) || strings.Contains(line, runner.LineBusy) {
		t.Errorf("0.5%% made late: line %q, want no tag", line)
	}
	for i := range 25 { // 30 of 1,000 late: 3.0%
		x.recordAdded(at(1000+i), 2*time.Millisecond, true, true)
	}
	x.recordAdded(at(1100), 2*time.Millisecond, false, true) // late in the model too: not the machine's
	line, forms := l.line(x.eng.Snapshot())
	const tag = ": machine made 2.9% late" // 30 of 1,025
	if !strings.HasSuffix(line, tag) {
		t.Errorf("line %q: want it to end %q", line, tag)
	}
	if last := forms[len(forms)-1]; len(last) != 1 || !strings.HasSuffix(last[0], tag) {
		t.Errorf("the added delay's shorter form %q: want it to keep %q", last, tag)
	}
	// A new tmax starts the count afresh: the tag speaks of the deadline
	// on screen (a floor leaves it).
	l.handle(runner.Envelope{Seq: 1, Cmd: runner.Apply{Change: sim.SetFloor{Floor: sim.PriceOf(0.01)}}})
	if line, _ = l.line(x.eng.Snapshot()); !strings.HasSuffix(line, tag) {
		t.Errorf("after a floor: line %q, want it to end %q still", line, tag)
	}
	l.handle(runner.Envelope{Seq: 2, Cmd: runner.Apply{Change: sim.SetTmax{Tmax: 2 * cfg.Exchange.Tmax}}})
	if line, _ = l.line(x.eng.Snapshot()); strings.Contains(line, runner.LineMachineLate) {
		t.Errorf("after a new tmax: line %q, want no tag until its own answers say", line)
	}
	for i := range 200 { // past the busy bounds at p95
		x.recordAdded(at(1200+i), 40*time.Millisecond, true, false)
	}
	if line, _ = l.line(x.eng.Snapshot()); !strings.HasSuffix(line, runner.LineBusy) {
		t.Errorf("line %q: want it to end %q, the busy machine first", line, runner.LineBusy)
	}
}

// TestMachineLateNote: run --endpoints notes the answers the wire made
// late when the machine was not busy, and leaves it to Busy's note when
// it was.
func TestMachineLateNote(t *testing.T) {
	w := WireStats{Sent: 6000, ModelOnTime: 6000, MachineLate: 84, AddedMS: &Percentiles{P50: 1.8, P95: 6.1}}
	if n := w.MachineLateNote(time.Minute); !strings.Contains(n, "the wire made 84 of the 6,000 answers the model has within tmax late (1.4%") {
		t.Errorf("note %q: want the 84 of 6,000", n)
	}
	w.MachineLate = 50
	if n := w.MachineLateNote(time.Minute); n != "" {
		t.Errorf("0.8%% made late: note %q, want none", n)
	}
	w.MachineLate, w.AddedMS.P95 = 84, 30
	if n := w.MachineLateNote(time.Minute); n != "" || w.Busy(time.Minute) == "" {
		t.Errorf("busy: late note %q, busy %q: want Busy's alone", n, w.Busy(time.Minute))
	}
}

// TestWireCountsTheAnswersTheMachineMadeLate: on loopback, answers that
// state a modelled time of 0 (on time in the model) and come 25 ms past a
// 40 ms deadline, read in the late grace, are the machine's lateness, all
// of them; the same answers stating a modelled time past the deadline are
// late in the model too, and none is counted. Only the order of the
// handler's sleep and the deadline matters, not the machine's speed.
func TestWireCountsTheAnswersTheMachineMadeLate(t *testing.T) {
	if testing.Short() {
		t.Skip("loopback, 2 s of auctions")
	}
	cfg := testWorld()
	cfg.Exchange.Tmax = 40 * sim.Millisecond
	cfg.Traffic.QPS = 50
	cfg.Bidders = cfg.Bidders[:1]
	late := time.Duration(cfg.Exchange.Tmax) + 25*time.Millisecond
	for _, modelled := range []time.Duration{0, late} {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(late)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set(ModelledHeader, strconv.FormatInt(modelled.Microseconds(), 10))
			fmt.Fprint(w, `{"id":"x","seatbid":[{"bid":[{"id":"b","impid":"1","price":1.5,"crid":"c"}]}]}`)
		})
		ts := serve(t, h)
		x := newExchange(t, cfg, ExchangeOptions{Endpoints: map[string]string{"steady": ts.URL}, LateGrace: 2 * time.Second, Notices: NoticesNone})
		runAuctions(t, x, 40)
		w := x.Wire()
		if w.LateAnswers != 40 {
			t.Fatalf("modelled %v: %d late answers, want all 40 read in the grace", modelled, w.LateAnswers)
		}
		want := uint64(40)
		if modelled > 0 {
			want = 0
		}
		if w.ModelOnTime != want || w.MachineLate != want {
			t.Errorf("modelled %v: %d on time in the model, %d made late by the wire; want %d and %d", modelled, w.ModelOnTime, w.MachineLate, want, want)
		}
	}
}

// TestKeepMachineLate: the tag comes at MachineMadeLate's 1% and, once
// shown, stays until the share falls under half of it (or too few answers
// remain to say, as after a new tmax), so a share near 1% does not make it
// flicker from frame to frame.
func TestKeepMachineLate(t *testing.T) {
	for _, c := range []struct {
		late, onTime uint64
		shown, want  bool
	}{
		{9, 1000, false, false},
		{10, 1000, false, true},
		{9, 1000, true, true},   // 0.9%: kept
		{5, 1000, true, true},   // 0.5%: kept
		{4, 1000, true, false},  // 0.4%: gone
		{50, 99, true, false},   // too few to say
		{0, 0, true, false},     // counted afresh
		{10, 1000, true, true},  // still over
		{10, 2001, true, false}, // just under half a percent
	} {
		if got := keepMachineLate(c.late, c.onTime, c.shown); got != c.want {
			t.Errorf("keepMachineLate(%d, %d, %v) = %v, want %v", c.late, c.onTime, c.shown, got, c.want)
		}
	}
}

// TestLiveLineKeepsTheMachineLateTag: shown at 1.2%, the wire line's tag
// stays while more answers on time bring the share to 0.7%, and goes at
// 0.4%; before, it went at once under 1% and came back at the next late
// answer.
func TestLiveLineKeepsTheMachineLateTag(t *testing.T) {
	l, x := steadyLive(t, closeWorld(false), 5*time.Second)
	i := 0
	record := func(n, late int) {
		for k := range n {
			x.recordAdded(4*time.Second+time.Duration(i)*250*time.Microsecond, 2*time.Millisecond, true, k < late)
			i++
		}
	}
	tagged := func() bool {
		line, _ := l.line(x.eng.Snapshot())
		return strings.Contains(line, runner.LineMachineLate)
	}
	record(1000, 12) // 1.2%
	if !tagged() {
		t.Fatal("1.2% made late: no tag")
	}
	record(700, 0) // 12 of 1,700: 0.7%
	if !tagged() {
		t.Error("0.7% after 1.2%: the tag went")
	}
	record(1300, 0) // 12 of 3,000: 0.4%
	if tagged() {
		t.Error("0.4%: the tag stayed")
	}
	record(200, 0) // 12 of 3,200: under 1%, not shown before
	if tagged() {
		t.Error("0.375%, hidden before: the tag came back")
	}
}
