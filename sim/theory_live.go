package sim

import "math"

// Theory is the closed form for the world as the snapshot shows it (the
// scenario's values with the live settings and changes so far), or why
// there is none. It is computed on each call, so that a snapshot holds no
// NaN and compares and encodes as plain data.
func (s *Snapshot) Theory() Theory {
	in, why := s.theoryInput()
	if why != "" {
		return noTheory(why)
	}
	return in.Theory()
}

// theoryInput is the scenario's theory input updated to the world as the
// snapshot shows it, on a copy of its bidders so that the snapshot's own
// stay as they are, or why there is none.
func (s *Snapshot) theoryInput() (TheoryInput, string) {
	if s.theory.Bidders == nil {
		return TheoryInput{}, "no scenario behind this snapshot"
	}
	in := s.theory
	in.Bidders = append([]TheoryBidder(nil), s.theory.Bidders...)
	if err := in.Update(s); err != nil {
		return TheoryInput{}, err.Error()
	}
	return in, ""
}

// BidderTheory is each enabled bidder's win rate, payment and surplus per
// auction for the world as the snapshot shows it (see
// TheoryInput.BidderTheory), or why there is none. The integrals are kept
// by the bids' laws and the auction's rules, shared with the engine and
// its other snapshots: a view may ask every frame, and integrates once
// per world and change.
func (s *Snapshot) BidderTheory() ([]BidderTheory, string) {
	in, why := s.theoryInput()
	if why != "" {
		return nil, why
	}
	return in.BidderTheory()
}

// BidderPerAuction is the simulated side of BidderTheory for the bidder
// named name: its wins, spend and surplus (value less spend) per closed
// auction, CPM, over the whole run, or with sinceChange over the
// auctions since the last live change (SinceChange). NaN before an
// auction closes; ok false when the snapshot has no such bidder.
func (s *Snapshot) BidderPerAuction(name string, sinceChange bool) (win, pay, surplus float64, ok bool) {
	for i := range s.Bidders {
		b := &s.Bidders[i]
		if b.Name != name {
			continue
		}
		if sinceChange {
			if i >= len(s.SinceChange.Bidders) {
				return math.NaN(), math.NaN(), math.NaN(), true
			}
			p, n := s.SinceChange.Bidders[i], s.SinceChange.Auctions
			return ratio(p.Wins, n), meanCPM(p.Spend, n), meanCPM(p.Value-p.Spend, n), true
		}
		n := s.Exchange.Auctions
		return ratio(b.Wins, n), meanCPM(b.Spend, n), meanCPM(b.Surplus(), n), true
	}
	return math.NaN(), math.NaN(), math.NaN(), false
}
