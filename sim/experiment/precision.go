package experiment

import "context"

// FreshSeed is the base seed of the fresh replications that report an
// experiment whose size a rule decided from its own results (compare
// --precision, split's verdict): replication i runs with
// Seed(FreshSeed(base), i), unrelated to the seeds the rule saw.
func FreshSeed(base uint64) uint64 { return Seed(base, 1<<30) }

// UntilFresh decides how many replications to run as Until does, then
// runs that many again with fresh seeds (FreshSeed) and returns those,
// and how many the rule ran (decided). Stopping when the estimated
// half-width is small favours runs whose spread happens to be
// underestimated, so the rule's own interval covers less than its 95%;
// fresh replications of a size fixed beforehand give an honest one. When
// ctx is done it returns what completed: the fresh replications so far,
// or, before any, the rule's, with decided 0 (they are not fresh).
func (e *Experiment) UntilFresh(ctx context.Context, first, maxReps int, enough func(*Agg) bool) (agg *Agg, decided int, err error) {
	rule, err := e.Until(ctx, first, maxReps, enough)
	if err != nil {
		return rule, 0, err
	}
	decided = rule.Reps()
	fresh := *e
	fresh.Seed = FreshSeed(e.Seed)
	agg, err = fresh.Replicate(ctx, decided)
	if err != nil && agg.Reps() == 0 {
		return rule, 0, err
	}
	return agg, decided, err
}
