package sim

import (
	"maps"
	"math"
	"reflect"
	"testing"
)

// fixedRemote answers each bidder the same way every time, and records
// what it was sent.
type fixedRemote struct {
	answers map[int]RemoteAnswer
	sent    []RemoteRequest
}

func (f *fixedRemote) Send(r RemoteRequest) { f.sent = append(f.sent, r) }
func (f *fixedRemote) Collect(id uint64, bidder int) RemoteAnswer {
	return f.answers[bidder]
}

// TestRemoteBiddersClearByTheEngineRules: remote answers are cleared as
// simulated ones are: the second price plus increment, late bids out and
// counted, what the late bid would have paid counted as lost, bids under
// the floor out, and a timeout a late answer.
func TestRemoteBiddersClearByTheEngineRules(t *testing.T) {
	e, f := fourRemote(t, map[int]RemoteAnswer{
		2: {Status: OnTime, Time: 150 * Millisecond, Bid: PriceOf(1.8)}, // after tmax 100ms
		3: {Status: OnTime, Time: 10 * Millisecond, Bid: PriceOf(0.2)},  // under the floor
	})
	e.RunAuctions(100)
	s := e.Snapshot()
	x := s.Exchange
	if x.Auctions != 100 || x.Filled != 100 || len(f.sent) < 400 {
		t.Fatalf("auctions %d filled %d sent %d", x.Auctions, x.Filled, len(f.sent))
	}
	if got, want := x.MeanPrice(), 1.51; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("mean price %v, want second bid 1.5 + 0.01", got)
	}
	if x.Late != 100 || x.BelowFloor != 100 || x.OnTime != 300 {
		t.Errorf("late %d below floor %d on time %d", x.Late, x.BelowFloor, x.OnTime)
	}
	if got, want := x.RevenueLost, 100*PriceOf(0.3).Cost(); got != want {
		t.Errorf("revenue lost %v, want %v (1.81 − 1.51 a auction)", got, want)
	}
	if s.Bidders[0].Wins != 100 || s.Bidders[0].Latency.P50 < 29*Millisecond {
		t.Errorf("b0: wins %d latency %+v", s.Bidders[0].Wins, s.Bidders[0].Latency)
	}
	r := f.sent[0]
	if r.Told != 100*Millisecond || r.Floor != PriceOf(0.5) || r.Type != SecondPrice || r.Seat == "" {
		t.Errorf("request %+v", r)
	}
	if rec, ok := e.LastAuction(); !ok || rec.Close-rec.Start != rec.Tmax {
		t.Errorf("an auction with remote bidders closed %v after fan-out, want at its deadline %v (their answers are known only then)", rec.Close-rec.Start, rec.Tmax)
	}
	if err := e.SetRemote(f, "nobody"); err == nil {
		t.Error("a bidder the world lacks was made remote")
	}
}

// TestRemoteBidderKeptBackByTheDeadlineIsSkipped: a remote bidder the told
// deadline keeps back (under bidder_response_min) is marked Skipped in the
// auction's record, as a simulated one is, and a disabled remote bidder is
// not: the record says the same whichever side of the wire a bidder is on.
func TestRemoteBidderKeptBackByTheDeadlineIsSkipped(t *testing.T) {
	cfg := deadlineWorld()
	cfg.Exchange.TmaxAdjustments.BidderResponseMin = 81 * Millisecond // told 80
	cfg.Bidders = append(cfg.Bidders, BidderConfig{Name: "off", Latency: Constant(1e6), Value: Uniform(1, 2), Disabled: true})
	e := mustNew(t, cfg)
	f := &fixedRemote{answers: map[int]RemoteAnswer{}}
	// The first two bidders and the disabled one on the wire, the rest
	// simulated.
	if err := e.SetRemote(f, cfg.Bidders[0].Name, cfg.Bidders[1].Name, "off"); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(200)
	s := e.Snapshot()
	if len(f.sent) != 0 || s.Exchange.BidRequests != 0 {
		t.Fatalf("sent %d remote bid requests, %d in all: want none", len(f.sent), s.Exchange.BidRequests)
	}
	if len(s.Recent) == 0 {
		t.Fatal("no auction records")
	}
	off := len(cfg.Bidders) - 1
	for _, rec := range s.Recent {
		for i, r := range rec.Responses {
			if r.Status != NotSent || r.Skipped != (i != off) {
				t.Fatalf("auction %d, bidder %d (%s): %+v: want NotSent, Skipped %v", rec.ID, i, cfg.Bidders[i].Name, r, i != off)
			}
		}
	}
}

// arrivalRemote answers each call after a true arrival drawn from the
// auction and bidder (5 to 200 ms, a bid of 0.5 to 3): an answer after the
// auction's deadline is either a timeout at that deadline with no bid, as
// wire.Exchange collects one (censored), or the late bid with its arrival
// (a wire that could read it: the truth the censored run does not see).
type arrivalRemote struct {
	censored bool
	deadline map[uint64]Time
}

func (f *arrivalRemote) Send(r RemoteRequest) { f.deadline[r.Auction] = r.Tmax }
func (f *arrivalRemote) Collect(id uint64, bidder int) RemoteAnswer {
	h := (id*0x9e3779b97f4a7c15 + uint64(bidder+1)*0xbf58476d1ce4e5b9) >> 11
	at := Time(5+h%196) * Millisecond
	bid := PriceOf(0.5 + float64(h/196%251)/100)
	if d := f.deadline[id]; at > d && f.censored {
		return RemoteAnswer{Status: Late, Time: d}
	}
	return RemoteAnswer{Status: OnTime, Time: at, Bid: bid}
}

// TestRemoteTmaxCurveSettledUpToTheDeadline: on the wire the tmax curve
// is settled at every point up to the deadline the wire enforced and
// reports none above it. A timed-out call comes back at the auction's deadline
// with no bid; it is late at every point up to it, so each settled point
// equals the run's whose wire read every late bid with its arrival, and
// at the run's own tmax the curve counts what the exchange counted (the
// curve before settled such a timeout on time there: a late share of 0
// while the exchange counted every one late). The advice that would name
// the last settled point is unknown. After a live change of tmax, off the
// grid or along it, the curve restarts and is settled up to the new
// deadline.
func TestRemoteTmaxCurveSettledUpToTheDeadline(t *testing.T) {
	cfg := world(3, Constant(1))
	cfg.Exchange.Floor = PriceOf(0.6)
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	run := func(censored bool) *Engine {
		e := mustNew(t, cfg)
		if err := e.SetRemote(&arrivalRemote{censored: censored, deadline: map[uint64]Time{}}, "b0", "b1"); err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(400)
		return e
	}
	e, truth := run(true), run(false)
	s, ts := e.Snapshot(), truth.Snapshot()
	x := s.Exchange
	if x.Late == 0 || x.Late == x.Bids {
		t.Fatalf("late %d of %d bids: want some", x.Late, x.Bids)
	}
	if s.TmaxCurveCensoredAbove != cfg.Exchange.Tmax {
		t.Errorf("censored above %v, want the deadline %v", s.TmaxCurveCensoredAbove, cfg.Exchange.Tmax)
	}
	last := s.TmaxCurve[len(s.TmaxCurve)-1]
	if last.Tmax != cfg.Exchange.Tmax || len(s.TmaxCurveRecent) != len(s.TmaxCurve) {
		t.Fatalf("points up to %v (recent %d of %d), want up to the deadline %v and none above", last.Tmax, len(s.TmaxCurveRecent), len(s.TmaxCurve), cfg.Exchange.Tmax)
	}
	// The truth read every arrival, no call timed out: its curve runs the
	// whole grid, and the censored run's is its first points.
	if ts.TmaxCurveCensoredAbove != 0 || len(ts.TmaxCurve) <= len(s.TmaxCurve) {
		t.Fatalf("the truth has %d points, censored above %v; the censored run %d", len(ts.TmaxCurve), ts.TmaxCurveCensoredAbove, len(s.TmaxCurve))
	}
	for i, p := range s.TmaxCurve {
		if q := ts.TmaxCurve[i]; p != q {
			t.Errorf("at %v the censored run settles %+v, the truth %+v", p.Tmax, p, q)
		}
	}
	if last.Late != x.Late || last.Bids != x.Bids || last.Revenue != x.Revenue || last.Filled != x.Filled || last.Auctions != x.Auctions {
		t.Errorf("at the run's tmax the curve has late %d of %d bids, revenue %v, filled %d of %d; the exchange %d of %d, %v, %d of %d",
			last.Late, last.Bids, last.Revenue, last.Filled, last.Auctions, x.Late, x.Bids, x.Revenue, x.Filled, x.Auctions)
	}
	if last.LateShare() != x.TimeoutRate() || last.WaitMean != x.Wait.Mean {
		t.Errorf("late share %v wait %v at the run's tmax, the exchange's %v, %v", last.LateShare(), last.WaitMean, x.TimeoutRate(), x.Wait.Mean)
	}
	// Revenue grows with tmax here (bids held): its most is the last
	// settled point, and a longer tmax, unknown, might earn more.
	if a := AdviseTmaxSettled(s.TmaxCurve, s.TmaxCurveCensoredAbove); a.MaxRevenue != 0 || a.Knee95 != 0 || AdviseTmax(s.TmaxCurve).MaxRevenue != last.Tmax {
		t.Errorf("advice %+v over a curve whose most revenue is its last settled point", a)
	}
	m := MetricValues(s)
	if v := m["tmax_advice.max_revenue_tmax_ms"]; !math.IsNaN(v) {
		t.Errorf("tmax_advice.max_revenue_tmax_ms %v, want NaN", v)
	}
	if v := m["tmax_curve_censored_above_ms"]; v != 100 {
		t.Errorf("tmax_curve_censored_above_ms %v, want 100", v)
	}
	if _, ok := m["tmax_curve.120ms.revenue"]; ok {
		t.Error("a point above the deadline is in the metrics")
	}

	// A live change restarts the curve; the auctions in flight, cut at
	// the old deadline, are left out of it.
	if err := e.Apply(SetTmax{Tmax: 137 * Millisecond}); err != nil {
		t.Fatal(err)
	}
	before := x
	e.RunAuctions(400)
	s = e.Snapshot()
	if s.TmaxCurveCensoredAbove != 137*Millisecond {
		t.Fatalf("after tmax 137ms, censored above %v", s.TmaxCurveCensoredAbove)
	}
	last = s.TmaxCurve[len(s.TmaxCurve)-1]
	if last.Tmax != 137*Millisecond {
		t.Fatalf("after tmax 137ms the points end at %v", last.Tmax)
	}
	// About qps × tmax (100) were in flight at the change.
	newAuctions := s.Exchange.Auctions - before.Auctions
	if last.Auctions == 0 || last.Auctions > newAuctions || newAuctions-last.Auctions > 200 {
		t.Errorf("the restarted curve settled %d auctions of the %d closed since", last.Auctions, newAuctions)
	}
	if last.Late == 0 || last.Late > s.Exchange.Late-before.Late {
		t.Errorf("late %d at 137ms, the exchange counted %d since", last.Late, s.Exchange.Late-before.Late)
	}
	// A change along the grid, which a simulation's curve keeps, restarts
	// it on the wire: kept, it would stay settled only up to 137 ms.
	if !FollowGrid(137 * Millisecond).Has(157 * Millisecond) {
		t.Fatal("157ms is not on 137ms's grid")
	}
	// Applied just after a fan-out, as a driver on the wall clock does:
	// that auction, cut at 137 ms, is left out of the new curve too.
	for n := e.Snapshot().Exchange.Requests; e.Snapshot().Exchange.Requests == n; {
		e.Step()
	}
	if err := e.Apply(SetTmax{Tmax: 157 * Millisecond}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(400)
	if s = e.Snapshot(); s.TmaxCurveCensoredAbove != 157*Millisecond || s.TmaxCurve[len(s.TmaxCurve)-1].Tmax != 157*Millisecond {
		t.Errorf("after tmax 157ms along the grid, censored above %v", s.TmaxCurveCensoredAbove)
	}
}

// TestRemoteTmaxCurveCensoredAtTheAuctionsDeadline: with tmax_adjustments
// the bidders are told a shorter tmax, but the wire, as Prebid Server,
// cuts a call at the auction's deadline (tmax), so a timed-out call leaves
// the curve settled up to tmax, not up to the told deadline: the run's
// own tmax stays a settled point.
func TestRemoteTmaxCurveCensoredAtTheAuctionsDeadline(t *testing.T) {
	cfg := world(3, Constant(1))
	cfg.Exchange.Floor = PriceOf(0.6)
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	cfg.Exchange.TmaxAdjustments = TmaxAdjustments{RequestProcessing: 5 * Millisecond, NetworkBuffer: 30 * Millisecond}
	e := mustNew(t, cfg)
	if err := e.SetRemote(&arrivalRemote{censored: true, deadline: map[uint64]Time{}}, "b0", "b1"); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(400)
	s := e.Snapshot()
	if s.Settings.BidderTmax != 65*Millisecond {
		t.Fatalf("told %v, want 65ms", s.Settings.BidderTmax)
	}
	if s.Exchange.Late == 0 {
		t.Fatal("no call timed out")
	}
	if s.TmaxCurveCensoredAbove != cfg.Exchange.Tmax {
		t.Errorf("censored above %v, want the auction's deadline %v (not the told %v after the %v lead)",
			s.TmaxCurveCensoredAbove, cfg.Exchange.Tmax, s.Settings.BidderTmax, cfg.Exchange.TmaxAdjustments.RequestProcessing)
	}
	if last := s.TmaxCurve[len(s.TmaxCurve)-1]; last.Tmax != cfg.Exchange.Tmax || last.Late != s.Exchange.Late {
		t.Errorf("the curve ends at %v with %d late, want the run's tmax %v with the exchange's %d", last.Tmax, last.Late, cfg.Exchange.Tmax, s.Exchange.Late)
	}
}

// timeoutAt answers as fixedRemote, but bidder 0's call of auction
// timeoutID (0: none) times out at the deadline.
type timeoutAt struct {
	fixedRemote
	timeoutID uint64
}

func (f *timeoutAt) Collect(id uint64, bidder int) RemoteAnswer {
	if id == f.timeoutID && bidder == 0 {
		return RemoteAnswer{Status: Late, Time: 100 * Millisecond}
	}
	return f.fixedRemote.Collect(id, bidder)
}

// TestRemoteTmaxCurveCensoredOnlyByATimeout: on the wire a call refused,
// failed, declined or answered in time ended when the wire measured, so the
// curve runs its whole grid; only a call that timed out, whose arrival past
// the deadline is unknown, stops it there. (Every auction on the wire
// stopped it, timeouts or not, so that a run whose every call was refused
// said a call had timed out.)
func TestRemoteTmaxCurveCensoredOnlyByATimeout(t *testing.T) {
	cfg := world(3, Constant(1))
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	run := func(timeoutID uint64) *Snapshot {
		e := mustNew(t, cfg)
		f := &timeoutAt{fixedRemote: fixedRemote{answers: map[int]RemoteAnswer{
			0: {Status: Error, Time: Millisecond}, // refused
			1: {Status: OnTime, Time: 30 * Millisecond, Bid: PriceOf(1.5)},
			2: {Status: NoBid, Time: 20 * Millisecond},
		}}, timeoutID: timeoutID}
		if err := e.SetRemote(f, "b0", "b1", "b2"); err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(200)
		return e.Snapshot()
	}
	s := run(0)
	if s.Exchange.Errors == 0 || s.Exchange.Late != 0 {
		t.Fatalf("errors %d, late %d: want errors and no timeout", s.Exchange.Errors, s.Exchange.Late)
	}
	if end := FollowGrid(cfg.Exchange.Tmax).To; s.TmaxCurveCensoredAbove != 0 || s.TmaxCurveCensoredBy != 0 || s.TmaxCurve[len(s.TmaxCurve)-1].Tmax != end {
		t.Errorf("no timeout: censored above %v by %v, points to %v; want nothing censored, points to %v",
			s.TmaxCurveCensoredAbove, s.TmaxCurveCensoredBy, s.TmaxCurve[len(s.TmaxCurve)-1].Tmax, end)
	}
	if _, ok := MetricValues(s)["tmax_curve_censored_above_ms"]; ok {
		t.Error("no timeout, yet tmax_curve_censored_above_ms")
	}
	s = run(50)
	if s.Exchange.Late != 1 || s.TmaxCurveCensoredAbove != cfg.Exchange.Tmax || s.TmaxCurveCensoredBy != CensoredOnTheWire {
		t.Errorf("one timeout (late %d): censored above %v by %v, want %v on the wire", s.Exchange.Late, s.TmaxCurveCensoredAbove, s.TmaxCurveCensoredBy, cfg.Exchange.Tmax)
	}
}

// TestSimulatedRunHasNoCensoredCurve: without a wire nothing is censored
// and the curve runs the whole grid.
func TestSimulatedRunHasNoCensoredCurve(t *testing.T) {
	cfg := world(2, Constant(1))
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	e := mustNew(t, cfg)
	e.RunAuctions(50)
	s := e.Snapshot()
	if s.TmaxCurveCensoredAbove != 0 || s.TmaxCurve[len(s.TmaxCurve)-1].Tmax != FollowGrid(cfg.Exchange.Tmax).To {
		t.Errorf("censored above %v, points to %v", s.TmaxCurveCensoredAbove, s.TmaxCurve[len(s.TmaxCurve)-1].Tmax)
	}
	if _, ok := MetricValues(s)["tmax_curve_censored_above_ms"]; ok {
		t.Error("a simulation has tmax_curve_censored_above_ms")
	}
}

// TestAdviseTmaxSettled: over a curve settled up to a deadline, a figure
// of the advice is given only where the curve falls from its answer to the
// last settled point; where the last point earns as much (revenue on a
// plateau up to it), a longer tmax might earn more, and it is unknown.
func TestAdviseTmaxSettled(t *testing.T) {
	pt := func(ms int, rev, net float64) TmaxPoint {
		return TmaxPoint{Tmax: Time(ms) * Millisecond, Auctions: 10, Revenue: MoneyOf(rev), NetRevenue: MoneyOf(net)}
	}
	// Revenue on a plateau from 60 ms to the edge; net peaks at 40 ms.
	curve := []TmaxPoint{pt(20, 1, 1), pt(40, 3, 2.5), pt(60, 4, 2), pt(80, 4, 1.5)}
	full := AdviseTmax(curve)
	if full.MaxRevenue != 60*Millisecond || full.MaxNetRevenue != 40*Millisecond {
		t.Fatalf("AdviseTmax %+v", full)
	}
	if got := AdviseTmaxSettled(curve, 0); got != full {
		t.Errorf("nothing censored: %+v, want AdviseTmax's %+v", got, full)
	}
	got := AdviseTmaxSettled(curve, 80*Millisecond)
	if got.MaxRevenue != 0 || got.Knee95 != 0 || got.Knee99 != 0 || got.MaxNetRevenue != 40*Millisecond {
		t.Errorf("censored above 80ms: %+v, want the revenue's figures unknown and the net's 40ms", got)
	}
	// Net revenue still at its most at the edge: unknown too.
	curve[3].NetRevenue = MoneyOf(2.5)
	if got := AdviseTmaxSettled(curve, 80*Millisecond); got.MaxNetRevenue != 0 {
		t.Errorf("net at its most at the edge: %v, want unknown", got.MaxNetRevenue)
	}
	if got := AdviseTmaxSettled(nil, 80*Millisecond); got != (TmaxAdvice{}) {
		t.Errorf("no point settled: %+v", got)
	}
}

// TestRemoteLateBidsCountAsLost: a bid the wire reads after the deadline
// adds to the revenue lost to timeouts what it would have added to the
// price, as a simulated late bid does, whether it was read before the
// close (Late with its bid) or after, in the late grace (LateAnswer, once
// per call still open at the close); the auction itself stays as it
// closed, and a late no-bid or a bid under the floor adds nothing.
func TestRemoteLateBidsCountAsLost(t *testing.T) {
	e, _ := fourRemote(t, map[int]RemoteAnswer{
		2: {Status: Late, Time: 100 * Millisecond, Bid: PriceOf(1.8)}, // read late, before the close
		3: {Status: Late, Time: 100 * Millisecond, Open: true},        // still open at the close
	})
	e.RunAuctions(10)
	x := e.Snapshot().Exchange
	// 2 on time at 1.51; with the late 1.8: 1.81, 0.30 lost.
	if got, want := x.RevenueLost, 10*PriceOf(0.3).Cost(); got != want || x.Late != 20 {
		t.Fatalf("revenue lost %v, want %v; late %d", got, want, x.Late)
	}
	revenue := x.Revenue
	// The open calls end: auction 1's with a bid of 3 (with 2 and 1.8:
	// 2.01, 0.20 more lost), auction 2's with a bid under the floor, 3's
	// with none; auction 1 told again is a call it no longer waits for.
	e.LateAnswer(1, 3, lateRead(PriceOf(3), 0))
	e.LateAnswer(2, 3, lateRead(PriceOf(0.3), 0))
	e.LateAnswer(3, 3, lateRead(0, 0))
	e.LateAnswer(1, 3, lateRead(PriceOf(9), 0))
	s := e.Snapshot()
	if got, want := s.Exchange.RevenueLost, 10*PriceOf(0.3).Cost()+PriceOf(0.2).Cost(); got != want {
		t.Errorf("revenue lost %v, want %v", got, want)
	}
	if s.Exchange.Revenue != revenue || s.Exchange.Late != 20 {
		t.Errorf("revenue %v (was %v), late %d: a late read changed the auction", s.Exchange.Revenue, revenue, s.Exchange.Late)
	}
	var series Money
	for _, p := range s.Series.Points {
		series += p.RevenueLost
	}
	if series != s.Exchange.RevenueLost {
		t.Errorf("the series' revenue lost %v, the exchange's %v", series, s.Exchange.RevenueLost)
	}
	if n := len(e.remote.late); n != 7 {
		t.Errorf("%d auctions kept for their open calls, want the 7 not told", n)
	}
}

// lateRead is a call still open at its auction's close told (LateAnswer)
// as read at 150 ms, past the deadline: a bid of bid worth value (0: the
// bid), or with no bid a no-bid.
func lateRead(bid, value Price) RemoteAnswer {
	if bid == 0 {
		return RemoteAnswer{Status: NoBid, Time: 150 * Millisecond}
	}
	return RemoteAnswer{Status: OnTime, Time: 150 * Millisecond, Bid: bid, Value: value}
}

// fourRemote is four remote bidders, floor 0.5, increment 0.01, tmax
// 100ms: b0 bids 2 at 30ms, b1 1.5 at 90ms, b2 and b3 as given.
func fourRemote(t *testing.T, more map[int]RemoteAnswer) (*Engine, *fixedRemote) {
	t.Helper()
	cfg := world(4, Constant(1))
	cfg.Exchange.Floor, cfg.Exchange.Increment = PriceOf(0.5), PriceOf(0.01)
	e := mustNew(t, cfg)
	f := &fixedRemote{answers: map[int]RemoteAnswer{
		0: {Status: OnTime, Time: 30 * Millisecond, Bid: PriceOf(2)},
		1: {Status: OnTime, Time: 90 * Millisecond, Bid: PriceOf(1.5)},
	}}
	maps.Copy(f.answers, more)
	if err := e.SetRemote(f, "b0", "b1", "b2", "b3"); err != nil {
		t.Fatal(err)
	}
	return e, f
}

// TestRemoteLateAnswerUpdatesTheRecord: the record of an auction whose
// call still open at the close is told later (LateAnswer) says what the
// exchange's totals count while the ring of recent auctions holds it:
// its LostToTimeouts grows by what the late bid would have added, and
// the bidder's late response shows the bid (and a bid read late before
// the close shows in its response too), so that the inspector and the
// auction's OpenRTB agree with the totals. A record the ring has let go
// of is gone; the totals still count.
func TestRemoteLateAnswerUpdatesTheRecord(t *testing.T) {
	e, _ := fourRemote(t, map[int]RemoteAnswer{
		2: {Status: Late, Time: 100 * Millisecond, Bid: PriceOf(1.8), Value: PriceOf(2.2)}, // read late, before the close
		3: {Status: Late, Time: 100 * Millisecond, Open: true},                             // still open at the close
	})
	e.RunAuctions(10)
	// Auction 1's open call ends with a bid of 3 worth 3.5 (2.01 with
	// 2 and 1.8: 0.20 more lost), 2's with a bid under the floor (shown,
	// nothing lost), 3's with none.
	e.LateAnswer(1, 3, lateRead(PriceOf(3), PriceOf(3.5)))
	e.LateAnswer(2, 3, lateRead(PriceOf(0.3), 0))
	e.LateAnswer(3, 3, lateRead(0, 0))
	s := e.Snapshot()
	byID := map[uint64]AuctionRecord{}
	var sum Money
	for _, rec := range s.Recent {
		byID[rec.ID] = rec
		sum += rec.LostToTimeouts.Cost()
	}
	if len(byID) != 10 {
		t.Fatalf("%d records, want the 10 auctions", len(byID))
	}
	if sum != s.Exchange.RevenueLost {
		t.Errorf("the records lost %v in all, the exchange %v", sum, s.Exchange.RevenueLost)
	}
	want := map[uint64]struct {
		lost, bid, value Price
	}{
		1: {PriceOf(0.5), PriceOf(3), PriceOf(3.5)},
		2: {PriceOf(0.3), PriceOf(0.3), PriceOf(0.3)},
		3: {PriceOf(0.3), 0, 0},
		4: {PriceOf(0.3), 0, 0}, // not told yet
	}
	for id, w := range want {
		rec := byID[id]
		if rec.LostToTimeouts != w.lost || rec.Price != PriceOf(1.51) || rec.Winner != 0 {
			t.Errorf("auction %d: lost %v, price %v, winner %d; want lost %v at 1.51 to b0", id, rec.LostToTimeouts, rec.Price, rec.Winner, w.lost)
		}
		if r := rec.Responses[3]; r.Status != Late || r.Bid != w.bid || r.Value != w.value {
			t.Errorf("auction %d, b3: %v bid %v value %v; want late, bid %v value %v", id, r.Status, r.Bid, r.Value, w.bid, w.value)
		}
		if r := rec.Responses[2]; r.Status != Late || r.Bid != PriceOf(1.8) || r.Value != PriceOf(2.2) {
			t.Errorf("auction %d, b2 (read late before the close): %v bid %v value %v; want late, bid 1.8 value 2.2", id, r.Status, r.Bid, r.Value)
		}
	}
	if w := byID[1]; w.WinnerWithoutDeadline() != 3 {
		t.Errorf("auction 1 without a deadline: winner %d, want b3's late 3", w.WinnerWithoutDeadline())
	}
	if w := byID[4]; w.WinnerWithoutDeadline() != 0 {
		t.Errorf("auction 4 without a deadline: winner %d, want b0 (b2's late 1.8 is under its 2)", w.WinnerWithoutDeadline())
	}
	// Another auction's call, told for a bidder whose call was no timeout,
	// changes nothing of its record's responses.
	e.LateAnswer(4, 0, lateRead(PriceOf(9), 0))
	if rec := e.Snapshot().Recent[3]; rec.ID != 4 || rec.Responses[0].Bid != PriceOf(2) || rec.Responses[0].Status != OnTime {
		t.Errorf("auction 4 after a call of b0 was told: %+v", rec.Responses[0])
	}
}

// TestRemoteLateAnswerAfterTheRingMovedOn: a late answer to an auction
// whose record the ring has let go of counts in the totals alone; the
// ring's records, of later auctions, stay as they were, and telling the
// engine allocates nothing.
func TestRemoteLateAnswerAfterTheRingMovedOn(t *testing.T) {
	cfg := world(2, Constant(1))
	cfg.Recent = 4
	e := mustNew(t, cfg)
	f := &fixedRemote{answers: map[int]RemoteAnswer{
		0: {Status: OnTime, Time: 30 * Millisecond, Bid: PriceOf(2)},
		1: {Status: Late, Time: 100 * Millisecond, Open: true},
	}}
	if err := e.SetRemote(f, "b0", "b1"); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(300)
	before := e.Snapshot()
	e.LateAnswer(1, 1, lateRead(PriceOf(3), 0)) // long gone from the ring
	s := e.Snapshot()
	// Alone on time, b0 paid the floor 0; with b1's 3 it would have paid 2.
	if got, want := s.Exchange.RevenueLost-before.Exchange.RevenueLost, PriceOf(2).Cost(); got != want {
		t.Errorf("the totals' revenue lost grew by %v, want %v", got, want)
	}
	for i := range s.Recent {
		if !reflect.DeepEqual(s.Recent[i], before.Recent[i]) {
			t.Errorf("a late answer to auction 1, out of the ring, changed auction %d's record: lost %v (was %v)",
				s.Recent[i].ID, s.Recent[i].LostToTimeouts, before.Recent[i].LostToTimeouts)
		}
	}
	// The newest auction's record is in the ring: told, it shows.
	last := s.Recent[len(s.Recent)-1].ID
	e.LateAnswer(last, 1, lateRead(PriceOf(3), 0))
	if rec, _ := e.LastAuction(); rec.LostToTimeouts != PriceOf(2) || rec.Responses[1].Bid != PriceOf(3) {
		t.Errorf("the newest auction told: lost %v, b1's bid %v; want 2 and 3", rec.LostToTimeouts, rec.Responses[1].Bid)
	}
	id := uint64(2)
	if allocs := testing.AllocsPerRun(100, func() {
		e.LateAnswer(id, 1, lateRead(PriceOf(3), 0))
		e.LateAnswer(last-uint64(id%3), 1, lateRead(PriceOf(3), 0))
		id++
	}); allocs != 0 {
		t.Errorf("LateAnswer allocates %v a call", allocs)
	}
}

// censoringRemote answers bidder 0 with a no-bid at 1 to 40 ms, and times
// out every 25th call of it (4%); the other bidders as fixedRemote.
type censoringRemote struct {
	fixedRemote
	calls int
}

func (f *censoringRemote) Collect(id uint64, bidder int) RemoteAnswer {
	if bidder != 0 {
		return f.fixedRemote.Collect(id, bidder)
	}
	f.calls++
	if f.calls%25 == 0 {
		return RemoteAnswer{Status: Late, Time: 100 * Millisecond}
	}
	return RemoteAnswer{Status: NoBid, Time: Time(f.calls%40+1) * Millisecond}
}

// TestRemoteLatencyCensorsTimeouts: on the wire a call that timed out is
// known only to be past the deadline, so a bidder's latency counts it as
// censored, in no histogram: the percentiles rank every call, and one
// that ranks among the timeouts reads the deadline marked Past, while
// those below are the answered calls' at their rank. (Before, a timeout
// was recorded at the deadline as if answered then: a p99 of 100 ms that
// read as measured.)
func TestRemoteLatencyCensorsTimeouts(t *testing.T) {
	cfg := world(2, Constant(1))
	e := mustNew(t, cfg)
	f := &censoringRemote{fixedRemote: fixedRemote{answers: map[int]RemoteAnswer{1: {Status: OnTime, Time: 5 * Millisecond, Bid: PriceOf(1)}}}}
	if err := e.SetRemote(f, "b0", "b1"); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(20000)
	s := e.Snapshot()
	for _, l := range []LatencyStats{s.Bidders[0].Latency, s.Bidders[0].RecentLatency} {
		if l.Censored == 0 || l.CensoredAt != 100*Millisecond {
			t.Fatalf("latency %+v: want the timeouts censored at 100ms", l)
		}
		if share := float64(l.Censored) / float64(l.Count+l.Censored); share < 0.039 || share > 0.041 {
			t.Errorf("censored %d of %d, want 4%%", l.Censored, l.Count+l.Censored)
		}
		// 96% answered, uniform on 1..40 ms: the p50 of every call is the
		// answered calls' p52 (about 21 ms), the p95 their p99 (40 ms), and
		// the p99 among the timeouts.
		if l.P50Past || l.P95Past || !l.P99Past || l.P99 != 100*Millisecond {
			t.Errorf("latency %+v: want p99 past the 100ms deadline, p50 and p95 answered", l)
		}
		if l.P50 < 20*Millisecond || l.P50 > 23*Millisecond || l.P95 < 39*Millisecond || l.P95 > 40*Millisecond || l.Max != 40*Millisecond {
			t.Errorf("latency %+v: p50 want about 21ms, p95 and max 40ms", l)
		}
	}
	if l := s.Bidders[1].Latency; l.Censored != 0 || l.P50Past || l.P99Past || l.P99 != 5*Millisecond {
		t.Errorf("b1, always in time: %+v", l)
	}
}
