package sim

import "math/rand/v2"

// The learning bidder (strategy kind Learn) is an ε-greedy bandit over a
// grid of shade factors, the kind of learner AuctionGym studies (Jeunen,
// Murphy & Allison, "Learning to bid with AuctionGym", AdKDD 2022):
// bidders that learn to shade in first price from their own outcomes.
//
// Each bid is factor × value, the factor one of the arms k/K, k = 1 … K.
// With probability ε the arm is drawn uniformly (exploration), otherwise
// it is the arm with the highest mean surplus so far (exploitation; arms
// never tried come first, in order). When the auction closes the arm's
// mean is updated with the surplus the bid earned: value − price if it
// won, 0 if not. That is all the bidder sees: its value, whether it won
// and the price it paid. It never sees the other bids, the number of
// rivals, their values or the price it would have paid had it bid
// otherwise, so it learns only about the arm it played.
//
// Its draws come from a stream of its own ("bidder/NAME/learn"), so a
// learning bidder leaves every other draw, its own values included, as it
// was: common random numbers against any other strategy.

const (
	// DefaultLearnArms is a learning bidder's grid when Strategy.Arms is
	// 0: factors 0.05, 0.10 … 1.
	DefaultLearnArms = 20
	// DefaultLearnEpsilon is its exploration rate when Strategy.Epsilon
	// is 0.
	DefaultLearnEpsilon = 0.1
)

// learnArms is the grid's size, the default for 0.
func (s Strategy) learnArms() int {
	if s.Arms <= 0 {
		return DefaultLearnArms
	}
	return s.Arms
}

// learnEpsilon is the exploration rate, the default for 0.
func (s Strategy) learnEpsilon() float64 {
	if s.Epsilon <= 0 {
		return DefaultLearnEpsilon
	}
	return s.Epsilon
}

// LearnStats is where a learning bidder stands.
type LearnStats struct {
	// Factor is the shade factor it would bid now if it did not explore:
	// the arm with the highest mean surplus so far.
	Factor float64
	// Updates counts the outcomes it has learned from: its bids in
	// auctions that closed since it began to learn.
	Updates uint64
}

// learner is a learning bidder's state. Its slices are sized once per
// strategy change, so that bidding and learning allocate nothing.
type learner struct {
	eps   float64
	n     []uint64  // plays per arm
	mean  []float64 // mean surplus per arm, CPM
	best  int       // the arm with the highest mean, or the first untried
	tried int       // arms played at least once
	next  int       // no arm below it is untried
	total uint64
	// since is when it began learning: its means average every outcome
	// since (Engine.Memory).
	since Time
}

// reset starts learning afresh for strategy s.
func (l *learner) reset(s Strategy) {
	k := s.learnArms()
	if cap(l.n) >= k {
		l.n, l.mean = l.n[:k], l.mean[:k]
		for i := range l.n {
			l.n[i], l.mean[i] = 0, 0
		}
	} else {
		l.n, l.mean = make([]uint64, k), make([]float64, k)
	}
	l.eps, l.best, l.tried, l.next, l.total = s.learnEpsilon(), 0, 0, 0, 0
}

// factor is arm i's shade factor.
func (l *learner) factor(i int) float64 { return float64(i+1) / float64(len(l.n)) }

// choose picks the arm for the next bid.
func (l *learner) choose(r *rand.Rand) int {
	// Both draws every time, so that the stream advances alike whatever
	// the learner knows.
	u, a := r.Float64(), r.IntN(len(l.n))
	if u < l.eps {
		return a
	}
	if l.tried < len(l.n) {
		for l.n[l.next] > 0 {
			l.next++ // tried is below len, so an untried arm is ahead
		}
		return l.next // try every arm once, in order
	}
	return l.best
}

// update learns arm i's outcome: surplus (CPM) is value − price if the
// bid won, else 0.
func (l *learner) update(i int, surplus float64) {
	if i < 0 || i >= len(l.n) {
		return // an arm of a grid since replaced
	}
	if l.n[i] == 0 {
		l.tried++
	}
	l.n[i]++
	l.total++
	l.mean[i] += (surplus - l.mean[i]) / float64(l.n[i])
	if i == l.best || l.mean[i] > l.mean[l.best] {
		best := 0
		for j := range l.n {
			if l.n[j] > 0 && (l.n[best] == 0 || l.mean[j] > l.mean[best]) {
				best = j
			}
		}
		l.best = best
	}
}

// stats is where the learner stands.
func (l *learner) stats() *LearnStats {
	return &LearnStats{Factor: l.factor(l.best), Updates: l.total}
}

// learnedFactor is the factor a learning bidder stands at (0 for other
// strategies).
func (b *bidder) learnedFactor() float64 {
	if b.strategy.Kind != Learn || len(b.learn.n) == 0 {
		return 0
	}
	return b.learn.factor(b.learn.best)
}

// refreshLearners notes whether some bidder learns, so that auctions
// without learners skip the learning pass.
func (e *Engine) refreshLearners() {
	e.learners = false
	for i := range e.bidders {
		e.learners = e.learners || e.bidders[i].strategy.Kind == Learn
	}
}
