package sim

// liveTheory is the closed form for the world as s shows it: the
// scenario's values with the live settings and changes of s.
func (e *Engine) liveTheory(s *Snapshot) Theory {
	in := e.theory
	in.Bidders = append([]TheoryBidder(nil), e.theory.Bidders...)
	if err := in.Update(s); err != nil {
		return noTheory(err.Error())
	}
	return in.Theory()
}
