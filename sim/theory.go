package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Theory is the closed-form expectation of a world's auction, to set
// beside what the simulation measures. Where no closed form exists,
// Applies is false and Why names the first thing that breaks it.
type Theory struct {
	Applies bool
	// Why says, in words a student understands, what breaks the closed
	// form; empty when it applies.
	Why string
	// MeanClearingPrice is the expected price over filled auctions, in
	// CPM: RevenuePerAuction / FillRate; NaN when no auction can fill.
	MeanClearingPrice float64
	// RevenuePerAuction is the expected price per auction, unfilled ones
	// counting 0, in CPM: R_n(r) in the shared notes.
	RevenuePerAuction float64
	// FillRate is the probability that an auction has a winner.
	FillRate float64
	// Formula is the formula used, with the case it applies to.
	Formula string
	// Slots is the closed form of an auction of several slots: VCG's and
	// GSP's revenue side by side; nil for a single item.
	Slots *SlotTheory
	// Deviator names the lone bidder, shading among truthful rivals for
	// several slots, whose own surplus per auction Why gives where the
	// exchange's closed form does not apply: a view sets the simulated
	// surplus beside it. Empty otherwise.
	Deviator string
}

// TheoryInput is what the closed forms need to know about a world: the
// exchange's rules and every bidder. Build it from a Config with
// NewTheoryInput and bring it up to date with a running engine's Snapshot
// with Update.
type TheoryInput struct {
	Auction AuctionType
	Tmax    Time
	// Lead is the exchange's request processing before the fan-out: a
	// response is on time when lead + its time is at most Tmax.
	Lead      Time
	Floor     float64 // CPM
	Increment float64 // CPM
	// Slots are the ad positions' click-through weights (GSP, VCG);
	// empty or one: a single item.
	Slots   []float64
	QPS     float64 // mean ad requests per virtual second
	Shaped  bool    // the rate follows a daily shape
	Bidders []TheoryBidder
	// memo keeps the independent form's integrals (the exchange's
	// revenue, each bidder's expectations) by the bids' laws and the
	// auction's rules, so that a view drawn every frame, or every metric
	// read from a snapshot, integrates them once per world and change.
	// Shared by the copies of an input, an engine's snapshots and its
	// clones; nil in an input built by hand: no memo.
	memo *theoryMemo
}

// TheoryBidder is one bidder as the closed forms see it.
type TheoryBidder struct {
	Name     string
	Enabled  bool
	Value    Dist // CPM
	Strategy Strategy
	Latency  Dist    // response time before the network, nanoseconds
	Network  Dist    // network round trip, apart; DistNone: none
	Errors   float64 // share of bid requests that never bid: errors and hangs
	NoBid    float64 // share answered with a no-bid
	Budget   bool    // its spend is capped
	Pacing   PacingKind
	Capacity *Capacity // nil: unlimited
}

// NewTheoryInput reads the closed forms' inputs from cfg.
func NewTheoryInput(cfg Config) TheoryInput {
	in := TheoryInput{
		Auction:   cfg.Exchange.Auction,
		Tmax:      cfg.Exchange.Tmax,
		Lead:      cfg.Exchange.TmaxAdjustments.RequestProcessing,
		Floor:     cfg.Exchange.Floor.CPM(),
		Increment: cfg.Exchange.Increment.CPM(),
		Slots:     cfg.Exchange.Slots,
		QPS:       cfg.Traffic.QPS,
		Shaped:    len(cfg.Traffic.Shape) > 0,
		Bidders:   make([]TheoryBidder, len(cfg.Bidders)),
		memo:      new(theoryMemo),
	}
	for i, b := range cfg.Bidders {
		tb := TheoryBidder{
			Name:     b.Name,
			Enabled:  !b.Disabled,
			Value:    b.Value,
			Strategy: b.Strategy,
			Latency:  b.Latency,
			Network:  b.Network,
			Errors:   b.Errors + b.Hangs,
			NoBid:    b.NoBid,
			Capacity: b.Capacity,
		}
		if b.Budget != nil {
			tb.Budget, tb.Pacing = true, b.Budget.Pacing
		}
		if o := b.Outcome; o != nil && o.Holdout > 0 {
			// A bid held back for a holdout is answered but never
			// submitted, drawn apart from everything else: to the auction
			// it is one more no-bid.
			tb.NoBid += max(1-b.Errors-b.NoBid, 0) * heldShare(&cfg, &cfg.Bidders[i])
		}
		in.Bidders[i] = tb
	}
	return in
}

// heldShare is the share of bidder b's bid requests its holdout holds
// back: by request its share; by person the requests of the people its
// hash puts in the control arm, each person drawing its share of the
// requests (personWeights), which with few or uneven people is not the
// share of people.
func heldShare(cfg *Config, b *BidderConfig) float64 {
	o, u := b.Outcome, cfg.Traffic.Users
	if u == nil || o.UnitIn(true) != HoldoutByPerson || u.Count < 1 || u.Count > MaxUsers {
		return o.Holdout
	}
	h := holdout{share: o.Holdout}
	h.byPerson(cfg.Seed, b.Name)
	ws := personWeights(u, cfg.Traffic.scale())
	var held, all float64
	for k := 1; k <= simulatedPeople(u.Count, cfg.Traffic.scale()); k++ {
		w := 1.0
		if ws != nil {
			w = ws[k-1]
		}
		all += w
		if h.inControl(uint32(k)) {
			held += w
		}
	}
	return held / all
}

// Update takes the live-changeable settings from s, a snapshot of an
// engine built from the Config in: auction type, tmax, floor, increment,
// traffic rate, and each bidder's being enabled, strategy, latency, budget
// and pacing.
// Values, error and no-bid shares and capacities cannot change while a
// world runs, so they stay as the Config has them. Update fails, changing
// nothing, when s's bidders are not in's, or when s's change log holds a
// kind of change it does not know.
func (in *TheoryInput) Update(s *Snapshot) error {
	if len(s.Bidders) != len(in.Bidders) {
		return fmt.Errorf("theory: the snapshot has %d bidders, the scenario %d", len(s.Bidders), len(in.Bidders))
	}
	for i, b := range s.Bidders {
		if b.Name != in.Bidders[i].Name {
			return fmt.Errorf("theory: snapshot bidder %d is %q, the scenario's %q", i+1, b.Name, in.Bidders[i].Name)
		}
	}
	for _, c := range s.Changes {
		switch c.Change.(type) {
		case SetTmax, SetFloor, SetAuction, SetIncrement, SetQPS, ScaleLatency,
			SetLatency, SetBudget, SetStrategy, SetPacing, SetEnabled, MoveBudget, SetAbandonment,
			SetFrequencyCap: // the closed form has no people, live or at the start
		default:
			// A kind of change added later may move what the snapshot
			// does not show (a value distribution): refuse, not guess.
			return fmt.Errorf("theory: cannot follow the live change %q", c.Change)
		}
	}
	in.Auction = s.Settings.Auction
	in.Tmax = s.Settings.Tmax
	in.Lead = s.Settings.TmaxAdjustments.RequestProcessing
	in.Floor = s.Settings.Floor.CPM()
	in.Increment = s.Settings.Increment.CPM()
	in.QPS = s.Settings.QPS
	for i, b := range s.Bidders {
		tb := &in.Bidders[i]
		tb.Enabled = b.Enabled
		tb.Strategy = b.Strategy
		tb.Latency, tb.Network = b.LatencyDist, b.NetworkDist
		tb.Budget = !b.Unlimited
		tb.Pacing = b.Pacing
	}
	return nil
}

// TheoryOf is the closed form for a world as cfg describes it.
func TheoryOf(cfg Config) Theory { return NewTheoryInput(cfg).Theory() }

// LiveTheory is the closed form for an engine built from cfg, with the
// live changes that s, its snapshot, shows.
func LiveTheory(cfg Config, s *Snapshot) Theory {
	in := NewTheoryInput(cfg)
	if err := in.Update(s); err != nil {
		return noTheory(err.Error())
	}
	return in.Theory()
}

func noTheory(why string) Theory {
	return Theory{Why: why, MeanClearingPrice: math.NaN(), RevenuePerAuction: math.NaN(), FillRate: math.NaN()}
}

// equilibriumSlack is how far a first-price shade factor may be from
// (n−1)/n and still count as the equilibrium: a scenario may write 0.67
// for 2/3. The expectation is computed with the factor actually used.
const equilibriumSlack = 0.005

// EquilibriumShade reports whether shading by factor is, within
// equilibriumSlack, the first-price equilibrium's (n−1)/n of n bidders
// with values uniform on [0, b] and no floor: the closed form counts such
// a bidder as bidding the equilibrium, and so may a view.
func EquilibriumShade(factor float64, n int) bool {
	fn := float64(n)
	return n > 1 && math.Abs(factor-(fn-1)/fn) <= equilibriumSlack
}

// Theory computes the closed form. For one item whose bidders' values are
// independent but not of one law (or of one law these forms do not cover,
// or bid in different shares with an increment) it is the independent
// form (theory_independent.go). Otherwise it applies when the enabled
// bidders' values are independent and identically distributed (uniform,
// exponential or constant), every bidder bids the same share c of its value (truthful:
// c = 1) or, in first price, every bidder bids the equilibrium (strategy
// Equilibrium: revenue equivalence when all always take part; with some
// late, the n-bidder equilibrium bids integrated numerically), the
// increment is 0 (second price), and no bidder has a budget. Each bidder then takes part in an auction,
// independently of its value and of the others, with probability
// (1 − errors − no_bid)·P(response time ≤ tmax): the number k taking part
// follows the Poisson-binomial law of those probabilities, and
// E[revenue] = Σ_k P(k)·R_k(r), the fill rate Σ_k P(k)·(1 − P(bid < r)^k).
//
// Without capacity the response time is the network latency, drawn afresh
// for every request. A finite capacity makes it depend on the traffic and
// on earlier requests; the expectation over many auctions still needs only
// each bidder's long-run late probability, as long as lateness stays
// independent across the bidders of one auction. So one bidder may have a
// capacity when its queue is M/M/c in equilibrium: Poisson traffic without
// a daily shape, exponential service, an unbounded queue, arrivals below
// capacity, and a constant network latency (or none) added to the queue's
// response time, whose law is then known (Erlang C). Two queues fill with
// the same ad requests, so their lateness is correlated: no closed form.
func (in TheoryInput) Theory() Theory {
	if in.Auction.Slotted() && len(in.Slots) <= 1 {
		in.Auction = SecondPrice // GSP and VCG of one item are second price
	}
	in = in.equilibriumAsShares()
	var on []*TheoryBidder
	for i := range in.Bidders {
		if in.Bidders[i].Enabled {
			on = append(on, &in.Bidders[i])
		}
	}
	n := len(on)
	if n == 0 {
		return Theory{
			Applies: true, MeanClearingPrice: math.NaN(),
			Formula: "no bidder is enabled: no bids, no sales",
		}
	}
	if why := in.breaks(on); why != "" {
		return noTheory(why)
	}

	r := in.Floor
	value := on[0].Value
	c, eq, mixed, _ := in.bidding(on) // bids are c × value, or the equilibrium
	present := make([]float64, n)
	late := false // some bidder takes part in fewer than all auctions
	for i, b := range on {
		present[i] = b.present(&in)
		late = late || present[i] < 1
	}
	iid := valuesBreak(on)
	if len(in.Slots) > 1 {
		if iid != "" {
			return noTheory(iid + "; with several slots the closed forms need every bidder's value drawn from one law, uniform, exponential or constant")
		}
		return in.slotTheory(on, present)
	}
	if iid != "" || mixed && (!continuous(value) || in.Auction == SecondPrice && in.Increment != 0) {
		switch {
		case !eq:
			return in.independentTheory(on, present)
		case !oneLaw(on):
			return noTheory(iid + "; in first price the asymmetric equilibrium has no closed form (Maskin & Riley 2000): each bidder's equilibrium bid depends on the others' laws")
		default:
			return noTheory(iid + "; the first-price equilibrium's form here needs one of those")
		}
	}
	auction := in.Auction
	// First price has no increment: the winner pays its bid. Revenue
	// equivalence below is with second price without one, so the
	// increment must not follow the auction there.
	inc := in.Increment
	if auction == FirstPrice {
		inc = 0
	}
	if eq && !late {
		// Revenue equivalence: the first-price equilibrium earns what
		// truthful second price does with the same floor.
		auction = SecondPrice
	}
	if mixed {
		// Values of one law are a case of the independent form's (here
		// with increment 0, or in first price, which has none).
		return in.independentForm(on, present, in.mixedFormula(on, value, present))
	}
	pk := poissonBinomial(present)
	rev, fill := 0.0, 0.0
	for k := 1; k <= n; k++ {
		if pk[k] == 0 {
			continue
		}
		rk, fk := revenueK(value, auction, k, c, r, inc)
		if eq && late {
			// The bids are the n-bidder equilibrium whoever takes part.
			rk, fk = eqRevenueK(value, n, k, r)
		}
		rev += pk[k] * rk
		fill += pk[k] * fk
	}
	t := Theory{Applies: true, RevenuePerAuction: rev, FillRate: fill, MeanClearingPrice: math.NaN()}
	if fill > 0 {
		t.MeanClearingPrice = rev / fill
	}
	t.Formula = in.formula(on, value, c, eq, present)
	return t
}

// equilibriumAsShares is in with, in first price, each equilibrium bidder
// among bidders that do not all bid it written as the share it bids: with
// no floor and its values uniform on [0, b], β(v) = (n−1)/n·v for the n
// enabled bidders (eqBids.bid), so that one bidder switched to the
// equilibrium beside rivals shading by (n−1)/n, as in first-vs-second,
// keeps the closed form (it said the bidders did not bid alike). Its
// Bidders are then a copy, never the caller's.
func (in TheoryInput) equilibriumAsShares() TheoryInput {
	if in.Auction != FirstPrice || in.Floor != 0 {
		return in
	}
	n, eq := 0, 0
	for _, b := range in.Bidders {
		if !b.Enabled {
			continue
		}
		n++
		if b.Strategy.Kind != Equilibrium {
			continue
		}
		eq++
		if v := b.Value; v.Kind != DistUniform || v.A != 0 || !(v.B > 0) {
			return in
		}
	}
	if eq == 0 || eq == n {
		return in // none, or all: the equilibrium's own forms
	}
	bs := append([]TheoryBidder(nil), in.Bidders...)
	for i := range bs {
		if bs[i].Enabled && bs[i].Strategy.Kind == Equilibrium {
			bs[i].Strategy = Strategy{Kind: Shade, Factor: float64(n-1) / float64(n)}
		}
	}
	in.Bidders = bs
	return in
}

// breaks names the first thing that breaks the closed form, or "".
func (in TheoryInput) breaks(on []*TheoryBidder) string {
	for _, b := range on {
		if b.Budget && b.Pacing != PacingNone {
			return fmt.Sprintf("%s paces its budget (%s): its bids follow its spending, not only its value", b.Name, b.Pacing)
		}
		if b.Budget {
			return fmt.Sprintf("%s has a budget: as it runs out it bids less or not at all, so bids stop following values", b.Name)
		}
	}
	for _, b := range on {
		if random(b.Latency) && random(b.Network) {
			return fmt.Sprintf("%s's latency (%s) and network round trip (%s) are both random: their sum has no closed form here (it has when either is constant)", b.Name, durations(b.Latency), durations(b.Network))
		}
	}
	var queued *TheoryBidder
	for _, b := range on {
		if b.Capacity == nil {
			continue
		}
		if queued != nil {
			return fmt.Sprintf("%s and %s both have a finite capacity: their queues fill with the same ad requests, so they are late together more often than independently, and the closed form needs independent lateness", queued.Name, b.Name)
		}
		queued = b
		if why := in.queueBreaks(b); why != "" {
			return why
		}
	}
	_, _, _, why := in.bidding(on)
	if in.Auction != FirstPrice && in.Auction != SecondPrice && in.Increment != 0 {
		// One item sold in second price has its forms with an increment
		// (incrementExtra, the independent form); several slots do not.
		return fmt.Sprintf("the %s increment is %g CPM: the closed forms here assume the winner pays exactly the second bid (increment 0) unless it is one item sold in second price", in.Auction, in.Increment)
	}
	return why
}

// oneLaw reports whether every bidder's value is drawn from one law.
func oneLaw(on []*TheoryBidder) bool {
	return !slices.ContainsFunc(on[1:], func(b *TheoryBidder) bool { return !sameDist(b.Value, on[0].Value) })
}

// valuesBreak names what keeps the i.i.d. closed forms from the bidders'
// values, or "": every value drawn from one law, uniform, exponential or
// constant. Where it is not "", a single item still has the independent
// form (independentTheory), except in the first-price equilibrium.
func valuesBreak(on []*TheoryBidder) string {
	first := on[0]
	for _, b := range on[1:] {
		if !sameDist(b.Value, first.Value) {
			return fmt.Sprintf("values are not identically distributed: %s's are %s, %s's %s", first.Name, first.Value, b.Name, b.Value)
		}
	}
	switch first.Value.Kind {
	case DistUniform, DistExponential, DistConstant:
		return ""
	}
	return fmt.Sprintf("values are %s: the i.i.d. closed forms need uniform, exponential or constant values", first.Value)
}

// bidding is how the enabled bidders bid, as the closed forms see it:
// every one bidding c × value (truthful is c = 1; an equilibrium bidder in
// second price bids its value), or, in first price, every one bidding the
// equilibrium (eq true). why names what breaks it, or is "".
//
// mixed is true when the bidders bid different shares of their values
// (one bidder deviating from truthful, say): c is then NaN and factors
// gives each bidder's share, for the independent form
// (independentRevenue).
func (in TheoryInput) bidding(on []*TheoryBidder) (c float64, eq bool, mixed bool, why string) {
	if in.Auction != SecondPrice && in.Auction != FirstPrice && !in.Auction.Slotted() {
		return 0, false, false, fmt.Sprintf("the auction type %s has no closed form", in.Auction)
	}
	factor := func(s Strategy) float64 {
		switch s.Kind {
		case Shade:
			return s.Factor
		case Equilibrium:
			if in.Auction == FirstPrice {
				return math.NaN()
			}
		}
		return 1
	}
	first := on[0]
	for _, b := range on {
		if s := b.Strategy; s.Kind == Fixed {
			return 0, false, false, fmt.Sprintf("%s bids a fixed %g CPM whatever its value: the closed forms need bids that follow values", b.Name, s.Bid.CPM())
		}
		if goalKind(b.Strategy.Kind) {
			return 0, false, false, fmt.Sprintf("%s bids for a target (%s) with a controller steering its bids as the run goes, not after its value: there is no closed form", b.Name, b.Strategy)
		}
		if b.Strategy.Kind == Learn {
			return 0, false, false, fmt.Sprintf("%s learns its shade factor from its outcomes as the run goes: its bids follow no fixed rule, so there is no closed form", b.Name)
		}
	}
	if in.Auction == FirstPrice && first.Strategy.Kind == Equilibrium {
		for _, b := range on {
			if b.Strategy.Kind != Equilibrium {
				return 0, false, false, fmt.Sprintf("%s bids the equilibrium and %s bids %s: in first price the closed form needs every bidder to bid alike (all the equilibrium, or each a share of its value)", first.Name, b.Name, b.Strategy)
			}
		}
		return 1, true, false, ""
	}
	c = factor(first.Strategy)
	for _, b := range on {
		f := factor(b.Strategy)
		switch {
		case math.IsNaN(f):
			return 0, false, false, fmt.Sprintf("%s bids %s and %s bids the equilibrium: in first price the closed form needs every bidder to bid alike (all the equilibrium, or each a share of its value)", first.Name, first.Strategy, b.Name)
		case f == c:
		default:
			mixed = true
		}
	}
	if mixed {
		return math.NaN(), false, true, ""
	}
	return c, false, false, ""
}

// continuous reports whether values of law v have no atom.
func continuous(v Dist) bool {
	return v.Kind == DistUniform && v.B > v.A || v.Kind == DistExponential
}

// shareOf is the share of its value b bids when bidders bid shares: 1
// for truthful (and for equilibrium in second price).
func shareOf(s Strategy) float64 {
	if s.Kind == Shade {
		return s.Factor
	}
	return 1
}

// queueBreaks names what keeps b's queue from being M/M/c in
// equilibrium with a constant network latency, or "".
func (in TheoryInput) queueBreaks(b *TheoryBidder) string {
	c := b.Capacity
	switch {
	case in.Shaped:
		return fmt.Sprintf("%s has a finite capacity and the traffic follows a daily shape: its queue never settles, so its late probability has no closed form", b.Name)
	case c.Service.Kind != DistExponential:
		return fmt.Sprintf("%s's service time is %s: a queue's response time has a closed form only with exponential service (M/M/c)", b.Name, durations(c.Service))
	case c.Queue > 0:
		return fmt.Sprintf("%s's queue holds at most %d requests: the closed form (M/M/c) needs an unbounded queue", b.Name, c.Queue)
	case random(b.Latency):
		return fmt.Sprintf("%s has a finite capacity and a random network latency (%s): the sum of its queue's response time and the network's has no closed form (it has with a constant latency)", b.Name, durations(b.Latency))
	case random(b.Network):
		return fmt.Sprintf("%s has a finite capacity and a random network round trip (%s): the sum of its queue's response time and the network's has no closed form (it has with a constant one)", b.Name, durations(b.Network))
	}
	lambda, capacity := in.queueRates(b)
	if lambda >= capacity {
		return fmt.Sprintf("%s is overloaded: %.4g requests a second reach it and its %d workers serve %.4g at most, so its queue grows without bound", b.Name, lambda, c.Workers, capacity)
	}
	return ""
}

// queueRates are the requests per second reaching b's queue (errors never
// do) and the most its workers serve.
func (in TheoryInput) queueRates(b *TheoryBidder) (lambda, capacity float64) {
	mu := float64(Second) / b.Capacity.Service.A
	return in.QPS * (1 - b.Errors), float64(b.Capacity.Workers) * mu
}

// present is the probability that b's bid takes part in an auction:
// answered (no error, no no-bid) and on time. A response time is on time
// when its whole nanoseconds are at most tmax, that is when the drawn
// latency is below tmax + 1ns.
func (b *TheoryBidder) present(in *TheoryInput) float64 {
	answered := max(1-b.Errors-b.NoBid, 0)
	t := float64(in.Tmax-in.Lead) + 1
	// A constant network round trip (whole nanoseconds) shifts the
	// deadline; breaks has made sure one of the two is constant.
	lat := b.Latency
	if b.Network.Kind == DistConstant {
		t -= math.Floor(b.Network.A)
	} else if b.Network.Kind != DistNone {
		t -= math.Floor(b.Latency.A)
		lat = b.Network
	}
	if b.Capacity == nil {
		return answered * lat.below(t)
	}
	// Queue, service and a constant network latency d: on time when the
	// queue's response time is at most tmax − d.
	if b.Latency.Kind == DistConstant {
		t -= math.Floor(b.Latency.A)
	}
	lambda, _ := in.queueRates(b)
	mu := float64(Second) / b.Capacity.Service.A
	return answered * (1 - mmcLate(b.Capacity.Workers, lambda, mu, t/float64(Second)))
}

// erlangWait is Erlang C: the probability that an arrival at an M/M/c
// queue with arrival rate lambda and service rate mu waits.
func erlangWait(c int, lambda, mu float64) float64 {
	a := lambda / mu
	rho := a / float64(c)
	term, sum := 1.0, 0.0 // aᵏ/k!
	for k := range c {
		if k > 0 {
			term *= a / float64(k)
		}
		sum += term
	}
	top := term * a / float64(c) / (1 - rho) // aᶜ/c! · 1/(1−ρ)
	return top / (sum + top)
}

// mmcLate is P(response time > t) in M/M/c, t in seconds: the response
// is the wait (0 with probability 1 − C, else Exponential(θ), θ = cμ − λ)
// plus an Exponential(μ) service, a hypoexponential sum.
func mmcLate(c int, lambda, mu, t float64) float64 {
	if t <= 0 {
		return 1
	}
	C := erlangWait(c, lambda, mu)
	theta := float64(c)*mu - lambda
	tail := math.Exp(-mu * t)
	if math.Abs(theta-mu) < 1e-9*mu {
		return (1-C)*tail + C*(1+mu*t)*tail // the Erlang-2 tail
	}
	return clamp01((1-C)*tail + C*(theta*tail-mu*math.Exp(-theta*t))/(theta-mu))
}

// poissonBinomial is the law of the number of successes of independent
// trials with probabilities p: out[k] = P(k successes).
func poissonBinomial(p []float64) []float64 {
	out := make([]float64, len(p)+1)
	out[0] = 1
	for i, q := range p {
		for k := i + 1; k >= 1; k-- {
			out[k] = out[k]*(1-q) + out[k-1]*q
		}
		out[0] *= 1 - q
	}
	return out
}

// revenueK is the expected price and the fill probability of an auction
// with k ≥ 1 bidders taking part, values i.i.d. from v, floor r and bids
// c × value (c = 1: truthful), increment inc. In second price a price is
// c times the price of truthful bids against the floor r/c and the
// increment inc/c: c·R_k(r/c), and an increment adds incrementExtra.
//
// Second price pays max(second value, r) when the top value is at least r:
// R_k(r) = r·(1 − F(r)^k) + ∫_r^∞ P(second value > x) dx, with
// P(second value > x) = 1 − F^k − k·F^(k−1)·(1 − F). First price pays c
// times the top value when that bid is at least r: with s = r/c,
// c·[s·(1 − F(s)^k) + ∫_s^∞ (1 − F(x)^k) dx].
func revenueK(v Dist, auction AuctionType, k int, c, r, inc float64) (rev, fill float64) {
	if auction == SecondPrice && c != 1 {
		// Bids c·v: prices, the floor and the increment all scale by c.
		rev, fill = revenueK(v, auction, k, 1, r/c, inc/c)
		return c * rev, fill
	}
	if auction == SecondPrice && inc > 0 && continuous(v) {
		rev, fill = revenueK(v, auction, k, 1, r, 0)
		return rev + incrementExtra(v, k, r, inc), fill
	}
	fk := float64(k)
	s := r / c
	fill = 1 - math.Pow(v.below(s), fk)
	switch {
	case v.pointMass():
		x := v.A
		if x < s {
			return 0, 0
		}
		if auction == FirstPrice {
			return PriceOf(c * x).CPM(), 1
		}
		if k == 1 {
			return min(r+inc, x), 1
		}
		return x, 1 // min(x + inc, x): equal bids pay the bid
	case v.Kind == DistUniform:
		a, w := v.A, v.B-v.A
		t := clamp01((s - a) / w)
		below := max(a-s, 0) // ∫_s^a of the tail, where F = 0
		if auction == FirstPrice {
			tail := below + w*((1-t)-(1-math.Pow(t, fk+1))/(fk+1))
			return c * (s*fill + tail), fill
		}
		g := func(t float64) float64 { // ∫ of P(second > x) in t = (x−a)/w
			return t - math.Pow(t, fk) + (fk-1)/(fk+1)*math.Pow(t, fk+1)
		}
		if k == 1 {
			below = 0 // the second value of one bidder is never above r
		}
		return r*fill + below + w*(g(1)-g(t)), fill
	case v.Kind == DistExponential:
		// u = F(x) = 1 − e^(−x/m), dx = m·du/(1 − u), and
		// (1 − u^k)/(1 − u) = Σ_{j<k} u^j.
		m := v.A
		u0 := v.CDF(s)
		sum := 0.0 // ∫_s^∞ (1 − F^k) dx / m
		for j := range k {
			sum += (1 - math.Pow(u0, float64(j+1))) / float64(j+1)
		}
		if auction == FirstPrice {
			return c * (s*fill + m*sum), fill
		}
		return r*fill + m*(sum-(1-math.Pow(u0, fk))), fill
	}
	return math.NaN(), math.NaN() // breaks() admits no other kind
}

// eqRevenueK is the expected price and the fill probability of a first
// price auction in which k of n bidders take part, each bidding β_n, the
// n-bidder equilibrium with floor r (β_n assumes all n take part, so with
// k < n it is not the k-bidder equilibrium and revenue equivalence does
// not hold): E[β_n(top value)·1{top value ≥ r}], by a Stieltjes sum of β_n
// against F^k, numerically.
func eqRevenueK(v Dist, n, k int, r float64) (rev, fill float64) {
	var q eqBids
	q.update(v, n, r, true)
	fk := float64(k)
	if v.pointMass() {
		if v.A < r {
			return 0, 0
		}
		return PriceOf(q.bid(v.A)).CPM(), 1
	}
	fill = 1 - math.Pow(v.below(r), fk)
	lo := max(r, 0)
	hi := max(lo, v.Mean(), 1e-9)
	for i := 0; i < 200 && v.CDF(hi) < 1-1e-12; i++ {
		hi *= 2
	}
	const steps = 1 << 15
	h := (hi - lo) / steps
	prev := math.Pow(v.CDF(lo), fk)
	for i := range steps {
		x := lo + float64(i+1)*h
		cur := math.Pow(v.CDF(x), fk)
		rev += q.bid(x-h/2) * (cur - prev)
		prev = cur
	}
	return rev, fill
}

// sameDist reports whether two distributions are the same law, parameter
// for parameter.
func sameDist(a, b Dist) bool {
	if a.Kind != b.Kind || a.A != b.A || a.B != b.B || len(a.Parts) != len(b.Parts) {
		return false
	}
	for i := range a.Parts {
		if a.Parts[i].Weight != b.Parts[i].Weight || !sameDist(a.Parts[i].Dist, b.Parts[i].Dist) {
			return false
		}
	}
	return true
}

// mixedFormula describes the form of different shares of one law for the dashboard and the
// JSON: who bids what share.
func (in TheoryInput) mixedFormula(on []*TheoryBidder, v Dist, present []float64) string {
	var shares []string
	others := false // some bidder bids its value
	for _, b := range on {
		if f := shareOf(b.Strategy); f != 1 {
			shares = append(shares, fmt.Sprintf("%s %.4g", b.Name, f))
		} else {
			others = true
		}
	}
	auction, who := "second price", "truthful"
	if in.Auction == FirstPrice {
		auction, who = "first price", "bidding their values"
	}
	var sb strings.Builder
	rest := ""
	if others {
		rest = ", the others " + who
	}
	fmt.Fprintf(&sb, "%s, %d bidders bidding different shares of their values (%s shading%s), values %s, floor %g",
		auction, len(on), strings.Join(shares, ", "), rest, v, in.Floor)
	if in.Auction == SecondPrice {
		sb.WriteString(", increment 0: r·(1 − ΠQ_i(r)) + ∫_r^∞ P(second bid > x) dx")
	} else {
		sb.WriteString(": r·(1 − ΠQ_i(r)) + ∫_r^∞ (1 − ΠQ_i(x)) dx")
	}
	sb.WriteString(", Q_i(x) = 1 − p_i + p_i·F(x/c_i) the probability that bidder i bids at most x or not at all (p_i its probability of taking part, c_i its share), integrated numerically")
	sb.WriteString(presence(on, present))
	return sb.String()
}

// presence says, for a formula in Q_i, each bidder's probability p_i of
// taking part where some bidder does not always: "" when all do.
func presence(on []*TheoryBidder, present []float64) string {
	if !slices.ContainsFunc(present, func(p float64) bool { return p < 1 }) {
		return ""
	}
	qs := make([]string, len(on))
	for i, p := range present {
		qs[i] = fmt.Sprintf("%s %.3g", on[i].Name, p)
	}
	return fmt.Sprintf("; p_i = (1 − errors − no_bid)·P(response ≤ tmax) (%s)", strings.Join(qs, ", "))
}

// lawText is a values' law as the closed forms' formulas write it, the
// textbook's "U[0, 1]" rather than the scenario format's "uniform(0, 1)":
// one spelling in every formula, the slots' too.
func lawText(v Dist) string {
	switch v.Kind {
	case DistUniform:
		return fmt.Sprintf("U[%g, %g]", v.A, v.B)
	case DistExponential:
		return fmt.Sprintf("Exponential(λ = %.4g)", 1/v.A)
	}
	return v.String()
}

// formula describes the closed form used, for the dashboard and the JSON.
// Its first words say what the bidders do: "truthful", "the equilibrium"
// or "everyone shading by c"; "equilibrium" only where it is one.
func (in TheoryInput) formula(on []*TheoryBidder, v Dist, c float64, eq bool, present []float64) string {
	n := len(on)
	var sb strings.Builder
	r := in.Floor
	values := lawText(v)
	u0 := v.Kind == DistUniform && v.A == 0 // U[0, b]
	fn := float64(n)
	eqLate := eq && slices.ContainsFunc(present, func(p float64) bool { return p < 1 })
	switch {
	case eq:
		fmt.Fprintf(&sb, "first price, %d bidders bidding the equilibrium β(v) = v − ∫ᵣᵛ F(x)ⁿ⁻¹dx / F(v)ⁿ⁻¹, values %s, floor %g: ", n, values, r)
		switch {
		case u0 && r == 0:
			sb.WriteString("β(v) = (n−1)/n·v; ")
		case u0:
			sb.WriteString("β(v) = (n−1)/n·v + rⁿ/(n·vⁿ⁻¹) for b = 1; ")
		}
		if eqLate {
			sb.WriteString("the bids assume all n take part, so with k < n taking part they are not the k-bidder equilibrium and revenue equivalence fails: R_k(r) = E[β_n(top of k values)·1{top ≥ r}], integrated numerically")
		} else {
			sb.WriteString("revenue equivalence, the same revenue as truthful second price: ")
		}
	case in.Auction == FirstPrice:
		label := fmt.Sprintf("everyone shading by %.4g", c) // "4 bidders, everyone shading by 0.75"
		switch {
		case c == 1:
			label = "everyone bidding its value (truthful, shading by 1)"
		case math.Abs(c-(fn-1)/fn) <= equilibriumSlack && n > 1 && u0 && r == 0:
			label += " (the (n−1)/n equilibrium for values U[0, b] and no floor)"
		case math.Abs(c-(fn-1)/fn) <= equilibriumSlack && n > 1 && u0:
			label += " (the (n−1)/n shading, not the equilibrium with a floor; that is strategy kind equilibrium)"
		case math.Abs(c-(fn-1)/fn) <= equilibriumSlack && n > 1:
			label += " (the (n−1)/n shading, an equilibrium only for values U[0, b] without a floor)"
		}
		fmt.Fprintf(&sb, "first price, %d bidders, %s, values %s, floor %g: ", n, label, values, r)
	case c == 1:
		fmt.Fprintf(&sb, "second price, %d truthful bidders, values %s, floor %g, increment %g: ", n, values, r, in.Increment)
	default:
		fmt.Fprintf(&sb, "second price, %d bidders, everyone shading by %.4g, values %s, floor %g, increment %g: ", n, c, values, r, in.Increment)
	}
	switch {
	case eqLate: // said above
	case (in.Auction == SecondPrice || eq) && c != 1 && u0 && r == 0:
		fmt.Fprintf(&sb, "c·R_n(0) = c·b·(n−1)/(n+1)")
	case (in.Auction == SecondPrice || eq) && c != 1:
		fmt.Fprintf(&sb, "c·R_n(r/c), R_n the truthful revenue")
	case (in.Auction == SecondPrice || eq) && u0 && r == 0:
		fmt.Fprintf(&sb, "R_n = b·(n−1)/(n+1), the second-highest value's mean")
	case (in.Auction == SecondPrice || eq) && u0:
		fmt.Fprintf(&sb, "R_n(r) = b·[(n−1)/(n+1) + tⁿ − 2n·t^(n+1)/(n+1)], t = r/b")
	case (in.Auction == SecondPrice || eq) && v.Kind == DistExponential && r == 0:
		fmt.Fprintf(&sb, "R_n = (H_n − 1)/λ, H_n the n-th harmonic number")
	case in.Auction == SecondPrice || eq:
		fmt.Fprintf(&sb, "R_n(r) = r·(1 − F(r)ⁿ) + ∫_r^∞ P(second value > x) dx")
	case u0 && r == 0:
		fmt.Fprintf(&sb, "c·b·n/(n+1), the top value's mean times c")
	case u0:
		fmt.Fprintf(&sb, "c·E[top value·1{c·top value ≥ r}] = c·b·n/(n+1)·(1 − t^(n+1)), t = min(r/(c·b), 1)")
	default:
		fmt.Fprintf(&sb, "c·E[top value·1{c·top value ≥ r}]")
	}
	if in.Auction == SecondPrice && !eq && in.Increment > 0 {
		switch {
		case v.pointMass():
			sb.WriteString("; the increment δ raises only a lone bid's price, to min(r + δ, bid): equal bids pay the bid")
		case u0 && r == 0 && c == 1:
			sb.WriteString("; plus the increment δ's share, E[min(δ, top − second)] = b·(1 − (1 − δ/b)^(n+1))/(n+1) (less than δ: the top two are often closer)")
		default:
			sb.WriteString("; plus the increment δ's share, E[min(δ, top bid − max(second bid, r)); top bid ≥ r] = ∫_0^δ P(top bid > max(second bid, r) + g) dg, integrated numerically (less than δ: the top two are often closer)")
		}
	}
	late := false
	for i, p := range present {
		late = late || p < 1
		if b := on[i]; b.Capacity != nil {
			lambda, _ := in.queueRates(b)
			fmt.Fprintf(&sb, "; %s answers through an M/M/%d queue (λ = %.4g/s, μ = %.4g/s): P(response > t) = (1 − C)·e^(−μt) + C·(θ·e^(−μt) − μ·e^(−θt))/(θ − μ), θ = cμ − λ, C Erlang C",
				b.Name, b.Capacity.Workers, lambda, float64(Second)/b.Capacity.Service.A)
		}
	}
	if late {
		qs := make([]string, n)
		for i, p := range present {
			qs[i] = fmt.Sprintf("%s %.3g", on[i].Name, p)
		}
		fmt.Fprintf(&sb, "; each bidder's bid takes part with probability (1 − errors − no_bid)·P(response ≤ tmax) (%s), independently: E[revenue] = Σ_k P(k take part)·R_k(r)", strings.Join(qs, ", "))
	}
	return sb.String()
}
