package sim

// ValueDist is the value distribution of the bidder named name, in CPM,
// as the scenario set it (values cannot change while a world runs); false
// when the snapshot has no such bidder or no scenario behind it.
func (s *Snapshot) ValueDist(name string) (Dist, bool) {
	for _, b := range s.theory.Bidders {
		if b.Name == name {
			return b.Value, true
		}
	}
	return Dist{}, false
}
