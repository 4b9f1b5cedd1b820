package sim

import (
	"bytes"
	"math"
	"testing"

	"pgregory.net/rapid"
)

// TestBudgetCutWithdrawsInFlight cuts a budget to what was spent while
// about qps × tmax bids are in flight: none of them may be charged, as
// the close withdraws every bid its bidder can no longer pay.
func TestBudgetCutWithdrawsInFlight(t *testing.T) {
	cfg := benchConfig()
	for i := range cfg.Bidders {
		cfg.Bidders[i].Budget = &Budget{Total: MoneyOf(1000)}
	}
	e := mustNew(t, cfg)
	e.RunUntil(2 * Second)
	b := &e.bidders[0]
	spent, inFlight := b.stats.Spend, b.reserved
	if inFlight == 0 || b.stats.Spend == 0 {
		t.Fatalf("dsp0 should have spent and have bids in flight: spent %v, reserved %v", spent, inFlight)
	}
	withdrawn := b.noBids[NoBudget]
	if err := e.Apply(SetBudget{Bidder: b.name, Total: spent}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(3 * Second)
	if b.stats.Spend != spent {
		t.Errorf("dsp0 spent %v after its budget was cut to %v", b.stats.Spend, spent)
	}
	if b.noBids[NoBudget] == withdrawn || b.reserved != 0 {
		t.Errorf("no bid in flight withdrawn (no-budget %d → %d), %v still reserved", withdrawn, b.noBids[NoBudget], b.reserved)
	}
}

// TestRecheckNeeded runs random worlds with live changes, budget cuts
// below what is spent and reserved among them, twice: as the engine runs
// them, rechecking only the auctions fanned out before the last change,
// and rechecking every auction. Both must agree byte for byte: a bid
// becomes unaffordable only by a change made while it was in flight.
func TestRecheckNeeded(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := genPlanned(t)
		var steps []step
		for range rapid.IntRange(1, 5).Draw(t, "steps") {
			steps = append(steps, step{auctions: rapid.Uint64Range(0, 60).Draw(t, "auctions")})
		}
		e, all := mustNewRapid(t, cfg), mustNewRapid(t, cfg)
		all.changedAt = math.MaxUint64
		for _, s := range steps {
			e.RunAuctions(s.auctions)
			all.RunAuctions(s.auctions)
			var c Change
			if rapid.Bool().Draw(t, "cut") {
				// The bidder with the most in flight.
				b := &e.bidders[0]
				for i := range e.bidders {
					if e.bidders[i].reserved > b.reserved {
						b = &e.bidders[i]
					}
				}
				// Down to what is spent, or little more: most bids in
				// flight are then unaffordable.
				left := Money(rapid.Float64Range(0, 0.2).Draw(t, "share") * float64(b.reserved))
				c = SetBudget{Bidder: b.name, Total: max(b.stats.Spend+left, 1)} // raw: the least amount, as a total must be > 0
			} else {
				c = genChange(t, e, &cfg)
			}
			errE, errAll := e.Apply(c), all.Apply(c)
			if (errE == nil) != (errAll == nil) {
				t.Fatalf("change %v: %v, and %v rechecking all", c, errE, errAll)
			}
			all.changedAt = math.MaxUint64
		}
		e.RunAuctions(300)
		all.RunAuctions(300)
		if !bytes.Equal(marshal(t, e.Snapshot()), marshal(t, all.Snapshot())) {
			t.Fatal("rechecking only after changes differs from rechecking every auction")
		}
	})
}
