// Package seat is a turn-based auction table where people bid: one auction
// at a time under a scenario's exchange rules, some bidders played by
// people (seats) and the rest simulated by their scenario strategy.
//
// Each round every bidder's private value is drawn from its own seeded
// stream, so a table is deterministic per seed whatever the people bid.
// Simulated bidders answer as they do in the engine: errors and no-bids
// with their shares, a bid by their strategy, late when their latency (plus
// service time, if they have a capacity) passes tmax. Budgets and pacing
// are left out: a table has no horizon to pace over. Ranks and prices are
// the engine's own (sim.RankBids, sim.ClearPrice); ties are broken
// uniformly at random.
//
// For each seat a round also reports the counterfactual of bidding its
// value on the very same round (same values, same other bids, same
// tie-breaks), and a table keeps running totals of both, so that the
// advantage of truthful bidding in a second-price auction shows in a
// student's own numbers.
package seat

import (
	"fmt"
	"math/rand/v2"

	"github.com/auctionsim/auctionsim/sim"
)

// Table is a turn-based auction table. It is not safe for concurrent use.
type Table struct {
	auction   sim.AuctionType
	tmax      sim.Time
	floor     sim.Price
	increment sim.Price
	// slots are the ad positions' click-through weights with several
	// slots (GSP, VCG); nil: one item.
	slots []float64

	bidders []player
	seats   []int // bidder index of each seat, in seat order
	tie     *rand.Rand
	round   uint64
	totals  []Totals
}

// player is one bidder at the table, simulated or seated.
type player struct {
	cfg     sim.BidderConfig
	seated  bool
	enabled bool
	// Streams, one per purpose, named as the engine names a bidder's.
	rValue, rDecide, rNet, rService *rand.Rand
}

// New seats people at the bidders of cfg whose indices are in seats (each
// at most once); the other enabled bidders are simulated. A seated bidder
// takes part even if the scenario disables it.
func New(cfg sim.Config, seats []int) (*Table, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("seat: invalid config: %w", err)
	}
	t := &Table{
		auction:   cfg.Exchange.Auction,
		tmax:      cfg.Exchange.Tmax,
		floor:     cfg.Exchange.Floor,
		increment: cfg.Exchange.Increment,
		bidders:   make([]player, len(cfg.Bidders)),
		seats:     append([]int(nil), seats...),
		tie:       sim.NewStream(cfg.Seed, "table/ties"),
		totals:    make([]Totals, len(seats)),
	}
	if len(cfg.Exchange.Slots) > 1 {
		t.slots = append([]float64(nil), cfg.Exchange.Slots...)
	}
	for i, b := range cfg.Bidders {
		key := "bidder/" + b.Name + "/"
		t.bidders[i] = player{
			cfg:      b,
			enabled:  !b.Disabled,
			rValue:   sim.NewStream(cfg.Seed, key+"value"),
			rDecide:  sim.NewStream(cfg.Seed, key+"decide"),
			rNet:     sim.NewStream(cfg.Seed, key+"network"),
			rService: sim.NewStream(cfg.Seed, key+"service"),
		}
	}
	for s, i := range seats {
		if i < 0 || i >= len(t.bidders) {
			return nil, fmt.Errorf("seat %d: no bidder %d (the scenario has %d)", s, i, len(t.bidders))
		}
		if t.bidders[i].seated {
			return nil, fmt.Errorf("seat %d: bidder %q is seated twice", s, t.bidders[i].cfg.Name)
		}
		t.bidders[i].seated, t.bidders[i].enabled = true, true
		t.totals[s] = Totals{Name: t.bidders[i].cfg.Name}
	}
	for _, p := range t.bidders {
		if !p.seated && p.cfg.Strategy.Kind == sim.Learn {
			// A table plays a few rounds: too few to learn from, and a
			// robot that learns would have to bid something it has not
			// learned. Refused rather than bidding a made-up factor.
			return nil, fmt.Errorf("bidder %q: strategy learn needs the engine's many auctions to learn from; at a table give it another strategy (truthful, shade, fixed or equilibrium)", p.cfg.Name)
		}
	}
	return t, nil
}

// Find returns the index of the bidder called name in cfg, or an error
// that suggests the closest name.
func Find(cfg sim.Config, name string) (int, error) {
	names := make([]string, len(cfg.Bidders))
	for i, b := range cfg.Bidders {
		if b.Name == name {
			return i, nil
		}
		names[i] = b.Name
	}
	return -1, sim.NoBidder(name, names)
}

// Auction is the table's pricing rule.
func (t *Table) Auction() sim.AuctionType { return t.auction }

// Tmax is the table's deadline, the scenario's tmax.
func (t *Table) Tmax() sim.Time { return t.tmax }

// Floor is the reserve price.
func (t *Table) Floor() sim.Price { return t.floor }

// Increment is the second-price increment.
func (t *Table) Increment() sim.Price { return t.increment }

// Slots are the ad positions' click-through weights, best first; nil for
// a single item.
func (t *Table) Slots() []float64 { return t.slots }

// Seats is the number of seats.
func (t *Table) Seats() int { return len(t.seats) }

// Bidders is the number of bidders at the table, seated or not.
func (t *Table) Bidders() int { return len(t.bidders) }

// Name is bidder i's name.
func (t *Table) Name(i int) string { return t.bidders[i].cfg.Name }

// SeatBidder is the bidder index of seat s.
func (t *Table) SeatBidder(s int) int { return t.seats[s] }

// Seated reports whether bidder i is played by a person.
func (t *Table) Seated(i int) bool { return t.bidders[i].seated }

// Totals returns seat s's running totals.
func (t *Table) Totals(s int) Totals { return t.totals[s] }

// Round is one auction dealt and waiting for the seats' bids.
type Round struct {
	Number uint64
	// Values are every bidder's private value this round (0 for a bidder
	// that does not take part). A seat may be shown only its own.
	Values []sim.Price
	// Responses are the simulated bidders' answers; a seat's is filled in
	// by Close.
	Responses []sim.Response
	tieKeys   []uint64
	auto      []sim.Response // what each seat's bidder would answer by its strategy
	enabled   int            // bidders taking part: the equilibrium bid depends on it
	closed    bool
}

// Value is seat s's private value this round.
func (r *Round) Value(t *Table, s int) sim.Price { return r.Values[t.seats[s]] }

// Deal draws the next round: every bidder's value and the simulated
// bidders' answers. Every bidder's streams advance the same way whatever
// happened before, so round k's values depend only on the seed and k.
func (t *Table) Deal() *Round {
	t.round++
	n := len(t.bidders)
	r := &Round{
		Number:    t.round,
		Values:    make([]sim.Price, n),
		Responses: make([]sim.Response, n),
		tieKeys:   make([]uint64, n),
		auto:      make([]sim.Response, n),
	}
	enabled := 0 // the equilibrium bid depends on how many take part
	for i := range t.bidders {
		if t.bidders[i].enabled {
			enabled++
		}
	}
	r.enabled = enabled
	for i := range t.bidders {
		p := &t.bidders[i]
		r.tieKeys[i] = t.tie.Uint64()
		// Draw from every stream every round, used or not, so that one
		// bidder's answer never shifts another round's draws.
		value := sim.PriceOf(p.cfg.Value.Sample(p.rValue))
		u := p.rDecide.Float64()
		lat := sim.SampledTime(p.cfg.Latency.Sample(p.rNet))
		var service sim.Time
		if p.cfg.Capacity != nil {
			service = sim.SampledTime(p.cfg.Capacity.Service.Sample(p.rService))
		}
		if !p.enabled {
			continue
		}
		r.Values[i] = value
		resp := &r.Responses[i]
		if p.seated {
			resp = &r.auto[i]
		}
		// The shares in the engine's order: errors, hangs, no-bids.
		switch {
		case u < p.cfg.Errors:
			resp.Status, resp.Time = sim.Error, lat
			continue
		case u < p.cfg.Errors+p.cfg.Hangs:
			resp.Status = sim.Hang
			continue
		case u < p.cfg.Errors+p.cfg.Hangs+p.cfg.NoBid:
			resp.Status, resp.Time = sim.NoBid, lat+service
			continue
		}
		resp.Time = lat + service
		resp.Value = value
		resp.Bid = sim.AuctionBid(p.cfg.Strategy, value, p.cfg.Value, enabled, t.floor, t.auction)
		resp.Status = t.status(resp.Bid, resp.Time > t.tmax)
	}
	return r
}

func (t *Table) status(bid sim.Price, late bool) sim.Status {
	switch {
	case late:
		return sim.Late
	case bid < t.floor:
		return sim.BelowFloor
	}
	return sim.OnTime
}

// Bid is one seat's answer to a round.
type Bid struct {
	Amount sim.Price
	// Late: the bid came after the deadline (or never came) and is lost,
	// as a late S2S bid is.
	Late bool
	// None: with Late, no bid came at all (the student never sent one):
	// a no-bid, which Totals count apart from late bids.
	None bool
	// Typed: with Late, the text left in the bid field when the deadline
	// passed (play's countdown): a bid typed but never sent, late as the
	// README has it. Amount is what it reads as, unless Unread.
	Typed string
	// Unread: Typed did not read as a bid, so there is no amount (Amount
	// is 0 and means nothing).
	Unread bool
	// Pass: the seat declined to bid. A pass is never late, even one
	// that reaches the table after the deadline.
	Pass bool
	// Auto: nobody sits in the seat this round; its bidder answers by its
	// scenario strategy, errors and latency, as a simulated bidder does.
	Auto bool
}

// Result is one closed round.
type Result struct {
	Number    uint64
	Winner    int // bidder index, -1 if unsold
	Price     sim.Price
	Reason    sim.PriceReason
	Floor     sim.Price // the reserve the round ran with
	Increment sim.Price // the second-price increment it ran with
	Values    []sim.Price
	Responses []sim.Response // every bidder's answer, with ranks
	Seats     []Outcome      // one per seat, in seat order
	// Slots are the slots sold with several slots, best first (Winner
	// and Price are slot 1's); nil for a single item. VCG: they were
	// priced by VCG, not GSP.
	Slots []sim.SlotWin
	VCG   bool
	// FirstPrice: the round was a first-price auction, where each seat's
	// Outcome carries its equilibrium bid.
	FirstPrice bool
}

// Outcome is what one seat got from a round, and what it would have got
// by bidding its value.
type Outcome struct {
	Bidder   int
	Name     string
	Value    sim.Price
	Bid      Bid
	Status   sim.Status
	Result   Standing
	Truthful Standing // had the seat bid its value, on time, this very round
	// Equilibrium is had the seat bid the symmetric equilibrium β(value)
	// on time, this very round: in first price the benchmark (bidding
	// one's value there always earns 0); in second price = Truthful.
	Equilibrium Standing
	// EquilibriumBid is the bid β(value) Equilibrium stands for, in first
	// price only (0 otherwise): shown beside it, so that a student learns
	// how much to shade, not only that shading pays.
	EquilibriumBid sim.Price
}

// Standing is one seat's place in a round's auction.
type Standing struct {
	Rank    int // 1 = highest eligible on-time bid; 0 = not ranked
	Won     bool
	Price   sim.Price       // paid, if won (per impression with several slots)
	Reason  sim.PriceReason // what set the auction's price (the seat's slot's)
	Surplus sim.Price       // value − price if won (negative when overpaying), else 0
	// Slot is the position won with several slots (1 the best), 0 none;
	// Weight its click-through weight and Click its price per click. The
	// value of the impression is then Weight × the value per click.
	Slot   int
	Weight float64
	Click  sim.Price
}

// Close settles round r with the seats' bids, in seat order, updates the
// running totals and returns the result. Each round is closed once.
func (t *Table) Close(r *Round, bids []Bid) (*Result, error) {
	if len(bids) != len(t.seats) {
		return nil, fmt.Errorf("round %d: %d bids for %d seats", r.Number, len(bids), len(t.seats))
	}
	if r.closed || r.Number != t.round {
		return nil, fmt.Errorf("round %d is not the open round (%d)", r.Number, t.round)
	}
	resp := append([]sim.Response(nil), r.Responses...)
	for s, b := range bids {
		if b.Amount < 0 {
			return nil, fmt.Errorf("seat %d: negative bid %v", s, b.Amount)
		}
		i := t.seats[s]
		if b.Auto {
			resp[i] = r.auto[i]
			continue
		}
		resp[i] = t.seatResponse(r.Values[i], b)
	}
	win, price, reason, slots := t.clear(resp, r.tieKeys)
	res := &Result{
		Number: r.Number, Winner: win, Price: price, Reason: reason, Floor: t.floor, Increment: t.increment,
		Values: r.Values, Responses: resp, Seats: make([]Outcome, len(t.seats)), Slots: slots,
		VCG: slots != nil && t.auction == sim.VCG, FirstPrice: t.auction == sim.FirstPrice,
	}
	for s, i := range t.seats {
		o := Outcome{
			Bidder: i, Name: t.bidders[i].cfg.Name, Value: r.Values[i], Bid: bids[s],
			Status: resp[i].Status,
		}
		o.Result = standing(resp, i, win, price, reason, slots)
		alt := append([]sim.Response(nil), resp...)
		alt[i] = t.seatResponse(r.Values[i], Bid{Amount: r.Values[i]})
		w, p, why, sl := t.clear(alt, r.tieKeys)
		o.Truthful = standing(alt, i, w, p, why, sl)
		o.Equilibrium = o.Truthful
		if t.auction == sim.FirstPrice {
			eq := sim.AuctionBid(sim.Strategy{Kind: sim.Equilibrium}, r.Values[i], t.bidders[i].cfg.Value, r.enabled, t.floor, t.auction)
			alt[i] = t.seatResponse(r.Values[i], Bid{Amount: eq})
			w, p, why, sl := t.clear(alt, r.tieKeys)
			o.Equilibrium = standing(alt, i, w, p, why, sl)
			o.EquilibriumBid = eq
		}
		res.Seats[s] = o
		t.totals[s].Add(o)
	}
	r.closed = true
	return res, nil
}

func (t *Table) seatResponse(value sim.Price, b Bid) sim.Response {
	switch {
	case b.Pass: // before Late: a pass is a pass whenever it came
		return sim.Response{Status: sim.NoBid}
	case b.Late:
		return sim.Response{Status: sim.Late, Value: value, Bid: b.Amount, Time: t.tmax + 1}
	}
	return sim.Response{Status: t.status(b.Amount, false), Value: value, Bid: b.Amount}
}

func standing(resp []sim.Response, i, win int, price sim.Price, reason sim.PriceReason, slots []sim.SlotWin) Standing {
	st := Standing{Rank: int(resp[i].Rank), Reason: reason}
	if slots != nil {
		for j, sl := range slots {
			if sl.Bidder == i {
				st.Won, st.Slot, st.Weight, st.Click, st.Price, st.Reason = true, j+1, sl.Weight, sl.Click, sl.Impression, sl.Reason
				st.Surplus = sl.Surplus(resp[i].Value)
			}
		}
		return st
	}
	if win == i {
		st.Won, st.Price = true, price
		st.Surplus = resp[i].Value - price
	}
	return st
}

// clear ranks the on-time bids in resp by the engine's rule, ties by the
// round's tie keys (a uniformly random order, the same for the round's
// counterfactuals), sets each response's Rank, and prices the auction by
// the engine's rule.
// With several slots the first k ranked win slots 1 … k, priced by
// sim.ClearSlots; robots bidding the GSP equilibrium bid theirs
// (sim.GSPEquilibriumBids) from the ranked bids, as in the engine.
func (t *Table) clear(resp []sim.Response, tieKeys []uint64) (win int, price sim.Price, reason sim.PriceReason, slots []sim.SlotWin) {
	order := sim.RankBids(resp, func(i, j int) bool { return tieKeys[i] > tieKeys[j] })
	if t.slots != nil {
		return t.clearSlots(resp, order)
	}
	if len(order) == 0 {
		p, why := sim.ClearPrice(t.auction, t.floor, t.increment, 0, 0, 0)
		return -1, p, why, nil
	}
	best := resp[order[0]].Bid
	var second sim.Price
	if len(order) > 1 {
		second = resp[order[1]].Bid
	}
	price, reason = sim.ClearPrice(t.auction, t.floor, t.increment, best, second, len(order))
	return order[0], price, reason, nil
}

// clearSlots is clear with several slots, the on-time bids ranked in
// order.
func (t *Table) clearSlots(resp []sim.Response, order []int) (int, sim.Price, sim.PriceReason, []sim.SlotWin) {
	bids := make([]sim.Price, len(order))
	for k, i := range order {
		bids[k] = resp[i].Bid
	}
	if t.auction == sim.GSP {
		values, eq := make([]float64, len(order)), make([]float64, len(order))
		for k := range order {
			values[k] = bids[k].CPM()
		}
		sim.GSPEquilibriumBids(t.slots, values, t.floor.CPM(), eq)
		for k, i := range order {
			if p := t.bidders[i]; !p.seated && p.cfg.Strategy.Kind == sim.Equilibrium {
				bids[k] = min(bids[k], sim.PriceOf(eq[k]))
				resp[i].Bid = bids[k]
			}
		}
	}
	slots := sim.ClearSlots(t.auction, t.floor, t.increment, t.slots, bids, order)
	if len(slots) == 0 {
		return -1, 0, sim.NoSale, []sim.SlotWin{}
	}
	return slots[0].Bidder, slots[0].Impression, slots[0].Reason, slots
}

// Totals are one seat's running totals, beside what bidding its value
// would have earned on the very same rounds.
type Totals struct {
	Name    string
	Rounds  uint64
	Wins    uint64
	Spend   sim.Price // Σ prices paid, CPM
	Surplus sim.Price // Σ (value − price) over wins, CPM
	// Late counts rounds whose bid came (or, in play, was typed) too
	// late; NoBids those where none came before the deadline; Passes
	// those the seat passed. Each round counts in one at most.
	Late     uint64
	NoBids   uint64
	Passes   uint64
	Truthful struct {
		Wins    uint64
		Spend   sim.Price
		Surplus sim.Price
	}
	// Equilibrium is the same for the symmetric equilibrium bid: in
	// first price what the leaderboard sets beside the surplus.
	Equilibrium struct {
		Wins    uint64
		Spend   sim.Price
		Surplus sim.Price
	}
}

// Add counts one more round's outcome.
func (tt *Totals) Add(o Outcome) {
	tt.Rounds++
	switch {
	case o.Bid.Pass:
		tt.Passes++
	case o.Bid.None:
		tt.NoBids++
	case o.Status == sim.Late:
		tt.Late++
	}
	if o.Result.Won {
		tt.Wins++
		tt.Spend += o.Result.Price
		tt.Surplus += o.Result.Surplus
	}
	if o.Truthful.Won {
		tt.Truthful.Wins++
		tt.Truthful.Spend += o.Truthful.Price
		tt.Truthful.Surplus += o.Truthful.Surplus
	}
	if o.Equilibrium.Won {
		tt.Equilibrium.Wins++
		tt.Equilibrium.Spend += o.Equilibrium.Price
		tt.Equilibrium.Surplus += o.Equilibrium.Surplus
	}
}
