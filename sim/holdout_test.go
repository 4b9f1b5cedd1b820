package sim

import (
	"math"
	"testing"
)

// holdoutWorld is a retargeting bidder with a known lift (ctr × cvr) and a
// larger organic rate, against two rivals; latencies put some bids late.
func holdoutWorld(seed uint64, share float64) Config {
	cfg := world(3, Uniform(0, 2))
	cfg.Seed = seed
	cfg.Traffic.QPS = 2000
	cfg.Exchange.Floor = PriceOf(0.2)
	cfg.Exchange.Increment = PriceOf(0.01)
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = LogNormalMedianP99(float64(50*Millisecond), float64(130*Millisecond))
	}
	cfg.Bidders[0].Name = "retarget"
	cfg.Bidders[0].Value = Uniform(0.5, 3)
	cfg.Bidders[0].Outcome = &Outcome{CTR: 0.1, CVR: 0.1, OrderValue: MoneyOf(0.5), BaselineCVR: 0.0122,
		Delay: Exponential(float64(5 * Second)), Holdout: share}
	return cfg
}

// TestGhostBids checks every held-back bid in the recent ring against the
// ghost rule: it would have won when it was on time, at least the floor
// and above every submitted eligible bid; its price is what the auction
// would then have charged.
func TestGhostBids(t *testing.T) {
	cfg := holdoutWorld(1, 0.3)
	cfg.Traffic.QPS = 500
	cfg.Recent = 20_000
	e := mustNew(t, cfg)
	e.RunAuctions(20_000)
	s := e.Snapshot()
	var held, ghosts uint64
	var spend, value Money
	for _, a := range s.Recent {
		r := a.Responses[0]
		if r.Status != NoBid || r.Reason != HeldOut {
			continue
		}
		held++
		best, n := Price(0), 0
		for _, o := range a.Responses[1:] {
			if o.Status == OnTime {
				best, n = max(best, o.Bid), n+1
			}
		}
		if n > 0 && r.Bid == best && r.Time <= a.Tmax && r.Bid >= a.Floor {
			// A tie wins by a draw (winsTie), which the ring does not
			// keep: this world's continuous values make none.
			t.Fatalf("auction %d: a held-back bid ties the best: the rule is not exact here", a.ID)
		}
		if r.Time > a.Tmax || r.Bid < a.Floor || n > 0 && r.Bid <= best {
			continue
		}
		ghosts++
		base := a.Floor
		if n > 0 {
			base = max(best, a.Floor)
		}
		spend += min(base+a.Increment, r.Bid).Cost()
		value += r.Value.Cost()
	}
	h := s.Bidders[0].Holdout
	if h == nil || h.Held != held || h.GhostWins != ghosts || h.GhostSpend != spend || h.GhostValue != value {
		t.Fatalf("holdout %+v; the ring says held %d, ghost wins %d, spend %d, value %d", h, held, ghosts, spend, value)
	}
	if s.Bidders[0].NoBids < held || h.TreatedWins != s.Bidders[0].Wins {
		t.Errorf("held %d of %d no-bids; treated wins %d of %d", held, s.Bidders[0].NoBids, h.TreatedWins, s.Bidders[0].Wins)
	}
	// The share held back is the configured one: within 3 standard errors.
	opp := float64(held + s.Bidders[0].Bids)
	if se := math.Sqrt(0.3 * 0.7 / opp); math.Abs(float64(held)/opp-0.3) > 3*se {
		t.Errorf("held %d of %.0f opportunities, want a share of 0.3", held, opp)
	}
	if ghosts == 0 || ghosts == held {
		t.Errorf("%d ghost wins of %d held: the rule was not exercised", ghosts, held)
	}
}

// TestNoHoldoutNoState: a share of 0 builds no test and no branch.
func TestNoHoldoutNoState(t *testing.T) {
	e := mustNew(t, holdoutWorld(1, 0))
	if e.holdouts || e.bidders[0].hold != nil {
		t.Fatal("a holdout of 0 built a test")
	}
	e.RunAuctions(1000)
	if s := e.Snapshot(); s.Bidders[0].Holdout != nil {
		t.Fatal("a holdout of 0 reported a test")
	}
}

// TestHoldoutCoverage: the measured incremental ROAS interval covers the
// truth printed beside it, the caused conversions that have happened per
// currency spent, in about 95% of seeds, and excludes the attributed
// ROAS, about 2.2 times as large, in every seed.
func TestHoldoutCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): coverage over many seeds, ~6 s under -race")
	}
	const seeds = 40
	covered := 0
	for seed := range uint64(seeds) {
		cfg := holdoutWorld(seed+1, 0.1)
		b := snapshotAt(t, cfg, 20*Second).Bidders[0]
		h := b.Holdout
		truth, attributed := b.HoldoutTruth(), b.AttributedROAS()
		m := h.MeasuredIncrementalROAS()
		if m.Covers(truth) {
			covered++
		}
		if m.Covers(attributed) {
			t.Errorf("seed %d: measured %.3f [%.3f, %.3f] covers the attributed ROAS %.3f", seed, m.Mean, m.Lo, m.Hi, attributed)
		}
		if seed < 3 {
			t.Logf("seed %d: %d treated, %d ghost wins; measured %.3f [%.3f, %.3f]; true %.3f; attributed %.3f",
				seed, h.TreatedWins, h.GhostWins, m.Mean, m.Lo, m.Hi, truth, attributed)
		}
	}
	t.Logf("%d of %d intervals cover the true incremental ROAS", covered, seeds)
	if covered < 34 {
		t.Errorf("only %d of %d intervals cover the true incremental ROAS", covered, seeds)
	}
}

// pendingWorld is holdoutWorld (or, with a unit, personHoldoutWorld with
// a 10 s conversion period) with a 30% holdout and conversions 20 s after
// the impression on average: a run stopped at 20 s, as these are, leaves
// about 60% of its conversions pending.
func pendingWorld(seed uint64, unit HoldoutUnit) Config {
	cfg := holdoutWorld(seed, 0.3)
	if unit != 0 {
		cfg = personHoldoutWorld(seed, 0.3, 10*Second, false)
		cfg.Bidders[0].Outcome.HoldoutUnit = unit
	}
	cfg.Bidders[0].Outcome.Delay = Exponential(float64(20 * Second))
	return cfg
}

// TestHoldoutPendingCoverage: with many conversions pending at the stop,
// the measured incremental ROAS interval still covers what the test
// estimates in about 95% of seeds, unbiased, in every unit, as of the
// stop: by person the truth printed beside it (HoldoutTruth: the treated
// people's conversions less those they would have made), by request the
// caused conversions that have happened, which without people are the
// truth. With people a test by request is blind to a caused conversion
// taking an organic one's place (a person is in both arms), so it
// measures the caused ones, above the truth. When the treated arm
// counted its pending conversions, by request it measured the caused
// conversions drawn, 2.8 times the truth, and covered it in 3 of 200
// seeds.
func TestHoldoutPendingCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): 400 runs, ~9 s")
	}
	for _, c := range []struct {
		label string
		unit  HoldoutUnit
		seeds int
	}{{"by request", 0, 200}, {"by request, with people", HoldoutByRequest, 100}, {"by person", HoldoutByPerson, 100}} {
		covered, pending := 0, 0.0
		var zs []float64
		for seed := range uint64(c.seeds) {
			b := snapshotAt(t, pendingWorld(seed+1, c.unit), 20*Second).Bidders[0]
			truth, m := b.HoldoutTruth(), b.Holdout.MeasuredIncrementalROAS()
			if b.Holdout.Unit == HoldoutByRequest {
				truth = b.CausedROAS()
			}
			if m.Covers(truth) {
				covered++
			}
			zs = append(zs, (m.Mean-truth)/((m.Hi-m.Lo)/(2*z975)))
			pending += float64(b.Pending) / float64(b.Pending+b.Conversions+b.Organic)
		}
		rate := float64(covered) / float64(c.seeds)
		z, se := meanSE(zs)
		t.Logf("%s: %d of %d intervals (%.1f%%) cover the incremental ROAS it estimates; %.0f%% of conversions pending at the stop; (measured − true) / se averages %.3f ± %.3f",
			c.label, covered, c.seeds, 100*rate, 100*pending/float64(c.seeds), z, se)
		if rate < 0.9 {
			t.Errorf("%s: only %d of %d intervals cover the incremental ROAS it estimates", c.label, covered, c.seeds)
		}
		if math.Abs(z) > 4*se {
			t.Errorf("%s: (measured − true) / se averages %.3f ± %.3f: the estimate is biased", c.label, z, se)
		}
	}
}

// pendingControl is how many of the control's conversions h has drawn
// that have not happened by now.
func pendingControl(h *holdout, now Time) (n uint64) {
	for _, ev := range h.pend.h {
		if ev.at >= now {
			n++
		}
	}
	return n
}

// TestHoldoutCountsWhatHappened: a holdout counts a conversion once it
// has happened, in both arms and (by person) in the truth: at the stop
// the treated conversions are the bidder's matured ones, not those
// pending; once the bidder stops bidding and every delay has run out,
// each arm has grown by exactly the conversions it had pending. While no
// auction closes, the snapshot reads the conversions due since the last
// close without counting them in, and says what counting them says.
func TestHoldoutCountsWhatHappened(t *testing.T) {
	for _, unit := range []HoldoutUnit{0, HoldoutByRequest, HoldoutByPerson} {
		cfg := pendingWorld(11, unit)
		cfg.Traffic.QPS = 1000
		e := mustNew(t, cfg)
		e.RunUntil(20 * Second)
		b := e.Snapshot().Bidders[0]
		if h := b.Holdout; b.Pending == 0 || h.TreatedConversions != b.Conversions+b.Organic {
			t.Errorf("unit %v: %d treated conversions; %d caused and %d organic have happened, %d are pending",
				unit, h.TreatedConversions, b.Conversions, b.Organic, b.Pending)
		}
		// Nothing more is bought, and auctions all but stop: once those
		// in flight have closed, what each arm has pending is what it
		// will gain.
		for _, c := range []Change{SetEnabled{Bidder: "retarget"}, SetQPS{QPS: MinQPS}} {
			if err := e.Apply(c); err != nil {
				t.Fatal(err)
			}
		}
		e.RunUntil(21 * Second)
		b = e.Snapshot().Bidders[0]
		h := *b.Holdout
		hold := e.bidders[0].hold
		control := pendingControl(hold, e.now)
		if b.Pending == 0 || control == 0 {
			t.Fatalf("unit %v: %d treated and %d control conversions pending: the case does not test them", unit, b.Pending, control)
		}
		// No auction has closed since (one arrives every 1,000 s): the
		// snapshot reads what has matured.
		e.RunUntil(80 * Second)
		due := 0
		for _, ev := range hold.pend.h {
			if ev.at < e.now {
				due++
			}
		}
		if due == 0 {
			t.Fatalf("unit %v: nothing due for the snapshot to read", unit)
		}
		read := *e.Snapshot().Bidders[0].Holdout
		hold.mature(e.bidders[0].freq, e.now)
		if c := *e.Snapshot().Bidders[0].Holdout; c != read {
			t.Errorf("unit %v: with %d conversions due the snapshot read\n%+v\ncounted, they are\n%+v", unit, due, read, c)
		}
		if unit == HoldoutByPerson {
			checkPersonWords(t, e, "conversions due counted")
		}
		e.RunUntil(20 * Minute)
		after := e.Snapshot().Bidders[0]
		g := *after.Holdout
		if after.Pending != 0 || g.TreatedConversions != h.TreatedConversions+b.Pending {
			t.Errorf("unit %v: %d treated conversions after every delay (%d pending), want %d + %d",
				unit, g.TreatedConversions, after.Pending, h.TreatedConversions, b.Pending)
		}
		if g.ControlConversions != h.ControlConversions+control {
			t.Errorf("unit %v: %d control conversions after every delay, want %d + the %d pending",
				unit, g.ControlConversions, h.ControlConversions, control)
		}
		if unit == HoldoutByPerson && !(g.CounterfactualConversions > h.CounterfactualConversions) {
			t.Errorf("by person: the truth's conversions without the ad did not grow after the stop: %d, %d",
				h.CounterfactualConversions, g.CounterfactualConversions)
		}
		t.Logf("unit %v: treated %d at the stop (%d pending), control %d (%d pending); %d due read; after: %d and %d",
			unit, h.TreatedConversions, b.Pending, h.ControlConversions, control, due, g.TreatedConversions, g.ControlConversions)
	}
}

// BenchmarkEngineHoldout is BenchmarkEngine with a 10% holdout on dsp0:
// what the ghost bids cost when a test runs.
func BenchmarkEngineHoldout(b *testing.B) {
	cfg := benchConfig()
	o := *cfg.Bidders[0].Outcome
	o.Holdout = 0.1
	cfg.Bidders[0].Outcome = &o
	e := mustNew(b, cfg)
	e.RunAuctions(200_000)
	b.ReportAllocs()
	b.ResetTimer()
	e.RunAuctions(uint64(b.N))
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "auctions/s")
}

// revenueAsTheory runs cfg for 40 batches of 10 s and checks that its
// revenue per auction agrees with the closed form; it returns the
// batches' revenues and the closed form.
func revenueAsTheory(t *testing.T, cfg Config) ([]float64, Theory) {
	t.Helper()
	e := mustNew(t, cfg)
	th := e.Snapshot().Theory()
	if !th.Applies {
		t.Fatalf("no closed form: %s", th.Why)
	}
	rev := batches(t, e, 40, 10*Second, revenuePerAuction)
	within3SE(t, "revenue per auction", rev, th.RevenuePerAuction)
	return rev, th
}

// TestHoldoutTheory: to the closed form a held-back bid is a no-bid, and
// the engine's revenue agrees with it.
func TestHoldoutTheory(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	cfg.Bidders[0].NoBid = 0.2
	cfg.Bidders[0].Outcome = &Outcome{BaselineCVR: 0.01, Holdout: 0.5}
	_, th := revenueAsTheory(t, cfg)
	// Without the holdout the revenue is higher: the test is not vacuous.
	cfg.Bidders[0].Outcome = nil
	if without := TheoryOf(cfg).RevenuePerAuction; without < th.RevenuePerAuction+0.02 {
		t.Errorf("revenue %.4f without the holdout, %.4f with it", without, th.RevenuePerAuction)
	}
}

// TestGhostOfAPersonWhoLeft: by request too, a held-back bid that would
// have won an auction whose person left before the ad was rendered is no
// ghost impression: the winner would neither have shown it nor paid, so
// it is not in the control arm, nor in what the test cost.
func TestGhostOfAPersonWhoLeft(t *testing.T) {
	cfg := holdoutWorld(9, 0.5)
	e := mustNew(t, cfg)
	e.RunAuctions(1000)
	h := e.bidders[0].hold
	if h == nil || h.person {
		t.Fatal("not a holdout by request")
	}
	a := &auctionState{tmax: 100 * Millisecond, auction: SecondPrice, floor: PriceOf(0.1)}
	rs := make([]Response, len(e.bidders))
	for i := range rs {
		rs[i].Status = NotSent
	}
	rs[0] = Response{Status: NoBid, Reason: HeldOut, Bid: PriceOf(2), Value: PriceOf(2), Time: 50 * Millisecond}
	for _, gone := range []bool{false, true} {
		before, spend := h.ghostWins, h.ghostSpend
		e.ghosts(a, rs, 0, 0, gone)
		want := uint64(1)
		if gone {
			want = 0
		}
		if got := h.ghostWins - before; got != want || (h.ghostSpend > spend) != (want == 1) {
			t.Errorf("person left %v: %d ghost wins, spend %v → %v; want %d", gone, got, spend, h.ghostSpend, want)
		}
	}
}

// TestGhostTies: a held-back bid that ties the best submitted bid wins as
// a submitted bid would, half the time against one tied bid: against a
// rival bidding the same fixed price half the time, the control arm's
// ghosts win as often per held-back bid as the treated arm's bids win per
// bid, 3 in 4 (the rival absent, or present and the tie won), by request
// and by person.
func TestGhostTies(t *testing.T) {
	for _, byPerson := range []bool{false, true} {
		cfg := world(2, Constant(1))
		cfg.Exchange.Floor = PriceOf(0.1)
		for i := range cfg.Bidders {
			cfg.Bidders[i].Latency = Constant(float64(10 * Millisecond))
			cfg.Bidders[i].Strategy = Strategy{Kind: Fixed, Bid: PriceOf(1)}
		}
		cfg.Bidders[1].NoBid = 0.5
		cfg.Bidders[0].Outcome = &Outcome{BaselineCVR: 0.01, Holdout: 0.5}
		if byPerson {
			cfg.Traffic.Users = &Users{Count: 5000}
		}
		e := mustNew(t, cfg)
		e.RunAuctions(40_000)
		b := e.Snapshot().Bidders[0]
		h := b.Holdout
		if byPerson != (h.Unit == HoldoutByPerson) {
			t.Fatalf("by person %v: unit %v", byPerson, h.Unit)
		}
		treated := float64(h.TreatedWins) / float64(b.OnTime)
		control := float64(h.GhostWins) / float64(h.Held)
		se := math.Sqrt(0.75 * 0.25 * (1/float64(b.OnTime) + 1/float64(h.Held)))
		t.Logf("by person %v: treated bids win %.4f, ghosts %.4f (± %.4f)", byPerson, treated, control, se)
		for _, x := range []float64{treated, control} {
			if math.Abs(x-0.75) > 4*se {
				t.Errorf("by person %v: treated bids win %.4f, ghosts %.4f of the time, want 0.75 each", byPerson, treated, control)
			}
		}
	}
}
