package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// genDist draws a distribution whose values are around scale.
func genDist(t *rapid.T, label string, scale float64, depth int) Dist {
	kinds := []DistKind{DistConstant, DistUniform, DistNormal, DistLogNormal, DistExponential}
	if depth == 0 {
		kinds = append(kinds, DistMixture)
	}
	x := func(name string) float64 { return rapid.Float64Range(0, 2*scale).Draw(t, label+"."+name) }
	switch rapid.SampledFrom(kinds).Draw(t, label+".kind") {
	case DistConstant:
		return Constant(x("value"))
	case DistUniform:
		lo := x("min")
		return Uniform(lo, lo+x("width"))
	case DistNormal:
		return Normal(x("mean")+scale/10, x("sd")/2)
	case DistLogNormal:
		med := x("median") + scale/100
		return LogNormalMedianP99(med, med*rapid.Float64Range(1, 10).Draw(t, label+".spread"))
	case DistExponential:
		return Exponential(x("mean") + scale/100)
	}
	n := rapid.IntRange(1, 3).Draw(t, label+".parts")
	parts := make([]Part, n)
	for i := range parts {
		parts[i] = Part{Weight: rapid.Float64Range(0.1, 1).Draw(t, label+".weight"), Dist: genDist(t, label, scale, depth+1)}
	}
	return Mixture(parts...)
}

// genConfig draws a random, valid world.
func genConfig(t *rapid.T) Config {
	cfg := Config{
		Seed:    rapid.Uint64().Draw(t, "seed"),
		Traffic: Traffic{QPS: rapid.Float64Range(50, 5000).Draw(t, "qps")},
		Exchange: ExchangeConfig{
			Auction:   rapid.SampledFrom([]AuctionType{FirstPrice, SecondPrice}).Draw(t, "auction"),
			Tmax:      Time(rapid.Int64Range(int64(Millisecond), int64(300*Millisecond)).Draw(t, "tmax")),
			Floor:     PriceOf(rapid.Float64Range(0, 2).Draw(t, "floor")),
			Increment: PriceOf(rapid.Float64Range(0, 0.2).Draw(t, "increment")),
		},
		Horizon: 2 * Second,
		Recent:  4096,
	}
	n := rapid.IntRange(1, 6).Draw(t, "bidders")
	for i := range n {
		b := BidderConfig{
			Name:  fmt.Sprintf("b%d", i),
			Value: genDist(t, "value", 1.5, 0),
		}
		if rapid.Bool().Draw(t, "has latency") {
			b.Latency = genDist(t, "latency", float64(60*Millisecond), 0)
		}
		b.Errors = rapid.Float64Range(0, 0.3).Draw(t, "errors")
		b.Hangs = rapid.Float64Range(0, 0.1).Draw(t, "hangs")
		b.NoBid = rapid.Float64Range(0, 0.3).Draw(t, "no_bid")
		if rapid.Bool().Draw(t, "has network") {
			b.Network = genDist(t, "network", float64(20*Millisecond), 0)
		}
		if rapid.Bool().Draw(t, "has capacity") {
			b.Capacity = &Capacity{
				Workers: rapid.IntRange(1, 4).Draw(t, "workers"),
				Service: Exponential(rapid.Float64Range(0.1, 5).Draw(t, "service ms") * float64(Millisecond)),
				Queue:   rapid.IntRange(0, 10).Draw(t, "queue"),
			}
		}
		switch rapid.IntRange(0, 2).Draw(t, "strategy") {
		case 1:
			b.Strategy = Strategy{Kind: Shade, Factor: rapid.Float64Range(0.1, 1).Draw(t, "factor")}
		case 2:
			b.Strategy = Strategy{Kind: Fixed, Bid: PriceOf(rapid.Float64Range(0, 3).Draw(t, "fixed bid"))}
		}
		if rapid.Bool().Draw(t, "has budget") {
			b.Budget = &Budget{
				Total:  MoneyOf(rapid.Float64Range(0, 0.5).Draw(t, "budget")),
				Pacing: rapid.SampledFrom([]PacingKind{PacingNone, PacingThrottle, PacingMultiplier}).Draw(t, "pacing"),
			}
		}
		if rapid.Bool().Draw(t, "has outcome") {
			b.Outcome = &Outcome{
				CTR: rapid.Float64Range(0, 1).Draw(t, "ctr"), CVR: rapid.Float64Range(0, 1).Draw(t, "cvr"),
				OrderValue:  MoneyOf(rapid.Float64Range(0, 100).Draw(t, "order value")),
				BaselineCVR: rapid.Float64Range(0, 0.5).Draw(t, "baseline"),
				Delay:       genDist(t, "delay", float64(Second), 0),
			}
		}
		b.Disabled = rapid.Float64Range(0, 1).Draw(t, "disabled") < 0.1
		cfg.Bidders = append(cfg.Bidders, b)
	}
	cfg.Exchange.HoldOpen = rapid.Float64Range(0, 1).Draw(t, "hold open") < 0.2
	if rapid.Bool().Draw(t, "abandonment") {
		cfg.Exchange.Abandonment = Abandonment{
			Per100ms: rapid.Float64Range(0, 1).Draw(t, "per 100ms"),
			Grace:    Time(rapid.Int64Range(0, int64(200*Millisecond)).Draw(t, "grace")),
		}
	}
	return cfg
}

// genChange draws a live change valid for e's current state.
func genChange(t *rapid.T, e *Engine, cfg *Config) Change {
	name := rapid.SampledFrom(cfg.Bidders).Draw(t, "target").Name
	switch rapid.IntRange(0, 11).Draw(t, "change") {
	case 11:
		return SetAbandonment{Abandonment: Abandonment{
			Per100ms: rapid.Float64Range(0, 1).Draw(t, "per 100ms"),
			Grace:    Time(rapid.Int64Range(0, int64(200*Millisecond)).Draw(t, "grace")),
		}}
	case 0:
		return SetTmax{Tmax: Time(rapid.Int64Range(int64(Millisecond), int64(300*Millisecond)).Draw(t, "tmax"))}
	case 1:
		return SetFloor{Floor: PriceOf(rapid.Float64Range(0, 2).Draw(t, "floor"))}
	case 2:
		return SetAuction{Auction: rapid.SampledFrom([]AuctionType{FirstPrice, SecondPrice}).Draw(t, "auction")}
	case 3:
		return SetIncrement{Increment: PriceOf(rapid.Float64Range(0, 0.2).Draw(t, "increment"))}
	case 4:
		return SetQPS{QPS: rapid.Float64Range(50, 5000).Draw(t, "qps")}
	case 5:
		// Scaled up change after change, a latency would pass
		// MaxLatency, which Apply refuses (a p99 of 1.2 s five times ×5):
		// the factor is halved, down to 1, until the latency stays in
		// range.
		b, _ := e.bidder(name)
		f := rapid.Float64Range(0.2, 5).Draw(t, "factor")
		for f > 1 && len(b.net.dist.Scale(f).check("", latencyRange, nil)) > 0 {
			f = max(1, f/2)
		}
		return ScaleLatency{Bidder: name, Factor: f}
	case 6:
		return SetLatency{Bidder: name, Latency: genDist(t, "latency", float64(60*Millisecond), 0)}
	case 7:
		// Raise or keep: a budget cut below what was spent is the user's
		// choice, not an overspend, and would blur the invariant.
		b, _ := e.bidder(name)
		return SetBudget{Bidder: name, Total: MoneyOf(b.stats.Spend.Float() + rapid.Float64Range(0, 0.5).Draw(t, "budget"))}
	case 8:
		return SetStrategy{Bidder: name, Strategy: Strategy{Kind: Shade, Factor: rapid.Float64Range(0.1, 1).Draw(t, "factor")}}
	case 9:
		return SetPacing{Bidder: name, Pacing: rapid.SampledFrom([]PacingKind{PacingNone, PacingThrottle, PacingMultiplier}).Draw(t, "pacing")}
	}
	return SetEnabled{Bidder: name, Enabled: rapid.Bool().Draw(t, "enabled")}
}

// checkInvariants holds the accounting identities and auction rules on a
// snapshot whose Recent ring holds every closed auction.
func checkInvariants(t *rapid.T, s *Snapshot) {
	x := s.Exchange
	if x.Auctions != x.Filled+x.Unfilled {
		t.Fatalf("auctions %d ≠ filled %d + unfilled %d", x.Auctions, x.Filled, x.Unfilled)
	}
	if x.Requests != x.Auctions+x.InFlight {
		t.Fatalf("requests %d ≠ auctions %d + in flight %d", x.Requests, x.Auctions, x.InFlight)
	}
	var spend Money
	var wins uint64
	for _, b := range s.Bidders {
		spend += b.Spend
		wins += b.Wins
		if b.BidRequests != b.Bids+b.NoBids+b.Errors+b.Refused+b.Hangs {
			t.Fatalf("%s: bid requests %d ≠ bids %d + no-bids %d + errors %d + refused %d + hangs %d", b.Name, b.BidRequests, b.Bids, b.NoBids, b.Errors, b.Refused, b.Hangs)
		}
		if b.Bids != b.OnTime+b.Late || b.BelowFloor > b.OnTime || b.NoBudget+b.Throttled > b.NoBids {
			t.Fatalf("%s: bids %d, on time %d, late %d, below floor %d", b.Name, b.Bids, b.OnTime, b.Late, b.BelowFloor)
		}
		if !b.Unlimited && b.Spend > b.Budget {
			t.Fatalf("%s spent %v past its budget %v", b.Name, b.Spend.Float(), b.Budget.Float())
		}
		if b.Latency.Count != b.Bids+b.NoBids {
			t.Fatalf("%s: %d latencies recorded for %d answers", b.Name, b.Latency.Count, b.Bids+b.NoBids)
		}
	}
	// Impressions people left are not paid: Σ spend is the net revenue.
	if spend != x.NetRevenue() || x.AbandonedRevenue > x.Revenue {
		t.Fatalf("Σ spend %d ≠ exchange net revenue %d (revenue %d, abandoned %d)", spend, x.NetRevenue(), x.Revenue, x.AbandonedRevenue)
	}
	if wins != x.Filled-x.Abandoned {
		t.Fatalf("Σ wins %d ≠ filled %d less abandoned %d", wins, x.Filled, x.Abandoned)
	}
	// Off now and never changed live: off all along, so nobody left. (A
	// live change may have turned it off after people had left.)
	changed := slices.ContainsFunc(s.Changes, func(c AppliedChange) bool {
		_, ok := c.Change.(SetAbandonment)
		return ok
	})
	if !s.Settings.Abandonment.On() && !changed && x.Abandoned != 0 {
		t.Fatalf("%d abandoned with nobody leaving", x.Abandoned)
	}
	if x.Wait.Count != x.Auctions {
		t.Fatalf("%d waits for %d auctions", x.Wait.Count, x.Auctions)
	}
	var pa, pf uint64
	var pr, pl Money
	bidders := make([]BidderPoint, len(s.Bidders))
	for _, p := range s.Series.Points {
		pa += p.Auctions
		pf += p.Filled
		pr += p.Revenue
		pl += p.RevenueLost
		for i, b := range p.Bidders {
			bidders[i].BidRequests += b.BidRequests
			bidders[i].Bids += b.Bids
			bidders[i].Late += b.Late
			bidders[i].Wins += b.Wins
			bidders[i].Spend += b.Spend
		}
	}
	for i, b := range s.Bidders {
		if got, want := bidders[i], (BidderPoint{BidRequests: b.BidRequests, Bids: b.Bids, Late: b.Late, Wins: b.Wins, Spend: b.Spend}); got != want {
			t.Fatalf("%s: series totals %+v ≠ counters %+v", b.Name, got, want)
		}
	}
	if pa != x.Auctions || pf != x.Filled || pr != x.Revenue || pl != x.RevenueLost {
		t.Fatalf("series totals (%d, %d, %d, %d) ≠ counters (%d, %d, %d, %d)", pa, pf, pr, pl, x.Auctions, x.Filled, x.Revenue, x.RevenueLost)
	}
	if uint64(len(s.Recent)) != x.Auctions {
		t.Fatalf("recent ring holds %d of %d auctions", len(s.Recent), x.Auctions)
	}
	var left uint64
	for _, a := range s.Recent {
		checkAuction(t, &a)
		checkWait(t, &a, s.Settings.HoldOpen)
		if a.Abandoned {
			left++
			if a.Winner < 0 {
				t.Fatalf("auction %d: abandoned without a winner", a.ID)
			}
		}
	}
	if left != x.Abandoned {
		t.Fatalf("%d auctions marked abandoned, %d counted", left, x.Abandoned)
	}
}

// checkWait: an auction closes at its deadline when held open, when a
// bidder never answers or answers after it; otherwise when its last
// called bidder answers (the exchange's own processing with none).
func checkWait(t *rapid.T, a *AuctionRecord, holdOpen bool) {
	last, hung := a.RequestProcessing, false
	for _, r := range a.Responses {
		last = max(last, r.Time)
		hung = hung || r.Status == Hang
	}
	want := min(last, a.Tmax)
	if holdOpen || hung {
		want = a.Tmax
	}
	if got := a.Close - a.Start; got != want {
		t.Fatalf("auction %d waited %v, want %v (last answer %v, hang %v, held open %v)", a.ID, got, want, last, hung, holdOpen)
	}
}

func checkAuction(t *rapid.T, a *AuctionRecord) {
	if a.LostToTimeouts < 0 {
		t.Fatalf("auction %d: negative revenue lost %v", a.ID, a.LostToTimeouts)
	}
	best := Price(-1)
	for i, r := range a.Responses {
		switch r.Status {
		case Late:
			if r.Time <= a.Tmax {
				t.Fatalf("auction %d: bidder %d late at %v ≤ tmax %v", a.ID, i, r.Time, a.Tmax)
			}
		case OnTime, BelowFloor:
			if r.Time > a.Tmax {
				t.Fatalf("auction %d: bidder %d on time at %v > tmax %v", a.ID, i, r.Time, a.Tmax)
			}
			if (r.Status == OnTime) != (r.Bid >= a.Floor) {
				t.Fatalf("auction %d: bidder %d %v with bid %v, floor %v", a.ID, i, r.Status, r.Bid, a.Floor)
			}
			if r.Status == OnTime {
				best = max(best, r.Bid)
			}
		}
	}
	if a.Winner < 0 {
		if best >= 0 || a.Price != 0 {
			t.Fatalf("auction %d unfilled with an eligible bid %v (price %v)", a.ID, best, a.Price)
		}
		return
	}
	w := a.Responses[a.Winner]
	switch {
	case w.Status != OnTime || w.Rank != 1:
		t.Fatalf("auction %d: winner %d is %v, rank %d", a.ID, a.Winner, w.Status, w.Rank)
	case w.Bid != best:
		t.Fatalf("auction %d: winner bid %v, best bid %v", a.ID, w.Bid, best)
	case a.Price < a.Floor:
		t.Fatalf("auction %d: price %v below floor %v", a.ID, a.Price, a.Floor)
	case a.Price > w.Bid:
		t.Fatalf("auction %d: price %v above the winner's bid %v", a.ID, a.Price, w.Bid)
	case a.Auction == FirstPrice && a.Price != w.Bid:
		t.Fatalf("auction %d: first price %v ≠ bid %v", a.ID, a.Price, w.Bid)
	case a.Auction == SecondPrice && a.Price != min(max(a.SecondBid, a.Floor)+a.Increment, w.Bid):
		t.Fatalf("auction %d: second price %v ≠ min(max(second %v, floor %v) + increment %v, bid %v)", a.ID, a.Price, a.SecondBid, a.Floor, a.Increment, w.Bid)
	}
}

// runRandom runs cfg for the drawn number of auctions with live changes
// in between and returns the snapshot.
type step struct {
	auctions uint64
	change   Change
}

func run(t *rapid.T, cfg Config, steps []step) *Snapshot {
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		e.RunAuctions(s.auctions)
		if s.change != nil {
			if err := e.Apply(s.change); err != nil {
				t.Fatalf("valid change refused: %v", err)
			}
		}
	}
	return e.Snapshot()
}

func marshal(t *rapid.T, s *Snapshot) []byte {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		e, err := New(cfg)
		if err != nil {
			t.Fatalf("generated config invalid: %v", err)
		}
		var steps []step
		for range rapid.IntRange(0, 5).Draw(t, "changes") {
			n := rapid.Uint64Range(0, 600).Draw(t, "auctions")
			e.RunAuctions(n)
			c := genChange(t, e, &cfg)
			if err := e.Apply(c); err != nil {
				t.Fatalf("valid change %v refused: %v", c, err)
			}
			steps = append(steps, step{n, c})
			checkInvariants(t, e.Snapshot())
		}
		n := rapid.Uint64Range(1, 1000).Draw(t, "auctions")
		e.RunAuctions(n)
		last := step{auctions: n}
		if rapid.Bool().Draw(t, "change at the end") {
			last.change = genChange(t, e, &cfg)
			if err := e.Apply(last.change); err != nil {
				t.Fatalf("valid change %v refused: %v", last.change, err)
			}
		}
		steps = append(steps, last)
		first := e.Snapshot()
		checkInvariants(t, first)

		// The same seed and the same changes give the same snapshot, byte
		// for byte; so does the seed with the change log replayed.
		want := marshal(t, first)
		if got := marshal(t, run(t, cfg, steps)); !bytes.Equal(got, want) {
			t.Fatalf("same seed, same changes, different snapshot")
		}
		replay := cfg
		replay.Replay = first.Changes
		var total uint64
		for _, s := range steps {
			total += s.auctions
		}
		if got := marshal(t, run(t, replay, []step{{auctions: total}})); !bytes.Equal(got, want) {
			t.Fatalf("replaying the change log gave a different snapshot")
		}
	})
}
