package sim

// Theory is the closed form for the world as the snapshot shows it (the
// scenario's values with the live settings and changes so far), or why
// there is none. It is computed on each call, so that a snapshot holds no
// NaN and compares and encodes as plain data.
func (s *Snapshot) Theory() Theory {
	if s.theory.Bidders == nil {
		return noTheory("no scenario behind this snapshot")
	}
	in := s.theory
	in.Bidders = append([]TheoryBidder(nil), s.theory.Bidders...)
	if err := in.Update(s); err != nil {
		return noTheory(err.Error())
	}
	return in.Theory()
}
