package sim

import (
	"math"
	"strings"

	"github.com/auctionsim/auctionsim/sim/stats"
)

// Metric is one number of a run read from its snapshot, by its flat name
// (see Catalogue). A cumulative one (revenue, a bidder's spend, a group's
// incremental value) adds up over the run, so that what an interval
// contributed is its change over the interval: those are what a Fork
// compares, handing Of a counters-only snapshot (Counters), whose
// latencies, series and recent auctions are empty.
type Metric struct {
	Name string // flat name, such as "groups.acme.incremental_value"
	Of   func(*Snapshot) float64
	// Cumulative: a count or an amount that adds up over the run, whose
	// change over an interval is what the interval contributed; a fork
	// compares only these (see the catalogue, Catalogue).
	Cumulative bool
	// Money, when set, reads the same amount exactly, as integer money: a
	// fork takes its differences in Money and converts once.
	Money func(*Snapshot) Money
}

// Counters is a cheap snapshot for comparisons taken every interval: the
// exchange's and the bidders' counters (every cumulative metric of the
// catalogue but a holdout's and the tmax curve's), with people their
// frequency and conversions without the ads, budgets and groups as
// Snapshot has them, without latency summaries, series, recent auctions or change
// log, whose copies cost far more (TestCounters checks every metric reads
// the same from both).
func (e *Engine) Counters() *Snapshot {
	s := &Snapshot{Name: e.name, Seed: e.seed, Now: e.now, Events: e.events, Exchange: e.x,
		Bidders: make([]BidderStats, len(e.bidders))}
	for i := range e.bidders {
		st := e.bidders[i].counters()
		e.bidders[i].peopleFigures(&st, e.now)
		s.Bidders[i] = st
		s.Exchange.add(&st)
	}
	e.scaleUp(s)
	s.Groups = groupStats(s.Bidders)
	return s
}

// ForkMetrics are the metrics a fork compares by default: the exchange's
// revenue, every group's spend, conversions, attributed and incremental
// value, and every bidder's spend, wins, conversions, attributed and
// incremental value, each figure of conversions both as matured so far
// and eventual (eventual.*, the conversions still pending counted: what
// the impressions bought will earn). A Fork adds ROAS both ways, and
// both ways again on the eventual values, from these (Fork.Differences).
//
// The eventual figures are what a planner reads a fork's B − A on: the
// matured ones lag the impressions by the conversions' delay, so that a
// change that buys conversions later (or more of them) reads low on them
// until those have matured. An eventual figure counts a conversion at
// its click, in the interval that bought it.
func ForkMetrics(s *Snapshot) []Metric {
	names := []string{"exchange.revenue"}
	for _, g := range s.Groups {
		for _, m := range forkGroupFields {
			names = append(names, "groups."+g.Name+"."+m)
		}
	}
	for _, b := range s.Bidders {
		for _, m := range forkBidderFields {
			names = append(names, "bidders."+b.Name+"."+m)
		}
	}
	out := make([]Metric, len(names))
	for i, n := range names {
		out[i], _ = MetricNamed(n) // built from known parts
	}
	return out
}

// forkGroupFields and forkBidderFields are the metrics ForkMetrics
// compares of each group and each bidder.
var (
	forkGroupFields = []string{"spend", "conversions", "attributed_value", "incremental_value",
		"eventual.conversions", "eventual.attributed_value", "eventual.incremental_value"}
	forkBidderFields = []string{"spend", "wins", "conversions", "attributed_value", "incremental_value",
		"eventual.conversions", "eventual.attributed_value", "eventual.incremental_value"}
)

// forkRatios are the ratios Fork.Differences adds for every group and
// bidder whose spend is compared: ROAS both ways, matured and eventual.
var forkRatios = []string{"attributed_roas", "incremental_roas", "eventual.attributed_roas", "eventual.incremental_roas"}

// maxBatches is how many batches the paired intervals are grouped into
// at most: 20 keep the t quantile near its limit, and Schmeiser (1982)
// finds 10 to 30 batches the best trade between the t quantile's width
// and the bias of batches too short.
const maxBatches = 20

// memoryUpdates is how many controller updates a pacing controller's
// memory spans (Engine.Memory). Batch means are honest only when the
// batches are long enough that their means are nearly independent (Law &
// Kelton, Simulation Modeling and Analysis, §9.5.3); a fork's difference
// is steered by pacing controllers that carry a deviation forward for
// many updates, catching up on a shortfall over hours. Measured on
// flight-week without its goal bidder (pacing every 10 minutes) in forks
// with no effect: an hour after the fork, 20 batches of 3 minutes covered
// 0 in 81% of them (TestForkCoverage); six hours after a fork at noon of
// its second day, batches of 6 updates covered 0 in 92.5%, batches of 12
// in 95%.
const memoryUpdates = 12

// delayQuantile is the share of a conversion delay without an attribution
// window that a goal bidder's memory counts (goalMemory): the delay has
// no end, and the last 1% of conversions move its controller too little
// to matter.
const delayQuantile = 0.99

// Memory is how long a random draw's effect lasts in the world's state,
// the longest of its bidders' (0 when none carries one forward). A Fork's
// batches are at least this long, so that its interval is honest (see
// Fork). Each lasts as long as the state it steers by averages over:
//
//   - A budget paced by throttle or multiplier: memoryUpdates pacing
//     intervals, over which its controller catches up on a deviation.
//   - A goal (target CPA or ROAS): the longest delay with which a
//     conversion feeds back into its controller, plus the controller's
//     own horizon (goalMemory). Conversions feed back into nothing else
//     (pacing reads the spend, a learner the surplus when the auction
//     closes); a metric's own delay shifts a difference in time without
//     tying intervals together.
//   - A frequency cap's window is not counted: it holds a person from
//     one bidder's bids, which hardly moves a difference's batches
//     (flight-week, with a cap of 3 a day, covers 0 in 98% of null forks
//     from 2 hours' batches: TestForkCoverage).
//   - Nor is a person's conversion_period, which holds back their
//     conversions for the period after one: conversion and value
//     intervals from batches of 1 to 2 hours cover 0 in about 97% of
//     null forks with periods of 6 hours, a day and the whole run
//     (TestForkCoveragePeriod).
//   - A learner: the time since it began learning. Its arms' means are
//     plain averages of every outcome since, so a draw's weight in one
//     halves only once the arm has been played as often again, and the
//     arm it bids by, the best mean, carries the draw as long. That grows
//     as fast as a fork runs, so a fork of a world with a learner never
//     has batches enough for an interval: its two learners need not come
//     back together, and replications (auctionsim compare --reps) are
//     what compares them honestly.
//
// The last two grow with the run, so a fork's batches do too (Fork.Batch
// follows them).
func (e *Engine) Memory() Time {
	var m Time
	for i := range e.bidders {
		b := &e.bidders[i]
		if b.budgeted && b.pacing != PacingNone {
			m = max(m, memoryUpdates*e.pacingInterval)
		}
		if b.goal != nil {
			m = max(m, b.goalMemory(e.pacingInterval))
		}
		if b.strategy.Kind == Learn && len(b.learn.n) > 0 {
			m = max(m, e.now-b.learn.since)
		}
	}
	return m
}

// MemoryWaits names the first goal bidder whose part of Memory is not
// known yet, "" when none: with people, its calibration's window is the
// time it takes to buy goalWindow expected conversions at its rate so
// far, and before its first impressions' conversions are due it has no
// rate. Until then Memory counts the goal's lag and controller alone, a
// floor: on flight-week, 26 hours at the start, which becomes more than
// 5 days within its first hours (TestMemoryWaits). A fork's first
// interval cannot be foretold from the floor, only ruled out by it.
func (e *Engine) MemoryWaits() string {
	for i := range e.bidders {
		if b := &e.bidders[i]; b.goal != nil && b.calibrates() && !(b.goal.lastExp > 0) {
			return b.name
		}
	}
	return ""
}

// calibrates reports whether b's goal calibrates its value on its
// people's conversions (goalState's κ), whose window Memory counts.
func (b *bidder) calibrates() bool { return b.freq != nil && b.freq.cv >= 0 }

// goalMemory is how long a draw's effect lasts in b's goal controller,
// stepping every dt: a conversion comes back up to the attribution
// window after its impression (the delay's delayQuantile without one),
// and the controller then steers on it for the longest of
//
//   - memoryUpdates steps, as a pacing controller;
//   - its cumulative ratio's horizon, dt·√(n/goalStep) after n steps
//     since the goal began: λ's logarithm integrates the gradient
//     (W − Z)/Z, and Z, the spend since the goal began, grows with n, so
//     one step's excess moves the gradient by 1/n of itself and is made
//     up in √(n/goalStep) steps (the linearised loop is an oscillator
//     with that time scale, taking the bids' elasticity of W − Z as
//     1): three and a half hours at noon of flight-week's second day,
//     twice that at the end of its week;
//   - with people, the calibration κ's window: the time the bidder takes
//     to buy goalWindow expected conversions, at its rate so far.
func (b *bidder) goalMemory(dt Time) Time {
	g := b.goal
	lag := Time(0)
	if g.g.Kind != DistNone {
		lag = g.window
		if lag <= 0 {
			lag = quantileTime(g.g, delayQuantile)
		}
	}
	steer := memoryUpdates * dt
	steer = max(steer, Time(float64(dt)*math.Sqrt(float64(g.steps)/goalStep)))
	if b.calibrates() && g.lastExp > 0 {
		// lastExp is the expected worth at the target of the impressions
		// whose conversions should have shown by now.
		rate := g.lastExp / g.unit / (float64(g.steps) * float64(dt))
		steer = max(steer, timeOf(goalWindow/rate))
	}
	return addTime(lag, steer)
}

// quantileTime is the time by which a share q of d's draws have come
// (d a delay, in Time), found by bisection on its CDF.
func quantileTime(d Dist, q float64) Time {
	hi := Time(Second)
	for d.CDF(float64(hi)) < q && hi < EndOfTime/2 {
		hi *= 2
	}
	lo := Time(0)
	for hi-lo > Millisecond {
		mid := lo + (hi-lo)/2
		if d.CDF(float64(mid)) < q {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// Paired compares two runs advanced in lock-step over the same virtual
// intervals, A the baseline and B the variant: for each metric it keeps
// the difference of what each interval contributed, B − A, and gives the
// mean difference per interval with a 95% interval from batch means
// (Student t). With common random numbers (B a Clone of A) the
// differences are far less noisy than either run.
type Paired struct {
	metrics        []Metric
	startA, startB []float64
	lastA, lastB   []float64
	// The same in Money for the metrics that have it (0 for the others).
	startAm, startBm, lastAm, lastBm []Money
	// Per metric, per interval: B − A, and each run's own contribution.
	diffs, as, bs [][]float64
	// differed: per metric, whether B − A has been other than 0 in an
	// interval (Difference.Identical).
	differed []bool
	// minBatch is the fewest intervals a batch holds (SetMinBatch).
	minBatch int
}

// SetMinBatch makes every batch at least n intervals long: the world's
// memory in intervals (Engine.Memory), so that the batches' means are
// nearly independent. Until there are intervals for two such batches the
// intervals are unknown (NaN) and the verdict "not distinguishable yet";
// with fewer than maxBatches, Student t has that many less one degrees of
// freedom, wider as it should be.
func (p *Paired) SetMinBatch(n int) { p.minBatch = max(n, 1) }

// NewPaired starts a comparison at snapshots a and b, taken at the same
// virtual instant.
func NewPaired(a, b *Snapshot, metrics ...Metric) *Paired {
	n := len(metrics)
	p := &Paired{metrics: metrics, diffs: make([][]float64, n), as: make([][]float64, n), bs: make([][]float64, n),
		differed: make([]bool, n)}
	p.lastA, p.lastB = p.read(a), p.read(b)
	p.startA, p.startB = p.lastA, p.lastB
	p.lastAm, p.lastBm = p.readMoney(a), p.readMoney(b)
	p.startAm, p.startBm = p.lastAm, p.lastBm
	return p
}

func (p *Paired) readMoney(s *Snapshot) []Money {
	out := make([]Money, len(p.metrics))
	for i, m := range p.metrics {
		if m.Money != nil {
			out[i] = m.Money(s)
		}
	}
	return out
}

func (p *Paired) read(s *Snapshot) []float64 {
	out := make([]float64, len(p.metrics))
	for i, m := range p.metrics {
		out[i] = m.Of(s)
	}
	return out
}

// Add ends an interval: a and b are the two runs' snapshots at its end,
// the same virtual instant. Intervals should be of equal length.
func (p *Paired) Add(a, b *Snapshot) {
	xa, xb := p.read(a), p.read(b)
	ma, mb := p.readMoney(a), p.readMoney(b)
	for i, m := range p.metrics {
		da, db := xa[i]-p.lastA[i], xb[i]-p.lastB[i]
		diff := db - da
		if m.Money != nil {
			dam, dbm := ma[i]-p.lastAm[i], mb[i]-p.lastBm[i]
			da, db, diff = dam.Float(), dbm.Float(), (dbm - dam).Float()
		}
		p.diffs[i] = append(p.diffs[i], diff)
		p.differed[i] = p.differed[i] || diff != 0
		p.as[i] = append(p.as[i], da)
		p.bs[i] = append(p.bs[i], db)
	}
	p.lastA, p.lastB = xa, xb
	p.lastAm, p.lastBm = ma, mb
}

// Intervals is how many intervals have been added.
func (p *Paired) Intervals() int {
	if len(p.diffs) == 0 {
		return 0
	}
	return len(p.diffs[0])
}

// Differences returns each metric's comparison so far, in the order the
// metrics were given.
func (p *Paired) Differences() []Difference {
	out := make([]Difference, len(p.metrics))
	for i, m := range p.metrics {
		d := Difference{Name: m.Name, BatchMean: batchMeans(p.diffs[i], p.minBatch),
			Baseline: batchMeans(p.as[i], p.minBatch), Variant: batchMeans(p.bs[i], p.minBatch),
			Identical: !p.differed[i]}
		d.A, d.B = p.lastA[i]-p.startA[i], p.lastB[i]-p.startB[i]
		d.Delta = d.B - d.A
		if m.Money != nil {
			am, bm := p.lastAm[i]-p.startAm[i], p.lastBm[i]-p.startBm[i]
			d.A, d.B, d.Delta = am.Float(), bm.Float(), (bm - am).Float()
		}
		out[i] = d
	}
	return out
}

// Difference is one metric's paired comparison: B − A per interval
// (the embedded BatchMean), beside each run's own mean per interval.
type Difference struct {
	Name string
	// A and B are what each run added since the comparison began (for a
	// Ratio, each run's ratio since then); Delta is B − A, taken in Money
	// for an amount of money.
	A, B, Delta float64
	// Ratio: a quotient of two cumulative metrics (a ROAS), whose
	// BatchMean is over the batches' own ratios, B's minus A's.
	Ratio bool
	// Identical: B − A has been exactly 0 in every interval so far (for
	// a Ratio, its numerator's and its denominator's), as before anything
	// differs or when a change does nothing. Its interval, once known, is
	// [0, 0] with an SD of 0: not a measured absence of noise but no
	// difference at all yet, which a display should say as such.
	Identical bool
	BatchMean
	// Baseline and Variant are A's and B's own means per interval, each
	// with the interval its noise alone would give: what the paired
	// difference improves on.
	Baseline, Variant BatchMean
}

// BatchMean is the mean per interval of a series of intervals with its 95%
// interval from batch means.
type BatchMean struct {
	// N intervals were grouped into Batches batches, every one of them
	// in a batch (batchBounds).
	N, Batches int
	// Mean is the mean per interval over all N intervals; SD the standard
	// deviation of the batch means; Lo and Hi the 95% interval of Mean
	// (Student t with Batches − 1 degrees of freedom). NaN with fewer
	// than 2 batches.
	Mean, SD, Lo, Hi float64
}

// Distinguishable reports whether the 95% interval excludes 0: B differs
// from A beyond what chance explains. As in compare and split, a
// zero-wide interval over fewer than stats.SignTestN batches decides
// nothing (stats.Stat.Degenerate).
func (d Difference) Distinguishable() bool { return d.stat().Excludes(0) }

// Verdict says it in words: "B higher", "B lower" or "not distinguishable
// yet" (also for a Degenerate interval, as Distinguishable).
func (d Difference) Verdict() string {
	switch st := d.stat(); {
	case st.Above(0):
		return "B higher"
	case st.Below(0):
		return "B lower"
	}
	return "not distinguishable yet"
}

// stat is the batch means' interval as a stats.Stat over its batches, so
// that the verdict follows stats' rules.
func (b BatchMean) stat() stats.Stat {
	return stats.Stat{Mean: b.Mean, SD: b.SD, N: b.Batches, Lo: b.Lo, Hi: b.Hi}
}

// Total is the difference since the comparison began, B − A, with the
// half-width of the mean's interval scaled to the N intervals counted.
// For a Ratio, the half-width is the batches' own.
func (d Difference) Total() Interval {
	half := (d.Hi - d.Lo) / 2
	if !d.Ratio {
		half *= float64(d.N)
	}
	return Interval{Mean: d.Delta, Lo: d.Delta - half, Hi: d.Delta + half}
}

// batchCount is how many batches n intervals make: at most maxBatches,
// each at least minBatch intervals long.
func batchCount(n, minBatch int) int {
	return n / max((n+maxBatches-1)/maxBatches, minBatch, 1)
}

// batchBounds is where batch k of nb over n intervals starts and ends:
// every interval is in a batch, and the batches' lengths differ by at most
// one (each at least minBatch, as batchCount has nb ≤ n/minBatch). So the
// interval is from the same intervals as the difference it is about: with
// whole batches only, the intervals after the last one counted in the
// difference since the fork but not in its interval, which then read
// "+1.000 ± 0" where the batches were all alike but the difference was
// made since the last of them.
func batchBounds(k, nb, n int) (from, to int) { return k * n / nb, (k + 1) * n / nb }

// batchSum is the sum of xs over batch k of nb (batchBounds).
func batchSum(xs []float64, k, nb int) float64 {
	from, to := batchBounds(k, nb, len(xs))
	s := 0.0
	for _, x := range xs[from:to] {
		s += x
	}
	return s
}

// batchMeans groups xs into at most maxBatches batches (batchBounds), each
// at least minBatch long, and returns the interval of their mean: the
// mean over every interval, ± Student t's half-width over the batches'
// means.
func batchMeans(xs []float64, minBatch int) BatchMean {
	nan := math.NaN()
	n := len(xs)
	d := BatchMean{N: n, Mean: nan, SD: nan, Lo: nan, Hi: nan}
	if n < 2 {
		return d
	}
	nb := batchCount(n, minBatch)
	d.Batches = nb
	if nb < 2 {
		return d
	}
	var acc stats.Acc
	total := 0.0
	for k := range nb {
		from, to := batchBounds(k, nb, n)
		sum := batchSum(xs, k, nb)
		total += sum
		acc.Add(sum / float64(to-from))
	}
	st := acc.Stat()
	half := st.HalfWidth()
	d.Mean, d.SD = total/float64(n), st.SD
	d.Lo, d.Hi = d.Mean-half, d.Mean+half
	return d
}

// Fork runs a baseline A and a variant B of one world in lock-step and
// compares them every Every of virtual time. B starts as an exact Clone of
// A, so the two differ only by the changes applied to B. Batch means are
// honest only once each batch spans the memory of the world (Law &
// Kelton, §9.5.3): a fork's batches are at least Engine.Memory long (two
// hours where pacing controllers step every 10 minutes; a day and some
// hours more for a goal bidder whose conversions feed back within a day;
// days for one that calibrates on people's conversions; as long as a
// learner has learnt), so that a world with controllers or learners has
// no interval for its first two memories and then one from few batches,
// wide by its t quantile, until there are maxBatches (TestForkCoverage); a
// world without them, batches of a twentieth of the time since the fork.
type Fork struct {
	A, B  *Engine
	Every Time
	next  Time
	p     *Paired
}

// NewFork forks e: A is e itself, B its clone. metrics nil compares
// ForkMetrics.
func NewFork(e *Engine, every Time, metrics []Metric) *Fork {
	if every <= 0 {
		every = DefaultInterval
	}
	b := e.Clone()
	sa, sb := e.Counters(), b.Counters()
	if metrics == nil {
		metrics = ForkMetrics(sa)
	}
	f := &Fork{A: e, B: b, Every: every, next: e.Now() + every, p: NewPaired(sa, sb, metrics...)}
	f.holdBatches()
	return f
}

// holdBatches holds the batches to the longer memory of A's and B's
// worlds as they stand: a change to B (pacing turned on, a goal) may
// lengthen it.
func (f *Fork) holdBatches() {
	memory := max(f.A.Memory(), f.B.Memory())
	f.p.SetMinBatch(int((memory + f.Every - 1) / f.Every))
}

// Batch is the shortest batch of the fork's intervals: the longer of A's
// and B's memory as they stand (Engine.Memory) in whole intervals, or one
// interval. A difference has no interval until two batches have passed.
func (f *Fork) Batch() Time {
	f.holdBatches()
	return Time(f.p.minBatch) * f.Every
}

// MemoryWaits names a goal bidder of B's world, or else A's, whose
// memory is not known yet (Engine.MemoryWaits): until it is, Batch is a
// floor, which may grow many times over. "" when none waits.
func (f *Fork) MemoryWaits() string {
	if w := f.B.MemoryWaits(); w != "" {
		return w
	}
	return f.A.MemoryWaits()
}

// Apply makes a change to B alone.
func (f *Fork) Apply(c Change) error { return f.B.Apply(c) }

// RunUntil runs both engines to virtual time t, adding a paired interval
// at every multiple of Every after the fork that it passes.
func (f *Fork) RunUntil(t Time) {
	for !f.RunSlice(t, math.MaxUint64) {
	}
}

// RunSlice runs both engines toward virtual time t, processing at most
// maxEvents events between them, and adds a paired interval at every
// boundary they both pass; it reports whether both now stand at t. A loop
// that must answer a person calls it in slices and checks a wall-clock
// deadline between them, as with Engine.RunStop; calling it again carries
// on exactly where it left off.
func (f *Fork) RunSlice(t Time, maxEvents uint64) bool {
	left := maxEvents
	for {
		target := min(t, f.next)
		for _, e := range [2]*Engine{f.A, f.B} {
			if !e.reached(target) {
				before := e.events
				e.runTo(target, math.MaxUint64, left)
				left -= e.events - before
				if !e.reached(target) {
					return false
				}
			}
		}
		if target == f.next {
			f.p.Add(f.A.Counters(), f.B.Counters())
			f.next += f.Every
		}
		if target == t {
			return true
		}
	}
}

// reached reports whether the engine has processed every event up to t;
// if so it sets the clock to t, as RunUntil does.
func (e *Engine) reached(t Time) bool {
	if e.nextTime() <= t {
		return false
	}
	e.RunUntil(t) // no event left before t: applies due replays, moves the clock
	return true
}

// Differences returns the comparison so far (see Paired.Differences),
// followed by the ROAS both ways, matured and eventual, of every group
// and bidder whose value and spend are compared (Paired.Ratios).
func (f *Fork) Differences() []Difference {
	f.holdBatches()
	out := f.p.Differences()
	var ratios []Ratio
	for _, m := range f.p.metrics {
		for _, kind := range forkRatios {
			prefix, ok := strings.CutSuffix(m.Name, ".spend")
			if !ok {
				continue
			}
			if r, ok := RatioNamed(prefix + "." + kind); ok {
				ratios = append(ratios, r)
			}
		}
	}
	return append(out, f.p.Ratios(ratios)...)
}

// Ratios compares each ratio whose numerator and denominator are among
// the metrics: A's and B's ratio since the comparison began, and the mean
// of the batches' differences B − A of their own ratios with its 95%
// interval (Student t over the batches, as batchMeans groups them). A
// ratio is left out while either run's denominator since the beginning is
// 0, where it is not defined; its interval is NaN while a batch's ratio
// is undefined in one run (a batch the same in both runs differs by 0).
func (p *Paired) Ratios(rs []Ratio) []Difference {
	idx := map[string]int{}
	for i, m := range p.metrics {
		idx[m.Name] = i
	}
	var out []Difference
	for _, r := range rs {
		ni, ok1 := idx[r.Num]
		di, ok2 := idx[r.Den]
		if !ok1 || !ok2 {
			continue
		}
		num := func(last, start []float64) float64 { return last[ni] - start[ni] }
		denA, denB := p.lastA[di]-p.startA[di], p.lastB[di]-p.startB[di]
		if p.metrics[di].Money != nil {
			denA, denB = (p.lastAm[di] - p.startAm[di]).Float(), (p.lastBm[di] - p.startBm[di]).Float()
		}
		if !(denA > 0 && denB > 0) {
			continue
		}
		d := Difference{Name: r.Name, Ratio: true, A: num(p.lastA, p.startA) / denA, B: num(p.lastB, p.startB) / denB,
			Identical: !p.differed[ni] && !p.differed[di]}
		d.Delta = d.B - d.A
		d.BatchMean, d.Baseline, d.Variant = batchRatios(p.as[ni], p.as[di], p.bs[ni], p.bs[di], p.minBatch)
		out = append(out, d)
	}
	return out
}

// batchRatios groups the intervals as batchMeans does and returns the
// interval of the mean of B's batch ratios minus A's, and of each's own.
func batchRatios(numA, denA, numB, denB []float64, minBatch int) (diff, a, b BatchMean) {
	nan := math.NaN()
	n := len(numA)
	diff = BatchMean{N: n, Mean: nan, SD: nan, Lo: nan, Hi: nan}
	a, b = diff, diff
	if n < 2 {
		return
	}
	nb := batchCount(n, minBatch)
	if nb < 2 {
		return
	}
	sum := func(xs []float64, k int) float64 { return batchSum(xs, k, nb) }
	defined := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	var accD, accA, accB stats.Acc
	okD, okA, okB := true, true, true
	for k := range nb {
		xa, ya, xb, yb := sum(numA, k), sum(denA, k), sum(numB, k), sum(denB, k)
		ra, rb := xa/ya, xb/yb
		okA, okB = okA && defined(ra), okB && defined(rb)
		switch {
		case xa == xb && ya == yb:
			accD.Add(0) // the same batch in both runs, defined or not
		case defined(ra) && defined(rb):
			accD.Add(rb - ra)
		default:
			okD = false // a batch without spend in one run: no interval
		}
		accA.Add(ra)
		accB.Add(rb)
	}
	set := func(m *BatchMean, acc *stats.Acc) {
		st := acc.Stat()
		m.Batches, m.Mean, m.SD, m.Lo, m.Hi = nb, st.Mean, st.SD, st.Lo, st.Hi
	}
	for _, x := range []struct {
		ok  bool
		m   *BatchMean
		acc *stats.Acc
	}{{okD, &diff, &accD}, {okA, &a, &accA}, {okB, &b, &accB}} {
		x.m.Batches = nb
		if x.ok {
			set(x.m, x.acc)
		}
	}
	return
}
