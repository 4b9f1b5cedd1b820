package sim

import (
	"reflect"
	"testing"
)

// graceRemote answers as arrivalRemote's truth (arrivals 5 to 200 ms),
// but the way a wire with a late grace reads an answer past the
// auction's deadline: before the close (mode arrived: a Late answer that
// Arrived, at its time, with its bid), or after it (mode open: the call
// still open at the close, its answer kept in told for the test to tell
// the engine, as the wire's driver does).
type graceRemote struct {
	truth    arrivalRemote
	open     bool
	deadline map[uint64]Time
	told     []toldCall
}

// toldCall is a call still open at its auction's close and how it ended.
type toldCall struct {
	id     uint64
	bidder int
	ans    RemoteAnswer
}

func (f *graceRemote) Send(r RemoteRequest) { f.truth.Send(r); f.deadline[r.Auction] = r.Tmax }
func (f *graceRemote) Collect(id uint64, bidder int) RemoteAnswer {
	ans := f.truth.Collect(id, bidder)
	d := f.deadline[id]
	if ans.Time <= d {
		return ans
	}
	if f.open {
		f.told = append(f.told, toldCall{id, bidder, ans})
		return RemoteAnswer{Status: Late, Time: d, Open: true}
	}
	return RemoteAnswer{Status: Late, Time: ans.Time, Bid: ans.Bid, Arrived: true}
}

// graceWorld is the world of TestRemoteTmaxCurveSettledUpToTheDeadline:
// three bidders, two on the wire, tmax 100 ms, the curve following it
// (20 to 400 ms).
func graceWorld() Config {
	cfg := world(3, Constant(1))
	cfg.Exchange.Floor = PriceOf(0.6)
	cfg.Exchange.TmaxCurve = DefaultTmaxCurve
	return cfg
}

// TestRemoteLateReadsAreArrivalsNotTimeouts: on the wire an answer read
// after the deadline within the late grace has a known arrival, whether
// the wire read it before the close (Arrived) or the driver told it after
// (LateAnswer): the tmax curve is settled over its whole grid, each point
// what a wire that read every answer at its time settles (the truth), and
// the bidders' latencies record it as measured, censoring nothing. (Before,
// each such answer was a timeout with its arrival unknown past the
// deadline: the curve stopped at 100 ms and the latencies censored it.)
func TestRemoteLateReadsAreArrivalsNotTimeouts(t *testing.T) {
	run := func(r Remote) *Engine {
		e := mustNew(t, graceWorld())
		if err := e.SetRemote(r, "b0", "b1"); err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(400)
		return e
	}
	truth := run(&arrivalRemote{deadline: map[uint64]Time{}}).Snapshot()
	if truth.Exchange.Late == 0 || truth.TmaxCurveCensoredAbove != 0 {
		t.Fatalf("the truth: %d late, censored above %v; want late bids and nothing censored", truth.Exchange.Late, truth.TmaxCurveCensoredAbove)
	}
	before := run(&graceRemote{truth: arrivalRemote{deadline: map[uint64]Time{}}, deadline: map[uint64]Time{}}).Snapshot()
	open := &graceRemote{truth: arrivalRemote{deadline: map[uint64]Time{}}, open: true, deadline: map[uint64]Time{}}
	e := run(open)
	if e.LateOpen() != len(open.told) || len(open.told) == 0 {
		t.Fatalf("%d calls open at their closes, the engine waits for %d", len(open.told), e.LateOpen())
	}
	// Untold, the auctions with open calls are not in the curve yet.
	if s := e.Snapshot(); s.TmaxCurve[0].Auctions >= truth.TmaxCurve[0].Auctions {
		t.Errorf("before the open calls were told the curve settled %d auctions, all %d", s.TmaxCurve[0].Auctions, truth.TmaxCurve[0].Auctions)
	}
	for _, c := range open.told {
		e.LateAnswer(c.id, c.bidder, c.ans)
	}
	after := e.Snapshot()
	if e.LateOpen() != 0 {
		t.Errorf("told every call, the engine still waits for %d", e.LateOpen())
	}
	for name, s := range map[string]*Snapshot{"read before the close": before, "told after the close": after} {
		if s.TmaxCurveCensoredAbove != 0 || len(s.TmaxCurve) != len(truth.TmaxCurve) {
			t.Errorf("%s: censored above %v, %d points; want none censored, the truth's %d", name, s.TmaxCurveCensoredAbove, len(s.TmaxCurve), len(truth.TmaxCurve))
			continue
		}
		for i, p := range s.TmaxCurve {
			if q := truth.TmaxCurve[i]; p != q {
				t.Errorf("%s: at %v %+v, the truth %+v", name, p.Tmax, p, q)
			}
		}
		if x, tx := s.Exchange, truth.Exchange; x.Late != tx.Late || x.Revenue != tx.Revenue || x.RevenueLost != tx.RevenueLost {
			t.Errorf("%s: late %d revenue %v lost %v; the truth %d, %v, %v", name, x.Late, x.Revenue, x.RevenueLost, tx.Late, tx.Revenue, tx.RevenueLost)
		}
		for i := range 2 {
			if got, want := s.Bidders[i].Latency, truth.Bidders[i].Latency; !reflect.DeepEqual(got, want) || got.Censored != 0 {
				t.Errorf("%s: b%d's latency %+v, the truth %+v", name, i, got, want)
			}
		}
	}
	// The records show the late bid at its arrival, as the truth's.
	for i, rec := range after.Recent {
		for b := range 2 {
			if got, want := rec.Responses[b], truth.Recent[i].Responses[b]; got.Status != want.Status || got.Time != want.Time || got.Bid != want.Bid {
				t.Errorf("auction %d, b%d: %v at %v bid %v; the truth %v at %v bid %v", rec.ID, b, got.Status, got.Time, got.Bid, want.Status, want.Time, want.Bid)
			}
		}
	}
}

// TestRemoteUnansweredCensorsWhereTheWireStoppedWaiting: a call still
// open at the close that the late grace read nothing of is known only to
// arrive past the time the wire stopped waiting (the deadline plus the
// grace), not past the deadline: the curve is settled up to that time and
// the latencies censor it there; one call told again, or a call that was
// not open, changes nothing. An error read in the grace ended the call
// with no answer: no latency, and nothing censored.
func TestRemoteUnansweredCensorsWhereTheWireStoppedWaiting(t *testing.T) {
	cfg := graceWorld()
	e := mustNew(t, cfg)
	open := &graceRemote{truth: arrivalRemote{deadline: map[uint64]Time{}}, open: true, deadline: map[uint64]Time{}}
	if err := e.SetRemote(open, "b0", "b1"); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(400)
	const gaveUp = 250 * Millisecond // a tmax of 100 ms and a grace of 150 ms
	var unanswered, errs uint64
	for i, c := range open.told {
		switch {
		case c.bidder == 1 && i%5 == 0:
			c.ans = RemoteAnswer{Status: Late, Time: gaveUp}
			unanswered++
		case c.bidder == 1 && i%5 == 1:
			c.ans = RemoteAnswer{Status: Error, Time: c.ans.Time}
			errs++
		}
		e.LateAnswer(c.id, c.bidder, c.ans)
		e.LateAnswer(c.id, c.bidder, RemoteAnswer{Status: Late, Time: 105 * Millisecond}) // told again
	}
	e.LateAnswer(open.told[0].id, 2, RemoteAnswer{Status: Late, Time: 101 * Millisecond}) // b2 is simulated
	if unanswered == 0 || errs == 0 {
		t.Fatalf("%d unanswered, %d errors: the test needs both", unanswered, errs)
	}
	s := e.Snapshot()
	if s.TmaxCurveCensoredAbove != gaveUp || s.TmaxCurveCensoredBy != CensoredOnTheWire {
		t.Errorf("censored above %v by %v, want %v on the wire", s.TmaxCurveCensoredAbove, s.TmaxCurveCensoredBy, gaveUp)
	}
	if last := s.TmaxCurve[len(s.TmaxCurve)-1]; last.Tmax != 240*Millisecond || last.Auctions != s.Exchange.Auctions {
		t.Errorf("the curve ends at %v over %d auctions, want 240ms (the last point at or below %v) over all %d", last.Tmax, last.Auctions, gaveUp, s.Exchange.Auctions)
	}
	l := s.Bidders[1].Latency
	if l.Censored != unanswered || l.CensoredAt != gaveUp {
		t.Errorf("b1: %d censored at %v, want the %d unanswered at %v", l.Censored, l.CensoredAt, unanswered, gaveUp)
	}
	// Every call of b1 counts once: answered (late ones at their time),
	// censored, or, an error read late, in no figure.
	if calls := s.Bidders[1].Bids; l.Count+l.Censored+errs != calls {
		t.Errorf("b1: %d answered + %d censored + %d errors, want its %d calls", l.Count, l.Censored, errs, calls)
	}
	if b0 := s.Bidders[0].Latency; b0.Censored != 0 {
		t.Errorf("b0, every call answered: %d censored", b0.Censored)
	}
}

// openRemote keeps b0's every call open at its auction's close, as a
// wire still reading it in the late grace: Late at the deadline, Open.
// Its other bidders answer a no-bid at once.
type openRemote struct{ deadline map[uint64]Time }

func (f *openRemote) Send(r RemoteRequest) { f.deadline[r.Auction] = r.Tmax }
func (f *openRemote) Collect(id uint64, bidder int) RemoteAnswer {
	if bidder == 0 {
		return RemoteAnswer{Status: Late, Time: f.deadline[id], Open: true}
	}
	return RemoteAnswer{Status: NoBid, Time: 5 * Millisecond}
}

// TestRemoteRecordSaysWhichTimeoutsAnswered: an auction's record tells a
// timeout the late grace read (a no-bid at its measured time, or an error
// then) from one never answered (NoAnswer) and from one still being read
// (Open), as the dashboard's inspector and timeline show them; before, a
// no-bid read late, a call never answered and one still open were the
// same Late response with no bid.
func TestRemoteRecordSaysWhichTimeoutsAnswered(t *testing.T) {
	e := mustNew(t, world(2, Constant(1)))
	if err := e.SetRemote(&openRemote{deadline: map[uint64]Time{}}, "b0", "b1"); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(12)
	recs := e.Snapshot().Recent
	if len(recs) < 3 {
		t.Fatalf("%d records", len(recs))
	}
	for _, rec := range recs {
		if r := rec.Responses[0]; r.Status != Late || !r.Open || r.NoAnswer {
			t.Fatalf("auction %d: b0's call open at the close is %v, open %v, no answer %v; want late and open", rec.ID, r.Status, r.Open, r.NoAnswer)
		}
		if r := rec.Responses[1]; r.NoAnswer || r.Open {
			t.Fatalf("auction %d: b1's no-bid marked no answer %v, open %v", rec.ID, r.NoAnswer, r.Open)
		}
	}
	tmax := recs[0].Tmax
	noBid, none, failed := recs[0], recs[1], recs[2]
	e.LateAnswer(noBid.ID, 0, RemoteAnswer{Status: Late, Time: tmax + 190*Millisecond, Arrived: true})
	e.LateAnswer(none.ID, 0, RemoteAnswer{Status: Late, Time: tmax + 500*Millisecond})
	e.LateAnswer(failed.ID, 0, RemoteAnswer{Status: Error, Time: tmax + 70*Millisecond})
	byID := map[uint64]Response{}
	for _, rec := range e.Snapshot().Recent {
		byID[rec.ID] = rec.Responses[0]
	}
	for _, c := range []struct {
		id       uint64
		what     string
		status   Status
		at       Time
		noAnswer bool
	}{
		{noBid.ID, "a no-bid read in the grace", Late, tmax + 190*Millisecond, false},
		{none.ID, "no answer by the grace's end", Late, tmax, true},
		{failed.ID, "an error read in the grace", Error, tmax + 70*Millisecond, false},
	} {
		r := byID[c.id]
		if r.Status != c.status || r.Time != c.at || r.NoAnswer != c.noAnswer || r.Open || r.Bid != 0 {
			t.Errorf("%s: %v at %v, no answer %v, open %v, bid %v; want %v at %v, no answer %v, not open, no bid", c.what, r.Status, r.Time, r.NoAnswer, r.Open, r.Bid, c.status, c.at, c.noAnswer)
		}
	}
}

// TestRemoteLateReadsInSlotsAreLateBids: in an auction of several slots
// (GSP and VCG) an answer read after the deadline within the late grace,
// before the close (Arrived) or told after it (LateAnswer), is the late
// bid it is in a wire that read every answer at its time (the truth): the
// revenue lost to timeouts, the latencies and the records (the late bid,
// its time, the auction's loss) are the truth's. Before, a bid read late
// added nothing to the revenue lost, and one told after the close only
// its latency, its record left open. (The tmax curve does not run with
// several slots: Config refuses it.)
func TestRemoteLateReadsInSlotsAreLateBids(t *testing.T) {
	for _, auction := range []AuctionType{GSP, VCG} {
		t.Run(auction.String(), func(t *testing.T) {
			run := func(r Remote) *Engine {
				cfg := world(4, Constant(1))
				cfg.Exchange.Floor = PriceOf(0.6)
				cfg.Exchange.Auction, cfg.Exchange.Slots = auction, []float64{1, 0.5}
				if auction == GSP {
					// Simulated, bidding GSP's equilibrium among the others'
					// bids, late ones too when the loss is priced.
					cfg.Bidders[3].Value, cfg.Bidders[3].Strategy = Uniform(0.5, 3), Strategy{Kind: Equilibrium}
				}
				e := mustNew(t, cfg)
				if err := e.SetRemote(r, "b0", "b1", "b2"); err != nil {
					t.Fatal(err)
				}
				e.RunAuctions(2500) // over three intervals of the series
				return e
			}
			truth := run(&arrivalRemote{deadline: map[uint64]Time{}}).Snapshot()
			if truth.Exchange.Late == 0 || truth.Exchange.RevenueLost == 0 {
				t.Fatalf("the truth: %d late, %v lost; want late bids that lose revenue", truth.Exchange.Late, truth.Exchange.RevenueLost)
			}
			before := run(&graceRemote{truth: arrivalRemote{deadline: map[uint64]Time{}}, deadline: map[uint64]Time{}}).Snapshot()
			open := &graceRemote{truth: arrivalRemote{deadline: map[uint64]Time{}}, open: true, deadline: map[uint64]Time{}}
			e := run(open)
			if len(open.told) == 0 || e.LateOpen() != len(open.told) {
				t.Fatalf("%d calls open at their closes, the engine waits for %d", len(open.told), e.LateOpen())
			}
			for _, c := range open.told {
				e.LateAnswer(c.id, c.bidder, c.ans)
			}
			after := e.Snapshot()
			for name, s := range map[string]*Snapshot{"read before the close": before, "told after the close": after} {
				if x, tx := s.Exchange, truth.Exchange; x.Late != tx.Late || x.Revenue != tx.Revenue || x.RevenueLost != tx.RevenueLost {
					t.Errorf("%s: late %d revenue %v lost %v; the truth %d, %v, %v", name, x.Late, x.Revenue, x.RevenueLost, tx.Late, tx.Revenue, tx.RevenueLost)
				}
				// In the series at each auction's close, as the truth's.
				if len(s.Series.Points) != len(truth.Series.Points) {
					t.Fatalf("%s: %d series points, the truth %d", name, len(s.Series.Points), len(truth.Series.Points))
				}
				for i, p := range s.Series.Points {
					if q := truth.Series.Points[i]; p.RevenueLost != q.RevenueLost {
						t.Errorf("%s: the series at %v lost %v, the truth %v", name, p.Start, p.RevenueLost, q.RevenueLost)
					}
				}
				for i := range 3 {
					if got, want := s.Bidders[i].Latency, truth.Bidders[i].Latency; !reflect.DeepEqual(got, want) || got.Censored != 0 {
						t.Errorf("%s: b%d's latency %+v, the truth %+v", name, i, got, want)
					}
				}
				for i, rec := range s.Recent {
					want := truth.Recent[i]
					if rec.LostToTimeouts != want.LostToTimeouts {
						t.Errorf("%s: auction %d lost %v to timeouts; the truth %v", name, rec.ID, rec.LostToTimeouts, want.LostToTimeouts)
					}
					for b := range 3 {
						if got, want := rec.Responses[b], want.Responses[b]; got.Status != want.Status || got.Time != want.Time || got.Bid != want.Bid || got.Open {
							t.Errorf("%s: auction %d, b%d: %v at %v bid %v open %v; the truth %v at %v bid %v", name, rec.ID, b, got.Status, got.Time, got.Bid, got.Open, want.Status, want.Time, want.Bid)
						}
					}
				}
			}
		})
	}
}
